"""Every write on candidates, their consents, their pipeline, their interest in job postings and their erasure."""

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies.models import JobPosting
from tescforce import erasure
from tescforce.errors import DomainError
from tescforce.tasks import enqueue_on_commit

from . import pending, records, search, space, wording
from .models import (
    Campaign,
    Candidate,
    Consent,
    Erasure,
    JobInterest,
    LinkEmailSent,
    Orientation,
    Qualification,
    StageChange,
)

logger = logging.getLogger(__name__)

UNCONFIRMED_TTL = dt.timedelta(days=7)
# A link e-mailed on request (confirmation, Mon espace, booking, interest) goes at most once in this time
# per address and purpose: a script posting one address in a loop sends one e-mail, not a flood.
LINK_EMAIL_INTERVAL = dt.timedelta(minutes=10)
# CNIL: a candidate's data is kept at most two years after the last contact.
RETENTION = dt.timedelta(days=2 * 365)

# The tasks services queue, by name: tasks.py imports this module, not the other way round.
CANDIDATE_EMAIL_TASK = "candidates.tasks.send_candidate_email"
# The name it had in companies: links queued before the interest flow moved here still go.
INTEREST_LINK_TASK = "companies.tasks.send_interest_link"

# What a recruiter may set on a shortlisted candidate.
SHORTLIST_STATUSES = ("to_contact", "interview", "offer", "hired", "declined")

Stage = Candidate.Stage
# Where each stage may go next; anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    Stage.REGISTERED: {Stage.QUALIFIED, Stage.WITHDRAWN},
    Stage.QUALIFIED: {Stage.ORIENTED, Stage.WITHDRAWN},
    Stage.ORIENTED: {Stage.IN_RECRUITMENT, Stage.HIRED, Stage.QUALIFIED, Stage.WITHDRAWN},
    Stage.IN_RECRUITMENT: {Stage.HIRED, Stage.ORIENTED, Stage.WITHDRAWN},
    Stage.HIRED: set(),
    Stage.WITHDRAWN: {Stage.REGISTERED},
}

PROFILE_FIELDS = (
    "first_name", "last_name", "phone", "postcode", "city", "profile", "education", "experience",
    "mobility_toulouse", "mobility_montpellier", "mobility_occitanie", "mobility_remote", "contract_wanted",
    "available_from", "gender",
)


class CandidateError(DomainError):
    """A refused operation on a candidate, with a message for the person who asked."""


def _enqueue_email(*, candidate: Candidate, kind: str, language: str, action: dict | None = None) -> None:
    # A failing mail server never turns the saved registration into an error page.
    enqueue_on_commit(CANDIDATE_EMAIL_TASK, candidate_id=candidate.pk, kind=kind, language=language, action=action)


