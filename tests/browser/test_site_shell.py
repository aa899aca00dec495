"""Journeys through the site's shell: language switcher on a phone, keyboard navigation."""

import re

from playwright.sync_api import expect

from tests import factories


def test_visitor_switches_to_english_on_a_phone_and_stays_on_the_same_page(phone_journey):
    session = factories.SessionFactory(title="Job dating Montpellier", city="Montpellier")
    page = phone_journey.open(f"/fr/sessions/{session.pk}/", "session in French")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    # On a phone the navigation is folded behind the menu button.
    english = page.get_by_role("button", name="English")
    expect(english).to_be_hidden()
    page.get_by_role("button", name="Ouvrir le menu").click()
    expect(english).to_be_visible()
    phone_journey.step("menu open")
    english.click()

    expect(page).to_have_url(re.compile(rf"/en/sessions/{session.pk}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Job dating Montpellier")
    phone_journey.step("session in English")


def test_first_tab_reaches_the_skip_link_which_moves_to_the_content(journey):
    page = journey.open("/fr/", "home")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    journey.step("skip link focused")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#content$"))
    expect(page.locator("main#content")).to_be_focused()


def test_skip_link_comes_first_in_english_too(journey):
    page = journey.open("/en/accessibilite/", "accessibility statement")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip-link")).to_be_focused()
    expect(page.locator("html")).to_have_attribute("lang", "en")
