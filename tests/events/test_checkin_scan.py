"""Checking people in by their ticket at the desk: each refusal, a scan sent twice, who may do it."""

import datetime as dt
import hashlib
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from events import services
from events.models import Registration
from events.tickets import ticket_code
from tescforce import roles
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db, settings):
    """A session starting in a minute, on a day whose desk is open (it opens at midnight here)."""
    settings.CHECKIN_OPENS_AT = "00:00"
    start = factories.today_from_now(dt.timedelta(minutes=1))
    return factories.SessionFactory(title="Job dating Toulouse", city="Toulouse", capacity=5,
                                    starts_at=start, ends_at=start + dt.timedelta(hours=3))


@pytest.fixture
def booked(session):
    person = factories.CandidateFactory(first_name="Romain", last_name="Barthe", email="romain.barthe@gmail.com")
    return services.registration_book(session=session, candidate=person)


@pytest.fixture
def desk(client_for, coordinator):
    coordinator.first_name, coordinator.last_name = "Marie", "Dupont"
    coordinator.save()
    return client_for(coordinator)


def _scan(client, session, code, **extra):
    data = {"code": code, **{k: v for k, v in extra.items() if not k.startswith("HTTP_")}}
    headers = {k: v for k, v in extra.items() if k.startswith("HTTP_")}
    return client.post(f"/pilotage/sessions/{session.pk}/accueil/billet/", data,
                       HTTP_ACCEPT="application/json", **headers)


def _status(registration) -> str:
    return Registration.objects.get(pk=registration.pk).status


def test_a_valid_ticket_checks_the_person_in_and_names_them_with_a_masked_contact(desk, session, booked, coordinator):
    scan_id = str(uuid.uuid4())
    response = _scan(desk, session, ticket_code(booked), scan_id=scan_id)
    assert response.status_code == 200
    answer = response.json()
    assert answer["result"] == "checked_in" and answer["title"] == "Entrée validée"
    assert answer["person"]["name"] == "Barthe Romain" and answer["person"]["contact"] == "r•••@gmail.com"
    assert "romain.barthe" not in response.content.decode()
    assert answer["message"].startswith("Bienvenue ! Arrivée enregistrée à ")
    assert answer["counts"]["present"] == 1
    registration = Registration.objects.get(pk=booked.pk)
    assert registration.status == "attended" and not registration.walk_in
    assert registration.checked_in_by == coordinator and str(registration.checked_in_scan) == scan_id


def test_what_a_handheld_scanner_or_a_person_types_is_read_too(desk, session, booked):
    typed = ticket_code(booked).lower().replace("-", " ").replace("0", "o")
    assert _scan(desk, session, f"  {typed}\n").status_code == 200
    assert _status(booked) == "attended"


def test_a_second_scan_is_refused_with_the_time_and_who_let_the_person_in(desk, session, booked):
    code = ticket_code(booked)
    assert _scan(desk, session, code, scan_id=str(uuid.uuid4())).status_code == 200
    arrived = timezone.localtime().replace(hour=10, minute=32)
    Registration.objects.filter(pk=booked.pk).update(checked_in_at=arrived)
    response = _scan(desk, session, code, scan_id=str(uuid.uuid4()))
    assert response.status_code == 409
    answer = response.json()
    assert answer["reason"] == "already_checked_in" and answer["title"] == "Refusé"
    assert answer["message"] == "Déjà enregistré·e à 10 h 32 par Marie Dupont : ce billet a déjà servi."
    assert answer["person"]["name"] == "Barthe Romain"
    assert Registration.objects.get(pk=booked.pk).checked_in_at == arrived


def test_the_second_scan_reads_in_english_for_an_english_desk(desk, session, booked):
    code = ticket_code(booked)
    _scan(desk, session, code)
    Registration.objects.filter(pk=booked.pk).update(checked_in_at=timezone.localtime().replace(hour=10, minute=32))
    answer = _scan(desk, session, code, HTTP_ACCEPT_LANGUAGE="en").json()
    assert answer["title"] == "Refused"
    assert answer["message"] == "Already checked in at 10:32 by Marie Dupont: this ticket has been used."


