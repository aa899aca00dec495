from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from candidates import pending
from candidates.models import Candidate
from candidates.tokens import read_token
from tescforce import page_cache

from . import selectors, services
from .filters import JobPostingFilter
from .forms import InterestForm
from .models import Company, JobPosting
from .structured_data import job_posting_json_ld

PAGE_SIZE = 20


def _active_filters(filterset: JobPostingFilter, params) -> list[dict]:
    """One entry per filter in use, with the URL of the same list without it (to widen a search)."""
    cleaned = getattr(filterset.form, "cleaned_data", {}) if filterset.is_bound else {}
    active = []
    for name, value in cleaned.items():
        if value in (None, "", [], ()):
            continue
        field = filterset.form.fields[name]
        if hasattr(field, "choices") and not hasattr(value, "pk"):
            display = dict(field.choices).get(value, value)
        else:
            display = value
        rest = params.copy()
        rest.pop(name, None)
        rest.pop("page", None)
        active.append({"name": name, "label": field.label, "value": display,
                       "without": "?" + rest.urlencode() if rest else "?"})
    return active


def _form_fields(filterset: JobPostingFilter) -> list[tuple]:
    """Each visible filter with, for a select, its options as (value, label, selected), worked out here
    rather than in the template (a hundred skills compared in template filters cost more than the SQL)."""
    rows = []
    for bound in filterset.form.visible_fields():
        options = None
        if getattr(bound.field.widget, "input_type", "") == "select":
            current = "" if bound.value() is None else str(bound.value())
            options = [(str(value), label, str(value) == current) for value, label in bound.field.widget.choices]
        rows.append((bound, options))
    return rows


# The query parameters the board reads; any other is ignored (tescforce/page_cache.py).
BOARD_PARAMS = (*JobPostingFilter.base_filters, "page")


@require_GET
def posting_list(request):
    board = page_cache.cached_list("board", request, BOARD_PARAMS, _render_board)
    return render(request, "companies/posting_list.html", {"board": board})


def _render_board(params) -> tuple[str, object]:
    """The filters and the results: the same for every visitor of these parameters, so cacheable."""
    filterset = JobPostingFilter(params or None, queryset=selectors.board_postings())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(params.get("page"))
    # The shareable state of the list: every non-empty known parameter but the page number.
    kept = params.copy()
    kept.pop("page", None)
    content = render_to_string("companies/_board.html", {
        "filter": filterset,
        "fields": _form_fields(filterset),
        "page": page,
        "active_filters": _active_filters(filterset, kept),
        "querystring": kept.urlencode(),
    })
    return content, page_cache.shown_query(params, page.number, valid=not filterset.is_bound or filterset.is_valid())


def _registration_url(posting: JobPosting) -> str | None:
    """The registration page carrying the pending interest (see candidates/pending.py)."""
    try:
        url = reverse("candidates:register")
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode({'action': 'job_interest', 'id': posting.pk})}"


def _public_posting(slug: str) -> JobPosting:
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
        posting = _public_posting(slug)
        context = {"posting": posting, "company": posting.company}
        return {
            "slug": posting.slug, "title": posting.title, "city": posting.city, "is_open": posting.is_open,
            "company_name": posting.company.name,
            "main": render_to_string("companies/_posting_main.html", context, request),
            "company_card": render_to_string("companies/_company_card.html", context, request),
            # Our own escaped JSON (structured_data.dumps_for_script).
            "json_ld": mark_safe(job_posting_json_ld(posting, request)) if posting.is_open else "",  # noqa: S308
        }
    # The structured data holds absolute URLs: the key carries the scheme and host.
    return page_cache.cached_parts(("posting",), f"posting:{slug}:{request.scheme}:{request.get_host()}", build)


def _detail(request, slug: str, form: InterestForm, status: int = 200):
    return render(request, "companies/posting_detail.html", {"page": _page(request, slug), "form": form},
                  status=status)


