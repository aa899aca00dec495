"""Thin, idempotent Celery tasks: each re-reads its rows and calls one service.

Every e-mail here has an outbox row claimed before it is sent (see events/services.py), so running a
task twice (Redis redelivers an unacknowledged task after a crash) never sends twice: the tasks are
acknowledged late and handed back when their worker dies.
"""

from candidates.models import Candidate
from tescforce.tasks import DELIVERY_ERRORS, RETRY_BY_HAND, retry_later, retrying_task

from . import emails, services
from .models import Session


@retrying_task(**RETRY_BY_HAND, name=services.DELIVER_MESSAGE_TASK)
def deliver_message(self, message_id: int) -> bool:
    """Send one booking message of the outbox (confirmation, waitlist, promotion, cancellation)."""
    try:
        return services.message_deliver(message_id=message_id)
    except DELIVERY_ERRORS as exc:
        retry_later(self, exc)


@retrying_task(**RETRY_BY_HAND)
def send_due_reminders(self) -> int:
    """J-7 and J-1 reminders; each one is claimed in the database before its sending."""
    try:
        return services.reminders_send_due()
    except DELIVERY_ERRORS as exc:
        retry_later(self, exc)


@retrying_task(**RETRY_BY_HAND)
def send_after_session_messages(self) -> int:
    """Satisfaction survey to attendees, a next-sessions message to no-shows."""
    try:
        return services.after_session_send_due()
    except DELIVERY_ERRORS as exc:
        retry_later(self, exc)


@retrying_task(autoretry_for=())  # the next sweep, two minutes later, is its retry
def sweep_messages() -> int:
    """Send the messages whose sender died or whose task was lost (pending or claimed past the lease)."""
    return services.messages_sweep()


@retrying_task(**RETRY_BY_HAND)
def send_booking_link(self, candidate_id: int, session_id: int, language: str) -> None:
    candidate = Candidate.objects.filter(pk=candidate_id, anonymised_at__isnull=True).first()
    session = Session.objects.filter(pk=session_id).first()
    if candidate is not None and session is not None:
        try:
            emails.send_booking_link(candidate=candidate, session=session, language=language)
        except DELIVERY_ERRORS as exc:
            retry_later(self, exc)
