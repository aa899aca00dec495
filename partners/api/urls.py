"""/api/: the OpenAPI schema, its documentation (Swagger UI from our static files) and version 1."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The page and its script are two responses, so that the Content-Security-Policy needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="partners/api/docs.html"),
         name="docs"),
    # Version 1. Open data, no key:
    path("v1/open/postings/", views.PostingList.as_view(), name="v1_open_postings"),
    path("v1/open/sessions/", views.SessionList.as_view(), name="v1_open_sessions"),
    path("v1/open/courses/", views.CourseList.as_view(), name="v1_open_courses"),
    path("v1/open/skills/", views.SkillList.as_view(), name="v1_open_skills"),
    # With an organisation's key:
    path("v1/partner/referrals/", views.ReferralList.as_view(), name="v1_referrals"),
    path("v1/partner/referrals/<uuid:id>/", views.ReferralDetail.as_view(), name="v1_referral"),
    path("v1/partner/courses/", views.PartnerCourseList.as_view(), name="v1_courses"),
    path("v1/partner/courses/<int:pk>/", views.PartnerCourseDetail.as_view(), name="v1_course"),
]
