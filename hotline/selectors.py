"""Reads for the hotline: caller search, queues, follow-ups and a candidate's timeline."""

import datetime as dt
import operator
from collections.abc import Iterator
from contextlib import contextmanager
from functools import reduce

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Lower
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, NameWord, StageChange
from candidates.search import (
    holds_every_token,
    matching_candidates,
    normalise_query,
    searchable,
)
from events.models import Registration
from tescforce.permissions import can_see_hotline
from tescforce.scoping import scope_queryset
from tescforce.text import Fold, StrictWordSimilarity, fold, register_sqlite_function

from .models import CallbackRequest, HotlineCall, RelocationRequest

SEARCH_LIMIT = 20
OTHER_RESULTS_LIMIT = 10  # unregistered callers' calls, call-back requests
# How many names in order a search tests before sorting its matches instead (candidate_search).
WALK_ROWS = 500
# How close a word must be to what was typed (pg_trgm's strict word similarity, 0 to 1): "rokes" and
# "roques" share 3 of their 10 trigrams (0.3); 0.29 rather than 0.3 keeps the float rounding of either
# backend from deciding.
FUZZY_THRESHOLD = 0.29
FUZZY_MIN_LENGTH = 3
CLOSE_WORDS = 30  # per misspelt token, the words of names closest to it that the search looks for
ACTIVE_RELOCATION = (RelocationRequest.Status.OPEN, RelocationRequest.Status.IN_PROGRESS)



def _last_calls() -> Prefetch:
    last_calls = HotlineCall.objects.select_related("logged_by").order_by("-created_at")
    return Prefetch("calls", queryset=last_calls[:3], to_attr="last_calls")


def candidate_search(*, query: str, limit: int = SEARCH_LIMIT) -> QuerySet:
    """Return the living candidates whose name, e-mail or phone contain every token of `query`, by name.

    The trigram index finds the rows holding the tokens; sorting them by name reads each one. A token most
    people share (a mail domain) made that every row: 400 to 430 ms for "example.org" on 100,000 candidates.
    So the first names in order are tested first (`_first_by_name`, about 2 ms): a token that common is found
    there, and any other search is sorted as before. Phone digits are never that common: they go straight to
    the index.
    """
    parsed = normalise_query(query)
    if not parsed.usable:
        return Candidate.objects.none()
    walked = None if parsed.is_phone else _first_by_name(parsed, limit)
    if walked is None:
        return candidate_matches(parsed, limit)
    return _by_name(Candidate.objects.filter(pk__in=walked))[:limit]


def _by_name(candidates: QuerySet) -> QuerySet:
    # Ordered on expressions, not the bare columns: otherwise PostgreSQL may walk the name index in order
    # and filter every row for a text found nowhere (650 ms on 100,000 candidates instead of 1 ms).
    return (candidates.order_by(Coalesce("last_name", Value("")), Coalesce("first_name", Value("")), "pk")
            .prefetch_related(_last_calls()))


def candidate_matches(parsed, limit: int = SEARCH_LIMIT) -> QuerySet:
    """The first `limit` living candidates by name holding every token, found through the trigram index."""
    return _by_name(matching_candidates(parsed))[:limit]


def _first_by_name(parsed, limit: int) -> list[int] | None:
    """The ids of the first `limit` living candidates by name whose search text holds every token, or None
    when they are not all within the first `WALK_ROWS` names.

    One query reads those names in the name index's order and tests each row in its select list, not in a
    WHERE that the planner would answer from the trigram index again.
    """
    rows = list(walk_rows(parsed))
    found = [pk for pk, hit in rows if hit][:limit]
    return found if len(found) == limit or len(rows) < WALK_ROWS else None


def walk_rows(parsed) -> QuerySet:
    """(id, holds every token) of the first `WALK_ROWS` living candidates by name (`candidate_living_name_idx`)."""
    return (searchable().order_by("last_name", "first_name", "pk")
            .annotate(hit=ExpressionWrapper(holds_every_token(parsed), output_field=BooleanField()))
            .values_list("pk", "hit")[:WALK_ROWS])


def may_be_misspelt(token: str) -> bool:
    """Return whether a search token may match a close word: a name, not an e-mail, a number or a fragment."""
    return len(token) >= FUZZY_MIN_LENGTH and "@" not in token and not any(ch.isdigit() for ch in token)


