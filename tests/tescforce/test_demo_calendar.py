"""The demo's calendar: sessions and meetings on French working days, and the source article's year."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from events.models import Session
from prospecting.models import Meeting, Settlement
from prospecting.selectors import figures
from tescforce.models import YearTarget
from tescforce.site.demo.calendar import french_public_holidays, is_working_day, working_day
from tescforce.site.demo.loader import seed_demo

PARIS = ZoneInfo("Europe/Paris")


def test_french_public_holidays_follow_easter():
    holidays = french_public_holidays(2026)
    assert len(holidays) == 11
    # Easter 2026 is on 5 April: Monday 6 April, Ascension 14 May, Whit Monday 25 May.
    assert {dt.date(2026, 4, 6), dt.date(2026, 5, 14), dt.date(2026, 5, 25)} <= holidays
    assert dt.date(2024, 4, 1) in french_public_holidays(2024)  # Easter Monday 2024
    assert dt.date(2026, 4, 3) not in holidays  # Good Friday is a holiday in Alsace-Moselle only


def test_working_days_skip_weekends_holidays_and_the_christmas_week():
    assert is_working_day(dt.date(2026, 12, 4))  # a Friday
    assert not is_working_day(dt.date(2026, 12, 5))  # a Saturday
    assert not is_working_day(dt.date(2026, 7, 14))
    assert not is_working_day(dt.date(2026, 12, 29))  # a Tuesday between Christmas and New Year
    assert working_day(dt.date(2026, 12, 24)) == dt.date(2027, 1, 4)
    assert working_day(dt.date(2026, 12, 25), step=-1) == dt.date(2026, 12, 23)
    assert working_day(dt.date(2026, 12, 23), avoid={dt.date(2026, 12, 23)}, step=-1) == dt.date(2026, 12, 22)


@pytest.mark.django_db
def test_demo_loaded_before_christmas_has_sessions_on_working_days_and_the_article_year(settings):
    settings.DEMO_MODE = True
    # Loaded on 5 December, the upcoming sessions' offsets fall on Christmas Day and New Year's Day.
    seed_demo(now=dt.datetime(2026, 12, 5, 10, tzinfo=PARIS))
    sessions = list(Session.objects.all())
    assert len(sessions) >= 10
    for session in sessions:
        start, end = timezone.localtime(session.starts_at, PARIS), timezone.localtime(session.ends_at, PARIS)
        assert is_working_day(start.date()), session
        assert start.hour >= 9 and end.hour <= 18 and start.date() == end.date(), session
    assert len({timezone.localtime(s.starts_at, PARIS).date() for s in sessions}) == len(sessions)
    for meeting in Meeting.objects.all():
        local = timezone.localtime(meeting.starts_at, meeting.timezone)
        assert local.weekday() < 5, meeting

    year = figures(2022)
    assert year["meetings"] == 174
    assert year["settlements"] == 3
    assert dict(Settlement.objects.values_list("prospect__name", "settled_on__year")) == {
        "Cognitus": 2022, "Ubiik": 2022, "Wattnow": 2022}
    assert Meeting.objects.filter(prospect__name="Cognitus", starts_at__year=2022).count() == 4
    this_year = YearTarget.objects.get(year=2026)
    assert all(getattr(this_year, name) > 0 for name in
               ("candidates", "sessions", "companies", "hires", "meetings", "settlements"))
    assert YearTarget.objects.get(year=2023).meetings == 400  # the article's target for 2023

    counts = (Session.objects.count(), Meeting.objects.count(), YearTarget.objects.count())
    seed_demo(now=dt.datetime(2026, 12, 5, 10, tzinfo=PARIS))
    assert (Session.objects.count(), Meeting.objects.count(), YearTarget.objects.count()) == counts