def link_email_claim(*, candidate: Candidate, purpose: str) -> bool:
    """Claim the right to e-mail `purpose`'s link to the candidate now; False if one left in the last ten minutes.

    Decided by the database: the first insert of the (candidate, purpose) row wins, and later a conditional
    UPDATE on its date lets exactly one of several simultaneous requests through.
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            LinkEmailSent.objects.create(candidate_id=candidate.pk, purpose=purpose, sent_at=now)
        return True
    except IntegrityError:
        return LinkEmailSent.objects.filter(candidate_id=candidate.pk, purpose=purpose,
                                            sent_at__lte=now - LINK_EMAIL_INTERVAL).update(sent_at=now) == 1


def _find_by_email(email: str) -> Candidate | None:
    return Candidate.objects.with_email(email).filter(anonymised_at__isnull=True).first()


def campaign_for_attribution(attribution: dict[str, str]) -> Campaign | None:
    code = (attribution or {}).get("utm_campaign", "").strip()
    if not code:
        return None
    return Campaign.objects.filter(code__iexact=code).first()


# --- registration and double opt-in -------------------------------------------------------------

def candidate_register(
    *,
    data: dict[str, Any],
    skills=(),
    job_families=(),
    cv=None,
    shown_to_recruiters: bool = False,
    shown_on_match: bool = False,
    language: str = "fr",
    attribution: dict[str, str] | None = None,
    action: dict | None = None,
    confirmed: bool = False,
) -> Candidate | None:
    """Create a pending candidate and send the confirmation link; return None when the address is known.

    A known address is never updated from an anonymous form: its owner gets their "Mon espace" link
    (or a fresh confirmation link if they never confirmed), so a stranger learns nothing.
    `confirmed=True` is for a person who reached the form through a link e-mailed to this address (a
    partner's referral, partners/): the address is proven, so the record is confirmed at once and no
    e-mail goes; a known address then gets nothing either (the caller offers to link instead).
    """
    email = data["email"].strip()
    existing = _find_by_email(email)
    if existing is not None:
        if not confirmed:
            _send_to_known(existing, language=language, action=action)
        return None
    attribution = attribution or {}
    now = timezone.now()
    try:
        with transaction.atomic():
            candidate = Candidate(email=email, language=language, **{f: data.get(f) for f in PROFILE_FIELDS
                                                                      if f in data})
            for field in ("phone", "postcode", "city", "education", "gender"):
                if getattr(candidate, field) is None:
                    setattr(candidate, field, "")
            candidate.shown_to_recruiters = bool(shown_to_recruiters)
            candidate.source_campaign = campaign_for_attribution(attribution)
            for key in ("utm_source", "utm_medium", "utm_campaign"):
                setattr(candidate, key, (attribution.get(key) or "")[:80])
            if cv:
                candidate.cv = cv
            if confirmed:
                candidate.confirmed_at = now
            candidate.save()
            _link_new(candidate, skills=skills, job_families=job_families)
            kinds = [Consent.Kind.PROCESSING] + ([Consent.Kind.SHOWN_TO_RECRUITERS] if shown_to_recruiters else [])
            kinds += [Consent.Kind.SHOWN_ON_MATCH] if shown_on_match else []
            Consent.objects.bulk_create([
                Consent(candidate=candidate, kind=kind, wording_version=wording.VERSIONS[kind], given_at=now)
                for kind in kinds
            ])
            StageChange.objects.create(candidate=candidate, from_stage="", to_stage=Stage.REGISTERED)
            if not confirmed:
                link_email_claim(candidate=candidate, purpose="account:confirm")
    except IntegrityError:
        # The same address registered at the same moment: the database kept one.
        existing = _find_by_email(email)
        if existing is not None and not confirmed:
            _send_to_known(existing, language=language, action=action)
        return None
    if confirmed:
        for react in _CONFIRMED_HOOKS.values():
            react(candidate)
    else:
        _enqueue_email(candidate=candidate, kind="confirm", language=language, action=action)
    return candidate


def _link_new(candidate: Candidate, *, skills, job_families) -> None:
    # A new record has no links to compare with: one INSERT per table instead of set()'s read, compare and
    # write. No m2m_changed is sent; matching scores a person when the address is confirmed (the hooks below).
    for through, column, objs in ((Candidate.skills.through, "skill_id", skills),
                                  (Candidate.desired_job_families.through, "jobfamily_id", job_families)):
        through.objects.bulk_create([through(candidate_id=candidate.pk, **{column: getattr(obj, "pk", obj)})
                                     for obj in dict.fromkeys(objs)])


def _send_to_known(candidate: Candidate, *, language: str, action: dict | None) -> None:
    kind = "already" if candidate.is_confirmed else "confirm"
    # One limit per kind of message: a confirmation just sent must not hold back a later sign-in link.
    if not link_email_claim(candidate=candidate, purpose=f"account:{kind}"):
        return
    _enqueue_email(candidate=candidate, kind=kind, language=language, action=action)


# Rooms above candidates react to a confirmed e-mail (matching scores the person at once); the UPDATE
# below sends no post_save. They register from their AppConfig.ready(), candidates imports none.
_CONFIRMED_HOOKS: dict[str, Callable[[Candidate], None]] = {}


def on_candidate_confirmed(key: str, react: Callable[[Candidate], None]) -> None:
    """Call `react(candidate)` after an e-mail is confirmed, the first time; registering a key again replaces it."""
    _CONFIRMED_HOOKS[key] = react


def candidate_confirm(*, candidate: Candidate) -> bool:
    """Mark the e-mail confirmed; return True the first time only (a conditional UPDATE decides)."""
    now = timezone.now()
    updated = Candidate.objects.filter(pk=candidate.pk, confirmed_at__isnull=True,
                                       anonymised_at__isnull=True).update(confirmed_at=now, last_activity_at=now)
    candidate.refresh_from_db()
    if updated:
        for react in _CONFIRMED_HOOKS.values():
            react(candidate)
    return updated == 1


def candidate_touch(*, candidate: Candidate) -> None:
    """Record that the candidate did something (retention counts two years from the last activity)."""
    now = timezone.now()
    Candidate.objects.filter(pk=candidate.pk).update(last_activity_at=now)
    candidate.last_activity_at = now


def candidate_request_space_link(*, email: str, language: str) -> None:
    """Send the "Mon espace" link when the address is known; do nothing visible otherwise."""
    candidate = _find_by_email(email)
    if candidate is None:
        return
    kind = "space" if candidate.is_confirmed else "confirm"
    if not link_email_claim(candidate=candidate, purpose=f"account:{kind}"):
        return
    _enqueue_email(candidate=candidate, kind=kind, language=language)


def pending_action_run(*, candidate: Candidate, action: dict | None) -> tuple[bool, str]:
    """Run a pending action for a confirmed candidate; return (succeeded, message for the visitor)."""
    if not action:
        return False, ""
    cleaned = pending.clean_action(action.get("name"), action.get("id"))
    handler = pending.get_handler(cleaned["name"]) if cleaned else None
    if handler is None:
        return False, str(_("Cette demande n'est plus disponible."))
    try:
        with transaction.atomic():
            message = handler(candidate, {"id": cleaned["id"]})
    except Exception as exc:  # noqa: BLE001 - a handler's failure must not undo the confirmation
        # A refusal carries a message for the person; anything else is a fault, logged.
        if isinstance(exc, DomainError):
            return False, str(exc)
        if isinstance(exc, ValidationError):
            return False, " ".join(exc.messages)
        logger.exception("pending action %s failed", cleaned["name"])
        return False, str(_("Votre demande n'a pas pu être traitée. Réessayez depuis le site."))
    candidate_touch(candidate=candidate)
    return True, str(message or "")


# --- Mon espace -----------------------------------------------------------------------------------

def candidate_update_profile(*, candidate: Candidate, data: dict[str, Any], skills=None,
                             job_families=None) -> Candidate:
    """Save the fields the candidate may edit themselves."""
    if candidate.is_anonymised:
        raise CandidateError(_("Ce compte a été effacé."))
    for field in PROFILE_FIELDS:
        if field in data:
            value = data[field]
            setattr(candidate, field, "" if value is None and field != "available_from" else value)
    candidate.last_activity_at = timezone.now()
    candidate.save()
    if skills is not None:
        candidate.skills.set(skills)
    if job_families is not None:
        candidate.desired_job_families.set(job_families)
    return candidate


def candidate_replace_cv(*, candidate: Candidate, cv) -> Candidate:
    """Store a new CV and delete the old file once the change is committed."""
    old_name = candidate.cv.name if candidate.cv else ""
    storage = candidate.cv.storage
    candidate.cv = cv
    candidate.last_activity_at = timezone.now()
    candidate.save(update_fields=["cv", "last_activity_at", "updated_at"])
    if old_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    return candidate


def consent_give(*, candidate: Candidate, kind: str, channel: str = Consent.Channel.WEB,
                 by=None) -> Consent:
    """Record a consent with the current wording; giving one already active in that wording returns it.

    An active consent to an older wording is closed and a new one recorded: the person has now read
    and accepted the current text.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if locked.is_anonymised:
            raise CandidateError(_("Ce compte a été effacé."))
        consent = Consent.objects.filter(candidate=locked, kind=kind, withdrawn_at__isnull=True).first()
        if consent is not None and consent.wording_version != wording.VERSIONS[kind]:
            Consent.objects.filter(pk=consent.pk).update(withdrawn_at=now)
            consent = None
        if consent is None:
            consent = Consent.objects.create(candidate=locked, kind=kind, wording_version=wording.VERSIONS[kind],
                                             channel=channel, given_at=now, recorded_by=by)
        if kind == Consent.Kind.SHOWN_TO_RECRUITERS:
            Candidate.objects.filter(pk=locked.pk).update(shown_to_recruiters=True, last_activity_at=now)
        else:
            Candidate.objects.filter(pk=locked.pk).update(last_activity_at=now)
    candidate.refresh_from_db()
    return consent


def consent_withdraw(*, candidate: Candidate, kind: str) -> int:
    """Withdraw the active consent of `kind`; return how many rows changed (0 or 1).

    Rooms above this one act on it through `records.register_consent_withdrawn` (the agenda frees the
    person's job-dating interviews to come when the match consent goes), in the same transaction.
    """
    now = timezone.now()
    with transaction.atomic():
        changed = Consent.objects.filter(candidate=candidate, kind=kind, withdrawn_at__isnull=True).update(
            withdrawn_at=now)
        if kind == Consent.Kind.SHOWN_TO_RECRUITERS:
            Candidate.objects.filter(pk=candidate.pk).update(shown_to_recruiters=False, last_activity_at=now)
        else:
            Candidate.objects.filter(pk=candidate.pk).update(last_activity_at=now)
        records.consent_withdrawn(candidate, kind)
    candidate.refresh_from_db()
    return changed


# --- pipeline -------------------------------------------------------------------------------------

def candidate_move(*, candidate: Candidate, to_stage: str, by=None, comment: str = "") -> StageChange:
    """Move the candidate to `to_stage` and record who did it; refuse transitions that make no sense."""
    if to_stage not in Stage.values:
        raise CandidateError(_("Étape inconnue : %(stage)s.") % {"stage": to_stage})
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        _check_move(locked, to_stage)
        from_stage = locked.stage
        Candidate.objects.filter(pk=locked.pk).update(stage=to_stage, updated_at=timezone.now())
        change = StageChange.objects.create(candidate=locked, from_stage=from_stage, to_stage=to_stage,
                                            changed_by=by, comment=comment or "")
    candidate.stage = to_stage
    return change


def _check_move(candidate: Candidate, to_stage: str) -> None:
    labels = dict(Stage.choices)
    if candidate.is_anonymised:
        raise CandidateError(_("Ce compte a été effacé."))
    if not candidate.is_confirmed:
        raise CandidateError(_("%(name)s n'a pas encore confirmé son e-mail.") % {"name": candidate})
    if candidate.stage == to_stage:
        raise CandidateError(_("%(name)s est déjà à l'étape « %(stage)s ».")
                             % {"name": candidate, "stage": labels[to_stage]})
    if to_stage not in TRANSITIONS[candidate.stage]:
        raise CandidateError(_("Impossible de passer %(name)s de « %(from)s » à « %(to)s ».")
                             % {"name": candidate, "from": labels[candidate.stage], "to": labels[to_stage]})
    if to_stage == Stage.QUALIFIED and not Qualification.objects.filter(candidate=candidate).exists():
        raise CandidateError(_("Remplissez d'abord la qualification de %(name)s.") % {"name": candidate})
    if to_stage in (Stage.ORIENTED, Stage.IN_RECRUITMENT) and not candidate.orientations.exists():
        raise CandidateError(_("Orientez d'abord %(name)s vers une entreprise.") % {"name": candidate})


def _check_qualifiable(candidate: Candidate) -> None:
    if candidate.is_anonymised:
        raise CandidateError(_("Ce compte a été effacé."))
    if not candidate.is_confirmed:
        raise CandidateError(_("%(name)s n'a pas encore confirmé son e-mail.") % {"name": candidate})


def candidate_qualify(*, candidate: Candidate, level: str, motivation: int, training_needed: str = "",
                      notes: str = "", by=None) -> Qualification:
    """Save the qualification and move a registered candidate to "qualified"."""
    _check_qualifiable(candidate)
    with transaction.atomic():
        qualification, _created = Qualification.objects.update_or_create(
            candidate=candidate,
            defaults={"level": level, "motivation": motivation, "training_needed": training_needed or "",
                      "notes": notes or "", "qualified_by": by},
        )
        candidate.refresh_from_db(fields=["stage"])
        if candidate.stage == Stage.REGISTERED:
            candidate_move(candidate=candidate, to_stage=Stage.QUALIFIED, by=by)
    return qualification


def qualification_save(*, qualification: Qualification, by=None) -> Qualification:
    """Save a qualification edited in the admin (its own page or the candidate's) as `candidate_qualify` does:
    refused for an unconfirmed or erased candidate; a registered candidate moves to "qualified"."""
    candidate = qualification.candidate
    _check_qualifiable(candidate)
    if qualification.pk is None:
        qualification.qualified_by = by
    with transaction.atomic():
        qualification.save()
        candidate.refresh_from_db(fields=["stage"])
        if candidate.stage == Stage.REGISTERED:
            candidate_move(candidate=candidate, to_stage=Stage.QUALIFIED, by=by)
    return qualification


def orientation_check(*, candidate: Candidate) -> None:
    """Raise CandidateError unless the candidate may be oriented to a company now."""
    if candidate.is_anonymised:
        raise CandidateError(_("Ce compte a été effacé."))
    if not candidate.shown_to_recruiters:
        raise CandidateError(_("%(name)s n'a pas accepté d'être présenté·e aux recruteurs.") % {"name": candidate})
    if candidate.stage not in (Stage.QUALIFIED, Stage.ORIENTED, Stage.IN_RECRUITMENT):
        raise CandidateError(_("Qualifiez d'abord %(name)s avant de l'orienter.") % {"name": candidate})


def orientation_create(*, candidate: Candidate, company=None, posting=None, session=None, by=None,
                       comment: str = "") -> Orientation:
    """Orient a qualified candidate to a company or one of its postings, and move them to "oriented"."""
    if posting is not None:
        if company is not None and posting.company_id != company.pk:
            raise CandidateError(_("Cette offre appartient à une autre entreprise."))
        company = posting.company
    if company is None:
        raise CandidateError(_("Choisissez une entreprise ou une offre."))
    orientation_check(candidate=candidate)
    try:
        with transaction.atomic():
            orientation = Orientation.objects.create(candidate=candidate, company=company, posting=posting,
                                                     session=session, created_by=by)
            orientation_sync_pipeline(orientation=orientation, by=by, comment=comment)
    except IntegrityError as exc:
        raise CandidateError(_("%(name)s est déjà orienté·e vers cette offre.") % {"name": candidate}) from exc
    return orientation


def orientation_save(*, orientation: Orientation, by=None) -> Orientation:
    """Save an orientation edited in the admin: a new one is checked as `orientation_create` checks it, and the
    candidate's pipeline follows a new orientation or a new status."""
    if orientation.pk is None:
        if orientation.posting_id and orientation.posting.company_id != orientation.company_id:
            raise CandidateError(_("Cette offre appartient à une autre entreprise."))
        orientation_check(candidate=orientation.candidate)
        orientation.created_by = by
        moved = True
    else:
        moved = Orientation.objects.filter(pk=orientation.pk).exclude(status=orientation.status).exists()
    try:
        with transaction.atomic():
            orientation.save()
            if moved:
                orientation_sync_pipeline(orientation=orientation, by=by)
    except IntegrityError as exc:
        raise CandidateError(_("%(name)s est déjà orienté·e vers cette offre.")
                             % {"name": orientation.candidate}) from exc
    return orientation


def orientation_set_status(*, orientation: Orientation, status: str, outcome: str | None = None,
                           by=None) -> Orientation:
    """Change an orientation's status and keep the candidate's pipeline in step."""
    if status not in Orientation.Status.values:
        raise CandidateError(_("Statut inconnu."))
    with transaction.atomic():
        orientation.status = status
        if outcome is not None:
            orientation.outcome = outcome
        orientation.save(update_fields=["status", "outcome", "updated_at"])
        orientation_sync_pipeline(orientation=orientation, by=by)
    return orientation


def orientation_sync_pipeline(*, orientation: Orientation, by=None, comment: str = "") -> None:
    """Move the candidate along when an orientation is made or progresses (never backwards)."""
    target = {
        Orientation.Status.PROPOSED: Stage.ORIENTED,
        Orientation.Status.TO_CONTACT: Stage.ORIENTED,
        Orientation.Status.INTERVIEW: Stage.IN_RECRUITMENT,
        Orientation.Status.OFFER: Stage.IN_RECRUITMENT,
        Orientation.Status.HIRED: Stage.HIRED,
    }.get(orientation.status)
    order = [Stage.REGISTERED, Stage.QUALIFIED, Stage.ORIENTED, Stage.IN_RECRUITMENT, Stage.HIRED]
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=orientation.candidate_id)
        if (target and candidate.stage in order and order.index(candidate.stage) < order.index(target)
                and target in TRANSITIONS[candidate.stage]):
            candidate_move(candidate=candidate, to_stage=target, by=by, comment=comment)


