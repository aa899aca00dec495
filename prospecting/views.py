"""Staff tools of international prospecting (under /pilotage/prospection/)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from showroom.sheets import render_pdf, sheet_queryset
from tescforce.permissions import may_prospect, role_required

from .forms import SheetPickForm
from .models import Prospect


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
