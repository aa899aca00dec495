"""The base of every public sitemap: both languages, hreflang alternates, an x-default that does not redirect."""

from django.conf import settings
from django.contrib import sitemaps


class I18nSitemap(sitemaps.Sitemap):
    """Each page once per language, each entry naming its siblings (hreflang) and the French one as x-default.

    Django's x-default strips the language prefix (`/offres/x/`), which our LocaleMiddleware answers with a
    redirect; search engines want the final address, so x-default points at the default language's page.
    """

    i18n = True
    alternates = True
    x_default = True
    limit = 5000

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            by_language = {alt["lang_code"]: alt["location"] for alt in url.get("alternates", ())}
            default = by_language.get(settings.LANGUAGE_CODE)
            for alternate in url.get("alternates", ()):
                if alternate["lang_code"] == "x-default" and default:
                    alternate["location"] = default
        return urls
