"""Print-ready PDFs from HTML templates (WeasyPrint): tickets, showroom sheets, badges, companies' lists.

One setup for every PDF the platform makes: the template is rendered in the reader's language with
`for_pdf` set; nothing is fetched from the network (only our own static and media files, read from disk,
anything else refused); WeasyPrint's layout log stays quiet. WeasyPrint itself (0.5 s and 40 MB to import)
is loaded on the first PDF, not when the web process starts.
"""

import logging
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

# WeasyPrint logs every layout step at INFO; keep the platform's logs for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _weasyprint():
    import weasyprint  # heavy: loaded on the first PDF only (tests/tescforce/test_layers.py allows this one)

    return weasyprint


def local_file(url: str) -> Path | None:
    """Map a /media/ or /static/ URL to a file on disk; anything else (another host, a path outside) is None."""
    path = unquote(urlsplit(url).path)
    if path.startswith(settings.MEDIA_URL):
        root = Path(settings.MEDIA_ROOT).resolve()
        found = (root / path[len(settings.MEDIA_URL):]).resolve()
        return found if found.is_relative_to(root) and found.is_file() else None
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path[len(settings.STATIC_URL):])
        return Path(found) if found else None
    return None


def _fetcher():
    urls = _weasyprint().urls

    class LocalOnlyFetcher(urls.URLFetcher):
        # Never fetch from the network: a PDF only uses our own static and media files.
        def fetch(self, url, headers=None):
            local = local_file(url)
            if local is None:
                raise ValueError(f"Refused to fetch {url!r} while rendering a PDF")
            content_type = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
            return urls.URLFetcherResponse(url, local.read_bytes(), {"Content-Type": content_type})

    return LocalOnlyFetcher()


def render_document(template: str, context: dict, *, language: str, stylesheets: Sequence[str] = ()):
    """Return the laid-out WeasyPrint document of `template` in `language` (its `pages` can be counted).

    `stylesheets` are paths of static files (e.g. "showroom/sheet.css") added to the page's own styles.
    """
    weasyprint = _weasyprint()
    with translation.override(language):
        html = render_to_string(template, {**context, "for_pdf": True, "LANGUAGE_CODE": language})
    fetcher = _fetcher()
    css = [weasyprint.CSS(string=Path(finders.find(name)).read_text(encoding="utf-8"), url_fetcher=fetcher)
           for name in stylesheets]
    return weasyprint.HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=fetcher).render(
        stylesheets=css)


def render_pdf(template: str, context: dict, *, language: str, stylesheets: Sequence[str] = ()) -> bytes:
    """Return `template` as PDF bytes, in `language`."""
    return render_document(template, context, language=language, stylesheets=stylesheets).write_pdf()


def pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    """Return a PDF download named `filename` (without extension)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response
