"""Settings come from the environment; production refuses to start on a missing or malformed one."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "tescforce.example",
    "CSRF_TRUSTED_ORIGINS": "https://tescforce.example",
    # `check` does not connect: these only have to be well formed.
    "DATABASE_URL": "postgres://tescforce:secret@127.0.0.1:5432/tescforce",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.tescforce.example:587",
}


def manage(*args: str, **overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION and not k.startswith("DJANGO_")}
    env |= PRODUCTION | overrides
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_values_pass_the_deploy_checks_without_a_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "too-short"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 60}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must list"),
        ({"DATABASE_URL": ""}, "DATABASE_URL must point at PostgreSQL"),
        ({"DATABASE_URL": "sqlite:////tmp/tescforce.sqlite3"}, "DATABASE_URL must point at PostgreSQL"),
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL must start with"),
        ({"DATABASE_URL": "postgres://127.0.0.1:5432"}, "DATABASE_URL must name a database"),
        ({"REDIS_URL": ""}, "REDIS_URL must be set"),
        ({"REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL must start with redis://"),
        ({"EMAIL_URL": "carrier-pigeon://loft"}, "EMAIL_URL is malformed"),
        ({"DEBUG": "Flase"}, "DEBUG must be true or false"),
        ({"DB_CONN_MAX_AGE": "a minute"}, "DB_CONN_MAX_AGE is malformed"),
        ({"CSRF_TRUSTED_ORIGINS": "tescforce.example"}, "CSRF_TRUSTED_ORIGINS entries must start with https://"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be one of"),
        ({"LOGIN_RECORDS_RETENTION_DAYS": "0"}, "LOGIN_RECORDS_RETENTION_DAYS must be at least 1"),
        ({"LOGIN_RECORDS_RETENTION_DAYS": "a year"}, "LOGIN_RECORDS_RETENTION_DAYS is malformed"),
    ],
)
def test_bad_production_setting_fails_at_start_with_one_clear_line(overrides, message):
    result = manage("check", **overrides)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_embedded_defaults_need_no_variable_at_all():
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION and not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_every_variable_read_by_settings_is_documented_in_env_example():
    source = (ROOT / "tescforce" / "settings.py").read_text()
    read = set(re.findall(r"""(?:_read|_bool|env\.\w+)\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))
    lines = (ROOT / ".env.example").read_text().splitlines()
    documented = {m.group(1) for line in lines if (m := re.match(r"#?\s*([A-Z][A-Z0-9_]+)=", line))}
    assert read, "no variable found in settings.py"
    assert read - documented == set()
    # Each variable has its one-line comment right above it.
    for i, line in enumerate(lines):
        if re.match(r"#?\s*[A-Z][A-Z0-9_]+=", line):
            assert i > 0 and lines[i - 1].startswith("# "), line
            assert not re.match(r"#?\s*[A-Z][A-Z0-9_]+=", lines[i - 1]), line


def _embedded_site_url(**overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in PRODUCTION and k not in ("PORT", "SITE_URL") and not k.startswith("DJANGO_")}
    # The settings module alone, as manage.py loads it, without the second of setting up every app.
    code = ("import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tescforce.settings'); "
            "from django.conf import settings; print(settings.SITE_URL)")
    return subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-c", code], cwd=ROOT, env=env | overrides, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize(("overrides", "site_url"), [
    ({}, "http://127.0.0.1:8000"),
    ({"PORT": "8101"}, "http://127.0.0.1:8101"),  # make run PORT=8101
    ({"PORT": "8101", "SITE_URL": "https://tescforce.example/"}, "https://tescforce.example"),
])
def test_links_point_at_the_port_served_unless_site_url_is_set(overrides, site_url):
    result = _embedded_site_url(**overrides)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == site_url


def test_a_malformed_port_fails_at_start_with_one_clear_line():
    result = _embedded_site_url(PORT="eighty")
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: PORT is malformed")


def test_make_run_passes_its_port_to_the_server():
    run = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "PORT=$(PORT) DJANGO_RUNSERVER_HIDE_WARNING=true $(PY) manage.py runserver $(HOST):$(PORT)" in run
