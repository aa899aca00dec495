
"""CVs: private, random names, served only to those who may see the candidate; public forms answer the same
for known and unknown e-mail addresses; the upload size limit."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from candidates import services
from tests import factories
from tests.candidates.conftest import PDF, registration_data

pytestmark = pytest.mark.django_db

CV_URL = "/admin/candidates/candidate/{}/cv/"


@pytest.fixture
def with_cv(coordinator, company_a):
    person = factories.CandidateFactory(first_name="Agathe", last_name="Visible", email="agathe@example.org",
                                        shown_to_recruiters=True)
    person.cv.save("mon cv.pdf", ContentFile(PDF))
    services.candidate_qualify(candidate=person, level="ready", motivation=5, by=coordinator)
    services.orientation_create(candidate=person, company=company_a, by=coordinator)
    return person


def test_cv_is_stored_privately_under_a_random_name(with_cv):
    name = with_cv.cv.name
    assert re.fullmatch(r"cv/[0-9a-f]{32}\.pdf", name)
    path = with_cv.cv.path
    assert not path.startswith(str(settings.MEDIA_ROOT)) and not path.startswith(str(settings.STATIC_ROOT))
    assert path.startswith(str(with_cv.cv.storage.location))  # the private storage, never served directly


@pytest.mark.parametrize("who", ["coordinator", "hotline_agent", "recruiter_a"])
def test_cv_is_served_as_an_attachment_to_those_who_may_see_the_candidate(request, client_for, with_cv, who):
    response = client_for(request.getfixturevalue(who)).get(CV_URL.format(with_cv.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_recruiter_cannot_fetch_another_company_candidate_cv_by_url(client_for, recruiter_b, with_cv):
    assert client_for(recruiter_b).get(CV_URL.format(with_cv.pk)).status_code == 404


def test_a_prospecting_officer_cannot_fetch_a_cv(client_for, prospecting_officer, with_cv):
    assert client_for(prospecting_officer).get(CV_URL.format(with_cv.pk)).status_code in (403, 404)


def test_an_anonymous_visitor_is_sent_to_the_login(client, with_cv):
    response = client.get(CV_URL.format(with_cv.pk))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert client.get(f"/media/{with_cv.cv.name}").status_code == 404


def test_the_upload_limit_is_set_for_the_app():
    assert settings.MAX_UPLOAD_SIZE == 5 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= settings.MAX_UPLOAD_SIZE


def _without_csrf(response) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)


@pytest.fixture
def reference(db):
    from companies.models import JobFamily, Skill

    skill = factories.SkillFactory(name="Python", slug="python", category=Skill.Category.LANGUAGE)
    family = JobFamily.objects.get_or_create(code="M1805", defaults={"label": "Études et développement"})[0]
    return {"skills": [skill], "family": family}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_registration_answers_byte_for_byte_the_same_for_a_known_address(client, reference, lang):
    factories.CandidateFactory(email="known@example.org")
    known = client.post(f"/{lang}/inscription/", registration_data(reference, email="known@example.org"))
    unknown = client.post(f"/{lang}/inscription/", registration_data(reference, email="new@example.org"))
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert _without_csrf(client.get(known["Location"])) == _without_csrf(client.get(unknown["Location"]))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_space_link_answers_byte_for_byte_the_same_for_a_known_address(client, lang):
    factories.CandidateFactory(email="known@example.org")
    known = client.post(f"/{lang}/mon-espace/", {"email": "known@example.org"})
    unknown = client.post(f"/{lang}/mon-espace/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert _without_csrf(client.get(known["Location"])) == _without_csrf(client.get(unknown["Location"]))


def test_rate_limits_use_the_shared_cache_and_the_derived_client_address():
    assert settings.RATELIMIT_USE_CACHE == "default"
    assert settings.RATELIMIT_IP_META_KEY == "tescforce.security.client_ip"
    # Tests empty REDIS_URL for themselves, so read the settings a server with Redis configured gets.
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'tescforce.settings'; django.setup(); "
            "from django.conf import settings as s; from django.utils.module_loading import import_string; "
            "from django.core.cache.backends.redis import RedisCache; "
            "print(issubclass(import_string(s.CACHES[s.RATELIMIT_USE_CACHE]['BACKEND']), RedisCache))")
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/9", "DEBUG": "True"}
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60,
        cwd=settings.BASE_DIR, check=True,
    )
    assert result.stdout.strip() == "True"  # Django's Redis backend (tescforce.cache keeps its client)


def test_two_visitors_behind_the_proxy_have_their_own_rate_limit(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(12):
        last = client.post("/fr/mon-espace/", {"email": "a@example.org"}, REMOTE_ADDR="10.0.0.2",
                           HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert last.status_code != 302  # refused politely: too many requests from this visitor
    other = client.post("/fr/mon-espace/", {"email": "b@example.org"}, REMOTE_ADDR="10.0.0.2",
                        HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 302
