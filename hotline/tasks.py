"""Hotline background jobs: the call-back acknowledgement and the daily follow-up digest."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from tescforce.tasks import retrying_task

from . import selectors, services

# A mail server that fails (smtplib errors are OSErrors); a database error is not retried.
RETRY_ON = (OSError,)


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


@retrying_task(name="hotline.tasks.purge_old_callback_requests", autoretry_for=RETRY_ON)
def purge_old_callback_requests() -> int:
    """Nightly: delete call-back requests older than their retention period."""
    return services.callback_requests_purge_old()


hotline_callback_acknowledge = retrying_task(name=services.CALLBACK_ACK_TASK,
                                             autoretry_for=RETRY_ON)(callback_acknowledge)
hotline_digest_send = retrying_task(name="hotline.tasks.hotline_digest_send", autoretry_for=RETRY_ON)(digest_send)
hotline_digest_dispatch = retrying_task(name="hotline.tasks.hotline_digest_dispatch", autoretry_for=())(digest_dispatch)

# The names these tasks had when the hotline lived in `candidates`: messages already queued and beat
# entries stored in the database still find them.
retrying_task(name="candidates.hotline_tasks.hotline_callback_acknowledge",
              autoretry_for=RETRY_ON)(callback_acknowledge)
retrying_task(name="candidates.hotline_tasks.hotline_digest_send", autoretry_for=RETRY_ON)(digest_send)
retrying_task(name="candidates.hotline_tasks.hotline_digest_dispatch", autoretry_for=())(digest_dispatch)
