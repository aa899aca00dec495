import datetime as dt
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from candidates import pending, services, tasks, tokens, wording
from candidates.models import Campaign, Candidate, Consent, LinkEmailSent, StageChange
from candidates.services import LINK_EMAIL_INTERVAL
from matching import tasks as matching_tasks
from tests import factories

from .conftest import EXE, PDF, last_link, registration_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_commit")]


def register(client, reference, lang="fr", files=None, **overrides):
    data = registration_data(reference, **overrides)
    if files:
        data.update(files)
    return client.post(f"/{lang}/inscription/", data)


@pytest.mark.parametrize("lang,heading,label,family", [
    ("fr", "Je m'inscris", "Téléphone", "Études et développement informatique"),
    ("en", "Sign up", "Phone", "Software design and development")])
def test_registration_form_renders_in_both_languages(client, reference, lang, heading, label, family):
    response = client.get(f"/{lang}/inscription/")
    body = response.content.decode()
    assert response.status_code == 200
    assert heading in body
    assert label in body
    assert 'name="website"' in body  # honeypot
    assert "csrfmiddlewaretoken" in body
    assert "Python" in body and "SAP" in body
    assert family in body  # job family shown by its label in the page's language


def test_registration_creates_a_pending_candidate_then_confirmation_signs_in(client, reference):
    response = register(client, reference, files={"cv": SimpleUploadedFile("cv.pdf", PDF, "application/pdf")})
    assert response.status_code == 302
    assert response["Location"] == "/fr/inscription/merci/"
    candidate = Candidate.objects.get(email="camille.durand@example.org")
    assert candidate.confirmed_at is None
    assert str(candidate.phone) == "+33612345678"
    assert candidate.cv.name.startswith("cv/") and candidate.cv.name.endswith(".pdf")
    assert candidate.mobility_toulouse and candidate.mobility_remote and not candidate.mobility_montpellier
    assert set(candidate.skills.values_list("slug", flat=True)) == {"python", "sap"}
    assert candidate.gender == Candidate.Gender.UNDISCLOSED
    assert candidate.shown_to_recruiters
    consents = {c.kind: c for c in candidate.consents.all()}
    assert consents[Consent.Kind.PROCESSING].wording_version == wording.PROCESSING_VERSION
    assert consents[Consent.Kind.SHOWN_TO_RECRUITERS].wording_version == wording.SHOWN_VERSION
    assert StageChange.objects.filter(candidate=candidate, to_stage="registered").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Confirmez votre inscription à Tesc Force"

    link = last_link("inscription/confirmer")
    page = client.get(link)
    assert page.status_code == 200
    candidate.refresh_from_db()
    assert candidate.confirmed_at is None  # opening the link (or a mail scanner) does not confirm
    done = client.post(link)
    assert done.status_code == 200
    assert "Votre inscription est confirmée" in done.content.decode()
    candidate.refresh_from_db()
    assert candidate.confirmed_at is not None
    assert client.get("/fr/mon-espace/accueil/").status_code == 200
    again = client.post(link)
    assert "déjà confirmée" in again.content.decode()


def test_a_sign_up_queues_no_match_recompute_until_the_address_is_confirmed(
        client, reference, monkeypatch, django_assert_num_queries):
    # A pending person holds no match and gains none before confirming: the sign-up queues the e-mail only.
    sent = []
    monkeypatch.setattr(matching_tasks.matches_refresh, "delay", lambda **kw: sent.append(kw))
    with django_assert_num_queries(15):
        register(client, reference)
    candidate = Candidate.objects.get(email="camille.durand@example.org")
    assert sent == []
    assert set(candidate.skills.values_list("slug", flat=True)) == {"python", "sap"}
    assert list(candidate.desired_job_families.all()) == [reference["family"]]
    client.post(last_link("inscription/confirmer"))
    assert sent == [{"candidate_ids": [candidate.pk], "posting_ids": []}]
    # A person whose address a partner's link proved is confirmed at once, and scored at once.
    sent.clear()
    referred = services.candidate_register(
        data={"email": "lou@example.org", "first_name": "Lou", "last_name": "Martin"},
        skills=reference["skills"], job_families=[reference["family"].pk], confirmed=True)
    assert referred.confirmed_at is not None
    assert set(referred.skills.all()) == set(reference["skills"])
    assert referred.pk in {pk for kw in sent for pk in kw["candidate_ids"]}


