"""The courses' pages (under the language prefix): the public list and the training partners' "Mes formations"."""

from django.urls import path

from . import course_views

app_name = "courses"

urlpatterns = [
    path("formations/", course_views.course_list, name="course_list"),
    path("partenaires/formations/", course_views.member_courses, name="member_courses"),
    path("partenaires/formations/nouvelle/", course_views.member_course_new, name="member_course_new"),
    path("partenaires/formations/<int:pk>/", course_views.member_course_edit, name="member_course_edit"),
]
