import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from icalendar import Calendar

from events import services
from tescforce import ical
from tests import factories

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _parse(content: bytes) -> Calendar:
    return Calendar.from_ical(content)


def test_session_ics_is_valid_icalendar_in_paris_time_with_an_alarm(client):
    start = dt.datetime(2031, 3, 21, 9, 30, tzinfo=PARIS)
    session = factories.SessionFactory(title="Numéric Emploi", starts_at=start, ends_at=start + dt.timedelta(hours=3),
                                       city="Montpellier", venue="Hôtel de Région")
    response = client.get(f"/fr/sessions/{session.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = _parse(response.content)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(hours=1)
    assert event.decoded("DTEND") == start + dt.timedelta(hours=3)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert "Hôtel de Région" in str(event["LOCATION"])
    day_before, hour_before = event.walk("VALARM")
    assert day_before.decoded("TRIGGER") == dt.timedelta(days=-1)
    assert hour_before.decoded("TRIGGER") == dt.timedelta(hours=-1)
    assert b"\r\n" in response.content  # RFC 5545 line endings


def test_feed_lists_every_upcoming_published_session(client, past_session):
    upcoming = [factories.SessionFactory() for _ in range(3)]
    factories.SessionFactory(is_published=False)
    cal = _parse(client.get("/en/sessions/agenda.ics").content)
    uids = sorted(str(e["UID"]) for e in cal.walk("VEVENT"))
    assert uids == sorted(ical.uid("session", s.pk) for s in upcoming)


def test_unpublished_session_has_no_ics(client):
    session = factories.SessionFactory(is_published=False)
    assert client.get(f"/fr/sessions/{session.pk}.ics").status_code == 404


def test_booking_confirmation_carries_a_parseable_ics(session, candidate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_book(session=session, candidate=candidate)
    (message,) = mail.outbox
    name, content, mimetype = message.attachments[0]
    assert mimetype.startswith("text/calendar")
    (event,) = _parse(content.encode() if isinstance(content, str) else content).walk("VEVENT")
    assert event.decoded("DTSTART") == session.starts_at.replace(microsecond=0)  # iCalendar counts seconds
