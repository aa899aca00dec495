"""Writes of international prospecting: pipeline moves, meetings, settlements and reminders."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from showroom.services import contact_request_mark_handled
from tescforce.errors import DomainError
from tescforce.mail import send_templated
from tescforce.sentlog import claim_once

from .models import REMINDER_KIND, Meeting, Prospect, ProspectStageChange, Settlement
from .selectors import reminder_items

Stage = Prospect.Stage
# Stages that need a meeting that has already taken place.
STAGES_AFTER_A_MEETING = {Stage.MEETING_HELD, Stage.PROJECT}


class ProspectingError(DomainError):
    """A prospecting rule was broken; the message is translatable and shown to the person."""


def prospect_check_move(*, prospect: Prospect, stage: str, lost_reason: str = "") -> None:
    """Raise ProspectingError when moving `prospect` to `stage` makes no sense."""
    if stage not in Stage.values:
        raise ProspectingError(_("Étape inconnue."))
    has_settlement = prospect.pk is not None and Settlement.objects.filter(prospect=prospect).exists()
    if prospect.stage == Stage.SETTLED and stage != Stage.SETTLED and has_settlement:
        raise ProspectingError(_("Cette entreprise est implantée : supprimez d'abord son implantation."))
    if stage == Stage.SETTLED and not has_settlement:
        raise ProspectingError(_("Une entreprise ne passe « implantée » qu'en enregistrant son implantation."))
    if stage == Stage.LOST and not lost_reason.strip():
        raise ProspectingError(_("Indiquez la raison de la perte."))
    if stage in STAGES_AFTER_A_MEETING and stage != prospect.stage:
        held = prospect.pk is not None and Meeting.objects.filter(
            prospect=prospect, starts_at__lte=timezone.now()).exists()
        if not held:
            raise ProspectingError(_("Aucun rendez-vous n'a encore eu lieu avec cette entreprise."))


def prospect_move(*, prospect: Prospect, stage: str, lost_reason: str = "", by=None, note: str = "") -> Prospect:
    """Move `prospect` to `stage` after checking the move, and record it in the stage history."""
    with transaction.atomic():
        locked = Prospect.objects.select_for_update().get(pk=prospect.pk)
        if locked.stage == stage and (stage != Stage.LOST or locked.lost_reason == lost_reason.strip()):
            return locked
        prospect_check_move(prospect=locked, stage=stage, lost_reason=lost_reason)
        previous = locked.stage
        locked.stage = stage
        locked.lost_reason = lost_reason.strip() if stage == Stage.LOST else ""
        locked.save(update_fields=["stage", "lost_reason", "updated_at"])
        if previous != stage:
            ProspectStageChange.objects.create(prospect=locked, from_stage=previous, to_stage=stage,
                                               changed_by=by, note=note[:200])
    prospect.stage, prospect.lost_reason = locked.stage, locked.lost_reason
    return locked


def prospect_create_from_contact_request(*, contact_request, by=None) -> Prospect:
    """Open a prospect from a showroom contact request and mark the request handled."""
    if not contact_request.country:
        raise ProspectingError(_("La demande n'indique pas de pays : créez la fiche à la main."))
    with transaction.atomic():
        prospect = Prospect.objects.create(
            name=contact_request.organisation, country=contact_request.country,
            sector=contact_request.use_case.sector, source=str(_("Showroom : demande de mise en relation")),
            owner=by, stage=Stage.CONTACTED,
            notes=f"{contact_request.name} <{contact_request.email}>\n\n{contact_request.message}",
        )
        prospect.contacts.create(name=contact_request.name, email=contact_request.email)
        ProspectStageChange.objects.create(prospect=prospect, from_stage=Stage.IDENTIFIED, to_stage=Stage.CONTACTED,
                                           changed_by=by, note=str(_("Demande reçue par le showroom")))
        contact_request_mark_handled(contact_request=contact_request)
    return prospect


def settlement_record(
    *, prospect: Prospect, settled_on: dt.date, site_city: str, jobs_planned: int = 0, partners=(), notes: str = "",
    by=None,
) -> Settlement:
    """Record that `prospect` settled in the region and move it to "settled"."""
    if jobs_planned < 0:
        raise ProspectingError(_("Le nombre d'emplois ne peut pas être négatif."))
    with transaction.atomic():
        locked = Prospect.objects.select_for_update().get(pk=prospect.pk)
        try:
            with transaction.atomic():
                settlement = Settlement.objects.create(prospect=locked, settled_on=settled_on, site_city=site_city,
                                                       jobs_planned=jobs_planned, notes=notes)
        except IntegrityError as exc:
            raise ProspectingError(_("Cette entreprise a déjà une implantation enregistrée.")) from exc
        if partners:
            settlement.partners.set(partners)
        previous = locked.stage
        if previous != Stage.SETTLED:
            locked.stage, locked.lost_reason = Stage.SETTLED, ""
            locked.save(update_fields=["stage", "lost_reason", "updated_at"])
            ProspectStageChange.objects.create(prospect=locked, from_stage=previous, to_stage=Stage.SETTLED,
                                               changed_by=by, note=site_city[:200])
    prospect.stage = Stage.SETTLED
    return settlement


def settlement_delete(*, settlement: Settlement, by=None) -> None:
    """Delete a settlement recorded by mistake; the prospect goes back to "project"."""
    with transaction.atomic():
        prospect = Prospect.objects.select_for_update().get(pk=settlement.prospect_id)
        settlement.delete()
        if prospect.stage == Stage.SETTLED:
            prospect.stage = Stage.PROJECT
            prospect.save(update_fields=["stage", "updated_at"])
            ProspectStageChange.objects.create(prospect=prospect, from_stage=Stage.SETTLED, to_stage=Stage.PROJECT,
                                               changed_by=by, note=str(_("Implantation supprimée")))


def meeting_check(*, meeting: Meeting) -> None:
    """Raise ProspectingError for a meeting whose content contradicts its date."""
    if meeting.outcome and meeting.starts_at > timezone.now():
        raise ProspectingError(_("Un rendez-vous à venir ne peut pas encore avoir de résultat."))
    if meeting.next_step_due and not meeting.next_step:
        raise ProspectingError(_("Décrivez la prochaine étape qui a une échéance."))


def meeting_save(*, meeting: Meeting, by=None) -> Meeting:
    """Save a meeting (new or edited) and move its prospect along when the meeting says so.

    Planning a meeting means the company was contacted; a meeting with an outcome was held. A meeting
    without a campaign takes its prospect's, so that it counts in that campaign's figures.
    """
    meeting_check(meeting=meeting)
    with transaction.atomic():
        if meeting.officer_id is None and by is not None and by.is_authenticated:
            meeting.officer = by
        if meeting.campaign_id is None and meeting.prospect.campaign_id is not None:
            meeting.campaign_id = meeting.prospect.campaign_id
        meeting.save()
        prospect = meeting.prospect
        if meeting.outcome and prospect.stage in (Stage.IDENTIFIED, Stage.CONTACTED):
            prospect_move(prospect=prospect, stage=Stage.MEETING_HELD, by=by, note=str(_("Rendez-vous tenu")))
        elif prospect.stage == Stage.IDENTIFIED:
            prospect_move(prospect=prospect, stage=Stage.CONTACTED, by=by, note=str(_("Rendez-vous planifié")))
    return meeting


def meeting_record_outcome(
    *, meeting: Meeting, outcome: str, notes: str = "", next_step: str = "", next_step_due: dt.date | None = None,
    next_step_owner=None, by=None,
) -> Meeting:
    """Record what came out of a meeting that has taken place."""
    if outcome not in Meeting.Outcome.values:
        raise ProspectingError(_("Résultat inconnu."))
    meeting.outcome = outcome
    meeting.notes = notes or meeting.notes
    meeting.next_step, meeting.next_step_due = next_step, next_step_due
    meeting.next_step_owner = next_step_owner or meeting.next_step_owner or by
    meeting.next_step_done = False
    return meeting_save(meeting=meeting, by=by)


def meeting_next_step_done(*, meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(next_step_done=True)


def reminder_send(*, user, day: dt.date) -> bool:
    """E-mail `user` their next steps due and meetings to complete; at most once per user and day.

    The sent-log row and the send share one transaction: a failed send rolls the row back so a
    retry sends again, and a committed row makes every later attempt a no-op (unique constraint).
    """
    next_steps, to_complete = reminder_items(user=user, day=day)
    if not next_steps and not to_complete:
        return False
    with transaction.atomic():
        if not claim_once(kind=REMINDER_KIND, user=user, period=day, items=len(next_steps) + len(to_complete),
                          counts={"next_steps": len(next_steps), "meetings_to_complete": len(to_complete)}):
            return False
        send_templated(template="prospecting/email/reminder", language="fr", to=[user.email],
                       context={"user": user, "day": day, "next_steps": next_steps, "to_complete": to_complete,
                                "site_url": settings.SITE_URL})
    return True
