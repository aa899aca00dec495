"""Backups restore: dump the database with scripts/backup.sh, restore it with scripts/restore.sh into a new
database, and the platform started on that database serves the same data."""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from candidates.models import Candidate
from companies.models import Company, JobPosting
from events.models import Session
from tests import factories

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PROBE = """
import json
from django.test import Client
from candidates.models import Candidate
from companies.models import Company, JobPosting
from events.models import Session
posting = JobPosting.objects.get(slug="restauration-testee")
page = Client(HTTP_HOST="localhost").get(f"/fr/offres/{posting.slug}/")
print(json.dumps({
    "counts": [Candidate.objects.count(), Company.objects.count(), JobPosting.objects.count(),
               Session.objects.count(), Candidate.history.count()],
    "status": page.status_code, "shows_title": posting.title in page.content.decode(),
}))
"""


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _admin(sql: str) -> None:
    s = connection.settings_dict
    with psycopg.connect(dbname="postgres", user=s["USER"], password=s["PASSWORD"] or None,
                         host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, autocommit=True) as conn:
        conn.execute(sql)


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | env
    return subprocess.run(args, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=300)  # noqa: S603


def test_a_dump_restored_into_a_new_database_serves_the_same_data(tmp_path):
    company = factories.CompanyFactory(name="Restaurée SAS")
    factories.JobPostingFactory(company=company, title="Administratrice de bases", slug="restauration-testee",
                                status=JobPosting.Status.PUBLISHED)
    for _ in range(3):
        person = factories.CandidateFactory()
        person.city = "Albi"
        person.save()  # a second audit row each
    factories.SessionFactory()
    expected = [Candidate.objects.count(), Company.objects.count(), JobPosting.objects.count(),
                Session.objects.count(), Candidate.history.count()]

    source = connection.settings_dict["NAME"]
    backup = _run("bash", "scripts/backup.sh", str(tmp_path), DATABASE_URL=_url(source))
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip().splitlines()[-1])
    assert dump.stat().st_size > 0

    scratch = f"{source}_restored"
    _admin(f'DROP DATABASE IF EXISTS "{scratch}"')
    _admin(f'CREATE DATABASE "{scratch}"')
    try:
        restore = _run("bash", "scripts/restore.sh", str(dump), _url(scratch))
        assert restore.returncode == 0, restore.stderr
        probe = _run(sys.executable, "manage.py", "shell", "-c", PROBE, DATABASE_URL=_url(scratch), REDIS_URL="",
                     DEBUG="True")
        assert probe.returncode == 0, probe.stderr
        served = json.loads(probe.stdout.strip().splitlines()[-1])
        migrations = _run(sys.executable, "manage.py", "migrate", "--check", DATABASE_URL=_url(scratch),
                          REDIS_URL="", DEBUG="True")
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    assert served["counts"] == expected
    assert served["status"] == 200 and served["shows_title"]
    assert migrations.returncode == 0, migrations.stdout + migrations.stderr


def test_restore_refuses_a_missing_dump_or_a_non_postgres_target(tmp_path):
    missing = _run("bash", "scripts/restore.sh", str(tmp_path / "none.dump"), _url("whatever"))
    assert missing.returncode == 2 and "no such dump" in missing.stderr
    (tmp_path / "x.dump").write_bytes(b"x")
    wrong = _run("bash", "scripts/restore.sh", str(tmp_path / "x.dump"), "sqlite:///tmp/x.sqlite3")
    assert wrong.returncode == 2 and "postgres://" in wrong.stderr
