"""A real Celery worker against Redis runs our tasks; the beat schedule lives in the database."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django_celery_beat.models import PeriodicTask

from tescforce.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker_queue():
    """Start a worker on a queue of its own (so no other worker steals the task); yield the queue's name."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    command = [
        sys.executable, "-m", "celery", "-A", "tescforce", "worker", "--pool", "solo", "--queues", queue,
        "--hostname", f"{queue}@%h", "--without-gossip", "--without-mingle", "--loglevel", "INFO",
    ]
    log = (ROOT / "test-results")
    log.mkdir(exist_ok=True)
    log_file = (log / f"celery-worker-{queue}.log").open("w")
    worker = subprocess.Popen(  # noqa: S603 - our own worker command
        command, cwd=ROOT, env={**os.environ, "REDIS_URL": settings.REDIS_URL}, stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    try:
        yield queue
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
        log_file.close()
        # Keep the worker's log only when something went wrong.
        if worker.returncode in (0, -15):
            Path(log_file.name).unlink(missing_ok=True)
        # Forget the queue we made in Redis.
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


@pytest.mark.celery_worker
def test_real_worker_runs_the_add_task(worker_queue):
    # send_task always goes through the broker, even if a test made tasks eager.
    result = celery_app.send_task("tescforce.tasks.add", args=(2, 3), queue=worker_queue)
    # An eager task of an earlier test leaves Celery believing it runs inside a task: allow the wait.
    assert result.get(timeout=60, disable_sync_subtasks=False) == 5
    assert result.successful()


@pytest.mark.django_db
def test_beat_schedule_is_copied_to_the_database_after_migrate():
    # pytest-django migrated the test database, which ran the post-migrate hook.
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        task = PeriodicTask.objects.get(name=name)
        assert task.task == entry["task"]
        assert task.enabled


@pytest.mark.django_db
def test_beat_schedule_sync_is_idempotent():
    from tescforce.schedule import sync_beat_schedule

    before = PeriodicTask.objects.count()
    sync_beat_schedule()
    sync_beat_schedule()
    assert PeriodicTask.objects.count() == before
