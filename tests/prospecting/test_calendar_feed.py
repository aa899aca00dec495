"""The officer's private calendar address: created, read by a calendar app without login, renewed, revoked."""

import datetime as dt
import html as html_lib

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from prospecting.models import CalendarFeed, Meeting

pytestmark = pytest.mark.django_db
PAGE = "/pilotage/prospection/agenda/"


@pytest.fixture
def upcoming(prospect, prospecting_officer):
    return Meeting.objects.create(prospect=prospect, officer=prospecting_officer, place="Taipei 101",
                                  timezone="Asia/Taipei", starts_at=timezone.now() + dt.timedelta(days=3))


def _feed_url(page_html: str) -> str:
    start = page_html.index('id="feed-url" type="text" value="') + len('id="feed-url" type="text" value="')
    url = page_html[start:page_html.index('"', start)]
    return url.removeprefix("http://testserver")


def test_officer_creates_an_address_a_calendar_app_reads_without_login(client_for, prospecting_officer, upcoming):
    client = client_for(prospecting_officer)
    page = html_lib.unescape(client.get(PAGE).content.decode())
    assert "Créer mon adresse d'abonnement" in page
    response = client.post(PAGE, {"action": "create"}, follow=True)
    html = html_lib.unescape(response.content.decode())
    assert "Votre adresse d'abonnement est prête." in html
    url = _feed_url(html)
    feed = Client().get(url)  # a calendar app: no session, no cookie
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert feed["Cache-Control"] == "private, no-store"
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["location"]) for e in events] == ["Taipei 101"]
    assert CalendarFeed.objects.get(user=prospecting_officer).last_read_at is not None
    assert "Dernière lecture par un agenda" in client.get(PAGE).content.decode()


def test_renewing_closes_the_old_address_and_revoking_closes_all(client_for, prospecting_officer, upcoming):
    client = client_for(prospecting_officer)
    old = _feed_url(client.post(PAGE, {"action": "create"}, follow=True).content.decode())
    new = _feed_url(client.post(PAGE, {"action": "renew"}, follow=True).content.decode())
    assert old != new
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    html = html_lib.unescape(client.post(PAGE, {"action": "revoke"}, follow=True).content.decode())
    assert "Adresse révoquée" in html and "Créer mon adresse d'abonnement" in html
    assert Client().get(new).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_a_stale_or_unknown_action_changes_nothing(client_for, prospecting_officer):
    client = client_for(prospecting_officer)
    # Nothing to revoke yet.
    html = html_lib.unescape(client.post(PAGE, {"action": "revoke"}, follow=True).content.decode())
    assert "Cette action n'est pas possible" in html
    client.post(PAGE, {"action": "create"})
    token = CalendarFeed.objects.get().token
    client.post(PAGE, {"action": "create"})  # a second tab: keeps the address
    client.post(PAGE, {"action": "delete-everything"})
    assert CalendarFeed.objects.get().token == token


def test_a_disabled_account_or_a_lost_role_closes_the_address(client_for, prospecting_officer, upcoming):
    client_for(prospecting_officer).post(PAGE, {"action": "create"})
    url = f"{PAGE}{CalendarFeed.objects.get().token}.ics"
    assert Client().get(url).status_code == 200
    prospecting_officer.groups.clear()
    assert Client().get(url).status_code == 404
    prospecting_officer.is_active = False
    prospecting_officer.save()
    assert Client().get(url).status_code == 404


@pytest.mark.parametrize("who", ["recruiter_a", "hotline_agent"])
def test_recruiters_and_hotline_get_no_calendar_page(client_for, request, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"action": "create"}).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_the_page_speaks_english(client_for, prospecting_officer):
    client = client_for(prospecting_officer)
    client.cookies["django_language"] = "en"
    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Create my subscription address" in html


def test_the_dashboard_leads_officers_to_their_calendar(client_for, prospecting_officer):
    client = client_for(prospecting_officer)
    assert f'href="{PAGE}"' in client.get("/pilotage/").content.decode()
    client.cookies["django_language"] = "en"
    assert "My prospecting calendar" in client.get("/pilotage/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_each_meeting_is_written_in_its_own_zone_and_its_sequence_grows_with_each_change(
        client_for, prospecting_officer, upcoming, prospect, settings):
    settings.SITE_URL = "https://tescforce.example"
    paris = Meeting.objects.create(prospect=prospect, officer=prospecting_officer, place="Toulouse",
                                   starts_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=4))
    client = client_for(prospecting_officer)
    cal = Calendar.from_ical(client.get("/pilotage/prospection/agenda.ics").content)
    assert sorted(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")) == ["Asia/Taipei", "Europe/Paris"]
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    ours = events[f"meeting-{paris.pk}@tescforce.example"]
    assert ours["DTSTART"].params["TZID"] == "Europe/Paris" and ours.decoded("DTSTART") == paris.starts_at
    assert events[f"meeting-{upcoming.pk}@tescforce.example"]["DTSTART"].params["TZID"] == "Asia/Taipei"
    assert ours.decoded("SEQUENCE") == 0 and "DTSTAMP" in ours

    paris.starts_at += dt.timedelta(hours=2)
    paris.save()
    cal = Calendar.from_ical(client.get("/pilotage/prospection/agenda.ics").content)
    moved = next(e for e in cal.walk("VEVENT") if str(e["UID"]) == f"meeting-{paris.pk}@tescforce.example")
    assert moved.decoded("SEQUENCE") == 1 and moved.decoded("DTSTART") == paris.starts_at
