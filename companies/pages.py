"""The public posting page: found by slug and rendered for the board's views and for the interest form's
answers (candidates/views.py), which show the page again with the form's errors."""

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from tescforce import page_cache, translated

from . import selectors
from .forms import InterestForm
from .models import JobPosting, ended_long_ago
from .structured_data import job_posting_json_ld


def public_posting(slug: str) -> JobPosting:
    """Return the posting of `slug` unless it is a draft; raise Http404 otherwise."""
    # Skills are not prefetched: only the cached part of the page reads them (tescforce/page_cache.py).
    return get_object_or_404(
        JobPosting.objects.exclude(status=JobPosting.Status.DRAFT).select_related("company", "job_family"),
        slug=slug,
    )


def _page(request, slug: str) -> dict:
    """The posting page's parts that are the same for every visitor, cached (tescforce/page_cache.py).

    Raises Http404 for an unknown or draft posting.
    """
    def build() -> dict:
        posting = public_posting(slug)
        # The page's text and its structured data both list the skills: read them once.
        prefetch_related_objects([posting], "skills_required", "skills_nice")
        context = {"posting": posting, "company": posting.company}
        return {
            "slug": posting.slug, "title": translated.text(posting, "title"), "city": posting.city,
            "is_open": posting.is_open,
            "company_name": posting.company.name, "company_slug": posting.company.slug,
            "ended_on": posting.ended_on(), "job_family_id": posting.job_family_id,
            "job_family": translated.text(posting.job_family, "label"),
            "main": render_to_string("companies/_posting_main.html", context, request),
            "company_card": render_to_string("companies/_company_card.html", context, request),
            # Our own escaped JSON (structured_data.dumps_for_script).
            "json_ld": mark_safe(job_posting_json_ld(posting, request)) if posting.is_open else "",  # noqa: S308
        }
    # The structured data holds absolute URLs: the key carries the scheme and host.
    return page_cache.cached_parts(("posting",), f"posting:{slug}:{request.scheme}:{request.get_host()}", build)


def render_posting(request, slug: str, form: InterestForm, status: int = 200):
    """Return the posting page of `slug`, its interest form being `form`; a posting that ended more than
    POSTING_GONE_AFTER_DAYS ago answers 410 Gone, with open postings of the same job instead."""
    page = _page(request, slug)
    if ended_long_ago(page.get("ended_on"), after_days=settings.POSTING_GONE_AFTER_DAYS):
        similar = selectors.similar_open_postings(job_family_id=page["job_family_id"], exclude_slug=page["slug"])
        return render(request, "companies/posting_gone.html", {"page": page, "similar": similar}, status=410)
    return render(request, "companies/posting_detail.html", {"page": page, "form": form}, status=status)
