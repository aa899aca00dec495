import logging

from celery import shared_task

from tescforce.tasks import DELIVERY_ERRORS, retry_later

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (Exception,), "retry_backoff": True, "max_retries": 5}


@shared_task(bind=True, max_retries=8)
def send_candidate_email(self, *, candidate_id: int, kind: str, language: str, action: dict | None = None) -> bool:
    """Send one signed-link e-mail; a candidate erased or purged since gets nothing.

    A worker retries a failed send with backoff; in-process the failure is logged and the person gets
    a fresh link by registering again or asking for their "Mon espace" link.
    """
    from .emails import send_candidate_email as send
    from .models import Candidate

    candidate = Candidate.objects.filter(pk=candidate_id, anonymised_at__isnull=True).first()
    if candidate is None:
        return False
    try:
        send(candidate=candidate, kind=kind, language=language, action=action)
    except DELIVERY_ERRORS as exc:
        retry_later(self, exc)
    return True


@shared_task(**RETRY)
def purge_unconfirmed_candidates() -> int:
    """Daily: delete registrations not confirmed within 7 days."""
    from .services import candidates_purge_unconfirmed

    return candidates_purge_unconfirmed()


@shared_task(**RETRY)
def anonymise_inactive_candidates() -> int:
    """Daily: anonymise candidates inactive for two years (CNIL) and say how many."""
    from .services import candidates_anonymise_inactive

    count = candidates_anonymise_inactive()
    logger.info("retention: %s candidate(s) anonymised", count)
    return count
