from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("partenaires/", views.home, name="home"),
    path("partenaires/connexion/", views.login_view, name="login"),
    path("partenaires/deconnexion/", views.logout_view, name="logout"),
    path("partenaires/mot-de-passe/", views.password_reset, name="password_reset"),
    path("partenaires/mot-de-passe/envoye/", views.password_reset_done, name="password_reset_done"),
    path("partenaires/mot-de-passe/<uidb64>/<token>/", views.set_password, name="set_password"),
    path("partenaires/mot-de-passe/enregistre/", views.set_password_done, name="set_password_done"),
    path("partenaires/orientations/nouvelle/", views.referral_new, name="referral_new"),
    path("partenaires/orientations/export.csv", views.referral_export, name="referral_export"),
    path("partenaires/orientations/<int:pk>/", views.referral_detail, name="referral_detail"),
    # The referred person's answer, from the e-mailed link; then "stop sharing" in Mon espace.
    path("orientation/<str:token>/", views.answer, name="answer"),
    path("mon-espace/partenaires/<int:pk>/arreter-le-partage/", views.space_stop_sharing, name="space_stop_sharing"),
]