@require_GET
def posting_detail(request, slug):
    return _detail(request, slug, InterestForm())


@require_POST
@ratelimit(key="ip", rate="10/h", method="POST", block=False)
def posting_interest(request, slug):
    posting = _public_posting(slug)
    if getattr(request, "limited", False):
        messages.error(request, _("Trop de demandes depuis votre connexion. Réessayez dans une heure."))
        return redirect(posting)
    if not posting.is_open:
        messages.error(request, _("Cette offre n'est plus ouverte."))
        return redirect(posting)
    form = InterestForm(request.POST)
    if not form.is_valid():
        return _detail(request, slug, form, status=400)
    if not form.is_spam():
        services.job_interest_request(posting=posting, email=form.cleaned_data["email"],
                                      language=translation.get_language())
        # "M'inscrire et garder cette offre" on the next page then opens registration with it filled in.
        pending.remember_email(request, form.cleaned_data["email"])
    # The same answer whether the address is known or not.
    return redirect(reverse("companies:interest_sent", kwargs={"slug": posting.slug}))


@require_GET
def interest_sent(request, slug):
    posting = _public_posting(slug)
    return render(request, "companies/interest_sent.html", {
        "posting": posting, "registration_url": _registration_url(posting)})


def _interest_from_token(token: str) -> tuple[Candidate, JobPosting]:
    public_id, data = read_token(token, purpose="action")
    if data.get("action") != "job_interest" or not isinstance(data.get("posting"), int):
        raise signing.BadSignature("not a job interest")
    candidate = Candidate.objects.filter(public_id=public_id, anonymised_at__isnull=True,
                                         confirmed_at__isnull=False).first()
    posting = JobPosting.objects.select_related("company").filter(pk=data["posting"]).first()
    if candidate is None or posting is None:
        raise signing.BadSignature("unknown candidate or posting")
    return candidate, posting


@require_http_methods(["GET", "POST"])
def interest_confirm(request, token):
    # GET only shows a button: mail scanners open links, and showing interest must be the person's act.
    try:
        candidate, posting = _interest_from_token(token)
    except (signing.BadSignature, ValueError):
        return render(request, "companies/link_invalid.html", status=400)
    if request.method == "GET":
        return render(request, "companies/interest_confirm.html", {"posting": posting, "candidate": candidate})
    try:
        with transaction.atomic():
            services.job_interest_create(candidate=candidate, posting=posting)
    except services.CompaniesError as exc:
        messages.error(request, str(exc))
        return redirect(posting if posting.status != JobPosting.Status.DRAFT else reverse("companies:posting_list"))
    return render(request, "companies/interest_done.html", {"posting": posting, "candidate": candidate})


def job_interest_pending(candidate, data: dict) -> str:
    """Record an interest asked for before registration, once the e-mail is confirmed."""
    raw = data.get("id", data.get("posting"))
    posting = JobPosting.objects.select_related("company").filter(
        pk=int(raw) if str(raw).isdigit() else None).first()
    if posting is None:
        raise services.CompaniesError(_("Cette offre n'existe plus."))
    services.job_interest_create(candidate=candidate, posting=posting)
    return _("Votre intérêt pour l'offre « %(title)s » (%(company)s) est transmis.") % {
        "title": posting.title, "company": posting.company.name}


@require_GET
def company_detail(request, slug):
    def build() -> dict:
        company = get_object_or_404(Company, slug=slug)
        context = {
            "company": company,
            "postings": selectors.company_open_postings(company),
            "use_cases": company.use_cases.filter(is_published=True).select_related("sector")
            .order_by("position", "title"),
            "sites": company.sites.order_by("-is_headquarters", "city"),
        }
        return {"name": company.name, "city": company.city,
                "main": render_to_string("companies/_company_main.html", context, request)}
    page = page_cache.cached_parts(("company",), f"company:{slug}", build)
    return render(request, "companies/company_detail.html", {"page": page})
