"""Writes for the hotline: calls, follow-ups, call-back requests, relocation requests, digests.

Also what the candidate's JSON export and erasure include of the hotline (`hotline_export`,
`hotline_erase`, an erasure hook: see tescforce/erasure.py).
"""

import datetime as dt
import logging

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from candidates import wording
from candidates.models import Candidate, Consent, StageChange
from candidates.search import contact_key
from tescforce import erasure
from tescforce.errors import DomainError
from tescforce.mail import send_templated
from tescforce.permissions import can_see_hotline
from tescforce.sentlog import claim_once
from tescforce.tasks import enqueue_on_commit

from . import selectors
from .models import CallbackRequest, HotlineCall, RelocationRequest

logger = logging.getLogger(__name__)

CALLBACK_ACK_TASK = "hotline.tasks.hotline_callback_acknowledge"
# How long a call-back request is kept after it was received (see docs/privacy.md): the call it asked
# for, and its follow-up, are long done by then.
CALLBACK_REQUEST_RETENTION = dt.timedelta(days=365)

# The public contact page shows these unless settings define HOTLINE_PHONE / HOTLINE_HOURS.
# 05 36 49 xx xx is a range ARCEP keeps for fiction: the demo never shows a real number.
HOTLINE_PHONE = "05 36 49 00 00"
HOTLINE_HOURS = _("du lundi au vendredi, de 9 h à 12 h 30 et de 14 h à 17 h")
# The kind of the daily follow-up digest in the platform's sent log (tescforce.models.SentLog).
DIGEST_KIND = "hotline.digest"


class HotlineError(DomainError):
    """A hotline action that cannot be done; the message is for the person who asked."""


# A relocation request's needs, any one of which makes a request.
NEED_FIELDS = ("need_housing", "need_partner_job", "need_schools", "need_transport", "need_other")


def hotline_contact() -> dict:
    """Return the hotline's phone number and opening hours for the public pages."""
    return {
        "phone": getattr(settings, "HOTLINE_PHONE", HOTLINE_PHONE),
        "hours": getattr(settings, "HOTLINE_HOURS", HOTLINE_HOURS),
    }


def _check_follow_up(*, follow_up_due: dt.date | None, follow_up_owner) -> None:
    if follow_up_due is None:
        if follow_up_owner is not None:
            raise HotlineError(_("Indiquez la date de la relance."))
        return
    if follow_up_due < timezone.localdate():
        raise HotlineError(_("La date de relance ne peut pas être dans le passé."))
    if follow_up_owner is None:
        raise HotlineError(_("Une relance doit avoir un responsable."))
    if not can_see_hotline(follow_up_owner):
        raise HotlineError(_("Le responsable de la relance doit faire partie de la hotline ou des coordinateurs."))


def call_log(
    *,
    logged_by,
    topic: str,
    summary: str,
    candidate: Candidate | None = None,
    caller_name: str = "",
    caller_contact: str = "",
    direction: str = HotlineCall.Direction.INBOUND,
    channel: str = HotlineCall.Channel.PHONE,
    follow_up_due: dt.date | None = None,
    follow_up_owner=None,
    callback: CallbackRequest | None = None,
) -> HotlineCall:
    """Record a call (for a known candidate or an unknown caller) and close the call-back it answers."""
    summary = (summary or "").strip()
    if not summary:
        raise HotlineError(_("Le résumé de l'appel est obligatoire."))
    if topic not in HotlineCall.Topic.values:
        raise HotlineError(_("Sujet inconnu."))
    if direction not in HotlineCall.Direction.values or channel not in HotlineCall.Channel.values:
        raise HotlineError(_("Sens ou canal inconnu."))
    if candidate is not None and candidate.is_anonymised:
        raise HotlineError(_("Cette personne a été effacée."))
    if candidate is None and not (caller_name.strip() or caller_contact.strip()):
        raise HotlineError(_("Indiquez au moins le nom ou le contact de l'appelant."))
    _check_follow_up(follow_up_due=follow_up_due, follow_up_owner=follow_up_owner)

    with transaction.atomic():
        call = HotlineCall.objects.create(
            candidate=candidate,
            caller_name="" if candidate else caller_name.strip()[:160],
            caller_contact="" if candidate else caller_contact.strip()[:254],
            direction=direction,
            channel=channel,
            topic=topic,
            summary=summary,
            follow_up_due=follow_up_due,
            follow_up_owner=follow_up_owner if follow_up_due else None,
            logged_by=logged_by,
        )
        if callback is not None:
            # Conditional update: of two agents answering the same request, only one wins.
            won = CallbackRequest.objects.filter(pk=callback.pk, handled_at__isnull=True).update(
                handled_at=timezone.now(), handled_by=logged_by, call=call,
                candidate=candidate if candidate is not None else callback.candidate,
            )
            if not won:
                raise HotlineError(_("Cette demande de rappel a déjà été traitée."))
        if candidate is not None:
            Candidate.objects.filter(pk=candidate.pk).update(last_activity_at=timezone.now())
    return call


