# Celery discovers only `<app>.tasks`: the topic modules are imported here.
from .hotline_tasks import *  # noqa: F403, I001
from .matching_tasks import *  # noqa: F403

import logging

from celery import shared_task

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (Exception,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def send_candidate_email(*, candidate_id: int, kind: str, language: str, action: dict | None = None) -> bool:
    """Send one signed-link e-mail; a candidate erased or purged since gets nothing."""
    from .emails import send_candidate_email as send
    from .models import Candidate

    candidate = Candidate.objects.filter(pk=candidate_id, anonymised_at__isnull=True).first()
    if candidate is None:
        return False
    send(candidate=candidate, kind=kind, language=language, action=action)
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
