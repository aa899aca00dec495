"""`make run` as a visitor meets it: links that follow its port, and a console free of warnings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from tests import factories

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_an_emailed_link_points_at_the_site_url_of_the_running_server(client, settings, candidate,
                                                                      django_capture_on_commit_callbacks):
    # `make run PORT=8101` gives SITE_URL=http://127.0.0.1:8101 (tests/tescforce/test_settings.py).
    settings.SITE_URL = "http://127.0.0.1:8101"
    posting = factories.JobPostingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/fr/offres/{posting.slug}/interet/", {"email": candidate.email, "website": ""})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "http://127.0.0.1:8101/fr/offres/interet/" in mail.outbox[0].body
    assert "127.0.0.1:8000" not in mail.outbox[0].body


def test_the_in_process_broker_opens_without_a_warning():
    # Eager tasks still take a producer from the in-memory transport; kombu warned when it had no host.
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "DEBUG")}
    code = ("from tescforce.celery import app; c = app.connection_for_write(); "
            "print(c.transport_cls); c.info(); c.release()")
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["memory"]
    assert result.stderr == ""
