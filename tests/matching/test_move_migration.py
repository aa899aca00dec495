"""Matching's move out of `candidates` keeps every row, id, permission and admin log entry."""

import datetime as dt

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from candidates.models import Candidate
from events.models import Session
from matching import signals as matching_signals
from matching.models import Interview, InterviewRelease, JobDatingAgenda, Match, MatchingRun
from tescforce import roles
from tests import factories
from tests.migrations import migrate_to_latest, migrated_back_to

BEFORE_MOVE = [("candidates", "0014_hotline_moved_out"), ("matching", None)]
MODELS = ["match", "matchingrun", "jobdatingagenda", "interview", "interviewrelease"]


@pytest.fixture
def before_move(transactional_db, monkeypatch):
    """Yield the models as they were before the move; migrate forward again whatever happens.

    No recompute on save meanwhile: today's engine writes columns the tables of the time lack.
    """
    monkeypatch.setattr(matching_signals, "schedule", lambda **ids: None)
    # Nor ask the candidates' table of the time for the search columns it does not have yet (candidates 0021).
    monkeypatch.setitem(Candidate._meta.__dict__, "db_returning_fields", [Candidate._meta.pk])
    with migrated_back_to(BEFORE_MOVE, nothing_written=True) as apps:
        yield apps


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_read_the_same_after_it(before_move, client):
    old = before_move
    assert "match" not in old.all_models.get("matching", {})
    # Companies and candidates did not move: today's factories write them.
    company_a = factories.CompanyFactory(name="Alpha Numérique", slug="alpha")
    company_b = factories.CompanyFactory(name="Bêta Logiciels", slug="beta")
    recruiter = factories.RecruiterFactory(company=company_a, user__username="recruteur-a")
    posting_a = factories.JobPostingFactory(company=company_a, title="Développeuse Django")
    posting_b = factories.JobPostingFactory(company=company_b, title="Consultant SAP")
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    # The session row as its table was then (later fields of the current model are not there yet).
    session = old.get_model("events", "Session").objects.create(
        edition_id=factories.EditionFactory().pk, title="Job dating", city="Toulouse", format="job_dating",
        starts_at=start, ends_at=start + dt.timedelta(hours=2), capacity=25)
    shown = factories.CandidateFactory(first_name="Aïcha", last_name="Visible")
    factories.give_consent(shown)
    other = factories.CandidateFactory(first_name="Bruno", last_name="Ailleurs")
    factories.give_consent(other)
    user_before = old.get_model("auth", "User").objects.create(username="avant", is_staff=True)

    OldMatch = old.get_model("candidates", "Match")
    OldMatch.objects.all().delete()  # rows of our own only
    codes = {"v": 2, "pts": [40, 15, 15, 10, 5, 2, 0], "req": "210", "nice": "02"}
    match = OldMatch.objects.create(candidate_id=shown.pk, posting_id=posting_a.pk, score=87, for_posting=True,
                                    explanation=codes)
    # An explanation of an earlier format: no codes can hold it.
    match_b = OldMatch.objects.create(candidate_id=other.pk, posting_id=posting_b.pk, score=55,
                                      explanation={"pts": {"skills": 40}})
    run, _new = old.get_model("candidates", "MatchingRun").objects.update_or_create(
        pk=1, defaults={"last_full_seconds": 1.5, "last_full_rows": 2})
    plan = old.get_model("candidates", "JobDatingAgenda").objects.create(
        session_id=session.pk, max_per_candidate=2, built_at=start - dt.timedelta(days=1))
    OldInterview = old.get_model("candidates", "Interview")
    interview = OldInterview.objects.create(agenda=plan, company_id=company_a.pk, candidate_id=shown.pk,
                                            posting_id=posting_a.pk, starts_at=start,
                                            ends_at=start + dt.timedelta(minutes=15), score=87)
    interview_b = OldInterview.objects.create(agenda=plan, company_id=company_b.pk, candidate_id=other.pk,
                                              posting_id=posting_b.pk, starts_at=start,
                                              ends_at=start + dt.timedelta(minutes=15), score=55)
    release = old.get_model("candidates", "InterviewRelease").objects.create(
        agenda=plan, company_id=company_a.pk, recruiter_id=recruiter.pk, starts_at=start + dt.timedelta(minutes=15),
        ends_at=start + dt.timedelta(minutes=30), reason="withdrawn")
    # The admin's own history of the agenda, through the content type of the time.
    agenda_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="candidates", model="jobdatingagenda")
    old.get_model("admin", "LogEntry").objects.create(
        user=user_before, content_type=agenda_type, object_id=str(plan.pk), object_repr="Job dating",
        action_flag=CHANGE, change_message="[]", action_time=timezone.now())

    migrate_to_latest()

    moved = Match.objects.get(pk=match.pk)
    # The explanation's JSON became its packed codes (matching 0006), read back the same.
    assert (moved.candidate_id, moved.posting_id, moved.score, moved.for_posting, moved.explanation) == (
        shown.pk, posting_a.pk, 87, True, codes)
    # Left without codes, shown without an explanation until the next full recompute writes the row again.
    assert (Match.objects.get(pk=match_b.pk).packed, Match.objects.get(pk=match_b.pk).explanation) == (None, {})
    assert MatchingRun.objects.get(pk=run.pk).last_full_rows == 2
    moved_plan = JobDatingAgenda.objects.get(pk=plan.pk)
    assert (moved_plan.session_id, moved_plan.max_per_candidate) == (session.pk, 2)
    moved_interview = Interview.objects.get(pk=interview.pk)
    assert (moved_interview.agenda_id, moved_interview.company_id, moved_interview.candidate_id,
            moved_interview.starts_at, moved_interview.score) == (plan.pk, company_a.pk, shown.pk, start, 87)
    moved_release = InterviewRelease.objects.get(pk=release.pk)
    assert (moved_release.recruiter_id, moved_release.reason) == (recruiter.pk, InterviewRelease.Reason.WITHDRAWN)
    # The related names the other rooms reach them by still work.
    assert list(shown.matches.values_list("pk", flat=True)) == [match.pk]
    assert Session.objects.get(pk=session.pk).agenda.pk == plan.pk
    assert list(company_a.interviews.values_list("pk", flat=True)) == [interview.pk]

    # Same content type rows, renamed: the admin log entry and the permissions follow the models.
    assert ContentType.objects.get_for_model(JobDatingAgenda).pk == agenda_type.pk
    assert not ContentType.objects.filter(app_label="candidates", model__in=MODELS).exists()
    entry = LogEntry.objects.get(object_id=str(plan.pk), content_type=agenda_type.pk)
    assert entry.get_edited_object() == moved_plan

    # A coordinator opens the moved admin pages with the rights the group had.
    coordinator = factories.UserFactory(username="coordination-apres", groups=[roles.COORDINATORS])
    client.force_login(coordinator)
    for url in ("/admin/matching/match/", f"/admin/matching/match/{match.pk}/change/",
                f"/admin/matching/jobdatingagenda/{plan.pk}/change/",
                f"/admin/matching/interview/{interview.pk}/change/",
                f"/admin/matching/interviewrelease/{release.pk}/change/"):
        assert client.get(url).status_code == 200, url
    assert coordinator.has_perm("matching.change_interview") and coordinator.has_perm("matching.view_match")
    assert not coordinator.has_perm("matching.change_match")

    # The recruiter still sees their own company's rows only.
    client.force_login(recruiter.user)
    interviews = client.get("/admin/matching/interview/")
    assert interviews.status_code == 200
    assert "Visible" in interviews.content.decode() and "Ailleurs" not in interviews.content.decode()
    assert client.get(f"/admin/matching/match/{match.pk}/change/").status_code == 200
    assert client.get(f"/admin/matching/match/{match_b.pk}/change/").status_code != 200
    assert client.get(f"/admin/matching/interview/{interview_b.pk}/change/").status_code != 200
    assert client.get(f"/admin/matching/jobdatingagenda/{plan.pk}/change/").status_code == 403
