"""The shared cache: Django's Redis backend, keeping one client per server, and reading as a miss when Redis fails.

Django's backend builds a new redis.Redis object on every call; building it costs more than a GET on a
local Redis, and a cached page makes several calls. The client is thread-safe (its connection pool is)
and the pool resets itself in a forked process.

The cache only saves work: every value in it can be computed again. So when Redis cannot be reached, a
read is a miss and a write is dropped, and the page is computed from the database instead of failing.
After a failure the process leaves that server alone for `PAUSE_SECONDS`: a page makes several cache calls,
and each would otherwise wait for its own failed connection. Redis's own retries and the settings'
socket timeouts bound the first wait.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 5.0

# Per server address and per process: Django builds one backend per thread.
_paused_until: dict[str, float] = {}
_lock = threading.Lock()


class _ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


_MISSING = object()


class SharedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient
        self._address = ",".join(self._servers)

    def _run(self, call, miss):
        """`call()`, or `miss` when Redis is paused or fails."""
        if _paused_until.get(self._address, 0.0) > time.monotonic():
            return miss
        try:
            return call()
        except RedisError as error:
            with _lock:
                already = _paused_until.get(self._address, 0.0) > time.monotonic()
                _paused_until[self._address] = time.monotonic() + PAUSE_SECONDS
            if not already:
                # Once per pause: a failing Redis must not flood the logs with one line per cache call.
                logger.warning("shared cache unreachable (%s); pages are computed without it for %.0f s",
                               type(error).__name__, PAUSE_SECONDS, exc_info=True)
            return miss

    def get(self, key, default=None, version=None):
        return self._run(lambda: RedisCache.get(self, key, default, version), default)

    def get_many(self, keys, version=None):
        return self._run(lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key, version=None):
        return self._run(lambda: RedisCache.has_key(self, key, version), False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run(lambda: RedisCache.add(self, key, value, timeout, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._run(lambda: RedisCache.set(self, key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's meaning of the answer: the keys that could not be stored.
        return self._run(lambda: RedisCache.set_many(self, data, timeout, version), list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run(lambda: RedisCache.touch(self, key, timeout, version), False)

    def delete(self, key, version=None):
        return self._run(lambda: RedisCache.delete(self, key, version), False)

    def delete_many(self, keys, version=None):
        self._run(lambda: RedisCache.delete_many(self, keys, version), None)

    def incr(self, key, delta=1, version=None):
        value = self._run(lambda: RedisCache.incr(self, key, delta, version), _MISSING)
        if value is _MISSING:
            raise ValueError(f"Key {key!r} not found (shared cache unreachable)")
        return value

    def clear(self):
        return self._run(lambda: RedisCache.clear(self), False)