def test_english_visitor_gets_english_email_and_pages(client, reference):
    response = register(client, reference, lang="en")
    assert response["Location"] == "/en/inscription/merci/"
    assert mail.outbox[0].subject == "Confirm your registration with Tesc Force"
    link = last_link("inscription/confirmer")
    assert link.startswith("/en/")
    assert "Confirm my registration" in client.get(link).content.decode()
    assert Candidate.objects.get().language == "en"


def test_same_email_in_another_case_never_duplicates_and_looks_the_same(client, reference):
    first = register(client, reference)
    client.post(last_link("inscription/confirmer"))
    mail.outbox.clear()
    LinkEmailSent.objects.update(sent_at=F("sent_at") - LINK_EMAIL_INTERVAL)
    second = register(client, reference, email="Camille.DURAND@Example.org", first_name="Intrus")
    assert second.status_code == first.status_code == 302
    assert second["Location"] == first["Location"]
    assert Candidate.objects.count() == 1
    assert Candidate.objects.get().first_name == "Camille"  # an anonymous form never overwrites
    assert mail.outbox[0].to == ["camille.durand@example.org"]
    assert mail.outbox[0].subject == "Vous êtes déjà inscrit·e à Tesc Force"
    assert "/fr/mon-espace/lien/" in mail.outbox[0].body


def test_unconfirmed_address_registering_again_gets_a_fresh_confirmation(client, reference):
    register(client, reference)
    mail.outbox.clear()
    LinkEmailSent.objects.update(sent_at=F("sent_at") - LINK_EMAIL_INTERVAL)
    register(client, reference, email="CAMILLE.durand@example.org")
    assert Candidate.objects.count() == 1
    assert "/fr/inscription/confirmer/" in mail.outbox[0].body


def test_registering_again_within_ten_minutes_sends_nothing_and_looks_the_same(client, reference):
    first = register(client, reference)
    mail.outbox.clear()
    again = register(client, reference, email="CAMILLE.durand@example.org")
    assert again.status_code == first.status_code == 302 and again["Location"] == first["Location"]
    assert mail.outbox == []
    LinkEmailSent.objects.update(sent_at=F("sent_at") - LINK_EMAIL_INTERVAL + dt.timedelta(seconds=30))
    register(client, reference)
    assert mail.outbox == []


@pytest.mark.parametrize("lang,message", [
    ("fr", "Saisissez un numéro de téléphone valide"),
    ("en", "Enter a valid phone number"),
])
def test_wrong_phone_is_refused_in_the_visitor_language_and_input_is_kept(client, reference, lang, message):
    response = register(client, reference, lang=lang, phone="12ab", first_name="Zoé")
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'value="Zoé"' in body
    assert 'value="12ab"' in body
    assert not Candidate.objects.exists()


def test_international_phone_is_accepted(client, reference):
    register(client, reference, phone="+44 20 7946 0958")
    assert str(Candidate.objects.get().phone) == "+442079460958"


@pytest.mark.parametrize("name,content", [
    ("cv.pdf", EXE),
    ("cv.pdf", b"%PDF-1.4\n" + EXE),
    ("cv.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100),
    ("cv.pdf", b"just text pretending"),
])
def test_cv_that_is_not_a_pdf_is_refused(client, reference, name, content):
    response = register(client, reference, files={"cv": SimpleUploadedFile(name, content, "application/pdf")})
    assert response.status_code == 200
    assert "Le CV doit être un fichier PDF." in response.content.decode()
    assert not Candidate.objects.exists()


def test_cv_of_20_mb_is_refused_in_english(client, reference):
    big = SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024), "application/pdf")
    response = register(client, reference, lang="en", files={"cv": big})
    assert response.status_code == 200
    assert "The file is larger than the maximum size" in response.content.decode()
    assert not Candidate.objects.exists()