def test_a_person_checked_in_by_name_is_refused_a_second_entry_by_ticket(desk, session, booked, hotline_agent,
                                                                          client_for):
    desk.post(f"/pilotage/sessions/{session.pk}/accueil/{booked.pk}/", HTTP_ACCEPT="application/json")
    hotline = Client()
    hotline.force_login(hotline_agent)
    answer = _scan(hotline, session, ticket_code(booked)).json()
    assert answer["reason"] == "already_checked_in" and "par Marie Dupont" in answer["message"]


def test_the_same_scan_sent_twice_is_one_arrival_reported_as_already_done(desk, session, booked):
    code, scan_id = ticket_code(booked), str(uuid.uuid4())
    first = _scan(desk, session, code, scan_id=scan_id)
    arrived = Registration.objects.get(pk=booked.pk).checked_in_at
    again = _scan(desk, session, code, scan_id=scan_id)
    assert first.status_code == again.status_code == 200
    assert again.json()["result"] == "replayed"
    assert again.json()["message"].startswith("Scan déjà transmis : entrée enregistrée à ")
    assert again.json()["counts"]["present"] == 1
    registration = Registration.objects.get(pk=booked.pk)
    assert registration.status == "attended" and registration.checked_in_at == arrived


def test_a_scan_kept_offline_is_dated_when_it_was_made_within_bounds(desk, session, booked):
    now = timezone.now()
    # Seven minutes ago, or less just after midnight: the desk's day begins then (the third scan below).
    since_midnight = now - timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    made = now - min(dt.timedelta(minutes=7), since_midnight / 2)
    assert _scan(desk, session, ticket_code(booked), scanned_at=made.isoformat()).status_code == 200
    assert Registration.objects.get(pk=booked.pk).checked_in_at == made
    other = services.registration_book(session=session, candidate=factories.CandidateFactory())
    before = timezone.now()
    _scan(desk, session, ticket_code(other), scanned_at=(timezone.now() + dt.timedelta(days=1)).isoformat())
    # A clock ahead of time does not date an arrival in the future.
    assert before <= Registration.objects.get(pk=other.pk).checked_in_at <= timezone.now()
    third = services.registration_book(session=session, candidate=factories.CandidateFactory())
    before = timezone.now()
    _scan(desk, session, ticket_code(third), scanned_at=(timezone.now() - dt.timedelta(days=3)).isoformat())
    # No earlier than the desk's opening (midnight here) nor than six hours before the sync, whichever is later.
    earliest = max(timezone.localtime(before).replace(hour=0, minute=0, second=0, microsecond=0),
                   before - services.OFFLINE_SCAN_MAX_AGE)
    assert earliest <= Registration.objects.get(pk=third.pk).checked_in_at <= timezone.now()


def test_a_ticket_for_another_session_is_refused_and_that_session_named(desk, session, booked):
    elsewhere = factories.SessionFactory(title="Job dating Montpellier", city="Montpellier",
                                         starts_at=session.starts_at, ends_at=session.ends_at)
    response = _scan(desk, elsewhere, ticket_code(booked))
    assert response.status_code == 409
    answer = response.json()
    assert answer["reason"] == "other_session"
    assert answer["message"].startswith("Ce billet est pour une autre session : « Job dating Toulouse »")
    # Who it is, to send them on; not the booking of another session.
    assert answer["person"] == {"name": "Barthe Romain", "contact": "r•••@gmail.com"}
    assert _status(booked) == "confirmed"


def test_a_cancelled_booking_s_ticket_is_refused(desk, session, booked):
    code = ticket_code(booked)
    services.registration_cancel(registration=booked, notify=False)
    response = _scan(desk, session, code)
    assert response.status_code == 409
    assert response.json()["reason"] == "cancelled"
    assert response.json()["message"] == "Cette réservation a été annulée : ce billet n'est plus valide."
    assert _status(booked) == "cancelled"


