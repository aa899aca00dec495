"""Reads of international prospecting: figures against the year's targets, reminders, agendas."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django_countries import countries

from tescforce import roles
from tescforce.models import YearTarget
from tescforce.scoping import scope_queryset

from .models import Meeting, Prospect, Settlement

PARIS = ZoneInfo("Europe/Paris")


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(year, 1, 1, tzinfo=PARIS), dt.datetime(year + 1, 1, 1, tzinfo=PARIS)


def _pct(done: int, target: int | None) -> float | None:
    return round(100 * done / target, 1) if target else None


def _officer_label(first: str | None, last: str | None, username: str | None) -> str | None:
    return f"{first or ''} {last or ''}".strip() or username


def _breakdown(meetings, settlements, key) -> list[dict]:
    """Merge (id, label, n) meeting groups and (id, label) settlements into rows, most meetings first."""
    rows: dict = {}
    for ident, label, n in meetings:
        rows[ident] = {"id": ident, "label": label, "meetings": n, "settlements": 0}
    for settlement in settlements:
        ident, label = key(settlement)
        rows.setdefault(ident, {"id": ident, "label": label, "meetings": 0, "settlements": 0})
        rows[ident]["settlements"] += 1
    return sorted(rows.values(), key=lambda r: (-r["meetings"], -r["settlements"], str(r["label"] or "")))


def held_meetings(year: int, *, campaign=None, country: str | None = None, officer=None,
                  now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """Return the meetings that count in the year's figures: those of the Paris year whose start has passed.

    A meeting still to come is planned, not done; Meeting has no cancelled state (a cancelled meeting
    is deleted), and one that ended "sans suite" was held all the same. Each is credited to its officer.
    """
    start, end = _year_bounds(year)
    qs = Meeting.objects.filter(starts_at__gte=start, starts_at__lt=min(end, now or timezone.now()))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if country:
        qs = qs.filter(prospect__country=str(country))
    if officer is not None:
        qs = qs.filter(officer=officer)
    return qs


def year_settlements(year: int, *, campaign=None, country: str | None = None,
                     officer=None) -> QuerySet[Settlement]:
    """Return the settlements dated in the year, each credited to the officer who owns the prospect.

    The owner followed the company up to its settlement; the settlement itself has no officer.
    """
    qs = Settlement.objects.filter(settled_on__year=year)
    if campaign is not None:
        qs = qs.filter(prospect__campaign=campaign)
    if country:
        qs = qs.filter(prospect__country=str(country))
    if officer is not None:
        qs = qs.filter(prospect__owner=officer)
    return qs


def year_target(year: int):
    """Return the year's targets, the plan's defaults when none were set."""
    return YearTarget.objects.filter(year=year).first() or YearTarget(year=year)


def figures(year: int, campaign=None, country: str | None = None, officer=None) -> dict:
    """Return the year's meetings and settlements so far against its targets, in total, per month,
    per campaign, per country and per officer.

    The one definition of these figures, which the coordinators' dashboard shows: meetings are
    `held_meetings`, settlements `year_settlements`.
    """
    meetings = held_meetings(year, campaign=campaign, country=country, officer=officer)
    settlements = year_settlements(year, campaign=campaign, country=country, officer=officer)

    target = year_target(year)
    # One query per breakdown of the meetings; the year's settlements (a handful) are read once.
    by_month = [0] * 12
    to_complete = 0
    for row in (meetings.annotate(month=TruncMonth("starts_at", tzinfo=PARIS)).order_by().values("month")
                .annotate(n=Count("id"), late=Count("id", filter=Q(outcome="")))):
        by_month[row["month"].month - 1] += row["n"]
        to_complete += row["late"]
    settled = list(settlements.order_by().values(
        "prospect__country", "prospect__campaign_id", "prospect__campaign__name", "prospect__owner_id",
        "prospect__owner__first_name", "prospect__owner__last_name", "prospect__owner__username"))
    meetings = meetings.order_by()

    by_campaign = _breakdown(
        meetings.values_list("campaign_id", "campaign__name").annotate(n=Count("id")),
        settled, lambda s: (s["prospect__campaign_id"], s["prospect__campaign__name"]))
    by_country = _breakdown(
        ((country, country, n) for country, n in meetings.values_list("prospect__country").annotate(n=Count("id"))),
        settled, lambda s: (s["prospect__country"], s["prospect__country"]))
    for row in by_country:
        row["label"] = countries.name(row["id"]) or row["id"]
    by_officer = _breakdown(
        ((officer_id, _officer_label(first, last, username), n) for officer_id, first, last, username, n in
         meetings.values_list("officer_id", "officer__first_name", "officer__last_name", "officer__username")
         .annotate(n=Count("id"))),
        settled, lambda s: (s["prospect__owner_id"], _officer_label(
            s["prospect__owner__first_name"], s["prospect__owner__last_name"], s["prospect__owner__username"])))
    done = sum(by_month)
    return {
        "year": year,
        "meetings": done,
        "meetings_to_complete": to_complete,
        "settlements": len(settled),
        "target_meetings": target.meetings,
        "target_settlements": target.settlements,
        "meetings_pct": _pct(done, target.meetings),
        "settlements_pct": _pct(len(settled), target.settlements),
        "by_month": by_month,
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
    # Each saved version of a meeting is kept in its history: their number is the .ics SEQUENCE.
    versions = (Meeting.history.model.objects.filter(id=OuterRef("pk")).order_by().values("id")
                .annotate(n=Count("history_id")).values("n"))
    return (
        Meeting.objects.filter(Q(officer=user) | Q(attendees=user), starts_at__gte=since)
        .annotate(versions=Subquery(versions)).select_related("prospect", "campaign").distinct()
        .order_by("starts_at")
    )


OPEN_STAGES = (Prospect.Stage.IDENTIFIED, Prospect.Stage.CONTACTED, Prospect.Stage.MEETING_HELD, Prospect.Stage.PROJECT)


def prospects_without_next_step(user) -> QuerySet[Prospect]:
    """Return `user`'s open prospects with no meeting to come and no next step still to do, the oldest touched first."""
    coming = Meeting.objects.filter(prospect=OuterRef("pk"), starts_at__gte=timezone.now())
    pending = Meeting.objects.filter(prospect=OuterRef("pk"), next_step_done=False).exclude(next_step="")
    return (Prospect.objects.filter(owner=user, stage__in=OPEN_STAGES)
            .exclude(Exists(coming)).exclude(Exists(pending)).order_by("updated_at", "pk"))


