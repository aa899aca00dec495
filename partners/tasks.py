"""Partner background jobs: the e-mails to members and referred people, the weekly digest, the purge."""

import datetime as dt

from django.utils import timezone

from tescforce.tasks import DELIVERY_ERRORS, RETRY_BY_HAND, retry_later, retrying_task

from . import services
from .models import Member, Referral


@retrying_task(**RETRY_BY_HAND, name=services.REFERRAL_EMAIL_TASK)
def send_referral_email(self, *, referral_id: int) -> bool:
    """E-mail the referred person their link; a referral answered or erased since gets nothing."""
    referral = Referral.objects.select_related("partner", "candidate", "duplicate_of", "proposed_session").filter(
        pk=referral_id).first()
    if referral is None:
        return False
    try:
        return services.referral_email_send(referral=referral)
    except DELIVERY_ERRORS as exc:
        retry_later(self, exc)
    return False


@retrying_task(**RETRY_BY_HAND, name=services.MEMBER_INVITATION_TASK)
def send_member_invitation(self, *, member_id: int) -> bool:
    member = Member.objects.select_related("user", "partner").filter(pk=member_id).first()
    if member is None:
        return False
    try:
        return services.member_invitation_send(member=member)
    except DELIVERY_ERRORS as exc:
        retry_later(self, exc)
    return False


@retrying_task(name="partners.tasks.digest_send", autoretry_for=(OSError,))
def digest_send(member_id: int, day: str) -> bool:
    """Send one member last week's digest; a second run for the same week sends nothing."""
    member = Member.objects.select_related("user", "partner").filter(pk=member_id).first()
    if member is None:
        return False
    return services.digest_send(member=member, day=dt.date.fromisoformat(day))


@retrying_task(name="partners.tasks.digest_dispatch", autoretry_for=())
def digest_dispatch() -> int:
    """Weekly (Monday morning): queue last week's digest for every active member who receives it."""
    day = timezone.localdate()
    ids = list(Member.objects.filter(disabled_at__isnull=True, digest=True, user__is_active=True)
               .values_list("pk", flat=True))
    for member_id in ids:
        digest_send.delay(member_id, day.isoformat())
    return len(ids)


@retrying_task(name="partners.tasks.purge_unanswered_referrals")
def purge_unanswered_referrals() -> int:
    """Daily: blank the referrals nobody answered within 7 days, as unconfirmed sign-ups are."""
    return services.referrals_purge_unanswered()
