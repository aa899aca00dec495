"""'I'm interested': a registered candidate confirms by e-mail; a newcomer registers and keeps the interest."""

import re

import pytest
from django.core import mail

from candidates import tokens
from candidates.models import Candidate, JobInterest
from candidates.services import CandidateError, job_interest_create
from tests import factories

pytestmark = pytest.mark.django_db

LINK_RE = re.compile(r"https?://[^/\s]+(/(fr|en)/[^\s]+/)")


@pytest.fixture
def run_on_commit(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def links_in_outbox() -> list[str]:
    return [m.group(1) for message in mail.outbox for m in LINK_RE.finditer(message.body)]


def ask(client, posting, email, lang="fr", **extra):
    return client.post(f"/{lang}/offres/{posting.slug}/interet/", {"email": email, "website": "", **extra})


def visible_text(response) -> str:
    body = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_known_candidate_confirms_interest_from_the_email(client, run_on_commit, posting_a, candidate, lang):
    response = ask(client, posting_a, "HELENE@example.org", lang=lang)
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/offres/{posting_a.slug}/interet/envoye/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["helene@example.org"]
    assert posting_a.title in mail.outbox[0].subject
    link = links_in_outbox()[0]
    assert link.startswith(f"/{lang}/offres/interet/")
    assert not JobInterest.objects.exists()
    page = client.get(link)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200
    assert not JobInterest.objects.exists()
    done = client.post(link)
    assert done.status_code == 200
    interest = JobInterest.objects.get()
    assert (interest.candidate, interest.posting) == (candidate, posting_a)
    assert interest.confirmed_at is not None
    client.post(link)  # twice: still one interest
    assert JobInterest.objects.count() == 1


def test_known_and_unknown_addresses_get_the_same_answer(client, run_on_commit, posting_a, candidate):
    known = client.get(ask(client, posting_a, "helene@example.org")["Location"])
    unknown = client.get(ask(client, posting_a, "personne@example.org")["Location"])
    assert visible_text(known) == visible_text(unknown)
    assert len(mail.outbox) == 1  # only the known, confirmed address gets a link


def test_unconfirmed_or_erased_candidate_gets_no_link(client, run_on_commit, posting_a):
    factories.CandidateFactory(email="pending@example.org", confirmed_at=None)
    from django.utils import timezone

    factories.CandidateFactory(email="gone@example.org", anonymised_at=timezone.now())
    ask(client, posting_a, "pending@example.org")
    ask(client, posting_a, "gone@example.org")
    assert mail.outbox == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_newcomer_is_taken_to_registration_and_the_interest_follows(client, run_on_commit, posting_a, lang):
    sent = client.get(ask(client, posting_a, "nouvelle@example.org", lang=lang)["Location"])
    url = f"/{lang}/inscription/?action=job_interest&amp;id={posting_a.pk}"
    assert url in sent.content.decode()
    form = client.get(url.replace("&amp;", "&"))
    assert form.status_code == 200
    assert 'name="action" value="job_interest"' in form.content.decode()
    family = factories.JobFamilyFactory()
    response = client.post(f"/{lang}/inscription/", {
        "email": "nouvelle@example.org", "first_name": "Nina", "last_name": "Roux", "phone": "06 12 34 56 78",
        "postcode": "34000", "city": "Montpellier", "profile": "retraining", "education": "bac3",
        "experience": "none", "desired_job_families": [family.pk], "contract_wanted": "cdi",
        "mobility_montpellier": "on", "gender": "undisclosed", "consent_processing": "on", "consent_shown": "on",
        "website": "", "action": "job_interest", "action_id": str(posting_a.pk),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not JobInterest.objects.exists()  # nothing before the e-mail is confirmed
    confirm = next(link for link in links_in_outbox() if "/inscription/confirmer/" in link)
    page = client.post(confirm)
    candidate = Candidate.objects.get(email="nouvelle@example.org")
    interest = JobInterest.objects.get()
    assert (interest.candidate, interest.posting) == (candidate, posting_a)
    assert interest.confirmed_at is not None
    assert posting_a.title in page.content.decode()


def test_honeypot_sends_nothing_but_answers_the_same(client, run_on_commit, posting_a, candidate):
    response = ask(client, posting_a, "helene@example.org", website="http://spam.example")
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.parametrize(("lang", "message"), [("fr", "adresse de courriel valide"), ("en", "valid email")])
def test_bad_email_is_a_field_error_in_the_visitors_language(client, posting_a, lang, message):
    response = ask(client, posting_a, "pas-une-adresse", lang=lang)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'value="pas-une-adresse"' in response.content.decode()


def test_interest_is_rate_limited(client, settings, run_on_commit, posting_a, candidate):
    import secrets

    settings.RATELIMIT_ENABLE = True
    # A fresh address of our own: the limit's counters live in the shared cache.
    ip = "10.{}.{}.{}".format(*secrets.token_bytes(3))
    client.defaults.update(REMOTE_ADDR=ip, HTTP_X_FORWARDED_FOR=ip)
    for _ in range(10):
        ask(client, posting_a, "helene@example.org")
    assert len(mail.outbox) == 1  # one link per address and posting every ten minutes
    response = ask(client, posting_a, "helene@example.org")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Trop de demandes" in client.get(response["Location"]).content.decode()


def test_closed_posting_refuses_interest(client, run_on_commit, posting_a, candidate):
    posting_a.status = "closed"
    posting_a.save()
    ask(client, posting_a, "helene@example.org")
    assert mail.outbox == []
    with pytest.raises(CandidateError):
        job_interest_create(candidate=candidate, posting=posting_a)


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-3] + "xyz",  # tampered
    lambda t: "garbage",
])
def test_tampered_link_is_refused(client, posting_a, candidate, mangle):
    token = tokens.make_token(candidate_public_id=str(candidate.public_id), purpose="action",
                              data={"action": "job_interest", "posting": posting_a.pk})
    response = client.post(f"/fr/offres/interet/{mangle(token)}/")
    assert response.status_code == 400
    assert not JobInterest.objects.exists()


