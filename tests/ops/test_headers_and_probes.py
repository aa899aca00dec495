"""Security headers and CSP on every kind of page, request ids and JSON logs, and the readiness probe."""

import io
import json
import logging

import pytest
from django.core.cache import cache

from tescforce import ops_views
from tescforce.middleware import JsonFormatter, RequestIdFilter
from tescforce.tasks import heartbeat

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/fr/", "/en/offres/", "/fr/inscription/", "/admin/login/", "/healthz/"])
def test_public_pages_carry_a_strict_csp_and_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = _directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert not any("unsafe-inline" in v or "unsafe-eval" in v for values in csp.values() for v in values)
    assert not any(v.startswith(("http", "*")) for values in csp.values() for v in values)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("path", ["/admin/", "/admin/candidates/candidate/", "/admin/companies/jobposting/add/",
                                  "/pilotage/", "/pilotage/hotline/"])
def test_staff_pages_carry_the_csp_too(client_for, coordinator, path):
    response = client_for(coordinator).get(path)
    assert response.status_code == 200, path
    assert _directives(response)["script-src"][0] == "'self'"


def test_a_nonce_used_by_a_page_is_in_the_header(rf):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    request = rf.get("/")
    middleware = CSPMiddleware(view)
    response = middleware(request)
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in _directives(response)["script-src"]


def test_every_response_says_its_request_id(client):
    response = client.get("/fr/")
    assert len(response["X-Request-ID"]) == 32
    assert client.get("/fr/", HTTP_X_REQUEST_ID="lb-1234abcd")["X-Request-ID"] == "lb-1234abcd"
    # A header that could break a log line is replaced, not echoed.
    assert client.get("/fr/", HTTP_X_REQUEST_ID='bad"\nid')["X-Request-ID"] != 'bad"\nid'


def test_a_json_log_line_carries_the_request_id(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/fr/no-such-page/", HTTP_X_REQUEST_ID="trace-0042abcd")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines, "Django logs a 404 as a warning"
    assert lines[0]["request_id"] == "trace-0042abcd"
    assert lines[0]["level"] == "WARNING" and lines[0]["logger"] == "django.request"
    assert "/fr/no-such-page/" in lines[0]["message"]


def test_logs_are_json_by_default_in_production():
    from tests.tescforce.test_settings import manage

    result = manage("shell", "-c", "from django.conf import settings; print(settings.LOGGING['handlers']"
                                   "['console']['formatter'])")
    assert result.stdout.strip().splitlines()[-1] == "json", result.stderr


def test_healthz_and_readyz_answer_when_all_is_well(client):
    assert client.get("/healthz/").status_code == 200
    heartbeat()
    response = client.get("/readyz/")
    assert response.status_code == 200 and response.json() == {"status": "ready"}


def test_readyz_names_a_missing_worker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["problems"] == {"worker": "no worker heartbeat"}
    heartbeat()  # what the worker runs every 5 minutes
    assert client.get("/readyz/").status_code == 200


def test_readyz_names_a_stale_heartbeat(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.set("worker:heartbeat", "2020-01-01T00:00:00+00:00")
    assert client.get("/readyz/").json()["problems"] == {"worker": "worker heartbeat too old"}


def test_readyz_names_unapplied_migrations(client, monkeypatch):
    monkeypatch.setattr(ops_views.MigrationExecutor, "migration_plan", lambda self, targets: [("app", False)])
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["problems"] == {"database": "migrations not applied"}


def test_readyz_names_an_unreachable_redis(client, settings, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    # A Redis cache pointed at a closed port, for the probe only (the test's own cache stays as it is).
    unreachable = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.5}})
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(ops_views, "cache", unreachable)
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["problems"]["redis"] == "redis unreachable"


def test_readyz_names_an_unreachable_database(client, monkeypatch):
    monkeypatch.setattr(ops_views, "MigrationExecutor", lambda connection: (_ for _ in ()).throw(OSError("down")))
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["problems"] == {"database": "database unreachable"}


def test_sentry_is_not_even_imported_without_a_dsn():
    from tests.tescforce.test_settings import manage

    result = manage("shell", "-c", "import sys; print('sentry_sdk' in sys.modules)")
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_a_dsn_without_sentry_installed_fails_with_one_clear_line():
    import importlib.util

    if importlib.util.find_spec("sentry_sdk") is not None:
        pytest.skip("sentry-sdk is installed here")
    from tests.tescforce.test_settings import manage

    result = manage("check", SENTRY_DSN="https://key@sentry.example/1")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SENTRY_DSN is set but sentry-sdk is not installed: pip install '.[sentry]'."]


def test_production_settings_make_cookies_https_only_and_turn_on_hsts():
    from tests.tescforce.test_settings import manage

    names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS",
             "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "SECURE_CONTENT_TYPE_NOSNIFF",
             "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS", "SECURE_PROXY_SSL_HEADER", "TRUSTED_PROXY_COUNT"]
    code = ("import json; from django.conf import settings; "
            f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))")
    result = manage("shell", "-c", code, BEHIND_PROXY="True")
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["SECURE_REFERRER_POLICY"] == "strict-origin-when-cross-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["TRUSTED_PROXY_COUNT"] == 1
