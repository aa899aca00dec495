"""Versions for caching public page fragments, moved whenever what a page shows changes.

Each group of pages has a version number
that is part of its cache keys, and any save or delete of a model it shows (or a change to one of their
many-to-many links) moves that version, so the next request renders afresh. Keys also carry the day
(pages list what is upcoming or open today); a short lifetime bounds the rest. Only parts without forms
or anything about the visitor are cached: templates wrap them in ``{% get_current_language as lang %}
{% page_version "home" as v %}{% cache 300 home v lang %}``; a view caching what it renders itself
uses cached_list (a list keyed by the query parameters it declares), or cached_parts for a page's
visitor-independent parts (one cache call per page).
Writes that bypass signals (queryset.update) call invalidate_on_commit.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import QueryDict
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

TTL = 300  # seconds, for the template fragments keyed with version()

# The models each group of pages shows ("app_label.Model"); a change to any of them moves its version.
WATCHED: dict[str, tuple[str, ...]] = {
    "board": ("companies.JobPosting", "companies.Company", "companies.JobFamily", "companies.Skill"),
    "home": ("companies.JobPosting", "companies.Company", "events.Session", "showroom.UseCase",
             "showroom.Sector"),
    "posting": ("companies.JobPosting", "companies.Company", "companies.JobFamily", "companies.Skill"),
    "sessions": ("events.Session", "events.Registration", "events.Edition", "events.Programme"),
    "session": ("events.Session", "events.Edition", "events.Programme", "events.SessionCompany",
                "events.SessionPartner", "companies.Company", "companies.JobPosting", "companies.Partner"),
    "showroom": ("showroom.UseCase", "showroom.Sector", "showroom.Technology", "showroom.UseCaseImage",
                 "companies.Company"),
    "company": ("companies.Company", "companies.CompanySite", "companies.JobPosting", "companies.JobFamily",
                "showroom.UseCase", "showroom.Sector"),
    # The public course list and the courses' open data.
    "courses": ("partners.Course", "companies.Partner", "companies.Skill"),
}


def _key(name: str) -> str:
    return f"tescforce:page:{name}:version"


def version(name: str) -> str:
    """The current version of a page group, with today's date; '' when the cache cannot be read."""
    return versions(name)


def invalidate(name: str) -> None:
    try:
        try:
            cache.incr(_key(name))
        except ValueError:  # no version yet, or evicted
            cache.set(_key(name), time.time_ns(), None)
    except Exception:  # an unreachable cache must not stop a save
        logger.warning("page cache: could not move the version of %s", name, exc_info=True)


# Parts cached by views are kept in this process's memory too. Their keys carry the versions, which are
# read from the shared cache on every request, so a local copy is never stale; it saves a round trip and
# unpickling. Bounded: least recently used entries go first.
LOCAL_ENTRIES = 2000
_local: OrderedDict[str, tuple[float, object]] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str):
    with _local_lock:
        entry = _local.get(key)
        if entry is None:
            return None
        if entry[0] <= time.time():
            del _local[key]
            return None
        _local.move_to_end(key)
        return entry


def _local_put(key: str, entry: tuple[float, object]) -> None:
    with _local_lock:
        _local[key] = entry
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


MAX_QUERY_LENGTH = 300  # longer query strings are rendered but not stored


def known_query(request, known: Iterable[str]) -> QueryDict:
    """The query string reduced to the parameters a page knows, the only ones it may render from.

    Unknown parameters are dropped, so junk added to a URL can neither fill the cache (which shares its
    Redis with the task queue) nor show up in the page's links; a repeated parameter keeps the value the
    page reads (the last), empty ones go, and `page` is kept only as a whole number above 1.
    """
    params = QueryDict(mutable=True)
    for name in sorted(set(known)):
        value = request.GET.get(name)
        if value is None or value == "":
            continue
        if name == "page":
            if not value.isdigit() or len(value) > 6 or int(value) <= 1:
                continue
            value = str(int(value))
        params[name] = value
    return params


def shown_query(params: QueryDict, page_number: int, valid: bool = True) -> QueryDict | None:
    """What a list actually showed: the known parameters with the page the paginator settled on (a page
    beyond the last shows the last), or None when the filters were refused (such a page is not stored)."""
    if not valid:
        return None
    shown = params.copy()
    shown.pop("page", None)
    if page_number > 1:
        shown["page"] = str(page_number)
    return shown


def key_for(name: str, request, params: QueryDict) -> str | None:
    """A cache key for a fragment rendered by a view (this page group, language, day and known parameters)."""
    query = params.urlencode()
    current = version(name)
    if not current or len(query) > MAX_QUERY_LENGTH:
        return None
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return f"tescforce:page:{name}:{current}:{translation.get_language()}:{request.path}:{digest}"


def cached_list(name: str, request, known: Iterable[str],
                render: Callable[[QueryDict], tuple[str, QueryDict | None]]) -> str:
    """A list page's fragment for this request, rendered by `render` from the known parameters only.

    `render` returns the fragment and what it showed (shown_query); it is stored under that, so that
    `?page=99999` does not make an entry of its own, and not at all when the filters were refused.
    """
    params = known_query(request, known)
    content = get(key_for(name, request, params))
    if content is None:
        content, shown = render(params)
        if shown is not None:
            put(key_for(name, request, shown), content)
    return content


