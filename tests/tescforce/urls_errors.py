"""The project's URLs plus one view that fails, to see the 500 page a visitor would get."""

from django.urls import path

from tescforce.urls import handler403, handler404, handler500  # noqa: F401
from tescforce.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *project_urlpatterns]
