import datetime as dt

import pytest
from django.utils import timezone

from candidates import services, tasks
from candidates.models import Candidate, Erasure, Orientation, StageChange
from candidates.services import CandidateError
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_commit", "french")]

Stage = Candidate.Stage


@pytest.fixture
def person(db):
    return factories.CandidateFactory(shown_to_recruiters=True)


def test_full_pipeline_records_every_step(person, coordinator, company_a):
    services.candidate_qualify(candidate=person, level="ready", motivation=4, by=coordinator)
    assert person.stage == Stage.QUALIFIED
    orientation = services.orientation_create(candidate=person, company=company_a, by=coordinator)
    person.refresh_from_db()
    assert person.stage == Stage.ORIENTED
    services.orientation_set_status(orientation=orientation, status=Orientation.Status.INTERVIEW, by=coordinator)
    person.refresh_from_db()
    assert person.stage == Stage.IN_RECRUITMENT
    services.orientation_set_status(orientation=orientation, status=Orientation.Status.HIRED, by=coordinator)
    person.refresh_from_db()
    assert person.stage == Stage.HIRED
    steps = list(StageChange.objects.filter(candidate=person).values_list("from_stage", "to_stage", "changed_by"))
    assert steps == [
        ("registered", "qualified", coordinator.pk), ("qualified", "oriented", coordinator.pk),
        ("oriented", "in_recruitment", coordinator.pk), ("in_recruitment", "hired", coordinator.pk),
    ]


@pytest.mark.parametrize("start,target", [
    (Stage.REGISTERED, Stage.HIRED),
    (Stage.REGISTERED, Stage.ORIENTED),
    (Stage.QUALIFIED, Stage.IN_RECRUITMENT),
    (Stage.HIRED, Stage.REGISTERED),
    (Stage.HIRED, Stage.WITHDRAWN),
    (Stage.WITHDRAWN, Stage.HIRED),
    (Stage.QUALIFIED, Stage.QUALIFIED),
])
def test_nonsense_transitions_are_refused_with_a_clear_message(person, coordinator, start, target):
    Candidate.objects.filter(pk=person.pk).update(stage=start)
    person.refresh_from_db()
    with pytest.raises(CandidateError) as error:
        services.candidate_move(candidate=person, to_stage=target, by=coordinator)
    assert str(person) in str(error.value)
    person.refresh_from_db()
    assert person.stage == start
    assert not StageChange.objects.filter(candidate=person).exists()


def test_unknown_stage_is_refused(person):
    with pytest.raises(CandidateError, match="Étape inconnue"):
        services.candidate_move(candidate=person, to_stage="promoted")


def test_qualified_needs_a_qualification_and_oriented_an_orientation(person, coordinator):
    with pytest.raises(CandidateError, match="qualification"):
        services.candidate_move(candidate=person, to_stage=Stage.QUALIFIED, by=coordinator)
    services.candidate_qualify(candidate=person, level="ready", motivation=3, by=coordinator)
    with pytest.raises(CandidateError, match="Orientez"):
        services.candidate_move(candidate=person, to_stage=Stage.ORIENTED, by=coordinator)


def test_unconfirmed_or_erased_candidates_cannot_move(coordinator):
    pending = factories.CandidateFactory(confirmed_at=None)
    with pytest.raises(CandidateError, match="confirmé"):
        services.candidate_move(candidate=pending, to_stage=Stage.WITHDRAWN, by=coordinator)
    erased = factories.CandidateFactory()
    services.candidate_erase(candidate=erased)
    with pytest.raises(CandidateError, match="effacé"):
        services.candidate_move(candidate=erased, to_stage=Stage.WITHDRAWN, by=coordinator)


def test_withdraw_then_come_back(person, coordinator):
    services.candidate_withdraw(candidate=person, by=coordinator, comment="A trouvé seule")
    assert person.stage == Stage.WITHDRAWN
    services.candidate_move(candidate=person, to_stage=Stage.REGISTERED, by=coordinator)
    assert person.stage == Stage.REGISTERED


def test_orientation_refused_without_consent_or_qualification(coordinator, company_a):
    shy = factories.CandidateFactory(shown_to_recruiters=False, stage=Stage.QUALIFIED)
    with pytest.raises(CandidateError, match="présenté"):
        services.orientation_create(candidate=shy, company=company_a, by=coordinator)
    raw = factories.CandidateFactory(shown_to_recruiters=True)
    with pytest.raises(CandidateError, match="Qualifiez"):
        services.orientation_create(candidate=raw, company=company_a, by=coordinator)
    assert not Orientation.objects.exists()


def test_orientation_to_a_posting_of_another_company_is_refused(person, coordinator, company_a, company_b):
    services.candidate_qualify(candidate=person, level="ready", motivation=3, by=coordinator)
    posting = factories.JobPostingFactory(company=company_b)
    with pytest.raises(CandidateError, match="autre entreprise"):
        services.orientation_create(candidate=person, company=company_a, posting=posting, by=coordinator)
    orientation = services.orientation_create(candidate=person, posting=posting, by=coordinator)
    assert orientation.company == company_b
    with pytest.raises(CandidateError, match="déjà orienté"):
        services.orientation_create(candidate=person, posting=posting, by=coordinator)


def test_candidate_touch_moves_last_activity(person):
    Candidate.objects.filter(pk=person.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=300))
    services.candidate_touch(candidate=person)
    person.refresh_from_db()
    assert timezone.now() - person.last_activity_at < dt.timedelta(minutes=1)


def test_retention_task_anonymises_only_candidates_inactive_for_two_years():
    old = factories.CandidateFactory(email="old@example.org", first_name="Ancienne")
    recent = factories.CandidateFactory(email="recent@example.org")
    Candidate.objects.filter(pk=old.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=2 * 365 + 1))
    Candidate.objects.filter(pk=recent.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=700))
    assert tasks.anonymise_inactive_candidates.delay().get() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.anonymised_at is not None and old.first_name == "" and "old@" not in old.email
    assert recent.anonymised_at is None and recent.email == "recent@example.org"
    assert Erasure.objects.get().reason == Erasure.Reason.RETENTION
    # Run again: nothing left to touch.
    assert tasks.anonymise_inactive_candidates.delay().get() == 0


def test_beat_schedule_lists_the_candidate_jobs(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "candidates.tasks.purge_unconfirmed_candidates" in tasks_scheduled
    assert "candidates.tasks.anonymise_inactive_candidates" in tasks_scheduled


def test_erasure_releases_upcoming_seats_and_keeps_past_bookings():
    from events.models import Registration

    person = factories.CandidateFactory()
    upcoming = factories.RegistrationFactory(candidate=person)
    past = factories.RegistrationFactory(candidate=person, session__starts_at=timezone.now() - dt.timedelta(days=30),
                                         status=Registration.Status.ATTENDED)
    services.candidate_erase(candidate=person)
    upcoming.refresh_from_db()
    past.refresh_from_db()
    assert upcoming.status == Registration.Status.CANCELLED
    assert past.status == Registration.Status.ATTENDED  # attendance figures stay
