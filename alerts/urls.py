from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("mon-espace/alertes/", views.space_alerts, name="space_alerts"),
    path("alertes/desinscription/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
