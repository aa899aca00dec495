"""Staff tools of international prospecting (under /pilotage/prospection/)."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from showroom.sheets import render_pdf, sheet_queryset
from tescforce.permissions import may_prospect, role_required

from . import feeds, selectors
from .forms import AgendaFilterForm, SheetPickForm
from .models import Prospect

MEETINGS_PER_PAGE = 25


@role_required(test=may_prospect)
@require_http_methods(["GET", "POST"])
def agenda(request):
    """The team's meetings, past and upcoming, with filters; the officer's .ics download and subscription."""
    if request.method == "POST":
        return feeds.subscription_change(request)
    form = AgendaFilterForm(request.GET or None, team=selectors.team_users(), countries=selectors.agenda_countries())
    filters = form.filters() if form.is_bound else {"mine": True, "period": "recent"}
    page = Paginator(selectors.agenda_meetings(user=request.user, **filters), MEETINGS_PER_PAGE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "prospecting/calendar.html", {
        "form": form, "page": page, "meetings": page.object_list, "querystring": query.urlencode(),
        "now": timezone.now(), "can_add": request.user.has_perm("prospecting.add_meeting"),
        **feeds.subscription_context(request),
    })


@role_required(test=may_prospect)
def prospect_sheets(request, pk: int):
    """Pick use cases for one prospect and download them as one PDF (one page each)."""
    prospect = get_object_or_404(Prospect.objects.select_related("sector"), pk=pk)
    if request.method == "POST":
        form = SheetPickForm(request.POST)
        if form.is_valid():
            chosen = list(sheet_queryset().filter(pk__in=[uc.pk for uc in form.cleaned_data["use_cases"]]))
            pdf = render_pdf(chosen, language=form.cleaned_data["language"], prospect_name=prospect.name,
                             title=prospect.name)
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="showroom-prospect-{prospect.pk}.pdf"'
            return response
    else:
        suggested = set(prospect.meetings.values_list("use_cases_shown", flat=True)) - {None}
        if prospect.sector_id:
            suggested |= set(prospect.sector.use_cases.filter(is_published=True).values_list("pk", flat=True))
        form = SheetPickForm(initial={"use_cases": sorted(suggested), "language": "en"})
    return render(request, "prospecting/sheets.html", {"prospect": prospect, "form": form},
                  status=400 if form.is_bound else 200)
