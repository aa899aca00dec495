"""The API with an organisation's key: referrals and courses, each organisation reaching only its own; no key,
a revoked or a wrong one is refused; bad input answers 400 with messages in the request's language."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from partners.api import keys
from partners.models import Course, Referral
from tests import factories

from .course_rows import course, skill

pytestmark = pytest.mark.django_db
# The training bodies, the prescriber and their keys.
pytest_plugins = ["tests.partners.course_fixtures"]

REFERRALS = "/api/v1/partner/referrals/"
COURSES = "/api/v1/partner/courses/"


def call(client, method, url, key=None, body=None, lang="fr", **headers):
    if key is not None:
        headers["HTTP_AUTHORIZATION"] = f"Api-Key {key[1] if isinstance(key, tuple) else key}"
    kwargs = {"HTTP_ACCEPT_LANGUAGE": lang, **headers}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(url, **kwargs)


def texts(value) -> str:
    """Every message of an error body, one per line (nested lists and dicts flattened)."""
    if isinstance(value, dict):
        return "\n".join(texts(v) for v in value.values())
    if isinstance(value, list):
        return "\n".join(texts(v) for v in value)
    return str(value)


def person(**changes):
    return {"first_name": "Lina", "last_name": "Moreau", "email": "lina.moreau@example.org", "profile": "job_seeker",
            "language": "fr", "skills": ["python"], "note": "Motivée, a suivi un MOOC.", **changes}


def new_course(**changes):
    today = timezone.localdate()
    return {"title": "Analyste SOC", "skills": ["python"], "city": "toulouse",
            "starts_on": str(today + dt.timedelta(days=9)), "ends_on": str(today + dt.timedelta(days=90)),
            "funding": ["cpf", "region"], "link": "https://academie.example/soc", "is_published": True, **changes}


@pytest.fixture(autouse=True)
def _skills(db):
    skill("Python")


# --- referrals -----------------------------------------------------------------------------------------

def test_a_key_refers_a_person_and_reads_what_became_of_them(client, agency, agency_key):
    response = call(client, "post", REFERRALS, agency_key, person())
    assert response.status_code == 201, response.content
    made = response.json()
    referral = Referral.objects.get(public_id=made["id"])
    assert referral.partner == agency and referral.candidate is None and referral.linked_at is None
    assert made["status"] == "referred" and made["status_label"] == "Orienté·e, en attente de sa réponse"
    assert made["skills"] == ["python"] and made["match"] == "new"
    Referral.objects.filter(pk=referral.pk).update(linked_at=timezone.now())
    detail = call(client, "get", f"{REFERRALS}{referral.public_id}/", agency_key, lang="en").json()
    assert detail["status"] == "confirmed" and detail["status_label"] == "Registration confirmed"
    assert [step["status"] for step in detail["steps"]] == ["referred", "confirmed"]
    listing = call(client, "get", REFERRALS, agency_key).json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == str(referral.public_id)


def test_the_same_person_referred_twice_by_one_organisation_is_one_referral(client, agency_key):
    assert call(client, "post", REFERRALS, agency_key, person()).status_code == 201
    again = call(client, "post", REFERRALS, agency_key, person(email="LINA.MOREAU@example.org"), lang="en")
    assert again.status_code == 409
    assert again.json()["detail"].startswith("Your organisation has already referred this person")
    assert Referral.objects.count() == 1


def test_a_person_already_registered_is_referred_as_perhaps_known_without_showing_them(client, agency_key):
    factories.CandidateFactory(email="lina.moreau@example.org", first_name="Lina")
    made = call(client, "post", REFERRALS, agency_key, person()).json()
    assert made["match"] == "existing" and made["status"] == "referred"
    assert "candidate" not in made and set(made) >= {"id", "status", "steps"}


def test_another_organisations_referral_answers_404(client, agency_key, campus_key):
    made = call(client, "post", REFERRALS, agency_key, person()).json()
    assert call(client, "get", f"{REFERRALS}{made['id']}/", campus_key).status_code == 404
    assert call(client, "get", REFERRALS, campus_key).json()["count"] == 0


@pytest.mark.parametrize(("changes", "field", "fr", "en"), [
    ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse de courriel valide.",
     "Enter a valid email address."),
    ({"profile": "astronaute"}, "profile", "n'est pas un choix valide", "is not a valid choice"),
    ({"skills": ["cobol-objet"]}, "skills", "Compétence inconnue : « cobol-objet »", 'Unknown skill: "cobol-objet"'),
    ({"postcode": "31"}, "postcode", "Saisissez un code postal valide", "Enter a valid postcode"),
    ({"proposed_session": 999999}, "proposed_session", "Session inconnue, passée ou fermée",
     "Unknown, past or closed session"),
    ({"first_name": ""}, "first_name", "Ce champ ne peut être vide.", "This field may not be blank."),
])
def test_bad_referrals_answer_400_in_the_requests_language_and_save_nothing(client, agency_key, changes, field,
                                                                            fr, en):
    for lang, message in (("fr", fr), ("en", en)):
        response = call(client, "post", REFERRALS, agency_key, person(**changes), lang=lang)
        assert response.status_code == 400
        assert message in texts(response.json()[field]), response.json()
    assert not Referral.objects.exists()


def test_a_body_that_is_not_json_answers_400(client, agency_key):
    response = client.post(REFERRALS, data="{pas du json", content_type="application/json",
                           HTTP_AUTHORIZATION=f"Api-Key {agency_key[1]}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "JSON parse error" in response.json()["detail"]


# --- keys ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [REFERRALS, COURSES, f"{COURSES}1/",
                                 f"{REFERRALS}6f1c1e8a-9a4c-4a39-9c39-1d2b3c4d5e6f/"])
def test_no_key_answers_401_with_the_way_to_send_one(client, url):
    response = call(client, "get", url, lang="en")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'
    assert response.json()["detail"] == "Authentication credentials were not provided."
    assert call(client, "post", url, body={}).status_code == 401


def test_a_revoked_key_answers_401_from_its_next_request(client, academy_key):
    assert call(client, "get", COURSES, academy_key).status_code == 200
    assert keys.api_key_revoke(key=academy_key[0])
    response = call(client, "get", COURSES, academy_key, lang="en")
    assert response.status_code == 401 and response.json()["detail"] == "This API key has been revoked."
    assert call(client, "post", COURSES, academy_key, new_course()).status_code == 401
    assert not Course.objects.exists()


@pytest.mark.parametrize(("header", "message"), [
    ("Api-Key abcdefgh.pas-la-bonne", "Clé d'API inconnue."),
    ("Api-Key sans-point", "Clé d'API mal formée : elle s'écrit préfixe.secret."),
    ("Api-Key deux mots", "En-tête Authorization mal formé : écrivez « Api-Key <clé> »."),
    ("Bearer quelque-chose", "Informations d'authentification non fournies."),
])
def test_a_wrong_key_answers_401_saying_what_is_wrong(client, academy_key, header, message):
    response = client.get(COURSES, HTTP_AUTHORIZATION=header, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 401 and response.json()["detail"] == message


def test_a_key_with_the_right_prefix_and_a_wrong_secret_is_refused(client, academy_key):
    prefix = academy_key[0].prefix
    assert call(client, "get", COURSES, f"{prefix}.{'x' * 43}").status_code == 401


def test_only_the_hash_of_a_key_is_stored_and_its_use_is_dated(client, academy_key):
    row, key = academy_key
    row.refresh_from_db()
    assert key.split(".")[1] not in row.hashed_key and key not in row.hashed_key and len(row.hashed_key) == 64
    assert row.last_used_at is None
    call(client, "get", COURSES, academy_key)
    row.refresh_from_db()
    assert row.last_used_at is not None


# --- courses -------------------------------------------------------------------------------------------

def test_a_training_body_publishes_a_course_that_the_site_and_open_data_show(client, academy, academy_key):
    response = call(client, "post", COURSES, academy_key, new_course())
    assert response.status_code == 201, response.content
    made = response.json()
    saved = Course.objects.get(pk=made["id"])
    assert saved.partner == academy and saved.city == "Toulouse" and saved.fundings == ["cpf", "region"]
    assert made["organisation"] == "Académie du Code" and made["skills"] == ["python"] and made["is_published"]
    assert "Analyste SOC" in client.get("/fr/formations/").content.decode()
    assert call(client, "get", "/api/v1/open/courses/").json()["results"][0]["id"] == saved.pk


def test_a_course_is_changed_field_by_field_or_replaced(client, academy, academy_key):
    mine = course(academy, title="Python débutant")
    url = f"{COURSES}{mine.pk}/"
    response = call(client, "patch", url, academy_key, {"is_published": False, "funding": ["free"]})
    assert response.status_code == 200, response.content
    mine.refresh_from_db()
    assert not mine.is_published and mine.fundings == ["free"] and mine.title == "Python débutant"
    assert list(mine.skills.values_list("slug", flat=True)) == ["python"]
    replaced = call(client, "put", url, academy_key, new_course(title="Python avancé", skills=["python", "sql"]))
    assert replaced.status_code == 200, replaced.content
    assert sorted(replaced.json()["skills"]) == ["python", "sql"] and replaced.json()["title"] == "Python avancé"
    mine.refresh_from_db()
    assert mine.title == "Python avancé" and set(mine.skills.values_list("slug", flat=True)) == {"python", "sql"}


def test_another_organisations_course_answers_404_and_is_left_alone(client, campus, academy_key):
    theirs = course(campus, title="Front-end React", city="Montpellier")
    url = f"{COURSES}{theirs.pk}/"
    assert call(client, "get", url, academy_key).status_code == 404
    assert call(client, "patch", url, academy_key, {"title": "Volée"}).status_code == 404
    assert call(client, "put", url, academy_key, new_course(title="Volée")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Front-end React"
    assert call(client, "get", COURSES, academy_key).json()["count"] == 0


def test_an_organisation_that_does_not_teach_may_not_publish(client, agency_key):
    response = call(client, "post", COURSES, agency_key, new_course(), lang="en")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only training bodies and schools publish courses."
    assert not Course.objects.exists()


@pytest.mark.parametrize(("changes", "field", "fr", "en"), [
    ({"link": "http://academie.example"}, "link", "Saisissez une adresse qui commence par https://.",
     "Enter an address that starts with https://."),
    ({"ends_on": "2001-01-01"}, "ends_on", "La fin ne peut pas précéder le début.",
     "The end cannot come before the start."),
    ({"city": "", "online": False}, "city", "Indiquez une ville, ou « online »: true.",
     'Give a town, or "online": true.'),
    ({"skills": []}, "skills", "Cette liste ne peut pas être vide.", "This list may not be empty."),
    ({"skills": ["basic"]}, "skills", "Compétence inconnue : « basic »", 'Unknown skill: "basic"'),
    ({"funding": ["loterie"]}, "funding", "n'est pas un choix valide", "is not a valid choice"),
    ({"starts_on": "31/02/2027"}, "starts_on", "La date n'a pas le bon format", "Date has wrong format"),
])
def test_bad_courses_answer_400_in_the_requests_language_and_save_nothing(client, academy_key, changes, field, fr,
                                                                          en):
    for lang, message in (("fr", fr), ("en", en)):
        response = call(client, "post", COURSES, academy_key, new_course(**changes), lang=lang)
        assert response.status_code == 400
        assert message in texts(response.json()[field]), response.json()
    assert not Course.objects.exists()


def test_a_bad_change_answers_400_and_leaves_the_course_as_it_was(client, academy, academy_key):
    mine = course(academy, title="Python débutant", online=False)
    response = call(client, "patch", f"{COURSES}{mine.pk}/", academy_key, {"city": ""})
    assert response.status_code == 400 and "city" in response.json()
    mine.refresh_from_db()
    assert mine.city == "Toulouse"
