from django.urls import path

from . import views

# Included in the "staff" namespace under /pilotage/rapprochements/.
urlpatterns = [
    path("", views.index, name="matching_index"),
    path("candidat/<uuid:public_id>/", views.candidate_suggestions, name="matching_candidate"),
    path("offre/<int:pk>/", views.posting_suggestions, name="matching_posting"),
    path("<int:pk>/orienter/", views.orient, name="matching_orient"),
    # A recruiter's own postings: their candidates, and one click to keep one.
    path("mes-offres/<int:pk>/", views.recruiter_posting, name="matching_recruiter_posting"),
    path("mes-offres/<int:pk>/preselectionner/", views.recruiter_keep, name="matching_recruiter_keep"),
]
