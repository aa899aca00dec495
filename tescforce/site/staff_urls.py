from django.urls import include, path

from . import desk, views

app_name = "staff"

urlpatterns = [
    # The desk greets every staff member; the dashboard moved under it (/pilotage/?year=… redirects there).
    path("", desk.desk_view, name="desk"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("hotline/", include("hotline.staff_urls")),
    path("rapprochements/", include("matching.urls")),
    path("job-dating/", include("matching.sheet_urls")),
    path("sessions/", include("events.staff_urls")),
    path("prospection/", include("prospecting.staff_urls")),
]
