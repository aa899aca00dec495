from django.urls import include, path

from . import views

app_name = "staff"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("hotline/", include("hotline.staff_urls")),
    path("rapprochements/", include("matching.urls")),
    path("sessions/", include("events.staff_urls")),
    path("prospection/", include("prospecting.staff_urls")),
]
