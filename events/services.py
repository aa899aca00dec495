"""Writes of the events app: bookings, waitlist, check-in, outcomes and one-time messages.

Seats are decided in the database: every write that changes who holds a seat locks the session row
(`select_for_update`) first, so bookings, cancellations and promotions of one session run one at a time.
"""

import datetime as dt
import logging
from collections.abc import Callable
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from candidates import services as candidate_services
from candidates.models import Candidate, Consent, Orientation, StageChange
from candidates.services import CandidateError, consent_give
from tescforce import erasure, page_cache
from tescforce.tasks import delivery_error, enqueue_on_commit

from . import emails, tickets
from .errors import BookingError
from .models import (
    MessageSent,
    Registration,
    Session,
    SessionCompany,
    SessionPartner,
    SurveyResponse,
    new_ticket_nonce,
)

logger = logging.getLogger(__name__)

# Queued by name: tasks.py imports this module, not the other way round.
DELIVER_MESSAGE_TASK = "events.tasks.deliver_message"

# Rooms above events react to a cancelled booking inside the cancellation's transaction (the job-dating
# agenda frees the person's interviews): they register from their AppConfig.ready(), events imports none.
_CANCELLED_HOOKS: dict[str, Callable[..., None]] = {}


def on_registration_cancelled(key: str, react: Callable[..., None]) -> None:
    """Call `react(registration=…, session=…)` after each cancellation; registering a key again replaces it."""
    _CANCELLED_HOOKS[key] = react


# Same for a cancelled session: the job-dating agenda cancels the session's interviews and tells their people.
_SESSION_CANCELLED_HOOKS: dict[str, Callable[..., None]] = {}


def on_session_cancelled(key: str, react: Callable[..., None]) -> None:
    """Call `react(session=…)` inside each session cancellation; registering a key again replaces it."""
    _SESSION_CANCELLED_HOOKS[key] = react


# Statuses that hold one of the session's seats.
SEAT_STATUSES = (Registration.Status.CONFIRMED, Registration.Status.ATTENDED, Registration.Status.NO_SHOW)
# Statuses a cancellation applies to.
ACTIVE_STATUSES = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


def seats_taken(session: Session) -> int:
    """Return the seats held by booked candidates (walk-ins come on top of the capacity)."""
    return session.registrations.filter(status__in=SEAT_STATUSES, walk_in=False).count()


def _lock(session_id: int) -> Session:
    return Session.objects.select_for_update().get(pk=session_id)


def _check_open(session: Session, now: dt.datetime) -> None:
    if session.is_cancelled:
        raise BookingError(_("Cette session est annulée."))
    if not session.is_published:
        raise BookingError(_("Cette session n'est pas ouverte aux inscriptions."))
    if session.starts_at <= now:
        raise BookingError(_("Cette session a déjà eu lieu ou a commencé."))
    if session.registration_opens_at and now < session.registration_opens_at:
        raise BookingError(_("Les inscriptions à cette session ne sont pas encore ouvertes."))
    if session.registration_closes_at and now >= session.registration_closes_at:
        raise BookingError(_("Les inscriptions à cette session sont closes."))


def registration_book(*, session: Session, candidate: Candidate) -> Registration:
    """Book a seat, or a waitlist place when the session is full; booking twice returns the first booking."""
    if candidate.anonymised_at is not None:
        raise BookingError(_("Ce compte a été supprimé."))
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(session.pk)
        existing = Registration.objects.filter(session=locked, candidate=candidate).first()
        if existing is not None and existing.status != Registration.Status.CANCELLED:
            return existing
        _check_open(locked, now)
        status = (Registration.Status.CONFIRMED if seats_taken(locked) < locked.capacity
                  else Registration.Status.WAITLISTED)
        if existing is not None:
            # A cancelled booking comes back at the end of the queue.
            # A new ticket nonce: the cancelled booking's ticket must not let anyone in.
            Registration.objects.filter(pk=existing.pk).update(status=status, created_at=now, cancelled_at=None,
                                                               ticket_nonce=new_ticket_nonce())
            page_cache.invalidate_on_commit("sessions")  # an update sends no signal; seats are shown publicly
            existing.refresh_from_db()
            registration = existing
        else:
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(session=locked, candidate=candidate, status=status)
            except IntegrityError:
                # Only reachable if the row appeared outside the session lock: give that booking back.
                return Registration.objects.get(session=locked, candidate=candidate)
        message_record(kind=status, registration=registration, variant=_variant(registration.created_at))
    return registration


