"""Reads behind the job board, the company pages, the admin figures and the shortlists."""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from candidates.models import Candidate, JobInterest, Orientation

from .models import Company, JobPosting, Skill


def open_postings() -> QuerySet[JobPosting]:
    """Published postings whose closing date has not passed."""
    return JobPosting.objects.filter(status=JobPosting.Status.PUBLISHED).filter(
        Q(closes_on__isnull=True) | Q(closes_on__gte=timezone.localdate())
    )


def board_postings() -> QuerySet[JobPosting]:
    """Open postings with what a list card shows, in a fixed number of queries."""
    return (
        open_postings()
        .select_related("company", "job_family")
        .prefetch_related(Prefetch("skills_required", queryset=Skill.objects.only("id", "name")))
        .defer("description", "search_vector", "company__description", "company__description_fr",
               "company__description_en")
        .order_by("-published_at", "-id")
    )


def posting_cities() -> list[str]:
    return list(open_postings().order_by("city").values_list("city", flat=True).distinct())


def _count(qs: QuerySet, field: str = "pk", distinct: bool = False) -> Coalesce:
    """A correlated COUNT subquery, so that several counts do not multiply each other's joins."""
    sq = qs.order_by().annotate(_g=Value(1)).values("_g").annotate(n=Count(field, distinct=distinct)).values("n")
    return Coalesce(Subquery(sq, output_field=IntegerField()), 0)


def company_figures(qs: QuerySet[Company]) -> QuerySet[Company]:
    """Annotate companies with openings (published), interested, oriented and hired candidates."""
    openings = (
        JobPosting.objects.filter(company=OuterRef("pk"), status=JobPosting.Status.PUBLISHED)
        .order_by().annotate(_g=Value(1)).values("_g").annotate(n=Sum("openings")).values("n")
    )
    hired = Candidate.objects.filter(
        Exists(JobInterest.objects.filter(candidate=OuterRef("pk"), status=JobInterest.Status.HIRED,
                                          posting__company=OuterRef(OuterRef("pk"))))
        | Exists(Orientation.objects.filter(candidate=OuterRef("pk"), status=Orientation.Status.HIRED,
                                            company=OuterRef(OuterRef("pk"))))
    )
    return qs.annotate(
        fig_openings=Coalesce(Subquery(openings, output_field=IntegerField()), 0),
        fig_interested=_count(
            JobInterest.objects.filter(posting__company=OuterRef("pk"), confirmed_at__isnull=False),
            "candidate", distinct=True,
        ),
        fig_oriented=_count(Orientation.objects.filter(company=OuterRef("pk")), "candidate", distinct=True),
        fig_hired=_count(hired),
    )


def posting_figures(qs: QuerySet[JobPosting]) -> QuerySet[JobPosting]:
    """Annotate postings with their confirmed interests and orientations."""
    return qs.annotate(
        fig_interested=_count(JobInterest.objects.filter(posting=OuterRef("pk"), confirmed_at__isnull=False)),
        fig_oriented=_count(Orientation.objects.filter(posting=OuterRef("pk"))),
    )


@dataclass
class ShortlistRow:
    candidate: Candidate
    interest: JobInterest | None
    orientation: Orientation | None
    score: int | None

    @property
    def status(self) -> str:
        if self.interest is not None and self.interest.status != JobInterest.Status.NEW:
            return self.interest.status
        if self.orientation is not None and self.orientation.status != Orientation.Status.PROPOSED:
            return self.orientation.status
        return "new"

    @property
    def status_label(self) -> str:
        if self.status == "new":
            return JobInterest.Status.NEW.label
        return JobInterest.Status(self.status).label


def shortlist(*, posting: JobPosting) -> list[ShortlistRow]:
    """Candidates interested in (confirmed) or oriented to `posting` who agreed to be shown to recruiters."""
    interests = JobInterest.objects.filter(posting=posting, confirmed_at__isnull=False)
    orientations = Orientation.objects.filter(posting=posting)
    candidates = (
        Candidate.objects.filter(shown_to_recruiters=True, anonymised_at__isnull=True)
        .filter(Exists(interests.filter(candidate=OuterRef("pk")))
                | Exists(orientations.filter(candidate=OuterRef("pk"))))
        .prefetch_related(
            Prefetch("interests", queryset=interests, to_attr="posting_interests"),
            Prefetch("orientations", queryset=orientations, to_attr="posting_orientations"),
            Prefetch("skills", queryset=Skill.objects.only("id", "name")),
        )
        .order_by("last_name", "first_name", "pk")
    )
    # Through the reverse relation: companies sits below matching and does not import it.
    scores = dict(posting.matches.values_list("candidate_id", "score"))
    return [
        ShortlistRow(
            candidate=c,
            interest=c.posting_interests[0] if c.posting_interests else None,
            orientation=c.posting_orientations[0] if c.posting_orientations else None,
            score=scores.get(c.pk),
        )
        for c in candidates
    ]


def company_open_postings(company: Company) -> QuerySet[JobPosting]:
    return open_postings().filter(company=company).select_related("job_family").order_by("-published_at", "-id")
