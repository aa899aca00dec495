"""The project's URLs plus the sitemap line tescforce/urls.py is to carry."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from companies.sitemaps import SITEMAPS
from tescforce.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="django.contrib.sitemaps.views.sitemap"),
    *project_urlpatterns,
]
