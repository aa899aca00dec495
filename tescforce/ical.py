"""iCalendar (RFC 5545) files and responses: the sessions feed, a job-dating agenda, an officer's meetings.

Rooms describe their events with `event()` and get the file from `calendar_ics()`; a feed or download is
answered by `ics_response()`. Times are written in UTC, or in a named zone with its VTIMEZONE
(`tz=PARIS`) when people read them as local times (sessions in Toulouse and Montpellier).

A calendar app recognises an event it already holds by its UID (`uid()`: on the site's host, never
changed once published) and applies an update only when its SEQUENCE is higher; a cancelled event is
sent with STATUS:CANCELLED so that the app removes it (RFC 5545 §3.8.7.4, §3.8.1.11).
"""

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, Timezone

PARIS = ZoneInfo("Europe/Paris")
CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid(kind: str, pk: int) -> str:
    """Return the UID of one object's event, e.g. "session-42@tescforce.example" (host and port of SITE_URL)."""
    # The meetings feed used this host from its first version: keep it, a changed UID duplicates events.
    return f"{kind}-{pk}@{urlsplit(settings.SITE_URL).netloc or 'tescforce'}"


def event(*, uid: str, start: dt.datetime, end: dt.datetime, summary: str, description: str = "",
          location: str = "", url: str = "", alarm: tuple[dt.timedelta, str] | None = None,
          alarms: Iterable[tuple[dt.timedelta, str]] = (), tz: dt.tzinfo = dt.UTC, sequence: int = 0,
          cancelled: bool = False) -> Event:
    """Return one VEVENT; each alarm is (offset from the start, text), e.g. (timedelta(days=-1), "Tomorrow…").

    `sequence` must grow each time the event's time, place or status changes; `cancelled` marks it
    STATUS:CANCELLED (kept in files and feeds so that calendar apps remove it).
    """
    item = Event()
    item.add("uid", uid)
    item.add("dtstamp", timezone.now().astimezone(dt.UTC))
    item.add("dtstart", start.astimezone(tz))
    item.add("dtend", end.astimezone(tz))
    item.add("sequence", sequence)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    item.add("summary", str(summary))
    if location:
        item.add("location", str(location))
    if url:
        item.add("url", url)
    if description:
        item.add("description", str(description))
    reminders = [alarm, *alarms] if alarm is not None else list(alarms)
    for offset, text in reminders if not cancelled else ():
        reminder = Alarm()
        reminder.add("action", "DISPLAY")
        reminder.add("description", str(text))
        reminder.add("trigger", offset)
        item.add_component(reminder)
    return item


@lru_cache(maxsize=8)
def _vtimezone(key: str, first_year: int, last_year: int) -> Timezone:
    # Built once per range: computing the transitions takes tens of milliseconds, and a narrow range
    # keeps the file small (the default range spans 1970–2038).
    return Timezone.from_tzinfo(ZoneInfo(key), tzid=key, first_date=dt.date(first_year, 1, 1),
                                last_date=dt.date(last_year, 1, 1))


def calendar_ics(events: Iterable[Event], *, product: str, name: str = "", method: str = "",
                 tz: ZoneInfo | None = None) -> bytes:
    """Return the iCalendar file holding `events` (built with the same `tz`), with CRLF line endings."""
    cal = Calendar()
    cal.add("prodid", f"-//Tesc Force//{product}//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", str(name))
    events = list(events)
    if tz is not None:
        cal.add("x-wr-timezone", tz.key)
    # One VTIMEZONE per zone the events are written in (RFC 5545 §3.6.5): `tz`, and any other an event uses.
    years: dict[str, list[int]] = {tz.key: []} if tz is not None else {}
    for item in events:
        start = item.decoded("dtstart")
        if isinstance(start.tzinfo, ZoneInfo) and start.tzinfo.key != "UTC":
            years.setdefault(start.tzinfo.key, []).append(start.year)
    for key, found in years.items():
        found = found or [timezone.now().year]
        cal.add_component(_vtimezone(key, min(found) - 1, max(found) + 2))
    for item in events:
        cal.add_component(item)
    return cal.to_ical()


def ics_response(content: bytes, *, filename: str, download: bool = False, private: bool = False) -> HttpResponse:
    """Answer with an .ics file: shown inline (a feed) or as a download; `private` keeps it out of caches."""
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'{"attachment" if download else "inline"}; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
