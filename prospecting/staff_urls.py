from django.urls import path

from . import views

app_name = "prospecting"

urlpatterns = [
    path("agenda.ics", views.meetings_ics, name="meetings_ics"),
    path("prospects/<int:pk>/fiches/", views.prospect_sheets, name="sheets"),
]
