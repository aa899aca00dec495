"""What the partner space reads: who is a member, which referrals they see, and what became of each.

A referral's follow-up is derived from the candidate's own rows (pipeline history, bookings, check-ins,
orientations), never stored twice. A partner reads it only for a person who agreed to share it
(`Referral.shares_progress`); otherwise they read whether the person answered, and nothing else.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, Orientation, StageChange
from events.models import Registration, Session
from tescforce import roles

from .models import Member, Referral

# The follow-up's steps, in the order a person goes through them; the status shown is the last one reached.
STEPS = (
    ("referred", _("Orienté·e, en attente de sa réponse")),
    ("confirmed", _("Inscription confirmée")),
    ("qualified", _("Qualifié·e")),
    ("booked", _("Inscrit·e à une session")),
    ("attended", _("Présent·e à une session")),
    ("oriented", _("Orienté·e vers une entreprise")),
    ("hired", _("Recruté·e")),
    ("left", _("Sorti·e du dispositif")),
)
STEP_LABELS = dict(STEPS)
# Ends other than the steps: the person said no, the link expired unanswered, the person erased their data.
OTHER_STATUSES = {
    "declined": _("Refusée par la personne"),
    "expired": _("Sans réponse : effacée"),
    "erased": _("Données effacées"),
}
STATUS_LABELS = {**STEP_LABELS, **OTHER_STATUSES}


def member_for(user) -> Member | None:
    """Return the user's active membership, read afresh (a disabled or removed member gets None at once)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active) or user.is_staff or user.is_superuser:
        return None
    if not roles.has_role(user, roles.PARTNERS):
        return None
    return (Member.objects.select_related("partner", "user")
            .filter(user=user, disabled_at__isnull=True).first())


def proposable_sessions() -> QuerySet:
    """Sessions a partner may propose: published, not cancelled, still to come."""
    return (Session.objects.filter(is_published=True, cancelled_at__isnull=True, starts_at__gt=timezone.now())
            .order_by("starts_at", "pk"))


def partner_referrals(*, partner) -> QuerySet:
    """The referrals of one organisation: the only query the partner space lists or opens them through."""
    return (Referral.objects.filter(partner=partner)
            .select_related("candidate", "proposed_session", "created_by").order_by("-created_at", "-pk"))


@dataclass
class FollowUp:
    referral: Referral
    status: str
    steps: list[tuple[str, object, dt.datetime]] = field(default_factory=list)  # (key, label, when)

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def shared(self) -> bool:
        return self.referral.shares_progress

    @property
    def changed_at(self) -> dt.datetime:
        return self.steps[-1][2] if self.steps else self.referral.created_at


def candidate_step_dates(candidate_ids: list[int]) -> dict[int, dict[str, dt.datetime]]:
    """The dates each candidate reached each step (four queries, whatever the number of candidates)."""
    dates: dict[int, dict[str, dt.datetime]] = {pk: {} for pk in candidate_ids}
    if not candidate_ids:
        return dates
    changes = (StageChange.objects.filter(candidate_id__in=candidate_ids,
                                          to_stage__in=["qualified", "hired", "withdrawn"])
               .values("candidate_id", "to_stage").annotate(first=Min("changed_at"), last=Max("changed_at")))
    for row in changes:
        key = {"qualified": "qualified", "hired": "hired", "withdrawn": "left"}[row["to_stage"]]
        dates[row["candidate_id"]][key] = row["last"] if key == "left" else row["first"]
    bookings = (Registration.objects.filter(candidate_id__in=candidate_ids).values("candidate_id").annotate(
        booked=Min("created_at", filter=~Q(status=Registration.Status.CANCELLED)),
        attended=Min(Coalesce("checked_in_at", "session__starts_at"), filter=Q(status=Registration.Status.ATTENDED)),
    ))
    for row in bookings:
        for key in ("booked", "attended"):
            if row[key]:
                dates[row["candidate_id"]][key] = row[key]
    orientations = (Orientation.objects.filter(candidate_id__in=candidate_ids).values("candidate_id")
                    .annotate(first=Min("created_at")))
    for row in orientations:
        dates[row["candidate_id"]]["oriented"] = row["first"]
    stages = dict(Candidate.objects.filter(pk__in=candidate_ids).values_list("pk", "stage"))
    for pk, stage in stages.items():
        if stage != Candidate.Stage.WITHDRAWN:
            dates[pk].pop("left", None)  # came back since
    return dates


