"""Reads for the hotline: caller search, queues, follow-ups and a candidate's timeline."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Func, Prefetch, QuerySet, TextField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tescforce import roles
from tescforce.scoping import recruiter_company_id, scope_queryset
from tescforce.text import fold

from .models import CallbackRequest, Candidate, HotlineCall, RelocationRequest, StageChange

HOTLINE_GROUPS = (roles.HOTLINE, roles.COORDINATORS)
SEARCH_LIMIT = 20
MIN_TOKEN_LENGTH = 3
ACTIVE_RELOCATION = (RelocationRequest.Status.OPEN, RelocationRequest.Status.IN_PROGRESS)

_PHONE_LIKE = re.compile(r"[\d\s.\-+()/]+")


def can_see_hotline(user) -> bool:
    """Return True for the staff who may read calls and requests: hotline agents and coordinators."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # A recruiter never sees a call, even with a second role.
    if recruiter_company_id(user) is not None:
        return False
    return roles.has_role(user, *HOTLINE_GROUPS)


def phone_digits(value: str) -> str:
    """Return a phone number as national-format digits: "+33 6 12…" and "0033 6…" become "06…"."""
    value = (value or "").strip().replace("(0)", "")
    digits = re.sub(r"\D", "", value)
    if value.startswith("+33"):
        return "0" + digits[2:]
    if digits.startswith("0033"):
        return "0" + digits[4:]
    return digits


def contact_key(contact: str) -> str:
    """Return a phone or e-mail in one comparable form: lower-case e-mail, or national phone digits."""
    contact = (contact or "").strip()
    if not contact:
        return ""
    if "@" in contact:
        return contact.lower()[:254]
    if _PHONE_LIKE.fullmatch(contact):
        return phone_digits(contact)[:254]
    return ""


def _search_text(first_name, last_name, email, phone) -> str:
    # Mirrors public.tf_candidate_search() of migration 0004 for SQLite.
    names = fold(f"{first_name or ''} {last_name or ''} {email or ''}")
    return f"{names} {phone_digits(phone or '')}"


@dataclass(frozen=True)
class SearchQuery:
    tokens: tuple[str, ...]
    is_phone: bool

    @property
    def usable(self) -> bool:
        return any(len(t) >= MIN_TOKEN_LENGTH for t in self.tokens)


def normalise_query(raw: str) -> SearchQuery:
    """Split what the agent typed into folded tokens; phone-looking input becomes one digits token."""
    raw = (raw or "").strip()[:200]
    if _PHONE_LIKE.fullmatch(raw) and sum(ch.isdigit() for ch in raw) >= 2:
        return SearchQuery(tokens=(phone_digits(raw),), is_phone=True)
    return SearchQuery(tokens=tuple(fold(raw).split()), is_phone=False)


def _search_expression() -> Func:
    if connection.vendor == "sqlite":
        # Registered on each use: SQLite connections come and go, and the call costs nothing.
        connection.ensure_connection()
        connection.connection.create_function("tf_candidate_search", 4, _search_text, deterministic=True)
        name = "tf_candidate_search"
    else:
        name = "public.tf_candidate_search"
    # Same argument list as the trigram index of migration 0004, so PostgreSQL can use it.
    return Func(F("first_name"), F("last_name"), F("email"), F("phone"), function=name,
                output_field=TextField())


def candidate_search(*, query: str, limit: int = SEARCH_LIMIT) -> QuerySet:
    """Return the living candidates whose name, e-mail or phone contain every token of `query`."""
    parsed = normalise_query(query)
    if not parsed.usable:
        return Candidate.objects.none()
    qs = Candidate.objects.filter(anonymised_at__isnull=True).annotate(search_norm=_search_expression())
    for token in parsed.tokens:
        qs = qs.filter(search_norm__contains=token)
    last_calls = HotlineCall.objects.select_related("logged_by").order_by("-created_at")
    return (
        qs.order_by("last_name", "first_name", "pk")
        .prefetch_related(Prefetch("calls", queryset=last_calls[:3], to_attr="last_calls"))[:limit]
    )


def candidate_for_hotline(*, public_id) -> Candidate | None:
    return Candidate.objects.filter(public_id=public_id, anonymised_at__isnull=True).first()


def candidates_matching_contact(*, email: str = "", phone: str = "") -> list[Candidate]:
    """Return the living candidates with this exact e-mail or phone (to suggest on a call-back)."""
    results: dict[int, Candidate] = {}
    living = Candidate.objects.filter(anonymised_at__isnull=True)
    if email:
        for c in living.filter(email__iexact=email)[:5]:
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
    from events.models import Registration

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
