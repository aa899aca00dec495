"""Writes of the showroom."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tescforce import erasure
from tescforce.errors import DomainError
from tescforce.mail import send_templated
from tescforce.tasks import enqueue_on_commit

from .images import ImageRejected, image_reencode
from .models import ContactRequest, UseCase, UseCaseImage

# How long a contact request is kept after it was received (see docs/privacy.md).
CONTACT_REQUEST_RETENTION = dt.timedelta(days=365)
# Queued by name: tasks.py imports this module, not the other way round.
ACKNOWLEDGE_TASK = "showroom.tasks.acknowledge_contact_request"


class ShowroomError(DomainError):
    """A showroom rule was broken; the message is translatable and shown to the person."""


def contact_request_create(
    *, use_case: UseCase, name: str, email: str, organisation: str, message: str, country: str = "",
    language: str = "fr",
) -> ContactRequest:
    """Record a visitor's request to meet the companies behind a use case and acknowledge it by e-mail."""
    if not use_case.is_published:
        raise ShowroomError(_("Ce cas d'usage n'est pas publié."))
    request = ContactRequest.objects.create(
        use_case=use_case, name=name.strip(), email=email.strip(), organisation=organisation.strip(),
        message=message.strip(), country=country, language=language[:2],
    )
    enqueue_on_commit(ACKNOWLEDGE_TASK, request.pk)
    return request


def contact_request_acknowledge(*, contact_request_id: int) -> bool:
    """Send the acknowledgement e-mail once; return False when it was already sent.

    The stamp and the send share one transaction: if the send fails the stamp is rolled back and a
    retry sends again; once committed, no retry sends twice.
    """
    with transaction.atomic():
        claimed = ContactRequest.objects.filter(pk=contact_request_id, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now())
        if not claimed:
            return False
        request = ContactRequest.objects.select_related("use_case").get(pk=contact_request_id)
        send_templated(template="showroom/email/contact_ack", language=request.language or "fr",
                       context={"contact_request": request, "use_case": request.use_case}, to=[request.email])
    return True


def contact_requests_erase(*, emails) -> int:
    """Delete the contact requests sent from these addresses, and their admin-log names; return how many."""
    addresses = [e for e in emails if e]
    if not addresses:
        return 0
    query = Q()
    for address in addresses:
        query |= Q(email__iexact=address)
    return _delete_requests(ContactRequest.objects.filter(query))


def contact_requests_purge_old(*, now=None) -> int:
    """Delete the contact requests received more than CONTACT_REQUEST_RETENTION ago; return how many.

    A request is a business contact made for one exchange: a year covers the follow-up of a prospect.
    """
    cutoff = (now or timezone.now()) - CONTACT_REQUEST_RETENTION
    return _delete_requests(ContactRequest.objects.filter(created_at__lt=cutoff))


def _delete_requests(requests) -> int:
    with transaction.atomic():
        pks = list(requests.values_list("pk", flat=True))
        erasure.scrub_admin_log(ContactRequest, pks)
        erasure.purge_history(ContactRequest, id__in=pks)
        deleted, _rows = ContactRequest.objects.filter(pk__in=pks).delete()
    return deleted


def contact_request_mark_handled(*, contact_request: ContactRequest) -> None:
    ContactRequest.objects.filter(pk=contact_request.pk).update(handled=True)


def use_case_image_add(*, use_case: UseCase, upload, alt_text: str, position: int = 0) -> UseCaseImage:
    """Store a re-encoded copy of `upload` (no metadata, bounded size) as an image of the use case."""
    try:
        clean = image_reencode(upload)
    except ImageRejected as exc:
        raise ShowroomError(str(exc)) from exc
    return UseCaseImage.objects.create(use_case=use_case, image=clean, alt_text=alt_text, position=position)