def _promote_waitlisted(session: Session, free: int) -> list[int]:
    """Move the first `free` waitlisted candidates to confirmed; the caller holds the session lock."""
    if free <= 0 or session.starts_at <= timezone.now():
        return []
    promoted = list(
        session.registrations.filter(status=Registration.Status.WAITLISTED, candidate__anonymised_at__isnull=True)
        .order_by("created_at", "id")[:free]
    )
    ids = [registration.pk for registration in promoted]
    if ids:
        Registration.objects.filter(pk__in=ids, status=Registration.Status.WAITLISTED).update(
            status=Registration.Status.CONFIRMED)
        page_cache.invalidate_on_commit("sessions")  # an update sends no signal; seats are shown publicly
        for registration in promoted:
            message_record(kind=MessageSent.Kind.PROMOTED, registration=registration,
                           variant=_variant(registration.created_at))
    return ids


def registration_cancel(*, registration: Registration, by_staff: bool = False, notify: bool = True) -> Registration:
    """Cancel a booking; a freed seat goes to the first waitlisted candidate in the same transaction.

    The candidate is told by e-mail unless `notify` is False (their account is being erased).
    """
    with transaction.atomic():
        session = _lock(registration.session_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            return current
        if current.status not in ACTIVE_STATUSES:
            raise BookingError(_("Cette inscription ne peut plus être annulée."))
        if not by_staff and session.starts_at <= timezone.now():
            raise BookingError(_("Cette session a déjà eu lieu ou a commencé."))
        held_seat = current.status == Registration.Status.CONFIRMED
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        if notify:
            message_record(kind=MessageSent.Kind.CANCELLED, registration=current,
                           variant=_variant(current.cancelled_at))
        for react in _CANCELLED_HOOKS.values():
            react(registration=current, session=session)
        if held_seat:
            _promote_waitlisted(session, session.capacity - seats_taken(session))
    return current


def registration_cancel_upcoming_for(*, candidate: Candidate) -> int:
    """Cancel a candidate's bookings of sessions still to come (before erasure); return how many."""
    ids = list(Registration.objects.filter(candidate=candidate, status__in=ACTIVE_STATUSES,
                                           session__starts_at__gt=timezone.now()).values_list("pk", flat=True))
    for registration in Registration.objects.filter(pk__in=ids):
        registration_cancel(registration=registration, notify=False)
    return len(ids)


def registrations_erase(*, candidate: Candidate) -> None:
    """On erasure: free the seats of sessions to come and blank what staff and the person wrote.

    Past bookings stay, without notes, for the attendance figures.
    """
    registration_cancel_upcoming_for(candidate=candidate)
    registrations = Registration.objects.filter(candidate=candidate)
    registrations.update(outcome_notes="")
    surveys = SurveyResponse.objects.filter(registration__candidate=candidate)
    surveys.update(comment="")
    for model, pks in ((Registration, list(registrations.values_list("pk", flat=True))),
                       (SurveyResponse, list(surveys.values_list("pk", flat=True)))):
        erasure.scrub_admin_log(model, pks)
        erasure.purge_history(model, id__in=pks)


DUPLICATE_SHIFT = dt.timedelta(days=7)


def session_duplicate(*, session: Session) -> Session:
    """Copy a session with its companies (their recruiters, postings and slots), partners and programme.

    The copy is unpublished and a week later, registration dates moved alike: a draft whose date the
    coordinator sets before publishing it. Nobody's registration is copied.
    """
    with transaction.atomic():
        copy = Session.objects.get(pk=session.pk)
        copy.pk = copy.id = None
        copy._state.adding = True
        copy.is_published = False
        copy.title = str(_("%(title)s (copie)") % {"title": session.title})[:150]
        copy.starts_at = session.starts_at + DUPLICATE_SHIFT
        copy.ends_at = session.ends_at + DUPLICATE_SHIFT
        copy.registration_opens_at = session.registration_opens_at and session.registration_opens_at + DUPLICATE_SHIFT
        copy.registration_closes_at = (session.registration_closes_at
                                       and session.registration_closes_at + DUPLICATE_SHIFT)
        copy.save()
        for row in SessionCompany.objects.filter(session=session).prefetch_related("recruiters", "postings"):
            new_row = SessionCompany.objects.create(session=copy, company_id=row.company_id,
                                                    interview_slots=row.interview_slots)
            new_row.recruiters.set(row.recruiters.all())
            new_row.postings.set(row.postings.all())
        SessionPartner.objects.bulk_create(
            SessionPartner(session=copy, partner_id=p.partner_id, role=p.role)
            for p in SessionPartner.objects.filter(session=session))
    return copy


def session_fill_from_waitlist(*, session: Session) -> int:
    """Give every free seat to the waitlist, in order (after a capacity increase); return how many moved."""
    with transaction.atomic():
        locked = _lock(session.pk)
        return len(_promote_waitlisted(locked, locked.capacity - seats_taken(locked)))


def session_capacity_error(*, session: Session, capacity: int | None):
    """Return the message refusing `capacity`, or None when it is acceptable."""
    if capacity is None:
        return None
    if capacity < 1:
        return _("Une session compte au moins une place.")
    if session.pk is None:
        return None
    taken = seats_taken(session)
    if capacity < taken:
        return _("%(taken)s places sont déjà confirmées : il faudrait annuler %(excess)s inscription(s) "
                 "avant de réduire la capacité à %(capacity)s.") % {
            "taken": taken, "excess": taken - capacity, "capacity": capacity}
    return None


def session_set_capacity(*, session: Session, capacity: int) -> int:
    """Change the capacity under the session lock, refusing to go below the confirmed seats.

    Seats a larger capacity frees go to the waitlist at once; return how many people moved up.
    """
    with transaction.atomic():
        locked = _lock(session.pk)
        error = session_capacity_error(session=locked, capacity=capacity)
        if error:
            raise BookingError(error)
        locked.capacity = capacity
        locked.save(update_fields=["capacity"])
        moved = _promote_waitlisted(locked, capacity - seats_taken(locked))
    session.capacity = capacity
    return len(moved)


def checkin_opens_at(*, session: Session) -> dt.datetime:
    """When the check-in desk opens for `session`: its day (Paris time) at CHECKIN_OPENS_AT."""
    hour, minute = (int(x) for x in settings.CHECKIN_OPENS_AT.split(":"))
    day = timezone.localtime(session.starts_at).date()
    opens = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())
    return min(opens, session.starts_at)


