from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
]
