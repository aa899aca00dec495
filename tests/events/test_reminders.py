import datetime as dt
from smtplib import SMTPException
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from events import services, tasks
from events.models import MessageSent, Registration
from tests import factories

pytestmark = pytest.mark.django_db


def _session_in(days: float, capacity=10):
    start = timezone.now() + dt.timedelta(days=days)
    return factories.SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=3), capacity=capacity)


def _booked_long_ago(session, n=3, **candidate_kwargs):
    regs = [factories.RegistrationFactory(session=session, candidate=factories.CandidateFactory(**candidate_kwargs))
            for _ in range(n)]
    Registration.objects.filter(pk__in=[r.pk for r in regs]).update(
        created_at=timezone.now() - dt.timedelta(days=30))
    return regs


def test_d7_and_d1_reminders_go_once_to_confirmed_candidates_and_recruiters(company_a, recruiter_a):
    week = _session_in(6.9)
    tomorrow = _session_in(0.9)
    _booked_long_ago(week, 2)
    _booked_long_ago(tomorrow, 3)
    participation = factories.SessionFactory._meta.model.objects.get(pk=tomorrow.pk).company_participations.create(
        company=company_a)
    participation.recruiters.add(recruiter_a.recruiter)
    mail.outbox.clear()
    tasks.send_due_reminders.delay()
    assert len(mail.outbox) == 2 + 3 + 1
    assert MessageSent.objects.filter(kind="d7").count() == 2
    assert MessageSent.objects.filter(kind="d1").count() == 4
    assert recruiter_a.email in [m.to[0] for m in mail.outbox]
    tasks.send_due_reminders.delay()
    assert len(mail.outbox) == 6


def test_a_recruiter_is_reminded_in_their_language(company_a, recruiter_a):
    tomorrow = _session_in(0.9)
    _booked_long_ago(tomorrow, 1)
    english = factories.RecruiterFactory(company=company_a, user__username="recruiter-en", language="en")
    participation = tomorrow.company_participations.create(company=company_a)
    participation.recruiters.add(recruiter_a.recruiter, english)
    mail.outbox.clear()
    tasks.send_due_reminders.delay()
    to_en = next(m for m in mail.outbox if m.to == [english.user.email])
    to_fr = next(m for m in mail.outbox if m.to == [recruiter_a.email])
    assert "demain" in to_fr.subject and "tomorrow" in to_en.subject
    assert "demain" not in to_en.body


def test_cancelled_waitlisted_and_erased_candidates_get_no_reminder():
    session = _session_in(0.5)
    cancelled, waitlisted, _ok = _booked_long_ago(session, 3)
    Registration.objects.filter(pk=cancelled.pk).update(status="cancelled")
    Registration.objects.filter(pk=waitlisted.pk).update(status="waitlisted")
    _booked_long_ago(session, 1, anonymised_at=timezone.now())
    mail.outbox.clear()
    assert services.reminders_send_due() == 1
    assert len(mail.outbox) == 1


def test_a_booking_made_inside_the_window_gets_no_redundant_reminder():
    session = _session_in(3)
    factories.RegistrationFactory(session=session)
    assert services.reminders_send_due() == 0


def test_a_send_failing_mid_way_is_retried_and_each_reminder_goes_once():
    session = _session_in(0.5)
    _booked_long_ago(session, 4)
    mail.outbox.clear()
    real_send = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 3:
            raise SMTPException("connection lost")
        return real_send(self, messages)

    with mock.patch.object(EmailBackend, "send_messages", flaky):
        with pytest.raises(SMTPException):
            services.reminders_send_due()
        # The failed one gave its claim back: two sent, two still to send, the failure noted.
        assert len(mail.outbox) == 2
        assert MessageSent.objects.filter(state="sent").count() == 2
        assert MessageSent.objects.filter(state="pending").count() == 2
        assert MessageSent.objects.filter(last_error__startswith="SMTPException").count() == 1
        services.reminders_send_due()  # the retry
    assert len(mail.outbox) == 4
    assert len({m.to[0] for m in mail.outbox}) == 4
    assert MessageSent.objects.filter(state="sent").count() == 4


def test_the_task_retries_with_backoff_on_a_failed_send():
    task = tasks.send_due_reminders
    task.push_request(retries=3, is_eager=False)  # as on a worker, at the fourth attempt
    try:
        with mock.patch.object(task, "retry", side_effect=Retry("again")) as retry, \
                mock.patch.object(services, "reminders_send_due", side_effect=SMTPException("down")), \
                pytest.raises(Retry):
            task.run()
    finally:
        task.pop_request()
    assert isinstance(retry.call_args.kwargs["exc"], SMTPException)
    assert 0 <= retry.call_args.kwargs["countdown"] <= 600
    assert task.max_retries and task.acks_late


def test_a_reminder_already_recorded_is_not_sent_again():
    session = _session_in(0.5)
    (reg,) = _booked_long_ago(session, 1)
    assert services.reminder_send_once(kind="d1", registration=reg) is True
    assert services.reminder_send_once(kind="d1", registration=reg) is False
    assert len(mail.outbox) == 1


def test_after_the_session_attendees_get_the_survey_and_no_shows_the_next_dates():
    start = timezone.now() - dt.timedelta(hours=5)
    session = factories.SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=3))
    came, missed = _booked_long_ago(session, 2)
    services.registration_check_in(registration=came)
    upcoming = _session_in(10)
    mail.outbox.clear()
    tasks.send_after_session_messages.delay()
    tasks.send_after_session_messages.delay()
    assert len(mail.outbox) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "/sessions/avis/" in by_to[came.candidate.email].body
    assert upcoming.title in by_to[missed.candidate.email].body
    assert Registration.objects.get(pk=missed.pk).status == "no_show"


def test_the_task_itself_retries_after_a_failed_send_and_sends_each_reminder_once():
    session = _session_in(0.5)
    _booked_long_ago(session, 3)
    mail.outbox.clear()
    real_send = EmailBackend.send_messages
    calls = {"n": 0}

    def fails_once(self, messages):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SMTPException("connection lost")
        return real_send(self, messages)

    with mock.patch.object(EmailBackend, "send_messages", fails_once):
        with pytest.raises(SMTPException):  # in-process the failure surfaces at once (a worker retries)…
            tasks.send_due_reminders.apply()
        assert len(mail.outbox) == 1
        tasks.send_due_reminders.apply()  # …and the next run sends what is left
    assert len(mail.outbox) == 3
    assert len({m.to[0] for m in mail.outbox}) == 3
    assert MessageSent.objects.filter(state="sent").count() == 3


def test_a_booking_cancelled_after_selection_gets_no_reminder():
    session = _session_in(0.5)
    (reg,) = _booked_long_ago(session, 1)
    Registration.objects.filter(pk=reg.pk).update(status="cancelled")
    assert services.reminder_send_once(kind="d1", registration=reg) is False
    assert mail.outbox == []
    assert list(MessageSent.objects.values_list("state", flat=True)) == ["dropped"]


def test_a_company_that_names_nobody_has_all_its_recruiters_reminded(company_a, recruiter_a):
    colleague = factories.RecruiterFactory(company=company_a, user__username="collegue-a").user
    session = _session_in(0.9)
    session.company_participations.create(company=company_a)
    mail.outbox.clear()
    assert services.reminders_send_due() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([recruiter_a.email, colleague.email])
    assert services.reminders_send_due() == 0
