from django.urls import path

from . import space_views

app_name = "matching"

# Public (under the language prefix), for the candidate signed in to Mon espace.
urlpatterns = [
    path("mon-espace/job-dating/<int:pk>/entretiens.ics", space_views.interviews_ics, name="space_interviews_ics"),
]
