"""One-page sheets of use cases, as print-ready HTML and as PDF (WeasyPrint)."""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from .models import UseCase

SHEET_CSS = "showroom/sheet.css"
# WeasyPrint logs every layout step at INFO; keep the platform's logs for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def sheet_context(use_cases: list[UseCase], *, title: str = "", prospect_name: str = "") -> dict:
    return {"use_cases": use_cases, "title": title, "prospect_name": prospect_name, "site_url": settings.SITE_URL}


def _local_file(url: str) -> Path | None:
    """Map a /media/ or /static/ URL to a file on disk; anything else is refused."""
    path = unquote(urlsplit(url).path)
    if path.startswith(settings.MEDIA_URL):
        root = Path(settings.MEDIA_ROOT).resolve()
        candidate = (root / path[len(settings.MEDIA_URL):]).resolve()
        return candidate if candidate.is_relative_to(root) and candidate.is_file() else None
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path[len(settings.STATIC_URL):])
        return Path(found) if found else None
    return None


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):
        # Never fetch from the network: a sheet only uses our own static and media files.
        def fetch(self, url, headers=None):
            local = _local_file(url)
            if local is None:
                raise ValueError(f"Refused to fetch {url!r} while rendering a sheet")
            content_type = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, local.read_bytes(), {"Content-Type": content_type})

    return LocalOnlyFetcher()


def sheet_queryset():
    return UseCase.objects.select_related("sector").prefetch_related("technologies", "companies", "images")


def render_pdf(use_cases: list[UseCase], *, language: str, title: str = "", prospect_name: str = "") -> bytes:
    """Return the PDF of one A4 page per use case, in `language`."""
    return render_document(use_cases, language=language, title=title, prospect_name=prospect_name).write_pdf()


def render_document(use_cases: list[UseCase], *, language: str, title: str = "", prospect_name: str = ""):
    """Return the laid-out WeasyPrint document of the sheets (its `pages` can be counted)."""
    from weasyprint import CSS, HTML

    with translation.override(language):
        html = render_to_string(
            "showroom/sheet.html",
            {**sheet_context(use_cases, title=title, prospect_name=prospect_name), "for_pdf": True,
             "LANGUAGE_CODE": language},
        )
    fetcher = _fetcher()
    stylesheet = CSS(string=Path(finders.find(SHEET_CSS)).read_text(encoding="utf-8"), url_fetcher=fetcher)
    return HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=fetcher).render(stylesheets=[stylesheet])
