"""Alerts a candidate chose: asking for them in Mon espace, who gets them, once only, and one-click unsubscribe."""

import datetime as dt
import json
import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from alerts import services
from alerts.models import AlertSent, Subscription
from alerts.tasks import send_due_alerts
from candidates import services as candidate_services
from candidates import tokens
from candidates.models import Consent
from companies.models import JobPosting
from events.models import Registration
from matching.models import Match
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://emploi.tescforce.example"
    settings.DEFAULT_REPLY_TO_EMAIL = "contact@tescforce.example"

UNSUBSCRIBE = re.compile(r"https://emploi\.tescforce\.example(/(fr|en)/alertes/desinscription/[^/\s>]+/)")


def a_candidate(**fields):
    candidate = factories.CandidateFactory(**fields)
    factories.give_consent(candidate, Consent.Kind.PROCESSING)
    return candidate


def a_match(candidate, *, score=80, published_at=None, **posting_fields):
    posting = factories.JobPostingFactory(published_at=published_at or timezone.now(), **posting_fields)
    Match.objects.update_or_create(candidate=candidate, posting=posting,
                                   defaults={"score": score, "for_candidate": True})
    return posting


def subscribe(candidate, kind="offers", frequency="immediate", *, ago=dt.timedelta(days=1)):
    subscription = services.subscription_set(candidate=candidate, kind=kind, frequency=frequency)
    Subscription.objects.filter(pk=subscription.pk).update(created_at=timezone.now() - ago)
    return subscription


def space_client(client, candidate):
    token = tokens.make_token(candidate_public_id=str(candidate.public_id), purpose="space")
    assert client.get(f"/fr/mon-espace/lien/{token}/").status_code == 302
    return client


def sent_to(email):
    return [m for m in mail.outbox if m.to == [email]]


# --- choosing alerts in Mon espace -----------------------------------------------------------------

def test_a_signed_in_candidate_chooses_alerts_in_mon_espace(client):
    candidate = a_candidate(email="lea@example.org", city="Albi")
    client = space_client(client, candidate)
    page = client.get("/fr/mon-espace/accueil/").content.decode()
    assert "Mes alertes" in page and "Sessions à venir à Albi" in page

    response = client.post("/fr/mon-espace/alertes/", {"offers": "weekly", "sessions": "immediate"})
    assert response.status_code == 302 and response["Location"] == "/fr/mon-espace/accueil/"
    held = {s.kind: s.frequency for s in Subscription.objects.filter(candidate=candidate)}
    assert held == {"offers": "weekly", "sessions": "immediate"}
    page = client.get("/fr/mon-espace/accueil/").content.decode()
    assert re.search(r'<input[^>]*name="offers" value="weekly"[^>]*checked', page)
    assert "Vos alertes sont enregistrées." in page

    client.post("/fr/mon-espace/alertes/", {"offers": "off", "sessions": "immediate"})
    assert list(Subscription.objects.filter(candidate=candidate).values_list("kind", flat=True)) == ["sessions"]


def test_bad_alert_choices_change_nothing_and_say_why(client):
    candidate = a_candidate()
    subscribe(candidate, "offers", "weekly")
    client = space_client(client, candidate)
    response = client.post("/en/mon-espace/alertes/", {"offers": "hourly", "sessions": "off"}, follow=True)
    assert response.status_code == 200
    assert "For each alert, choose one of the options offered." in response.content.decode()
    assert Subscription.objects.get(candidate=candidate).frequency == "weekly"


def test_strangers_cannot_choose_alerts(client):
    candidate = a_candidate()
    response = client.post("/fr/mon-espace/alertes/", {"offers": "immediate", "sessions": "immediate"})
    assert response.status_code == 302 and response["Location"] == "/fr/mon-espace/"
    assert client.get("/fr/mon-espace/alertes/").status_code == 405
    assert not Subscription.objects.filter(candidate=candidate).exists()


# --- what is sent, to whom, once -------------------------------------------------------------------

