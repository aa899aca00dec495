"""A recruiter writes a posting in the admin, publishes it and finds it on the public job board."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from candidates.models import Candidate, Orientation
from companies.models import JobPosting
from matching.models import Match
from tests import factories

from .journey_steps import LANGUAGES, Clicks, admin_login, field, pick_autocomplete, reference_data, staff_login, tr


@pytest.mark.parametrize("lang", LANGUAGES)
def test_recruiter_creates_and_publishes_a_posting_then_sees_it_on_the_board(journey, lang):
    reference_data()
    company = factories.CompanyFactory(name="Canal du Midi Data")
    recruiter = factories.RecruiterFactory(company=company, user__username=f"recruteuse-{lang}").user
    title = f"Ingénieure données ({lang})"
    page = admin_login(journey, recruiter, lang)

    # From the desk to the admin's home, to the postings, then the add form.
    page.get_by_role("main").get_by_role("link", name=tr("Administration", lang), exact=True).click()
    name_plural = tr("offres d'emploi", lang)
    page.get_by_role("link", name=re.compile(rf"^{re.escape(name_plural)}$", re.I)).first.click()
    page.get_by_role("link", name=re.compile(re.escape(tr("Add %(name)s", lang) % {
        "name": tr("offre d'emploi", lang)}), re.I)).click()
    # The add form focuses its first field once its scripts ran: typing before that would land there.
    page.wait_for_load_state("load")
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


def _serious_violations(page) -> list[str]:
    """RGAA / WCAG 2.1 AA: the ids of the serious or critical problems axe finds on the page."""
    result = Axe().run(page, options={"resultTypes": ["violations"]}).response["violations"]
    return [v["id"] for v in result if v["impact"] in {"serious", "critical"}]


MAX_CLICKS_TO_POST = 8  # the target: a recruiter posts a job in at most 8 clicks, plus typing


@pytest.mark.parametrize("lang", LANGUAGES)
def test_recruiter_posts_a_job_from_the_desk_in_eight_clicks(journey, lang):
    reference_data()
    company = factories.CompanyFactory(name="Canal du Midi Data")
    recruiter = factories.RecruiterFactory(company=company, user__username=f"recrute-{lang}").user
    title = f"Développeuse Django ({lang})"
    clicks = Clicks()
    page = staff_login(journey, recruiter, lang, clicks)
    desk = page.get_by_role("region", name=tr("Vos offres", lang))
    clicks.click(desk.get_by_role("link", name=tr("Publier une offre", lang)))
    page.get_by_label(field("intitulé", lang)).fill(title)
    clicks.autocomplete(page, field("métier (ROME)", lang), "M1805", re.compile("M1805"))
    page.get_by_label(field("description", lang)).fill("Une équipe produit, des collectivités pour clientes.")
    clicks.select(page.get_by_label(field("contrat", lang)), label=tr("CDI", lang))
    page.get_by_label(field("ville", lang)).fill("Albi")
    clicks.autocomplete(page, field("compétences requises", lang), "Pyth", re.compile(r"^Python$"))
    journey.step("posting filled")
    clicks.click(page.get_by_role("button", name=tr("Publier", lang), exact=True))
    expect(page.get_by_text(re.compile(re.escape(title)))).not_to_have_count(0)
    journey.step("published in one step")
    posting = JobPosting.objects.get(title=title)
    assert posting.company == company and posting.status == JobPosting.Status.PUBLISHED
    assert clicks.count <= MAX_CLICKS_TO_POST, clicks.count

    # An old posting again: "Dupliquer", a new title, "Publier" (fewer clicks still).
    again = Clicks()
    journey.open("/pilotage/", "desk")
    again.click(page.get_by_role("region", name=tr("Vos offres", lang)).get_by_role("link", name=title))
    again.click(page.get_by_role("button", name=tr("Dupliquer", lang), exact=True))
    page.get_by_label(field("intitulé", lang)).fill(f"{title} – Montpellier")
    again.click(page.get_by_role("button", name=tr("Publier", lang), exact=True))
    expect(page.get_by_text(re.compile(re.escape(f"{title} – Montpellier")))).not_to_have_count(0)
    assert JobPosting.objects.get(title=f"{title} – Montpellier").status == JobPosting.Status.PUBLISHED
    assert again.count <= 3


@pytest.mark.parametrize("lang", LANGUAGES)
def test_recruiter_shortlists_a_matched_candidate_from_the_desk(journey, lang):
    company = factories.CompanyFactory(name="Canal du Midi Data")
    recruiter = factories.RecruiterFactory(company=company, user__username=f"trie-{lang}").user
    posting = factories.JobPostingFactory(company=company, title=f"Admin systèmes ({lang})")
    candidate = factories.CandidateFactory(first_name="Maëlle", last_name="Castan", shown_to_recruiters=True,
                                           stage=Candidate.Stage.QUALIFIED)
    factories.give_consent(candidate)
    # Matching runs on save; this score is set for the page to show a known one.
    Match.objects.update_or_create(candidate=candidate, posting=posting, defaults={
        "score": 87, "for_posting": True, "explanation": {"pts": [40, 15, 15, 10, 5, 2, 0]}})
    clicks = Clicks()
    page = staff_login(journey, recruiter, lang, clicks)
    assert _serious_violations(page) == []
    clicks.click(page.get_by_role("region", name=tr("Vos offres", lang)).get_by_role(
        "link", name=re.compile(re.escape(tr("%(n)s candidat·e rapproché·e", lang) % {"n": 1}))))
    expect(page.locator("strong", has_text="Maëlle Castan")).to_be_visible()
    expect(page.get_by_text(re.compile(r"87\s*/100"))).to_be_visible()
    clicks.click(page.get_by_text(tr("Pourquoi ce score ?", lang), exact=True))
    journey.step("score and why")
    assert _serious_violations(page) == []
    clicks.click(page.get_by_role("button", name=re.compile(re.escape(tr("Présélectionner", lang)))))
    expect(page.get_by_text(re.compile(re.escape(tr("%(name)s est présélectionné·e : à contacter.", lang)
                                                 % {"name": "Maëlle Castan"})))).to_be_visible()
    journey.step("shortlisted")
    assert Orientation.objects.get(candidate=candidate, posting=posting).status == "to_contact"
    assert clicks.count <= 4