def test_the_old_ticket_of_a_booking_made_again_is_refused_and_the_new_one_lets_in(desk, session, booked):
    old = ticket_code(booked)
    services.registration_cancel(registration=booked, notify=False)
    again = services.registration_book(session=session, candidate=booked.candidate)
    response = _scan(desk, session, old)
    assert response.status_code == 400 and response.json()["reason"] == "invalid"
    assert "remplacé par une réservation plus récente" in response.json()["message"]
    assert _status(again) == "confirmed"
    assert _scan(desk, session, ticket_code(again)).status_code == 200
    assert _status(again) == "attended"


@pytest.mark.parametrize("forge", [
    lambda code: code[:-1] + ("A" if code[-1] != "A" else "B"),  # one character changed
    lambda code: code.replace(code.split("-")[1], str(int(code.split("-")[1]) + 1000), 1),  # another booking
    lambda code: "TF-999999-AAAA-BBBB-CCCC",
    lambda code: "https://example.org/not-a-ticket",
    lambda code: "x" * 5000,
])
def test_an_unknown_or_forged_code_is_refused_and_changes_nothing(desk, session, booked, forge):
    response = _scan(desk, session, forge(ticket_code(booked)))
    assert response.status_code == 400
    answer = response.json()
    assert answer["result"] == "refused" and answer["reason"] in {"invalid", "unreadable"}
    assert answer["message"].startswith(("Billet non valide", "Ce scan est illisible", "Assurez-vous"))
    assert _status(booked) == "confirmed"


def test_an_empty_code_or_a_broken_scan_id_is_refused_in_words(desk, session, booked):
    answer = _scan(desk, session, "").json()
    assert answer["reason"] == "unreadable" and answer["message"] == "Scannez ou saisissez le code du billet."
    response = _scan(desk, session, ticket_code(booked), scan_id="not-a-uuid")
    assert response.status_code == 400 and response.json()["message"] == "Ce scan est illisible : scannez de nouveau."
    assert _status(booked) == "confirmed"


def test_an_erased_person_s_ticket_is_refused(desk, session, booked):
    booked.candidate.anonymised_at = timezone.now()
    booked.candidate.save(update_fields=["anonymised_at"])
    assert _scan(desk, session, ticket_code(booked)).json()["reason"] == "invalid"


def test_the_desk_refuses_tickets_before_the_session_s_day(client_for, coordinator, settings):
    settings.CHECKIN_OPENS_AT = "07:00"
    start = (timezone.localtime() + dt.timedelta(days=6)).replace(hour=14, minute=0, second=0, microsecond=0)
    later = factories.SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=3))
    reg = services.registration_book(session=later, candidate=factories.CandidateFactory())
    client = client_for(coordinator)
    response = _scan(client, later, ticket_code(reg))
    assert response.status_code == 409
    assert response.json()["reason"] == "desk_closed" and "ouvre le" in response.json()["message"]
    assert _status(reg) == "confirmed"
    page = client.get(f"/pilotage/sessions/{later.pk}/accueil/").content.decode()
    assert 'id="scan-form"' not in page and "jsQR.js" not in page


def test_the_desk_refuses_tickets_after_the_session_s_day(client_for, coordinator, past_session):
    reg = factories.RegistrationFactory(session=past_session)
    response = _scan(client_for(coordinator), past_session, ticket_code(reg))
    assert response.status_code == 409 and response.json()["reason"] == "desk_closed"
    assert _status(reg) == "confirmed"


def test_the_hotline_may_scan(client_for, hotline_agent, session, booked):
    assert _scan(client_for(hotline_agent), session, ticket_code(booked)).status_code == 200
    assert Registration.objects.get(pk=booked.pk).checked_in_by == hotline_agent


