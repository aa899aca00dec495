import datetime as dt

import pytest
from django.utils import timezone

from prospecting import services
from prospecting.models import Meeting, Settlement

from .conftest import Stage, past_meeting


@pytest.mark.django_db
def test_prospect_moves_forward_and_history_is_kept(prospect, prospecting_officer):
    services.prospect_move(prospect=prospect, stage=Stage.CONTACTED, by=prospecting_officer)
    past_meeting(prospect)
    services.prospect_move(prospect=prospect, stage=Stage.MEETING_HELD, by=prospecting_officer)
    services.prospect_move(prospect=prospect, stage=Stage.PROJECT, by=prospecting_officer)
    prospect.refresh_from_db()
    assert prospect.stage == Stage.PROJECT
    assert [(c.from_stage, c.to_stage) for c in prospect.stage_changes.order_by("id")] == [
        ("identified", "contacted"), ("contacted", "meeting_held"), ("meeting_held", "project")]


@pytest.mark.django_db
def test_settled_is_refused_without_a_settlement(prospect):
    past_meeting(prospect)
    with pytest.raises(services.ProspectingError, match="implantation"):
        services.prospect_move(prospect=prospect, stage=Stage.SETTLED)
    prospect.refresh_from_db()
    assert prospect.stage == Stage.IDENTIFIED


@pytest.mark.django_db
def test_lost_is_refused_without_a_reason(prospect):
    with pytest.raises(services.ProspectingError):
        services.prospect_move(prospect=prospect, stage=Stage.LOST, lost_reason="  ")
    services.prospect_move(prospect=prospect, stage=Stage.LOST, lost_reason="Chose Lyon")
    prospect.refresh_from_db()
    assert (prospect.stage, prospect.lost_reason) == (Stage.LOST, "Chose Lyon")
    services.prospect_move(prospect=prospect, stage=Stage.CONTACTED)  # reopening clears the reason
    prospect.refresh_from_db()
    assert (prospect.stage, prospect.lost_reason) == (Stage.CONTACTED, "")


@pytest.mark.django_db
def test_meeting_held_is_refused_while_the_only_meeting_is_to_come(prospect):
    past_meeting(prospect, starts_at=timezone.now() + dt.timedelta(days=3))
    for stage in (Stage.MEETING_HELD, Stage.PROJECT):
        with pytest.raises(services.ProspectingError):
            services.prospect_move(prospect=prospect, stage=stage)


@pytest.mark.django_db
def test_unknown_stage_is_refused(prospect):
    with pytest.raises(services.ProspectingError):
        services.prospect_move(prospect=prospect, stage="acquired")


@pytest.mark.django_db
def test_recording_a_settlement_moves_the_prospect_to_settled(prospect, prospecting_officer):
    settlement = services.settlement_record(prospect=prospect, settled_on=dt.date(2026, 9, 1),
                                            site_city="Toulouse", jobs_planned=12, by=prospecting_officer)
    prospect.refresh_from_db()
    assert prospect.stage == Stage.SETTLED
    assert settlement.prospect == prospect
    with pytest.raises(services.ProspectingError):
        services.settlement_record(prospect=prospect, settled_on=dt.date(2026, 9, 2), site_city="Montpellier")
    with pytest.raises(services.ProspectingError):  # cannot leave "settled" while the settlement exists
        services.prospect_move(prospect=prospect, stage=Stage.PROJECT)
    services.settlement_delete(settlement=settlement)
    prospect.refresh_from_db()
    assert prospect.stage == Stage.PROJECT
    assert not Settlement.objects.exists()


@pytest.mark.django_db
def test_outcome_before_the_meeting_happened_is_refused(prospect):
    meeting = Meeting(prospect=prospect, starts_at=timezone.now() + dt.timedelta(hours=2), place="Taipei")
    services.meeting_save(meeting=meeting)
    with pytest.raises(services.ProspectingError):
        services.meeting_record_outcome(meeting=meeting, outcome=Meeting.Outcome.POSITIVE)
    meeting.refresh_from_db()
    assert meeting.outcome == ""


@pytest.mark.django_db
def test_planning_then_holding_a_meeting_moves_the_prospect(prospect, prospecting_officer):
    upcoming = Meeting(prospect=prospect, starts_at=timezone.now() + dt.timedelta(days=1), place="Taipei")
    services.meeting_save(meeting=upcoming, by=prospecting_officer)
    prospect.refresh_from_db()
    assert prospect.stage == Stage.CONTACTED
    assert upcoming.officer == prospecting_officer
    held = past_meeting(prospect)
    services.meeting_record_outcome(meeting=held, outcome=Meeting.Outcome.FOLLOW_UP, next_step="Send the sheets",
                                    next_step_due=dt.date(2026, 12, 1), by=prospecting_officer)
    prospect.refresh_from_db()
    assert prospect.stage == Stage.MEETING_HELD
    assert held.next_step_owner == prospecting_officer


@pytest.mark.django_db
def test_due_date_without_a_next_step_is_refused(prospect):
    meeting = past_meeting(prospect)
    meeting.next_step_due = dt.date(2026, 12, 1)
    with pytest.raises(services.ProspectingError):
        services.meeting_save(meeting=meeting)