def candidate_create_from_call(
    *,
    recorded_by,
    first_name: str,
    last_name: str,
    profile: str,
    email: str = "",
    phone: str = "",
    shown_to_recruiters: bool = False,
    language: str = "fr",
) -> Candidate:
    """Register a caller as a candidate, with the consent they gave orally recorded as such."""
    email = (email or "").strip()
    if not (email or str(phone or "").strip()):
        raise HotlineError(_("Indiquez un e-mail ou un téléphone."))
    if profile not in Candidate.Profile.values:
        raise HotlineError(_("Profil inconnu."))
    now = timezone.now()
    candidate = Candidate(
        first_name=first_name.strip(), last_name=last_name.strip(), email=email, phone=phone or "",
        profile=profile, shown_to_recruiters=shown_to_recruiters, language=language,
        # The person confirmed who they are on the phone; without this the unconfirmed sign-ups purge
        # would delete them after 7 days.
        confirmed_at=now,
    )
    try:
        candidate.validate_constraints()
    except ValidationError as exc:
        if not email:
            raise HotlineError(
                _("Une fiche sans e-mail existe déjà : demandez une adresse e-mail à la personne.")) from exc
        raise HotlineError(_("Un·e candidat·e utilise déjà cet e-mail : cherchez-le·la plutôt.")) from exc
    try:
        with transaction.atomic():
            candidate.save()
            Consent.objects.create(
                candidate=candidate, kind=Consent.Kind.PROCESSING, wording_version=wording.PROCESSING_VERSION,
                channel=Consent.Channel.PHONE, given_at=now, recorded_by=recorded_by,
            )
            if shown_to_recruiters:
                Consent.objects.create(
                    candidate=candidate, kind=Consent.Kind.SHOWN_TO_RECRUITERS, wording_version=wording.SHOWN_VERSION,
                    channel=Consent.Channel.PHONE, given_at=now, recorded_by=recorded_by,
                )
            StageChange.objects.create(candidate=candidate, from_stage="", to_stage=Candidate.Stage.REGISTERED,
                                       changed_by=recorded_by, comment=str(_("Inscription par la hotline")))
    except IntegrityError as exc:
        # Two agents registering the same address at once: the unique index decides.
        raise HotlineError(_("Un·e candidat·e utilise déjà cet e-mail : cherchez-le·la plutôt.")) from exc
    return candidate


def call_log_for_new_candidate(*, logged_by, candidate_data: dict, **call_fields) -> HotlineCall:
    """Register the caller as a candidate and log the call, both or neither."""
    with transaction.atomic():
        candidate = candidate_create_from_call(recorded_by=logged_by, **candidate_data)
        return call_log(logged_by=logged_by, candidate=candidate, **call_fields)


def follow_up_mark_done(*, call: HotlineCall, user) -> bool:
    """Close a follow-up; return False if it was already closed."""
    return bool(
        HotlineCall.objects.filter(pk=call.pk, follow_up_done_at__isnull=True, follow_up_due__isnull=False)
        .update(follow_up_done_at=timezone.now())
    )


def callback_request_create(
    *,
    name: str,
    topic: str,
    phone: str = "",
    email: str = "",
    preferred_time: str = CallbackRequest.Slot.ANY,
    message: str = "",
    language: str = "fr",
) -> CallbackRequest:
    """Put a visitor's call-back request in the hotline queue and acknowledge it by e-mail."""
    if not (str(phone or "").strip() or (email or "").strip()):
        raise HotlineError(_("Indiquez un téléphone ou un e-mail."))
    if topic not in HotlineCall.Topic.values:
        raise HotlineError(_("Sujet inconnu."))
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    request = CallbackRequest.objects.create(
        name=name.strip()[:160], phone=phone or "", email=(email or "").strip(), preferred_time=preferred_time,
        topic=topic, message=(message or "").strip(), language=language,
    )
    if request.email:
        # Found by name: the tasks module imports this one, not the other way round.
        enqueue_on_commit(current_app.tasks[CALLBACK_ACK_TASK], request.pk)
    return request


