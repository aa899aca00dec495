import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from companies.models import JobPosting
from tescforce.tasks import DELIVERY_ERRORS, retry_later

from . import emails, services
from .models import Candidate
from .tokens import make_token

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (Exception,), "retry_backoff": True, "max_retries": 5}


@shared_task(bind=True, max_retries=8, name=services.CANDIDATE_EMAIL_TASK)
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


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, max_retries=5,
             name=services.INTEREST_LINK_TASK)
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
    with translation.override(language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE):
        link = settings.SITE_URL + reverse("candidates:interest_confirm", kwargs={"token": token})
        context = {"candidate": candidate, "posting": posting, "link": link}
        subject = render_to_string("candidates/email/interest_subject.txt", context).strip()
        body = render_to_string("candidates/email/interest_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [candidate.email])
    return True


@shared_task(**RETRY)
def purge_unconfirmed_candidates() -> int:
    """Daily: delete registrations not confirmed within 7 days."""
    return services.candidates_purge_unconfirmed()


@shared_task(**RETRY)
def anonymise_inactive_candidates() -> int:
    """Daily: anonymise candidates inactive for two years (CNIL) and say how many."""
    count = services.candidates_anonymise_inactive()
    logger.info("retention: %s candidate(s) anonymised", count)
    return count
