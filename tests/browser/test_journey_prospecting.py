"""A prospecting officer logs a meeting from the agenda: the time zone comes from the company's country,
by city; choosing another company takes that company's zone and campaign; the meeting shows in the agenda."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from prospecting.models import Meeting, ProspectingCampaign
from tescforce import roles
from tests import factories

from .journey_steps import LANGUAGES, admin_login, field, pick_autocomplete, tr


@pytest.mark.parametrize("lang", LANGUAGES)
def test_officer_logs_a_meeting_in_the_companys_time_zone_and_finds_it_in_the_agenda(journey, lang):
    officer = factories.UserFactory(username=f"officer-{lang}", first_name="Paul", last_name="Martel",
                                    groups=[roles.PROSPECTING])
    texas = ProspectingCampaign.objects.create(name="Texas", countries=["US"], starts_on=dt.date(2030, 1, 1),
                                               ends_on=dt.date(2030, 12, 31))
    taiwan = ProspectingCampaign.objects.create(name="Computex", countries=["TW"], starts_on=dt.date(2030, 1, 1),
                                                ends_on=dt.date(2030, 12, 31))
    factories.ProspectFactory(name="Cognitus", country="US", owner=officer, campaign=texas)
    ubiik = factories.ProspectFactory(name="Ubiik", country="TW", owner=officer, campaign=taiwan)

    page = admin_login(journey, officer, lang, path="/pilotage/prospection/agenda/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Mon agenda de prospection", lang))
    page.get_by_role("link", name=tr("Consigner un rendez-vous", lang)).click()
    company = field("entreprise", lang)
    pick_autocomplete(page, company, "Cognitus", re.compile("Cognitus"))
    zone = page.get_by_label(field("Fuseau horaire du rendez-vous", lang))
    expect(zone.locator("option", has_text=tr("Chicago (heure du centre nord-américain)", lang)
                        if lang == "fr" else "Chicago (Central Time)")).to_have_count(1)
    journey.step("zones named by city")

    # Another company: its country's main zone and its campaign, not the first one's.
    pick_autocomplete(page, company, "Ubiik", re.compile("Ubiik"))
    expect(zone).to_have_value("")
    page.get_by_label(field("Date (heure locale du rendez-vous)", lang)).fill("2030-03-10")
    page.get_by_label(field("Heure locale", lang)).fill("15:00")
    page.get_by_label(field("lieu", lang)).fill("Taipei 101")
    journey.step("meeting form filled")
    page.locator("[name=_save]").click()
    expect(page.locator(".errornote")).to_have_count(0)
    meeting = Meeting.objects.get()
    assert (meeting.prospect, str(meeting.timezone), meeting.campaign) == (ubiik, "Asia/Taipei", taiwan)
    assert meeting.starts_at == dt.datetime(2030, 3, 10, 7, 0, tzinfo=dt.UTC)

    journey.open("/pilotage/prospection/agenda/?period=upcoming", "agenda")
    item = page.get_by_role("listitem").filter(has_text="Ubiik")
    expect(item).to_contain_text("15:00 " + tr("à", lang) if lang == "fr" else "15:00 at Taipei")
    expect(item).to_contain_text("Computex")
    journey.step("meeting in the agenda")
