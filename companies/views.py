from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template, render_to_string
from django.views.decorators.http import require_GET

from tescforce import list_filters, page_cache

from . import pages, selectors
from .filters import JobPostingFilter
from .forms import InterestForm
from .models import Company

PAGE_SIZE = 20


# The query parameters the board reads; any other is ignored (tescforce/page_cache.py).
BOARD_PARAMS = (*JobPostingFilter.base_filters, "page")


@require_GET
def posting_list(request):
    board = page_cache.cached_list("board", request, BOARD_PARAMS, _render_board)
    return render(request, "companies/posting_list.html", {"board": board})


def _render_board(params) -> tuple[str, object]:
    """The filters and the results: the same for every visitor of these parameters, so cacheable."""
    filterset = JobPostingFilter(params or None, queryset=selectors.open_postings().order_by(*selectors.BOARD_ORDER))
    # The page holds ids; each card is rendered once per version of the board and shared by every list
    # that shows it (a new filter combination mostly shows cards already rendered).
    ids = filterset.qs.values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(params.get("page"))
    # The shareable state of the list: every non-empty known parameter but the page number.
    kept = params.copy()
    kept.pop("page", None)
    content = render_to_string("companies/_board.html", {
        "filter": filterset,
        "fields": list_filters.form_fields(filterset),
        "page": page,
        "cards": page_cache.cached_items(("board",), "posting-card", page.object_list, _render_cards),
        "active_filters": list_filters.active_filters(filterset, kept),
        "querystring": kept.urlencode(),
    })
    return content, page_cache.shown_query(params, page.number, valid=not filterset.is_bound or filterset.is_valid())


def _render_cards(ids: list[int]) -> dict[int, str]:
    card = get_template("companies/_posting_card.html")
    return {posting.pk: card.render({"posting": posting}) for posting in selectors.posting_cards(ids)}


@require_GET
def posting_detail(request, slug):
    return pages.render_posting(request, slug, InterestForm())


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