def callback_request_acknowledge(*, callback_request_id: int) -> bool:
    """Send the acknowledgement e-mail once; return False if already sent or nothing to send."""
    with transaction.atomic():
        req = (CallbackRequest.objects.select_for_update()
               .filter(pk=callback_request_id, acknowledged_at__isnull=True).exclude(email="").first())
        if req is None:
            return False
        send_templated(template="hotline/email/callback_ack",
                       subject=_("Tesc Force : nous avons bien reçu votre demande de rappel"),
                       context={"request": req, "contact": hotline_contact()}, to=[req.email], language=req.language)
        req.acknowledged_at = timezone.now()
        req.save(update_fields=["acknowledged_at"])
    return True


def relocation_request_create(
    *,
    candidate: Candidate,
    target_city: str,
    origin: str = RelocationRequest.Origin.STAFF,
    target_date: dt.date | None = None,
    need_housing: bool = False,
    need_partner_job: bool = False,
    need_schools: bool = False,
    need_transport: bool = False,
    need_other: str = "",
    message: str = "",
    notes: str = "",
    owner=None,
) -> RelocationRequest:
    """Open a relocation request; a person has at most one open at a time."""
    if candidate.is_anonymised:
        raise HotlineError(_("Cette personne a été effacée."))
    if not target_city.strip():
        raise HotlineError(_("Indiquez la ville visée."))
    if not (need_housing or need_partner_job or need_schools or need_transport or need_other.strip()):
        raise HotlineError(_("Cochez au moins un besoin."))
    if target_date is not None and target_date < timezone.localdate():
        raise HotlineError(_("La date d'arrivée ne peut pas être dans le passé."))
    if owner is not None and not can_see_hotline(owner):
        raise HotlineError(_("La personne qui suit la demande doit faire partie de la hotline ou des coordinateurs."))
    try:
        with transaction.atomic():
            request = RelocationRequest.objects.create(
                candidate=candidate, origin=origin, target_city=target_city.strip(), target_date=target_date,
                need_housing=need_housing, need_partner_job=need_partner_job, need_schools=need_schools,
                need_transport=need_transport, need_other=need_other.strip(), message=message.strip(),
                notes=notes.strip(), owner=owner,
            )
            Candidate.objects.filter(pk=candidate.pk).update(last_activity_at=timezone.now())
    except IntegrityError as exc:
        raise HotlineError(_("Une demande d'aide à l'installation est déjà en cours pour cette personne.")) from exc
    return request


def relocation_request_update(*, request: RelocationRequest, status: str, notes: str, owner=None,
                              target_city: str | None = None, target_date: dt.date | None = None,
                              **needs) -> RelocationRequest:
    """Change a relocation request's status, notes, owner, arrival or needs (staff only).

    `needs` are the request's need_* fields; those not given stay as they are, and at least one need
    must remain.
    """
    if status not in RelocationRequest.Status.values:
        raise HotlineError(_("Statut inconnu."))
    if owner is not None and not can_see_hotline(owner):
        raise HotlineError(_("La personne qui suit la demande doit faire partie de la hotline ou des coordinateurs."))
    unknown = set(needs) - set(NEED_FIELDS)
    if unknown:
        raise TypeError(f"unknown needs: {sorted(unknown)}")
    request.status = status
    request.notes = (notes or "").strip()
    request.owner = owner
    if target_city is not None and target_city.strip():
        request.target_city = target_city.strip()
    if target_date is not None:
        request.target_date = target_date
    for name, value in needs.items():
        setattr(request, name, value.strip() if isinstance(value, str) else bool(value))
    if not any(getattr(request, name) for name in NEED_FIELDS):
        raise HotlineError(_("Cochez au moins un besoin."))
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:
        raise HotlineError(_("Une demande d'aide à l'installation est déjà en cours pour cette personne.")) from exc
    return request


def follow_up_digest_send(*, owner, day: dt.date) -> bool:
    """E-mail `owner` their due and overdue follow-ups, once per day; return True if sent now.

    The sent-log row is inserted in the same transaction as the sending: a retry after a failed
    send finds no row and sends; a retry after a success is refused by the unique (kind, owner, day).
    """
    if not owner.is_active or not owner.email:
        return False
    items = selectors.digest_items_for(owner=owner, today=day)
    if not items:
        return False
    with transaction.atomic():
        if not claim_once(kind=DIGEST_KIND, user=owner, period=day, items=len(items)):
            return False
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "owner": owner, "day": day, "items": items,
                "overdue": [c for c in items if c.follow_up_due < day],
                "due_today": [c for c in items if c.follow_up_due == day],
                "url": settings.SITE_URL + reverse("staff:hotline_follow_ups"),
            }
            subject = _("Vos relances hotline du %(day)s") % {"day": day.strftime("%d/%m/%Y")}
            send_templated(template="hotline/email/digest", subject=subject, context=context,
                           to=[owner.email], language=settings.LANGUAGE_CODE)
    return True


