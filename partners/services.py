"""The partner space's writes: members invited and disabled, people referred, their answer."""

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from candidates.models import Candidate
from companies.models import Partner
from tescforce.errors import DomainError

from .models import Referral


class PartnerError(DomainError):
    """A refused partner action (invitation, referral, link); the message is for the person."""


# --- referral: the API's way in ------------------------------------------------------------------------
# The partner space's own referral service (the e-mail asking the person to confirm, the answer's page, the
# duplicates the person is asked to link) takes this one's place; the API calls it with these arguments and
# reads the result the same way, so only this section changes when it does.

REFERRAL_FIELDS = ("first_name", "last_name", "email", "phone", "postcode", "profile", "proposed_session",
                   "proposed_track", "note", "language")


def referral_create(*, partner: Partner, data: dict, skills=(), created_by=None) -> tuple[Referral | None, bool]:
    """Record a referral by `partner`; return (referral, True when the person may be known already).

    The same organisation referring the same person again (same address, still unanswered, or the same known
    candidate) makes nothing new: (None, True). Nothing about the person reaches a recruiter: the referral is
    not a candidate until the person confirms and consents themselves.
    """
    values = {field: data.get(field) for field in REFERRAL_FIELDS if field in data}
    for field in ("phone", "postcode", "proposed_track", "note"):
        values[field] = values.get(field) or ""
    values["email"] = (values.get("email") or "").strip()
    with transaction.atomic():
        # One organisation referring one person twice at once makes one referral.
        Partner.objects.select_for_update().get(pk=partner.pk)
        known = Candidate.objects.with_email(values["email"]).filter(anonymised_at__isnull=True).first()
        mine = Referral.objects.alias(email_key=Lower("email")).filter(partner=partner, erased_at__isnull=True)
        same = Q(email_key=values["email"].lower(), linked_at__isnull=True, declined_at__isnull=True)
        if known is not None:
            same |= Q(candidate=known)
        if mine.filter(same).exists():
            return None, True
        referral = Referral(partner=partner, created_by=created_by if getattr(created_by, "pk", None) else None,
                            **values)
        if known is not None:
            referral.match, referral.candidate = Referral.Match.EXISTING, known
        referral.save()
        referral.skills.set(skills)
    return referral, referral.match == Referral.Match.EXISTING
