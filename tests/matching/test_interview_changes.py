"""An interview moved or cancelled after the agenda went out: updated .ics, each person told once."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from candidates.services import CandidateError
from events import services as events_services
from events.models import Registration, Session, SessionCompany
from matching import agenda
from matching.models import Interview, InterviewNotice, JobDatingAgenda
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(company_a, recruiter_a, settings, django_capture_on_commit_callbacks):
    """A job dating whose agenda was sent: one English-speaking candidate meets company A."""
    settings.SITE_URL = "https://tescforce.example"
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    session = factories.SessionFactory(format=Session.Format.JOB_DATING, starts_at=start,
                                       ends_at=start + dt.timedelta(hours=1), venue="La Cantine")
    factories.JobPostingFactory(company=company_a, city="Toulouse")
    part = SessionCompany.objects.create(session=session, company=company_a, interview_slots=2)
    part.recruiters.set([recruiter_a.recruiter])
    person = factories.CandidateFactory(mobility_toulouse=True, language="en")
    factories.give_consent(person)
    Registration.objects.create(session=session, candidate=person)
    agenda.agenda_build(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        agenda.agenda_publish(agenda=JobDatingAgenda.objects.get(session=session))
    mail.outbox.clear()
    return Interview.objects.get(agenda__session=session, candidate=person)


def _event(message):
    name, content, mimetype = message.attachments[0]
    cal = Calendar.from_ical(content.encode() if isinstance(content, str) else content)
    (event,) = cal.walk("VEVENT")
    return cal, event


def test_the_sent_agenda_is_in_paris_time_with_alarms_a_description_and_a_uid_on_the_site(
        company_a, recruiter_a, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://tescforce.example"
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    session = factories.SessionFactory(format=Session.Format.JOB_DATING, starts_at=start,
                                       ends_at=start + dt.timedelta(hours=1), venue="La Cantine")
    factories.JobPostingFactory(company=company_a, city="Toulouse", title="Développeuse Django")
    SessionCompany.objects.create(session=session, company=company_a, interview_slots=1)
    person = factories.CandidateFactory(mobility_toulouse=True)
    factories.give_consent(person)
    Registration.objects.create(session=session, candidate=person)
    agenda.agenda_build(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        agenda.agenda_publish(agenda=JobDatingAgenda.objects.get(session=session))
    interview = Interview.objects.get(agenda__session=session)
    cal, event = _event(next(m for m in mail.outbox if m.to == [person.email]))
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert event["DTSTART"].params["TZID"] == "Europe/Paris" and event.decoded("DTSTART") == interview.starts_at
    assert str(event["UID"]) == f"interview-{interview.pk}@tescforce.example"
    assert event.decoded("SEQUENCE") == 0 and str(event["STATUS"]) == "CONFIRMED" and "DTSTAMP" in event
    assert sorted(a.decoded("TRIGGER") for a in event.walk("VALARM")) == [dt.timedelta(days=-1),
                                                                         dt.timedelta(hours=-1)]
    assert "La Cantine" in str(event["DESCRIPTION"]) and "Développeuse Django" in str(event["DESCRIPTION"])
    _, recruiters_event = _event(next(m for m in mail.outbox if m.to != [person.email]))
    assert [a.decoded("TRIGGER") for a in recruiters_event.walk("VALARM")] == [dt.timedelta(hours=-1)]


def test_moving_an_interview_in_the_admin_tells_the_candidate_and_recruiter_once_each(
        published, client_for, coordinator, recruiter_a, django_capture_on_commit_callbacks):
    later = timezone.localtime(published.starts_at + dt.timedelta(minutes=30))
    end = later + dt.timedelta(minutes=15)
    post = {"agenda": published.agenda_id, "company": published.company_id, "candidate": published.candidate_id,
            "posting": published.posting_id or "", "score": published.score or "",
            "starts_at_0": later.strftime("%d/%m/%Y"), "starts_at_1": later.strftime("%H:%M:%S"),
            "ends_at_0": end.strftime("%d/%m/%Y"), "ends_at_1": end.strftime("%H:%M:%S")}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(f"/admin/matching/interview/{published.pk}/change/", post)
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.ics_sequence == 1 and published.starts_at == later
    assert sorted(m.to[0] for m in mail.outbox) == sorted([published.candidate.email, recruiter_a.email])
    to_candidate = next(m for m in mail.outbox if m.to == [published.candidate.email])
    assert to_candidate.subject.startswith("Interview moved")  # the candidate reads English
    assert next(m for m in mail.outbox if m.to == [recruiter_a.email]).subject.startswith("Entretien déplacé")
    _, event = _event(to_candidate)
    assert event.decoded("SEQUENCE") == 1 and event.decoded("DTSTART") == later
    assert published.company.name in str(event["SUMMARY"])

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(f"/admin/matching/interview/{published.pk}/change/", post)
    assert Interview.objects.get(pk=published.pk).ics_sequence == 1 and mail.outbox == []


def test_a_notice_is_sent_once_even_when_the_task_runs_twice(published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert agenda.interview_calendar_changed(interview=published) == 2
    assert len(mail.outbox) == 2
    for notice in InterviewNotice.objects.all():
        assert agenda.interview_change_notify(notice_id=notice.pk) is False
    assert len(mail.outbox) == 2


def test_cancelling_an_interview_sends_a_cancelled_ics_and_frees_the_slot(
        published, client_for, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post("/admin/matching/interview/", {
            "action": "cancel_interviews", "_selected_action": [published.pk]})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.cancelled_at is not None and published.ics_sequence == 1
    to_candidate = next(m for m in mail.outbox if m.to == [published.candidate.email])
    assert to_candidate.subject.startswith("Interview cancelled")
    _, event = _event(to_candidate)
    assert str(event["STATUS"]) == "CANCELLED" and event.decoded("SEQUENCE") == 1 and not event.walk("VALARM")
    assert len(mail.outbox) == 2
    # The slot is free again for the same pair.
    Interview.objects.create(agenda=published.agenda, company=published.company, candidate=published.candidate,
                             starts_at=published.starts_at, ends_at=published.ends_at)
    with pytest.raises(CandidateError):
        agenda.interview_cancel(interview=published)


def test_an_erased_candidate_is_not_told_and_a_recruiter_cannot_cancel(
        published, client_for, recruiter_a, django_capture_on_commit_callbacks):
    candidate = published.candidate
    candidate.anonymised_at = timezone.now()
    candidate.save()
    with django_capture_on_commit_callbacks(execute=True):
        agenda.interview_calendar_changed(interview=published)
    assert [m.to for m in mail.outbox] == [[recruiter_a.email]]
    client_for(recruiter_a).post("/admin/matching/interview/", {"action": "cancel_interviews",
                                                               "_selected_action": [published.pk]})
    assert Interview.objects.get(pk=published.pk).cancelled_at is None


def test_an_older_notice_is_not_sent_once_a_newer_change_exists(published):
    agenda.interview_calendar_changed(interview=published)  # its notices are never run
    first = list(InterviewNotice.objects.values_list("pk", flat=True))
    agenda.interview_calendar_changed(interview=published)
    assert all(agenda.interview_change_notify(notice_id=pk) is False for pk in first)
    assert mail.outbox == []


def test_an_interview_of_an_agenda_not_sent_yet_tells_no_one(company_a, db):
    session = factories.SessionFactory(format=Session.Format.JOB_DATING)
    record = JobDatingAgenda.objects.create(session=session)
    interview = Interview.objects.create(agenda=record, company=company_a, candidate=factories.CandidateFactory(),
                                         starts_at=session.starts_at,
                                         ends_at=session.starts_at + dt.timedelta(minutes=15))
    assert agenda.interview_calendar_changed(interview=interview) == 0
    assert not InterviewNotice.objects.exists()


def test_a_cancelled_interview_leaves_the_checks_and_frees_no_slot_twice(published, recruiter_a):
    agenda.interview_cancel(interview=published)
    assert agenda.agenda_check(published.agenda) == []
    mail.outbox.clear()
    assert agenda.interviews_release_for_candidate(candidate=published.candidate, reason="cancelled") == 1
    assert not Interview.objects.filter(pk=published.pk).exists()
    assert not published.agenda.releases.exists()


def test_only_the_interview_company_recruiters_are_told_and_not_one_who_left(
        published, company_a, recruiter_a, recruiter_b, django_capture_on_commit_callbacks):
    gone = factories.RecruiterFactory(company=company_a, user__username="parti")
    SessionCompany.objects.get(session=published.agenda.session, company=company_a).recruiters.add(gone)
    gone.user.is_active = False
    gone.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        agenda.interview_calendar_changed(interview=published)
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == sorted([recruiter_a.email, published.candidate.email])
    assert recruiter_b.email not in told and gone.user.email not in told


def test_cancelling_the_session_cancels_its_interviews_and_tells_the_recruiters(
        published, recruiter_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        events_services.session_cancel(session=published.agenda.session)
    published.refresh_from_db()
    assert published.cancelled_at is not None and published.ics_sequence == 1
    to_recruiter = [m for m in mail.outbox if m.to == [recruiter_a.email]]
    assert len(to_recruiter) == 1 and to_recruiter[0].subject.startswith("Entretien annulé")
