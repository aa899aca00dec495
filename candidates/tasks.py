import logging
from smtplib import SMTPException

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from companies.models import JobPosting
from tescforce.mail import send_templated
from tescforce.tasks import DELIVERY_ERRORS, RETRY_BY_HAND, retry_later, retrying_task

from . import emails, services
from .models import Candidate
from .tokens import make_token

logger = logging.getLogger(__name__)


@retrying_task(**RETRY_BY_HAND, name=services.CANDIDATE_EMAIL_TASK)
def send_candidate_email(self, *, candidate_id: int, kind: str, language: str, action: dict | None = None) -> bool:
    """Send one signed-link e-mail; a candidate erased or purged since gets nothing.

    A worker retries a failed send with backoff; in-process the failure is logged and the person gets
    a fresh link by registering again or asking for their "Mon espace" link.
    """
    candidate = Candidate.objects.filter(pk=candidate_id, anonymised_at__isnull=True).first()
    if candidate is None:
        return False
    try:
        emails.send_candidate_email(candidate=candidate, kind=kind, language=language, action=action)
    except DELIVERY_ERRORS as exc:
        retry_later(self, exc)
    return True


@retrying_task(autoretry_for=(SMTPException, OSError), name=services.INTEREST_LINK_TASK)
def send_interest_link(candidate_id: int, posting_id: int, language: str) -> bool:
    """E-mail a candidate the signed link that confirms their interest in a posting."""
    candidate = Candidate.objects.filter(
        pk=candidate_id, confirmed_at__isnull=False, anonymised_at__isnull=True
    ).first()
    posting = JobPosting.objects.select_related("company").filter(pk=posting_id).first()
    if candidate is None or posting is None:
        return False
    token = make_token(candidate_public_id=str(candidate.public_id), purpose="action",
                       data={"action": "job_interest", "posting": posting.pk})
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        link = settings.SITE_URL + reverse("candidates:interest_confirm", kwargs={"token": token})
    send_templated(template="candidates/email/interest", context={"candidate": candidate, "posting": posting,
                   "link": link}, to=[candidate.email], language=language)
    return True


@retrying_task
def purge_unconfirmed_candidates() -> int:
    """Daily: delete registrations not confirmed within 7 days."""
    return services.candidates_purge_unconfirmed()


@retrying_task
def anonymise_inactive_candidates() -> int:
    """Daily: anonymise candidates inactive for two years (CNIL) and say how many."""
    count = services.candidates_anonymise_inactive()
    logger.info("retention: %s candidate(s) anonymised", count)
    return count
