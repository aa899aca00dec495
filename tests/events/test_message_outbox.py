"""Events e-mails go through the outbox: claimed before sending, marked after, resent after a lease."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from events import emails, services, tasks
from events.models import MessageSent, Registration
from tests import factories
from tests.mail_backends import FAILING, REFUSING

pytestmark = pytest.mark.django_db


def _confirmed_booking(session, candidate, capture):
    with capture(execute=True):
        return services.registration_book(session=session, candidate=candidate)


def test_a_booking_records_its_message_and_marks_it_sent_with_a_fixed_message_id(
        session, candidate, django_capture_on_commit_callbacks):
    registration = _confirmed_booking(session, candidate, django_capture_on_commit_callbacks)
    message = MessageSent.objects.get(registration=registration)
    assert (message.kind, message.state, message.attempts) == ("confirmed", "sent", 1)
    assert message.claimed_at <= message.sent_at
    assert mail.outbox[0].extra_headers["Message-ID"] == emails.message_id_for(message)


def test_delivering_a_sent_message_again_sends_nothing(session, candidate, django_capture_on_commit_callbacks):
    registration = _confirmed_booking(session, candidate, django_capture_on_commit_callbacks)
    message = MessageSent.objects.get(registration=registration)
    assert services.message_deliver(message_id=message.pk) is False
    assert tasks.deliver_message.delay(message.pk).get() is False
    assert len(mail.outbox) == 1


def test_a_fresh_claim_is_left_to_its_sender_and_a_stale_one_is_taken_over(session, candidate):
    registration = factories.RegistrationFactory(session=session, candidate=candidate)
    message = MessageSent.objects.create(session=session, registration=registration, kind="confirmed",
                                         state="claimed", claimed_at=timezone.now(), attempts=1)
    assert services.message_deliver(message_id=message.pk) is False
    assert services.messages_sweep() == 0
    assert mail.outbox == []
    # Its worker died mid-send: once the lease has passed, the sweeper sends it.
    MessageSent.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - dt.timedelta(minutes=6))
    assert services.messages_sweep() == 1
    assert services.messages_sweep() == 0
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == ("sent", 2)


def test_a_message_that_is_no_longer_true_is_dropped_not_sent(session, candidate, django_capture_on_commit_callbacks):
    registration = factories.RegistrationFactory(session=session, candidate=candidate)
    message = MessageSent.objects.create(session=session, registration=registration, kind="waitlisted")
    assert services.message_deliver(message_id=message.pk) is False
    assert MessageSent.objects.get(pk=message.pk).state == "dropped"
    assert mail.outbox == []


def test_cancel_and_book_again_tells_each_step_once(session, candidate, django_capture_on_commit_callbacks):
    registration = _confirmed_booking(session, candidate, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=registration)
        services.registration_cancel(registration=registration)  # twice: told once
    Registration.objects.filter(pk=registration.pk).update(created_at=timezone.now() - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_book(session=session, candidate=candidate)
    kinds = list(MessageSent.objects.order_by("pk").values_list("kind", "state"))
    assert kinds == [("confirmed", "sent"), ("cancelled", "sent"), ("confirmed", "sent")]
    assert [m.subject.split(" :")[0] for m in mail.outbox] == [
        "Votre place est réservée", "Inscription annulée", "Votre place est réservée"]


def test_a_failed_send_gives_the_claim_back_and_the_sweeper_sends_it_after_the_lease(
        session, candidate, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = FAILING
    registration = _confirmed_booking(session, candidate, django_capture_on_commit_callbacks)
    message = MessageSent.objects.get(registration=registration)
    assert (message.state, message.attempts) == ("pending", 1)
    assert message.last_error.startswith("SMTPServerDisconnected")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.messages_sweep() == 0  # too early: a retry of its own task may still come
    MessageSent.objects.filter(pk=message.pk).update(created_at=timezone.now() - dt.timedelta(minutes=6))
    assert tasks.sweep_messages.delay().get() == 1
    assert services.messages_sweep() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [candidate.email]


def test_a_refused_address_reaches_neither_the_outbox_row_nor_the_log(
        session, candidate, settings, caplog, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = REFUSING
    registration = _confirmed_booking(session, candidate, django_capture_on_commit_callbacks)
    MessageSent.objects.filter(registration=registration).update(created_at=timezone.now() - dt.timedelta(hours=1))
    assert services.messages_sweep() == 0
    message = MessageSent.objects.get(registration=registration)
    assert message.last_error == "SMTPRecipientsRefused (1 refused)"
    assert caplog.records and candidate.email not in caplog.text


def test_a_message_failing_again_and_again_is_left_for_a_person(session, candidate, settings):
    registration = factories.RegistrationFactory(session=session, candidate=candidate)
    message = MessageSent.objects.create(session=session, registration=registration, kind="confirmed",
                                         attempts=services.MAX_ATTEMPTS)
    MessageSent.objects.filter(pk=message.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    assert services.messages_sweep() == 0
    assert mail.outbox == []


def test_a_failing_mail_server_leaves_the_booking_made_and_shows_the_normal_page(
        client, session, candidate, settings, django_capture_on_commit_callbacks):
    from candidates.tokens import make_token

    settings.EMAIL_BACKEND = FAILING
    token = make_token(candidate_public_id=str(candidate.public_id), purpose="action",
                       data={"action": "book_session", "session": session.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/fr/sessions/reservation/{token}/")
    assert response.status_code == 200
    assert "réservée" in response.content.decode()
    registration = Registration.objects.get(candidate=candidate)
    assert registration.status == "confirmed"
    assert MessageSent.objects.get(registration=registration).state == "pending"
    # The cancellation link works too, and its message waits the same way.
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=registration)
    assert sorted(MessageSent.objects.values_list("kind", "state")) == [
        ("cancelled", "pending"), ("confirmed", "pending")]
    # Once the server is back, the sweeper tells only what is still true: the cancellation.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    MessageSent.objects.update(created_at=timezone.now() - dt.timedelta(minutes=6))
    assert services.messages_sweep() == 1
    assert [m.subject.split(" :")[0] for m in mail.outbox] == ["Inscription annulée"]


def test_the_booking_link_form_survives_a_failing_mail_server(client, session, candidate, settings,
                                                               django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/fr/sessions/{session.pk}/reserver/", {"email": candidate.email})
    assert response.status_code == 302


def test_nobody_but_staff_with_the_permission_sees_the_outbox_in_the_admin(client_for, recruiter_a, coordinator,
                                                                            hotline_agent):
    assert client_for(recruiter_a).get("/admin/events/messagesent/").status_code == 403
    assert client_for(hotline_agent).get("/admin/events/messagesent/").status_code == 403
    assert client_for(coordinator).get("/admin/events/messagesent/").status_code == 200