# How far each orientation status has gone, for `orientation_advance` (declined may be taken up again).
ORIENTATION_PROGRESS = {
    Orientation.Status.DECLINED: -1, Orientation.Status.PROPOSED: 0, Orientation.Status.TO_CONTACT: 1,
    Orientation.Status.INTERVIEW: 2, Orientation.Status.OFFER: 3, Orientation.Status.HIRED: 4,
}
PIPELINE_FORWARD = (Stage.REGISTERED, Stage.QUALIFIED, Stage.ORIENTED, Stage.IN_RECRUITMENT, Stage.HIRED)


def pipeline_advance(*, candidate: Candidate, to_stage: str, by=None, comment: str = "") -> str | None:
    """Move the candidate forward to `to_stage`, each time by the longest step the pipeline allows (qualified →
    oriented → in recruitment), never backwards; return why they stopped short, or None.

    Qualifying stays the team's: a registered candidate is not moved, nor is a withdrawn one (both say why). A
    hired candidate stays hired, and that is no refusal.
    """
    target = PIPELINE_FORWARD.index(to_stage)
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if locked.stage == Stage.REGISTERED:
            return gettext("%(name)s n'a pas encore été qualifié·e par Tesc Force : l'étape suivra la "
                           "qualification.") % {"name": locked}
        if locked.stage == Stage.WITHDRAWN:
            return gettext("%(name)s est sorti·e du dispositif : son étape ne change pas.") % {"name": locked}
        while locked.stage in PIPELINE_FORWARD and PIPELINE_FORWARD.index(locked.stage) < target:
            here = PIPELINE_FORWARD.index(locked.stage)
            steps = [s for s in PIPELINE_FORWARD[here + 1:target + 1] if s in TRANSITIONS[locked.stage]]
            if not steps:
                break
            try:
                with transaction.atomic():
                    candidate_move(candidate=locked, to_stage=steps[-1], by=by, comment=comment)
            except CandidateError as exc:
                return str(exc.message)
    candidate.stage = locked.stage
    return None