def test_an_offers_alert_names_new_matching_open_offers_once_in_the_candidates_language():
    candidate = a_candidate(email="ann@example.org", language="en")
    subscribe(candidate, "offers", "immediate")
    good = a_match(candidate, title="Développeuse Django", score=82)
    a_match(candidate, title="Trop loin de mon profil", score=20)
    a_match(candidate, title="Publiée avant ma demande", published_at=timezone.now() - dt.timedelta(days=3))
    a_match(candidate, title="Offre close", status=JobPosting.Status.CLOSED)
    a_match(candidate, title="Date passée", closes_on=timezone.localdate() - dt.timedelta(days=1))

    assert send_due_alerts.delay().get() == {"looked_at": 1, "sent": 1, "failed": 0}

    [message] = sent_to("ann@example.org")
    assert message.subject == "A new job offer for your profile"
    # The link leads to the English page of the offer.
    assert (f"Développeuse Django, {good.company.name}, Toulouse\n"
            f"  https://emploi.tescforce.example/en/offres/{good.slug}/") in message.body
    for absent in ("Trop loin", "Publiée avant", "Offre close", "Date passée"):
        assert absent not in message.body
    headers = message.message()
    assert headers["Content-Language"] == "en"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert UNSUBSCRIBE.search(headers["List-Unsubscribe"]).group(2) == "en"

    # Nothing new: no second message; a new offer: a message naming only it.
    services.alerts_send_due()
    assert len(sent_to("ann@example.org")) == 1
    a_match(candidate, title="Data engineer Toulouse")
    services.alerts_send_due()
    second = sent_to("ann@example.org")[1]
    assert "Data engineer Toulouse" in second.body and "Développeuse Django" not in second.body
    assert AlertSent.objects.filter(candidate=candidate).count() == 2


def test_a_weekly_alert_waits_a_week_between_messages():
    candidate = a_candidate(email="wk@example.org")
    subscribe(candidate, "offers", "weekly", ago=dt.timedelta(days=10))
    now = timezone.now()
    a_match(candidate, title="Première offre")
    services.alerts_send_due(now=now)
    a_match(candidate, title="Deuxième offre")
    services.alerts_send_due(now=now + dt.timedelta(days=3))
    assert len(sent_to("wk@example.org")) == 1
    services.alerts_send_due(now=now + dt.timedelta(days=7))
    assert [("Deuxième offre" in m.body) for m in sent_to("wk@example.org")] == [False, True]


def test_a_sessions_alert_names_upcoming_open_sessions_in_the_city_not_booked():
    candidate = a_candidate(email="sess@example.org", city="Montpellier")
    subscribe(candidate, "sessions", "immediate")
    factories.SessionFactory(title="Job dating Montpellier", city="Montpellier")
    factories.SessionFactory(title="Atelier Toulouse", city="Toulouse")
    factories.SessionFactory(title="Session passée", city="Montpellier",
                             starts_at=timezone.now() - dt.timedelta(days=2))
    factories.SessionFactory(title="Session brouillon", city="Montpellier", is_published=False)
    factories.SessionFactory(title="Inscriptions closes", city="Montpellier",
                             registration_closes_at=timezone.now() - dt.timedelta(hours=1))
    booked = factories.SessionFactory(title="Déjà réservée", city="Montpellier")
    factories.RegistrationFactory(session=booked, candidate=candidate, status=Registration.Status.CONFIRMED)
    factories.SessionFactory(title="Session annulée", city="Montpellier", cancelled_at=timezone.now())

    services.alerts_send_due()
    [message] = sent_to("sess@example.org")
    assert message.subject == "Une session à venir à Montpellier"
    assert "Job dating Montpellier" in message.body
    for absent in ("Atelier Toulouse", "Session passée", "Session brouillon", "Inscriptions closes", "Déjà réservée",
                   "Session annulée"):
        assert absent not in message.body
    services.alerts_send_due()
    assert len(sent_to("sess@example.org")) == 1


@pytest.mark.parametrize("who", ["unconfirmed", "erased", "consent_withdrawn", "no_consent", "unsubscribed",
                                 "no_email"])
def test_who_must_not_receive_alerts(who):
    candidate = a_candidate(email=f"{who}@example.org")
    subscribe(candidate, "offers", "immediate")
    a_match(candidate)
    if who == "unconfirmed":
        candidate.confirmed_at = None
        candidate.save()
    elif who == "erased":
        candidate_services.candidate_erase(candidate=candidate)
    elif who == "consent_withdrawn":
        candidate_services.consent_withdraw(candidate=candidate, kind=Consent.Kind.PROCESSING)
    elif who == "no_consent":
        Consent.objects.filter(candidate=candidate).delete()
    elif who == "unsubscribed":
        services.subscription_unsubscribe(token=services.unsubscribe_token(candidate=candidate, kind="offers"))
    elif who == "no_email":
        type(candidate).objects.filter(pk=candidate.pk).update(email="")

    assert services.alerts_send_due() == {"looked_at": 0, "sent": 0, "failed": 0}
    assert mail.outbox == []
    assert not AlertSent.objects.filter(candidate=candidate).exists()


def test_a_refused_send_records_nothing_and_the_next_pass_sends(monkeypatch):
    candidate = a_candidate(email="retry@example.org")
    subscribe(candidate, "offers", "immediate")
    a_match(candidate, title="Offre à renvoyer")
    calls = {"n": 0}
    real = services.send_templated

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(111, "refused")
        return real(**kwargs)

    monkeypatch.setattr(services, "send_templated", flaky)
    assert services.alerts_send_due() == {"looked_at": 1, "sent": 0, "failed": 1}
    assert not AlertSent.objects.exists() and mail.outbox == []
    assert services.alerts_send_due()["sent"] == 1
    assert "Offre à renvoyer" in mail.outbox[0].body


