"""E-tickets: a confirmed booking's signed code and QR code, in the e-mail, in Mon espace and as a PDF;
`ticket_verify` refuses tampered, cancelled, replaced, waitlisted and other-session codes."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from candidates import tokens
from events import services, tickets
from events.models import Registration
from events.tickets import TicketError, ticket_code, ticket_verify
from tests import factories

pytestmark = pytest.mark.django_db


def _sign_in(client, candidate):
    token = tokens.make_token(candidate_public_id=str(candidate.public_id), purpose="space")
    assert client.get(f"/fr/mon-espace/lien/{token}/").status_code == 302
    return client


@pytest.fixture
def booked(session, candidate):
    return services.registration_book(session=session, candidate=candidate)


def _reason(code, **kwargs) -> str:
    with pytest.raises(TicketError) as refused:
        ticket_verify(code, **kwargs)
    assert str(refused.value.message)  # a message for the person at the desk
    return refused.value.reason


# ---- the code and its verification


def test_a_confirmed_booking_s_code_verifies_for_its_session(booked, session):
    code = ticket_code(booked)
    assert re.fullmatch(r"TF-\d+-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert ticket_verify(code) == booked
    assert ticket_verify(code, session=session) == booked


@pytest.mark.parametrize("nonce", ["0" * 16, "1" * 16, "a" * 16, "deadbeefcafe0042"])
def test_a_code_typed_in_lower_case_with_o_for_zero_and_no_dashes_still_verifies(booked, nonce):
    Registration.objects.filter(pk=booked.pk).update(ticket_nonce=nonce)
    booked.refresh_from_db()
    code = ticket_code(booked)
    for typed in (code.lower().replace("-", " ").replace("0", "o").replace("1", "l"), code.replace("-", ""),
                  f"  {code}\n"):
        assert ticket_verify(typed) == booked


def test_a_tampered_code_is_refused(booked):
    code = ticket_code(booked)
    last = code[-1]
    tampered = code[:-1] + ("A" if last != "A" else "B")
    assert _reason(tampered) == "invalid"


def test_a_code_naming_another_booking_with_this_signature_is_refused(booked, session):
    other = services.registration_book(session=session, candidate=factories.CandidateFactory())
    forged = ticket_code(booked).replace(f"TF-{booked.pk}-", f"TF-{other.pk}-")
    assert _reason(forged) == "invalid"


@pytest.mark.parametrize("garbage", ["", "   ", "TF-", "TF-12", "hello", "TF-abc-1234-5678-9ABC", "TF-1-XXXX",
                                     "TF-99999999-AAAA-BBBB-CCCC", "x" * 500])
def test_garbage_and_unknown_codes_are_refused_without_an_error(booked, garbage):
    assert _reason(garbage) == "invalid"


def test_a_code_signed_with_another_secret_key_is_refused(booked, settings):
    code = ticket_code(booked)
    settings.SECRET_KEY = "another-secret-key-for-this-test-0123456789abcdef"
    assert _reason(code) == "invalid"


def test_a_code_signed_before_a_key_rotation_still_verifies(booked, settings):
    code = ticket_code(booked)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-new-secret-key-after-rotation-0123456789abcdef"
    assert ticket_verify(code) == booked


def test_a_cancelled_booking_s_ticket_is_refused(booked):
    code = ticket_code(booked)
    services.registration_cancel(registration=booked)
    assert _reason(code) == "cancelled"


def test_booking_again_after_cancelling_gives_a_new_code_and_the_old_one_no_longer_verifies(booked, session,
                                                                                               candidate):
    old = ticket_code(booked)
    services.registration_cancel(registration=booked)
    again = services.registration_book(session=session, candidate=candidate)
    assert again.pk == booked.pk and again.status == Registration.Status.CONFIRMED
    new = ticket_code(again)
    assert new != old
    assert _reason(old) == "invalid"
    assert ticket_verify(new, session=session) == again


def test_a_ticket_for_another_session_is_refused_with_that_session_named(booked):
    elsewhere = factories.SessionFactory(title="Atelier Montpellier")
    with pytest.raises(TicketError) as refused:
        ticket_verify(ticket_code(booked), session=elsewhere)
    assert refused.value.reason == "other_session"
    assert refused.value.registration == booked
    assert booked.session.title in str(refused.value.message)


def test_a_waitlisted_booking_has_no_valid_ticket(session):
    for _ in range(session.capacity):
        services.registration_book(session=session, candidate=factories.CandidateFactory())
    waiting = services.registration_book(session=session, candidate=factories.CandidateFactory())
    assert waiting.status == Registration.Status.WAITLISTED
    assert not tickets.has_ticket(waiting)
    assert _reason(ticket_code(waiting)) == "waitlisted"


def test_promotion_from_the_waitlist_makes_the_ticket_valid(session, booked):
    services.registration_book(session=session, candidate=factories.CandidateFactory())
    waiting = services.registration_book(session=session, candidate=factories.CandidateFactory())
    services.registration_cancel(registration=booked)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert ticket_verify(ticket_code(waiting), session=session) == waiting


def test_a_second_scan_after_check_in_is_refused(booked, session):
    code = ticket_code(booked)
    services.registration_check_in(registration=ticket_verify(code, session=session))
    assert _reason(code, session=session) == "already_checked_in"


def test_an_erased_person_s_ticket_is_refused(booked):
    code = ticket_code(booked)
    booked.candidate.anonymised_at = booked.created_at
    booked.candidate.save(update_fields=["anonymised_at"])
    assert _reason(code) == "invalid"


def test_each_booking_draws_its_own_nonce(session):
    first = services.registration_book(session=session, candidate=factories.CandidateFactory())
    second = services.registration_book(session=session, candidate=factories.CandidateFactory())
    assert first.ticket_nonce and second.ticket_nonce and first.ticket_nonce != second.ticket_nonce


def test_the_qr_code_holds_the_code_and_no_personal_data(booked):
    code = ticket_code(booked)
    assert code == f"TF-{booked.pk}-" + code.split("-", 2)[2]
    for personal in (booked.candidate.first_name, booked.candidate.last_name, booked.candidate.email):
        assert personal.upper() not in code
    svg = tickets.qr_svg(code)
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert tickets.qr_png(code).startswith(b"\x89PNG")


# ---- the confirmation e-mail


def test_the_confirmation_e_mail_carries_the_ticket_code_link_and_qr_image(session, candidate,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_book(session=session, candidate=candidate)
    message = mail.outbox[-1]
    code = ticket_code(registration)
    ticket_url = reverse("events:space_ticket", kwargs={"pk": registration.pk})
    assert code in message.body and ticket_url in message.body
    html = message.alternatives[0][0]
    assert code in html and 'src="cid:ticket-qr"' in html
    # multipart/mixed [ multipart/related [ alternative [text, html], the QR PNG ], the .ics ]
    mixed = message.message()
    related, ics = mixed.get_payload()
    assert mixed.get_content_type() == "multipart/mixed" and related.get_content_type() == "multipart/related"
    alternative, image = related.get_payload()
    assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/html"]
    assert image["Content-ID"] == "<ticket-qr>" and image.get_content_type() == "image/png"
    assert image.get_payload(decode=True).startswith(b"\x89PNG")
    assert ics.get_content_type() == "text/calendar"


def test_the_waitlist_e_mail_has_no_ticket(session, django_capture_on_commit_callbacks):
    for _ in range(session.capacity):
        services.registration_book(session=session, candidate=factories.CandidateFactory())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        waiting = services.registration_book(session=session, candidate=factories.CandidateFactory())
    message = mail.outbox[-1]
    assert "TF-" not in message.body and "cid:" not in message.alternatives[0][0]
    assert ticket_code(waiting) not in message.body


def test_the_confirmation_e_mail_is_in_english_for_an_english_speaker(session,
                                                                     django_capture_on_commit_callbacks):
    person = factories.CandidateFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_book(session=session, candidate=person)
    body = mail.outbox[-1].body
    assert "Ticket code:" in body and ticket_code(registration) in body


# ---- Mon billet: the page and the PDF, for their owner only


def test_mon_espace_links_to_the_ticket_of_a_confirmed_booking(client, booked, candidate):
    _sign_in(client, candidate)
    page = client.get(reverse("candidates:space_home")).content.decode()
    assert reverse("events:space_ticket", kwargs={"pk": booked.pk}) in page
    assert "Mon billet" in page


def test_the_owner_sees_the_ticket_page_with_qr_and_code(client, booked, candidate):
    _sign_in(client, candidate)
    response = client.get(reverse("events:space_ticket", kwargs={"pk": booked.pk}))
    assert response.status_code == 200
    body = response.content.decode()
    assert ticket_code(booked) in body and "<svg" in body and booked.session.title in body
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_owner_downloads_the_ticket_as_a_pdf(client, booked, candidate):
    _sign_in(client, candidate)
    response = client.get(reverse("events:space_ticket_pdf", kwargs={"pk": booked.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("name", ["events:space_ticket", "events:space_ticket_pdf"])
def test_another_candidate_cannot_open_someone_else_s_ticket(client, booked, name):
    _sign_in(client, factories.CandidateFactory())
    response = client.get(reverse(name, kwargs={"pk": booked.pk}))
    assert response.status_code == 404
    assert ticket_code(booked) not in response.content.decode(errors="ignore")


@pytest.mark.parametrize("name", ["events:space_ticket", "events:space_ticket_pdf"])
def test_an_anonymous_visitor_is_sent_to_the_sign_in_link_page(client, booked, name):
    response = client.get(reverse(name, kwargs={"pk": booked.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("candidates:space_request")


@pytest.mark.parametrize("name", ["events:space_ticket", "events:space_ticket_pdf"])
def test_staff_without_a_mon_espace_session_do_not_see_the_ticket(client_for, coordinator, recruiter_a, booked,
                                                                  name):
    for user in (coordinator, recruiter_a):
        response = client_for(user).get(reverse(name, kwargs={"pk": booked.pk}))
        assert response.status_code == 302
        assert ticket_code(booked) not in response.content.decode(errors="ignore")


def test_a_cancelled_booking_has_no_ticket_page_and_no_link(client, booked, candidate):
    services.registration_cancel(registration=booked)
    _sign_in(client, candidate)
    assert client.get(reverse("events:space_ticket", kwargs={"pk": booked.pk})).status_code == 404
    assert client.get(reverse("events:space_ticket_pdf", kwargs={"pk": booked.pk})).status_code == 404
    page = client.get(reverse("candidates:space_home")).content.decode()
    assert reverse("events:space_ticket", kwargs={"pk": booked.pk}) not in page


def test_the_ticket_page_is_in_english_under_en(client, booked, candidate):
    _sign_in(client, candidate)
    body = client.get("/en" + reverse("events:space_ticket", kwargs={"pk": booked.pk})[3:]).content.decode()
    assert "My ticket" in body and "Download the ticket (PDF)" in body


def test_a_seat_freed_for_a_waitlisted_person_sends_them_their_ticket(session, booked,
                                                                      django_capture_on_commit_callbacks):
    services.registration_book(session=session, candidate=factories.CandidateFactory())
    waiting = services.registration_book(session=session, candidate=factories.CandidateFactory())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=booked)
    waiting.refresh_from_db()
    promoted = [m for m in mail.outbox if m.to == [waiting.candidate.email]]
    assert len(promoted) == 1 and ticket_code(waiting) in promoted[0].body
    cancelled = [m for m in mail.outbox if m.to == [booked.candidate.email]]
    assert len(cancelled) == 1 and "TF-" not in cancelled[0].body


def test_the_session_page_and_the_booking_page_link_the_signed_in_owner_to_the_ticket(client, session, candidate):
    _sign_in(client, candidate)
    done = client.post(reverse("events:space_book", args=[session.pk])).content.decode()
    registration = Registration.objects.get(session=session, candidate=candidate)
    ticket_url = reverse("events:space_ticket", kwargs={"pk": registration.pk})
    assert ticket_url in done
    assert ticket_url in client.get(session.get_absolute_url()).content.decode()
