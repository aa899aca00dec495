"""The whole booking journey with the keyboard alone, for a candidate the site already knows."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from events.models import Registration
from tests import factories

from .journey_steps import LANGUAGES, link_from_email, tr

MAX_TABS = 40


def tab_to(page, target) -> int:
    """Press Tab until `target` has the focus; every element met on the way must be visible. Return the count."""
    for count in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        # Focus never lands on something out of sight (a hidden field, a folded menu).
        assert page.evaluate("() => { const box = document.activeElement.getBoundingClientRect();"
                             " return box.width > 0 && box.height > 0; }"), f"focus lost after {count} Tab"
        if target.evaluate("element => element === document.activeElement"):
            return count
    raise AssertionError(f"{target} never got the focus in {MAX_TABS} presses of Tab")


def skip_to_content(page, lang: str) -> None:
    """The first Tab reaches the skip link; Enter puts the focus at the start of the main content."""
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name=tr("Aller au contenu", lang))).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keyboard_only_booking_journey_of_a_known_candidate(journey, lang):
    candidate = factories.CandidateFactory(first_name="Yanis", email=f"yanis.{lang}@example.org")
    factories.SessionFactory(title="Atelier CV Perpignan", city="Perpignan")
    session = factories.SessionFactory(title="Job dating Sète", title_en="Job dating Sète", city="Sète")
    page = journey.open(f"/{lang}/sessions/", "sessions list")

    skip_to_content(page, lang)
    link = page.get_by_role("link", name=re.compile("Job dating Sète"))
    tab_to(page, link.first)
    journey.step("session link focused")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Job dating Sète")

    skip_to_content(page, lang)
    email = page.get_by_label(tr("Votre e-mail", lang))
    tab_to(page, email)
    page.keyboard.type(candidate.email)
    # The next stop is the button: the hidden anti-robot field is out of the tab order.
    page.keyboard.press("Tab")
    book = page.get_by_role("button", name=tr("Réserver une place", lang))
    expect(book).to_be_focused()
    journey.step("booking form filled")
    sent = len(mail.outbox)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Vérifiez votre boîte mail", lang))
    journey.step("link sent")

    journey.open(link_from_email(candidate.email, "/sessions/reservation/", sent), "booking link")
    confirm = page.get_by_role("button", name=tr("Je confirme ma réservation", lang))
    skip_to_content(page, lang)
    tab_to(page, confirm)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Votre place est réservée", lang))
    expect(page.get_by_text(re.compile(re.escape(tr("Votre place est réservée", lang)) + ".*Job dating Sète"))
           ).to_be_visible()
    journey.step("seat booked")
    assert Registration.objects.get(session=session, candidate=candidate).status == Registration.Status.CONFIRMED
