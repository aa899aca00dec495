from django.urls import path

from . import views

app_name = "showroom"

urlpatterns = [
    path("showroom/", views.usecase_list, name="usecase_list"),
    path("showroom/<slug:slug>/", views.usecase_detail, name="usecase_detail"),
]