def hotline_export(candidate: Candidate) -> dict:
    """Return the candidate's calls, call-back and relocation requests, notes included, for their export."""

    def iso(value):
        return value.isoformat() if value else None

    return {
        "calls": [
            {
                "date": iso(c.created_at), "direction": c.direction, "channel": c.channel, "topic": c.topic,
                "summary": c.summary, "follow_up_due": iso(c.follow_up_due),
                "follow_up_done_at": iso(c.follow_up_done_at),
            }
            for c in candidate.calls.order_by("created_at")
        ],
        "callback_requests": [
            {
                "date": iso(r.created_at), "name": r.name, "phone": str(r.phone or ""), "email": r.email,
                "preferred_time": r.preferred_time, "topic": r.topic, "message": r.message,
                "handled_at": iso(r.handled_at),
            }
            for r in candidate.callback_requests.order_by("created_at")
        ],
        "relocation_requests": [
            {
                "date": iso(r.created_at), "needs": {
                    "housing": r.need_housing, "partner_job": r.need_partner_job, "schools": r.need_schools,
                    "transport": r.need_transport, "other": r.need_other,
                },
                "target_city": r.target_city, "target_date": iso(r.target_date), "status": r.status,
                "message": r.message, "notes": r.notes,
            }
            for r in candidate.relocation_requests.order_by("created_at")
        ],
    }


def hotline_export_part(candidate: Candidate) -> dict:
    """Return the hotline's part of the candidate's JSON export, under its export keys (candidates/records.py)."""
    part = hotline_export(candidate)
    return {"hotline_calls": part["calls"], "callback_requests": part["callback_requests"],
            "relocation_requests": part["relocation_requests"]}


def hotline_erase(candidate: Candidate) -> None:
    """Remove the candidate's personal data from the hotline, keeping only countable facts.

    Call it before the candidate's e-mail and phone are overwritten: they find the call-backs and
    the unknown-caller calls logged before the person was known. Calls and relocation requests stay
    (topic, direction, city, needs, dates) for the yearly figures, without their free text;
    call-back requests, which are little more than personal text, are deleted.
    """
    keys = {contact_key(candidate.email), contact_key(str(candidate.phone or ""))} - {""}
    now = timezone.now()
    with transaction.atomic():
        calls = HotlineCall.objects.filter(candidate=candidate)
        if keys:
            calls = calls | HotlineCall.objects.filter(candidate__isnull=True, caller_key__in=keys)
        calls = HotlineCall.objects.filter(pk__in=list(calls.values_list("pk", flat=True)))
        calls.filter(follow_up_due__isnull=False, follow_up_done_at__isnull=True).update(follow_up_done_at=now)
        calls.update(summary="", caller_name="", caller_contact="", caller_key="")
        callbacks = Q(candidate=candidate) | Q(call__candidate=candidate)
        if candidate.email:
            callbacks |= Q(email__iexact=candidate.email)
        if candidate.phone:
            callbacks |= Q(phone=candidate.phone)
        callbacks = CallbackRequest.objects.filter(callbacks)
        relocations = RelocationRequest.objects.filter(candidate=candidate)
        # The admin log and the audit trail keep each object's name (a caller's, a requester's).
        for model, pks in ((HotlineCall, list(calls.values_list("pk", flat=True))),
                           (CallbackRequest, list(callbacks.values_list("pk", flat=True))),
                           (RelocationRequest, list(relocations.values_list("pk", flat=True)))):
            erasure.scrub_admin_log(model, pks)
            erasure.purge_history(model, id__in=pks)
        callbacks.delete()
        relocations.filter(status__in=selectors.ACTIVE_RELOCATION).update(
            status=RelocationRequest.Status.CANCELLED)
        relocations.update(notes="", message="", need_other="")


def callback_requests_purge_old(*, now: dt.datetime | None = None) -> int:
    """Delete the call-back requests received more than CALLBACK_REQUEST_RETENTION ago; return how many."""
    cutoff = (now or timezone.now()) - CALLBACK_REQUEST_RETENTION
    with transaction.atomic():
        pks = list(CallbackRequest.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True))
        erasure.scrub_admin_log(CallbackRequest, pks)
        erasure.purge_history(CallbackRequest, id__in=pks)
        deleted, _rows = CallbackRequest.objects.filter(pk__in=pks).delete()
    return deleted
