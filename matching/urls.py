from django.urls import path

from . import views

# Included in the "staff" namespace under /pilotage/rapprochements/.
urlpatterns = [
    path("", views.index, name="matching_index"),
    path("candidat/<uuid:public_id>/", views.candidate_suggestions, name="matching_candidate"),
    path("offre/<int:pk>/", views.posting_suggestions, name="matching_posting"),
    path("<int:pk>/orienter/", views.orient, name="matching_orient"),
]