def test_script_tags_are_stored_as_text_and_shown_escaped(client, reference, admin_client):
    script = "<script>alert(1)</script>"
    register(client, reference, first_name=f"Zoé{script}", last_name=f"Nom{script}", city=f"Albi{script}")
    candidate = Candidate.objects.get()
    assert candidate.first_name == f"Zoé{script}"
    client.post(last_link("inscription/confirmer"))
    for page in (client.get("/fr/mon-espace/accueil/"), client.get("/fr/mon-espace/profil/"),
                 admin_client.get(f"/admin/candidates/candidate/{candidate.pk}/change/"),
                 admin_client.get("/admin/candidates/candidate/")):
        body = page.content.decode()
        assert page.status_code == 200
        assert script not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_script_in_a_field_that_refuses_it_gives_an_error_not_a_crash(client, reference):
    response = register(client, reference, postcode="<script>", email="<script>@x", phone="<script>alert(1)</script>",
                        available_from="<script>")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<script>@x" not in body and "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # kept, escaped, for the person to correct
    assert "code postal valide" in body
    assert "Saisissez un numéro de téléphone valide" in body
    assert not Candidate.objects.exists()


def test_processing_consent_is_required(client, reference):
    response = register(client, reference, consent_processing=None)
    assert "Votre accord est nécessaire" in response.content.decode()
    assert not Candidate.objects.exists()


def test_honeypot_pretends_success_and_stores_nothing(client, reference):
    response = register(client, reference, website="http://spam.example")
    assert response.status_code == 302
    assert not Candidate.objects.exists()
    assert mail.outbox == []


