from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/agenda.ics", views.sessions_feed, name="sessions_feed"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>.ics", views.session_ics, name="session_ics"),
    path("sessions/<int:pk>/reserver/", views.session_book, name="session_book"),
    path("sessions/<int:pk>/reserver/envoye/", views.book_sent, name="book_sent"),
    path("sessions/<int:pk>/reserver/mon-espace/", views.space_book, name="space_book"),
    path("sessions/reservation/<str:token>/", views.book_confirm, name="book_confirm"),
    path("sessions/annulation/<str:token>/", views.booking_cancel, name="booking_cancel"),
    path("sessions/mon-espace/annuler/", views.space_cancel, name="space_cancel"),
    path("sessions/mon-espace/billet/<int:pk>/", views.space_ticket, name="space_ticket"),
    path("sessions/mon-espace/billet/<int:pk>/pdf/", views.space_ticket_pdf, name="space_ticket_pdf"),
    path("sessions/avis/<str:token>/", views.survey, name="survey"),
    path("sessions/messages/arret/<str:token>/", views.messages_stop, name="messages_stop"),
]