def close_name_words(token: str) -> list[str]:
    """The words of living candidates' names close to `token` (`NameWord`, PostgreSQL only), closest first.

    Run inside `_trigram_transaction()`: the index's operator reads its threshold.
    """
    similarity = StrictWordSimilarity(Value(token), F("word"))
    return list(NameWord.objects.filter(word__trigram_strict_word_similar=token)
                .filter(GreaterThanOrEqual(similarity, FUZZY_THRESHOLD))
                .order_by(similarity.desc(), "word").values_list("word", flat=True)[:CLOSE_WORDS])


def _fuzzy(text: str, name: str, tokens: tuple[str, ...], *, indexed: bool = False,
           words: bool = False) -> tuple[Q, object]:
    """Return (condition, score) for rows whose `text` holds every token, or whose `name` has a word close to it.

    Only names are compared loosely: e-mail addresses and numbers share too many trigrams ("example.org")
    to mean anything. A token that `may_be_misspelt` says no to must be found as typed. The score adds,
    per token, 1 when it is found as typed, else its trigram similarity to the name. `indexed` adds
    pg_trgm's operator on `name`, so that PostgreSQL picks the close rows through a trigram index on
    `name`; its threshold is set by `_trigram_threshold`. With `words` (the candidates' names, on
    PostgreSQL), the close words are looked up first (`close_name_words`) and the rows holding one of them
    come through the index for each word as typed: a five-letter token close to thousands of names
    otherwise had the index hand back each of them to be compared again.
    """
    postgresql = connection.vendor == "postgresql"
    condition, parts = Q(), []
    for token in tokens:
        contained = Q(**{f"{text}__contains": token})
        if not may_be_misspelt(token):
            condition &= contained
            parts.append(Value(1.0))
            continue
        similarity = StrictWordSimilarity(Value(token), F(name))
        close = Q(GreaterThanOrEqual(similarity, FUZZY_THRESHOLD))
        if words and postgresql:
            close &= reduce(operator.or_, (Q(**{f"{name}__contains": word}) for word in close_name_words(token)),
                            Q(pk__in=[]))
        elif indexed and postgresql:
            close &= Q(**{f"{name}__trigram_strict_word_similar": token})
        condition &= contained | close
        parts.append(Case(When(contained, then=Value(1.0)), default=similarity, output_field=FloatField()))
    return condition, reduce(operator.add, parts, Value(0.0))


def _folded_name(*fields: str) -> Fold:
    """The folded name made of `fields`, as the loose comparison reads it."""
    pieces = [item for field in fields for item in (Value(" "), field)][1:]
    return Fold(Concat(*pieces, output_field=TextField()) if len(pieces) > 1 else pieces[0])