def test_the_unique_rows_refuse_telling_the_same_offer_twice():
    candidate = a_candidate()
    posting = factories.JobPostingFactory()
    AlertSent.objects.create(candidate=candidate, posting=posting)
    with pytest.raises(IntegrityError), transaction.atomic():
        AlertSent.objects.create(candidate=candidate, posting=posting)


# --- one-click unsubscribe -------------------------------------------------------------------------

def _unsubscribe_path(candidate, kind="offers"):
    subscribe(candidate, kind, "immediate")
    a_match(candidate)
    services.alerts_send_due()
    return UNSUBSCRIBE.search(sent_to(candidate.email)[-1].message()["List-Unsubscribe"]).group(1)


def test_the_link_shows_a_confirmation_and_a_post_unsubscribes_without_signing_in(client):
    candidate = a_candidate(email="click@example.org")
    path = _unsubscribe_path(candidate)
    page = client.get(path)
    assert page.status_code == 200 and "Me désinscrire" in page.content.decode()
    assert Subscription.objects.filter(candidate=candidate).exists()  # a GET (a link checker) changes nothing

    done = client.post(path)
    assert done.status_code == 200 and "Vous êtes désinscrit·e" in done.content.decode()
    assert not Subscription.objects.filter(candidate=candidate).exists()
    again = client.post(path)  # idempotent
    assert again.status_code == 200
    assert client.get(path).status_code == 200


def test_a_mail_clients_one_click_post_works_without_cookie_or_csrf_token():
    candidate = a_candidate(email="oneclick@example.org")
    path = _unsubscribe_path(candidate)
    response = Client(enforce_csrf_checks=True).post(path, "List-Unsubscribe=One-Click",
                                                     content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not Subscription.objects.filter(candidate=candidate).exists()


def test_one_person_cannot_unsubscribe_another_by_tampering_with_the_token(client):
    victim = a_candidate(email="victim@example.org")
    subscribe(victim, "offers", "immediate")
    attacker = a_candidate(email="attacker@example.org")
    path = _unsubscribe_path(attacker)
    token = path.rstrip("/").rsplit("/", 1)[1]
    payload, rest = token.split(":", 1)
    forged_payload = services.unsubscribe_token(candidate=victim, kind="offers").split(":", 1)[0]
    for forged in (f"{forged_payload}:{rest}", token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "x"):
        response = client.post(f"/fr/alertes/desinscription/{forged}/")
        assert response.status_code == 404
        assert "Lien de désinscription non valable" in response.content.decode()
    assert Subscription.objects.filter(candidate=victim).exists()
    # The attacker's own token only ever stops the attacker's own alert.
    client.post(path)
    assert Subscription.objects.filter(candidate=victim).exists()
    assert not Subscription.objects.filter(candidate=attacker).exists()


def test_the_unsubscribe_page_speaks_english_on_the_english_link(client):
    candidate = a_candidate(email="en@example.org", language="en")
    path = _unsubscribe_path(candidate)
    assert path.startswith("/en/")
    page = client.get(path).content.decode()
    assert "Unsubscribe" in page and 'lang="en"' in page


# --- the person's data ----------------------------------------------------------------------------

def test_alerts_are_in_the_export_and_go_with_the_erasure(client):
    candidate = a_candidate(email="data@example.org")
    _unsubscribe_path(candidate)
    subscribe(candidate, "sessions", "weekly")
    exported = json.loads(space_client(client, candidate).get("/fr/mon-espace/mes-donnees.json").content)
    assert {a["alert"] for a in exported["alerts"]} == {"offers", "sessions"}
    assert len(exported["alerts_sent"]) == 1

    candidate_services.candidate_erase(candidate=candidate)
    assert not Subscription.objects.filter(candidate=candidate).exists()
    assert not AlertSent.objects.filter(candidate=candidate).exists()


def test_the_periodic_task_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["alerts-send-due"]
    assert entry["task"] == send_due_alerts.name == "alerts.tasks.send_due_alerts"


def test_an_english_alert_names_the_offer_by_its_english_title_when_the_company_wrote_one():
    candidate = a_candidate(email="eng@example.org", language="en")
    subscribe(candidate, "offers", "immediate")
    a_match(candidate, title="Développeuse Django", title_en="Django developer", score=82)
    services.alerts_send_due()
    [message] = sent_to("eng@example.org")
    html = message.alternatives[0][0]
    assert "Django developer" in message.body and "Django developer" in html
    assert "Développeuse Django" not in message.body and "Développeuse Django" not in html
