"""Per posting, the recruiter's shortlist: who is shown, setting each one's status, hired moves the pipeline."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from candidates.models import Candidate, JobInterest, Orientation, StageChange
from candidates.services import CandidateError, job_interest_set_status, shortlist_set_status

from .conftest import make_candidate, make_interest, make_orientation

pytestmark = pytest.mark.django_db


def url(posting) -> str:
    return f"/admin/companies/jobposting/{posting.pk}/shortlist/"


@pytest.fixture
def people(posting_a, posting_b):
    interested = make_candidate(first_name="Inès", last_name="Intéressée")
    make_interest(interested, posting_a)
    oriented = make_candidate(first_name="Omar", last_name="Orienté", stage=Candidate.Stage.ORIENTED)
    make_orientation(oriented, posting_a)
    shy = make_candidate(first_name="Sam", last_name="Discret", shown_to_recruiters=False)
    make_interest(shy, posting_a)
    erased = make_candidate(first_name="Effacé", last_name="Anonyme", anonymised_at=timezone.now())
    make_interest(erased, posting_a)
    unconfirmed = make_candidate(first_name="Ulysse", last_name="Pasconfirmé")
    make_interest(unconfirmed, posting_a, confirmed=False)
    elsewhere = make_candidate(first_name="Eva", last_name="Ailleurs")
    make_interest(elsewhere, posting_b)
    return {"interested": interested, "oriented": oriented, "shy": shy, "erased": erased,
            "unconfirmed": unconfirmed, "elsewhere": elsewhere}


def test_shortlist_shows_only_consenting_interested_or_oriented(client_for, recruiter_a, posting_a, people):
    response = client_for(recruiter_a).get(url(posting_a))
    assert response.status_code == 200
    shown = {row.candidate.pk for row in response.context["rows"]}
    assert shown == {people["interested"].pk, people["oriented"].pk}
    body = response.content.decode()
    assert "Inès" in body and "Omar" in body
    for hidden in ("Sam", "Effacé", "Ulysse", "Eva"):
        assert hidden not in body


def test_recruiter_sets_a_status(client_for, recruiter_a, posting_a, people):
    client = client_for(recruiter_a)
    response = client.post(url(posting_a), {"candidate": people["interested"].pk, "status": "interview"})
    assert response.status_code == 302
    assert JobInterest.objects.get(candidate=people["interested"]).status == "interview"
    page = client.get(url(posting_a))
    row = next(r for r in page.context["rows"] if r.candidate == people["interested"])
    assert row.status == "interview"


def test_hired_on_an_orientation_moves_the_pipeline(client_for, recruiter_a, posting_a, people):
    client_for(recruiter_a).post(url(posting_a), {"candidate": people["oriented"].pk, "status": "hired"})
    oriented = Candidate.objects.get(pk=people["oriented"].pk)
    assert oriented.stage == Candidate.Stage.HIRED
    assert Orientation.objects.get(candidate=oriented).status == "hired"
    change = StageChange.objects.filter(candidate=oriented).last()
    assert (change.from_stage, change.to_stage, change.changed_by) == ("oriented", "hired", recruiter_a)


def test_hired_on_an_interest_moves_a_candidate_in_recruitment(recruiter_a, posting_a):
    candidate = make_candidate(stage=Candidate.Stage.IN_RECRUITMENT)
    interest = make_interest(candidate, posting_a)
    assert job_interest_set_status(interest=interest, status="hired", by=recruiter_a) is None
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.HIRED
    change = StageChange.objects.get(candidate=candidate)
    assert posting_a.title in change.comment


def test_hired_that_the_pipeline_refuses_is_kept_and_explained(client_for, recruiter_a, posting_a, people):
    # A candidate nobody qualified yet cannot jump to "hired": the status is kept, the recruiter is told.
    response = client_for(recruiter_a).post(url(posting_a), {"candidate": people["interested"].pk,
                                                             "status": "hired"}, follow=True)
    assert JobInterest.objects.get(candidate=people["interested"]).status == "hired"
    assert Candidate.objects.get(pk=people["interested"].pk).stage == Candidate.Stage.REGISTERED
    assert "pas suivi" in response.content.decode()


def test_other_recruiter_cannot_set_statuses(client_for, recruiter_b, posting_a, people):
    response = client_for(recruiter_b).post(url(posting_a), {"candidate": people["interested"].pk,
                                                             "status": "declined"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert JobInterest.objects.get(candidate=people["interested"]).status == "new"


@pytest.mark.parametrize("who", ["shy", "erased", "elsewhere"])
def test_cannot_set_status_of_someone_not_on_the_shortlist(client_for, recruiter_a, posting_a, people, who):
    response = client_for(recruiter_a).post(url(posting_a), {"candidate": people[who].pk, "status": "declined"},
                                            follow=True)
    assert "ne figure pas" in response.content.decode()
    assert not JobInterest.objects.filter(status="declined").exists()


@pytest.mark.parametrize("status", ["", "promoted", "new"])
def test_unknown_status_is_refused(client_for, recruiter_a, posting_a, people, status):
    client_for(recruiter_a).post(url(posting_a), {"candidate": people["interested"].pk, "status": status})
    assert JobInterest.objects.get(candidate=people["interested"]).status == "new"


def test_service_refuses_unknown_status_and_strangers(posting_a, people, recruiter_a):
    with pytest.raises(CandidateError):
        shortlist_set_status(posting=posting_a, candidate=people["interested"], status="promoted", by=recruiter_a)
    with pytest.raises(CandidateError):
        shortlist_set_status(posting=posting_a, candidate=people["elsewhere"], status="declined", by=recruiter_a)


def test_coordinator_sees_the_shortlist_and_figures(client_for, coordinator, posting_a, people):
    client = client_for(coordinator)
    assert client.get(url(posting_a)).status_code == 200
    changelist = client.get("/admin/companies/jobposting/")
    row = changelist.context["cl"].result_list.get(pk=posting_a.pk)
    # Confirmed interests (consenting or not: these are figures) and orientations.
    assert (row.fig_interested, row.fig_oriented) == (3, 1)


def test_recruiter_changelist_links_to_the_shortlist(client_for, recruiter_a, posting_a):
    body = client_for(recruiter_a).get("/admin/companies/jobposting/").content.decode()
    assert url(posting_a) in body


def test_the_shortlist_links_each_cv_and_the_link_downloads_it(client_for, recruiter_a, recruiter_b, posting_a, people):
    people["interested"].cv.save("cv.pdf", ContentFile(b"%PDF-1.4 cv"), save=True)
    client = client_for(recruiter_a)
    cv_url = f"/admin/candidates/candidate/{people['interested'].pk}/cv/"
    assert cv_url in client.get(url(posting_a)).content.decode()
    assert client.get(cv_url).status_code == 200
    assert client_for(recruiter_b).get(cv_url).status_code == 404  # not a candidate of the other company
