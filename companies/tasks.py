from smtplib import SMTPException

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from candidates.models import Candidate
from candidates.tokens import make_token
from tescforce.mail import send_templated
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
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        link = settings.SITE_URL + reverse("companies:interest_confirm", kwargs={"token": token})
    send_templated(template="companies/emails/interest", context={"candidate": candidate, "posting": posting,
                   "link": link}, to=[candidate.email], language=language)
    return True
