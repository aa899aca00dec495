"""iCalendar (RFC 5545) for sessions: times in Europe/Paris with a VTIMEZONE, and a reminder alarm."""

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, Timezone

from .models import Session

PARIS = ZoneInfo("Europe/Paris")


def _location(session: Session) -> str:
    if session.format == Session.Format.ONLINE:
        return session.online_url or str(_("En ligne"))
    parts = [session.venue, session.address, f"{session.postcode} {session.city}".strip()]
    return ", ".join(p for p in parts if p)


def session_event(session: Session) -> Event:
    event = Event()
    event.add("uid", f"session-{session.pk}@tescforce")
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", session.starts_at.astimezone(PARIS))
    event.add("dtend", session.ends_at.astimezone(PARIS))
    event.add("summary", f"{session.title} – {session.city}")
    event.add("location", _location(session))
    event.add("url", settings.SITE_URL + session.get_absolute_url())
    description = session.programme_text or session.get_format_display()
    event.add("description", str(description))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", str(_("Rappel : %(title)s demain") % {"title": session.title}))
    alarm.add("trigger", dt.timedelta(days=-1))
    event.add_component(alarm)
    return event


@lru_cache(maxsize=8)
def _paris_vtimezone(first_year: int, last_year: int) -> Timezone:
    # Built once per range: computing the transitions takes tens of milliseconds, and a narrow range
    # keeps the file small (the default range spans 1970–2038).
    return Timezone.from_tzinfo(PARIS, tzid="Europe/Paris", first_date=dt.date(first_year, 1, 1),
                                last_date=dt.date(last_year, 1, 1))


def sessions_calendar(sessions: Iterable[Session], *, name: str = "") -> bytes:
    """Return an iCalendar file holding the given sessions."""
    cal = Calendar()
    cal.add("prodid", "-//Tesc Force//Sessions Numeric Emploi//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    events = [session_event(session) for session in sessions]
    years = [e.decoded("dtstart").year for e in events] or [timezone.now().year]
    cal.add_component(_paris_vtimezone(min(years) - 1, max(years) + 2))
    for event in events:
        cal.add_component(event)
    return cal.to_ical()
