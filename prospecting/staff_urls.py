from django.urls import path

from . import feeds, views

app_name = "prospecting"

urlpatterns = [
    path("agenda.ics", feeds.meetings_ics, name="meetings_ics"),
    path("agenda/", views.agenda, name="calendar"),
    path("agenda/<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
    path("prospects/<int:pk>/fiches/", views.prospect_sheets, name="sheets"),
]
