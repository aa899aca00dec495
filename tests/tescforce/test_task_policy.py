import importlib
import importlib.util

import pytest
from django.db import DatabaseError

from tescforce.celery import app as celery_app
from tescforce.tasks import RetryingTask

ROOMS = ("tescforce", "candidates", "companies", "events", "hotline", "matching", "partners", "alerts", "showroom",
         "prospecting")

# Names kept for messages already queued and beat entries stored before the hotline and matching moved.
OLD_NAMES = (
    "candidates.hotline_tasks.hotline_callback_acknowledge", "candidates.hotline_tasks.hotline_digest_send",
    "candidates.hotline_tasks.hotline_digest_dispatch", "candidates.matching_tasks.matches_refresh",
    "candidates.matching_tasks.matches_recompute_nightly", "candidates.matching_tasks.send_interview_release_notice",
)


def project_tasks() -> dict:
    for room in ROOMS:
        if importlib.util.find_spec(f"{room}.tasks"):  # companies has no task of its own
            importlib.import_module(f"{room}.tasks")
    return {name: task for name, task in celery_app.tasks.items() if name.split(".")[0] in ROOMS}


def test_every_project_task_runs_on_the_base_retry_policy():
    tasks = project_tasks()
    assert len(tasks) > 20
    for name, task in tasks.items():
        assert isinstance(task, RetryingTask), name
        assert task.acks_late and task.reject_on_worker_lost, name
        assert task.retry_backoff is True and task.retry_jitter, name
        # Below the broker's visibility timeout: a task waiting for its retry is never handed out twice.
        assert 0 < task.retry_backoff_max <= 600, name
        assert 0 < task.max_retries <= 8, name


def test_old_task_names_still_answer():
    tasks = project_tasks()
    for name in OLD_NAMES:
        assert isinstance(tasks[name], RetryingTask), name


@pytest.mark.parametrize(("name", "retry_on", "max_retries"), [
    ("candidates.tasks.purge_unconfirmed_candidates", (Exception,), 5),
    ("hotline.tasks.hotline_digest_send", (OSError,), 5),
    ("matching.tasks.matches_recompute_nightly", (DatabaseError,), 5),
    ("prospecting.tasks.send_daily_reminders", (Exception,), 3),
    ("events.tasks.deliver_message", (), 8),
])
def test_tasks_keep_what_they_retry_on(name, retry_on, max_retries):
    task = project_tasks()[name]
    assert tuple(task.autoretry_for) == retry_on
    assert task.max_retries == max_retries
