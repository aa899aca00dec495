"""Thin, idempotent Celery tasks: each re-reads its rows and calls one service."""

from smtplib import SMTPException

from celery import shared_task

from . import services
from .models import Registration

RETRY = {"autoretry_for": (SMTPException, OSError), "retry_backoff": 30, "retry_backoff_max": 1800,
         "max_retries": 8, "retry_jitter": True}


@shared_task(**RETRY)
def send_registration_email(registration_id: int, kind: str) -> None:
    from . import emails

    registration = (Registration.objects.select_related("session", "candidate")
                    .filter(pk=registration_id, candidate__anonymised_at__isnull=True).first())
    if registration is None:
        return
    # The booking may have moved on since the task was queued: tell only what is still true.
    expected = {"confirmed": "confirmed", "promoted": "confirmed", "waitlisted": "waitlisted"}[kind]
    if registration.status != expected:
        return
    emails.send_registration_email(registration=registration, kind=kind)


@shared_task(**RETRY)
def send_due_reminders() -> int:
    """J-7 and J-1 reminders; each one is recorded with its sending, so a rerun never repeats it."""
    return services.reminders_send_due()


@shared_task(**RETRY)
def send_after_session_messages() -> int:
    """Satisfaction survey to attendees, a next-sessions message to no-shows."""
    return services.after_session_send_due()


@shared_task(**RETRY)
def send_booking_link(candidate_id: int, session_id: int, language: str) -> None:
    from candidates.models import Candidate

    from . import emails
    from .models import Session

    candidate = Candidate.objects.filter(pk=candidate_id, anonymised_at__isnull=True).first()
    session = Session.objects.filter(pk=session_id).first()
    if candidate is not None and session is not None:
        emails.send_booking_link(candidate=candidate, session=session, language=language)
