"""Every e-mail the platform sends, rendered through the code that sends it, in each language it goes out in.

The cases are found from the templates: each `<prefix>_body.txt` under a templates folder is an e-mail, and
CASES must say how to make it. A new e-mail template without a case fails
`test_every_email_template_has_a_case`, so no message escapes the checks of the layout and headers.
"""

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from alerts import services as alert_services
from candidates import emails as candidate_emails
from candidates.models import Consent
from candidates.tasks import send_interest_link
from events import emails as event_emails
from events.models import MessageSent, Session, SessionCompany
from hotline import services as hotline_services
from hotline.models import CallbackRequest, HotlineCall
from matching import agenda, scorecards
from matching.models import Interview, InterviewRelease, JobDatingAgenda, Match
from partners import services as partner_services
from prospecting import services as prospecting_services
from prospecting.models import Meeting
from showroom import services as showroom_services
from showroom.models import ContactRequest
from tescforce import roles
from tescforce.accounts import send_account_email
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://emploi.tescforce.example"
TEAM = "Équipe Tesc Force <contact@tescforce.example>"
BOTH = ("fr", "en")


def discovered_templates() -> set[str]:
    """Every e-mail template prefix of the project (`<templates>/<prefix>_body.txt`), tests' own aside."""
    found = set()
    tops = [d for d in ROOT.iterdir() if d.is_dir() and not d.name.startswith(".") and d.name not in {"tests", "var"}]
    for body in (b for top in tops for b in top.rglob("*_body.txt")):
        parts = body.relative_to(ROOT).parts
        if "templates" in parts:
            found.add("/".join(parts[parts.index("templates") + 1:])[: -len("_body.txt")])
    return found


# --- how to make each e-mail, through the code that sends it -----------------------------------------

def _candidate(lang, **fields):
    candidate = factories.CandidateFactory(language=lang, email=f"lea.{lang}@example.org", **fields)
    factories.give_consent(candidate, Consent.Kind.PROCESSING)
    return candidate


def _candidate_link(kind):
    def make(lang):
        session = factories.SessionFactory()
        action = {"action": "book_session", "session": session.pk} if kind in ("action", "already") else None
        candidate_emails.send_candidate_email(candidate=_candidate(lang), kind=kind, language=lang, action=action)
    return make


def _interest(lang):
    send_interest_link(_candidate(lang).pk, factories.JobPostingFactory(title="Data R&D <embarqué>").pk, lang)


def _registration(lang):
    registration = factories.RegistrationFactory(candidate=_candidate(lang))
    for kind in ("confirmed", "waitlisted", "promoted", "cancelled"):
        event_emails.send_registration_email(registration=registration, kind=kind)


def _candidate_message(lang):
    registration = factories.RegistrationFactory(candidate=_candidate(lang))
    for kind in (MessageSent.Kind.D7, MessageSent.Kind.D1, MessageSent.Kind.SURVEY, MessageSent.Kind.NO_SHOW):
        event_emails.send_candidate_message(registration=registration, kind=kind)


def _session_changed(lang):
    registration = factories.RegistrationFactory(candidate=_candidate(lang))
    event_emails.send_session_changed(registration=registration)


def _interview_changed(lang):
    session, _recruiter = _job_dating(lang)
    agenda.agenda_build(session=session)
    agenda.agenda_publish(agenda=JobDatingAgenda.objects.get(session=session))
    mail.outbox.clear()  # the agenda's own e-mails have their case
    agenda.interview_calendar_changed(interview=Interview.objects.filter(agenda__session=session).first())


def _recruiter_reminder(lang):
    recruiter = factories.RecruiterFactory(language=lang, user__email=f"rh.{lang}@example.org")
    event_emails.send_recruiter_reminder(recruiter=recruiter, session=factories.SessionFactory(),
                                         kind=MessageSent.Kind.D7)


def _company_list(lang):
    recruiter = factories.RecruiterFactory(language=lang, user__email=f"rh.{lang}@example.org")
    event_emails.send_company_list_notice(recruiter=recruiter, session=factories.SessionFactory())


def _booking_link(lang):
    event_emails.send_booking_link(candidate=_candidate(lang), session=factories.SessionFactory(), language=lang)


