"""Erasure: what every room does when a person leaves, and the tools to leave no copy behind.

A person leaves in four ways: they erase their account from Mon espace, a coordinator erases it in
the admin, the 2-year anonymisation (CNIL) reaches them, or the 7-day purge of unconfirmed sign-ups
does. All four run one routine, `candidates.services.candidate_erase`, which builds a `Subject`
(before any value is blanked) and, inside its transaction, calls `run(subject)`: every hook
registered here runs, in order. This is the one place where "on erasure" actions plug in.

Each room registers what it holds about a person from its AppConfig.ready():

    erasure.register("showroom", lambda subject: contact_requests_erase(emails=subject.emails), order=60)

hook(subject) removes or blanks the person's values in the room's own tables, their history rows
(`purge_history`) and admin-log entries (`scrub_admin_log`), and plans e-mails with
`transaction.on_commit` (taking the values it needs now: they are blanked before the commit).
A hook that raises undoes the whole erasure. This module imports no app.

Also here, for the daily schedule: expired sessions and old login records go (`sessions_clear_expired`,
`login_records_purge`).
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from importlib import import_module
from operator import or_
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# What the admin log shows instead of the name of an erased person's object.
PLACEHOLDER = _("[anonymisé]")


@dataclass(frozen=True)
class Subject:
    """The person being erased, as they were just before: their row and the values that find them elsewhere."""

    candidate: Any
    reason: str
    # Lower-cased e-mail addresses and E.164 phone numbers that rows without a link to the person carry.
    emails: frozenset[str] = field(default_factory=frozenset)
    phones: frozenset[str] = field(default_factory=frozenset)
    # Texts that name the person (full name, e-mail, phone), searched in the admin log.
    names: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Hook:
    name: str
    run: Callable[[Subject], Any]
    order: int


_HOOKS: dict[str, Hook] = {}


def register(name: str, hook: Callable[[Subject], Any], *, order: int = 100) -> None:
    """Run `hook(subject)` on every erasure (lower `order` first; registering a name again replaces it)."""
    _HOOKS[name] = Hook(name, hook, order)


def hooks() -> list[Hook]:
    return sorted(_HOOKS.values(), key=lambda h: (h.order, h.name))


def run(subject: Subject) -> None:
    """Run every registered hook for `subject`; call it inside the erasure's transaction."""
    for hook in hooks():
        hook.run(subject)


# --- tools for the hooks -----------------------------------------------------------------------------

def purge_history(model, **lookup) -> int:
    """Delete the audit-trail rows (django-simple-history) of `model` matching `lookup`; return how many."""
    history = getattr(model, "history", None)
    if history is None:
        return 0
    deleted, _rows = history.filter(**lookup).delete()
    return deleted


def scrub_admin_log(model, pks: Iterable) -> int:
    """Blank the name and change message the admin log keeps for these objects; return how many entries."""
    ids = [str(pk) for pk in pks]
    if not ids:
        return 0
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
                                   object_id__in=ids).update(object_repr=str(PLACEHOLDER), change_message="")


def scrub_admin_log_mentioning(texts: Iterable[str]) -> int:
    """Blank admin-log entries of any object whose name or change message holds one of `texts`."""
    terms = [t for t in {(t or "").strip() for t in texts} if len(t) >= 5]  # nothing shorter is a name
    if not terms:
        return 0
    query = reduce(or_, (Q(object_repr__icontains=t) | Q(change_message__icontains=t) for t in terms))
    return LogEntry.objects.filter(query).update(object_repr=str(PLACEHOLDER), change_message="")


def end_sessions(holds: Callable[[dict], bool]) -> int:
    """Delete every stored session whose data `holds` something of the person; return how many.

    Expired rows go first (what clearsessions does); the live ones are decoded one by one. A session
    engine without a table (cache, signed cookies) keeps nothing server-side to delete here.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    store_class.clear_expired()
    if not hasattr(store_class, "get_model_class"):
        return 0
    model = store_class.get_model_class()
    store = store_class()
    doomed = []
    for key, data in model.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", "session_data"):
        decoded = store.decode(data)
        if isinstance(decoded, dict) and holds(decoded):
            doomed.append(key)
    if not doomed:
        return 0
    deleted, _rows = model.objects.filter(session_key__in=doomed).delete()
    return deleted


# --- the daily housekeeping ----------------------------------------------------------------------------

def sessions_clear_expired() -> None:
    """Delete expired sessions (Django's clearsessions), which still hold what their visitor left in them."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


def login_records_purge(*, now: dt.datetime | None = None) -> int:
    """Delete django-axes login attempts and access logs older than LOGIN_RECORDS_RETENTION_DAYS; return how many."""
    days = settings.LOGIN_RECORDS_RETENTION_DAYS
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    count = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        deleted, _rows = model.objects.filter(attempt_time__lt=cutoff).delete()
        count += deleted
    if count:
        logger.info("old login records purged", extra={"count": count, "days": days})
    return count
