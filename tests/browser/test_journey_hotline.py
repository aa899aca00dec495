"""A hotline agent finds a caller by the number they give, logs the call and finds the follow-up."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hotline.models import CallbackRequest, HotlineCall, RelocationRequest
from tescforce import roles
from tests import factories

from .journey_steps import LANGUAGES, Clicks, admin_login, field, staff_login, tr


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
    # The reader's short date: "10/12/2026" in French, "10 Dec 2026" in English (never 12/10 read the other way).
    expect(row).to_contain_text(due.strftime("%d/%m/%Y") if lang == "fr" else f"{due.day} {due:%b %Y}")
    journey.step("my follow-ups")


def test_on_a_phone_the_agent_reads_the_caller_s_whole_e_mail_and_number(phone_journey):
    agent = factories.UserFactory(username="hotline-phone", groups=[roles.HOTLINE])
    factories.CandidateFactory(first_name="Clémence", last_name="Giraud-Fontanilles", phone="+33639980140",
                               email="clemence.giraudfontanilles.040@example.org")
    phone_journey.login(agent)
    page = phone_journey.open("/pilotage/hotline/?q=fontanilles", "search on a phone")
    cell = page.get_by_role("region", name="Résultats").get_by_role("cell", name=re.compile("example.org"))
    expect(cell).to_contain_text("clemence.giraudfontanilles.040@example.org")
    box, width = cell.bounding_box(), page.viewport_size["width"]
    # Wrapped inside the screen, not cut off at its edge with the rest of the row to scroll to.
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)
    number = cell.get_by_text("06 39 98 01 40")
    expect(number).to_be_visible()
    assert number.bounding_box()["x"] + number.bounding_box()["width"] <= width



def test_on_a_phone_an_unregistered_caller_s_row_keeps_its_button_on_screen(phone_journey):
    """The callers who are not candidates and the call-back requests: each row a block on a phone, its action
    inside the screen (the table used to scroll sideways with « Noter un nouvel appel » off screen)."""
    agent = factories.UserFactory(username="hotline-phone", groups=[roles.HOTLINE])
    HotlineCall.objects.create(caller_name="Visiteur salon Lefranc", caller_contact="visiteur.lefranc@example.org",
                               topic=HotlineCall.Topic.RELOCATION, summary="Demande de la plaquette d'installation",
                               logged_by=agent)
    CallbackRequest.objects.create(name="Odile Lefranc", phone="+33639980141", email="odile.lefranc@example.org",
                                   topic=HotlineCall.Topic.RELOCATION)
    phone_journey.login(agent)
    page = phone_journey.open("/pilotage/hotline/?q=lefranc", "unregistered callers on a phone")
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for name in ("Noter un nouvel appel", "Traiter"):
        button = page.get_by_role("link", name=name, exact=True)
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box, width)
    contact = page.get_by_role("table", name="Appelants non inscrits").get_by_role("cell", name=re.compile("visiteur"))
    expect(contact).to_have_attribute("data-label", "Contact")
    box = contact.bounding_box()
    assert box["x"] + box["width"] <= width, (box, width)
    phone_journey.step("callers stacked")

@pytest.mark.parametrize("lang", LANGUAGES)
def test_hotline_agent_finds_a_misspelt_caller_and_opens_a_relocation_request(journey, lang):
    agent = factories.UserFactory(username=f"hotline-fuzzy-{lang}", first_name="Inès", last_name="Roussel",
                                  groups=[roles.HOTLINE])
    caller = factories.CandidateFactory(first_name="Marie", last_name="Roques", email="marie.r@example.org")
    relocation = RelocationRequest.objects.create(candidate=caller, need_housing=True, target_city="Albi")
    page = admin_login(journey, agent, lang, path="/pilotage/hotline/")

    # The caller spells her name; the agent types what she hears.
    page.get_by_label(tr("Nom, e-mail ou téléphone", lang)).fill("Rokes")
    page.get_by_role("button", name=tr("Chercher", lang), exact=True).click()
    results = page.get_by_role("region", name=tr("Résultats", lang))
    row = results.get_by_role("row", name=re.compile("Marie Roques"))
    expect(row).to_contain_text(tr("nom proche", lang))
    journey.step("misspelt name found")

    page.get_by_role("navigation", name=tr("Hotline", lang)).get_by_role(
        "link", name=tr("Installations", lang)).click()
    page.get_by_role("row", name=re.compile("Marie Roques")).get_by_role(
        "link", name=tr("Ouvrir la demande", lang)).click()
    expect(page.get_by_label(field("Suivie par", lang))).to_have_value(str(agent.pk))
    page.get_by_label(field("Transports", lang)).check()
    page.get_by_role("button", name=tr("Enregistrer", lang), exact=True).click()
    expect(page.get_by_text(tr("Demande mise à jour.", lang))).to_be_visible()
    journey.step("relocation request updated")
    relocation.refresh_from_db()
    assert relocation.owner == agent and relocation.need_housing and relocation.need_transport
