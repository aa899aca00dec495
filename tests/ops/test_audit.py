"""Audit trail: who changed what and when, shown to coordinators only, exported with the candidate's data
and erased with them."""

import pytest
from django.apps import apps
from django.http import HttpResponse
from simple_history.middleware import HistoryRequestMiddleware

from candidates import selectors, services
from candidates.models import Candidate
from companies.models import JobPosting
from events.models import Session
from prospecting.models import Meeting, Prospect
from tests import factories
from tests.companies.test_admin_postings import posting_data

pytestmark = pytest.mark.django_db


def _save_as(user, rf, obj) -> None:
    """Save `obj` inside a request made by `user`, as a staff page would."""
    request = rf.post("/admin/")
    request.user = user

    def view(request):
        obj.save()
        return HttpResponse()

    HistoryRequestMiddleware(view)(request)


def test_each_audited_model_keeps_its_history():
    for model in (Candidate, JobPosting, Session, Prospect, Meeting):
        assert model.history.model._meta.app_label == "tescforce", model


def test_a_staff_change_records_who_what_and_when(rf, coordinator, candidate):
    candidate.city = "Montpellier"
    _save_as(coordinator, rf, candidate)
    latest = candidate.history.latest()
    assert latest.history_user == coordinator
    assert latest.history_type == "~"
    assert latest.city == "Montpellier"
    assert latest.prev_record.city == "Toulouse"


def test_a_posting_added_in_the_admin_records_its_author(client_for, recruiter_a, company_a):
    family = factories.JobFamilyFactory()
    client_for(recruiter_a).post("/admin/companies/jobposting/add/", posting_data(family))
    posting = JobPosting.objects.get()
    record = posting.history.earliest()
    assert record.history_type == "+" and record.history_user == recruiter_a


def test_coordinators_read_the_trail_in_the_admin(client_for, rf, coordinator, candidate):
    candidate.city = "Montpellier"
    _save_as(coordinator, rf, candidate)
    client = client_for(coordinator)
    assert b"Journal des modifications" in client.get("/admin/").content
    page = client.get(f"/admin/tescforce/historicalcandidate/?id={candidate.pk}")
    body = page.content.decode()
    assert page.status_code == 200
    assert "coordinatrice" in body and "city" in body
    # Read only: nobody edits or deletes the trail.
    record = candidate.history.latest()
    assert client.post(f"/admin/tescforce/historicalcandidate/{record.pk}/delete/", {"post": "yes"}).status_code \
        == 403
    assert candidate.history.filter(pk=record.pk).exists()


@pytest.mark.parametrize("who", ["hotline_agent", "recruiter_a", "prospecting_officer"])
def test_other_staff_do_not_see_the_trail(request, client_for, candidate, who):
    client = client_for(request.getfixturevalue(who))
    for model in ("historicalcandidate", "historicaljobposting", "historicalprospect"):
        assert client.get(f"/admin/tescforce/{model}/").status_code == 403


def test_the_candidate_export_carries_their_trail(rf, coordinator, candidate):
    candidate.city = "Montpellier"
    _save_as(coordinator, rf, candidate)
    trail = selectors.candidate_export_data(candidate=candidate)["audit_trail"]
    assert [entry["action"] for entry in trail] == ["created", "changed"]
    assert trail[1]["by"] == "coordinatrice"
    assert {"field": "city", "old": "Toulouse", "new": "Montpellier"} in trail[1]["changes"]


def test_erasure_leaves_no_personal_data_in_any_historical_row(rf, coordinator, candidate,
                                                               django_capture_on_commit_callbacks):
    candidate.phone = "+33698765432"
    _save_as(coordinator, rf, candidate)
    assert candidate.history.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.candidate_erase(candidate=candidate, by=coordinator)
    secrets = ("Hélène", "Dupont", "helene@example.org", "+33612345678", "+33698765432")
    for model in apps.get_app_config("tescforce").get_models():
        if not model.__name__.startswith("Historical"):
            continue
        for row in model.objects.values():
            text = " ".join(str(value) for value in row.values())
            assert not any(secret in text for secret in secrets), (model.__name__, row)


@pytest.mark.parametrize("make", [
    lambda: factories.CandidateFactory(),
    lambda: factories.JobPostingFactory(),
    lambda: factories.SessionFactory(),
    lambda: factories.ProspectFactory(),
    lambda: factories.MeetingFactory(),
])
def test_each_audited_change_page_links_coordinators_to_its_trail(client_for, coordinator, make):
    obj = make()
    meta = obj._meta
    page = client_for(coordinator).get(f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/")
    assert page.status_code == 200
    link = f"/admin/tescforce/historical{meta.model_name}/?id={obj.pk}"
    assert link in page.content.decode()
    trail = client_for(coordinator).get(link)
    assert trail.status_code == 200 and trail.context["cl"].result_count == 1


def test_the_trail_link_is_not_shown_to_a_recruiter(client_for, recruiter_a, company_a):
    posting = factories.JobPostingFactory(company=company_a)
    page = client_for(recruiter_a).get(f"/admin/companies/jobposting/{posting.pk}/change/")
    assert page.status_code == 200
    assert "historicaljobposting" not in page.content.decode()