def _callback_ack(lang):
    request = CallbackRequest.objects.create(name="Léa Fabre", email="lea@example.org", topic="session",
                                             phone="+33611223344", language=lang)
    hotline_services.callback_request_acknowledge(callback_request_id=request.pk)


def _hotline_digest(lang):
    agent = factories.UserFactory(username="hotline-digest", email="agent@tescforce.example", groups=[roles.HOTLINE])
    HotlineCall.objects.create(caller_name="Jean Martin", topic="other", summary="Rappeler",
                               follow_up_due=timezone.localdate(), follow_up_owner=agent)
    hotline_services.follow_up_digest_send(owner=agent, day=timezone.localdate())


def _job_dating(lang):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    session = factories.SessionFactory(format=Session.Format.JOB_DATING, starts_at=start,
                                       ends_at=start + dt.timedelta(hours=1))
    recruiter = factories.RecruiterFactory(language=lang, user__email=f"rh.{lang}@example.org")
    part = SessionCompany.objects.create(session=session, company=recruiter.company, interview_slots=2)
    part.recruiters.set([recruiter])
    posting = factories.JobPostingFactory(company=recruiter.company)
    candidate = _candidate(lang, mobility_toulouse=True)
    factories.give_consent(candidate)
    factories.RegistrationFactory(session=session, candidate=candidate)
    Match.objects.update_or_create(candidate=candidate, posting=posting, defaults={"score": 80})
    return session, recruiter


def _agenda(lang):
    session, _recruiter = _job_dating(lang)
    agenda.agenda_build(session=session)
    agenda.agenda_publish(agenda=JobDatingAgenda.objects.get(session=session))


def _release(lang):
    session, recruiter = _job_dating(lang)
    record = JobDatingAgenda.objects.create(session=session, built_at=timezone.now(), published_at=timezone.now())
    release = InterviewRelease.objects.create(agenda=record, company=recruiter.company, recruiter=recruiter,
                                              starts_at=session.starts_at,
                                              ends_at=session.starts_at + dt.timedelta(minutes=15),
                                              reason=InterviewRelease.Reason.CANCELLED)
    agenda.interview_release_notify(release_id=release.pk)


def _sheet_link(lang):
    session, _recruiter = _job_dating(lang)
    agenda.agenda_build(session=session)
    agenda.agenda_publish(agenda=JobDatingAgenda.objects.get(session=session))
    mail.outbox.clear()  # the agenda's own e-mails have their case
    agenda.sheet_links_send(agenda=JobDatingAgenda.objects.get(session=session))


def _outcome(lang):
    session, recruiter = _job_dating(lang)
    agenda.agenda_build(session=session)
    agenda.agenda_publish(agenda=JobDatingAgenda.objects.get(session=session))
    mail.outbox.clear()
    coordinator = factories.UserFactory(username=f"coordination-{lang}", groups=[roles.COORDINATORS])
    card = scorecards.scorecard_save(interview=Interview.objects.get(agenda__session=session),
                                     data={"next_step": "offer"}, by=recruiter.user)
    scorecards.scorecard_inform_candidate(scorecard=card, by=coordinator)


def _prospecting_reminder(lang):
    officer = factories.UserFactory(username="prospection-rappel", email="officer@tescforce.example",
                                    groups=[roles.PROSPECTING])
    prospect = factories.ProspectFactory(owner=officer)
    Meeting.objects.create(prospect=prospect, officer=officer, starts_at=timezone.now() - dt.timedelta(days=2),
                           place="Taipei", outcome="follow_up", next_step="Envoyer les fiches",
                           next_step_due=timezone.localdate(), next_step_owner=officer)
    prospecting_services.reminder_send(user=officer, day=timezone.localdate())


def _contact_ack(lang):
    request = ContactRequest.objects.create(use_case=factories.UseCaseFactory(), name="Ann Lee",
                                            email="ann@example.org", organisation="Ubiik", message="Bonjour",
                                            language=lang)
    showroom_services.contact_request_acknowledge(contact_request_id=request.pk)


def _account(kind):
    def make(lang):
        user = factories.UserFactory(username=f"compte-{kind}-{lang}", email=f"staff.{lang}@tescforce.example")
        send_account_email(user=user, kind=kind, language=lang)
    return make


