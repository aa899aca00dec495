import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from candidates.tokens import make_token
from hotline.models import CallbackRequest, RelocationRequest
from tests import factories


def _form(**extra):
    return {"name": "Léa Martin", "phone": "06 12 34 56 78", "email": "lea@example.org", "preferred_time": "morning",
            "topic": "relocation", "message": "Je m'installe à Toulouse en mars.", "website": "", **extra}


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "heading", "ack_subject"), [
    ("fr", "Contacter la hotline Talents Occitanie", "nous avons bien reçu votre demande de rappel"),
    ("en", "Contact the Talents Occitanie hotline", "we have received your call-back request"),
])
def test_contact_page_shows_the_number_and_queues_the_request_with_an_acknowledgement(
        client, django_capture_on_commit_callbacks, lang, heading, ack_subject):
    page = client.get(f"/{lang}/contact/")
    assert page.status_code == 200
    html = page.content.decode()
    assert heading in html and "05 36 49 00 00" in html
    assert 'aria-hidden="true"' in html and 'name="website"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/{lang}/contact/", _form())
    assert response.status_code == 302 and response["Location"] == f"/{lang}/contact/merci/"
    request = CallbackRequest.objects.get()
    assert (request.name, str(request.phone), request.language, request.handled_at) == (
        "Léa Martin", "+33612345678", lang, None)
    assert request.acknowledged_at is not None
    assert len(mail.outbox) == 1
    assert ack_subject in mail.outbox[0].subject and mail.outbox[0].to == ["lea@example.org"]
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_acknowledgement_is_sent_once_even_if_the_task_runs_again(client, django_capture_on_commit_callbacks):
    from hotline.tasks import hotline_callback_acknowledge

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/fr/contact/", _form())
    assert hotline_callback_acknowledge(CallbackRequest.objects.get().pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_phone_only_request_needs_no_email(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fr/contact/", _form(email=""))
    assert response.status_code == 302
    assert CallbackRequest.objects.get().email == ""
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "data", "message"), [
    ("fr", {"phone": "", "email": ""}, "Indiquez un téléphone ou un e-mail"),
    ("en", {"phone": "", "email": ""}, "Give a phone number or an e-mail address"),
    ("fr", {"name": ""}, "Ce champ est obligatoire"),
    ("en", {"name": ""}, "This field is required"),
    ("en", {"topic": "astrology"}, "Select a valid choice"),
    ("fr", {"phone": "not a phone"}, "numéro de téléphone"),
    ("en", {"email": "nope"}, "valid email"),
    ("en", {"preferred_time": "midnight"}, "Select a valid choice"),
])
def test_bad_contact_input_is_refused_in_the_visitors_language(client, lang, data, message):
    response = client.post(f"/{lang}/contact/", _form(**data))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CallbackRequest.objects.exists()


@pytest.mark.django_db
def test_honeypot_fills_are_dropped_silently(client):
    response = client.post("/en/contact/", _form(website="http://spam.example"))
    assert response.status_code == 302 and response["Location"] == "/en/contact/merci/"
    assert not CallbackRequest.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "message"), [("fr", "plusieurs demandes"), ("en", "several requests")])
def test_contact_form_is_rate_limited(client, settings, lang, message):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    for _ in range(5):
        assert client.post(f"/{lang}/contact/", _form(email="")).status_code == 302
    response = client.post(f"/{lang}/contact/", _form(email=""))
    assert response.status_code == 429
    assert message in response.content.decode()
    assert CallbackRequest.objects.count() == 5
    assert client.get(f"/{lang}/contact/").status_code == 200
    cache.clear()


def _enter_space(client, candidate, lang="fr"):
    token = make_token(candidate_public_id=str(candidate.public_id), purpose="space")
    response = client.get(f"/{lang}/contact/installation/{token}/")
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/contact/installation/"
    return response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_candidate_asks_for_relocation_help_from_their_space(client, candidate, lang):
    url = _enter_space(client, candidate, lang)
    assert client.get(url).status_code == 200
    target = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    response = client.post(url, {"need_housing": "on", "need_partner_job": "on", "target_city": "Montpellier",
                                 "target_date": target, "message": "Avec ma famille.", "website": ""})
    assert response.status_code == 302 and response["Location"] == f"/{lang}/contact/installation/merci/"
    relocation = RelocationRequest.objects.get()
    assert (relocation.candidate, relocation.origin, relocation.status) == (candidate, "space", "open")
    assert relocation.need_housing and relocation.need_partner_job and not relocation.need_schools
    # Coming back shows the request in progress instead of a second form.
    page = client.get(url).content.decode()
    assert "Montpellier" in page and 'name="target_city"' not in page
    client.post(url, {"need_transport": "on", "target_city": "Albi", "website": ""})
    assert RelocationRequest.objects.count() == 1


@pytest.mark.django_db
def test_relocation_form_refuses_bad_input_in_english(client, candidate):
    url = _enter_space(client, candidate, "en")
    response = client.post(url, {"target_city": "Albi", "website": ""})
    assert "Tick at least one need" in response.content.decode()
    response = client.post(url, {"need_housing": "on", "target_city": "Albi", "target_date": "2020-01-01"})
    assert "cannot be in the past" in response.content.decode()
    assert client.post(url, {"need_housing": "on", "target_city": "Albi", "website": "x"}).status_code == 302
    assert not RelocationRequest.objects.exists()


@pytest.mark.django_db
def test_relocation_page_refuses_strangers_forged_links_and_erased_people(client):
    candidate = factories.CandidateFactory()
    response = client.get("/fr/contact/installation/")
    assert response.status_code == 302 and "installation" not in response["Location"]
    assert client.get("/fr/contact/installation/forged-token/").status_code == 403
    token = make_token(candidate_public_id=str(candidate.public_id), purpose="confirm")
    assert client.get(f"/fr/contact/installation/{token}/").status_code == 403
    url = _enter_space(client, candidate)
    candidate.anonymised_at = timezone.now()
    candidate.save()
    response = client.post(url, {"need_housing": "on", "target_city": "Albi"})
    assert response.status_code == 302
    assert not RelocationRequest.objects.exists()


@pytest.mark.django_db
def test_space_section_links_to_the_relocation_form_or_shows_the_request(rf, candidate):
    from django.template.loader import render_to_string

    SECTION = "hotline/space_relocation.html"
    from hotline.views import space_relocation_context

    html = render_to_string(SECTION, space_relocation_context(rf.get("/"), candidate))
    assert 'href="/fr/contact/installation/"' in html
    RelocationRequest.objects.create(candidate=candidate, target_city="Sète", need_housing=True)
    html = render_to_string(SECTION, space_relocation_context(rf.get("/"), candidate))
    assert "Sète" in html and 'href="/fr/contact/installation/"' not in html
