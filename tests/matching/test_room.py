"""Matching and the job-dating agenda are a room of their own: old addresses and task names still answer,
and the arrows run one way (candidates, companies and events never import matching)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from candidates import records
from events import services as events_services
from events.models import Session
from matching import agenda
from matching.models import Interview, JobDatingAgenda, Match
from tescforce import erasure
from tescforce.celery import app as celery_app
from tests import factories
from tests.imports import file_imports

ROOT = Path(__file__).resolve().parents[2]
OLD_TASKS = ("matches_refresh", "matches_recompute_nightly", "send_interview_release_notice")


@pytest.mark.parametrize("room", ["candidates", "companies", "events"])
def test_lower_rooms_never_import_matching(room):
    offending = [f"{path.relative_to(ROOT)}:{line}" for path in (ROOT / room).rglob("*.py")
                 for module, line, _inside in file_imports(path)
                 if module == "matching" or module.startswith("matching.")]
    assert offending == []


def test_matching_imports_nothing_inside_a_function_but_its_app_registry():
    offending = [f"{path.relative_to(ROOT)}:{line}" for path in (ROOT / "matching").rglob("*.py")
                 if path.name != "apps.py" and "migrations" not in path.parts
                 for _module, line, inside in file_imports(path) if inside]
    assert offending == []


def test_matching_plugs_its_hooks_into_the_lower_rooms():
    assert records._CONSENT_WITHDRAWN["matching.agenda"] is agenda.release_on_consent_withdrawn
    assert events_services._CANCELLED_HOOKS["matching.agenda"] is agenda.release_on_registration_cancelled
    assert "matching" in records._EXPORTS
    assert {"matching.agenda", "matching.matches"} <= {hook.name for hook in erasure.hooks()}


@pytest.mark.django_db
def test_a_task_queued_under_its_old_name_still_runs(company_a):
    posting = factories.JobPostingFactory(company=company_a, city="Toulouse")
    person = factories.CandidateFactory(mobility_toulouse=True)
    Match.objects.all().delete()
    celery_app.loader.import_default_modules()
    old = celery_app.tasks["candidates.matching_tasks.matches_refresh"]
    assert old.apply(kwargs={"candidate_ids": [person.pk], "posting_ids": [posting.pk]}).get() >= 1
    assert Match.objects.filter(candidate=person, posting=posting).exists()
    for name in OLD_TASKS:
        assert f"candidates.matching_tasks.{name}" in celery_app.tasks and f"matching.tasks.{name}" in celery_app.tasks


def test_the_beat_schedule_names_the_moved_nightly_task():
    celery_app.loader.import_default_modules()
    beat = settings.CELERY_BEAT_SCHEDULE["matching-nightly-recompute"]["task"]
    assert beat == "matching.tasks.matches_recompute_nightly" and beat in celery_app.tasks


def test_the_staff_addresses_kept_their_paths_and_names():
    assert reverse("staff:matching_index") == "/pilotage/rapprochements/"
    assert reverse("staff:matching_posting", args=[7]) == "/pilotage/rapprochements/offre/7/"
    assert reverse("staff:matching_orient", args=[7]) == "/pilotage/rapprochements/7/orienter/"


@pytest.fixture
def planned(company_a, company_b):
    """A job-dating agenda with one interview with company B, and one match on a posting of company B."""
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    session = factories.SessionFactory(format=Session.Format.JOB_DATING, starts_at=start,
                                       ends_at=start + dt.timedelta(hours=1))
    person = factories.CandidateFactory(first_name="Zoé", last_name="Secrète")
    posting = factories.JobPostingFactory(company=company_b)
    plan = JobDatingAgenda.objects.create(session=session)
    interview = Interview.objects.create(agenda=plan, company=company_b, candidate=person, posting=posting,
                                         starts_at=start, ends_at=start + dt.timedelta(minutes=15), score=80)
    match = Match.objects.create(candidate=person, posting=posting, score=80)
    return {"agenda": plan, "interview": interview, "match": match}


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["jobdatingagenda", "interview", "match"])
def test_an_old_admin_bookmark_leads_to_the_moved_page(client_for, coordinator, planned, model):
    pk = {"jobdatingagenda": planned["agenda"], "interview": planned["interview"], "match": planned["match"]}[model].pk
    client = client_for(coordinator)
    response = client.get(f"/admin/candidates/{model}/{pk}/change/?_changelist_filters=q")
    assert response.status_code == 301
    assert response["Location"] == f"/admin/matching/{model}/{pk}/change/?_changelist_filters=q"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_a_recruiter_following_an_old_admin_bookmark_still_sees_nothing_of_another_company(
        client_for, recruiter_a, planned):
    client = client_for(recruiter_a)
    # The agenda itself is the coordinators' tool: refused.
    response = client.get(f"/admin/candidates/jobdatingagenda/{planned['agenda'].pk}/change/", follow=True)
    assert response.redirect_chain[0] == (f"/admin/matching/jobdatingagenda/{planned['agenda'].pk}/change/", 301)
    assert response.status_code == 403
    # Another company's interview and match: not found for them, and the name never shows.
    for model, obj in (("interview", planned["interview"]), ("match", planned["match"])):
        response = client.get(f"/admin/candidates/{model}/{obj.pk}/change/", follow=True)
        assert response.redirect_chain[0] == (f"/admin/matching/{model}/{obj.pk}/change/", 301)
        assert "Secrète" not in response.content.decode()
    listing = client.get("/admin/candidates/interview/", follow=True)
    assert listing.status_code == 200 and "Secrète" not in listing.content.decode()