def _alert(kind):
    def make(lang):
        city = {"fr": "Toulouse", "en": "Montpellier"}[lang]  # each run's session for its own candidate only
        candidate = _candidate(lang, city=city)
        subscription = alert_services.subscription_set(candidate=candidate, kind=kind, frequency="immediate")
        type(subscription).objects.filter(pk=subscription.pk).update(
            created_at=timezone.now() - dt.timedelta(days=1))
        if kind == "offers":
            posting = factories.JobPostingFactory(title="Développeuse Django")
            Match.objects.update_or_create(candidate=candidate, posting=posting, defaults={"score": 80})
        else:
            factories.SessionFactory(title=f"Job dating {city}", city=city)
        alert_services.alerts_send_due()
    return make


def _partner_member(lang):
    partner = factories.PartnerFactory(name=f"France Travail Toulouse Compans ({lang})")
    return factories.partner_member(partner, username=f"partenaire-{lang}", language=lang,
                                    email=f"conseil.{lang}@francetravail.example")


def _member_invitation(lang):
    partner = factories.PartnerFactory(name=f"Mission locale Montpellier ({lang})")
    partner_services.member_invite(partner=partner, email=f"ml.{lang}@example.org", first_name="Zoé",
                                   last_name="Roux", language=lang)


def _member_reset(lang):
    partner_services.member_invitation_send(member=_partner_member(lang), reset=True)


def _referral(lang):
    member = _partner_member(lang)
    session = factories.SessionFactory(title="Numéric Emploi Toulouse")
    data = {"first_name": "Inès", "last_name": "Benali", "email": f"ines.{lang}@example.org", "phone": "",
            "postcode": "31200", "language": lang, "profile": "retraining", "proposed_session": session,
            "proposed_track": "Reconversion R&D <web>", "note": "Note pour l'équipe"}
    partner_services.referral_create(member=member, data=data)
    # A known person is asked to link, at their own address.
    factories.CandidateFactory(language=lang, email=f"deja.{lang}@example.org", phone="")
    partner_services.referral_create(member=member, data={**data, "email": f"deja.{lang}@example.org"})


def _partner_digest(lang):
    member = _partner_member(lang)
    candidate = factories.CandidateFactory(language=lang, email=f"suivi.{lang}@example.org", phone="")
    referral, _known = partner_services.referral_create(member=member, data={
        "first_name": "Inès", "last_name": "Benali", "email": candidate.email, "phone": "", "postcode": "31200",
        "language": lang, "profile": "retraining", "proposed_track": "", "note": ""})
    partner_services.referral_link(referral=referral, share=True)
    mail.outbox.clear()
    partner_services.digest_send(member=member, day=timezone.localdate() + dt.timedelta(days=7))


@dataclass(frozen=True)
class Case:
    make: object
    languages: tuple[str, ...] = BOTH
    # A recurring message the person chose and can stop: one-click unsubscribe (RFC 8058).
    unsubscribe: bool = False
    # Why a message goes out in French only.
    french_only: str = ""


CASES = {
    "candidates/email/confirm": Case(_candidate_link("confirm")),
    "candidates/email/already": Case(_candidate_link("already")),
    "candidates/email/space": Case(_candidate_link("space")),
    "candidates/email/action": Case(_candidate_link("action")),
    "candidates/email/interest": Case(_interest),
    "events/email/registration": Case(_registration),
    # Reminders (J-7, J-1), the survey and the no-show message: the one-click link stops those still to come.
    "events/email/candidate_message": Case(_candidate_message, unsubscribe=True),
    "events/email/recruiter_reminder": Case(_recruiter_reminder),
    "events/email/session_changed": Case(_session_changed),
    # The companies' lists: a link to the list (read when opened), nobody named.
    "events/email/company_list": Case(_company_list),
    "matching/email/interview_changed": Case(_interview_changed),
    "events/email/booking_link": Case(_booking_link),
    "hotline/email/callback_ack": Case(_callback_ack),
    "hotline/email/digest": Case(_hotline_digest, ("fr",),
                                 french_only="the hotline team's work digest; staff accounts hold no language"),
    "matching/email/agenda": Case(_agenda),
    "matching/email/release": Case(_release),
    "matching/email/sheet_link": Case(_sheet_link),
    # Told only when the team decides ("Informer le candidat"), in the candidate's language.
    "matching/email/outcome": Case(_outcome),
    "prospecting/email/reminder": Case(_prospecting_reminder, ("fr",),
                                       french_only="the prospecting officers' work reminder, in French"),
    "showroom/email/contact_ack": Case(_contact_ack),
    "tescforce/accounts/welcome": Case(_account("welcome")),
    "tescforce/accounts/reset": Case(_account("reset")),
    "alerts/email/offers": Case(_alert("offers"), unsubscribe=True),
    "alerts/email/sessions": Case(_alert("sessions"), unsubscribe=True),
    "partners/email/invitation": Case(_member_invitation),
    "partners/email/reset": Case(_member_reset),
    "partners/email/referral": Case(_referral),
    "partners/email/digest": Case(_partner_digest),
}