def checkin_closed_reason(*, session: Session, now: dt.datetime | None = None) -> str | None:
    """Why the desk may not check people in for `session` now (before its day's opening hour, after its day);
    None while it is open."""
    now = now or timezone.now()
    opens = checkin_opens_at(session=session)
    if now < opens:
        local = timezone.localtime(opens)
        return _("L'accueil de cette session ouvre le %(day)s à %(hour)s : le pointage n'est pas encore "
                 "possible.") % {"day": date_format(local, "DATE_FORMAT"), "hour": local.strftime("%H:%M")}
    closes = dt.datetime.combine(timezone.localtime(session.ends_at).date() + dt.timedelta(days=1), dt.time.min,
                                 tzinfo=timezone.get_current_timezone())
    if now >= closes:
        return _("Cette session est terminée : l'accueil est fermé. Corrigez une présence depuis l'administration.")
    return None


def registration_check_in(*, registration: Registration, by=None) -> Registration:
    """Mark a booked candidate present (idempotent); a waitlisted person who came is let in too."""
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == Registration.Status.ATTENDED:
            return current
        if current.status == Registration.Status.CANCELLED:
            raise BookingError(_("Cette inscription a été annulée : enregistrez la personne sur place."))
        if current.status == Registration.Status.WAITLISTED:
            # In the room without a seat of their own: counted like a walk-in.
            current.walk_in = True
        current.status = Registration.Status.ATTENDED
        current.checked_in_at = timezone.now()
        current.checked_in_by = by
        current.save(update_fields=["status", "checked_in_at", "checked_in_by", "walk_in"])
    return current


# How far back a desk's clock may date a scan it kept while offline: beyond this, the sync time is used.
OFFLINE_SCAN_MAX_AGE = dt.timedelta(hours=6)


