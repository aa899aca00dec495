from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("offres/", views.posting_list, name="posting_list"),
    path("offres/<slug:slug>/", views.posting_detail, name="posting_detail"),
    path("entreprises/<slug:slug>/", views.company_detail, name="company_detail"),
]
