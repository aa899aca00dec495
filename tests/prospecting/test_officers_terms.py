"""Prospecting in the officer's terms: time zones by city, campaigns inherited, errors once, the agenda page."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from prospecting import selectors
from prospecting.models import Meeting, ProspectingCampaign

from .. import factories
from .conftest import past_meeting
from .test_admin import meeting_data

ADD = "/admin/prospecting/meeting/add/"
AGENDA = "/pilotage/prospection/agenda/"


def _timezone_options(html: str) -> list[tuple[str, str]]:
    select = re.search(r'<select name="timezone".*?</select>', html, re.S).group()
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def _future_data(prospect, **kwargs) -> dict:
    day = (timezone.now() + dt.timedelta(days=10)).date().isoformat()
    return meeting_data(prospect, local_date=day, **kwargs)


@pytest.fixture
def us_prospect(prospecting_officer):
    return factories.ProspectFactory(name="Cognitus", country="US", city="Houston", owner=prospecting_officer)


@pytest.mark.django_db
def test_time_zone_is_preset_from_the_prospects_country_and_named_by_city_in_french(
        client_for, prospecting_officer, us_prospect):
    response = client_for(prospecting_officer).get(ADD, {"prospect": us_prospect.pk})
    assert response.context["adminform"].form.initial["timezone"] == "America/New_York"
    html = response.content.decode()
    options = _timezone_options(html)
    values = [value for value, _label in options]
    # The country's zones first, right after the "country's main zone" choice, then the rest: a short list.
    assert values[1:4] == ["America/New_York", "America/Chicago", "America/Denver"]
    assert len(options) < 160
    labels = dict(options)
    assert labels["America/Chicago"] == "Chicago (heure du centre nord-américain)"
    assert labels["Europe/London"] == "Londres (heure britannique)"
    assert "America/Indiana/Knox" not in labels  # same clock as Chicago: one entry is enough
    assert '<optgroup label="États-Unis">' in html and '<optgroup label="Europe">' in html
    assert 'value="America/New_York" selected' in html


@pytest.mark.django_db
def test_time_zone_labels_follow_the_users_language(client_for, prospecting_officer, prospect):
    client = client_for(prospecting_officer)
    response = client.get(ADD, {"prospect": prospect.pk}, HTTP_ACCEPT_LANGUAGE="en")
    labels = dict(_timezone_options(response.content.decode()))
    assert response.context["adminform"].form.initial["timezone"] == "Asia/Taipei"
    assert labels["Asia/Taipei"] == "Taipei"
    assert labels["America/Chicago"] == "Chicago (Central Time)"
    assert labels["Europe/London"] == "London (British Time)"


@pytest.mark.django_db
def test_a_meeting_left_on_the_countrys_zone_takes_the_prospects_main_zone(client_for, prospecting_officer, prospect):
    response = client_for(prospecting_officer).post(ADD, meeting_data(prospect, timezone=""))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert str(meeting.timezone) == "Asia/Taipei"
    assert meeting.starts_at == dt.datetime(2026, 3, 10, 7, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_an_unknown_time_zone_is_refused_with_a_message(client_for, prospecting_officer, prospect):
    response = client_for(prospecting_officer).post(ADD, meeting_data(prospect, timezone="Mars/Olympus"))
    assert response.status_code == 200
    assert "timezone" in response.context["adminform"].form.errors
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_editing_a_meeting_keeps_a_zone_outside_the_short_list(client_for, prospecting_officer, us_prospect):
    meeting = Meeting.objects.create(prospect=us_prospect, starts_at=timezone.now() - dt.timedelta(days=1),
                                     timezone="America/Indiana/Marengo", place="Marengo")
    html = client_for(prospecting_officer).get(f"/admin/prospecting/meeting/{meeting.pk}/change/").content.decode()
    assert 'value="America/Indiana/Marengo" selected' in html


@pytest.mark.django_db
def test_a_meeting_without_campaign_takes_its_prospects_and_counts_in_its_figures(
        client_for, prospecting_officer, prospect, campaign):
    response = client_for(prospecting_officer).post(ADD, meeting_data(prospect, campaign=""))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.campaign == campaign
    figures = selectors.figures(2026, campaign=campaign)
    assert figures["meetings"] == 1


@pytest.mark.django_db
def test_a_campaign_chosen_by_hand_is_kept(client_for, prospecting_officer, prospect):
    other = ProspectingCampaign.objects.create(name="CES Las Vegas", starts_on=dt.date(2026, 1, 6),
                                               ends_on=dt.date(2026, 1, 9))
    client_for(prospecting_officer).post(ADD, meeting_data(prospect, campaign=other.pk))
    assert Meeting.objects.get().campaign == other


@pytest.mark.django_db
def test_the_data_migration_gives_existing_meetings_their_prospects_campaign(prospect, campaign):
    without = past_meeting(prospect, campaign=None)
    other_campaign = ProspectingCampaign.objects.create(name="CES", starts_on=dt.date(2026, 1, 6),
                                                        ends_on=dt.date(2026, 1, 9))
    chosen = past_meeting(prospect, campaign=other_campaign)
    orphan = past_meeting(factories.ProspectFactory(campaign=None), campaign=None)
    migration = importlib.import_module("prospecting.migrations.0006_meeting_campaign_from_prospect")

    migration.inherit_campaign(apps, None)

    assert Meeting.objects.get(pk=without.pk).campaign == campaign
    assert Meeting.objects.get(pk=chosen.pk).campaign == other_campaign
    assert Meeting.objects.get(pk=orphan.pk).campaign is None


@pytest.mark.django_db
def test_each_error_is_shown_once(client_for, prospecting_officer, prospect):
    response = client_for(prospecting_officer).post(ADD, _future_data(
        prospect, outcome="positive", next_step="", next_step_due="2030-01-01"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Un rendez-vous à venir ne peut pas encore avoir de résultat.") == 1
    assert html.count("Décrivez la prochaine étape qui a une échéance.") == 1
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_a_past_online_meeting_needs_no_video_link(client_for, prospecting_officer, prospect):
    response = client_for(prospecting_officer).post(ADD, meeting_data(
        prospect, is_online="on", place="", online_url="", outcome="follow_up"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Meeting.objects.get().is_online


@pytest.mark.django_db
def test_a_future_online_meeting_still_needs_its_link(client_for, prospecting_officer, prospect):
    client = client_for(prospecting_officer)
    response = client.post(ADD, _future_data(prospect, is_online="on", place="", online_url=""))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["online_url"] == ["Indiquez le lien d'un rendez-vous en ligne."]
    assert not Meeting.objects.exists()
    response = client.post(ADD, _future_data(prospect, is_online="on", place="", online_url="visio.example.com/x"))
    assert response.status_code == 302


# The agenda page


@pytest.fixture
def team_meetings(prospecting_officer, prospect, campaign):
    """Meetings of two officers, in two countries, past and upcoming."""
    colleague = factories.UserFactory(username="collegue", first_name="Paul", last_name="Collègue",
                                      groups=["Chargés de prospection"])
    us = factories.ProspectFactory(name="Cognitus", country="US", owner=colleague)
    now = timezone.now()
    return {
        "mine_past": past_meeting(prospect, starts_at=now - dt.timedelta(days=3), outcome="positive"),
        "mine_upcoming": past_meeting(prospect, starts_at=now + dt.timedelta(days=2)),
        "mine_old": past_meeting(prospect, starts_at=now - dt.timedelta(days=90), outcome="negative"),
        "colleague_upcoming": Meeting.objects.create(prospect=us, officer=colleague, place="Houston",
                                                     starts_at=now + dt.timedelta(days=5),
                                                     timezone="America/Chicago"),
        "colleague": colleague,
    }


def _listed(response) -> set[int]:
    return {m.pk for m in response.context["meetings"]}


@pytest.mark.django_db
def test_agenda_lists_my_recent_and_upcoming_meetings_by_default(client_for, prospecting_officer, team_meetings):
    response = client_for(prospecting_officer).get(AGENDA)
    assert response.status_code == 200
    assert _listed(response) == {team_meetings["mine_past"].pk, team_meetings["mine_upcoming"].pk}
    html = response.content.decode()
    assert "Ubiik" in html and "Compte rendu à compléter" not in html
    assert "Télécharger mes rendez-vous (.ics)" in html and "S'abonner depuis votre agenda" in html


@pytest.mark.django_db
def test_agenda_filters_by_officer_campaign_country_and_period(client_for, prospecting_officer, team_meetings,
                                                               campaign):
    client = client_for(prospecting_officer)
    t = team_meetings
    assert _listed(client.get(AGENDA, {"officer": "all", "period": "all"})) == {
        t["mine_past"].pk, t["mine_upcoming"].pk, t["mine_old"].pk, t["colleague_upcoming"].pk}
    assert _listed(client.get(AGENDA, {"officer": t["colleague"].pk, "period": "all"})) == {t["colleague_upcoming"].pk}
    assert _listed(client.get(AGENDA, {"officer": "all", "period": "all", "campaign": campaign.pk})) == {
        t["mine_past"].pk, t["mine_upcoming"].pk, t["mine_old"].pk}
    assert _listed(client.get(AGENDA, {"officer": "all", "period": "all", "country": "US"})) == {
        t["colleague_upcoming"].pk}
    assert _listed(client.get(AGENDA, {"officer": "all", "period": "upcoming"})) == {
        t["mine_upcoming"].pk, t["colleague_upcoming"].pk}
    past = client.get(AGENDA, {"period": "past"})
    assert [m.pk for m in past.context["meetings"]] == [t["mine_past"].pk, t["mine_old"].pk]  # latest first
    html = client.get(AGENDA, {"officer": "all", "country": "US"}).content.decode()
    assert "à Chicago" in html  # local time named by its city


@pytest.mark.django_db
def test_agenda_ignores_a_bad_filter_with_a_message(client_for, prospecting_officer, team_meetings):
    response = client_for(prospecting_officer).get(AGENDA, {"campaign": "999999", "period": "nonsense"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"campaign", "period"}
    assert _listed(response) == {team_meetings["mine_past"].pk, team_meetings["mine_upcoming"].pk}


@pytest.mark.django_db
def test_agenda_is_in_english_for_english_readers(client_for, prospecting_officer, team_meetings):
    html = client_for(prospecting_officer).get(AGENDA, {"officer": "all"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Upcoming" in html and "Whole team" in html and "at Chicago" in html


@pytest.mark.django_db
def test_coordinators_read_the_agenda_without_the_add_button(client_for, coordinator, team_meetings):
    response = client_for(coordinator).get(AGENDA, {"officer": "all"})
    assert response.status_code == 200
    assert team_meetings["colleague_upcoming"].pk in _listed(response)
    assert "/admin/prospecting/meeting/add/" not in response.content.decode()


@pytest.mark.django_db
def test_who_must_not_see_the_agenda(client, client_for, hotline_agent, recruiter_a, team_meetings):
    assert client.get(AGENDA).status_code == 302  # anonymous: to the login page
    assert client_for(hotline_agent).get(AGENDA).status_code == 403
    # A recruiter given the officers' role by mistake still sees no prospect's meeting.
    recruiter_a.groups.add(*factories.UserFactory(username="officer-role", groups=["Chargés de prospection"])
                           .groups.all())
    response = client_for(recruiter_a).get(AGENDA, {"officer": "all"})
    assert response.status_code == 403 and b"Cognitus" not in response.content


@pytest.mark.django_db
def test_agenda_queries_do_not_grow_with_the_meetings(client_for, prospecting_officer, prospect):
    client = client_for(prospecting_officer)
    filters = {"officer": "all", "period": "upcoming"}
    past_meeting(prospect, starts_at=timezone.now() + dt.timedelta(days=1))
    client.get(AGENDA, filters)
    with CaptureQueriesContext(connection) as one:
        client.get(AGENDA, filters)
    for n in range(30):
        past_meeting(factories.ProspectFactory(country="US", campaign=None),
                     starts_at=timezone.now() + dt.timedelta(days=n + 2))
    with CaptureQueriesContext(connection) as many:
        response = client.get(AGENDA, filters)
    assert len(response.context["meetings"]) == 25 and response.context["page"].has_next()
    assert len(many) == len(one) <= 22


@pytest.mark.django_db
def test_agenda_shows_paris_time_and_the_meetings_own_local_time(client_for, prospecting_officer, prospect):
    past_meeting(prospect, starts_at=dt.datetime(2030, 7, 10, 3, 0, tzinfo=dt.UTC), timezone="America/Chicago")
    html = client_for(prospecting_officer).get(AGENDA, {"period": "upcoming"}).content.decode()
    assert "05:00" in html  # Paris, summer time
    assert "22:00 à Chicago (mar 9 juil.)" in html  # the evening before, over there
