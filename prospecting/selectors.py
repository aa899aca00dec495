"""Reads of international prospecting: figures against the year's targets, reminders, agendas."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django_countries import countries

from .models import Meeting, Prospect, Settlement

PARIS = ZoneInfo("Europe/Paris")


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(year, 1, 1, tzinfo=PARIS), dt.datetime(year + 1, 1, 1, tzinfo=PARIS)


def _pct(done: int, target: int | None) -> int | None:
    return round(100 * done / target) if target else None


def _merge(meetings, settlements, key: str, label: str) -> list[dict]:
    rows: dict = {}
    for row in meetings:
        rows.setdefault(row[key], {"id": row[key], "label": row[label], "meetings": 0, "settlements": 0})
        rows[row[key]]["meetings"] = row["n"]
    for row in settlements:
        rows.setdefault(row[key], {"id": row[key], "label": row[label], "meetings": 0, "settlements": 0})
        rows[row[key]]["settlements"] = row["n"]
    return sorted(rows.values(), key=lambda r: (-r["meetings"], -r["settlements"], str(r["label"] or "")))


def figures(year: int, campaign=None, country: str | None = None, officer=None) -> dict:
    """Return the year's meetings and settlements so far against its targets, in total and per
    campaign, per country and per officer.

    A meeting counts once its start has passed (Paris year boundaries); a settlement counts in the
    year of its date. Meetings are credited to their officer, settlements to the prospect's owner.
    """
    from tescforce.models import YearTarget

    start, end = _year_bounds(year)
    meetings = Meeting.objects.filter(starts_at__gte=start, starts_at__lt=min(end, timezone.now()))
    settlements = Settlement.objects.filter(settled_on__gte=start.date(), settled_on__lt=end.date())
    if campaign is not None:
        meetings = meetings.filter(campaign=campaign)
        settlements = settlements.filter(prospect__campaign=campaign)
    if country:
        meetings = meetings.filter(prospect__country=str(country))
        settlements = settlements.filter(prospect__country=str(country))
    if officer is not None:
        meetings = meetings.filter(officer=officer)
        settlements = settlements.filter(prospect__owner=officer)

    totals = meetings.aggregate(meetings=Count("id"), to_complete=Count("id", filter=Q(outcome="")))
    settled = settlements.aggregate(settlements=Count("id"))["settlements"]
    target = YearTarget.objects.filter(year=year).values("meetings", "settlements").first()
    target_meetings = target["meetings"] if target else None
    target_settlements = target["settlements"] if target else None

    by_campaign = _merge(
        meetings.values("campaign_id", "campaign__name").annotate(n=Count("id")).order_by(),
        [{"campaign_id": r["prospect__campaign_id"], "campaign__name": r["prospect__campaign__name"], "n": r["n"]}
         for r in settlements.values("prospect__campaign_id", "prospect__campaign__name").annotate(n=Count("id"))
         .order_by()],
        "campaign_id", "campaign__name",
    )
    by_country = _merge(
        meetings.values("prospect__country").annotate(n=Count("id")).order_by(),
        settlements.values("prospect__country").annotate(n=Count("id")).order_by(),
        "prospect__country", "prospect__country",
    )
    for row in by_country:
        row["label"] = countries.name(row["id"]) or row["id"]
    users = {u.pk: u for u in get_user_model().objects.filter(
        Q(pk__in=meetings.values("officer_id")) | Q(pk__in=settlements.values("prospect__owner_id")))}
    by_officer = _merge(
        meetings.values("officer_id").annotate(n=Count("id")).order_by(),
        [{"officer_id": r["prospect__owner_id"], "n": r["n"]}
         for r in settlements.values("prospect__owner_id").annotate(n=Count("id")).order_by()],
        "officer_id", "officer_id",
    )
    for row in by_officer:
        user = users.get(row["id"])
        row["label"] = (user.get_full_name() or user.get_username()) if user else None
    return {
        "year": year,
        "meetings": totals["meetings"],
        "meetings_to_complete": totals["to_complete"],
        "settlements": settled,
        "target_meetings": target_meetings,
        "target_settlements": target_settlements,
        "meetings_pct": _pct(totals["meetings"], target_meetings),
        "settlements_pct": _pct(settled, target_settlements),
        "by_campaign": by_campaign,
        "by_country": by_country,
        "by_officer": by_officer,
    }


def meetings_to_complete() -> QuerySet[Meeting]:
    """Return the meetings whose time has passed and whose outcome is still missing."""
    return Meeting.objects.filter(outcome="", starts_at__lt=timezone.now())


def reminder_items(*, user, day: dt.date) -> tuple[list[Meeting], list[Meeting]]:
    """Return (meetings whose next step is due by `day`, meetings to complete) that are `user`'s to act on."""
    next_steps = list(
        Meeting.objects.filter(next_step_owner=user, next_step_due__lte=day, next_step_done=False)
        .exclude(next_step="").select_related("prospect").order_by("next_step_due", "pk")
    )
    to_complete = list(
        meetings_to_complete().filter(Q(officer=user) | Q(officer__isnull=True, prospect__owner=user))
        .select_related("prospect").order_by("starts_at", "pk")
    )
    return next_steps, to_complete


def reminder_recipient_ids(*, day: dt.date) -> list[int]:
    """Return the ids of active users with something to be reminded of on `day`."""
    due = Meeting.objects.filter(next_step_due__lte=day, next_step_done=False).exclude(next_step="")
    late = meetings_to_complete()
    return list(
        get_user_model().objects.filter(is_active=True).exclude(email="")
        .filter(Q(pk__in=due.values("next_step_owner_id")) | Q(pk__in=late.values("officer_id"))
                | Q(pk__in=late.filter(officer__isnull=True).values("prospect__owner_id")))
        .order_by("pk").values_list("pk", flat=True)
    )


def upcoming_meetings_for(user, *, days_back: int = 7) -> QuerySet[Meeting]:
    """Return the meetings `user` leads or attends, from a week ago onwards (for their calendar)."""
    since = timezone.now() - dt.timedelta(days=days_back)
    return (
        Meeting.objects.filter(Q(officer=user) | Q(attendees=user), starts_at__gte=since)
        .select_related("prospect", "campaign").distinct().order_by("starts_at")
    )


def prospects_for_staff() -> QuerySet[Prospect]:
    return Prospect.objects.select_related("sector", "owner", "campaign")
