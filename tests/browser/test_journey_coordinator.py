"""A coordinator creates a session in the admin, then welcomes people at its check-in desk."""

import datetime as dt
import re

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from candidates import wording
from events.models import Registration, Session, SessionCompany
from tescforce import roles
from tests import factories

from .journey_steps import LANGUAGES, Clicks, admin_login, field, pick_autocomplete, staff_login, tr


def fill_admin_datetime(page, label, language: str, time: str) -> None:
    """The admin's date and time boxes of one field (today), as typed in the language's date format."""
    with translation.override(language):
        date_format = formats.get_format("DATE_INPUT_FORMATS")[0]
    # Django's admin gives the date and time boxes no label of their own: they follow the field's label.
    boxes = page.get_by_text(label).locator("xpath=..").get_by_role("textbox")
    boxes.nth(0).fill(timezone.localdate().strftime(date_format))
    boxes.nth(1).fill(time)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_coordinator_creates_a_session_and_checks_people_in(journey, lang):
    coordinator = factories.UserFactory(username=f"coordinatrice-{lang}", groups=[roles.COORDINATORS])
    factories.EditionFactory()
    title = f"Job dating Rodez ({lang})"
    page = admin_login(journey, coordinator, lang)

    # Signed in, the coordinator is on the desk; the admin is one link away. The session's add page from there.
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Mon bureau", lang))
    page.get_by_role("main").get_by_role("link", name=tr("Administration", lang), exact=True).click()
    page.get_by_role("link", name=re.compile(rf"^{re.escape(tr('sessions', lang))}$", re.I)).first.click()
    page.get_by_role("link", name=re.compile(re.escape(tr("Add %(name)s", lang) % {
        "name": tr("session", lang)}), re.I)).click()
    # The add form focuses its first field once its scripts ran: typing before that would land there.
    page.wait_for_load_state("load")
    pick_autocomplete(page, field("édition", lang), "2e", re.compile("2e"))
    page.get_by_label(field("titre", lang)).fill(title)
    page.get_by_label(field("format", lang)).select_option(label=tr("Job dating", lang))
    page.get_by_label(field("ville", lang)).fill("Rodez")
    fill_admin_datetime(page, field("début", lang), lang, "00:05")
    fill_admin_datetime(page, field("fin", lang), lang, "23:55")
    page.get_by_label(field("places", lang)).fill("30")
    journey.step("session filled")
    page.get_by_role("button", name=re.compile(rf"^{re.escape(tr('Save', lang))}$", re.I)).click()
    expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    journey.step("session saved")
    session = Session.objects.get(title=title)
    assert session.capacity == 30 and session.city == "Rodez"

    # Two people book it.
    factories.RegistrationFactory(session=session, candidate=factories.CandidateFactory(
        first_name="Nadia", last_name="Benali"))
    factories.RegistrationFactory(session=session, candidate=factories.CandidateFactory(
        first_name="Hugo", last_name="Marty"))

    # To the check-in desk: the admin's header leads to the staff desk, which lists the tools.
    page.get_by_role("navigation", name=tr("Outils du pilotage", lang)).get_by_role(
        "link", name=tr("Mon bureau", lang)).click()
    page.get_by_role("main").get_by_role("navigation", name=tr("Outils du pilotage", lang)).get_by_role(
        "link", name=tr("Accueil des sessions", lang)).click()
    page.get_by_role("link", name=re.compile(re.escape(title))).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    count = page.get_by_role("status").filter(has=page.locator("[data-count]"))
    expect(count).to_have_text(re.compile(r"^\s*0\D+2\D+0\D*$"))
    journey.step("check-in desk")

    # The list narrows as the name is typed; one tap marks the person present and the count follows.
    page.get_by_label(tr("Rechercher par nom", lang)).fill("benali")
    present = page.get_by_role("button", name=re.compile(rf"^{re.escape(tr('Présent·e', lang))}"))
    expect(present).to_have_count(1)
    expect(page.get_by_role("button", name=re.compile("Hugo Marty"))).to_be_hidden()
    journey.step("searched")
    present.click()
    expect(count).to_have_text(re.compile(r"^\s*1\D+2\D+0\D*$"))
    # Once marked, the row's button turns into its undo: a tap by mistake is undone at once.
    expect(present).to_have_count(0)
    undo = page.get_by_role("button", name=re.compile(rf"^{re.escape(tr('Annuler le pointage', lang))}.*Benali"))
    expect(undo).to_be_visible()
    journey.step("marked present")
    assert Registration.objects.get(session=session, candidate__last_name="Benali").status == "attended"
    undo.click()
    expect(count).to_have_text(re.compile(r"^\s*0\D+2\D+0\D*$"))
    assert Registration.objects.get(session=session, candidate__last_name="Benali").status == "confirmed"
    present.click()
    expect(count).to_have_text(re.compile(r"^\s*1\D+2\D+0\D*$"))

    # Someone who did not book: registered and checked in on the spot.
    walk_in = page.get_by_role("region", name=tr("Inscrire une personne sur place", lang))
    walk_in.get_by_label(field("Prénom", lang)).fill("Sami")
    walk_in.get_by_label(field("Nom", lang)).fill("Ferrand")
    walk_in.get_by_label(field("E-mail", lang)).fill(f"sami.{lang}@example.org")
    walk_in.get_by_label(tr(str(wording.PROCESSING_TEXT), lang)).check()
    walk_in.get_by_role("button", name=tr("Inscrire et pointer présent·e", lang)).click()
    # Two present out of the two who booked, one of the present came without booking.
    expect(count).to_have_text(re.compile(r"^\s*2\D+2\D+1\D*$"))
    journey.step("walk-in registered")
    walk = Registration.objects.get(session=session, candidate__email=f"sami.{lang}@example.org")
    assert walk.walk_in and walk.status == "attended"


