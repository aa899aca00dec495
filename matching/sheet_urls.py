from django.urls import path

from . import sheet_views

# Included in the "staff" namespace under /pilotage/job-dating/: a recruiter's interview sheets, signed in or
# from their signed link (fiche/<token>/).
urlpatterns = [
    path("", sheet_views.sessions, name="matching_sheets"),
    path("<int:session_pk>/", sheet_views.sheet, name="matching_sheet"),
    path("<int:session_pk>/<int:interview_pk>/", sheet_views.scorecard, name="matching_sheet_scorecard"),
    path("<int:session_pk>/<int:interview_pk>/cv/", sheet_views.cv, name="matching_sheet_cv"),
    path("fiche/<str:token>/", sheet_views.sheet_by_link, name="matching_sheet_link"),
    path("fiche/<str:token>/<int:interview_pk>/", sheet_views.scorecard_by_link, name="matching_sheet_link_scorecard"),
    path("fiche/<str:token>/<int:interview_pk>/cv/", sheet_views.cv_by_link, name="matching_sheet_link_cv"),
]
