"""The showroom's published use cases in the site's sitemap."""

from tescforce.sitemaps import I18nSitemap

from .models import UseCase


class UseCaseSitemap(I18nSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return UseCase.objects.filter(is_published=True).only("slug", "updated_at").order_by("position", "pk")

    def lastmod(self, item: UseCase):
        return item.updated_at


SITEMAPS = {"use_cases": UseCaseSitemap}
