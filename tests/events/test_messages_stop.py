"""Reminders and the survey carry a one-click unsubscribe (RFC 8058) that stops the messages still to come."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from events import emails, services
from events.links import make_link_token
from events.models import MessageSent, Registration
from tests import factories

pytestmark = pytest.mark.django_db


def _stop_path(message) -> str:
    header = message.message()["List-Unsubscribe"]
    return re.fullmatch(r"<https?://[^/]+(/(fr|en)/sessions/messages/arret/[^>]+/)>", header).group(1)


def _booking(days=10, email="nina@example.org"):
    session = factories.SessionFactory(starts_at=timezone.now() + dt.timedelta(days=days))
    return factories.RegistrationFactory(session=session, status=Registration.Status.CONFIRMED,
                                         candidate=factories.CandidateFactory(email=email))


def test_a_reminder_carries_the_one_click_headers_and_its_post_stops_what_is_still_to_come(client):
    registration = _booking(days=6)
    # Booked long before the J-7 window (a booking inside it gets no J-7 reminder).
    Registration.objects.filter(pk=registration.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    assert services.reminders_send_due() == 1
    [reminder] = mail.outbox
    assert reminder.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = _stop_path(reminder)

    page = client.get(path)
    assert page.status_code == 200 and "Ne plus recevoir ces messages" in page.content.decode()
    assert not MessageSent.objects.filter(registration=registration, state=MessageSent.State.DROPPED).exists()

    done = Client(enforce_csrf_checks=True).post(path, "List-Unsubscribe=One-Click",
                                                 content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200 and "Vous ne recevrez plus ces messages" in done.content.decode()
    assert client.post(path).status_code == 200  # again: nothing changes

    # J-1, the survey and the no-show message never go; the booking stands.
    services.reminders_send_due(now=registration.session.starts_at - dt.timedelta(hours=12))
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.ATTENDED)
    services.after_session_send_due(now=registration.session.ends_at + dt.timedelta(hours=1))
    assert len(mail.outbox) == 1
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ATTENDED
    assert set(MessageSent.objects.filter(registration=registration).values_list("kind", "state")) == {
        ("d7", "sent"), ("d1", "dropped"), ("survey", "dropped"), ("no_show", "dropped")}


def test_a_recorded_message_not_yet_sent_is_stopped_too():
    registration = _booking()
    message = MessageSent.objects.create(session=registration.session, registration=registration, kind="d1")
    assert services.registration_messages_stop(registration=registration) == 4
    message.refresh_from_db()
    assert message.state == MessageSent.State.DROPPED
    assert services.registration_messages_stop(registration=registration) == 0


def test_one_booking_link_cannot_stop_another_booking_and_a_tampered_one_stops_nothing(client):
    mine, theirs = _booking(email="me@example.org"), _booking(email="them@example.org")
    token = make_link_token(purpose="stop", registration_id=mine.pk)
    forged = make_link_token(purpose="cancel", registration_id=theirs.pk)  # a real token of another purpose
    for bad in (forged, token[:-3] + "xyz", "abc"):
        response = client.post(f"/fr/sessions/messages/arret/{bad}/")
        assert response.status_code == 400
    assert not MessageSent.objects.exists()
    client.post(f"/fr/sessions/messages/arret/{token}/")
    assert MessageSent.objects.filter(registration=mine).count() == 4
    assert not MessageSent.objects.filter(registration=theirs).exists()


def test_the_survey_and_no_show_messages_carry_the_link_in_the_candidates_language():
    registration = _booking()
    registration.candidate.language = "en"
    registration.candidate.save()
    emails.send_candidate_message(registration=registration, kind=MessageSent.Kind.SURVEY)
    path = _stop_path(mail.outbox[0])
    assert path.startswith("/en/")
    page = Client().get(path).content.decode()
    assert "Stop these messages" in page
