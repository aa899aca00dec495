import logging
from smtplib import SMTPException, SMTPRecipientsRefused, SMTPResponseException

from celery import Task, current_app, shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from .erasure import login_records_purge, sessions_clear_expired

logger = logging.getLogger(__name__)

# A mail server or broker that fails: the action that queued the task is saved all the same.
DELIVERY_ERRORS = (SMTPException, OSError, OperationalError)

HEARTBEAT_KEY = "worker:heartbeat"


class RetryingTask(Task):
    """The base of every task of the project: the retry policy, stated once.

    A task that fails with one of `autoretry_for` runs again up to `max_retries` times, after about
    1 s, 2 s, 4 s… (full jitter, never more than `retry_backoff_max`). It is acknowledged late and
    handed back when its worker dies, so it may run twice: every task is idempotent. A task narrows
    what it retries on (`autoretry_for=(OSError,)`), or retries by hand with `retry_later` when in-process
    it must not (`autoretry_for=()`), through its own options.
    """

    autoretry_for = (Exception,)
    retry_backoff = True
    retry_backoff_max = 600  # seconds; below the broker's visibility timeout (settings)
    retry_jitter = True
    max_retries = 5
    acks_late = True
    reject_on_worker_lost = True


# A task that retries by hand with `retry_later` (a send whose failure in-process must not be retried at once).
RETRY_BY_HAND = {"bind": True, "autoretry_for": (), "max_retries": 8}


def retrying_task(*args, **options):
    """`shared_task` on the project's base: `@retrying_task` or `@retrying_task(name=…, max_retries=8)`."""
    return shared_task(*args, base=RetryingTask, **options)


def delivery_error(exc: BaseException) -> str:
    """Describe a failed send without its text: SMTP replies and refusals quote the recipients' addresses."""
    name = type(exc).__name__
    if isinstance(exc, SMTPRecipientsRefused):
        return f"{name} ({len(exc.recipients)} refused)"
    if isinstance(exc, SMTPResponseException):
        return f"{name} {exc.smtp_code}"
    if isinstance(exc, OSError) and exc.errno:
        return f"{name} errno {exc.errno}"
    return name


@retrying_task(autoretry_for=())  # a probe: a failure shows at once, never after retries
def heartbeat() -> str:
    """Record that a worker ran a task just now; /readyz/ reads it."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=3600)
    return now


def first_heartbeat(**kwargs) -> None:
    """On a worker's start: queue a heartbeat at once (connected to celery's worker_ready)."""
    heartbeat.delay()


@retrying_task(autoretry_for=())
def add(x: int, y: int) -> int:
    """A trivial task used to prove a worker answers."""
    return x + y


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` once the transaction commits; a failing mail server or broker never undoes the action.

    `task` is a task or the name it is registered under: a services module names the tasks of its
    app's tasks module, which imports the services (the app's ready() imports the tasks module).
    With no broker the task runs here, in the request: its failure is logged, not shown as an error
    page, and what it should have sent is still recorded for a later retry (an outbox row the sweeper
    reads, or the person asking again).
    """
    if isinstance(task, str):
        task = current_app.tasks[task]  # an unknown name fails here, in the action, not after the commit

    def run():
        try:
            task.delay(*args, **kwargs)
        except DELIVERY_ERRORS as exc:
            logger.error("task %s could not run after its action was saved: %s", task.name, delivery_error(exc))

    transaction.on_commit(run)


def retry_later(task, exc: Exception):
    """Raise the task's retry with exponential backoff (30 s doubling to its `retry_backoff_max`, jittered).

    In-process (eager) there is no later: re-raise at once, and let the outbox row wait for the sweeper
    rather than hold the request through several retries.
    """
    if task.request.is_eager:
        raise exc
    countdown = get_exponential_backoff_interval(factor=30, retries=task.request.retries,
                                                 maximum=task.retry_backoff_max, full_jitter=True)
    raise task.retry(exc=exc, countdown=countdown)


@retrying_task
def clear_expired_sessions() -> None:
    """Nightly: delete expired sessions (what `manage.py clearsessions` does)."""
    sessions_clear_expired()


@retrying_task
def purge_old_login_records() -> int:
    """Nightly: delete login attempts and access logs older than LOGIN_RECORDS_RETENTION_DAYS."""
    return login_records_purge()
