"""tescforce.ical: the one builder of .ics files (sessions feed, job-dating agenda, meetings feed)."""

import datetime as dt

from icalendar import Calendar

from tescforce import ical

START = dt.datetime(2031, 7, 1, 7, 30, tzinfo=dt.UTC)


def _one(**kwargs):
    return ical.event(uid="x-1@tescforce", start=START, end=START + dt.timedelta(hours=1), summary="Réunion",
                      **kwargs)


def test_a_local_calendar_writes_paris_times_with_their_timezone_and_alarm():
    content = ical.calendar_ics([_one(tz=ical.PARIS, alarm=(dt.timedelta(days=-1), "Demain"))], product="Test",
                                name="Agenda", method="PUBLISH", tz=ical.PARIS)
    cal = Calendar.from_ical(content)
    assert cal["PRODID"] == "-//Tesc Force//Test//FR" and cal["METHOD"] == "PUBLISH"
    assert cal["X-WR-CALNAME"] == "Agenda" and cal["X-WR-TIMEZONE"] == "Europe/Paris"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    (event,) = cal.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART") == START and event.decoded("DTSTART").utcoffset() == dt.timedelta(hours=2)
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == dt.timedelta(days=-1) and alarm["DESCRIPTION"] == "Demain"
    assert b"\r\n" in content


def test_a_utc_calendar_has_no_timezone_and_leaves_out_empty_fields():
    cal = Calendar.from_ical(ical.calendar_ics([_one()], product="Test"))
    assert cal.walk("VTIMEZONE") == [] and "METHOD" not in cal
    (event,) = cal.walk("VEVENT")
    assert event.to_ical().decode().count("DTSTART:20310701T073000Z") == 1
    assert "LOCATION" not in event and "VALARM" not in event.to_ical().decode()


def test_the_response_is_inline_or_a_private_download():
    feed = ical.ics_response(b"BEGIN:VCALENDAR", filename="a.ics")
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert feed["Content-Disposition"] == 'inline; filename="a.ics"' and not feed.has_header("Cache-Control")
    private = ical.ics_response(b"BEGIN:VCALENDAR", filename="b.ics", download=True, private=True)
    assert private["Content-Disposition"] == 'attachment; filename="b.ics"'
    assert private["Cache-Control"] == "private, no-store"
