from django.urls import path

from . import views

app_name = "showroom"

urlpatterns = [
    path("showroom/", views.usecase_list, name="usecase_list"),
    path("showroom/<slug:slug>/", views.usecase_detail, name="usecase_detail"),
    path("showroom/<slug:slug>/fiche/", views.usecase_sheet, name="usecase_sheet"),
    path("showroom/<slug:slug>/fiche/pdf/", views.usecase_sheet_pdf, name="usecase_sheet_pdf"),
    path("showroom/<slug:slug>/contact/", views.usecase_contact, name="usecase_contact"),
]
