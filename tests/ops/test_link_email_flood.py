"""At most one link e-mail per address (and purpose) every ten minutes, decided by the database."""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.db.models import F
from django.test import Client

from candidates.models import Candidate, LinkEmailSent
from candidates.services import LINK_EMAIL_INTERVAL
from companies.models import JobFamily, Skill
from tests import factories


def _registration(reference) -> dict:
    return {
        "email": "flood@example.org", "first_name": "Camille", "last_name": "Durand", "phone": "06 12 34 56 78",
        "postcode": "31000", "city": "Toulouse", "profile": "retraining", "education": "bac3",
        "experience": "none", "desired_job_families": [reference["family"].pk],
        "skills": [reference["skill"].pk], "contract_wanted": "cdi", "consent_processing": "on", "website": "",
    }


def _ten_minutes_pass() -> None:
    LinkEmailSent.objects.update(sent_at=F("sent_at") - LINK_EMAIL_INTERVAL)


@pytest.fixture
def reference(db):
    return {"skill": factories.SkillFactory(name="Python", slug="python", category=Skill.Category.LANGUAGE),
            "family": JobFamily.objects.get_or_create(code="M1805", defaults={"label": "Études"})[0]}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_registrations_with_one_address_send_one_email(reference, settings):
    settings.RATELIMIT_ENABLE = False
    barrier = threading.Barrier(20)
    answers, errors = [], []

    def register():
        try:
            client = Client()
            barrier.wait()
            response = client.post("/fr/inscription/", _registration(reference))
            answers.append((response.status_code, response["Location"]))
        except Exception as exc:  # noqa: BLE001 - any error fails the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(answers) == {(302, "/fr/inscription/merci/")}  # everyone sees the same normal page
    assert Candidate.objects.filter(email__iexact="flood@example.org").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["flood@example.org"]


@pytest.mark.django_db
def test_space_link_goes_once_in_ten_minutes_then_again(client, django_capture_on_commit_callbacks):
    factories.CandidateFactory(email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        answers = {client.post("/en/mon-espace/", {"email": "known@example.org"})["Location"] for _ in range(5)}
    assert answers == {"/en/mon-espace/lien-envoye/"}
    assert len(mail.outbox) == 1
    _ten_minutes_pass()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/mon-espace/", {"email": "known@example.org"})
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_fresh_registration_does_not_hold_back_the_first_space_link(client, reference,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/fr/inscription/", _registration(reference))
    assert [m.to for m in mail.outbox] == [["flood@example.org"]]
    Candidate.objects.filter(email="flood@example.org").update(confirmed_at=F("created_at"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/fr/mon-espace/", {"email": "flood@example.org"})
    assert len(mail.outbox) == 2
    assert "/mon-espace/lien/" in mail.outbox[1].body


@pytest.mark.django_db
def test_booking_link_goes_once_per_session_in_ten_minutes(client, django_capture_on_commit_callbacks):
    factories.CandidateFactory(email="known@example.org")
    first, second = factories.SessionFactory(is_published=True), factories.SessionFactory(is_published=True)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            client.post(f"/fr/sessions/{first.pk}/reserver/", {"email": "known@example.org", "website": ""})
        client.post(f"/fr/sessions/{second.pk}/reserver/", {"email": "known@example.org", "website": ""})
    assert len(mail.outbox) == 2  # one for each session: booking another session is not held back
    _ten_minutes_pass()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/fr/sessions/{first.pk}/reserver/", {"email": "known@example.org", "website": ""})
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_the_flood_guard_keeps_no_copy_of_the_address():
    candidate = factories.CandidateFactory(email="known@example.org")
    from candidates.services import link_email_claim

    assert link_email_claim(candidate=candidate, purpose="account") is True
    assert link_email_claim(candidate=candidate, purpose="account") is False
    assert list(LinkEmailSent.objects.values_list("candidate_id", "purpose")) == [(candidate.pk, "account")]
    candidate.delete()
    assert not LinkEmailSent.objects.exists()
