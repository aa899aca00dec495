from django.urls import path

from . import views

app_name = "candidates"

urlpatterns = [
    path("inscription/", views.register, name="register"),
    path("inscription/merci/", views.register_done, name="register_done"),
    path("inscription/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("c/<slug:code>/", views.campaign_link, name="campaign_link"),
    path("action/<str:token>/", views.action_confirm, name="action_confirm"),
    # "I'm interested" on the job board's posting pages (companies/urls.py has the board itself).
    path("offres/interet/<str:token>/", views.interest_confirm, name="interest_confirm"),
    path("offres/<slug:slug>/interet/", views.posting_interest, name="posting_interest"),
    path("offres/<slug:slug>/interet/envoye/", views.interest_sent, name="interest_sent"),
    path("offres/<slug:slug>/interet/mon-espace/", views.space_interest, name="space_interest"),
    path("mon-espace/", views.space_request, name="space_request"),
    path("mon-espace/lien-envoye/", views.space_sent, name="space_sent"),
    path("mon-espace/lien/<str:token>/", views.space_enter, name="space_enter"),
    path("mon-espace/accueil/", views.space_home, name="space_home"),
    path("mon-espace/profil/", views.space_profile, name="space_profile"),
    path("mon-espace/cv/", views.space_cv, name="space_cv"),
    path("mon-espace/cv/telecharger/", views.space_cv_download, name="space_cv_download"),
    path("mon-espace/consentements/", views.space_consents, name="space_consents"),
    path("mon-espace/mes-donnees.json", views.space_export, name="space_export"),
    path("mon-espace/effacer/", views.space_erase, name="space_erase"),
    path("mon-espace/deconnexion/", views.space_logout, name="space_logout"),
]
