"""The public sessions in the site's sitemap."""

from django.utils import timezone

from tescforce.sitemaps import I18nSitemap

from .models import Session


class SessionSitemap(I18nSitemap):
    """Published sessions that have not ended: a past session's page is history, not something to find."""

    changefreq = "daily"
    priority = 0.7

    def items(self):
        return (Session.objects.filter(is_published=True, ends_at__gte=timezone.now())
                .only("pk").order_by("starts_at", "pk"))


SITEMAPS = {"sessions": SessionSitemap}
