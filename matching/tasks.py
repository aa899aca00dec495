"""Celery tasks of the matching engine: thin, idempotent, retried with backoff."""

from django.db import DatabaseError

from tescforce.tasks import DELIVERY_ERRORS, RETRY_BY_HAND, retry_later, retrying_task

from . import agenda, scorecards, services, signals

# A recompute retries a database error (a deadlock, a lost connection) within five minutes.
RECOMPUTE = {"autoretry_for": (DatabaseError,), "retry_backoff_max": 300}


def refresh(candidate_ids: list[int] | None = None, posting_ids: list[int] | None = None) -> int:
    """Recompute the matches of candidates and postings that changed; return the rows written."""
    result = services.matches_recompute_for(candidate_ids=candidate_ids or (), posting_ids=posting_ids or ())
    return result.written


def recompute_nightly() -> int:
    """Recompute every match and remove the stale ones; return how many are kept."""
    return services.matches_recompute_all().kept


def release_notice(*, release_id: int) -> bool:
    """Tell one recruiter that an interview slot is free; a notice already sent is not sent again."""
    return agenda.interview_release_notify(release_id=release_id)


def change_notice(*, notice_id: int) -> bool:
    """Send one person an interview's new time or its cancellation; a notice already sent is not sent again."""
    return agenda.interview_change_notify(notice_id=notice_id)


@retrying_task(**RETRY_BY_HAND, name=scorecards.OUTCOME_TASK)
def send_scorecard_outcome(self, *, scorecard_id: int) -> bool:
    """Tell a candidate the outcome the team chose to announce; an outcome already sent is not sent again.

    In-process, a refused send is logged and waits: "Informer le candidat" again tries once more.
    """
    try:
        return scorecards.scorecard_outcome_notify(scorecard_id=scorecard_id)
    except DELIVERY_ERRORS as exc:
        retry_later(self, exc)


matches_refresh = retrying_task(name=signals.REFRESH_TASK, **RECOMPUTE)(refresh)
matches_recompute_nightly = retrying_task(name="matching.tasks.matches_recompute_nightly",
                                          **RECOMPUTE)(recompute_nightly)
send_interview_release_notice = retrying_task(name=agenda.RELEASE_NOTICE_TASK, max_retries=8)(release_notice)
send_interview_change_notice = retrying_task(name=agenda.CHANGE_NOTICE_TASK, max_retries=8)(change_notice)

# The names these tasks had when matching lived in `candidates`: messages already queued and beat
# entries stored in the database still find them.
retrying_task(name="candidates.matching_tasks.matches_refresh", **RECOMPUTE)(refresh)
retrying_task(name="candidates.matching_tasks.matches_recompute_nightly", **RECOMPUTE)(recompute_nightly)
retrying_task(name="candidates.matching_tasks.send_interview_release_notice", max_retries=8)(release_notice)