def _trigram_threshold() -> None:
    """Give pg_trgm's `%>>` operator our threshold, for the current transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.strict_word_similarity_threshold', %s, true)",
                           [str(FUZZY_THRESHOLD)])


@contextmanager
def _trigram_transaction() -> Iterator[None]:
    """A transaction whose trigram operator uses our threshold: where the indexed close-name searches run."""
    with transaction.atomic():
        _trigram_threshold()
        yield


def candidate_close_matches(*, tokens: tuple[str, ...], exclude=()) -> QuerySet:
    """Return the living candidates whose search text holds each token or whose name has a word close to it,
    the closest first.

    On PostgreSQL, run it inside `_trigram_transaction()` (the index's operator reads its threshold).
    """
    condition, score = _fuzzy("search_text", "name_text", tokens, words=True)
    return (
        searchable()
        .filter(condition).exclude(pk__in=list(exclude)).annotate(score=score)
        .order_by("-score", "last_name", "first_name", "pk").prefetch_related(_last_calls())
    )


def caller_search(*, query: str, limit: int = SEARCH_LIMIT) -> list[Candidate]:
    """Return the living candidates found by `query`: those that hold every token as typed, then those
    whose name comes close (a misspelt name: "Rokes" for Roques), the closest first.

    Each candidate carries `close_match` (True for the second kind). Phone numbers are matched as typed.
    """
    exact = list(candidate_search(query=query, limit=limit))
    parsed = normalise_query(query)
    if len(exact) >= limit or not parsed.usable or parsed.is_phone:
        return exact
    with _trigram_transaction():
        close = list(candidate_close_matches(tokens=parsed.tokens, exclude=[c.pk for c in exact])[:limit - len(exact)])
    for candidate in close:
        candidate.close_match = True
    return exact + close


def _caller_name_text(name) -> str:
    # Mirrors public.tf_caller_name() of migration 0004 for SQLite.
    return fold(name or "")


def _caller_search_text(name, key) -> str:
    # Mirrors public.tf_caller_search() of migration 0004 for SQLite.
    return f"{fold(name or '')} {key or ''}"


def register_sqlite_functions() -> None:
    """Give SQLite the twins of the functions the calls' generated columns call
    (`HotlineCall.caller_search_text`, `caller_name_text`)."""
    register_sqlite_function("tf_caller_search", _caller_search_text)
    register_sqlite_function("tf_caller_name", _caller_name_text)


def unregistered_caller_search(*, query: str, limit: int = OTHER_RESULTS_LIMIT) -> list[HotlineCall]:
    """Return the latest calls of callers who are not candidates, found by name, phone or e-mail."""
    parsed = normalise_query(query)
    if not parsed.usable:
        return []
    qs = HotlineCall.objects.filter(candidate__isnull=True).select_related("logged_by")
    if parsed.is_phone:
        return list(qs.filter(caller_key__contains=parsed.tokens[0]).order_by("-created_at", "-pk")[:limit])
    condition, score = _fuzzy("caller_search_text", "caller_name_text", parsed.tokens, indexed=True)
    with _trigram_transaction():
        return list(qs.filter(condition).annotate(score=score).order_by("-score", "-created_at", "-pk")[:limit])


def callback_request_search(*, query: str, limit: int = OTHER_RESULTS_LIMIT) -> list[CallbackRequest]:
    """Return the call-back requests found by name, phone or e-mail, those still waiting first."""
    parsed = normalise_query(query)
    if not parsed.usable:
        return []
    qs = CallbackRequest.objects.select_related("candidate", "handled_by")
    order = (F("handled_at").desc(nulls_first=True), "-created_at", "-pk")
    if parsed.is_phone:
        # Stored in international form (+33612…): the national number without its leading 0 is inside.
        digits = parsed.tokens[0]
        digits = digits[1:] if digits.startswith("0") and len(digits) > 1 else digits
        return list(qs.filter(phone__contains=digits).order_by(*order)[:limit])
    qs = qs.annotate(search_text=Concat(Fold("name"), Value(" "), Lower("email"), output_field=TextField()),
                     name_folded=_folded_name("name"))
    condition, score = _fuzzy("search_text", "name_folded", parsed.tokens)
    return list(qs.filter(condition).annotate(score=score).order_by("-score", *order)[:limit])


def candidate_for_hotline(*, public_id) -> Candidate | None:
    return Candidate.objects.filter(public_id=public_id, anonymised_at__isnull=True).first()


def candidates_matching_contact(*, email: str = "", phone: str = "") -> list[Candidate]:
    """Return the living candidates with this exact e-mail or phone (to suggest on a call-back)."""
    results: dict[int, Candidate] = {}
    living = Candidate.objects.filter(anonymised_at__isnull=True)
    if email:
        for c in living.with_email(email)[:5]:
            results[c.pk] = c
    if phone:
        for c in living.filter(phone=phone)[:5]:
            results[c.pk] = c
    return list(results.values())


def callback_queue() -> QuerySet:
    """Return the call-back requests still waiting, oldest first."""
    return CallbackRequest.objects.filter(handled_at__isnull=True).select_related("candidate").order_by("created_at")


def open_follow_ups() -> QuerySet:
    return (
        HotlineCall.objects.filter(follow_up_done_at__isnull=True, follow_up_due__isnull=False)
        .select_related("candidate", "follow_up_owner", "logged_by")
        .order_by("follow_up_due", "created_at")
    )


def follow_ups_for(*, owner) -> QuerySet:
    """Return the open follow-ups of `owner`, the most urgent first."""
    return open_follow_ups().filter(follow_up_owner=owner)


def overdue_follow_ups(*, today: dt.date | None = None) -> QuerySet:
    """Return every open follow-up whose due date has passed."""
    return open_follow_ups().filter(follow_up_due__lt=today or timezone.localdate())


def digest_items_for(*, owner, today: dt.date) -> list[HotlineCall]:
    """Return the follow-ups due today or overdue for `owner`, for the daily digest."""
    return list(follow_ups_for(owner=owner).filter(follow_up_due__lte=today))


def digest_owner_ids(*, today: dt.date) -> list[int]:
    """Return the ids of the active owners who have something due today or overdue."""
    return list(
        open_follow_ups().filter(follow_up_due__lte=today, follow_up_owner__is_active=True)
        .order_by().values_list("follow_up_owner_id", flat=True).distinct()
    )


def relocation_active_for(*, candidate: Candidate) -> RelocationRequest | None:
    """Return the candidate's open or in-progress relocation request, if any."""
    return candidate.relocation_requests.filter(status__in=ACTIVE_RELOCATION).first()


def relocation_requests_active() -> QuerySet:
    return (
        RelocationRequest.objects.filter(status__in=ACTIVE_RELOCATION)
        .select_related("candidate", "owner")
        .order_by("target_date", "created_at")
    )


def _who(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def candidate_timeline(candidate: Candidate, *, user=None) -> list[dict]:
    """Return everything that happened to `candidate`, oldest first, as dicts for display.

    Each entry has: at (aware datetime), kind, kind_label, title, detail, by, object (the row).
    With `user`, only what that user may see is kept: calls and requests for hotline staff and
    coordinators only, other rows through the recruiter scoping. Without `user` (exports, tasks),
    everything is returned.
    """
    def scoped(qs):
        return qs if user is None else scope_queryset(qs, user)

    entries: list[dict] = []
    show_hotline = user is None or can_see_hotline(user)
    if show_hotline:
        for call in candidate.calls.select_related("logged_by", "follow_up_owner"):
            entries.append({
                "at": call.created_at, "kind": "call", "kind_label": _("Appel hotline"),
                "title": f"{call.get_topic_display()} · {call.get_direction_display()} · {call.get_channel_display()}",
                "detail": call.summary, "by": _who(call.logged_by), "object": call,
            })
        for req in candidate.callback_requests.all():
            entries.append({
                "at": req.created_at, "kind": "callback", "kind_label": _("Demande de rappel"),
                "title": f"{req.get_topic_display()} · {req.get_preferred_time_display()}",
                "detail": req.message, "by": "", "object": req,
            })
        for req in candidate.relocation_requests.select_related("owner"):
            entries.append({
                "at": req.created_at, "kind": "relocation", "kind_label": _("Aide à l'installation"),
                "title": f"{req.target_city} · {req.get_status_display()}",
                "detail": req.notes, "by": _who(req.owner), "object": req,
            })
    registrations = scoped(Registration.objects.filter(candidate=candidate)).select_related("session")
    for reg in registrations:
        entries.append({
            "at": reg.created_at, "kind": "registration", "kind_label": _("Inscription à une session"),
            "title": f"{reg.session} · {reg.get_status_display()}", "detail": "", "by": "", "object": reg,
        })
    orientations = scoped(candidate.orientations.all()).select_related("company", "posting", "created_by")
    for ori in orientations:
        entries.append({
            "at": ori.created_at, "kind": "orientation", "kind_label": _("Orientation"),
            "title": f"{ori.posting or ori.company} · {ori.get_status_display()}",
            "detail": ori.outcome, "by": _who(ori.created_by), "object": ori,
        })
    changes = scoped(StageChange.objects.filter(candidate=candidate)).select_related("changed_by")
    for change in changes:
        entries.append({
            "at": change.changed_at, "kind": "stage", "kind_label": _("Changement d'étape"),
            "title": f"{change.get_from_stage_display() or '∅'} → {change.get_to_stage_display()}",
            "detail": change.comment, "by": _who(change.changed_by), "object": change,
        })
    entries.sort(key=lambda e: (e["at"], e["kind"], e["object"].pk))
    return entries


def candidate_admin_timeline(candidate: Candidate) -> list[dict]:
    """Return the hotline's lines of the candidate's admin timeline (candidates/records.py)."""
    items: list[dict] = []
    for x in candidate.calls.all():
        items.append({"at": x.created_at, "kind": _("Appel hotline"),
                      "text": f"{x.get_topic_display()} · {x.summary[:120]}"})
    for x in candidate.relocation_requests.all():
        items.append({"at": x.created_at, "kind": _("Aide à l'installation"),
                      "text": f"{x.target_city} · {x.get_status_display()}"})
    for x in candidate.callback_requests.all():
        items.append({"at": x.created_at, "kind": _("Demande de rappel"), "text": x.get_topic_display()})
    return items


DESK_ROWS = 5


def desk_context(*, user, today: dt.date) -> dict:
    """The hotline's part of the staff desk: call-backs waiting, follow-ups due or overdue, relocation requests."""
    callbacks = callback_queue()
    overdue = overdue_follow_ups(today=today)
    relocations = relocation_requests_active()
    return {
        "callbacks": list(callbacks[:DESK_ROWS]), "callbacks_count": callbacks.count(),
        "mine_due_count": follow_ups_for(owner=user).filter(follow_up_due__lte=today).count(),
        "overdue": list(overdue[:DESK_ROWS]), "overdue_count": overdue.count(),
        "relocations": list(relocations[:DESK_ROWS]), "relocations_count": relocations.count(),
    }
