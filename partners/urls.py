from django.urls import path  # noqa: F401 - the partner space's pages come next

app_name = "partners"

urlpatterns: list = []
