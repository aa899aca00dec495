"""A recruiter judges the candidates of their own posting on one page: score and why, key skills, CV, one click."""

import pytest
from django.core.files.base import ContentFile

from candidates.models import Candidate, JobInterest, Orientation
from matching.models import Match
from tests import factories

pytestmark = pytest.mark.django_db


def _url(posting, suffix=""):
    return f"/pilotage/rapprochements/mes-offres/{posting.pk}/{suffix}"


@pytest.fixture
def posting(company_a):
    return factories.JobPostingFactory(company=company_a, title="Data engineer Alpha")


def _matched(posting, *, last_name, shown=True, stage=Candidate.Stage.QUALIFIED, score=82, cv=False):
    candidate = factories.CandidateFactory(first_name="Léa", last_name=last_name, shown_to_recruiters=shown,
                                           stage=stage)
    candidate.skills.add(factories.SkillFactory(name=f"Python-{last_name}"))
    if cv:
        candidate.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 fake"), save=True)
    factories.give_consent(candidate)
    Match.objects.create(candidate=candidate, posting=posting, score=score, for_posting=True,
                         explanation={"pts": [30, 20, 15, 5, 10, 0, 2]})
    return candidate


def test_the_page_shows_score_reasons_skills_and_cv_when_allowed(client_for, recruiter_a, posting):
    _matched(posting, last_name="Avec", cv=True)
    _matched(posting, last_name="Sans", shown=False, cv=True, score=60)
    body = client_for(recruiter_a).get(_url(posting)).content.decode()
    assert "Léa Avec" in body and "<strong>82</strong>/100" in body and "Pourquoi ce score ?" in body
    assert "Python-Avec" in body
    with_cv = Candidate.objects.get(last_name="Avec")
    without = Candidate.objects.get(last_name="Sans")
    assert f"/admin/candidates/candidate/{with_cv.pk}/cv/" in body
    assert f"/admin/candidates/candidate/{without.pk}/cv/" not in body  # not shown to recruiters: no CV


def test_one_click_shortlists_a_matched_candidate(client_for, recruiter_a, posting):
    candidate = _matched(posting, last_name="Choisie")
    client = client_for(recruiter_a)
    response = client.post(_url(posting, "preselectionner/"), {"candidate": candidate.pk})
    assert response.status_code == 302
    orientation = Orientation.objects.get(candidate=candidate, posting=posting)
    assert orientation.status == Orientation.Status.TO_CONTACT
    page = client.get(_url(posting)).content.decode()
    assert "présélectionné·e" in page
    kept = page[:page.index('id="suggested"')]
    assert "Léa Choisie" in kept


def test_one_click_marks_an_interested_candidate_to_contact(client_for, recruiter_a, posting):
    candidate = factories.CandidateFactory(last_name="Interessee", shown_to_recruiters=True)
    interest = JobInterest.objects.create(candidate=candidate, posting=posting, confirmed_at=candidate.confirmed_at)
    client_for(recruiter_a).post(_url(posting, "preselectionner/"), {"candidate": candidate.pk})
    interest.refresh_from_db()
    assert interest.status == JobInterest.Status.TO_CONTACT


def test_a_candidate_not_yet_qualified_cannot_be_shortlisted(client_for, recruiter_a, posting):
    candidate = _matched(posting, last_name="Nouvelle", stage=Candidate.Stage.REGISTERED)
    client = client_for(recruiter_a)
    assert "Présélection possible une fois le profil qualifié" in client.get(_url(posting)).content.decode()
    response = client.post(_url(posting, "preselectionner/"), {"candidate": candidate.pk}, follow=True)
    assert "Qualifiez d&#x27;abord" in response.content.decode()
    assert not Orientation.objects.filter(candidate=candidate).exists()


def test_another_companys_recruiter_sees_nothing_and_changes_nothing(client_for, recruiter_b, posting):
    candidate = _matched(posting, last_name="Privee")
    client = client_for(recruiter_b)
    assert client.get(_url(posting)).status_code == 404
    assert client.post(_url(posting, "preselectionner/"), {"candidate": candidate.pk}).status_code == 404
    assert not Orientation.objects.exists()


@pytest.mark.parametrize("who", ["hotline_agent", "prospecting_officer", "coordinator"])
def test_the_page_is_for_recruiters(request, client_for, posting, who):
    assert client_for(request.getfixturevalue(who)).get(_url(posting)).status_code == 403


def test_a_candidate_without_the_match_consent_is_not_suggested(client_for, recruiter_a, posting):
    candidate = factories.CandidateFactory(last_name="Refus", shown_to_recruiters=True,
                                           stage=Candidate.Stage.QUALIFIED)
    Match.objects.create(candidate=candidate, posting=posting, score=90, for_posting=True, explanation={})
    client = client_for(recruiter_a)
    assert "Refus" not in client.get(_url(posting)).content.decode()
    client.post(_url(posting, "preselectionner/"), {"candidate": candidate.pk})
    assert not Orientation.objects.exists()


def test_the_matches_list_leads_a_recruiter_to_the_page_per_posting(client_for, recruiter_a, posting):
    _matched(posting, last_name="Liste")
    body = client_for(recruiter_a).get("/admin/matching/match/").content.decode()
    assert f'href="/pilotage/rapprochements/mes-offres/{posting.pk}/"' in body
