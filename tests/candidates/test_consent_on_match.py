"""Being shown to a company because of a match needs its own consent, in its current wording; leaving a
job dating frees the interview slots and tells the recruiters concerned, naming no one."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from candidates import services, tokens, wording
from candidates.models import Candidate, Consent
from candidates.resources import RecruiterCandidateResource
from events.models import Registration, Session, SessionCompany
from matching import agenda
from matching.models import Interview, InterviewRelease, JobDatingAgenda, Match
from tests import factories

from .conftest import PDF, registration_data

pytestmark = [pytest.mark.django_db]
MATCHED = Consent.Kind.SHOWN_ON_MATCH


def _export_data(resource):
    data = {"format": "0", "resource": "0"}
    for field in resource().get_export_order():
        data[f"{resource.__name__.lower()}_{field}"] = "on"
    return data


def _sign_in(client, candidate):
    token = tokens.make_token(candidate_public_id=str(candidate.public_id), purpose="space")
    assert client.get(f"/fr/mon-espace/lien/{token}/").status_code == 302
    return client


# --- registration and Mon espace ------------------------------------------------------------------

def test_registration_offers_the_match_consent_unticked_and_records_it_with_its_version(client, reference,
                                                                                         instant_commit):
    page = client.get("/fr/inscription/").content.decode()
    checkbox = re.search(r'<input[^>]*name="consent_matched"[^>]*>', page).group(0)
    assert 'type="checkbox"' in checkbox and "checked" not in checkbox and "required" not in checkbox
    assert "dont une offre correspond" in page
    english = client.get("/en/inscription/").content.decode()
    assert "whose job offers match my profile" in english

    client.post("/fr/inscription/", registration_data(reference))
    client.post("/fr/inscription/", registration_data(reference, email="lea@example.org", consent_matched="on"))
    without = Candidate.objects.get(email="camille.durand@example.org")
    with_consent = Candidate.objects.get(email="lea@example.org")
    assert not without.consents.filter(kind=MATCHED).exists()
    consent = with_consent.consents.get(kind=MATCHED)
    assert consent.wording_version == wording.MATCHED_VERSION and consent.withdrawn_at is None


def test_mon_espace_asks_again_after_an_older_wording_and_records_give_and_withdraw(client):
    person = factories.CandidateFactory()
    factories.give_consent(person, version="2020-01")
    client = _sign_in(client, person)
    page = client.get("/fr/mon-espace/accueil/").content.decode()
    assert "2020-01" in page and "ne compte plus" in page and 'value="give"' in page
    assert not wording.holds_match_consent(person)

    client.post("/fr/mon-espace/consentements/", {"matched": "give"})
    rows = list(person.consents.filter(kind=MATCHED).order_by("given_at", "pk"))
    assert [r.wording_version for r in rows] == ["2020-01", wording.MATCHED_VERSION]
    assert rows[0].withdrawn_at is not None and rows[1].withdrawn_at is None
    assert wording.holds_match_consent(person)
    assert "Vous avez donné cet accord" in client.get("/fr/mon-espace/accueil/").content.decode()

    client.post("/fr/mon-espace/consentements/", {"matched": "withdraw"})
    assert not wording.holds_match_consent(person)
    assert person.consents.filter(kind=MATCHED, withdrawn_at__isnull=False).count() == 2


def test_the_legal_page_describes_both_consents(client):
    body = client.get("/fr/mentions-legales/").content.decode()
    assert "rapprochement automatique" in body and "version du texte" in body
    english = client.get("/en/mentions-legales/").content.decode()
    assert "automatic matching" in english and "rapprochement" not in english


# --- what recruiters see ----------------------------------------------------------------------------

@pytest.fixture
def matched(company_a):
    """A confirmed candidate matched (only) to a company A posting, with a CV; no consent to be shown yet."""
    person = factories.CandidateFactory(first_name="Maëlle", last_name="Rapprochée", email="maelle@example.org",
                                        shown_to_recruiters=True)
    person.cv.save("cv.pdf", ContentFile(PDF))
    Match.objects.create(candidate=person, posting=factories.JobPostingFactory(company=company_a), score=85)
    return person


def _seen_by(client, person) -> dict[str, bool]:
    listing = client.get("/admin/candidates/candidate/").content.decode()
    detail = client.get(f"/admin/candidates/candidate/{person.pk}/change/")
    cv = client.get(f"/admin/candidates/candidate/{person.pk}/cv/")
    matches = client.get("/admin/matching/match/").content.decode()
    export = client.post("/admin/candidates/candidate/export/", _export_data(RecruiterCandidateResource))
    return {
        "list": person.last_name in listing,
        "detail": detail.status_code == 200 and person.email in detail.content.decode(),
        "cv": cv.status_code == 200,
        "matches": person.last_name in matches,
        "export": person.email in export.content.decode(),
    }


@pytest.mark.parametrize("consent", ["none", "older wording", "withdrawn", "other purpose only"])
def test_a_match_alone_shows_no_one_without_the_current_match_consent(client_for, recruiter_a, matched, consent):
    if consent == "older wording":
        factories.give_consent(matched, version="2026-11")
    elif consent == "withdrawn":
        Consent.objects.filter(pk=factories.give_consent(matched).pk).update(withdrawn_at=timezone.now())
    elif consent == "other purpose only":
        factories.give_consent(matched, Consent.Kind.SHOWN_TO_RECRUITERS)
    seen = _seen_by(client_for(recruiter_a), matched)
    assert seen == dict.fromkeys(seen, False)


def test_the_current_match_consent_shows_the_matched_candidate_to_that_company_only(
        client, client_for, recruiter_a, recruiter_b, matched):
    factories.give_consent(matched)
    seen = _seen_by(client_for(recruiter_a), matched)
    assert seen == dict.fromkeys(seen, True)
    client.logout()
    other = _seen_by(client_for(recruiter_b), matched)
    assert other == dict.fromkeys(other, False)


# --- job-dating agenda --------------------------------------------------------------------------------

@pytest.fixture
def job_dating(company_a, company_b, recruiter_a, recruiter_b):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    session = factories.SessionFactory(format=Session.Format.JOB_DATING, starts_at=start,
                                       ends_at=start + dt.timedelta(hours=1), capacity=20)
    for company in (company_a, company_b):
        factories.JobPostingFactory(company=company, city="Toulouse")
    english = factories.RecruiterFactory(company=company_a, user__username="recruteur-a-en", language="en")
    part_a = SessionCompany.objects.create(session=session, company=company_a, interview_slots=4)
    part_a.recruiters.set([recruiter_a.recruiter, english])
    SessionCompany.objects.create(session=session, company=company_b, interview_slots=4)
    people = {}
    for name, version in (("Consentante", wording.MATCHED_VERSION), ("Ancienne", "2026-11"), ("Muette", None)):
        person = factories.CandidateFactory(first_name="Zoé", last_name=name, mobility_toulouse=True)
        if version:
            factories.give_consent(person, version=version)
        factories.give_consent(person, Consent.Kind.SHOWN_TO_RECRUITERS)
        Registration.objects.create(session=session, candidate=person)
        people[name] = person
    return {"session": session, "people": people, "english": english}


def test_agenda_places_only_candidates_holding_the_current_match_consent(job_dating):
    agenda.agenda_build(session=job_dating["session"], max_per_candidate=2)
    placed = set(Interview.objects.values_list("candidate__last_name", flat=True))
    assert placed == {"Consentante"}


def test_published_schedules_never_name_a_candidate_without_the_consent(job_dating, company_a,
                                                                        django_capture_on_commit_callbacks):
    session, people = job_dating["session"], job_dating["people"]
    agenda.agenda_build(session=session, max_per_candidate=2)
    record = JobDatingAgenda.objects.get(session=session)
    # A coordinator adds by hand an interview with someone who never agreed: refused at the check.
    silent = people["Muette"]
    Interview.objects.create(agenda=record, company=company_a, candidate=silent,
                             starts_at=session.ends_at - dt.timedelta(minutes=15), ends_at=session.ends_at)
    assert any("n'ont pas accepté" in p for p in agenda.agenda_check(record))
    # Published anyway (no check): the interview is dropped and no e-mail names the person.
    with django_capture_on_commit_callbacks(execute=True):
        agenda.agenda_publish(agenda=record)
    assert not Interview.objects.filter(candidate=silent).exists()
    assert mail.outbox
    for message in mail.outbox:
        content = message.body + "".join(str(a[1]) for a in message.attachments)
        assert "Muette" not in content and "Ancienne" not in content
        assert silent.email not in message.to


# --- someone leaves ---------------------------------------------------------------------------------

@pytest.fixture
def published(job_dating, company_a, company_b, django_capture_on_commit_callbacks):
    """A sent agenda: the leaver meets company A at 00:15 in; someone else meets company B."""
    session = job_dating["session"]
    record = JobDatingAgenda.objects.create(session=session)
    leaver = job_dating["people"]["Consentante"]
    stays = factories.CandidateFactory(first_name="Yann", last_name="Reste")
    factories.give_consent(stays)
    slot = session.starts_at + dt.timedelta(minutes=15)
    Interview.objects.create(agenda=record, company=company_a, candidate=leaver, starts_at=slot,
                             ends_at=slot + dt.timedelta(minutes=15))
    Interview.objects.create(agenda=record, company=company_b, candidate=stays, starts_at=slot,
                             ends_at=slot + dt.timedelta(minutes=15))
    with django_capture_on_commit_callbacks(execute=True):
        agenda.agenda_publish(agenda=record)
    mail.outbox.clear()
    return {**job_dating, "agenda": record, "leaver": leaver, "slot": slot}


def _cancel(client, world):
    registration = Registration.objects.get(session=world["session"], candidate=world["leaver"])
    return client.post("/fr/sessions/mon-espace/annuler/", {"registration": registration.pk})


def _withdraw(client, world):
    return client.post("/fr/mon-espace/consentements/", {"matched": "withdraw"})


def _erase(client, world):
    return client.post("/fr/mon-espace/effacer/", {"confirm": "on"})


@pytest.mark.parametrize("leave,reason", [(_cancel, "cancelled"), (_withdraw, "withdrawn"), (_erase, "erased")])
def test_leaving_frees_the_slots_and_tells_each_recruiter_concerned_in_their_language(
        client, published, recruiter_a, recruiter_b, leave, reason, django_capture_on_commit_callbacks):
    leaver = published["leaver"]
    name, email = leaver.last_name, leaver.email
    client = _sign_in(client, leaver)
    with django_capture_on_commit_callbacks(execute=True):
        response = leave(client, published)
    assert response.status_code in (200, 302)
    assert not Interview.objects.filter(candidate=leaver).exists()
    assert Interview.objects.filter(candidate__last_name="Reste").count() == 1  # others keep theirs
    releases = InterviewRelease.objects.all()
    assert {r.reason for r in releases} == {reason}
    assert all(r.notified_at is not None for r in releases)
    by_address = {m.to[0]: m for m in mail.outbox if len(m.to) == 1 and m.to[0] != email}
    french, english = recruiter_a.email, published["english"].user.email
    assert set(by_address) == {french, english}  # one each; company B's recruiter gets nothing
    assert recruiter_b.email not in {to for m in mail.outbox for to in m.to}
    hhmm = timezone.localtime(published["slot"]).strftime("%H:%M")
    assert "créneau" in by_address[french].body and hhmm in by_address[french].body
    assert "slot" in by_address[english].body and hhmm in by_address[english].body
    assert "créneau" not in by_address[english].body
    for message in by_address.values():
        assert name not in message.body + message.subject and email not in message.body


def test_leaving_before_the_agenda_is_sent_frees_the_slot_without_any_e_mail(job_dating, company_a,
                                                                             django_capture_on_commit_callbacks):
    session, leaver = job_dating["session"], job_dating["people"]["Consentante"]
    agenda.agenda_build(session=session)
    assert Interview.objects.filter(candidate=leaver).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(candidate=leaver, kind=MATCHED)
    assert not Interview.objects.filter(candidate=leaver).exists()
    assert not InterviewRelease.objects.exists() and mail.outbox == []


def test_cancelling_another_session_keeps_the_job_dating_interviews(published, django_capture_on_commit_callbacks):
    from events.services import registration_cancel

    other = Registration.objects.create(session=factories.SessionFactory(), candidate=published["leaver"])
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=other)
    assert Interview.objects.filter(candidate=published["leaver"]).count() == 1
    assert not InterviewRelease.objects.exists()
    # Only the person's own cancellation notice goes out; no recruiter hears of it.
    assert [m.to for m in mail.outbox] == [[published["leaver"].email]]


def test_a_notice_goes_out_once_and_a_refused_send_is_retried(published, django_capture_on_commit_callbacks):
    with mock.patch("matching.tasks.send_interview_release_notice.delay"), \
            django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(candidate=published["leaver"], kind=MATCHED)
    release = InterviewRelease.objects.filter(recruiter__language="fr").get()
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError), \
            pytest.raises(ConnectionRefusedError):
        agenda.interview_release_notify(release_id=release.pk)
    release.refresh_from_db()
    assert release.notified_at is None  # the claim is undone: the task's retry sends it
    assert agenda.interview_release_notify(release_id=release.pk) is True
    assert agenda.interview_release_notify(release_id=release.pk) is False
    assert len(mail.outbox) == 1
