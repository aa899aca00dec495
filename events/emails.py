"""The e-mails of the events app. Sending raises on failure so that callers give the claim back and retry."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from candidates.tokens import make_token
from tescforce import translated
from tescforce.mail import message_id, send_templated

from . import ical, tickets
from .links import make_link_token
from .models import MessageSent, Registration, Session
from .selectors import waitlist_position

REGISTRATION_KINDS = (MessageSent.Kind.CONFIRMED, MessageSent.Kind.WAITLISTED, MessageSent.Kind.PROMOTED,
                      MessageSent.Kind.CANCELLED)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def message_id_for(message: MessageSent) -> str:
    """The Message-ID of an outbox row: the same on every attempt, so a repeat is recognisable."""
    return message_id(f"events-{message.pk}-{message.kind}")


TICKET_QR_CID = "ticket-qr"


def _send(*, subject: str, template: str, context: dict, to: str, attach_session: Session | None = None,
          headers: dict | None = None, connection=None, unsubscribe_url: str | None = None,
          inline_images=()) -> None:
    attachments = ()
    if attach_session is not None:
        attachments = [(f"session-{attach_session.pk}.ics", ical.sessions_calendar([attach_session]),
                        "text/calendar; charset=utf-8; method=PUBLISH")]
    # Called inside the recipient's translation.override: the active language is theirs.
    send_templated(template=template, subject=subject, context=context,
                   to=[to], language=translation.get_language(), attachments=attachments, headers=headers,
                   connection=connection, unsubscribe_url=unsubscribe_url, inline_images=inline_images)


def _language(candidate) -> str:
    return getattr(candidate, "language", "") or settings.LANGUAGE_CODE


def _upcoming_sessions(exclude: Session, limit: int = 3):
    return Session.objects.filter(is_published=True, starts_at__gt=timezone.now()).exclude(pk=exclude.pk)[:limit]


def send_message(*, message: MessageSent, connection=None) -> None:
    """Send the e-mail an outbox row stands for, on `connection` when given."""
    extra = {"headers": {"Message-ID": message_id_for(message)}, "connection": connection}
    if message.kind == MessageSent.Kind.COMPANY_LIST:
        send_company_list_notice(recruiter=message.recruiter, session=message.session, **extra)
    elif message.recruiter_id is not None:
        send_recruiter_reminder(recruiter=message.recruiter, session=message.session, kind=message.kind, **extra)
    elif message.kind == MessageSent.Kind.CHANGED:
        send_session_changed(registration=message.registration, **extra)
    elif message.kind in REGISTRATION_KINDS:
        send_registration_email(registration=message.registration, kind=message.kind, **extra)
    else:
        send_candidate_message(registration=message.registration, kind=message.kind, **extra)


def send_registration_email(*, registration: Registration, kind: str, headers: dict | None = None,
                            connection=None) -> None:
    """Tell the candidate their booking is confirmed, waitlisted, confirmed from the waitlist, or cancelled."""
    with translation.override(_language(registration.candidate)):
        session = registration.session
        subjects = {
            "confirmed": _("Votre place est réservée : %(title)s"),
            "waitlisted": _("Vous êtes sur liste d'attente : %(title)s"),
            "promoted": _("Une place s'est libérée : %(title)s"),
            "cancelled": _("Inscription annulée : %(title)s"),
        }
        context = {
            "kind": kind, "registration": registration, "session": session,
            "position": waitlist_position(registration) if kind == "waitlisted" else None,
            "session_url": _absolute(session.get_absolute_url()),
            "cancel_url": _absolute(reverse("events:booking_cancel", kwargs={
                "token": make_link_token(purpose="cancel", registration_id=registration.pk)})),
            "list_url": _absolute(reverse("events:session_list")),
        }
        inline_images = []
        if kind in ("confirmed", "promoted") and tickets.has_ticket(registration):
            # The ticket: its code in both parts, its QR code in the HTML part, a link to "Mon billet".
            code = tickets.ticket_code(registration)
            context |= {"ticket_code": code, "ticket_qr_cid": TICKET_QR_CID,
                        "ticket_url": _absolute(reverse("events:space_ticket", kwargs={"pk": registration.pk}))}
            # A PNG shown with cid: (Gmail and Outlook show neither inline SVG nor data: images).
            inline_images.append((TICKET_QR_CID, tickets.qr_png(code), "png"))
        _send(subject=subjects[kind] % {"title": translated.text(session, "title")},
              template="events/email/registration",
              context=context, to=registration.candidate.email,
              attach_session=session if kind in ("confirmed", "promoted") else None,
              headers=headers, connection=connection, inline_images=inline_images)


def send_session_changed(*, registration: Registration, headers: dict | None = None, connection=None) -> None:
    """Tell a booked candidate that their session moved or was cancelled, with the updated .ics."""
    with translation.override(_language(registration.candidate)):
        session = registration.session
        subject = (_("Session annulée : %(title)s") if session.is_cancelled
                   else _("Session modifiée : %(title)s")) % {"title": translated.text(session, "title")}
        context = {"registration": registration, "session": session,
                   "session_url": _absolute(session.get_absolute_url()),
                   "list_url": _absolute(reverse("events:session_list"))}
        if not session.is_cancelled:
            context["cancel_url"] = _absolute(reverse("events:booking_cancel", kwargs={
                "token": make_link_token(purpose="cancel", registration_id=registration.pk)}))
        _send(subject=subject, template="events/email/session_changed", context=context,
              to=registration.candidate.email, attach_session=session, headers=headers, connection=connection)


def send_candidate_message(*, registration: Registration, kind: str, headers: dict | None = None,
                           connection=None) -> None:
    """Send a reminder (J-7, J-1), the satisfaction survey or the no-show message."""
    with translation.override(_language(registration.candidate)):
        session = registration.session
        subjects = {
            MessageSent.Kind.D7: _("Dans une semaine : %(title)s"),
            MessageSent.Kind.D1: _("Demain : %(title)s"),
            MessageSent.Kind.SURVEY: _("Votre avis sur %(title)s"),
            MessageSent.Kind.NO_SHOW: _("Nous vous avons manqué·e : %(title)s"),
        }
        context = {"kind": kind, "registration": registration, "session": session,
                   "session_url": _absolute(session.get_absolute_url())}
        if kind == MessageSent.Kind.SURVEY:
            context["survey_url"] = _absolute(reverse("events:survey", kwargs={
                "token": make_link_token(purpose="survey", registration_id=registration.pk)}))
        elif kind == MessageSent.Kind.NO_SHOW:
            context["next_sessions"] = [(s, _absolute(s.get_absolute_url())) for s in _upcoming_sessions(session)]
            context["list_url"] = _absolute(reverse("events:session_list"))
        else:
            context["cancel_url"] = _absolute(reverse("events:booking_cancel", kwargs={
                "token": make_link_token(purpose="cancel", registration_id=registration.pk)}))
        # One click stops the messages still to come for this booking (RFC 8058), the booking itself stays.
        stop_url = _absolute(reverse("events:messages_stop", kwargs={
            "token": make_link_token(purpose="stop", registration_id=registration.pk)}))
        _send(subject=subjects[kind] % {"title": translated.text(session, "title")},
              template="events/email/candidate_message",
              context=context, to=registration.candidate.email, headers=headers, connection=connection,
              unsubscribe_url=stop_url)


def send_recruiter_reminder(*, recruiter, session: Session, kind: str, headers: dict | None = None,
                            connection=None) -> None:
    with translation.override(recruiter.language or settings.LANGUAGE_CODE):
        when = _("dans une semaine") if kind == MessageSent.Kind.D7 else _("demain")
        context = {"session": session, "when": when, "recruiter": recruiter,
                   "session_url": _absolute(session.get_absolute_url())}
        _send(subject=_("Session %(when)s : %(title)s") % {"when": when, "title": session.title},
              template="events/email/recruiter_reminder", context=context, to=recruiter.user.email,
              attach_session=session, headers=headers, connection=connection)


def send_company_list_notice(*, recruiter, session: Session, headers: dict | None = None, connection=None) -> None:
    """Tell a recruiter their company's list of candidates for the session is ready, with a link; no one named."""
    with translation.override(recruiter.language or settings.LANGUAGE_CODE):
        context = {"session": session, "recruiter": recruiter, "company": recruiter.company,
                   "session_url": _absolute(session.get_absolute_url()),
                   "list_url": _absolute(reverse("staff:events_staff:company_list",
                                                 kwargs={"pk": session.pk, "company_pk": recruiter.company_id}))}
        _send(subject=_("Les candidat·es que vous rencontrerez : %(title)s") % {
            "title": translated.text(session, "title")},
            template="events/email/company_list", context=context, to=recruiter.user.email, headers=headers,
            connection=connection)


def send_booking_link(*, candidate, session: Session, language: str) -> None:
    """Send a known candidate the signed link that books their seat."""
    with translation.override(language):
        token = make_token(candidate_public_id=str(candidate.public_id), purpose="action",
                           data={"action": "book_session", "session": session.pk})
        context = {"session": session, "candidate": candidate,
                   "book_url": _absolute(reverse("events:book_confirm", kwargs={"token": token}))}
        _send(subject=_("Confirmez votre réservation : %(title)s") % {"title": translated.text(session, "title")},
              template="events/email/booking_link", context=context, to=candidate.email)