def test_registration_is_rate_limited_per_ip(client, reference, settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    for i in range(20):
        register(client, reference, email=f"p{i}@example.org")
    response = register(client, reference, email="one-too-many@example.org")
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert not Candidate.objects.filter(email="one-too-many@example.org").exists()
    cache.clear()


def test_registration_needs_csrf(reference):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/fr/inscription/", registration_data(reference))
    assert response.status_code == 403
    assert not Candidate.objects.exists()


# --- signed links ---------------------------------------------------------------------------------

def test_tampered_confirmation_link_is_refused(client, reference):
    register(client, reference)
    link = last_link("inscription/confirmer")
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    assert client.post(tampered).status_code == 400
    assert client.get("/fr/inscription/confirmer/not-a-token/").status_code == 400
    assert Candidate.objects.get().confirmed_at is None


def test_expired_confirmation_link_is_refused(client, reference):
    register(client, reference)
    candidate = Candidate.objects.get()
    eight_days_ago = timezone.now().timestamp() - 8 * 24 * 3600
    with mock.patch("time.time", return_value=eight_days_ago):
        old = tokens.make_token(candidate_public_id=str(candidate.public_id), purpose="confirm")
    response = client.post(f"/en/inscription/confirmer/{old}/")
    assert response.status_code == 400
    assert "This link is no longer valid" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.confirmed_at is None


def test_link_for_another_purpose_is_refused(client, reference, confirmed_candidate):
    space_token = tokens.make_token(candidate_public_id=str(confirmed_candidate.public_id), purpose="space")
    assert client.post(f"/fr/inscription/confirmer/{space_token}/").status_code == 400
    confirm_token = tokens.make_token(candidate_public_id=str(confirmed_candidate.public_id), purpose="confirm")
    assert client.get(f"/fr/mon-espace/lien/{confirm_token}/").status_code == 400
    with pytest.raises(signing.BadSignature):
        tokens.read_token(space_token, purpose="action")


# --- pending actions ------------------------------------------------------------------------------

@pytest.fixture
def test_action(monkeypatch):
    calls = []

    def handler(candidate, data):
        calls.append((candidate.pk, data))
        return f"Place réservée pour la session {data['id']}."

    monkeypatch.setitem(pending._HANDLERS, "book_test", handler)
    monkeypatch.setitem(pending._LABELS, "book_test", "Réserver une place de test")
    return calls


def test_pending_action_travels_through_confirmation(client, reference, test_action):
    page = client.get("/fr/inscription/?action=book_test&id=12")
    body = page.content.decode()
    assert 'name="action" value="book_test"' in body
    assert "Réserver une place de test" in body
    register(client, reference, action="book_test", action_id="12")
    assert test_action == []  # nothing happens before the e-mail is confirmed
    response = client.post(last_link("inscription/confirmer"))
    assert "Place réservée pour la session 12." in response.content.decode()
    assert test_action == [(Candidate.objects.get().pk, {"id": "12"})]
    client.post(last_link("inscription/confirmer"))
    assert len(test_action) == 1  # confirming twice does not run it twice


def test_unknown_or_malformed_pending_action_is_ignored(client, reference, test_action):
    body = client.get("/fr/inscription/?action=delete_everything&id=1").content.decode()
    assert 'value="delete_everything"' not in body
    register(client, reference, action="book_test", action_id="12; DROP TABLE")
    client.post(last_link("inscription/confirmer"))
    assert test_action == []


def test_known_candidate_with_pending_action_confirms_it_from_the_email(client, reference, test_action,
                                                                        confirmed_candidate):
    register(client, reference, email="HELENE@example.org", action="book_test", action_id="7")
    assert Candidate.objects.count() == 1
    link = last_link("action")
    assert client.get(link).status_code == 200
    assert test_action == []
    response = client.post(link)
    assert "Place réservée pour la session 7." in response.content.decode()
    assert test_action == [(confirmed_candidate.pk, {"id": "7"})]


def test_failing_pending_action_keeps_the_confirmation(client, reference, monkeypatch):
    from candidates.services import CandidateError

    def handler(candidate, data):
        raise CandidateError("Cette session est complète.")

    monkeypatch.setitem(pending._HANDLERS, "book_full", handler)
    register(client, reference, action="book_full", action_id="3")
    response = client.post(last_link("inscription/confirmer"))
    assert "Cette session est complète." in response.content.decode()
    assert Candidate.objects.get().confirmed_at is not None


# --- campaign attribution -------------------------------------------------------------------------

def test_utm_parameters_are_remembered_for_the_visit(client, reference):
    campaign = Campaign.objects.create(name="Paris métro", code="paris-metro-2026", city="Paris",
                                       channel=Campaign.Channel.DISPLAY, starts_on=dt.date(2026, 1, 1),
                                       ends_on=dt.date(2026, 3, 1), budget=1000)
    client.get("/fr/?utm_source=affiche&utm_medium=metro&utm_campaign=Paris-Metro-2026")
    register(client, reference)
    candidate = Candidate.objects.get()
    assert candidate.source_campaign == campaign
    assert (candidate.utm_source, candidate.utm_medium, candidate.utm_campaign) == (
        "affiche", "metro", "Paris-Metro-2026")


def test_campaign_short_link_redirects_and_attributes(client, reference):
    campaign = Campaign.objects.create(name="Lyon radio", code="lyon-radio", city="Lyon",
                                       channel=Campaign.Channel.RADIO, starts_on=dt.date(2026, 1, 1),
                                       ends_on=dt.date(2026, 3, 1))
    response = client.get("/en/c/lyon-radio/")
    assert response.status_code == 302
    assert response["Location"] == "/en/inscription/"
    register(client, reference, lang="en")
    assert Candidate.objects.get().source_campaign == campaign


def test_unknown_short_code_still_leads_to_registration_without_attribution(client, reference):
    assert client.get("/fr/c/nope/")["Location"] == "/fr/inscription/"
    register(client, reference)
    assert Candidate.objects.get().source_campaign is None


# --- purge ----------------------------------------------------------------------------------------

def test_unconfirmed_registrations_are_purged_after_seven_days(client, reference):
    register(client, reference, files={"cv": SimpleUploadedFile("cv.pdf", PDF, "application/pdf")})
    stale = Candidate.objects.get()
    storage, cv_name = stale.cv.storage, stale.cv.name
    assert storage.exists(cv_name)
    fresh = factories.CandidateFactory(confirmed_at=None)
    confirmed = factories.CandidateFactory()
    Candidate.objects.filter(pk__in=[stale.pk, confirmed.pk]).update(
        created_at=timezone.now() - dt.timedelta(days=8))
    assert tasks.purge_unconfirmed_candidates.delay().get() == 1
    assert set(Candidate.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}
    assert not storage.exists(cv_name)
    assert tasks.purge_unconfirmed_candidates.delay().get() == 0
