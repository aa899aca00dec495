from django.urls import path

from . import views

# Included under /pilotage/hotline/ in the "staff" namespace.
urlpatterns = [
    path("", views.home, name="hotline_home"),
    path("appel/", views.call_new, name="hotline_call_new"),
    path("candidat/<uuid:public_id>/", views.candidate_card, name="hotline_candidate"),
    path("candidat/<uuid:public_id>/installation/", views.relocation_new, name="hotline_relocation_new"),
    path("relances/", views.follow_ups, name="hotline_follow_ups"),
    path("relances/en-retard/", views.overdue, name="hotline_overdue"),
    path("relances/<int:pk>/faite/", views.follow_up_done, name="hotline_follow_up_done"),
    path("rappels/", views.queue, name="hotline_queue"),
    path("installations/", views.relocations, name="hotline_relocations"),
    path("installations/<int:pk>/", views.relocation_edit, name="hotline_relocation_edit"),
]
