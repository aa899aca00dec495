"""Reads behind the job board and the company pages."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

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


def company_open_postings(company: Company) -> QuerySet[JobPosting]:
    return open_postings().filter(company=company).select_related("job_family").order_by("-published_at", "-id")


def similar_open_postings(*, job_family_id: int, exclude_slug: str, limit: int = 5) -> list[JobPosting]:
    """Open postings of the same job, newest first: what a visitor of an ended posting may look at instead."""
    return list(board_postings().filter(job_family_id=job_family_id).exclude(slug=exclude_slug)[:limit])
