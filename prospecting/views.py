"""Staff tools of international prospecting (under /pilotage/prospection/)."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from showroom.sheets import render_pdf, sheet_queryset
from tescforce.scoping import recruiter_company_id

from .forms import SheetPickForm
from .models import Prospect
from .selectors import upcoming_meetings_for


def _require_prospecting(request) -> None:
    """Let through staff who may view prospects (officers, coordinators); everyone else gets 403."""
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("prospecting.view_prospect")):
        raise PermissionDenied
    if recruiter_company_id(user) is not None:
        raise PermissionDenied


@login_required
def meetings_ics(request):
    """Return an iCalendar file of the meetings the user leads or attends, from a week ago on."""
    _require_prospecting(request)
    calendar = Calendar()
    calendar.add("prodid", "-//Tesc Force//Prospection//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Rendez-vous de prospection"))
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "tescforce"
    for meeting in upcoming_meetings_for(request.user):
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", timezone.now().astimezone(dt.UTC))
        event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
        event.add("dtend", meeting.ends_at.astimezone(dt.UTC))
        event.add("summary", _("Rendez-vous : %(name)s") % {"name": meeting.prospect.name})
        event.add("location", meeting.online_url if meeting.is_online else meeting.place)
        description = [
            _("Heure locale : %(time)s (%(tz)s)") % {"time": f"{meeting.local_starts_at:%d/%m/%Y %H:%M}",
                                                      "tz": meeting.timezone},
        ]
        if meeting.campaign:
            description.append(_("Campagne : %(name)s") % {"name": meeting.campaign.name})
        if meeting.next_step:
            description.append(_("Prochaine étape : %(step)s") % {"step": meeting.next_step})
        event.add("description", "\n".join(description))
        event.add("url", request.build_absolute_uri(f"/admin/prospecting/meeting/{meeting.pk}/change/"))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rendez-vous-prospection.ics"'
    return response


@login_required
def prospect_sheets(request, pk: int):
    """Pick use cases for one prospect and download them as one PDF (one page each)."""
    _require_prospecting(request)
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