def test_an_anonymous_visitor_is_sent_to_login_and_nobody_is_checked_in(client, session, booked):
    response = _scan(client, session, ticket_code(booked))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert _status(booked) == "confirmed"


@pytest.mark.parametrize("who", ["recruiter_a", "prospecting_officer", "staff_without_role", "inactive_coordinator"])
def test_who_may_not_check_in_is_refused_and_nobody_is_checked_in(client, session, booked, who, request):
    if who == "staff_without_role":
        user = factories.UserFactory(username="sans-role")
    elif who == "inactive_coordinator":
        user = factories.UserFactory(username="partie", groups=[roles.COORDINATORS], is_active=False)
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    response = _scan(client, session, ticket_code(booked))
    assert response.status_code in (302, 403)
    assert _status(booked) == "confirmed"
    assert client.get(f"/pilotage/sessions/{session.pk}/accueil/").status_code in (302, 403)


def test_scanning_needs_csrf(coordinator, session, booked):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert _scan(client, session, ticket_code(booked)).status_code == 403
    assert _status(booked) == "confirmed"


def test_get_is_not_allowed(desk, session):
    assert desk.get(f"/pilotage/sessions/{session.pk}/accueil/billet/").status_code == 405


def test_without_javascript_the_code_form_posts_and_the_page_says_the_result(desk, session, booked):
    response = desk.post(f"/pilotage/sessions/{session.pk}/accueil/billet/", {"code": ticket_code(booked)},
                         follow=True)
    body = response.content.decode()
    assert "Barthe Romain : Bienvenue ! Arrivée enregistrée à" in body
    response = desk.post(f"/pilotage/sessions/{session.pk}/accueil/billet/", {"code": ticket_code(booked)},
                         follow=True)
    assert "ce billet a déjà servi" in response.content.decode()


def test_undoing_a_check_in_forgets_who_and_which_scan(desk, session, booked):
    _scan(desk, session, ticket_code(booked), scan_id=str(uuid.uuid4()))
    desk.post(f"/pilotage/sessions/{session.pk}/accueil/{booked.pk}/", {"undo": "1"})
    registration = Registration.objects.get(pk=booked.pk)
    assert (registration.status, registration.checked_in_by, registration.checked_in_scan) == ("confirmed", None, None)
    assert _scan(desk, session, ticket_code(booked)).status_code == 200


def test_a_walk_in_records_who_registered_them(desk, session, coordinator):
    desk.post(f"/pilotage/sessions/{session.pk}/accueil/sur-place/", {
        "first_name": "Inès", "last_name": "Sur-Place", "email": "ines@example.org", "profile": "job_seeker",
        "consent": "on"})
    assert Registration.objects.get(candidate__email="ines@example.org").checked_in_by == coordinator


def test_the_desk_page_offers_the_scanner_with_its_texts_and_the_library_from_our_static_files(desk, session):
    body = desk.get(f"/pilotage/sessions/{session.pk}/accueil/").content.decode()
    assert 'id="scan-form"' in body and 'name="code"' in body and 'aria-live="assertive"' in body
    assert f'src="{django_settings.STATIC_URL}events/vendor/jsqr/jsQR.js"' in body
    assert '<script id="scan-texts" type="application/json">' in body and "scans en attente" in body
    english = desk.get(f"/pilotage/sessions/{session.pk}/accueil/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Scan tickets" in english and "scans waiting" in english


def test_the_vendored_qr_library_is_the_published_jsqr_with_its_licence():
    library = Path(finders.find("events/vendor/jsqr/jsQR.js"))
    folder = library.parent
    assert "Apache License" in (folder / "LICENSE").read_text()
    digest = hashlib.sha256(library.read_bytes()).hexdigest()
    assert digest in (folder / "README.md").read_text()
    assert digest == "bc40c8a15196236b2314db0856f72ca0b49980cd5413b8c852a7349f5fee0859"
