"""Reads for the hotline: caller search, queues, follow-ups and a candidate's timeline."""

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, StageChange
from candidates.search import normalise_query, search_expression
from events.models import Registration
from tescforce.permissions import can_see_hotline
from tescforce.scoping import scope_queryset

from .models import CallbackRequest, HotlineCall, RelocationRequest

SEARCH_LIMIT = 20
ACTIVE_RELOCATION = (RelocationRequest.Status.OPEN, RelocationRequest.Status.IN_PROGRESS)



def candidate_search(*, query: str, limit: int = SEARCH_LIMIT) -> QuerySet:
    """Return the living candidates whose name, e-mail or phone contain every token of `query`."""
    parsed = normalise_query(query)
    if not parsed.usable:
        return Candidate.objects.none()
    qs = Candidate.objects.filter(anonymised_at__isnull=True).annotate(search_norm=search_expression())
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
