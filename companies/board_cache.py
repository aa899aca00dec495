"""A short-lived cache of the job board's rendered list, dropped whenever what it shows changes.

The list (filters and results) is the same for every visitor, so it is rendered once per URL, language
and day. Any save or delete of a posting, a company, a skill or a job family, and any change to a
posting's skills, moves a version number that is part of every key: the next request renders afresh.
The page around it (CSRF token, messages) is rendered per request.
"""

import hashlib
import logging
import time

from django.core.cache import cache
from django.utils import timezone, translation

VERSION_KEY = "companies:board:version"
TTL = 300  # seconds; the version makes staleness impossible for changes that go through the ORM
MAX_QUERY_LENGTH = 300  # longer query strings are rendered but not stored

logger = logging.getLogger(__name__)


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        current = time.time_ns()
        cache.add(VERSION_KEY, current, None)
        current = cache.get(VERSION_KEY, current)
    return current


def invalidate() -> None:
    """Make every cached board stale (called from signals on any change it shows)."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet, or evicted
            cache.set(VERSION_KEY, time.time_ns(), None)
    except Exception:  # an unreachable cache must not stop a save; nothing can be read from it either
        logger.warning("job board cache: could not move the version", exc_info=True)


def get(key: str | None) -> str | None:
    if key is None:
        return None
    try:
        return cache.get(key)
    except Exception:
        logger.warning("job board cache unreadable", exc_info=True)
        return None


def put(key: str | None, board: str) -> None:
    if key is None:
        return
    try:
        cache.set(key, board, TTL)
    except Exception:
        logger.warning("job board cache unwritable", exc_info=True)


def key_for(request) -> str | None:
    """The cache key of this board request, or None when it is not worth storing (or the cache is down)."""
    query = request.GET.urlencode()
    if len(query) > MAX_QUERY_LENGTH:
        return None
    try:
        current = version()
    except Exception:
        logger.warning("job board cache unreadable", exc_info=True)
        return None
    normalised = "&".join(sorted(query.split("&")))
    digest = hashlib.sha256(normalised.encode()).hexdigest()[:32]
    return (f"companies:board:{current}:{translation.get_language()}:{timezone.localdate().isoformat()}:"
            f"{digest}")