PARAMS = [pytest.param(prefix, lang, id=f"{prefix}-{lang}") for prefix, case in CASES.items()
          for lang in case.languages]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.DEFAULT_REPLY_TO_EMAIL = TEAM


def test_every_email_template_has_a_case():
    found = discovered_templates()
    assert found - set(CASES) == set(), "an e-mail template without a case in CASES"
    assert set(CASES) - found == set(), "a case for a template that no longer exists"
    assert all(case.french_only for case in CASES.values() if case.languages != BOTH)


def _parts(message) -> dict[str, str]:
    parts = {}
    for part in message.message().walk():
        if part.get_content_maintype() == "text" and part.get_filename() is None:
            parts.setdefault(part.get_content_type(), part.get_payload(decode=True).decode())
    return parts


def _made(prefix, lang, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        CASES[prefix].make(lang)
    assert mail.outbox, f"{prefix} sent nothing"
    return list(mail.outbox)


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "lang"), PARAMS)
def test_each_email_has_the_layout_and_headers_of_the_platform(prefix, lang, django_capture_on_commit_callbacks):
    case = CASES[prefix]
    for message in _made(prefix, lang, django_capture_on_commit_callbacks):
        headers = message.message()
        assert headers["Content-Language"] == lang
        assert message.reply_to == [TEAM]
        assert re.fullmatch(r"<[^<>@\s]+@emploi\.tescforce\.example>", headers["Message-ID"])
        assert message.subject.strip() and "\n" not in message.subject

        parts = _parts(message)
        assert set(parts) == {"text/plain", "text/html"}
        text, html = parts["text/plain"], parts["text/html"]
        for leftover in ("{{", "{%", "%(", "&amp;amp;"):
            assert leftover not in message.subject + text + html
        # One layout: its footer in both parts, the language on the HTML, no image to miss.
        assert f"{SITE}/" in text
        assert f'<html lang="{lang}">' in html and "<title>" in html
        assert f'href="{SITE}/"' in html
        assert all(' alt="' in tag for tag in re.findall(r"<img\b[^>]*>", html))
        # Every link is built from SITE_URL.
        for url in re.findall(r"https?://[^\s\"'<>]+", text + html):
            assert url.startswith(SITE), url

        unsubscribe = headers["List-Unsubscribe"]
        if case.unsubscribe:
            assert re.fullmatch(rf"<{re.escape(SITE)}/{lang}/[^>\s]+/>", unsubscribe)
            assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert unsubscribe[1:-1] in text and unsubscribe[1:-1] in html
            # The mail client's one-click POST: no cookie, no CSRF token.
            one_click = Client(enforce_csrf_checks=True).post(unsubscribe[1:-1].removeprefix(SITE),
                                                              "List-Unsubscribe=One-Click",
                                                              content_type="application/x-www-form-urlencoded")
            assert one_click.status_code == 200
        else:
            assert unsubscribe is None


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", [p for p, case in CASES.items() if case.languages == BOTH])
def test_each_email_reads_in_the_recipients_language(prefix, django_capture_on_commit_callbacks):
    french = _made(prefix, "fr", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    english = _made(prefix, "en", django_capture_on_commit_callbacks)
    assert len(french) == len(english)
    for fr, en in zip(french, english, strict=True):
        assert fr.subject != en.subject
        assert "Bonjour" not in en.body and "L'équipe Tesc Force" not in en.body
        assert "Tesc Force, digital jobs in Occitanie" in en.body
        assert "Tesc Force, l'emploi du numérique en Occitanie" in fr.body
