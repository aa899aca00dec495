import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from candidates.space import sign_in
from candidates.tokens import make_token
from events import services
from events.links import make_link_token
from events.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db


def _book_token(candidate, session):
    return make_token(candidate_public_id=str(candidate.public_id), purpose="action",
                      data={"action": "book_session", "session": session.pk})


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_session_list_groups_upcoming_sessions_by_city_with_seats_left(client, session, past_session, lang):
    factories.SessionFactory(title="Atelier Montpellier", city="Montpellier")
    factories.SessionFactory(title="Brouillon", is_published=False)
    services.registration_book(session=session, candidate=factories.CandidateFactory())
    response = client.get(f"/{lang}/sessions/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Job dating Toulouse" in body and "Atelier Montpellier" in body
    assert past_session.title not in body and "Brouillon" not in body
    assert ("1 place restante" if lang == "fr" else "1 seat left") in body
    assert "/sessions/agenda.ics" in body


def test_session_list_shares_its_cards_between_lists_and_counts_a_new_booking_at_once(client, session):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    factories.SessionFactory(title="Atelier Montpellier", city="Montpellier")
    client.get("/fr/sessions/")
    with CaptureQueriesContext(connection) as ctx:
        toulouse = client.get("/fr/sessions/?city=Toulouse").content.decode()  # a URL not requested before
    assert "Job dating Toulouse" in toulouse and "Atelier Montpellier" not in toulouse
    # Its card comes from the first list: no session read with its seat counts for it.
    assert not [q for q in ctx.captured_queries if '"events_registration"' in q["sql"]]
    assert session.capacity == 2 and "2 places restantes" in toulouse
    services.registration_book(session=session, candidate=factories.CandidateFactory())
    again = client.get("/fr/sessions/?page=1&city=Toulouse").content.decode()
    assert "1 place restante" in again and "2 places restantes" not in again


def test_session_list_filters_by_city_and_ignores_an_unknown_city(client, session):
    factories.SessionFactory(title="Atelier Montpellier", city="Montpellier")
    body = client.get("/fr/sessions/?city=Montpellier").content.decode()
    assert "Atelier Montpellier" in body and "Job dating Toulouse" not in body
    assert client.get("/fr/sessions/?city=<script>").status_code == 200


def test_session_page_shows_address_companies_and_the_booking_form(client, session):
    company = factories.CompanyFactory(name="Occitanie Data")
    session.company_participations.create(company=company)
    body = client.get(f"/fr/sessions/{session.pk}/").content.decode()
    assert "1 place du Capitole" in body and "Occitanie Data" in body
    assert 'name="email"' in body and 'name="website"' in body


def test_past_or_unpublished_session_page_is_404(client, past_session):
    assert client.get(f"/fr/sessions/{past_session.pk}/").status_code == 404


def test_booking_form_answers_the_same_for_known_and_unknown_addresses(client, session, candidate,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(f"/fr/sessions/{session.pk}/reserver/", {"email": "HELENE@example.org"})
        unknown = client.post(f"/fr/sessions/{session.pk}/reserver/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page = client.get(known["Location"]).content.decode()
    assert "/fr/inscription/?action=book_session&amp;id=" in page
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["helene@example.org"]
    assert "/sessions/reservation/" in mail.outbox[0].body
    assert not Registration.objects.exists()  # nothing booked until the link is used


def test_booking_form_rejects_a_bad_email_in_the_visitors_language(client, session):
    response = client.post(f"/en/sessions/{session.pk}/reserver/", {"email": "not-an-email"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


def test_honeypot_sends_nothing(client, session, candidate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/fr/sessions/{session.pk}/reserver/",
                               {"email": candidate.email, "website": "http://spam"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_booking_form_is_rate_limited(client, session, settings):
    settings.RATELIMIT_ENABLE = True
    from django.core.cache import cache

    cache.clear()
    for _ in range(10):
        client.post(f"/fr/sessions/{session.pk}/reserver/", {"email": "x@example.org"})
    response = client.post(f"/fr/sessions/{session.pk}/reserver/", {"email": "x@example.org"}, follow=True)
    assert "Trop de demandes" in response.content.decode()
    cache.clear()


def test_booking_form_needs_csrf(session):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(f"/fr/sessions/{session.pk}/reserver/",
                                                     {"email": "x@example.org"})
    assert response.status_code == 403


def test_signed_link_shows_a_button_and_books_on_post(client, session, candidate):
    url = f"/fr/sessions/reservation/{_book_token(candidate, session)}/"
    assert client.get(url).status_code == 200
    assert not Registration.objects.exists()
    response = client.post(url)
    assert response.status_code == 200
    assert Registration.objects.get().status == "confirmed"
    assert client.post(url).status_code == 200  # twice: the same booking
    assert Registration.objects.count() == 1


def test_full_session_link_puts_the_candidate_on_the_waitlist_with_their_position(client, session, candidate):
    for _ in range(2):
        services.registration_book(session=session, candidate=factories.CandidateFactory())
    response = client.post(f"/en/sessions/reservation/{_book_token(candidate, session)}/")
    assert "position 1" in response.content.decode()


def test_tampered_expired_or_misused_links_are_refused(client, session, candidate):
    token = _book_token(candidate, session)
    assert client.post(f"/fr/sessions/reservation/{token[:-2]}xx/").status_code == 400
    space = make_token(candidate_public_id=str(candidate.public_id), purpose="space")
    assert client.post(f"/fr/sessions/reservation/{space}/").status_code == 400
    assert client.get(f"/fr/sessions/annulation/{token}/").status_code == 400
    assert client.get("/fr/sessions/avis/garbage/").status_code == 400
    assert not Registration.objects.exists()


def test_link_to_a_closed_session_says_so(client, session, candidate):
    session.registration_closes_at = timezone.now() - dt.timedelta(minutes=1)
    session.save()
    response = client.post(f"/fr/sessions/reservation/{_book_token(candidate, session)}/", follow=True)
    assert "closes" in response.content.decode()
    assert not Registration.objects.exists()


def test_email_cancel_link_cancels_and_promotes(client, session, django_capture_on_commit_callbacks):
    regs = [services.registration_book(session=session, candidate=factories.CandidateFactory()) for _ in range(3)]
    url = f"/fr/sessions/annulation/{make_link_token(purpose='cancel', registration_id=regs[0].pk)}/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert Registration.objects.get(pk=regs[0].pk).status == "cancelled"
    assert Registration.objects.get(pk=regs[2].pk).status == "confirmed"


def test_mon_espace_cancels_only_the_signed_in_candidates_booking(client, rf, session, candidate):
    mine = services.registration_book(session=session, candidate=candidate)
    other = services.registration_book(session=session, candidate=factories.CandidateFactory())
    # Stranger with no space session: refused.
    assert client.post("/fr/sessions/mon-espace/annuler/", {"registration": mine.pk}).status_code == 403
    session_store = client.session
    request = rf.get("/")
    request.session = session_store
    sign_in(request, candidate)
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    assert client.post("/fr/sessions/mon-espace/annuler/", {"registration": other.pk}).status_code == 404
    response = client.post("/fr/sessions/mon-espace/annuler/", {"registration": mine.pk})
    assert response.status_code == 302
    assert Registration.objects.get(pk=mine.pk).status == "cancelled"
    assert Registration.objects.get(pk=other.pk).status == "confirmed"


def test_pending_booking_runs_after_registration(session, candidate):
    from candidates import pending

    handler = pending.get_handler("book_session")
    message = handler(candidate, {"id": str(session.pk)})
    assert session.title in message
    assert Registration.objects.get().candidate == candidate
    with pytest.raises(services.BookingError):
        handler(candidate, {"id": "999999"})


def test_survey_link_records_one_answer_per_attendee(client, session, candidate):
    reg = services.registration_book(session=session, candidate=candidate)
    services.registration_check_in(registration=reg)
    url = f"/en/sessions/avis/{make_link_token(purpose='survey', registration_id=reg.pk)}/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"rating": "9"})
    assert bad.status_code == 400
    assert client.post(url, {"rating": "4", "useful": "on", "comment": "<script>x</script>"}).status_code == 200
    assert reg.survey.rating == 4 and reg.survey.comment == "<script>x</script>"
    again = client.get(url)
    assert "Thank you" in again.content.decode() or "Merci" in again.content.decode()


def test_survey_link_of_a_no_show_is_refused(client, session, candidate):
    reg = services.registration_book(session=session, candidate=candidate)
    url = f"/fr/sessions/avis/{make_link_token(purpose='survey', registration_id=reg.pk)}/"
    assert client.get(url).status_code == 404


def test_newcomer_is_booked_when_they_confirm_their_email(client, session):
    newcomer = factories.CandidateFactory(confirmed_at=None)
    token = make_token(candidate_public_id=str(newcomer.public_id), purpose="confirm",
                       data={"a": {"name": "book_session", "id": str(session.pk)}})
    response = client.post(f"/fr/inscription/confirmer/{token}/")
    assert response.status_code == 200
    assert Registration.objects.get(candidate=newcomer).status == "confirmed"
    assert session.title in response.content.decode()


def test_registration_page_announces_the_pending_booking(client, session):
    response = client.get(f"/en/inscription/?action=book_session&id={session.pk}")
    assert response.status_code == 200
    assert "Book a seat at the session" in response.content.decode()


def test_session_list_is_paginated(client):
    for i in range(31):
        factories.SessionFactory(title=f"Session numéro {i:02d}", city="Albi")
    first = client.get("/fr/sessions/").content.decode()
    second = client.get("/fr/sessions/?page=2").content.decode()
    assert first.count("Session numéro") == 30 and second.count("Session numéro") == 1
    assert client.get("/fr/sessions/?page=abc").status_code == 200