def orientation_advance(*, candidate: Candidate, company, status: str, posting=None, session=None, by=None,
                        comment: str = "") -> tuple[Orientation, str | None]:
    """Record a company's own step with a candidate it met (a job-dating interview): create or update their
    orientation to that company up to `status`, never backwards, and move the pipeline as far as it may go.

    Return the orientation and None, or why the pipeline could not follow (the orientation stands anyway).
    The company already met the person (on the consent that let it), so this presents them to no one new:
    the consent to be shown to recruiters is not asked here, as it is for a coordinator's orientation.
    """
    if status not in (Orientation.Status.INTERVIEW, Orientation.Status.OFFER, Orientation.Status.HIRED):
        raise CandidateError(_("Statut inconnu."))
    if posting is not None and posting.company_id != company.pk:
        raise CandidateError(_("Cette offre appartient à une autre entreprise."))
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if locked.is_anonymised:
            raise CandidateError(_("Ce compte a été effacé."))
        mine = Orientation.objects.select_for_update().filter(candidate=locked, company=company)
        orientation = ((posting is not None and mine.filter(posting=posting).first())
                       or (session is not None and mine.filter(session=session).first())
                       or mine.filter(posting__isnull=True).order_by("-created_at").first())
        if orientation is None:
            orientation = Orientation.objects.create(candidate=locked, company=company, posting=posting,
                                                     session=session, created_by=by, status=status)
        elif ORIENTATION_PROGRESS[orientation.status] < ORIENTATION_PROGRESS[status]:
            orientation.status = status
            orientation.session = orientation.session or session
            orientation.save(update_fields=["status", "session", "updated_at"])
        elif orientation.session_id is None and session is not None:
            orientation.session = session
            orientation.save(update_fields=["session", "updated_at"])
        stage = {Orientation.Status.HIRED: Stage.HIRED}.get(orientation.status, Stage.IN_RECRUITMENT)
        refusal = pipeline_advance(candidate=locked, to_stage=stage, by=by, comment=comment)
    candidate.stage = locked.stage
    return orientation, refusal


