"""A real Celery worker on Redis computes the matches of a posting saved in a real transaction."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from companies.models import JobPosting
from matching import engine as matching
from matching.models import Match
from tescforce.celery import app as celery_app
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict  # NAME is the test database's here
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _route(routes) -> None:
    """Route tasks by `routes` from now on: Celery prepares its routing table and router once, at the first send."""
    celery_app.conf.task_routes = routes
    celery_app.amqp.flush_routes()
    celery_app.amqp.router = celery_app.amqp.Router()


@pytest.fixture
def matching_worker():
    """A worker on a queue of its own, reading the test database; the matching tasks are routed to it."""
    queue = f"test-matching-{uuid.uuid4().hex[:10]}"
    log_dir = ROOT / "test-results"
    log_dir.mkdir(exist_ok=True)
    log_file = (log_dir / f"celery-matching-{queue}.log").open("w")
    env = {**os.environ, "REDIS_URL": settings.REDIS_URL, "DATABASE_URL": _database_url()}
    worker = subprocess.Popen(  # noqa: S603 - our own worker command
        [sys.executable, "-m", "celery", "-A", "tescforce", "worker", "--pool", "solo", "--queues", queue,
         "--hostname", f"{queue}@%h", "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
        cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
    )
    routes = celery_app.conf.task_routes
    _route({"matching.tasks.*": {"queue": queue}})
    try:
        yield log_file.name
    finally:
        _route(routes)
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
        log_file.close()
        if worker.returncode in (0, -15):
            Path(log_file.name).unlink(missing_ok=True)
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


def _wait_for(predicate, timeout=90.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_saving_a_posting_lets_a_real_worker_compute_its_matches(matching_worker):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    candidate = factories.CandidateFactory(mobility_toulouse=True)
    posting = factories.JobPostingFactory(city="Toulouse")
    found = _wait_for(lambda: Match.objects.filter(candidate=candidate, posting=posting).exists())
    assert found, Path(matching_worker).read_text()[-3000:]
    match = Match.objects.get(candidate=candidate, posting=posting)
    assert match.explanation["pts"][matching.COMPONENTS.index("place")] == 15
    posting.status = JobPosting.Status.CLOSED
    posting.save()
    assert _wait_for(lambda: not Match.objects.filter(posting=posting).exists())
