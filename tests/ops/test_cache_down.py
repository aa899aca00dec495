"""Redis down: the shared cache reads as a miss, and every page and form still answers from the database."""

import logging

import pytest
from django.core import mail

from candidates.models import Candidate
from companies.models import JobFamily, Skill
from tescforce import cache as shared_cache
from tescforce.cache import SharedRedisCache
from tests import factories
from tests.candidates.conftest import registration_data

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every connection is refused at once.
NOWHERE = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def _no_pause_left():
    shared_cache._paused_until.clear()
    yield
    shared_cache._paused_until.clear()


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {"BACKEND": "tescforce.cache.SharedRedisCache", "LOCATION": NOWHERE}}
    settings.RATELIMIT_ENABLE = True
    yield
    # Back to memory before the suite's own fixture empties the cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_every_call_answers_as_a_miss(caplog):
    backend = SharedRedisCache(NOWHERE, {})
    with caplog.at_level(logging.WARNING, logger="tescforce.cache"):
        assert backend.get("a") is None
        assert backend.get("a", "default") == "default"
        assert backend.get_many(["a", "b"]) == {}
        assert backend.has_key("a") is False
        assert backend.add("a", 1, 30) is False
        backend.set("a", 1, 30)
        assert backend.set_many({"a": 1, "b": 2}, 30) == ["a", "b"]
        assert backend.touch("a", 30) is False
        assert backend.delete("a") is False
        backend.delete_many(["a", "b"])
        with pytest.raises(ValueError):  # Django's answer for a missing key: page_cache.invalidate relies on it
            backend.incr("a")
        assert backend.get_or_set("a", 7) == 7
    warnings = [r for r in caplog.records if r.name == "tescforce.cache"]
    assert len(warnings) == 1, "one line per pause, not one per call"
    assert "unreachable" in warnings[0].getMessage()


def test_a_failed_server_is_left_alone_for_a_while_then_tried_again(monkeypatch):
    backend = SharedRedisCache(NOWHERE, {})
    attempts = []
    real_get_client = shared_cache._ReusingClient.get_client

    def counting(self, *args, **kwargs):
        attempts.append(1)
        return real_get_client(self, *args, **kwargs)

    monkeypatch.setattr(shared_cache._ReusingClient, "get_client", counting)
    now = [1000.0]
    monkeypatch.setattr(shared_cache.time, "monotonic", lambda: now[0])
    backend.get("a")
    assert len(attempts) == 1
    for _ in range(5):
        backend.get("a")
        backend.set("a", 1, 30)
    assert len(attempts) == 1, "no new connection while paused"
    # Another backend of the same process (Django makes one per thread) shares the pause.
    SharedRedisCache(NOWHERE, {}).get("a")
    assert len(attempts) == 1
    now[0] += shared_cache.PAUSE_SECONDS + 0.1
    backend.get("a")
    assert len(attempts) == 2


@pytest.mark.parametrize("path", ["/fr/", "/en/offres/", "/fr/sessions/", "/fr/showroom/", "/fr/inscription/",
                                  "/fr/mon-espace/", "/admin/login/"])
def test_public_pages_answer(client, redis_down, path):
    factories.JobPostingFactory(title="Développeuse Python")
    response = client.get(path)
    assert response.status_code == 200, path
    if path == "/en/offres/":
        assert "Développeuse Python" in response.content.decode()


@pytest.mark.parametrize("path", ["/pilotage/", "/pilotage/tableau-de-bord/", "/pilotage/tableau-de-bord/?fresh=1",
                                  "/pilotage/hotline/?q=Dupont", "/admin/", "/admin/candidates/candidate/"])
def test_staff_pages_answer(client_for, coordinator, redis_down, path):
    factories.CandidateFactory(last_name="Dupont")
    response = client_for(coordinator).get(path)
    assert response.status_code == 200, path
    if "hotline" in path or "candidate" in path:
        assert "Dupont" in response.content.decode()


def test_sign_up_booking_and_staff_sign_in_go_through(client, redis_down, coordinator,
                                                      django_capture_on_commit_callbacks):
    python = factories.SkillFactory(name="Python", slug="python", category=Skill.Category.LANGUAGE)
    sap = factories.SkillFactory(name="SAP", slug="sap", category=Skill.Category.ERP)
    family = JobFamily.objects.get_or_create(code="M1805", defaults={"label": "Études et développement"})[0]
    data = registration_data({"skills": [python, sap], "family": family})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fr/inscription/", data)
    assert response.status_code == 302 and response["Location"] == "/fr/inscription/merci/"
    assert Candidate.objects.filter(email=data["email"]).exists()

    known = factories.CandidateFactory(email="helene@example.org")
    session = factories.SessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/fr/sessions/{session.pk}/reserver/", {"email": known.email})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[data["email"]], [known.email]]

    coordinator.set_password("a-long-pass-2026")
    coordinator.save()
    response = client.post("/admin/login/", {"username": coordinator.username, "password": "a-long-pass-2026"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