def candidate_withdraw(*, candidate: Candidate, by=None, comment: str = "") -> StageChange:
    return candidate_move(candidate=candidate, to_stage=Stage.WITHDRAWN, by=by, comment=comment)


# --- interest in job postings and the recruiters' shortlists --------------------------------------

def job_interest_create(*, candidate: Candidate, posting: JobPosting, confirmed: bool = True) -> JobInterest:
    """Record (once) that `candidate` is interested in `posting`; return the interest.

    Asking twice returns the existing interest; the unique constraint settles concurrent requests.
    """
    if candidate.anonymised_at is not None or candidate.confirmed_at is None:
        raise CandidateError(_("Ce profil ne peut pas manifester d'intérêt."))
    if not posting.is_open:
        raise CandidateError(_("Cette offre n'est plus ouverte."))
    now = timezone.now()
    try:
        with transaction.atomic():
            interest, _created = JobInterest.objects.get_or_create(
                candidate=candidate, posting=posting, defaults={"confirmed_at": now if confirmed else None}
            )
    except IntegrityError:
        interest = JobInterest.objects.get(candidate=candidate, posting=posting)
    if confirmed and interest.confirmed_at is None:
        JobInterest.objects.filter(pk=interest.pk, confirmed_at__isnull=True).update(confirmed_at=now, updated_at=now)
        interest.refresh_from_db()
    candidate_touch(candidate=candidate)  # retention counts from the last thing the person did
    return interest


