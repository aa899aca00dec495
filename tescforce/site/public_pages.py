"""What every site must answer besides its pages: robots.txt, the sitemap, the favicon (error pages: error_pages.py)."""

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from companies.sitemaps import SITEMAPS as JOB_SITEMAPS
from events.sitemaps import SITEMAPS as SESSION_SITEMAPS
from showroom.sitemaps import SITEMAPS as SHOWROOM_SITEMAPS
from tescforce.sitemaps import I18nSitemap


class PagesSitemap(I18nSitemap):
    """The pages that are not records: home, the lists, the forms a visitor starts from, the legal pages."""

    changefreq = "weekly"

    def items(self):
        return ["home", "companies:posting_list", "events:session_list", "courses:course_list", "showroom:usecase_list",
                "candidates:register", "hotline:contact", "accessibility", "legal"]

    def location(self, item: str) -> str:
        return reverse(item)

    def priority(self, item: str) -> float:
        return 1.0 if item == "home" else 0.6


SITEMAPS = {"pages": PagesSitemap, **JOB_SITEMAPS, **SESSION_SITEMAPS, **SHOWROOM_SITEMAPS}

# Staff tools, signed links and personal pages are nobody's search result; the sitemap says what is.
ROBOTS_DISALLOW = ("/admin/", "/pilotage/", "/healthz/", "/readyz/", "/i18n/",
                   "/fr/mon-espace/", "/en/mon-espace/", "/fr/action/", "/en/action/",
                   "/fr/alertes/", "/en/alertes/")


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "",
             f"Sitemap: {settings.SITE_URL}{reverse('django.contrib.sitemaps.views.sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request):
    """Browsers ask /favicon.ico whatever the page says: send them to the static file."""
    return HttpResponsePermanentRedirect(static("icons/favicon.ico"))
