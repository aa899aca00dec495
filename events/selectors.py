"""Reads of the events app: upcoming sessions with their free seats, waitlist positions, figures."""

from typing import Any

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import Orientation
from tescforce.scoping import recruiter_company_id

from .models import Edition, Registration, Session, SessionCompany

SEAT_FILTER = Q(registrations__status__in=("confirmed", "attended", "no_show"), registrations__walk_in=False)


def with_figures(qs: QuerySet) -> QuerySet:
    """Annotate sessions with confirmed, waitlisted, attended, no_show, seats_left."""
    return qs.annotate(
        n_seats=Count("registrations", filter=SEAT_FILTER),
        n_confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
        n_waitlisted=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
        n_attended=Count("registrations", filter=Q(registrations__status=Registration.Status.ATTENDED)),
        n_no_show=Count("registrations", filter=Q(registrations__status=Registration.Status.NO_SHOW)),
        n_came=Count("registrations", filter=Q(registrations__status=Registration.Status.ATTENDED,
                                               registrations__walk_in=False)),
    ).annotate(seats_left=Greatest(F("capacity") - F("n_seats"), Value(0), output_field=IntegerField()))


def session_upcoming(*, city: str = "") -> QuerySet:
    """Return the published sessions still to come, soonest first, with their free seats."""
    qs = Session.objects.filter(is_published=True, starts_at__gt=timezone.now())
    if city:
        qs = qs.filter(city__iexact=city)
    return with_figures(qs.select_related("edition__programme")).order_by("starts_at", "pk")


def session_cities() -> list[str]:
    return list(Session.objects.filter(is_published=True, starts_at__gt=timezone.now())
                .order_by("city").values_list("city", flat=True).distinct())


def waitlist_position(registration: Registration) -> int | None:
    """Return the 1-based place in the waitlist, derived from booking order."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return Registration.objects.filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk),
        session_id=registration.session_id, status=Registration.Status.WAITLISTED,
    ).count() + 1


def with_waitlist_position(qs: QuerySet) -> QuerySet:
    """Annotate registrations with `position` (1-based) when waitlisted, in one query."""
    waiting = Registration.Status.WAITLISTED
    ahead = (Registration.objects.filter(session=OuterRef("session"), status=waiting)
             .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"),
                                                                   pk__lt=OuterRef("pk")))
             .order_by().values("session").annotate(n=Count("pk")).values("n"))
    return qs.annotate(position=Case(
        When(status=waiting, then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1),
        default=None, output_field=IntegerField()))


def attendance_rate(came: int, seats: int) -> float | None:
    """Share of booked seats whose holder came (walk-ins are counted apart)."""
    return None if seats == 0 else came / seats


def candidate_bookings(*, candidate) -> QuerySet:
    """Return a candidate's bookings still to come and the recent ones, soonest first."""
    return (Registration.objects.filter(candidate=candidate)
            .exclude(status=Registration.Status.CANCELLED, session__starts_at__lt=timezone.now())
            .select_related("session").order_by("session__starts_at"))


def space_bookings(candidate) -> QuerySet:
    """Every booking of a candidate, latest session first (their Mon espace)."""
    return Registration.objects.filter(candidate=candidate).select_related("session").order_by("-session__starts_at")


def candidate_export_part(candidate) -> dict[str, Any]:
    """The candidate's bookings, for their data export (candidates/records.py)."""
    return {"session_registrations": [
        {**{name: _iso(getattr(x, name)) for name in ("status", "walk_in", "outcome", "outcome_notes", "created_at",
                                                       "cancelled_at", "checked_in_at")},
         "session": x.session.title, "session_starts_at": x.session.starts_at.isoformat()}
        for x in Registration.objects.filter(candidate=candidate).select_related("session")
    ]}


def _iso(value) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def candidate_timeline(candidate) -> list[dict[str, Any]]:
    """The candidate's bookings, as lines of their timeline (candidates/records.py)."""
    return [{"at": x.created_at, "kind": _("Session"), "text": f"{x.session.title} · {x.get_status_display()}"}
            for x in Registration.objects.filter(candidate=candidate).select_related("session")]


def session_figures(*, session: Session) -> dict:
    """Per-session figures the dashboard reads: candidates met, companies, partners, orientations."""
    regs = session.registrations
    attended = regs.filter(status=Registration.Status.ATTENDED).count()
    seats = regs.filter(status__in=("confirmed", "attended", "no_show"), walk_in=False).count()
    came = regs.filter(status=Registration.Status.ATTENDED, walk_in=False).count()
    return {
        "confirmed": seats,
        "waitlisted": regs.filter(status=Registration.Status.WAITLISTED).count(),
        "candidates_met": attended,
        "walk_ins": regs.filter(walk_in=True, status=Registration.Status.ATTENDED).count(),
        "attendance_rate": attendance_rate(came, seats),
        "companies": session.company_participations.count(),
        "partners": session.partner_participations.count(),
        "orientations": Orientation.objects.filter(session=session).count(),
    }


def edition_figures(*, edition: Edition) -> dict:
    """Per-edition figures: sessions, distinct candidates met, companies, partners, orientations."""
    sessions = Session.objects.filter(edition=edition)
    return {
        "sessions": sessions.count(),
        "candidates_met": Registration.objects.filter(session__edition=edition,
                                                      status=Registration.Status.ATTENDED)
        .values("candidate").distinct().count(),
        "companies": sessions.values("company_participations__company").exclude(
            company_participations__company=None).distinct().count(),
        "partners": sessions.values("partner_participations__partner").exclude(
            partner_participations__partner=None).distinct().count(),
        "orientations": Orientation.objects.filter(session__edition=edition).count(),
    }


DESK_ROWS = 6


def desk_sessions_context(*, user, today) -> dict:
    """The coordinators' desk: the next sessions (drafts too) with their seats taken against capacity."""
    qs = with_figures(Session.objects.filter(ends_at__gte=timezone.now())).order_by("starts_at", "pk")
    sessions = list(qs[:DESK_ROWS])
    for session in sessions:
        session.fill_pct = round(100 * session.n_seats / session.capacity) if session.capacity else None
    return {"sessions": sessions, "more": qs.count() > len(sessions)}


def desk_company_sessions_context(*, user, today) -> dict:
    """A recruiter's desk: the next sessions their own company takes part in, and nothing of another company."""
    company_id = recruiter_company_id(user)
    participations = (
        SessionCompany.objects.filter(company_id=company_id, session__ends_at__gte=timezone.now())
        .select_related("session").order_by("session__starts_at")[:DESK_ROWS]
        if company_id is not None else []
    )
    return {"participations": list(participations)}
