"""Before the day: a coordinator prints the badges from the desk, a recruiter opens their company's list on a phone."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from candidates.models import Orientation
from events import services
from events.models import SessionCompany
from tescforce import roles
from tests import factories

from .journey_steps import LANGUAGES, Clicks, staff_login, tr


def _session():
    session = factories.SessionFactory(title="Job dating Toulouse", capacity=20)
    company = factories.CompanyFactory(name="Capitole Logiciels")
    recruiter = factories.RecruiterFactory(company=company, user__username="recruteuse-badges",
                                           user__first_name="Camille", user__last_name="Roux")
    SessionCompany.objects.create(session=session, company=company).recruiters.add(recruiter)
    for first, last, shown in (("Hélène", "Dupont", True), ("Romain", "Barthe", False)):
        person = factories.CandidateFactory(first_name=first, last_name=last, shown_to_recruiters=shown)
        services.registration_book(session=session, candidate=person)
        Orientation.objects.create(candidate=person, company=company)
    return session, company, recruiter


@pytest.mark.parametrize("lang", LANGUAGES)
def test_coordinator_prints_the_badges_from_the_desk(journey, lang):
    session, _company, _recruiter = _session()
    coordinator = factories.UserFactory(username=f"coord-badges-{lang}", groups=[roles.COORDINATORS])
    clicks = Clicks()
    page = staff_login(journey, coordinator, lang, clicks)
    clicks.click(page.get_by_role("link", name=tr("Badges", lang), exact=True).first)
    expect(page.get_by_role("heading", level=1)).to_contain_text(session.title)
    expect(page.locator("#badges-counts")).to_contain_text("2 ")
    page.get_by_label(tr("Badges vierges (personnes inscrites sur place)", lang)).fill("3")
    journey.step("badge options")
    with page.expect_download() as download:
        clicks.click(page.get_by_role("button", name=tr("Télécharger les badges (PDF)", lang)))
    pdf = download.value
    assert pdf.suggested_filename == f"badges-session-{session.pk}.pdf"
    assert Path(pdf.path()).read_bytes().startswith(b"%PDF-")
    assert clicks.count <= 3  # signed in, "Badges", "Download"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_recruiter_opens_their_company_s_list_on_a_phone_and_downloads_it(phone_journey, lang):
    session, company, recruiter = _session()
    clicks = Clicks()
    page = staff_login(phone_journey, recruiter.user, lang, clicks)
    clicks.click(page.get_by_role("link", name=tr("Les candidat·es que vous rencontrerez", lang)))
    expect(page.get_by_role("heading", level=1)).to_contain_text(company.name)
    table = page.locator("#list-table")
    expect(table).to_contain_text("Hélène")
    expect(table).not_to_contain_text("Romain")  # no consent to be shown to recruiters
    phone_journey.step("company list")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_download() as download:
        clicks.click(page.get_by_role("link", name=tr("Télécharger (CSV)", lang)))
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [row[1] for row in rows[1:]] == ["Hélène"]