def registration_check_in_by_ticket(*, code: str, session: Session, by, scan_id=None,
                                    scanned_at: dt.datetime | None = None) -> tuple[Registration, bool]:
    """Check in the holder of a ticket at `session`'s desk; return (booking, False) or, for the same scan
    sent again (`scan_id` already recorded), (booking, True). Raise TicketError for every refusal.

    Two desks scanning one ticket at once: the row lock makes the second wait, then find it attended and
    refuse it as a second use. A scan kept offline is dated when it was made (`scanned_at`, within bounds).
    """
    closed = checkin_closed_reason(session=session)
    if closed:
        raise tickets.TicketError(closed, reason="desk_closed")
    try:
        verified = tickets.ticket_verify(code, session=session)
    except tickets.TicketError as exc:
        if exc.reason != "already_checked_in":
            raise
        verified = exc.registration  # decided under the lock below: a replay of the same scan is no refusal
    now = timezone.now()
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=verified.pk)
        if current.ticket_nonce != verified.ticket_nonce:
            # Cancelled and booked again between the check and the lock: the scanned ticket is the old one.
            raise tickets.TicketError(_("Billet non valide : code inconnu, modifié, ou remplacé par une "
                                        "réservation plus récente."), reason="invalid")
        if current.status == Registration.Status.ATTENDED and scan_id and current.checked_in_scan == scan_id:
            return _with_related(current, verified), True
        tickets.refuse_unless_confirmed(_with_related(current, verified))
        earliest = max(checkin_opens_at(session=session), now - OFFLINE_SCAN_MAX_AGE)
        current.status = Registration.Status.ATTENDED
        current.checked_in_at = min(max(scanned_at, earliest), now) if scanned_at else now
        current.checked_in_by = by
        current.checked_in_scan = scan_id
        current.save(update_fields=["status", "checked_in_at", "checked_in_by", "checked_in_scan"])
    return _with_related(current, verified), False


def _with_related(current: Registration, verified: Registration) -> Registration:
    # The locked row, with the session and candidate already read (no second query for the answer).
    current.session = verified.session
    current.candidate = verified.candidate
    return current


def registration_undo_check_in(*, registration: Registration) -> Registration:
    """Undo a check-in tapped by mistake."""
    updated = Registration.objects.filter(pk=registration.pk, status=Registration.Status.ATTENDED,
                                          walk_in=False).update(status=Registration.Status.CONFIRMED,
                                                                checked_in_at=None, checked_in_by=None,
                                                                checked_in_scan=None)
    registration.refresh_from_db()
    if not updated and registration.status == Registration.Status.ATTENDED:
        raise BookingError(_("Une personne inscrite sur place ne peut pas être dépointée."))
    return registration


