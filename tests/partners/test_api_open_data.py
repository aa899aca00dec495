"""Open data without a key: published postings, sessions to come, published courses and the skills, as paginated
JSON that clients may cache (Cache-Control, an ETag that moves when the data does) and that holds no personal
data; the OpenAPI schema and its documentation; throttling per key and per address."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from companies.models import JobPosting
from tests import factories

from .course_rows import course, skill

pytestmark = pytest.mark.django_db
# The training bodies, the prescriber and their keys.
pytest_plugins = ["tests.partners.course_fixtures"]


@pytest.fixture
def published(academy):
    recruiter = factories.RecruiterFactory(user__username="recruteuse-secrete", user__email="secret@entreprise.example",
                                           user__first_name="Roxane", user__last_name="Secrète")
    posting = factories.JobPostingFactory(title="Développeuse Python", title_en="Python developer",
                                          company=recruiter.company, created_by=recruiter.user, city="Toulouse")
    posting.skills_required.set([skill("Python")])
    factories.JobPostingFactory(title="Offre en brouillon", status=JobPosting.Status.DRAFT)
    session = factories.SessionFactory(title="Job dating Toulouse", city="Toulouse",
                                       online_url="https://visio.example/salle-privee")
    factories.RegistrationFactory(session=session, candidate=factories.CandidateFactory(
        first_name="Hélène", last_name="Dupont", email="helene@example.org"))
    factories.SessionFactory(title="Session passée", starts_at=timezone.now() - dt.timedelta(days=3),
                             ends_at=timezone.now() - dt.timedelta(days=3, hours=-2))
    mine = course(academy, title="Docker en cinq jours", skills=("Docker",), funding_cpf=True)
    course(academy, title="Brouillon", published=False)
    return {"posting": posting, "session": session, "course": mine}


def test_each_list_gives_what_is_published_and_nothing_about_people(client, published):
    postings = client.get("/api/v1/open/postings/").json()
    assert [p["title"] for p in postings["results"]] == ["Développeuse Python"]
    first = postings["results"][0]
    assert first["title_en"] == "Python developer" and first["skills_required"] == ["python"]
    assert first["url"].endswith(f"/fr/offres/{published['posting'].slug}/")
    sessions = client.get("/api/v1/open/sessions/").json()
    assert [s["title"] for s in sessions["results"]] == ["Job dating Toulouse"]
    assert sessions["results"][0]["seats_left"] == published["session"].capacity - 1
    courses = client.get("/api/v1/open/courses/").json()
    assert [c["title"] for c in courses["results"]] == ["Docker en cinq jours"]
    assert courses["results"][0]["funding"] == ["cpf"] and courses["results"][0]["skills"] == ["docker"]
    everything = json.dumps([postings, sessions, courses], ensure_ascii=False)
    for private in ("recruteuse-secrete", "secret@entreprise.example", "Roxane", "Secrète", "Hélène",
                    "helene@example.org", "visio.example", "created_by", "online_url"):
        assert private not in everything, private
    skills = client.get("/api/v1/open/skills/").json()
    assert {"slug": "python", "name": "Python", "category": "language"} in skills


def test_open_data_ignores_whatever_key_is_sent(client, published):
    response = client.get("/api/v1/open/courses/", HTTP_AUTHORIZATION="Api-Key nimporte.quoi")
    assert response.status_code == 200


def test_lists_are_paginated(client, academy):
    for n in range(5):
        course(academy, title=f"Cours {n}", start=n + 1)
    first = client.get("/api/v1/open/courses/?page_size=2").json()
    assert first["count"] == 5 and len(first["results"]) == 2 and "page=2" in first["next"]
    last = client.get("/api/v1/open/courses/?page_size=2&page=3").json()
    assert len(last["results"]) == 1 and last["next"] is None
    assert client.get("/api/v1/open/courses/?page=99").status_code == 404


@pytest.mark.parametrize(("query", "titles"), [
    ("?skill=docker", ["Docker"]), ("?online=true", ["En ligne"]), ("?city=montpellier", ["Montpellier"]),
    ("?funding=free", ["En ligne"]),
])
def test_course_filters(client, academy, query, titles):
    course(academy, title="Docker", skills=("Docker",))
    course(academy, title="En ligne", city="", online=True, funding_free=True)
    course(academy, title="Montpellier", city="Montpellier")
    assert [c["title"] for c in client.get(f"/api/v1/open/courses/{query}").json()["results"]] == titles


@pytest.mark.parametrize(("lang", "message"), [("fr", "Saisissez une date valide."), ("en", "Enter a valid date.")])
def test_a_bad_filter_answers_400_in_the_requests_language(client, published, lang, message):
    response = client.get("/api/v1/open/courses/?starts_after=demain", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 400 and response.json()["starts_after"] == [message]
    bad = client.get("/api/v1/open/postings/?contract=esclavage", HTTP_ACCEPT_LANGUAGE=lang)
    assert bad.status_code == 400 and "contract" in bad.json()


def test_lists_are_cacheable_and_their_etag_moves_with_the_data(client, published):
    url = "/api/v1/open/courses/"
    first = client.get(url)
    assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    assert client.get(url + "?page_size=1")["ETag"] != etag
    published["course"].title = "Docker en six jours"
    published["course"].save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["results"][0]["title"] == "Docker en six jours"


def test_a_session_booked_moves_the_sessions_etag(client, published):
    url = "/api/v1/open/sessions/"
    etag = client.get(url)["ETag"]
    factories.RegistrationFactory(session=published["session"])
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["results"][0]["seats_left"] == published["session"].capacity - 2


# --- throttling ----------------------------------------------------------------------------------------

def test_an_address_without_a_key_is_throttled(client, settings, published):
    settings.API_RATE_ANON = "3/minute"
    for _ in range(3):
        assert client.get("/api/v1/open/postings/").status_code == 200
    refused = client.get("/api/v1/open/courses/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["detail"].lower()
    # Another address still gets through.
    assert client.get("/api/v1/open/postings/", REMOTE_ADDR="198.51.100.7").status_code == 200


def test_a_key_is_throttled_on_its_own_count(client, settings, academy_key):
    settings.API_RATE_KEY = "2/minute"
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {academy_key[1]}"}
    assert client.get("/api/v1/partner/courses/", **headers).status_code == 200
    assert client.get("/api/v1/partner/referrals/", **headers).status_code == 200
    refused = client.get("/api/v1/partner/courses/", HTTP_ACCEPT_LANGUAGE="fr", **headers)
    assert refused.status_code == 429 and "Requête ralentie" in refused.json()["detail"]
    # The open data of the same address is counted apart, per address.
    assert client.get("/api/v1/open/courses/").status_code == 200


# --- schema and documentation ----------------------------------------------------------------------------

def test_the_schema_is_generated_without_warnings_and_validates(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in ("/api/v1/open/courses/", "/api/v1/partner/referrals/{id}/", "/api/v1/partner/courses/{id}/"):
        assert f"  {path}:" in text, path
    assert "ApiKey:" in text and "name: Authorization" in text


def test_the_schema_and_the_docs_are_served_from_our_own_files(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200 and json.loads(schema.content)["info"]["title"] == "Tesc Force API"
    docs = client.get("/api/docs/")
    body = docs.content.decode()
    assert docs.status_code == 200 and "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in body
    assert "<style" not in body and "<script>" not in body and "https://" not in body
    csp = docs["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "cdn" not in csp
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


@pytest.mark.redis
def test_throttle_counts_live_in_the_shared_redis_cache(client, settings, monkeypatch, published):
    # In production the default cache is Redis (settings: REDIS_URL), so every web process reads one count.
    import os

    from partners.api import authentication
    from tescforce.cache import SharedRedisCache

    shared = SharedRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "tescforce-test-api-throttle"})
    monkeypatch.setattr(authentication.AnonRateThrottle, "cache", shared)
    settings.API_RATE_ANON = "2/minute"
    key = "throttle_api_anon_203.0.113.9"
    shared.delete(key)
    try:
        assert client.get("/api/v1/open/courses/", REMOTE_ADDR="203.0.113.9").status_code == 200
        assert len(shared.get(key)) == 1
        # Each request reads the count from Redis, as every web process would.
        assert client.get("/api/v1/open/postings/", REMOTE_ADDR="203.0.113.9").status_code == 200
        assert client.get("/api/v1/open/sessions/", REMOTE_ADDR="203.0.113.9").status_code == 429
    finally:
        shared.delete(key)