def job_interest_request(*, posting: JobPosting, email: str, language: str) -> None:
    """Handle an "I'm interested" form: e-mail a confirmation link when the address is a confirmed
    candidate's. Returns nothing, so that callers cannot tell a known address from an unknown one."""
    if not posting.is_open:
        raise CandidateError(_("Cette offre n'est plus ouverte."))
    candidate = (
        Candidate.objects.with_email(email).filter(confirmed_at__isnull=False, anonymised_at__isnull=True)
        .only("pk")
        .first()
    )
    if candidate is None:
        return
    if not link_email_claim(candidate=candidate, purpose=f"job_interest:{posting.pk}"):
        return
    enqueue_on_commit(INTEREST_LINK_TASK, candidate.pk, posting.pk, language)


def _move_candidate_to_hired(*, candidate: Candidate, by, comment: str) -> str | None:
    """Move the candidate's pipeline to "hired"; return why not, if refused.

    The pipeline decides which moves make sense (e.g. a candidate nobody qualified or oriented cannot
    jump to "hired"); the recruiter's status is kept anyway and the refusal is shown to them.
    """
    candidate.refresh_from_db(fields=["stage"])
    if candidate.stage == Candidate.Stage.HIRED:
        return None
    try:
        with transaction.atomic():
            candidate_move(candidate=candidate, to_stage=Candidate.Stage.HIRED,
                           by=by if by is not None and by.is_authenticated else None, comment=comment)
    except CandidateError as exc:
        return str(exc)
    return None


