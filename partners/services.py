"""The partner space's writes: members invited and disabled, people referred, the person's answer, erasure.

Consent is the person's own: a partner types who they refer, but nothing about that person reaches a
recruiter, and no candidate record exists, until the person opens the link e-mailed to them, completes their
registration and ticks the consent texts themselves (`referral_accept_registration`), or, already known,
agrees to link the referral to their registration (`referral_link`). Duplicates (an address or a phone
already registered, or referred and not yet answered) are never merged without that agreement, and the
partner learns nothing about the existing person.

Locking: a referral locks its organisation's row, so that one organisation referring the same person twice at
once makes one referral; the unique (partner, candidate) constraint holds it in the database too.
"""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from candidates import services as candidate_services
from candidates.models import Candidate
from companies.models import Partner
from tescforce import erasure, roles
from tescforce.errors import DomainError
from tescforce.mail import send_templated
from tescforce.sentlog import claim_once
from tescforce.tasks import enqueue_on_commit

from . import selectors, tokens, wording
from .models import Member, Referral

logger = logging.getLogger(__name__)

REFERRAL_EMAIL_TASK = "partners.tasks.send_referral_email"
MEMBER_INVITATION_TASK = "partners.tasks.send_member_invitation"
DIGEST_KIND = "partners.weekly_digest"
# A referral nobody answered goes with the unconfirmed sign-ups, after the same delay.
UNANSWERED_TTL = candidate_services.UNCONFIRMED_TTL


class PartnerError(DomainError):
    """A refused partner action (invitation, referral, link); the message is for the person."""


# --- members -----------------------------------------------------------------------------------------

def member_invite(*, partner: Partner, email: str, first_name: str, last_name: str, language: str = "fr",
                  username: str = "", by=None) -> Member:
    """Open an account for a member of `partner` and e-mail them the link to choose a password.

    The account is no staff account (no admin, no desk): it holds the Partenaires role only, and its
    membership is checked on every request (partners/access.py).
    """
    User = get_user_model()
    email = email.strip()
    username = (username or email).strip().lower()
    if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=username)).exists():
        raise PartnerError(_("Un compte existe déjà avec cet e-mail ou cet identifiant."), field="email")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with transaction.atomic():
        user = User(username=username, email=email, first_name=first_name.strip(), last_name=last_name.strip(),
                    is_staff=False, is_superuser=False)
        user.set_unusable_password()
        user.save()
        user.groups.set([Group.objects.get(name=roles.PARTNERS)])
        member = Member.objects.create(user=user, partner=partner, language=language, invited_by=by)
        enqueue_on_commit(MEMBER_INVITATION_TASK, member_id=member.pk)
    return member


