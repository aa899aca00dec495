"""A coordinator makes a new session from an old one in one action; company rows offer that company's people only."""

import datetime as dt

import pytest

from events.admin import SessionCompanyForm
from events.models import Session, SessionCompany, SessionPartner
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_session(company_a, recruiter_a):
    session = factories.SessionFactory(title="Job dating Toulouse", programme_text="9 h accueil, 10 h entretiens")
    row = SessionCompany.objects.create(session=session, company=company_a, interview_slots=6)
    row.recruiters.set(company_a.recruiters.all())
    row.postings.set([factories.JobPostingFactory(company=company_a)])
    SessionPartner.objects.create(session=session, partner=factories.PartnerFactory(), role="Accueil")
    factories.RegistrationFactory(session=session)
    return session


def _copy_of(session) -> Session:
    return Session.objects.exclude(pk=session.pk).get()


def test_the_change_form_button_copies_the_session_as_a_draft_and_opens_it(client_for, coordinator, old_session):
    client = client_for(coordinator)
    page = client.get(f"/admin/events/session/{old_session.pk}/change/").content.decode()
    assert f'action="/admin/events/session/{old_session.pk}/dupliquer/"' in page
    response = client.post(f"/admin/events/session/{old_session.pk}/dupliquer/")
    copy = _copy_of(old_session)
    assert response.status_code == 302 and response["Location"] == f"/admin/events/session/{copy.pk}/change/"
    assert copy.is_published is False and copy.title == "Job dating Toulouse (copie)"
    assert copy.starts_at == old_session.starts_at + dt.timedelta(days=7)
    assert copy.programme_text == old_session.programme_text
    row = copy.company_participations.get()
    old_row = old_session.company_participations.get()
    assert row.interview_slots == 6
    assert set(row.recruiters.all()) == set(old_row.recruiters.all())
    assert set(row.postings.all()) == set(old_row.postings.all())
    assert copy.partner_participations.get().role == "Accueil"
    assert copy.registrations.count() == 0
    assert "fixez sa date" in client.get(response["Location"]).content.decode()


def test_the_changelist_action_duplicates_too(client_for, coordinator, old_session):
    response = client_for(coordinator).post("/admin/events/session/", {
        "action": "duplicate_sessions", "_selected_action": [old_session.pk]})
    assert response.status_code == 302
    assert _copy_of(old_session).is_published is False


@pytest.mark.parametrize("who", ["hotline_agent", "recruiter_a"])
def test_who_may_not_add_sessions_cannot_duplicate(request, client_for, old_session, who):
    response = client_for(request.getfixturevalue(who)).post(f"/admin/events/session/{old_session.pk}/dupliquer/")
    assert response.status_code == 403
    assert Session.objects.count() == 1


def test_a_company_row_offers_only_that_companys_recruiters_and_postings(
        client_for, coordinator, old_session, company_b, recruiter_b):
    client = client_for(coordinator)
    factories.JobPostingFactory(company=company_b, title="Beta posting")
    page = client.get(f"/admin/events/session/{old_session.pk}/change/").content.decode()
    row_part = page[page.index('id="company_participations-group"'):page.index('id="partner_participations-group"')]
    assert "Beta posting" not in row_part.split('id="company_participations-empty"')[0]
    assert recruiter_b.username not in row_part.split('id="company_participations-empty"')[0]


def test_a_forged_row_with_another_companys_posting_is_refused(old_session, company_a, company_b):
    other_posting = factories.JobPostingFactory(company=company_b, title="Beta posting")
    form = SessionCompanyForm(data={"company": company_a.pk, "postings": [other_posting.pk], "interview_slots": 8},
                              instance=SessionCompany(session=old_session))
    assert not form.is_valid()
    assert "ne sont pas de Alpha Numérique : Beta posting" in str(form.errors["postings"])
