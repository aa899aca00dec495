"""A recruiter writes a posting in the admin, publishes it and finds it on the public job board."""

import re

import pytest
from playwright.sync_api import expect

from companies.models import JobPosting
from tests import factories

from .journey_steps import LANGUAGES, admin_login, field, pick_autocomplete, reference_data, tr


@pytest.mark.parametrize("lang", LANGUAGES)
def test_recruiter_creates_and_publishes_a_posting_then_sees_it_on_the_board(journey, lang):
    reference_data()
    company = factories.CompanyFactory(name="Canal du Midi Data")
    recruiter = factories.RecruiterFactory(company=company, user__username=f"recruteuse-{lang}").user
    title = f"Ingénieure données ({lang})"
    page = admin_login(journey, recruiter, lang)

    # From the admin's home to the postings, then the add form.
    name_plural = tr("offres d'emploi", lang)
    page.get_by_role("link", name=re.compile(rf"^{re.escape(name_plural)}$", re.I)).first.click()
    page.get_by_role("link", name=re.compile(re.escape(tr("Add %(name)s", lang) % {
        "name": tr("offre d'emploi", lang)}), re.I)).click()
    journey.step("add form")
    page.get_by_label(field("intitulé", lang)).fill(title)
    # The English title the site's English pages show (the description stays French, marked there).
    page.get_by_label(field("intitulé en anglais", lang)).fill(f"Data engineer ({lang})")
    pick_autocomplete(page, field("métier (ROME)", lang), "M1805", re.compile("M1805"))
    page.get_by_label(field("description", lang)).fill("Construire les flux de données des collectivités.")
    page.get_by_label(field("contrat", lang)).select_option(label=tr("CDI", lang))
    page.get_by_label(field("ville", lang)).fill("Narbonne")
    pick_autocomplete(page, field("compétences requises", lang), "Pyth", re.compile(r"^Python$"))
    journey.step("posting filled")
    page.get_by_role("button", name=re.compile(rf"^{re.escape(tr('Save', lang))}$", re.I)).click()
    expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    journey.step("saved as a draft")
    posting = JobPosting.objects.get(title=title)
    assert posting.company == company and posting.status == JobPosting.Status.DRAFT
    assert list(posting.skills_required.values_list("name", flat=True)) == ["Python"]

    # The "Publish" action on the list.
    page.get_by_role("checkbox", name=re.compile(re.escape(title))).check()
    # The admin's label wraps its select: its name goes on with the selected option.
    page.get_by_label(re.compile(rf"^\s*{re.escape(tr('Action:', lang))}")).select_option(label=tr("Publier", lang))
    page.get_by_role("button", name=tr("Go", lang)).click()
    expect(page.get_by_text(re.compile(re.escape(tr("%(n)d offre mise à jour.", lang) % {"n": 1})))).to_be_visible()
    journey.step("published")
    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.PUBLISHED

    # The public board, from the admin's "view site" link.
    page.get_by_role("link", name=re.compile(re.escape(tr("View site", lang)), re.I)).click()
    page.get_by_role("navigation", name=tr("Navigation principale", lang)).get_by_role(
        "link", name=tr("Offres d'emploi", lang)).click()
    expect(page).to_have_url(re.compile(rf"/{lang}/offres/$"))
    shown = title if lang == "fr" else f"Data engineer ({lang})"
    page.get_by_role("link", name=shown, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(shown)
    expect(page.get_by_text("Canal du Midi Data").first).to_be_visible()
    journey.step("posting on the board")
