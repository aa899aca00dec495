"""Reads for alerts: who may receive one, which alerts are due, and what each has that is new."""

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from candidates.models import Consent
from companies.selectors import open_postings
from events.models import Registration, Session
from matching.models import Match
from matching.selectors import matchable_candidates_q

from .models import AlertSent, Subscription

# A match counts as "for you" from this score (out of 100: the weights table of matching/engine.py).
MIN_SCORE = 50
# At most this many offers or sessions in one message; the rest come in the next one.
PER_MESSAGE = 10
# A weekly alert is due seven days after its last pass, less a pass (15 min) so that the schedule never drifts.
WEEKLY_EVERY = dt.timedelta(days=7) - dt.timedelta(minutes=15)


def recipients_q(prefix: str = "candidate__") -> Q:
    """Candidates an alert may go to: a confirmed address, not erased, the processing consent still given."""
    outer = f"{prefix}pk" if prefix else "pk"
    return (Q(**{f"{prefix}confirmed_at__isnull": False, f"{prefix}anonymised_at__isnull": True})
            & ~Q(**{f"{prefix}email": ""})
            & Q(Exists(Consent.objects.filter(candidate_id=OuterRef(outer), kind=Consent.Kind.PROCESSING,
                                              withdrawn_at__isnull=True))))


def due_q(*, now: dt.datetime) -> Q:
    """An alert is due: every immediate one, weekly ones a week after they were last looked at."""
    return (Q(frequency=Subscription.Frequency.IMMEDIATE) | Q(checked_at__isnull=True)
            | Q(checked_at__lte=now - WEEKLY_EVERY))


def due_subscriptions(*, now: dt.datetime) -> QuerySet[Subscription]:
    """Alerts to look at now, those waiting longest first."""
    return (Subscription.objects.filter(recipients_q()).filter(due_q(now=now))
            .order_by(F("checked_at").asc(nulls_first=True), "pk"))


def new_matches(subscription: Subscription) -> list[Match]:
    """The open offers published since the alert was asked for, matching the profile, not told of yet."""
    told = AlertSent.objects.filter(candidate_id=subscription.candidate_id, posting_id=OuterRef("posting_id"))
    matches = (Match.objects.filter(matchable_candidates_q("candidate__"), candidate_id=subscription.candidate_id,
                                    score__gte=MIN_SCORE, posting__in=open_postings(),
                                    posting__published_at__gte=subscription.created_at)
               .exclude(Exists(told))
               .select_related("posting", "posting__company")
               .order_by("-score", "posting_id"))
    return list(matches[:PER_MESSAGE])


def new_sessions(subscription: Subscription, *, now: dt.datetime) -> list[Session]:
    """Published sessions to come in the candidate's city, still open for booking, not booked, not told of yet."""
    city = subscription.candidate.city.strip()
    if not city:
        return []
    told = AlertSent.objects.filter(candidate_id=subscription.candidate_id, session_id=OuterRef("pk"))
    booked = Registration.objects.filter(candidate_id=subscription.candidate_id, session_id=OuterRef("pk")).exclude(
        status=Registration.Status.CANCELLED)
    sessions = (Session.objects.filter(is_published=True, cancelled_at__isnull=True, starts_at__gt=now,
                                       city__iexact=city)
                .filter(Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gt=now))
                .exclude(Exists(told)).exclude(Exists(booked)).order_by("starts_at", "pk"))
    return list(sessions[:PER_MESSAGE])


def subscriptions_of(candidate) -> dict[str, Subscription]:
    return {s.kind: s for s in Subscription.objects.filter(candidate=candidate)}


def candidate_export_part(candidate) -> dict:
    """The candidate's alerts and what each told them of, for their data export."""
    return {
        "alerts": [{"alert": s.kind, "frequency": s.frequency, "asked_at": s.created_at.isoformat(),
                    "last_sent_at": s.last_sent_at.isoformat() if s.last_sent_at else None}
                   for s in Subscription.objects.filter(candidate=candidate)],
        "alerts_sent": [{"sent_at": a.sent_at.isoformat(),
                         "posting": a.posting.title if a.posting_id else None,
                         "session": a.session.title if a.session_id else None}
                        for a in AlertSent.objects.filter(candidate=candidate).select_related("posting", "session")],
    }