def member_invitation_send(*, member: Member, reset: bool = False) -> bool:
    """E-mail the member the link to choose their password (an invitation, or `reset` when they forgot it), in
    their language; False for a disabled member."""
    if not member.is_active or not member.user.email:
        return False
    user = member.user
    with translation.override(member.language):
        link = settings.SITE_URL + reverse("partners:set_password", kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
        context = {"member": member, "partner": member.partner, "username": user.get_username(), "link": link,
                   "login_url": settings.SITE_URL + reverse("partners:login"),
                   "timeout_days": settings.PASSWORD_RESET_TIMEOUT // 86400}
    template = "partners/email/reset" if reset else "partners/email/invitation"
    send_templated(template=template, context=context, to=[user.email], language=member.language)
    return True


def _member_sessions_end(user_id: int) -> int:
    return erasure.end_sessions(lambda data: str(data.get("_auth_user_id")) == str(user_id))


def member_disable(*, member: Member, by=None) -> bool:
    """Disable a member: refused from their next request on, and their open sessions deleted now."""
    with transaction.atomic():
        changed = Member.objects.filter(pk=member.pk, disabled_at__isnull=True).update(disabled_at=timezone.now())
        user_id = member.user_id
        transaction.on_commit(lambda: _member_sessions_end(user_id))
    member.refresh_from_db()
    return changed == 1


def member_enable(*, member: Member, by=None) -> bool:
    changed = Member.objects.filter(pk=member.pk, disabled_at__isnull=False).update(disabled_at=None)
    member.refresh_from_db()
    return changed == 1


def member_remove(*, member: Member) -> None:
    """Take a person out of their organisation: the membership goes, the account is closed, sessions end."""
    user = member.user
    with transaction.atomic():
        member.delete()
        type(user).objects.filter(pk=user.pk).update(is_active=False)
        transaction.on_commit(lambda: _member_sessions_end(user.pk))


# --- referral ----------------------------------------------------------------------------------------

REFERRAL_FIELDS = ("first_name", "last_name", "email", "phone", "postcode", "profile", "proposed_session",
                   "proposed_track", "note", "language")


def _known_candidate(email: str, phone) -> Candidate | None:
    by_email = Candidate.objects.with_email(email).filter(anonymised_at__isnull=True).first() if email else None
    if by_email is not None or not phone:
        return by_email
    return Candidate.objects.filter(phone=phone, anonymised_at__isnull=True).order_by("pk").first()


def _open_referral(email: str, phone) -> Referral | None:
    """The oldest referral of this address or phone still waiting for the person's answer (none linked yet)."""
    match = Q(email_key=email.strip().lower())
    if phone:
        match |= Q(phone=phone)
    return (Referral.objects.alias(email_key=Lower("email"))
            .filter(match, candidate__isnull=True, linked_at__isnull=True, declined_at__isnull=True,
                    erased_at__isnull=True, duplicate_of__isnull=True)
            .order_by("created_at", "pk").first())


def referral_create(*, member: Member | None = None, partner: Partner | None = None, data: dict,
                    skills=()) -> tuple[Referral | None, bool]:
    """Record a referral and e-mail the person; return (referral, True when the person may be known already).

    A member refers from the partner space; the organisation's own system refers through the API with its key
    (`partner`, no member). Both take this one path: the same duplicate checks, the same e-mail in the person's
    language, nothing visible before they answer.

    A person known by address or phone (registered, or referred and not yet answered) is asked at the address
    already known to agree to link this referral; the partner is told only "perhaps already registered". The
    same organisation referring the same person again makes nothing new.
    """
    if (member is None) == (partner is None):
        raise TypeError("referral_create takes a member or a partner, not both")
    if member is not None:
        if not member.is_active:
            raise PartnerError(_("Votre accès à l'espace partenaire a été désactivé."))
        partner_id, created_by = member.partner_id, member.user
    else:
        partner_id, created_by = partner.pk, None
    session = data.get("proposed_session")
    if session is not None and not selectors.proposable_sessions().filter(pk=session.pk).exists():
        raise PartnerError(_("Cette session n'est plus ouverte aux inscriptions."), field="proposed_session")
    values = {field: data.get(field) for field in REFERRAL_FIELDS if field in data}
    for field in ("phone", "postcode", "proposed_track", "note"):
        values[field] = values.get(field) or ""
    email, phone = values["email"].strip(), values["phone"]
    values["email"] = email
    with transaction.atomic():
        Partner.objects.select_for_update().get(pk=partner_id)
        known = _known_candidate(email, phone)
        earlier = None if known is not None else _open_referral(email, phone)
        if known is not None and Referral.objects.filter(partner_id=partner_id, candidate=known).exists():
            return None, True
        if earlier is not None and earlier.partner_id == partner_id:
            return None, True
        referral = Referral(partner_id=partner_id, created_by=created_by, **values)
        if known is not None:
            referral.match, referral.candidate = Referral.Match.EXISTING, known
        elif earlier is not None:
            referral.match, referral.duplicate_of = Referral.Match.EXISTING, earlier
        referral.save()
        referral.skills.set(skills)
        enqueue_on_commit(REFERRAL_EMAIL_TASK, referral_id=referral.pk)
    return referral, referral.match == Referral.Match.EXISTING


def referral_recipient(referral: Referral) -> tuple[str, str]:
    """Return the (address, language) the person is written to: the address already known for a duplicate."""
    if referral.candidate_id and not referral.candidate.is_anonymised:
        return referral.candidate.email, referral.candidate.language
    earlier = referral.duplicate_of
    if earlier is not None and earlier.erased_at is None:
        return earlier.email, earlier.language
    return referral.email, referral.language


def referral_email_send(*, referral: Referral) -> bool:
    """E-mail the person the link to answer the referral, in their language; False once answered or erased."""
    if not referral.is_open:
        return False
    address, language = referral_recipient(referral)
    if not address:
        return False
    known = referral.match == Referral.Match.EXISTING
    with translation.override(language):
        link = settings.SITE_URL + reverse("partners:answer", kwargs={"token": tokens.make_token(referral)})
        context = {"referral": referral, "partner": referral.partner, "link": link, "known": known,
                   "session": referral.proposed_session, "valid_days": UNANSWERED_TTL.days,
                   "first_name": "" if known else referral.first_name}
    send_templated(template="partners/email/referral", context=context, to=[address], language=language)
    return True


def answer_target(referral: Referral) -> Candidate | None:
    """The registration the person would link the referral to (None: they complete a new registration)."""
    if referral.candidate_id:
        return referral.candidate if not referral.candidate.is_anonymised else None
    address, _language = referral_recipient(referral)
    return Candidate.objects.with_email(address).filter(anonymised_at__isnull=True).first() if address else None


def _mark_linked(referral: Referral, candidate: Candidate, *, share: bool) -> None:
    now = timezone.now()
    try:
        with transaction.atomic():
            changed = Referral.objects.filter(
                pk=referral.pk, linked_at__isnull=True, declined_at__isnull=True, erased_at__isnull=True,
            ).update(candidate=candidate, linked_at=now, share_progress=share,
                     consent_wording_version=wording.SHARE_VERSION if share else "")
    except IntegrityError:
        raise PartnerError(_("Cette orientation est déjà rattachée à votre inscription.")) from None
    if not changed:
        raise PartnerError(_("Vous avez déjà répondu à cette orientation."))
    referral.refresh_from_db()


def referral_accept_registration(*, referral: Referral, data: dict, skills=(), job_families=(),
                                 shown_to_recruiters: bool = False, shown_on_match: bool = False,
                                 share: bool = False, language: str = "fr") -> Candidate:
    """Create the person's confirmed registration from the completed form and link the referral to it.

    The person reached the form through the link e-mailed to the address, which proves it: the registration
    is confirmed at once, with the consents they ticked (candidates/wording.py), recorded as theirs.
    """
    address, _language = referral_recipient(referral)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if not locked.is_open:
            raise PartnerError(_("Vous avez déjà répondu à cette orientation."))
        candidate = candidate_services.candidate_register(
            data={**data, "email": address}, skills=skills, job_families=job_families,
            shown_to_recruiters=shown_to_recruiters, shown_on_match=shown_on_match, language=language,
            attribution={"utm_source": "partenaire", "utm_medium": referral.partner.get_kind_display()},
            confirmed=True)
        if candidate is None:
            raise PartnerError(_("Cette adresse est déjà inscrite : rechargez la page pour rattacher "
                                 "l'orientation à votre inscription."))
        _mark_linked(locked, candidate, share=share)
    referral.refresh_from_db()
    return candidate


def referral_link(*, referral: Referral, share: bool = False) -> Candidate:
    """Link the referral to the person's existing registration, with their agreement given on the page.

    The link reached the registration's own address: an unconfirmed registration is confirmed by it.
    """
    candidate = answer_target(referral)
    if candidate is None:
        raise PartnerError(_("Aucune inscription à rattacher : complétez votre inscription."))
    with transaction.atomic():
        _mark_linked(referral, candidate, share=share)
        if not candidate.is_confirmed:
            candidate_services.candidate_confirm(candidate=candidate)
        candidate_services.candidate_touch(candidate=candidate)
    return candidate


def _blank(queryset) -> int:
    """Blank the personal values of these referrals (the organisation, dates and statuses stay for the figures)."""
    now = timezone.now()
    pks = list(queryset.filter(erased_at__isnull=True).values_list("pk", flat=True))
    if not pks:
        return 0
    for referral in Referral.objects.filter(pk__in=pks).only("pk", "postcode"):
        Referral.objects.filter(pk=referral.pk).update(
            first_name="", last_name="", email="", phone="", postcode=referral.postcode[:2], note="",
            proposed_track="", share_progress=False, erased_at=now)
    Referral.skills.through.objects.filter(referral_id__in=pks).delete()
    erasure.scrub_admin_log(Referral, pks)
    return len(pks)


def referral_decline(*, referral: Referral) -> bool:
    """The person refuses: nothing is linked, and what the partner typed about them is blanked."""
    with transaction.atomic():
        changed = Referral.objects.filter(pk=referral.pk, linked_at__isnull=True, declined_at__isnull=True,
                                          erased_at__isnull=True).update(declined_at=timezone.now())
        if changed:
            _blank(Referral.objects.filter(pk=referral.pk))
    referral.refresh_from_db()
    return changed == 1


def referral_share_withdraw(*, referral: Referral) -> bool:
    """The person stops the partner following their path (Mon espace)."""
    changed = Referral.objects.filter(pk=referral.pk, share_progress=True, consent_withdrawn_at__isnull=True).update(
        consent_withdrawn_at=timezone.now())
    referral.refresh_from_db()
    return changed == 1


def referrals_erase(subject: erasure.Subject) -> int:
    """Erasure hook: blank the referrals of the person, linked or found by their address or phone."""
    match = Q(candidate=subject.candidate)
    if subject.emails:
        match |= Q(email_key__in=subject.emails)
    if subject.phones:
        match |= Q(phone__in=subject.phones)
    return _blank(Referral.objects.alias(email_key=Lower("email")).filter(match))


def referrals_purge_unanswered(*, now: dt.datetime | None = None) -> int:
    """Blank the referrals the person never answered within the delay of an unconfirmed sign-up."""
    cutoff = (now or timezone.now()) - UNANSWERED_TTL
    count = _blank(Referral.objects.filter(linked_at__isnull=True, declined_at__isnull=True,
                                           created_at__lt=cutoff))
    if count:
        logger.info("unanswered referrals purged", extra={"count": count})
    return count


def referral_export_part(candidate: Candidate) -> dict:
    """The person's export: who referred them, when, what they were proposed and what they agreed to share."""
    rows = (Referral.objects.filter(candidate=candidate, linked_at__isnull=False)
            .select_related("partner", "proposed_session").order_by("created_at"))
    return {"referred_by": [{
        "organisation": r.partner.name,
        "referred_at": r.created_at.isoformat(),
        "agreed_at": r.linked_at.isoformat(),
        "proposed_session": str(r.proposed_session) if r.proposed_session else "",
        "proposed_track": r.proposed_track,
        "shares_progress_with_organisation": r.shares_progress,
        "share_wording_version": r.consent_wording_version,
        "share_withdrawn_at": r.consent_withdrawn_at.isoformat() if r.consent_withdrawn_at else None,
    } for r in rows]}


# --- weekly digest -----------------------------------------------------------------------------------

def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Return the Monday starting the week before `day`'s week, and the Monday of `day`'s week (excluded)."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday - dt.timedelta(days=7), monday


def digest_send(*, member: Member, day: dt.date) -> bool:
    """E-mail a member the changes of last week on their organisation's referrals, once per week.

    The sent-log row is written in the transaction that sends: a retry after a failure sends, a second run
    after a success sends nothing (unique kind, member, week). A week with no change sends nothing.
    """
    if not member.is_active or not member.digest or not member.user.email:
        return False
    start, end = week_of(day)
    changes = selectors.digest_changes(partner=member.partner, start=start, end=end)
    if not changes:
        return False
    with transaction.atomic():
        if not claim_once(kind=DIGEST_KIND, user=member.user, period=start, items=len(changes)):
            return False
        with translation.override(member.language):
            context = {"member": member, "partner": member.partner, "changes": changes,
                       "start": start, "end": end - dt.timedelta(days=1),
                       "url": settings.SITE_URL + reverse("partners:home")}
            send_templated(template="partners/email/digest", context=context, to=[member.user.email],
                           language=member.language)
    return True
