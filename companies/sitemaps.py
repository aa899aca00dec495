"""Sitemaps of the public job board, in both languages (served at /sitemap.xml with the site's other pages)."""

from tescforce.sitemaps import I18nSitemap

from .models import Company, JobPosting
from .selectors import open_postings


class JobPostingSitemap(I18nSitemap):
    """Open postings only: a closed or filled one leaves the sitemap and its page says noindex."""

    changefreq = "daily"
    priority = 0.8

    def items(self):
        return open_postings().only("slug", "updated_at").order_by("-published_at", "-id")

    def lastmod(self, item: JobPosting):
        return item.updated_at


class CompanySitemap(I18nSitemap):
    """Companies with at least one open posting."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return (Company.objects.filter(postings__in=open_postings()).distinct()
                .only("slug", "updated_at").order_by("slug"))

    def lastmod(self, item: Company):
        return item.updated_at


SITEMAPS = {"postings": JobPostingSitemap, "companies": CompanySitemap}
