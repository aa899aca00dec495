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


def session_event(session: Session) -> Event:
    return ical.event(
        uid=f"session-{session.pk}@tescforce", start=session.starts_at, end=session.ends_at, tz=ical.PARIS,
        summary=f"{translated.text(session, 'title')} – {session.city}", location=_location(session),
        url=settings.SITE_URL + session.get_absolute_url(),
        description=translated.text(session, "programme_text") or session.get_format_display(),
        alarm=(dt.timedelta(days=-1), _("Rappel : %(title)s demain") % {"title": translated.text(session, "title")}),
    )


def sessions_calendar(sessions: Iterable[Session], *, name: str = "") -> bytes:
    """Return an iCalendar file holding the given sessions."""
    return ical.calendar_ics([session_event(session) for session in sessions], product="Sessions Numeric Emploi",
                             name=name, method="PUBLISH", tz=ical.PARIS)