def desk_context(*, user, today: dt.date) -> dict:
    """A prospecting officer's desk: this week's meetings (Monday to Sunday), and prospects left without a next step."""
    monday = today - dt.timedelta(days=today.weekday())
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=tz)
    week = (Meeting.objects.filter(Q(officer=user) | Q(attendees=user), starts_at__gte=start,
                                   starts_at__lt=start + dt.timedelta(days=7))
            .select_related("prospect").distinct().order_by("starts_at", "pk"))
    idle = prospects_without_next_step(user)
    return {"meetings": list(week), "idle": list(idle[:6]), "idle_count": idle.count(), "now": timezone.now()}


# The agenda page's periods: (start, end) around `now`, either side open when None.
AGENDA_PERIODS = ("recent", "upcoming", "week", "month", "past", "all")


def agenda_period_bounds(period: str, *, now: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Return the (from, to) instants of an agenda period, the week and month being Paris ones."""
    today = timezone.localtime(now, PARIS).date()
    midnight = dt.datetime.combine(today, dt.time(), tzinfo=PARIS)
    if period == "upcoming":
        return now, None
    if period == "week":
        monday = midnight - dt.timedelta(days=today.weekday())
        return monday, monday + dt.timedelta(days=7)
    if period == "month":
        first = midnight.replace(day=1)
        return first, (first + dt.timedelta(days=32)).replace(day=1)
    if period == "past":
        return None, now
    if period == "all":
        return None, None
    return midnight - dt.timedelta(days=30), None  # "recent": the last 30 days and everything to come


def agenda_meetings(*, user, officer=None, mine: bool = False, campaign=None, country: str = "",
                    period: str = "recent", now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """Return the team's meetings for the officers' agenda page, filtered, in the order a person reads them.

    `mine` keeps those `user` leads or attends; `officer` those another officer leads. The past and
    everything run from the latest back; the other periods from the earliest on.
    """
    start, end = agenda_period_bounds(period, now=now or timezone.now())
    qs = scope_queryset(Meeting.objects.all(), user)
    if mine:
        qs = qs.filter(pk__in=Meeting.objects.filter(Q(officer=user) | Q(attendees=user)).values("pk"))
    elif officer is not None:
        qs = qs.filter(officer=officer)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if country:
        qs = qs.filter(prospect__country=country)
    if start is not None:
        qs = qs.filter(starts_at__gte=start)
    if end is not None:
        qs = qs.filter(starts_at__lt=end)
    order = ("-starts_at", "-pk") if period in ("past", "all") else ("starts_at", "pk")
    return qs.select_related("prospect", "campaign", "officer").order_by(*order)


def team_users() -> QuerySet:
    """Return the users who can lead or attend a meeting: active coordinators and prospecting officers."""
    return get_user_model().objects.filter(
        is_active=True, groups__name__in=[roles.PROSPECTING, roles.COORDINATORS]).distinct().order_by(
        "first_name", "last_name", "username")


def agenda_countries() -> list[str]:
    """Return the country codes of the prospects that have meetings."""
    return sorted(set(Meeting.objects.order_by().values_list("prospect__country", flat=True).distinct()))
