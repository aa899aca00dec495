from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from candidates.models import Candidate
from candidates.tokens import make_token
from tescforce.tasks import retrying_task

from .models import JobPosting


@retrying_task(autoretry_for=(SMTPException, OSError))
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
        link = settings.SITE_URL + reverse("companies:interest_confirm", kwargs={"token": token})
        context = {"candidate": candidate, "posting": posting, "link": link}
        subject = render_to_string("companies/emails/interest_subject.txt", context).strip()
        body = render_to_string("companies/emails/interest_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [candidate.email])
    return True
