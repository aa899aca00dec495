from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from . import error_pages, ops_views
from .admin_mixins import scoped_view_on_site
from .site import account_views, desk, public_pages, views

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": public_pages.SITEMAPS}, name="django.contrib.sitemaps.views.sitemap"),
    path("robots.txt", public_pages.robots_txt, name="robots_txt"),
    path("favicon.ico", public_pages.favicon, name="favicon"),
    path("readyz/", ops_views.readyz, name="readyz"),
    path("i18n/setlang/", set_language, name="set_language"),
    # Before the admin's own "view on site" redirect, which checks nothing: see scoped_view_on_site.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(scoped_view_on_site)),
    # Before the admin's own URLs, whose catch-all would answer first. The admin's login page links to the first.
    path("admin/password_reset/", account_views.password_reset, name="admin_password_reset"),
    path("admin/password_reset/done/", account_views.password_reset_done, name="password_reset_done"),
    path("admin/reset/<uidb64>/<token>/", account_views.password_reset_confirm, name="password_reset_confirm"),
    path("admin/reset/done/", account_views.password_reset_complete, name="password_reset_complete"),
    # The hotline's admin pages before its models moved out of `candidates`: bookmarks still lead there.
    re_path(r"^admin/candidates/(?P<model>hotlinecall|callbackrequest|relocationrequest)/(?P<rest>.*)$",
            RedirectView.as_view(url="/admin/hotline/%(model)s/%(rest)s", permanent=True, query_string=True)),
    # Matching's and the job-dating agenda's admin pages before they moved out of `candidates`.
    re_path(r"^admin/candidates/(?P<model>match|matchingrun|jobdatingagenda|interview|interviewrelease)/(?P<rest>.*)$",
            RedirectView.as_view(url="/admin/matching/%(model)s/%(rest)s", permanent=True, query_string=True)),
    # Signing in leads to the staff desk (/pilotage/) unless the person was going elsewhere.
    path("admin/login/", desk.staff_login),
    path("admin/", admin.site.urls),
    path("pilotage/double-authentification/", ops_views.otp_setup, name="otp_setup"),
    path("pilotage/double-authentification/code/", ops_views.otp_verify, name="otp_verify"),
    path("pilotage/", include("tescforce.site.staff_urls")),
    # The API for partners' systems and its documentation (docs/api.md); no language prefix.
    path("api/", include("partners.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal, name="legal"),
    path("", include("candidates.urls")),
    path("", include("hotline.urls")),
    path("", include("companies.urls")),
    path("", include("events.urls")),
    path("", include("matching.space_urls")),
    path("", include("partners.urls")),
    path("", include("partners.course_urls")),
    path("", include("showroom.urls")),
    path("", include("alerts.urls")),
    prefix_default_language=True,
)

handler403 = error_pages.permission_denied
handler404 = error_pages.page_not_found
handler500 = error_pages.server_error

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
