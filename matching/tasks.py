"""Celery tasks of the matching engine: thin, idempotent, retried with backoff."""

from celery import shared_task
from django.db import DatabaseError

from . import agenda, services, signals

RETRY = {"autoretry_for": (DatabaseError,), "retry_backoff": True, "retry_backoff_max": 300, "max_retries": 5}
NOTICE_RETRY = {"autoretry_for": (Exception,), "retry_backoff": True, "retry_backoff_max": 600, "max_retries": 8}


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


matches_refresh = shared_task(name=signals.REFRESH_TASK, **RETRY)(refresh)
matches_recompute_nightly = shared_task(name="matching.tasks.matches_recompute_nightly", **RETRY)(recompute_nightly)
send_interview_release_notice = shared_task(name=agenda.RELEASE_NOTICE_TASK, **NOTICE_RETRY)(release_notice)

# The names these tasks had when matching lived in `candidates`: messages already queued and beat
# entries stored in the database still find them.
shared_task(name="candidates.matching_tasks.matches_refresh", **RETRY)(refresh)
shared_task(name="candidates.matching_tasks.matches_recompute_nightly", **RETRY)(recompute_nightly)
shared_task(name="candidates.matching_tasks.send_interview_release_notice", **NOTICE_RETRY)(release_notice)
