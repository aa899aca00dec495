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
