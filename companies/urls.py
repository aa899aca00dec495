from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("offres/", views.posting_list, name="posting_list"),
    path("offres/interet/<str:token>/", views.interest_confirm, name="interest_confirm"),
    path("offres/<slug:slug>/", views.posting_detail, name="posting_detail"),
    path("offres/<slug:slug>/interet/", views.posting_interest, name="posting_interest"),
    path("offres/<slug:slug>/interet/envoye/", views.interest_sent, name="interest_sent"),
    path("entreprises/<slug:slug>/", views.company_detail, name="company_detail"),
]