def _hired_comment(posting: JobPosting) -> str:
    return gettext("Recruté·e sur l'offre « %(title)s » (%(company)s).") % {
        "title": posting.title, "company": posting.company.name,
    }


def job_interest_set_status(*, interest: JobInterest, status: str, by) -> str | None:
    """Set the recruiter's follow-up status on an interest; "hired" moves the candidate's pipeline.

    Return None, or why the pipeline could not follow (the status is recorded all the same).
    """
    if status not in SHORTLIST_STATUSES:
        raise CandidateError(_("Statut inconnu."))
    with transaction.atomic():
        JobInterest.objects.filter(pk=interest.pk).update(status=status, updated_at=timezone.now())
        interest.status = status
        if status == JobInterest.Status.HIRED:
            return _move_candidate_to_hired(candidate=interest.candidate, by=by,
                                            comment=_hired_comment(interest.posting))
    return None


def shortlist_set_status(*, posting: JobPosting, candidate: Candidate, status: str, by) -> str | None:
    """Set a shortlisted candidate's status for `posting`, on their interest and on the coordinator's
    orientation alike; the orientation moves the pipeline its own way, and "hired" moves it to hired.
    Return None, or why the pipeline could not follow (the status is recorded all the same)."""
    if status not in SHORTLIST_STATUSES:
        raise CandidateError(_("Statut inconnu."))
    by = by if by is not None and by.is_authenticated else None
    with transaction.atomic():
        touched = JobInterest.objects.filter(
            posting=posting, candidate=candidate, confirmed_at__isnull=False
        ).update(status=status, updated_at=timezone.now())
        orientations = list(Orientation.objects.select_for_update().filter(posting=posting, candidate=candidate))
        refusal = None
        for orientation in orientations:
            try:
                with transaction.atomic():
                    orientation_set_status(orientation=orientation, status=status, by=by)
            except CandidateError as exc:
                # The pipeline refused to follow: keep the recruiter's status, say why.
                Orientation.objects.filter(pk=orientation.pk).update(status=status, updated_at=timezone.now())
                refusal = str(exc)
        if not touched and not orientations:
            raise CandidateError(_("Cette personne ne figure pas parmi les candidat·es de cette offre."))
        if status == JobInterest.Status.HIRED:
            refusal = _move_candidate_to_hired(candidate=candidate, by=by, comment=_hired_comment(posting)) or refusal
    return refusal


# --- erasure and retention ------------------------------------------------------------------------

def candidate_erase(*, candidate: Candidate, reason: str = Erasure.Reason.REQUEST, by=None) -> bool:
    """Remove or blank every personal value about the candidate, in every table; return False if already done.

    The one routine for every way a person leaves: erasure from Mon espace, by the staff, the 2-year
    anonymisation and the 7-day purge of unconfirmed sign-ups. Each room's hook runs first (see
    tescforce/erasure.py: sessions, hotline, matching, sessions' bookings, showroom…), then the
    candidate's own rows, their audit trail and admin-log entries are blanked. The anonymous row stays
    so that the dashboard's counts hold (stage, profile, dates, campaign, département); an unconfirmed
    sign-up counts for nothing and is deleted. An Erasure row keeps why and when, with no personal value.
    """
    unconfirmed = reason == Erasure.Reason.UNCONFIRMED
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
        if locked is None or locked.is_anonymised or (unconfirmed and locked.is_confirmed):
            return False
        if reason == Erasure.Reason.RETENTION and locked.last_activity_at > timezone.now() - RETENTION:
            return False  # came back since the nightly run listed them
        cv_name = locked.cv.name if locked.cv else ""
        cv_storage = locked.cv.storage
        subject = _erasure_subject(locked, reason=reason)
        erasure.run(subject)
        _blank_candidate_rows(locked)
        # Any other admin-log entry that names the person (an action on another object, say).
        erasure.scrub_admin_log_mentioning(subject.names)
        if unconfirmed:
            Candidate.objects.filter(pk=locked.pk).delete()
            erasure.purge_history(Candidate, id=locked.pk)  # the deletion writes one more historical row
            Erasure.objects.create(candidate=None, reason=reason, erased_by=by)
        else:
            Erasure.objects.create(candidate=locked, reason=reason, erased_by=by)
        if cv_name:
            transaction.on_commit(lambda: cv_storage.delete(cv_name))
    logger.info("candidate erased", extra={"candidate_pk": locked.pk, "reason": str(reason)})
    if not unconfirmed:
        candidate.refresh_from_db()
    return True


