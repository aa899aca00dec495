import json
import re
import time
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates import services, space, tokens
from candidates.models import (
    Candidate,
    Consent,
    JobInterest,
    Qualification,
)
from hotline.models import CallbackRequest, HotlineCall, RelocationRequest
from tests import factories

from .conftest import EXE, PDF, last_link, tables_containing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_commit", "french")]


def _without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


# --- the link request -----------------------------------------------------------------------------

def test_link_request_answers_the_same_for_known_and_unknown_addresses(client, confirmed_candidate):
    known = client.post("/fr/mon-espace/", {"email": "HELENE@example.org"})
    unknown = client.post("/fr/mon-espace/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/fr/mon-espace/lien-envoye/"
    assert _without_csrf(client.get(known["Location"])) == _without_csrf(client.get(unknown["Location"]))
    assert [m.to for m in mail.outbox] == [["helene@example.org"]]
    assert mail.outbox[0].subject == "Votre lien vers Mon espace Tesc Force"


def test_link_request_in_english_sends_an_english_link(client, confirmed_candidate):
    client.post("/en/mon-espace/", {"email": "helene@example.org"})
    assert mail.outbox[0].subject == "Your link to My space on Tesc Force"
    link = last_link("mon-espace/lien")
    assert link.startswith("/en/mon-espace/lien/")
    response = client.get(link)
    assert response["Location"] == "/en/mon-espace/accueil/"
    assert "My profile" in client.get(response["Location"]).content.decode()


def test_link_request_bad_input_and_honeypot(client, confirmed_candidate):
    bad = client.post("/en/mon-espace/", {"email": "not an e-mail"})
    assert bad.status_code == 200
    assert "Enter a valid email address." in bad.content.decode()
    bot = client.post("/fr/mon-espace/", {"email": "helene@example.org", "website": "x"})
    assert bot.status_code == 302
    assert mail.outbox == []


def test_link_request_is_rate_limited(client, settings, confirmed_candidate):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    for _ in range(10):
        client.post("/fr/mon-espace/", {"email": "x@example.org"})
    response = client.post("/fr/mon-espace/", {"email": "helene@example.org"})
    assert response.status_code == 429
    assert mail.outbox == []
    cache.clear()


def test_space_pages_refuse_visitors_without_a_valid_session(client, confirmed_candidate):
    for path in ("/fr/mon-espace/accueil/", "/fr/mon-espace/profil/", "/fr/mon-espace/mes-donnees.json",
                 "/fr/mon-espace/effacer/", "/fr/mon-espace/cv/telecharger/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/fr/mon-espace/"
    assert client.post("/fr/mon-espace/effacer/", {"confirm": "on"}).status_code == 302
    assert Candidate.objects.get().anonymised_at is None


def test_space_session_expires(space_client, monkeypatch):
    assert space_client.get("/fr/mon-espace/accueil/").status_code == 200
    later = time.time() + space.SESSION_TTL + 10
    monkeypatch.setattr(space.time, "time", lambda: later)
    assert space_client.get("/fr/mon-espace/accueil/").status_code == 302


def test_tampered_space_link_is_refused(client, confirmed_candidate):
    token = tokens.make_token(candidate_public_id=str(confirmed_candidate.public_id), purpose="space")
    assert client.get(f"/fr/mon-espace/lien/{token}x/").status_code == 400
    assert client.get("/fr/mon-espace/accueil/").status_code == 302


def test_space_link_of_an_erased_candidate_no_longer_works(client, confirmed_candidate):
    token = tokens.make_token(candidate_public_id=str(confirmed_candidate.public_id), purpose="space")
    services.candidate_erase(candidate=confirmed_candidate)
    assert client.get(f"/fr/mon-espace/lien/{token}/").status_code == 400


# --- what the candidate does in their space -------------------------------------------------------

def test_home_shows_profile_bookings_and_interests(space_client, confirmed_candidate):
    registration = factories.RegistrationFactory(candidate=confirmed_candidate, session__title="Job dating Labège")
    posting = factories.JobPostingFactory(title="Développeuse SAP")
    JobInterest.objects.create(candidate=confirmed_candidate, posting=posting)
    body = space_client.get("/fr/mon-espace/accueil/").content.decode()
    assert "Hélène Dupont" in body
    assert registration.session.title in body
    assert "Développeuse SAP" in body
    assert "Mes accords" in body
    assert "Aide à l'installation en Occitanie" in body  # the hotline's section


def test_other_apps_extend_the_space_page(space_client, confirmed_candidate, monkeypatch, settings):
    extra_dir = Path(__file__).parent / "templates"
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], extra_dir]}]
    monkeypatch.setattr(space, "_ROW_ACTIONS", {"registration": [], "interest": []})
    monkeypatch.setattr(space, "_SECTIONS", {})
    space.register_row_action("registration", "space_ext/row_action.html")
    space.register_section("extra", "space_ext/section.html",
                           get_context=lambda request, candidate: {"greeting": "Bonjour de l'extension"})
    registration = factories.RegistrationFactory(candidate=confirmed_candidate)
    body = space_client.get("/fr/mon-espace/accueil/").content.decode()
    assert f"<button>Annuler {registration.pk}</button>" in body
    assert "<section>Bonjour de l&#x27;extension Hélène</section>" in body


