from django.urls import path

from . import views

app_name = "hotline"

urlpatterns = [
    path("contact/", views.contact, name="contact"),
    path("contact/merci/", views.contact_thanks, name="contact_thanks"),
    path("contact/installation/", views.relocation_space, name="relocation_space"),
    path("contact/installation/merci/", views.relocation_thanks, name="relocation_thanks"),
    path("contact/installation/<str:token>/", views.relocation_space_enter, name="relocation_space_enter"),
]
