"""Celery tasks of the matching engine: thin, idempotent, retried with backoff."""

from celery import shared_task
from django.db import DatabaseError

from . import (
    matching_services,
    matching_signals,  # noqa: F401  (connects the signals in the worker too)
)

RETRY = {"autoretry_for": (DatabaseError,), "retry_backoff": True, "retry_backoff_max": 300, "max_retries": 5}


@shared_task(**RETRY)
def matches_refresh(candidate_ids: list[int] | None = None, posting_ids: list[int] | None = None) -> int:
    """Recompute the matches of candidates and postings that changed; return the rows written."""
    result = matching_services.matches_recompute_for(candidate_ids=candidate_ids or (),
                                                     posting_ids=posting_ids or ())
    return result.written


@shared_task(**RETRY)
def matches_recompute_nightly() -> int:
    """Recompute every match and remove the stale ones; return how many are kept."""
    return matching_services.matches_recompute_all().kept


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def send_interview_release_notice(*, release_id: int) -> bool:
    """Tell one recruiter that an interview slot is free; a notice already sent is not sent again."""
    from . import agenda

    return agenda.interview_release_notify(release_id=release_id)
