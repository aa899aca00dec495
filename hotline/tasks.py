"""Hotline background jobs: the call-back acknowledgement and the daily follow-up digest."""

import datetime as dt

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from . import selectors, services

RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "retry_backoff_max": 600, "max_retries": 5}


def callback_acknowledge(callback_request_id: int) -> bool:
    """E-mail the visitor that their call-back request reached the hotline (once)."""
    return services.callback_request_acknowledge(callback_request_id=callback_request_id)


def digest_send(owner_id: int, day: str) -> bool:
    """Send one owner's digest for `day` (ISO date); a second run for the same day sends nothing."""
    owner = get_user_model().objects.filter(pk=owner_id).first()
    if owner is None:
        return False
    return services.follow_up_digest_send(owner=owner, day=dt.date.fromisoformat(day))


def digest_dispatch() -> int:
    """Queue today's digest for every owner with a follow-up due or overdue; return how many."""
    day = timezone.localdate()
    owner_ids = selectors.digest_owner_ids(today=day)
    for owner_id in owner_ids:
        hotline_digest_send.delay(owner_id, day.isoformat())
    return len(owner_ids)


@shared_task(name="hotline.tasks.purge_old_callback_requests", **RETRY)
def purge_old_callback_requests() -> int:
    """Nightly: delete call-back requests older than their retention period."""
    return services.callback_requests_purge_old()


hotline_callback_acknowledge = shared_task(name=services.CALLBACK_ACK_TASK, **RETRY)(callback_acknowledge)
hotline_digest_send = shared_task(name="hotline.tasks.hotline_digest_send", **RETRY)(digest_send)
hotline_digest_dispatch = shared_task(name="hotline.tasks.hotline_digest_dispatch")(digest_dispatch)

# The names these tasks had when the hotline lived in `candidates`: messages already queued and beat
# entries stored in the database still find them.
shared_task(name="candidates.hotline_tasks.hotline_callback_acknowledge", **RETRY)(callback_acknowledge)
shared_task(name="candidates.hotline_tasks.hotline_digest_send", **RETRY)(digest_send)
shared_task(name="candidates.hotline_tasks.hotline_digest_dispatch")(digest_dispatch)
