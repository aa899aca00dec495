"""Versions for caching public page fragments, moved whenever what a page shows changes.

Each group of pages has a version number
that is part of its cache keys, and any save or delete of a model it shows (or a change to one of their
many-to-many links) moves that version, so the next request renders afresh. Keys also carry the day
(pages list what is upcoming or open today); a short lifetime bounds the rest. Only parts without forms
or anything about the visitor are cached: templates wrap them in ``{% get_current_language as lang %}
{% page_version "home" as v %}{% cache 300 home v lang %}``; a view caching what it renders itself
uses key_for/get/put. Writes that bypass signals (queryset.update) call invalidate_on_commit.
"""

import hashlib
import logging
import time

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
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
}


def _key(name: str) -> str:
    return f"tescforce:page:{name}:version"


def version(name: str) -> str:
    """The current version of a page group, with today's date; '' when the cache cannot be read."""
    try:
        current = cache.get(_key(name))
        if current is None:
            cache.add(_key(name), time.time_ns(), None)
            current = cache.get(_key(name))
    except Exception:
        logger.warning("page cache unreadable", exc_info=True)
        return ""
    return f"{current}:{timezone.localdate().isoformat()}"


def invalidate(name: str) -> None:
    try:
        try:
            cache.incr(_key(name))
        except ValueError:  # no version yet, or evicted
            cache.set(_key(name), time.time_ns(), None)
    except Exception:  # an unreachable cache must not stop a save
        logger.warning("page cache: could not move the version of %s", name, exc_info=True)


MAX_QUERY_LENGTH = 300  # longer query strings are rendered but not stored


def key_for(name: str, request) -> str | None:
    """A cache key for a fragment rendered by a view (this page group, language, day and query string)."""
    query = request.GET.urlencode()
    current = version(name)
    if not current or len(query) > MAX_QUERY_LENGTH:
        return None
    digest = hashlib.sha256("&".join(sorted(query.split("&"))).encode()).hexdigest()[:32]
    return f"tescforce:page:{name}:{current}:{translation.get_language()}:{request.path}:{digest}"


def get(key: str | None) -> str | None:
    if key is None:
        return None
    try:
        return cache.get(key)
    except Exception:
        logger.warning("page cache unreadable", exc_info=True)
        return None


def put(key: str | None, fragment: str) -> None:
    if key is None:
        return
    try:
        cache.set(key, fragment, TTL)
    except Exception:
        logger.warning("page cache unwritable", exc_info=True)


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
