"""One-page sheets of use cases, as print-ready HTML and as PDF (WeasyPrint, through tescforce.pdf)."""

from django.conf import settings

from tescforce import pdf

from .models import UseCase

SHEET_CSS = "showroom/sheet.css"


def sheet_context(use_cases: list[UseCase], *, title: str = "", prospect_name: str = "") -> dict:
    return {"use_cases": use_cases, "title": title, "prospect_name": prospect_name, "site_url": settings.SITE_URL}


def sheet_queryset():
    return UseCase.objects.select_related("sector").prefetch_related("technologies", "companies", "images")


def render_pdf(use_cases: list[UseCase], *, language: str, title: str = "", prospect_name: str = "") -> bytes:
    """Return the PDF of one A4 page per use case, in `language`."""
    return render_document(use_cases, language=language, title=title, prospect_name=prospect_name).write_pdf()


def render_document(use_cases: list[UseCase], *, language: str, title: str = "", prospect_name: str = ""):
    """Return the laid-out WeasyPrint document of the sheets (its `pages` can be counted)."""
    return pdf.render_document("showroom/sheet.html",
                               sheet_context(use_cases, title=title, prospect_name=prospect_name),
                               language=language, stylesheets=[SHEET_CSS])
