import logging

from tescforce.tasks import DELIVERY_ERRORS, RETRY_BY_HAND, retry_later, retrying_task

logger = logging.getLogger(__name__)


@retrying_task(**RETRY_BY_HAND)
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


@retrying_task
def purge_unconfirmed_candidates() -> int:
    """Daily: delete registrations not confirmed within 7 days."""
    from .services import candidates_purge_unconfirmed

    return candidates_purge_unconfirmed()


@retrying_task
def anonymise_inactive_candidates() -> int:
    """Daily: anonymise candidates inactive for two years (CNIL) and say how many."""
    from .services import candidates_anonymise_inactive

    count = candidates_anonymise_inactive()
    logger.info("retention: %s candidate(s) anonymised", count)
    return count