def candidate_find_or_create_at_desk(*, first_name: str, last_name: str, email: str, profile: str,
                                     recorded_by) -> Candidate:
    """Return the candidate with this e-mail, or create one whose consent was given at the desk."""
    email = email.strip()
    existing = Candidate.objects.with_email(email).filter(anonymised_at__isnull=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            candidate = Candidate.objects.create(first_name=first_name.strip(), last_name=last_name.strip(),
                                                 email=email, profile=profile, confirmed_at=timezone.now())
            StageChange.objects.create(candidate=candidate, from_stage="", to_stage=Candidate.Stage.REGISTERED,
                                       changed_by=recorded_by)
            # The agent reads the consent text aloud; it is recorded with its version, channel "desk".
            consent_give(candidate=candidate, kind=Consent.Kind.PROCESSING, channel=Consent.Channel.DESK,
                         by=recorded_by)
    except IntegrityError:
        # Same e-mail typed at two desks at once.
        return Candidate.objects.with_email(email).get()
    return candidate


def registration_walk_in(*, session: Session, candidate: Candidate, by=None) -> Registration:
    """Register and check in someone who came without a seat.

    Walk-ins are let in even when the session is full: the person is already in the room and the
    capacity is what we promise in advance. They do not take a booked seat (walk_in=True).
    """
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(session.pk)
        if locked.ends_at + dt.timedelta(hours=6) < now:
            raise BookingError(_("Cette session est terminée."))
        registration, created = Registration.objects.get_or_create(
            session=locked, candidate=candidate,
            defaults={"status": Registration.Status.ATTENDED, "walk_in": True, "checked_in_at": now,
                      "checked_in_by": by})
        if created or registration.status == Registration.Status.ATTENDED:
            return registration
        if registration.status in (Registration.Status.CANCELLED, Registration.Status.WAITLISTED):
            registration.walk_in = True
        registration.status = Registration.Status.ATTENDED
        registration.checked_in_at = now
        registration.checked_in_by = by
        registration.save(update_fields=["status", "walk_in", "checked_in_at", "checked_in_by"])
    return registration


def registration_record_outcome(*, registration: Registration, outcome: str, notes: str = "",
                                 companies=(), postings=(), by=None) -> list[str]:
    """Record what came of the meeting and feed the candidate pipeline.

    Qualifying and orienting go through the candidates app's own rules (a qualification form, the
    consent to be shown to recruiters); what it refuses is returned as messages for the coordinator.
    """
    if (companies or postings) and outcome != Registration.Outcome.ORIENTED:
        raise BookingError(_("Choisissez « Orienté·e » pour enregistrer des orientations."))
    refusals: list[str] = []
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if outcome and current.status != Registration.Status.ATTENDED:
            raise BookingError(_("Seules les personnes présentes ont un résultat."))
        Registration.objects.filter(pk=registration.pk).update(outcome=outcome, outcome_notes=notes)
        candidate = Candidate.objects.get(pk=registration.candidate_id)
        comment = str(_("Session « %(title)s »") % {"title": registration.session.title})
        if outcome in (Registration.Outcome.QUALIFIED, Registration.Outcome.ORIENTED) \
                and candidate.stage == Candidate.Stage.REGISTERED:
            try:
                candidate_services.candidate_move(candidate=candidate, to_stage=Candidate.Stage.QUALIFIED, by=by,
                                                  comment=comment)
            except CandidateError as exc:
                refusals.append(str(exc.message))
        targets = [{"posting": p} for p in postings if not Orientation.objects.filter(
            candidate=candidate, posting=p).exists()]
        posting_companies = {p.company_id for p in postings}
        targets += [{"company": c} for c in companies if c.pk not in posting_companies
                    and not Orientation.objects.filter(candidate=candidate, company=c,
                                                       session=registration.session).exists()]
        for target in targets:
            try:
                candidate_services.orientation_create(candidate=candidate, session=registration.session, by=by,
                                                      comment=comment, **target)
            except CandidateError as exc:
                refusals.append(str(exc.message))
    registration.refresh_from_db()
    return list(dict.fromkeys(refusals))


def session_mark_no_shows(*, session: Session) -> int:
    """After the session, confirmed candidates who never checked in become no-shows."""
    if session.ends_at > timezone.now():
        return 0
    return session.registrations.filter(status=Registration.Status.CONFIRMED).update(
        status=Registration.Status.NO_SHOW)


# Messages: at most once, none lost ----------------------------------------------------------------
#
# Every e-mail of this app has an outbox row (MessageSent) whose unique key is (registration, kind,
# variant), or (session, recruiter, kind) for recruiters:
#   1. the row is written `pending` in the transaction of the action that causes it (a booking, a
#      cancellation), or for a due reminder in a transaction of its own whose unique index says who won;
#   2. a sender claims it: a conditional UPDATE, committed on its own, whose row count says who won;
#   3. it sends, with a Message-ID fixed by the row, then marks the row `sent` (before the SMTP QUIT).
# Retry rule: a failed send gives the claim back (`pending`) and the task retries with backoff. A row
# still pending, or claimed and never marked sent, after MESSAGE_CLAIM_LEASE (longer than any send can
# take with EMAIL_TIMEOUT) was lost with its worker: the sweeper claims and sends it again. We chose
# "none lost" over "at most once" for that one case: a worker killed after the SMTP server accepted the
# message and before step 3 committed (a few milliseconds) sends it twice, with the same Message-ID,
# which mail providers use to show it once.

REMINDER_OFFSETS = {MessageSent.Kind.D7: dt.timedelta(days=7), MessageSent.Kind.D1: dt.timedelta(days=1)}
# Surveys and no-show messages are not sent for sessions that ended longer ago than this.
# What a calendar shows of a session: a change to one of these is announced to the booked candidates.
CALENDAR_FIELDS = frozenset({"starts_at", "ends_at", "format", "city", "venue", "address", "postcode",
                             "online_url"})


def _announce_change(session: Session) -> int:
    """Bump the locked session's SEQUENCE and record one "changed" message per confirmed booking."""
    Session.objects.filter(pk=session.pk).update(ics_sequence=F("ics_sequence") + 1)
    session.refresh_from_db(fields=["ics_sequence"])
    page_cache.invalidate_on_commit("sessions")
    told = 0
    for registration in session.registrations.filter(status=Registration.Status.CONFIRMED,
                                                     candidate__anonymised_at__isnull=True):
        # Keyed by the sequence: a retried or repeated save of the same change records nothing more.
        told += message_record(kind=MessageSent.Kind.CHANGED, registration=registration,
                               variant=f"seq-{session.ics_sequence}") is not None
    return told


def session_calendar_changed(*, session: Session) -> int:
    """Tell each booked candidate, once, that the session's time or place changed (.ics attached).

    Call it after saving the change; return how many candidates will be told.
    """
    with transaction.atomic():
        locked = _lock(session.pk)
        told = _announce_change(locked)
    session.ics_sequence = locked.ics_sequence
    return told


def session_cancel(*, session: Session) -> int:
    """Cancel a session: it stays in the feeds as cancelled, bookings close, booked candidates are told once.

    Return how many candidates will be told.
    """
    with transaction.atomic():
        locked = _lock(session.pk)
        if locked.is_cancelled:
            raise BookingError(_("Cette session est déjà annulée."))
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at"])
        told = _announce_change(locked)
        for react in _SESSION_CANCELLED_HOOKS.values():
            react(session=locked)
    session.cancelled_at, session.ics_sequence = locked.cancelled_at, locked.ics_sequence
    return told


AFTER_SESSION_WINDOW = dt.timedelta(days=7)
# A row that failed this many sends is left for a person to look at (admin "Messages envoyés").
MAX_ATTEMPTS = 10
# The registration status each kind of message still needs at the time it goes out.
_STATUS_NEEDED = {
    MessageSent.Kind.CONFIRMED: Registration.Status.CONFIRMED,
    MessageSent.Kind.PROMOTED: Registration.Status.CONFIRMED,
    MessageSent.Kind.WAITLISTED: Registration.Status.WAITLISTED,
    MessageSent.Kind.CANCELLED: Registration.Status.CANCELLED,
    MessageSent.Kind.D7: Registration.Status.CONFIRMED,
    MessageSent.Kind.D1: Registration.Status.CONFIRMED,
    MessageSent.Kind.SURVEY: Registration.Status.ATTENDED,
    MessageSent.Kind.NO_SHOW: Registration.Status.NO_SHOW,
    MessageSent.Kind.CHANGED: Registration.Status.CONFIRMED,
}
_OPEN_STATES = (MessageSent.State.PENDING, MessageSent.State.CLAIMED)


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.MESSAGE_CLAIM_LEASE)


