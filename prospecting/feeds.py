"""Officers' meetings as iCalendar: a download for the signed-in user, and a private subscription address."""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from tescforce import ical
from tescforce.permissions import may_prospect, role_required

from . import timezones
from .models import CalendarFeed, new_feed_token
from .selectors import upcoming_meetings_for

READ_STAMP_EVERY = dt.timedelta(hours=1)  # calendar apps poll often: note the last read at most hourly


def calendar_ics(user, request) -> bytes:
    """The meetings `user` leads or attends, from a week ago on, as an iCalendar file."""
    events = []
    for meeting in upcoming_meetings_for(user):
        description = [
            _("Heure locale : %(time)s (%(tz)s)") % {"time": f"{meeting.local_starts_at:%d/%m/%Y %H:%M}",
                                                      "tz": timezones.label(str(meeting.timezone))},
        ]
        if meeting.campaign:
            description.append(_("Campagne : %(name)s") % {"name": meeting.campaign.name})
        if meeting.next_step:
            description.append(_("Prochaine étape : %(step)s") % {"step": meeting.next_step})
        events.append(ical.event(
            uid=ical.uid("meeting", meeting.pk), start=meeting.starts_at, end=meeting.ends_at,
            tz=meeting.local_starts_at.tzinfo, sequence=max((meeting.versions or 1) - 1, 0),
            summary=_("Rendez-vous : %(name)s") % {"name": meeting.prospect.name},
            location=meeting.online_url if meeting.is_online else meeting.place, description="\n".join(description),
            url=request.build_absolute_uri(f"/admin/prospecting/meeting/{meeting.pk}/change/"),
        ))
    # Each meeting in its own zone (a Paris meeting reads 09:00 Europe/Paris), with that zone's VTIMEZONE.
    return ical.calendar_ics(events, product="Prospection", name=_("Rendez-vous de prospection"))


def _ics_response(body: bytes):
    return ical.ics_response(body, filename="rendez-vous-prospection.ics", download=True, private=True)


@role_required(test=may_prospect)
@require_GET
def meetings_ics(request):
    """Download the signed-in officer's meetings."""
    return _ics_response(calendar_ics(request.user, request))


def subscription_change(request):
    """Create, renew or revoke the officer's private calendar address (the agenda page's POST)."""
    feed = CalendarFeed.objects.filter(user=request.user).first()
    action = request.POST.get("action")
    if action == "create" and feed is None:
        CalendarFeed.objects.get_or_create(user=request.user)
        messages.success(request, _("Votre adresse d'abonnement est prête."))
    elif action == "renew" and feed is not None:
        # In place: two tabs renewing at once cannot collide on the one row per user.
        CalendarFeed.objects.filter(pk=feed.pk).update(token=new_feed_token(), created_at=timezone.now(),
                                                       last_read_at=None)
        messages.success(request, _("Nouvelle adresse créée : l'ancienne ne fonctionne plus."))
    elif action == "revoke" and feed is not None:
        feed.delete()
        messages.success(request, _("Adresse révoquée : plus aucun agenda ne peut la lire."))
    else:
        messages.error(request, _("Cette action n'est pas possible ; la page a été mise à jour."))
    return redirect("staff:prospecting:calendar")


def subscription_context(request) -> dict:
    """Return the officer's feed row and its address, for the agenda page."""
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = None
    if feed is not None:
        url = request.build_absolute_uri(reverse("staff:prospecting:calendar_feed", args=[feed.token]))
    return {"feed": feed, "url": url}


@require_GET
@ratelimit(key="ip", rate="120/h", method="GET", block=False)
def calendar_feed(request, token: str):
    """The meetings of the officer whose private address this is; no login (calendar apps cannot)."""
    if getattr(request, "limited", False):
        return HttpResponse(_("Trop de demandes : réessayez plus tard."), status=429,
                            content_type="text/plain; charset=utf-8")
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    # A disabled account or a lost role closes the address without anyone having to revoke it.
    if feed is None or not may_prospect(feed.user):
        raise Http404
    now = timezone.now()
    if feed.last_read_at is None or now - feed.last_read_at > READ_STAMP_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    return _ics_response(calendar_ics(feed.user, request))
