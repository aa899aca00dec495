from django.urls import path

from . import session_tools, staff_views

app_name = "events_staff"

urlpatterns = [
    path("", staff_views.desk_sessions, name="desk_sessions"),
    path("<int:pk>/accueil/", staff_views.checkin, name="checkin"),
    path("<int:pk>/accueil/etat/", staff_views.checkin_state, name="checkin_state"),
    path("<int:pk>/accueil/sur-place/", staff_views.checkin_walk_in, name="checkin_walk_in"),
    path("<int:pk>/accueil/billet/", staff_views.checkin_ticket, name="checkin_ticket"),
    path("<int:pk>/accueil/<int:registration_pk>/", staff_views.checkin_mark, name="checkin_mark"),
    # Before the day: badges, and each company's list of the candidates it will meet (events/session_tools.py).
    path("<int:pk>/badges/", session_tools.session_badges, name="session_badges"),
    path("<int:pk>/listes/", session_tools.session_lists, name="session_lists"),
    path("<int:pk>/listes/pdf/", session_tools.session_lists_pdf, name="session_lists_pdf"),
    path("<int:pk>/listes/envoyer/", session_tools.session_lists_send, name="session_lists_send"),
    path("<int:pk>/listes/<int:company_pk>/", session_tools.company_list, name="company_list"),
    path("<int:pk>/listes/<int:company_pk>/pdf/", session_tools.company_list_pdf, name="company_list_pdf"),
    path("<int:pk>/listes/<int:company_pk>/csv/", session_tools.company_list_csv, name="company_list_csv"),
]
