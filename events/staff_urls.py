from django.urls import path

from . import staff_views

app_name = "events_staff"

urlpatterns = [
    path("", staff_views.desk_sessions, name="desk_sessions"),
    path("<int:pk>/accueil/", staff_views.checkin, name="checkin"),
    path("<int:pk>/accueil/etat/", staff_views.checkin_state, name="checkin_state"),
    path("<int:pk>/accueil/sur-place/", staff_views.checkin_walk_in, name="checkin_walk_in"),
    path("<int:pk>/accueil/billet/", staff_views.checkin_ticket, name="checkin_ticket"),
    path("<int:pk>/accueil/<int:registration_pk>/", staff_views.checkin_mark, name="checkin_mark"),
]
