"""Sign-in links for candidates: a Mon espace link works once and dies on logout; the confirmation link signs
in only the first time it is opened."""

import threading

import pytest
from django.core import signing
from django.db import connection
from django.test import Client

from candidates import space, tokens
from candidates.models import Candidate
from events.models import Registration
from tests import factories

from .conftest import last_link, registration_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_commit", "french")]

HOME = "/fr/mon-espace/accueil/"


def _link(candidate, lang="fr") -> str:
    token = tokens.make_token(candidate_public_id=str(candidate.public_id), purpose="space")
    return f"/{lang}/mon-espace/lien/{token}/"


def test_a_mon_espace_link_signs_in_once_then_asks_for_a_new_one(client, confirmed_candidate):
    link = _link(confirmed_candidate)
    assert client.get(link)["Location"] == HOME
    assert client.get(HOME).status_code == 200
    # The same link opened again, here or in another browser, no longer signs anyone in.
    for browser in (client, Client()):
        again = browser.get(link)
        assert again.status_code == 400
        assert "a déjà servi" in again.content.decode()
        assert 'href="/fr/mon-espace/"' in again.content.decode()
    assert Client().get(HOME).status_code == 302


def test_the_used_link_message_is_in_english_for_english_links(client, confirmed_candidate):
    link = _link(confirmed_candidate, lang="en")
    client.get(link)
    again = client.get(link)
    assert again.status_code == 400
    assert "has already been used" in again.content.decode()


def test_a_link_requested_by_e_mail_works_once(client, confirmed_candidate):
    client.post("/fr/mon-espace/", {"email": "helene@example.org"})
    link = last_link("mon-espace/lien")
    assert client.get(link).status_code == 302
    assert Client().get(link).status_code == 400


def test_logout_ends_the_session_and_kills_links_not_yet_opened(client, confirmed_candidate):
    assert client.get(_link(confirmed_candidate)).status_code == 302
    # A second link asked for while signed in (say, for the phone), not opened yet.
    unopened = _link(confirmed_candidate)
    response = client.post("/fr/mon-espace/deconnexion/")
    assert response.status_code == 302
    assert client.get(HOME).status_code == 302
    refused = Client().get(unopened)
    assert refused.status_code == 400 and "a déjà servi" in refused.content.decode()
    # A fresh link works again.
    assert Client().get(_link(confirmed_candidate)).status_code == 302


def test_a_new_sign_in_ends_the_older_session(confirmed_candidate):
    laptop, phone = Client(), Client()
    laptop.get(_link(confirmed_candidate))
    phone.get(_link(confirmed_candidate))
    assert phone.get(HOME).status_code == 200
    assert laptop.get(HOME).status_code == 302


def test_one_candidate_leaving_does_not_touch_another_candidates_links(client, confirmed_candidate):
    other = factories.CandidateFactory(first_name="Yanis", last_name="Martin", email="yanis@example.org")
    others_link = _link(other)
    client.get(_link(confirmed_candidate))
    client.post("/fr/mon-espace/deconnexion/")
    visitor = Client()
    assert visitor.get(others_link).status_code == 302
    page = visitor.get(HOME).content.decode()
    assert "Yanis" in page and "Hélène" not in page


def test_a_link_naming_another_candidate_cannot_be_forged(client, confirmed_candidate):
    other = factories.CandidateFactory(email="yanis@example.org")
    # The other candidate's id, in a token signed with any key but the site's.
    forged = signing.dumps({"c": str(other.public_id), "p": "space", "d": {}, "g": 0}, key="guessed-key" * 5,
                           salt=tokens.SALT, compress=True)
    assert client.get(f"/fr/mon-espace/lien/{forged}/").status_code == 400
    # A token of another purpose carries no generation and never signs in.
    action = tokens.make_token(candidate_public_id=str(other.public_id), purpose="action", data={"a": {}})
    assert client.get(f"/fr/mon-espace/lien/{action}/").status_code == 400
    assert client.get(HOME).status_code == 302


def test_the_relocation_link_is_a_sign_in_link_too(client, confirmed_candidate):
    token = tokens.make_token(candidate_public_id=str(confirmed_candidate.public_id), purpose="space")
    assert client.get(f"/fr/contact/installation/{token}/").status_code == 302
    assert Client().get(f"/fr/contact/installation/{token}/").status_code == 403


def test_a_spent_link_cannot_cancel_a_booking(client, confirmed_candidate):
    registration = factories.RegistrationFactory(candidate=confirmed_candidate)
    token = tokens.make_token(candidate_public_id=str(confirmed_candidate.public_id), purpose="space")
    Client().get(f"/fr/mon-espace/lien/{token}/")
    response = client.post("/fr/sessions/mon-espace/annuler/", {"registration": registration.pk, "token": token})
    assert response.status_code == 403
    assert Registration.objects.get(pk=registration.pk).status != Registration.Status.CANCELLED


def test_confirmation_signs_in_the_first_time_only(client, reference):
    client.post("/fr/inscription/", registration_data(reference))
    link = last_link("inscription/confirmer")
    first = client.post(link)
    assert "Votre inscription est confirmée" in first.content.decode()
    assert client.get(HOME).status_code == 200
    client.post("/fr/mon-espace/deconnexion/")
    for browser in (client, Client()):
        again = browser.post(link)
        assert again.status_code == 200
        body = again.content.decode()
        assert "déjà confirmée" in body and "demandez un lien de connexion" in body
        assert 'href="/fr/mon-espace/"' in body
        assert browser.get(HOME).status_code == 302
    assert Candidate.objects.get().confirmed_at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_tabs_opening_one_link_at_once_sign_in_once(confirmed_candidate):
    link = _link(confirmed_candidate)
    barrier = threading.Barrier(4)
    statuses = []

    def open_link():
        try:
            barrier.wait()
            statuses.append(Client().get(link).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_link) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302, 400, 400, 400]
    assert Candidate.objects.get().link_generation == 1


def test_sign_in_without_a_link_moves_the_generation(rf, confirmed_candidate):
    request = rf.get("/")
    request.session = Client().session
    space.sign_in(request, confirmed_candidate)
    assert Candidate.objects.get().link_generation == 1
    assert space.get_space_candidate(request) == confirmed_candidate