MAX_CLICKS_FOR_A_NEW_SESSION = 6  # the target: a new session from an old one in at most 6 clicks


def fill_admin_date(page, label, language: str, day) -> None:
    with translation.override(language):
        date_format = formats.get_format("DATE_INPUT_FORMATS")[0]
    page.get_by_text(label).locator("xpath=..").get_by_role("textbox").nth(0).fill(day.strftime(date_format))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_coordinator_makes_a_new_session_from_an_old_one_in_six_clicks(journey, lang):
    coordinator = factories.UserFactory(username=f"coord-copie-{lang}", groups=[roles.COORDINATORS])
    old = factories.SessionFactory(title=f"Job dating Albi ({lang})", programme_text="9 h accueil")
    company = factories.CompanyFactory(name="Tarn Numérique")
    SessionCompany.objects.create(session=old, company=company, interview_slots=5)
    clicks = Clicks()
    page = staff_login(journey, coordinator, lang, clicks)
    clicks.click(page.get_by_role("region", name=tr("Prochaines sessions", lang)).get_by_role(
        "link", name=tr("Toutes les sessions", lang)))
    clicks.click(page.get_by_role("link", name=old.title, exact=True))
    clicks.click(page.get_by_role("button", name=tr("Dupliquer", lang), exact=True))
    copy = Session.objects.exclude(pk=old.pk).get()
    journey.step("copy opened")
    new_day = timezone.localdate(old.starts_at) + dt.timedelta(days=21)
    fill_admin_date(page, field("début", lang), lang, new_day)
    fill_admin_date(page, field("fin", lang), lang,
                    new_day + (timezone.localdate(old.ends_at) - timezone.localdate(old.starts_at)))
    clicks.check(page.get_by_label(field("publiée", lang)))
    clicks.click(page.get_by_role("button", name=re.compile(rf"^{re.escape(tr('Save', lang))}$", re.I)))
    expect(page.get_by_role("link", name=copy.title, exact=True)).to_be_visible()
    journey.step("copy published")
    copy.refresh_from_db()
    assert copy.is_published and timezone.localdate(copy.starts_at) == new_day
    assert copy.company_participations.get().interview_slots == 5 and copy.programme_text == "9 h accueil"
    assert clicks.count <= MAX_CLICKS_FOR_A_NEW_SESSION, clicks.count


def test_on_a_phone_a_suggested_candidate_s_row_keeps_its_orient_button_on_screen(phone_journey):
    """The coordinator's suggestions for a posting: each row a block on a phone, the score and the person under
    their labels, the explanation readable and « Orienter » inside the screen (four columns used to squeeze it
    off the right edge)."""
    from matching.models import Match

    coordinator = factories.UserFactory(username="coordinatrice-phone", groups=[roles.COORDINATORS])
    posting = factories.JobPostingFactory(title="Développeuse Java / Spring")
    candidate = factories.CandidateFactory(first_name="Lina", last_name="Barthe")
    factories.give_consent(candidate)
    Match.objects.update_or_create(candidate=candidate, posting=posting, defaults={
        "score": 76, "for_posting": True, "explanation": {"v": 2, "pts": [29, 15, 15, 0, 10, 4, 3]}})
    phone_journey.login(coordinator)
    page = phone_journey.open(f"/pilotage/rapprochements/offre/{posting.pk}/", "suggestions on a phone")
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    button = page.get_by_role("button", name=re.compile("^Orienter"))
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)
    expect(page.get_by_role("cell", name=re.compile("76"))).to_have_attribute("data-label", "Score")
    person = page.locator("td", has=page.get_by_role("link", name="Lina Barthe"))
    expect(person).to_have_attribute("data-label", "Candidat·e")
    page.get_by_text("Pourquoi ce score ?", exact=True).click()
    expect(page.get_by_text("Métier recherché")).to_be_visible()
    phone_journey.step("suggestions stacked")
