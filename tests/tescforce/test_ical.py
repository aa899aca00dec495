"""tescforce.ical: the one builder of .ics files (sessions feed, job-dating agenda, meetings feed)."""

import datetime as dt
from zoneinfo import ZoneInfo

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


def test_uid_is_on_the_site_host(settings):
    settings.SITE_URL = "https://tescforce.example"
    assert ical.uid("session", 42) == "session-42@tescforce.example"


def test_a_changed_event_carries_its_sequence_and_a_cancelled_one_its_status_without_alarms():
    alarms = [(dt.timedelta(days=-1), "Demain"), (dt.timedelta(hours=-1), "Dans une heure")]
    live = Calendar.from_ical(ical.calendar_ics([_one(sequence=3, alarms=alarms)], product="Test")).walk("VEVENT")[0]
    assert live.decoded("SEQUENCE") == 3 and str(live["STATUS"]) == "CONFIRMED" and "DTSTAMP" in live
    assert [a.decoded("TRIGGER") for a in live.walk("VALARM")] == [dt.timedelta(days=-1), dt.timedelta(hours=-1)]
    gone = Calendar.from_ical(ical.calendar_ics([_one(sequence=4, alarms=alarms, cancelled=True)],
                                                product="Test")).walk("VEVENT")[0]
    assert str(gone["STATUS"]) == "CANCELLED" and gone.decoded("SEQUENCE") == 4 and not gone.walk("VALARM")


def test_events_in_several_zones_get_one_timezone_block_each_and_long_lines_are_folded():
    taipei = ZoneInfo("Asia/Taipei")
    content = ical.calendar_ics([_one(tz=ical.PARIS, description="é" * 200), _one(tz=taipei)], product="Test")
    cal = Calendar.from_ical(content)
    assert sorted(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")) == ["Asia/Taipei", "Europe/Paris"]
    lines = content.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)  # RFC 5545 §3.1: 75 octets, continuation lines begin with a space
    assert str(cal.walk("VEVENT")[0]["DESCRIPTION"]) == "é" * 200
