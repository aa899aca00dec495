import hashlib

from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe

from companies.selectors import open_postings
from events.models import Session
from showroom.models import UseCase
from tescforce import page_cache, roles
from tescforce.exports import spreadsheet_response
from tescforce.facts import REGION_FACTS
from tescforce.permissions import role_required

from . import dashboard as figures_module
from .forms import DashboardFilterForm


def healthz(request):
    """Answer 200 when the database answers, for a load balancer's probe."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def home(request):
    def build() -> dict:
        context = {
            "facts": REGION_FACTS,
            "postings": open_postings().select_related("company").order_by("-published_at")[:6],
            "sessions": Session.objects.filter(is_published=True, starts_at__gte=timezone.now())
            .order_by("starts_at")[:4],
            "use_cases": UseCase.objects.filter(is_published=True, is_featured=True).select_related("sector")[:3],
        }
        return {"content": render_to_string("includes/home_content.html", context, request)}
    return render(request, "home.html", page_cache.cached_parts(("home",), "home", build))


def accessibility(request):
    return render(request, "pages/accessibility.html")


def legal(request):
    return render(request, "pages/legal.html")


def _dashboard_parts(user) -> tuple[bool, bool]:
    """Return (talent side, business side) the user may see."""
    return roles.has_role(user, roles.COORDINATORS), roles.has_role(user, roles.COORDINATORS, roles.PROSPECTING)


@role_required(roles.COORDINATORS, roles.PROSPECTING)
def dashboard(request):
    talent, business = _dashboard_parts(request.user)
    form = DashboardFilterForm(request.GET or None, years=figures_module.years_with_data())
    if form.is_bound and not form.is_valid():
        filters = figures_module.Filters(year=timezone.localdate().year)
    else:
        data = form.cleaned_data if form.is_bound else {}
        filters = figures_module.Filters(
            year=form.year_value() if form.is_bound else timezone.localdate().year,
            edition=data.get("edition") if talent else None,
            city=data.get("city", "") if talent else "",
            campaign=data.get("campaign") if talent else None,
            prospecting_campaign=data.get("prospecting_campaign"),
        )
    figures, computed_at = figures_module.build(filters, talent=talent, business=business,
                                                fresh=request.GET.get("fresh") == "1")
    export = request.GET.get("export")
    if export:
        figure = next((f for f in figures if f.key == export), None)
        if figure is None:
            raise Http404
        return _csv(figure, filters.year)
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("fresh", None)
    querystring = query.urlencode()
    may_set_targets = request.user.has_perm("tescforce.change_yeartarget")
    # The page's thousands of table cells and the filters' options, written as HTML once per computation
    # of the figures: the key holds all the body depends on (the figures' moment, the query, the language
    # and what the user may see and do), so a recomputation (?fresh=1, or after CACHE_SECONDS) writes it again.
    # As page_cache keeps list pages: refused filters, unknown parameters and overlong queries are drawn but
    # not kept, so that made-up queries cannot fill the cache.
    keep = ((not form.is_bound or form.is_valid()) and set(query) <= set(form.fields)
            and len(querystring) <= page_cache.MAX_QUERY_LENGTH)
    body_key = "dashboard-body:" + hashlib.sha256("\n".join(map(str, (
        computed_at.isoformat(), translation.get_language(), talent, business, may_set_targets, querystring,
    ))).encode()).hexdigest()
    body = cache.get(body_key) if keep else None
    if body is None:
        sections = [(key, label, [figure for figure in figures if figure.section == key])
                    for key, label in figures_module.SECTIONS]
        body = render_to_string("staff/_dashboard_body.html", {
            "form": form, "figures": figures, "computed_at": computed_at, "filters": filters,
            "sections": [section for section in sections if section[2]],
            "talent": talent, "business": business, "querystring": querystring,
        }, request)
        if keep:
            cache.set(body_key, body, figures_module.CACHE_SECONDS)
    # The objects stay in the context beside their HTML, for the tests that read them.
    return render(request, "staff/dashboard.html", {
        "body": mark_safe(body),  # noqa: S308 (our own template's HTML)
        "form": form, "figures": figures, "computed_at": computed_at, "filters": filters,
    })


def _csv(figure, year: int) -> HttpResponse:
    """Return the figure as CSV for the spreadsheet of the page's language: French Excel reads "54,5" between
    ";", English "54.5" between ","."""
    french = (translation.get_language() or "fr").split("-")[0] == "fr"
    rows = [[formats.number_format(v, use_l10n=True) if isinstance(v, float) else v for v in row]
            for row in figure.rows]
    return spreadsheet_response(headers=figure.columns, rows=rows, filename=f"tescforce-{figure.key}-{year}",
                                delimiter=";" if french else ",")
