"""The shared cache backend (tescforce.cache) and the page parts views cache (tescforce.page_cache)."""

import os

import pytest
from django.core.cache import cache
from django.http import Http404

from tescforce import page_cache
from tescforce.cache import SharedRedisCache


@pytest.fixture
def redis_cache():
    # The suite swaps the settings' cache for memory (tests/conftest.py): build the backend from the address.
    backend = SharedRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "tescforce-test-shared-cache"})
    yield backend
    backend.delete_many(["a", "b", "n"])


@pytest.mark.redis
def test_shared_redis_cache_keeps_one_client_and_behaves_as_djangos(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client(write=True) is client  # one server: reads and writes share it
    redis_cache.set("a", {"x": 1}, 30)
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.add("a", "other", 30) is False
    assert redis_cache.get_many(["a", "b"]) == {"a": {"x": 1}}
    redis_cache.set("n", 1, 30)
    assert redis_cache.incr("n") == 2
    with pytest.raises(ValueError):
        redis_cache.incr("b")  # page_cache.invalidate relies on this for a missing version
    redis_cache.delete("a")
    assert redis_cache.get("a") is None


def test_cached_parts_builds_once_then_again_after_a_change():
    calls = []

    def build():
        calls.append(1)
        return {"main": f"rendered {len(calls)}"}

    first = page_cache.cached_parts(("posting",), "posting:x", build)
    again = page_cache.cached_parts(("posting",), "posting:x", build)
    assert first == again == {"main": "rendered 1"}
    page_cache.invalidate("posting")
    assert page_cache.cached_parts(("posting",), "posting:x", build) == {"main": "rendered 2"}
    # Another group's change does not touch it; a group it lists does.
    page_cache.invalidate("showroom")
    assert page_cache.cached_parts(("posting", "sessions"), "posting:x", build) == {"main": "rendered 3"}
    page_cache.invalidate("sessions")
    assert page_cache.cached_parts(("posting", "sessions"), "posting:x", build) == {"main": "rendered 4"}


class _Watched:
    """The cache, with a record of the keys read; `down` makes every call fail."""

    def __init__(self, down=False):
        self.reads, self.down = [], down

    def __getattr__(self, name):
        if self.down:
            raise ConnectionError("cache down")
        return getattr(cache, name)

    def get(self, key, *args, **kwargs):
        self.reads.append(key)
        return self.__getattr__("get")(key, *args, **kwargs)


def test_cached_parts_local_copy_answers_without_the_shared_cache(monkeypatch):
    page_cache.cached_parts(("company",), "company:y", lambda: {"main": "one"})
    watched = _Watched()
    monkeypatch.setattr(page_cache, "cache", watched)
    assert page_cache.cached_parts(("company",), "company:y", lambda: {"main": "two"}) == {"main": "one"}
    assert watched.reads == []  # the versions come in one get_many; the parts from this process's copy


def test_cached_parts_a_copy_from_another_process_is_used_after_the_local_one_is_gone():
    page_cache.cached_parts(("company",), "company:z", lambda: {"main": "shared"})
    page_cache.clear_local()  # as in another worker process
    assert page_cache.cached_parts(("company",), "company:z", lambda: {"main": "rebuilt"}) == {"main": "shared"}


def test_cached_parts_caches_no_failure_and_stays_bounded(monkeypatch):
    def missing():
        raise Http404

    with pytest.raises(Http404):
        page_cache.cached_parts(("posting",), "posting:missing", missing)
    assert page_cache.cached_parts(("posting",), "posting:missing", lambda: {"main": "now"}) == {"main": "now"}
    monkeypatch.setattr(page_cache, "LOCAL_ENTRIES", 3)
    for i in range(10):
        page_cache.cached_parts(("posting",), f"posting:{i}", lambda: {"main": "x"})
    assert len(page_cache._local) == 3


def test_cached_parts_still_renders_when_the_cache_is_down(monkeypatch):
    monkeypatch.setattr(page_cache, "cache", _Watched(down=True))
    assert page_cache.cached_parts(("posting",), "posting:q", lambda: {"main": "fresh"}) == {"main": "fresh"}