def test_profile_edit_keeps_input_on_error_then_saves(space_client, confirmed_candidate, reference):
    data = {"first_name": "Hélène", "last_name": "Dupont-Martin", "phone": "0700", "postcode": "34000",
            "city": "Montpellier", "profile": "experienced", "education": "bac5", "experience": "junior",
            "contract_wanted": "any", "skills": [reference["skills"][0].pk]}
    bad = space_client.post("/fr/mon-espace/profil/", data)
    assert bad.status_code == 200
    assert 'value="Dupont-Martin"' in bad.content.decode()
    data["phone"] = "07 81 23 45 67"
    good = space_client.post("/fr/mon-espace/profil/", data)
    assert good.status_code == 302, good.context["form"].errors
    confirmed_candidate.refresh_from_db()
    assert confirmed_candidate.last_name == "Dupont-Martin"
    assert confirmed_candidate.city == "Montpellier"
    assert list(confirmed_candidate.skills.values_list("slug", flat=True)) == ["python"]


def test_profile_cannot_change_the_email(space_client, confirmed_candidate):
    space_client.post("/fr/mon-espace/profil/", {"email": "thief@example.org", "first_name": "H",
                                                 "last_name": "D", "phone": "0612345678", "postcode": "31000",
                                                 "city": "Toulouse", "profile": "retraining",
                                                 "experience": "none", "contract_wanted": "any"})
    confirmed_candidate.refresh_from_db()
    assert confirmed_candidate.email == "helene@example.org"


def test_replace_cv_deletes_the_old_file_and_refuses_executables(space_client, confirmed_candidate):
    space_client.post("/fr/mon-espace/cv/", {"cv": SimpleUploadedFile("a.pdf", PDF, "application/pdf")})
    confirmed_candidate.refresh_from_db()
    first = confirmed_candidate.cv.name
    storage = confirmed_candidate.cv.storage
    assert storage.exists(first)
    space_client.post("/fr/mon-espace/cv/", {"cv": SimpleUploadedFile("b.pdf", PDF + b"%2", "application/pdf")})
    confirmed_candidate.refresh_from_db()
    assert confirmed_candidate.cv.name != first
    assert not storage.exists(first)
    refused = space_client.post("/fr/mon-espace/cv/", {"cv": SimpleUploadedFile("c.pdf", EXE)}, follow=True)
    assert "Le CV doit être un fichier PDF." in refused.content.decode()
    download = space_client.get("/fr/mon-espace/cv/telecharger/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_withdraw_and_give_again_the_recruiters_consent(space_client, confirmed_candidate):
    services.consent_give(candidate=confirmed_candidate, kind=Consent.Kind.SHOWN_TO_RECRUITERS)
    space_client.post("/fr/mon-espace/consentements/", {"shown": "withdraw"})
    confirmed_candidate.refresh_from_db()
    assert not confirmed_candidate.shown_to_recruiters
    consent = Consent.objects.get(candidate=confirmed_candidate, kind=Consent.Kind.SHOWN_TO_RECRUITERS)
    assert consent.withdrawn_at is not None
    space_client.post("/fr/mon-espace/consentements/", {"shown": "give"})
    confirmed_candidate.refresh_from_db()
    assert confirmed_candidate.shown_to_recruiters
    assert Consent.objects.filter(candidate=confirmed_candidate, kind="shown").count() == 2


def test_export_holds_every_kind_of_data(space_client, confirmed_candidate, coordinator):
    factories.RegistrationFactory(candidate=confirmed_candidate, outcome_notes="Très à l'aise")
    HotlineCall.objects.create(candidate=confirmed_candidate, topic="job_search", summary="Cherche un CDI")
    RelocationRequest.objects.create(candidate=confirmed_candidate, target_city="Toulouse", notes="Logement")
    CallbackRequest.objects.create(candidate=confirmed_candidate, name="Hélène", email="helene@example.org",
                                   topic="other")
    Qualification.objects.create(candidate=confirmed_candidate, level="ready", motivation=5, notes="Solide")
    services.consent_give(candidate=confirmed_candidate, kind=Consent.Kind.PROCESSING)
    response = space_client.get("/fr/mon-espace/mes-donnees.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["candidate"]["email"] == "helene@example.org"
    assert data["candidate"]["phone"] == "+33612345678"
    assert data["consents"][0]["wording_version"]
    assert data["session_registrations"][0]["outcome_notes"] == "Très à l'aise"
    assert data["hotline_calls"][0]["summary"] == "Cherche un CDI"
    assert data["relocation_requests"][0]["notes"] == "Logement"
    assert data["callback_requests"][0]["email"] == "helene@example.org"
    assert data["qualification"]["notes"] == "Solide"
    assert "stage_history" in data and "job_interests" in data and "orientations" in data


# --- erasure --------------------------------------------------------------------------------------

def test_erasure_in_english(client, confirmed_candidate):
    token = tokens.make_token(candidate_public_id=str(confirmed_candidate.public_id), purpose="space")
    client.get(f"/en/mon-espace/lien/{token}/")
    page = client.get("/en/mon-espace/effacer/")
    assert "Erase my account" in page.content.decode()
    response = client.post("/en/mon-espace/effacer/", {"confirm": "on"})
    assert "Your account has been erased" in response.content.decode()
    assert tables_containing("helene@example.org") == []