def get(key: str | None):
    """What is stored under a versioned key (key_for, cached_parts): this process's copy, else the shared one."""
    if key is None:
        return None
    entry = _local_get(key)
    if entry is None:
        try:
            entry = cache.get(key)
        except Exception:
            logger.warning("page cache unreadable", exc_info=True)
            return None
        if not isinstance(entry, tuple) or entry[0] <= time.time():
            return None
        _local_put(key, entry)
    return entry[1]


def put(key: str | None, fragment) -> None:
    if key is None:
        return
    entry = (time.time() + TTL, fragment)
    _local_put(key, entry)
    try:
        cache.set(key, entry, TTL)
    except Exception:
        logger.warning("page cache unwritable", exc_info=True)


def versions(*names: str) -> str:
    """The current versions of several page groups and today's date, read in one call; '' when unreadable."""
    keys = [_key(name) for name in names]
    try:
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                cache.add(key, time.time_ns(), None)
                found[key] = cache.get(key)
    except Exception:
        logger.warning("page cache unreadable", exc_info=True)
        return ""
    return ":".join(str(found[key]) for key in keys) + f":{timezone.localdate().isoformat()}"


def clear_local() -> None:
    with _local_lock:
        _local.clear()


def cached_parts(names: tuple[str, ...], name: str, build: Callable[[], dict]) -> dict:
    """Return what `build` returns (rendered fragments and plain facts, nothing about the visitor), cached
    under the current versions of the page groups `names`, the language and `name` for TTL seconds.

    An exception raised by `build` (Http404…) passes through and nothing is cached.
    """
    current = versions(*names)
    if not current:
        return build()
    key = f"tescforce:parts:{name}:{translation.get_language()}:{current}"
    parts = get(key)
    if parts is None:
        parts = build()
        put(key, parts)
    return parts


def cached_items(names: tuple[str, ...], kind: str, ids: Iterable[int],
                 render: Callable[[list[int]], dict[int, str]]) -> list[str]:
    """The rendered fragment of each item (a posting's card on the board), in the order of `ids`.

    Each is cached on its own under the versions of the page groups `names` and the language, so a list
    URL never requested before still finds the cards that other lists rendered since the last change;
    `render` gets the ids not found and returns {id: fragment}; an id it leaves out (deleted meanwhile) is
    left out of the list. Cards are many (one per posting and language), so they stay in the shared cache
    only, not in this process's bounded copy of the parts.
    """
    ids = list(ids)
    found = cached_items_by_id(names, kind, ids, render)
    return [found[pk] for pk in ids if pk in found]


def cached_items_by_id(names: tuple[str, ...], kind: str, ids: Iterable[int],
                       render: Callable[[list[int]], dict[int, str]]) -> dict[int, str]:
    """cached_items as {id: fragment}, for a list that arranges the items itself (grouped by city…)."""
    ids = list(dict.fromkeys(ids))
    current = versions(*names)
    if not current:
        return render(ids) if ids else {}
    prefix = f"tescforce:item:{kind}:{translation.get_language()}:{current}:"
    keys = {pk: f"{prefix}{pk}" for pk in ids}
    try:
        stored = cache.get_many(list(keys.values())) if keys else {}
    except Exception:
        logger.warning("page cache unreadable", exc_info=True)
        stored = {}
    now = time.time()
    found = {}
    for pk, key in keys.items():
        entry = stored.get(key)
        if isinstance(entry, tuple) and entry[0] > now:
            found[pk] = entry[1]
    missing = [pk for pk in ids if pk not in found]
    if missing:
        rendered = render(missing)
        found.update(rendered)
        try:
            cache.set_many({keys[pk]: (now + TTL, rendered[pk]) for pk in missing if pk in rendered}, TTL)
        except Exception:
            logger.warning("page cache unwritable", exc_info=True)
    return found


def invalidate_on_commit(*names: str) -> None:
    """Move the versions now and again once the transaction commits: a page rendered in between from the
    data still committed must not stay cached under the new version."""
    for name in names:
        invalidate(name)
    transaction.on_commit(lambda: [invalidate(name) for name in names])


def invalidate_watching(label: str) -> None:
    """Move every page group showing this model ("app_label.Model"), for writes that send no signal."""
    invalidate_on_commit(*[name for name, labels in WATCHED.items() if label in labels])


def _receiver(names: tuple[str, ...]):
    def moved(sender, **kwargs) -> None:
        if kwargs.get("action", "post_").startswith("post_"):
            invalidate_on_commit(*names)
    return moved


_receivers = []  # signals hold receivers weakly


def connect() -> None:
    """Wire the signals (from TescforceConfig.ready)."""
    by_model: dict[str, list[str]] = {}
    for name, labels in WATCHED.items():
        for label in labels:
            by_model.setdefault(label, []).append(name)
    for label, names in by_model.items():
        model = apps.get_model(label)
        receiver = _receiver(tuple(names))
        _receivers.append(receiver)
        uid = f"tescforce-page-cache-{label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(receiver, sender=through, dispatch_uid=f"{uid}-{field.name}")
