"""A hotline agent finds a caller by the number they give, logs the call and finds the follow-up."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hotline.models import HotlineCall
from tescforce import roles
from tests import factories

from .journey_steps import LANGUAGES, Clicks, field, staff_login, tr


@pytest.mark.parametrize("lang", LANGUAGES)
def test_hotline_agent_finds_a_caller_by_phone_logs_a_call_and_sees_the_follow_up(journey, lang):
    agent = factories.UserFactory(username=f"hotline-{lang}", first_name="Inès", last_name="Roussel",
                                  groups=[roles.HOTLINE])
    caller = factories.CandidateFactory(first_name="Jeanne", last_name="Rivière", phone="+33645871236",
                                        email="jeanne.riviere@example.org")
    factories.CandidateFactory(first_name="Paul", last_name="Rivière", phone="+33700000000")
    # Signed in at the admin, the agent lands on the desk, which leads to the console.
    clicks = Clicks()
    page = staff_login(journey, agent, lang, clicks)
    journey.step("desk")
    clicks.click(page.get_by_role("region", name=tr("Hotline : à traiter aujourd'hui", lang)).get_by_role(
        "link", name=tr("Trouver un appelant", lang)))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Hotline", lang))

    # The caller reads their number with dots; it is stored in the international format.
    page.get_by_label(tr("Nom, e-mail ou téléphone", lang)).fill("06.45.87.12.36")
    clicks.click(page.get_by_role("button", name=tr("Chercher", lang), exact=True))
    results = page.get_by_role("region", name=tr("Résultats", lang))
    expect(results.get_by_role("link", name="Jeanne Rivière")).to_be_visible()
    expect(results.get_by_role("link", name="Paul Rivière")).to_have_count(0)
    journey.step("found by phone")
    clicks.click(results.get_by_role("link", name="Jeanne Rivière"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Jeanne Rivière")

    clicks.click(page.get_by_role("link", name=tr("Noter un appel", lang), exact=True))
    clicks.select(page.get_by_label(field("Sujet", lang)), label=tr("Recherche d'emploi", lang))
    page.get_by_label(field("Résumé", lang)).fill("Cherche un poste de technicienne support à Albi.")
    due = timezone.localdate() + dt.timedelta(days=3)
    page.get_by_label(field("Relance le", lang)).fill(due.isoformat())
    clicks.select(page.get_by_label(field("Relance par", lang)), label="Inès Roussel")
    journey.step("call form filled")
    clicks.click(page.get_by_role("button", name=tr("Enregistrer l'appel", lang)))
    assert clicks.count <= 8, clicks.count  # from signing in to the call saved
    expect(page.get_by_text(tr("Appel enregistré.", lang))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jeanne Rivière")
    journey.step("call saved")
    call = HotlineCall.objects.get(candidate=caller)
    assert (call.topic, call.follow_up_due, call.follow_up_owner) == (HotlineCall.Topic.JOB_SEARCH, due, agent)

    page.get_by_role("navigation", name=tr("Hotline", lang)).get_by_role(
        "link", name=re.compile(re.escape(tr("Mes relances", lang)))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Mes relances", lang))
    row = page.get_by_role("row", name=re.compile("Jeanne Rivière"))
    expect(row).to_contain_text(tr("Recherche d'emploi", lang))
    expect(row).to_contain_text("technicienne support")
    expect(row).to_contain_text(due.strftime("%d/%m/%Y"))
    journey.step("my follow-ups")
