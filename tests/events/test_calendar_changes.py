"""A session moved or cancelled: the .ics says so (SEQUENCE, STATUS) and each booked candidate is told once."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from events import services
from events.models import MessageSent, Registration, Session
from tests import factories
from tests.events.test_admin import _session_post

pytestmark = pytest.mark.django_db


def _event(content):
    cal = Calendar.from_ical(content.encode() if isinstance(content, str) else content)
    (event,) = cal.walk("VEVENT")
    return cal, event


def _book(session, **candidate):
    return services.registration_book(session=session, candidate=factories.CandidateFactory(**candidate))


def test_a_new_session_has_a_uid_on_the_site_host_and_sequence_zero(client, settings):
    settings.SITE_URL = "https://tescforce.example"
    session = factories.SessionFactory()
    cal, event = _event(client.get(f"/fr/sessions/{session.pk}.ics").content)
    assert str(event["UID"]) == f"session-{session.pk}@tescforce.example"
    assert event.decoded("SEQUENCE") == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert event["DTSTART"].params["TZID"] == "Europe/Paris" and cal.walk("VTIMEZONE")
    assert sorted(a.decoded("TRIGGER") for a in event.walk("VALARM")) == [dt.timedelta(days=-1),
                                                                         dt.timedelta(hours=-1)]
    assert "DTSTAMP" in event
    description = str(event["DESCRIPTION"])
    assert "La Cantine" in description and f"/sessions/{session.pk}/" in description


def test_a_session_published_before_keeps_its_first_uid(client, settings):
    settings.SITE_URL = "https://tescforce.example"
    session = factories.SessionFactory(ics_uid="session-7@tescforce")
    _, event = _event(client.get(f"/fr/sessions/{session.pk}.ics").content)
    assert str(event["UID"]) == "session-7@tescforce"


def test_rescheduling_in_the_admin_bumps_the_sequence_and_tells_each_booked_candidate_once(
        client_for, coordinator, session, django_capture_on_commit_callbacks):
    french = _book(session, language="fr")
    english = _book(session, language="en")
    waitlisted = _book(session)
    assert waitlisted.status == Registration.Status.WAITLISTED
    cancelled = _book(factories.SessionFactory())  # another session's booking: not concerned
    mail.outbox.clear()
    later = timezone.localtime(session.starts_at + dt.timedelta(days=1))
    end = later + dt.timedelta(hours=3)
    post = _session_post(session, starts_at_0=later.strftime("%d/%m/%Y"), starts_at_1=later.strftime("%H:%M:%S"),
                         ends_at_0=end.strftime("%d/%m/%Y"), ends_at_1=end.strftime("%H:%M:%S"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(f"/admin/events/session/{session.pk}/change/", post)
    assert response.status_code == 302
    assert Session.objects.get(pk=session.pk).ics_sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([french.candidate.email, english.candidate.email])
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[french.candidate.email].subject.startswith("Session modifiée")
    assert by_address[english.candidate.email].subject.startswith("Session changed")
    _, event = _event(by_address[english.candidate.email].attachments[0][1])
    assert event.decoded("SEQUENCE") == 1 and event.decoded("DTSTART") == later.replace(microsecond=0)
    assert cancelled.candidate.email not in by_address

    # The same form saved again changes nothing: no new sequence, no second e-mail.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(f"/admin/events/session/{session.pk}/change/", post)
    assert Session.objects.get(pk=session.pk).ics_sequence == 1 and mail.outbox == []


def test_a_change_message_goes_once_even_when_delivered_twice(session, django_capture_on_commit_callbacks):
    registration = _book(session)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_calendar_changed(session=session)
    message = MessageSent.objects.get(kind=MessageSent.Kind.CHANGED)
    assert message.variant == "seq-1" and len(mail.outbox) == 1
    assert services.message_deliver(message_id=message.pk) is False
    # Recording the same change again (a retried task) adds no row.
    assert services.message_record(kind=MessageSent.Kind.CHANGED, registration=registration,
                                   variant="seq-1") is None
    assert len(mail.outbox) == 1


def test_an_older_change_is_dropped_when_a_newer_one_is_on_its_way(session, django_capture_on_commit_callbacks):
    _book(session)
    mail.outbox.clear()
    services.session_calendar_changed(session=session)  # not sent (no commit callbacks run)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_calendar_changed(session=session)
    first = MessageSent.objects.get(kind=MessageSent.Kind.CHANGED, variant="seq-1")
    assert services.message_deliver(message_id=first.pk) is False
    assert MessageSent.objects.get(pk=first.pk).state == MessageSent.State.DROPPED
    assert len(mail.outbox) == 1


def test_erased_and_cancelled_people_are_not_told(session, django_capture_on_commit_callbacks):
    kept = _book(session)
    gone = _book(session)
    services.registration_cancel(registration=gone)
    erased = _book(factories.SessionFactory(capacity=5))
    erased_here = Registration.objects.create(session=session, candidate=erased.candidate,
                                              status=Registration.Status.CONFIRMED)
    erased.candidate.anonymised_at = timezone.now()
    erased.candidate.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.session_calendar_changed(session=session) == 1
    assert [m.to for m in mail.outbox] == [[kept.candidate.email]]
    assert not MessageSent.objects.filter(registration=erased_here, kind=MessageSent.Kind.CHANGED).exists()


def test_cancelling_a_session_keeps_it_in_the_feed_as_cancelled_and_tells_the_booked(
        client_for, coordinator, session, django_capture_on_commit_callbacks):
    booked = _book(session, language="en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post("/admin/events/session/", {
            "action": "cancel_sessions", "_selected_action": [session.pk]})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled and session.ics_sequence == 1
    (message,) = mail.outbox
    assert message.to == [booked.candidate.email] and message.subject.startswith("Session cancelled")
    _, event = _event(message.attachments[0][1])
    assert str(event["STATUS"]) == "CANCELLED" and event.decoded("SEQUENCE") == 1
    assert not event.walk("VALARM")

    feed = Calendar.from_ical(client_for(coordinator).get("/fr/sessions/agenda.ics").content)
    (listed,) = [e for e in feed.walk("VEVENT") if str(e["UID"]).startswith(f"session-{session.pk}@")]
    assert str(listed["STATUS"]) == "CANCELLED"

    with pytest.raises(services.BookingError):
        _book(session)
    with pytest.raises(services.BookingError):
        services.session_cancel(session=session)


def test_a_recruiter_cannot_cancel_a_session(client_for, recruiter_a, session):
    _book(session)
    client_for(recruiter_a).post("/admin/events/session/", {"action": "cancel_sessions",
                                                           "_selected_action": [session.pk]})
    assert not Session.objects.get(pk=session.pk).is_cancelled


def test_the_public_pages_say_a_session_is_cancelled_and_offer_no_booking(client, session):
    services.session_cancel(session=session)
    page = client.get(f"/en/sessions/{session.pk}/").content.decode()
    assert "This session is cancelled." in page and 'name="email"' not in page
    assert "Session cancelled" in client.get("/en/sessions/").content.decode()
    response = client.post(f"/fr/sessions/{session.pk}/reserver/", {"email": "a@example.org"}, follow=True)
    assert Registration.objects.filter(session=session).count() == 0 and response.status_code in (200, 400)


def test_rescheduling_from_the_editions_rows_tells_the_booked_candidates_too(
        client_for, coordinator, session, django_capture_on_commit_callbacks):
    booked = _book(session)
    mail.outbox.clear()
    edition, local = session.edition, timezone.localtime
    later, end = local(session.starts_at + dt.timedelta(days=1)), local(session.ends_at + dt.timedelta(days=1))
    post = {
        "programme": edition.programme_id, "number": edition.number, "name": edition.name, "year": edition.year,
        "starts_on": edition.starts_on.strftime("%d/%m/%Y"), "ends_on": "",
        "target_candidates": edition.target_candidates,
        "sessions-TOTAL_FORMS": "1", "sessions-INITIAL_FORMS": "1", "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000", "sessions-0-id": session.pk, "sessions-0-edition": edition.pk,
        "sessions-0-title": session.title, "sessions-0-city": session.city, "sessions-0-format": session.format,
        "sessions-0-starts_at_0": later.strftime("%d/%m/%Y"), "sessions-0-starts_at_1": later.strftime("%H:%M:%S"),
        "sessions-0-ends_at_0": end.strftime("%d/%m/%Y"), "sessions-0-ends_at_1": end.strftime("%H:%M:%S"),
        "sessions-0-capacity": session.capacity, "sessions-0-is_published": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(f"/admin/events/edition/{edition.pk}/change/", post)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Session.objects.get(pk=session.pk).ics_sequence == 1
    assert [m.to[0] for m in mail.outbox] == [booked.candidate.email]
