"""Sessions as iCalendar (tescforce.ical): times in Europe/Paris with a VTIMEZONE, and a reminder alarm."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Event

from tescforce import ical, translated

from .models import Session


def _location(session: Session) -> str:
    if session.format == Session.Format.ONLINE:
        return session.online_url or str(_("En ligne"))
    parts = [session.venue, session.address, f"{session.postcode} {session.city}".strip()]
    return ", ".join(p for p in parts if p)


def session_uid(session: Session) -> str:
    """Return the session's UID: the one its first .ics carried (kept), else on the site's host."""
    return session.ics_uid or ical.uid("session", session.pk)


def _description(session: Session, page: str) -> str:
    lines = [_("Session annulée.")] if session.is_cancelled else []
    lines += [_location(session), translated.text(session, "programme_text") or session.get_format_display(), page]
    return "\n\n".join(line for line in lines if line)


def session_event(session: Session) -> Event:
    page = settings.SITE_URL + session.get_absolute_url()
    shown = translated.text(session, "title")
    title = _("Annulée : %(title)s") % {"title": shown} if session.is_cancelled else shown
    return ical.event(
        uid=session_uid(session), start=session.starts_at, end=session.ends_at, tz=ical.PARIS,
        summary=f"{title} – {session.city}", location=_location(session), url=page,
        description=_description(session, page), sequence=session.ics_sequence, cancelled=session.is_cancelled,
        alarms=[(dt.timedelta(days=-1), _("Rappel : %(title)s demain") % {"title": shown}),
                (dt.timedelta(hours=-1), _("Rappel : %(title)s dans une heure") % {"title": shown})],
    )


def sessions_calendar(sessions: Iterable[Session], *, name: str = "") -> bytes:
    """Return an iCalendar file holding the given sessions."""
    return ical.calendar_ics([session_event(session) for session in sessions], product="Sessions Numeric Emploi",
                             name=name, method="PUBLISH", tz=ical.PARIS)