def follow_ups(referrals) -> list[FollowUp]:
    """Return each referral's status and dated steps, as its partner may read them."""
    referrals = list(referrals)
    shared_ids = [r.candidate_id for r in referrals if r.shares_progress and r.candidate_id]
    dates = candidate_step_dates(shared_ids)
    result = []
    for referral in referrals:
        steps = [("referred", STEP_LABELS["referred"], referral.created_at)]
        if referral.declined_at:
            result.append(FollowUp(referral, "declined", [*steps, ("declined", OTHER_STATUSES["declined"],
                                                                   referral.declined_at)]))
            continue
        if referral.erased_at:
            status = "erased" if referral.linked_at else "expired"
            result.append(FollowUp(referral, status, [*steps, (status, OTHER_STATUSES[status], referral.erased_at)]))
            continue
        if referral.linked_at is None:
            result.append(FollowUp(referral, "referred", steps))
            continue
        steps.append(("confirmed", STEP_LABELS["confirmed"], referral.linked_at))
        if referral.shares_progress and referral.candidate_id:
            reached = dates.get(referral.candidate_id, {})
            steps += [(key, label, reached[key]) for key, label in STEPS[2:] if key in reached]
        result.append(FollowUp(referral, steps[-1][0] if steps[-1][0] in STEP_LABELS else "confirmed", steps))
    return result


def status_counts(items: list[FollowUp]) -> list[tuple[str, object, int]]:
    """Return (status, label, count) for the statuses that occur, in the follow-up's order."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
    return [(key, STATUS_LABELS[key], counts[key]) for key in STATUS_LABELS if key in counts]


def digest_changes(*, partner, start: dt.date, end: dt.date) -> list[tuple[FollowUp, str, object, dt.datetime]]:
    """Return the steps the organisation's referrals reached from `start` to `end` (excluded), oldest first.

    Only what the partner may read: steps of people who share their path, and answers, never erased names.
    """
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end, dt.time.min, tzinfo=tz)
    referrals = partner_referrals(partner=partner).filter(created_at__lt=until, erased_at__isnull=True)
    changes = [(item, key, label, when) for item in follow_ups(referrals) for key, label, when in item.steps
               if since <= when < until]
    return sorted(changes, key=lambda change: (change[3], change[0].referral.pk))


def partner_funnel(*, start: dt.datetime, end: dt.datetime, candidate_ids=None) -> list[dict]:
    """The team's per-organisation figures: referrals made from `start` to `end`, and how many of these people
    confirmed, attended a session, were oriented to a company and were hired (one query).

    `candidate_ids` (a queryset of candidate ids) keeps the referrals of those people only.
    """
    referrals = Referral.objects.filter(created_at__gte=start, created_at__lt=end)
    if candidate_ids is not None:
        referrals = referrals.filter(candidate__in=candidate_ids)
    attended = Registration.objects.filter(candidate=OuterRef("candidate"), status=Registration.Status.ATTENDED)
    oriented = Orientation.objects.filter(candidate=OuterRef("candidate"))
    hired = StageChange.objects.filter(candidate=OuterRef("candidate"), to_stage=Candidate.Stage.HIRED)
    rows = (referrals.annotate(a=Exists(attended), o=Exists(oriented), h=Exists(hired))
            .values("partner__name").annotate(
                referrals=Count("pk"),
                confirmed=Count("pk", filter=Q(linked_at__isnull=False)),
                attended=Count("pk", filter=Q(linked_at__isnull=False, a=True)),
                oriented=Count("pk", filter=Q(linked_at__isnull=False, o=True)),
                hired=Count("pk", filter=Q(linked_at__isnull=False, h=True)),
            ).order_by("-referrals", "partner__name"))
    return list(rows)


def referred_by_names(candidate_ids) -> dict[int, str]:
    """Who referred each candidate (the organisations the person agreed to be linked to), for the team."""
    names: dict[int, list[str]] = {}
    rows = (Referral.objects.filter(candidate_id__in=list(candidate_ids), linked_at__isnull=False)
            .order_by("created_at").values_list("candidate_id", "partner__name"))
    for candidate_id, name in rows:
        names.setdefault(candidate_id, []).append(name)
    return {pk: ", ".join(found) for pk, found in names.items()}


def candidate_timeline(candidate) -> list[dict]:
    """The candidate's referrals on their admin page (the team's view: the partner's note included)."""
    entries = []
    for referral in Referral.objects.filter(candidate=candidate).select_related("partner"):
        text = referral.partner.name
        if referral.note:
            text = f"{text} : {referral.note}"
        entries.append({"at": referral.created_at, "kind": _("Orientation par un partenaire"), "text": text})
        if referral.linked_at:
            entries.append({"at": referral.linked_at, "kind": _("Accord pour l'orientation partenaire"),
                            "text": referral.partner.name})
    return entries


def space_referrals(candidate) -> list[Referral]:
    """The referrals the person agreed to, for their Mon espace."""
    return list(Referral.objects.filter(candidate=candidate, linked_at__isnull=False, erased_at__isnull=True)
                .select_related("partner").order_by("created_at"))
