"""Sitemaps of the public job board, in both languages (served at /sitemap.xml by tescforce/urls.py)."""

from django.contrib.sitemaps import Sitemap

from .models import Company, JobPosting
from .selectors import open_postings


class JobPostingSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    i18n = True
    alternates = True
    x_default = True
    limit = 5000

    def items(self):
        return open_postings().only("slug", "updated_at").order_by("-published_at", "-id")

    def lastmod(self, item: JobPosting):
        return item.updated_at


class CompanySitemap(Sitemap):
    """Companies with at least one open posting."""

    changefreq = "weekly"
    priority = 0.5
    i18n = True
    alternates = True
    limit = 5000

    def items(self):
        return (Company.objects.filter(postings__in=open_postings()).distinct()
                .only("slug", "updated_at").order_by("slug"))

    def lastmod(self, item: Company):
        return item.updated_at


SITEMAPS = {"postings": JobPostingSitemap, "companies": CompanySitemap}