def _erasure_subject(candidate: Candidate, *, reason: str) -> erasure.Subject:
    emails = {candidate.email.strip().lower()} - {""}
    phone = str(candidate.phone or "")
    phones = {phone} - {""}
    # The national form too ("0612345678"): staff type it that way in free text.
    national = {search.contact_key(p) for p in phones} - {""}
    full_name = candidate.full_name if candidate.first_name and candidate.last_name else ""
    names = {full_name, *emails, *phones, *national} - {""}
    return erasure.Subject(candidate=candidate, reason=str(reason), emails=frozenset(emails),
                           phones=frozenset(phones), names=frozenset(names))


def _blank_candidate_rows(candidate: Candidate) -> None:
    now = timezone.now()
    related = {
        Consent: list(candidate.consents.values_list("pk", flat=True)),
        Qualification: list(Qualification.objects.filter(candidate=candidate).values_list("pk", flat=True)),
        StageChange: list(candidate.stage_changes.values_list("pk", flat=True)),
        Orientation: list(candidate.orientations.values_list("pk", flat=True)),
        JobInterest: list(candidate.interests.values_list("pk", flat=True)),
    }
    Candidate.objects.filter(pk=candidate.pk).update(
        first_name="", last_name="", email=f"erased-{uuid.uuid4().hex}@anonymised.invalid", phone="",
        # The département alone is kept: enough for the regional figures, not enough to find anyone.
        postcode=candidate.postcode[:2], city="", available_from=None, cv="", shown_to_recruiters=False,
        utm_source="", utm_medium="", utm_campaign="",
        # A new public id: the links already sent (in a mailbox, a browser history) lead nowhere.
        public_id=uuid.uuid4(), anonymised_at=now, updated_at=now,
    )
    candidate.skills.clear()
    candidate.desired_job_families.clear()
    Consent.objects.filter(candidate=candidate, withdrawn_at__isnull=True).update(withdrawn_at=now)
    Qualification.objects.filter(candidate=candidate).update(notes="", training_needed="")
    StageChange.objects.filter(candidate=candidate).update(comment="")
    Orientation.objects.filter(candidate=candidate).update(outcome="")
    erasure.scrub_admin_log(Candidate, [candidate.pk])
    erasure.purge_history(Candidate, id=candidate.pk)
    for model, pks in related.items():
        erasure.scrub_admin_log(model, pks)
        erasure.purge_history(model, candidate_id=candidate.pk)


def candidate_end_sessions(subject: erasure.Subject) -> int:
    """Delete the stored sessions signed in to the person's Mon espace (erasure hook); return how many."""
    public_id = str(subject.candidate.public_id)

    def holds(data: dict) -> bool:
        entry = data.get(space.SESSION_KEY)
        return isinstance(entry, dict) and entry.get("id") == public_id

    return erasure.end_sessions(holds)


def candidates_purge_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """Erase and delete registrations never confirmed within 7 days; return how many."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_TTL
    ids = list(Candidate.objects.filter(confirmed_at__isnull=True, anonymised_at__isnull=True, created_at__lt=cutoff)
               .values_list("pk", flat=True))
    count = _erase_each(ids, reason=Erasure.Reason.UNCONFIRMED)
    if count:
        logger.info("unconfirmed registrations purged", extra={"count": count})
    return count


def _erase_each(ids: list[int], *, reason: str) -> int:
    # One transaction each (the routine re-checks under lock): one person whose erasure fails is
    # logged and tried again the next night, and does not hold back everyone else's.
    count = 0
    for pk in ids:
        try:
            count += candidate_erase(candidate=Candidate(pk=pk), reason=reason)
        except Exception:
            logger.exception("erasure failed", extra={"candidate_pk": pk, "reason": str(reason)})
    return count


def candidates_anonymise_inactive(*, now: dt.datetime | None = None) -> int:
    """Anonymise candidates with no activity for two years; return how many were touched."""
    cutoff = (now or timezone.now()) - RETENTION
    ids = list(Candidate.objects.filter(anonymised_at__isnull=True, last_activity_at__lt=cutoff)
               .values_list("pk", flat=True))
    count = _erase_each(ids, reason=Erasure.Reason.RETENTION)
    logger.info("inactive candidates anonymised", extra={"count": count})
    return count
