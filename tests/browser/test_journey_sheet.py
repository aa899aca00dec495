"""The job-dating day on a phone: a recruiter fills two scorecards (one "offer") from their sheet, and the
coordinator sees the candidate's stage moved; with the network lost, what is typed waits on the phone and goes
when the network returns."""

import re

import pytest
from playwright.sync_api import expect

from candidates.models import Candidate
from matching.models import Scorecard
from matching.sheet_links import sheet_link_issue, sheet_link_token
from tescforce import roles
from tests import factories
from tests.matching.sheet_data import job_dating_day

from .journey_steps import Clicks, staff_login, tr
from .test_phone_layout import _measure

SAVE_TIMEOUT = 20_000  # ms: a debounced save, or a retry after the network returns


def _day():
    users = [factories.RecruiterFactory(company=factories.CompanyFactory(name=name),
                                        user__username=username).user
             for name, username in (("Capitole Logiciels", "recruteuse-alpha"), ("Lez Logiciels", "recruteur-beta"))]
    return job_dating_day(users[0].recruiter.company, users[1].recruiter.company, *users), users[0]


def _card(page, name: str):
    """The interview's card, opened."""
    card = page.locator("details.sheet-card", has=page.locator("summary", has_text=name))
    if not card.evaluate("details => details.open"):
        card.locator("summary").click()
    expect(card).to_have_attribute("open", "")
    return card


def _choose(card, label: str) -> None:
    card.locator("label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).click()


def _saved(card, lang: str):
    expect(card.locator("[data-save-state]")).to_have_attribute("data-kind", "saved", timeout=SAVE_TIMEOUT)
    expect(card.locator("[data-save-state]")).to_contain_text(tr("Enregistré", lang))


def _no_sideways_scroll(page) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner == 390, (width, inner)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_recruiter_fills_two_scorecards_on_a_phone_and_the_coordinator_sees_the_stage_moved(phone_journey, lang):
    day, recruiter = _day()
    page = phone_journey.page
    if lang == "fr":
        # From the link e-mailed with the agenda: no password.
        token = sheet_link_token(sheet_link_issue(agenda=day.agenda, recruiter=recruiter.recruiter))
        phone_journey.open(f"/pilotage/job-dating/fiche/{token}/", "sheet from the link")
    else:
        # Signed in: the desk leads to the sheet.
        recruiter.recruiter.language = "en"
        recruiter.recruiter.save()
        staff_login(phone_journey, recruiter, lang, Clicks())
        page.get_by_role("region", name=tr("Vos entretiens de job dating", lang)).get_by_role(
            "link", name="Job dating Python").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Mes entretiens", lang))
    _no_sideways_scroll(page)
    # Every card open: nothing wider than the phone at 320 and 390 px, every button and choice 44 px tall.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    problems = []
    _measure(phone_journey, "sheet", problems)
    assert not problems, problems
    page.set_viewport_size({"width": 390, "height": 844})

    alice = _card(page, "Alice Roques")
    _choose(alice, tr("4 – Correspond tout à fait", lang))
    alice.get_by_label(tr("Points forts", lang)).fill("Tests automatisés, Django")
    _choose(alice, tr("Proposition d'embauche", lang))
    alice.get_by_label(tr("Note", lang), exact=True).fill("Rappeler lundi pour le contrat")
    _saved(alice, lang)
    phone_journey.step("first scorecard saved")

    bruno = _card(page, "Bruno Haddad")
    _choose(bruno, tr("2 – Plutôt non", lang))
    _choose(bruno, tr("Non retenu·e", lang))
    _saved(bruno, lang)
    expect(page.locator(f'[data-summary="{day.a_bruno.pk}"]')).to_contain_text(tr("Non retenu·e", lang))
    phone_journey.step("second scorecard saved")
    _no_sideways_scroll(page)

    card = Scorecard.objects.get(interview=day.a_alice)
    assert (card.rating, card.next_step, card.strengths, card.note) == (
        4, "offer", "Tests automatisés, Django", "Rappeler lundi pour le contrat")
    assert card.updated_by == recruiter
    assert Scorecard.objects.get(interview=day.a_bruno).next_step == "not_retained"

    # The coordinator opens Alice's record: the stage moved, in the recruiter's name.
    coordinator = factories.UserFactory(username=f"coordinatrice-{lang}", groups=[roles.COORDINATORS])
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_login(phone_journey, coordinator, lang, Clicks())
    phone_journey.open(f"/admin/candidates/candidate/{day.alice.pk}/change/", "the coordinator opens the record")
    expect(page.locator(".field-stage")).to_contain_text(tr("En recrutement", lang))
    assert Candidate.objects.get(pk=day.alice.pk).stage == Candidate.Stage.IN_RECRUITMENT
    assert Candidate.objects.get(pk=day.bruno.pk).stage == Candidate.Stage.ORIENTED  # "not retained" moved nothing


def test_typing_offline_waits_on_the_phone_and_goes_when_the_network_returns(phone_journey):
    day, recruiter = _day()
    token = sheet_link_token(sheet_link_issue(agenda=day.agenda, recruiter=recruiter.recruiter))
    page = phone_journey.page
    phone_journey.open(f"/pilotage/job-dating/fiche/{token}/", "sheet")
    alice = _card(page, "Alice Roques")

    page.context.set_offline(True)
    expect(page.locator("#sheet-network")).to_be_visible()
    alice.get_by_label("Points forts").fill("Écrit sans réseau")
    _choose(alice, "Second entretien")
    state = alice.locator("[data-save-state]")
    expect(state).to_have_attribute("data-kind", re.compile("offline|retry"), timeout=SAVE_TIMEOUT)
    expect(state).to_contain_text("Non enregistré")
    phone_journey.step("offline: not saved, kept")
    draft = page.evaluate(f"localStorage.getItem('tf-scorecard-{day.session.pk}-{recruiter.recruiter.company_id}-"
                          f"{day.a_alice.pk}')")
    assert "Écrit sans réseau" in draft and "second_interview" in draft
    assert not Scorecard.objects.filter(interview=day.a_alice).exists()

    page.context.set_offline(False)
    _saved(alice, "fr")
    expect(page.locator("#sheet-network")).to_be_hidden()
    phone_journey.step("back online: saved")
    card = Scorecard.objects.get(interview=day.a_alice)
    assert (card.strengths, card.next_step) == ("Écrit sans réseau", "second_interview")
    assert page.evaluate(f"localStorage.getItem('tf-scorecard-{day.session.pk}-{recruiter.recruiter.company_id}-"
                         f"{day.a_alice.pk}')") is None

    # A draft left by a closed page goes when the sheet opens again.
    key = f"tf-scorecard-{day.session.pk}-{recruiter.recruiter.company_id}-{day.a_bruno.pk}"
    page.evaluate(f"""localStorage.setItem('{key}', JSON.stringify({{fields: {{note: "Laissé hors ligne"}},
                                                                     at: Date.now()}}))""")
    phone_journey.open(f"/pilotage/job-dating/fiche/{token}/", "sheet opened again")
    _saved(page.locator(f"#entretien-{day.a_bruno.pk}"), "fr")
    assert Scorecard.objects.get(interview=day.a_bruno).note == "Laissé hors ligne"
