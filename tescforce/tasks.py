from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "worker:heartbeat"


@shared_task
def heartbeat() -> str:
    """Record that a worker ran a task just now; /readyz/ reads it."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=3600)
    return now


@shared_task
def add(x: int, y: int) -> int:
    """A trivial task used to prove a worker answers."""
    return x + y


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def clear_expired_sessions() -> None:
    """Nightly: delete expired sessions (what `manage.py clearsessions` does)."""
    from .erasure import sessions_clear_expired

    sessions_clear_expired()


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def purge_old_login_records() -> int:
    """Nightly: delete login attempts and access logs older than LOGIN_RECORDS_RETENTION_DAYS."""
    from .erasure import login_records_purge

    return login_records_purge()
