"""A candidate signed in to Mon espace books a session in one click, and the header knows they are signed in."""

import pytest
from django.urls import reverse

from candidates import tokens
from events.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db


def _sign_in(client, candidate):
    token = tokens.make_token(candidate_public_id=str(candidate.public_id), purpose="space")
    assert client.get(f"/fr/mon-espace/lien/{token}/").status_code == 302
    return client


@pytest.fixture
def person(db):
    return factories.CandidateFactory(first_name="Inès", email="ines@example.org")


def test_signed_in_candidate_books_in_one_click_without_typing_an_email(client, person):
    session = factories.SessionFactory(capacity=10)
    _sign_in(client, person)
    page = client.get(session.get_absolute_url()).content.decode()
    assert reverse("events:space_book", args=[session.pk]) in page
    assert 'name="email"' not in page
    assert "la réservation est à votre nom" in page and "Inès" in page
    response = client.post(reverse("events:space_book", args=[session.pk]))
    assert response.status_code == 200
    assert "Votre place est réservée" in response.content.decode()
    registration = Registration.objects.get(session=session, candidate=person)
    assert registration.status == Registration.Status.CONFIRMED
    again = client.get(session.get_absolute_url()).content.decode()
    assert "Votre place est réservée pour cette session." in again
    assert reverse("events:space_book", args=[session.pk]) not in again


def test_clicking_twice_keeps_one_booking(client, person):
    session = factories.SessionFactory(capacity=10)
    _sign_in(client, person)
    client.post(reverse("events:space_book", args=[session.pk]))
    client.post(reverse("events:space_book", args=[session.pk]))
    assert Registration.objects.filter(session=session, candidate=person).count() == 1


def test_a_full_session_puts_the_signed_in_candidate_on_the_waiting_list(client, person):
    session = factories.SessionFactory(capacity=1)
    factories.RegistrationFactory(session=session)
    _sign_in(client, person)
    body = client.post(reverse("events:space_book", args=[session.pk])).content.decode()
    assert "liste d'attente" in body
    assert Registration.objects.get(session=session, candidate=person).status == Registration.Status.WAITLISTED


def test_without_a_mon_espace_session_the_one_click_booking_books_nobody(client, person):
    session = factories.SessionFactory(capacity=10)
    response = client.post(reverse("events:space_book", args=[session.pk]), follow=True)
    assert "Votre session « Mon espace » a pris fin" in response.content.decode()
    assert not Registration.objects.filter(session=session).exists()
    page = client.get(session.get_absolute_url()).content.decode()
    assert 'name="email"' in page


def test_the_header_offers_mon_espace_and_sign_out_to_a_signed_in_candidate(client, person):
    anonymous = client.get("/fr/").content.decode()
    assert "S&#x27;inscrire" in anonymous or "S'inscrire" in anonymous
    assert "Se déconnecter" not in anonymous
    _sign_in(client, person)
    header = client.get("/fr/").content.decode().split("</header>")[0]
    assert "Se déconnecter" in header and reverse("candidates:space_home") in header
    assert "S'inscrire" not in header and "S&#x27;inscrire" not in header
    english = client.get("/en/").content.decode().split("</header>")[0]
    assert "Sign out" in english
    client.post(reverse("candidates:space_logout"))
    assert "Se déconnecter" not in client.get("/fr/").content.decode()


def test_the_one_click_form_reads_in_english(client, person):
    session = factories.SessionFactory(capacity=10)
    _sign_in(client, person)
    page = client.get(f"/en/sessions/{session.pk}/").content.decode()
    assert "You are signed in to your space, Inès: the booking is in your name." in page
    assert "Book my seat" in page


def test_cancelling_from_mon_espace_is_one_click_then_a_confirmation(client, person):
    session = factories.SessionFactory(capacity=10, title="Atelier CV Albi")
    _sign_in(client, person)
    client.post(reverse("events:space_book", args=[session.pk]))
    page = client.get(reverse("candidates:space_home")).content.decode()
    # The first click only opens the confirmation (no request); the second, "Oui, annuler", cancels.
    summary = page.split("<summary", 1)[1].split("</summary>", 1)[0]
    assert "Annuler ma réservation" in summary and "Atelier CV Albi" in summary
    confirm = page.split("</summary>", 1)[1].split("</details>", 1)[0]
    assert reverse("events:space_cancel") in confirm and "Oui, annuler" in confirm
    assert "Votre place pourra revenir à une autre personne." in confirm
    response = client.post(reverse("events:space_cancel"), {
        "registration": Registration.objects.get(candidate=person).pk, "next": reverse("candidates:space_home")},
        follow=True)
    assert "Votre réservation est annulée" in response.content.decode()
    assert Registration.objects.get(candidate=person).status == Registration.Status.CANCELLED
    english = client.get("/en/mon-espace/accueil/").content.decode()
    assert "Oui, annuler" not in english