def test_link_for_another_purpose_or_action_is_refused(client, posting_a, candidate):
    for purpose, data in [("space", {"action": "job_interest", "posting": posting_a.pk}),
                          ("action", {"action": "book_session", "session": posting_a.pk}),
                          ("action", {"action": "job_interest", "posting": str(posting_a.pk)})]:
        token = tokens.make_token(candidate_public_id=str(candidate.public_id), purpose=purpose, data=data)
        assert client.post(f"/fr/offres/interet/{token}/").status_code == 400
    assert not JobInterest.objects.exists()


def test_link_after_the_posting_closed_says_so(client, posting_a, candidate):
    token = tokens.make_token(candidate_public_id=str(candidate.public_id), purpose="action",
                              data={"action": "job_interest", "posting": posting_a.pk})
    posting_a.status = "filled"
    posting_a.save()
    response = client.post(f"/fr/offres/interet/{token}/", follow=True)
    assert "plus ouverte" in response.content.decode()
    assert not JobInterest.objects.exists()


def test_pending_handler_refuses_unknown_posting(candidate):
    from candidates import pending

    handler = pending.get_handler("job_interest")
    with pytest.raises(CandidateError):
        handler(candidate, {"id": "999999"})


def test_a_link_queued_under_the_task_name_it_had_in_companies_still_goes(candidate, posting_a):
    from tescforce.celery import app

    assert app.tasks["companies.tasks.send_interest_link"].apply(args=(candidate.pk, posting_a.pk, "en")).get()
    assert len(mail.outbox) == 1 and "/en/offres/interet/" in mail.outbox[0].body


def test_the_interest_addresses_kept_their_paths():
    from django.urls import reverse

    assert reverse("candidates:posting_interest", kwargs={"slug": "dev"}) == "/fr/offres/dev/interet/"
    assert reverse("candidates:interest_sent", kwargs={"slug": "dev"}) == "/fr/offres/dev/interet/envoye/"
    assert reverse("candidates:interest_confirm", kwargs={"token": "abc"}) == "/fr/offres/interet/abc/"