def _variant(moment: dt.datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _enqueue_message(message_id: int) -> None:
    enqueue_on_commit(DELIVER_MESSAGE_TASK, message_id)


def message_record(*, kind: str, registration: Registration, variant: str = "") -> MessageSent | None:
    """Write a booking message's outbox row in the caller's transaction and send it after the commit.

    Return None when this message was already recorded (the same booking told twice).
    """
    try:
        with transaction.atomic():
            message = MessageSent.objects.create(session_id=registration.session_id, kind=kind,
                                                 registration=registration, variant=variant)
    except IntegrityError:
        return None
    _enqueue_message(message.pk)
    return message


def _still_true(message: MessageSent) -> bool:
    """Whether the message still says something true (a booking may have moved on since it was written)."""
    if message.recruiter_id is not None:
        if message.kind == MessageSent.Kind.COMPANY_LIST and (message.session.is_cancelled
                                                              or message.session.ends_at < timezone.now()):
            return False
        return message.recruiter.user.is_active and bool(message.recruiter.user.email)
    registration = message.registration
    if message.kind == MessageSent.Kind.CHANGED and message.variant != f"seq-{message.session.ics_sequence}":
        return False  # a later change is on its way with the newer .ics
    return (registration.candidate.anonymised_at is None
            and registration.status == _STATUS_NEEDED[message.kind])


def message_deliver(*, message_id: int) -> bool:
    """Claim one outbox row, send it and mark it sent; return True when this call sent it.

    Call it outside any transaction: the claim must be committed before the send starts. A send that
    fails gives the claim back and raises, so that the caller retries.
    """
    now = timezone.now()
    won = MessageSent.objects.filter(pk=message_id, attempts__lt=MAX_ATTEMPTS).filter(
        Q(state=MessageSent.State.PENDING) | Q(state=MessageSent.State.CLAIMED, claimed_at__lt=now - _lease())
    ).update(state=MessageSent.State.CLAIMED, claimed_at=now, attempts=F("attempts") + 1)
    if not won:
        return False  # sent, dropped, or another sender holds it
    ours = MessageSent.objects.filter(pk=message_id, state=MessageSent.State.CLAIMED, claimed_at=now)
    message = MessageSent.objects.select_related(
        "session", "registration__candidate", "registration__session", "recruiter__user").get(pk=message_id)
    if not _still_true(message):
        ours.update(state=MessageSent.State.DROPPED)
        return False
    try:
        with get_connection(fail_silently=False) as connection:
            emails.send_message(message=message, connection=connection)
            # Marked before the connection's QUIT: a slow goodbye must not leave a sent message unmarked.
            ours.update(state=MessageSent.State.SENT, sent_at=timezone.now(), last_error="")
    except Exception as exc:
        if not MessageSent.objects.filter(pk=message_id, state=MessageSent.State.SENT).exists():
            ours.update(state=MessageSent.State.PENDING, last_error=delivery_error(exc)[:200])
            raise
        # Only the goodbye failed: the message went and is marked.
    return True


def _deliver_open(messages) -> int:
    """Send each open row of `messages` (oldest first); a failed send stops the run and raises."""
    sent = 0
    ids = messages.filter(state__in=_OPEN_STATES, attempts__lt=MAX_ATTEMPTS).order_by("pk").values_list(
        "pk", flat=True)
    for pk in list(ids):
        sent += message_deliver(message_id=pk)
    return sent


def _record_once(**fields) -> None:
    try:
        with transaction.atomic():
            MessageSent.objects.create(**fields)
    except IntegrityError:
        pass  # recorded by an earlier or concurrent run


def reminder_send_once(*, kind: str, registration: Registration | None = None, recruiter=None,
                       session: Session | None = None) -> bool:
    """Record one reminder or after-session message and send it; return False when it had already gone."""
    session = session or registration.session
    try:
        with transaction.atomic():
            message = MessageSent.objects.create(session=session, kind=kind, registration=registration,
                                                 recruiter=recruiter)
    except IntegrityError:
        return False
    return message_deliver(message_id=message.pk)


def _due_candidate_reminders(now: dt.datetime):
    for kind, offset in REMINDER_OFFSETS.items():
        later = REMINDER_OFFSETS[MessageSent.Kind.D1] if kind == MessageSent.Kind.D7 else dt.timedelta(0)
        yield kind, (
            Registration.objects.filter(
                status=Registration.Status.CONFIRMED, candidate__anonymised_at__isnull=True,
                session__is_published=True, session__cancelled_at__isnull=True, session__starts_at__gt=now + later,
                session__starts_at__lte=now + offset,
                # Booked inside the window: the confirmation has just told them.
                created_at__lt=F("session__starts_at") - offset,
            ).exclude(messages__kind=kind).only("pk", "session_id")
        )


def session_recruiters(session: Session) -> list:
    """The recruiters named as coming for each company; all of its recruiters when none is named."""
    recruiters = {}
    participations = session.company_participations.prefetch_related("recruiters__user", "company__recruiters__user")
    for participation in participations:
        for recruiter in list(participation.recruiters.all()) or list(participation.company.recruiters.all()):
            if recruiter.user.email and recruiter.user.is_active:
                recruiters[recruiter.pk] = recruiter
    return list(recruiters.values())


def reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """Record every reminder that is due, then send those not sent yet; return how many went out."""
    now = now or timezone.now()
    for kind, registrations in _due_candidate_reminders(now):
        for registration in registrations:
            _record_once(session_id=registration.session_id, kind=kind, registration=registration)
    for kind, offset in REMINDER_OFFSETS.items():
        later = REMINDER_OFFSETS[MessageSent.Kind.D1] if kind == MessageSent.Kind.D7 else dt.timedelta(0)
        sessions = Session.objects.filter(is_published=True, cancelled_at__isnull=True, starts_at__gt=now + later,
                                          starts_at__lte=now + offset)
        for session in sessions:
            for recruiter in session_recruiters(session):
                if not MessageSent.objects.filter(session=session, recruiter=recruiter, kind=kind).exists():
                    _record_once(session=session, kind=kind, recruiter=recruiter)
    # Rows of an earlier run whose send failed go out now too.
    return _deliver_open(MessageSent.objects.filter(kind__in=list(REMINDER_OFFSETS), state=MessageSent.State.PENDING))


def company_lists_announce(*, session: Session) -> int:
    """Tell each recruiter of the session's companies, once, that their list of candidates is ready; return how many.

    The e-mail names nobody: it links to the company's list, read when opened (events/company_lists.py), so one
    notice per recruiter is enough even if the list changes. Recruiters added later are told on the next call.
    """
    if session.is_cancelled or session.ends_at < timezone.now():
        raise BookingError(_("Cette session est terminée ou annulée : les listes ne sont plus envoyées."))
    kind = MessageSent.Kind.COMPANY_LIST
    told = 0
    with transaction.atomic():
        for recruiter in session_recruiters(session):
            try:
                with transaction.atomic():
                    message = MessageSent.objects.create(session=session, kind=kind, recruiter=recruiter)
            except IntegrityError:
                continue  # told already, by an earlier click or a concurrent one
            _enqueue_message(message.pk)
            told += 1
    return told


def after_session_send_due(*, now: dt.datetime | None = None) -> int:
    """After a session: mark no-shows, then survey the attendees and write to the no-shows, once each."""
    now = now or timezone.now()
    ended = Session.objects.filter(ends_at__lte=now, ends_at__gt=now - AFTER_SESSION_WINDOW, cancelled_at__isnull=True)
    for session in ended:
        session_mark_no_shows(session=session)
        for status, kind in ((Registration.Status.ATTENDED, MessageSent.Kind.SURVEY),
                             (Registration.Status.NO_SHOW, MessageSent.Kind.NO_SHOW)):
            registrations = (session.registrations.filter(status=status, candidate__anonymised_at__isnull=True)
                             .exclude(messages__kind=kind).only("pk"))
            for registration in registrations:
                _record_once(session=session, kind=kind, registration=registration)
    return _deliver_open(MessageSent.objects.filter(
        kind__in=[MessageSent.Kind.SURVEY, MessageSent.Kind.NO_SHOW], state=MessageSent.State.PENDING))


# The messages that follow a booking (reminders, survey, no-show message): any of them carries a one-click
# unsubscribe (RFC 8058) that stops those still to come for that booking.
FOLLOW_UP_KINDS = (MessageSent.Kind.D7, MessageSent.Kind.D1, MessageSent.Kind.SURVEY, MessageSent.Kind.NO_SHOW)


def registration_messages_stop(*, registration: Registration) -> int:
    """Stop the reminders and after-session messages of a booking not sent yet; return how many were stopped.

    Each becomes a `dropped` outbox row, which the unique (registration, kind) keeps from ever being recorded
    again; one already recorded but not yet claimed is dropped too. Again, it changes nothing.
    """
    stopped = MessageSent.objects.filter(registration=registration, kind__in=FOLLOW_UP_KINDS,
                                         state=MessageSent.State.PENDING).update(state=MessageSent.State.DROPPED)
    for kind in FOLLOW_UP_KINDS:
        try:
            with transaction.atomic():
                MessageSent.objects.create(session_id=registration.session_id, kind=kind, registration=registration,
                                           state=MessageSent.State.DROPPED)
        except IntegrityError:
            continue  # recorded already: sent, being sent, or stopped
        stopped += 1
    return stopped


def messages_sweep(*, limit: int = 500) -> int:
    """Send the messages whose sender was lost: pending or claimed for longer than the lease.

    Return how many went out. A failed send ends the run (the mail server is likely down); the next
    sweep tries again.
    """
    stale = timezone.now() - _lease()
    ids = list(MessageSent.objects.filter(attempts__lt=MAX_ATTEMPTS).filter(
        Q(state=MessageSent.State.PENDING, created_at__lt=stale)
        | Q(state=MessageSent.State.CLAIMED, claimed_at__lt=stale)
    ).order_by("pk").values_list("pk", flat=True)[:limit])
    sent = 0
    for pk in ids:
        try:
            sent += message_deliver(message_id=pk)
        except (SMTPException, OSError) as exc:
            logger.warning("message sweep stopped: the mail server refused message %s: %s", pk, delivery_error(exc))
            break
    return sent


def survey_submit(*, registration: Registration, rating: int, useful: bool, comment: str):
    """Store the satisfaction answer; answering twice keeps the first answer."""

    if not Registration.objects.filter(pk=registration.pk, status=Registration.Status.ATTENDED).exists():
        raise BookingError(_("Ce questionnaire est réservé aux personnes présentes."))
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(registration=registration, rating=rating, useful=useful,
                                                 comment=comment)
    except IntegrityError:
        raise BookingError(_("Vous avez déjà répondu à ce questionnaire. Merci !")) from None

