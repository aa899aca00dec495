"""Reads behind the job board and the company pages."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from tescforce.text import Fold

from .models import Company, JobPosting, Skill


def open_postings() -> QuerySet[JobPosting]:
    """Published postings whose closing date has not passed."""
    return JobPosting.objects.filter(status=JobPosting.Status.PUBLISHED).filter(
        Q(closes_on__isnull=True) | Q(closes_on__gte=timezone.localdate())
    )


BOARD_ORDER = ("-published_at", "-id")


def board_postings() -> QuerySet[JobPosting]:
    """Open postings with what a list card shows, in a fixed number of queries."""
    return (
        open_postings()
        .select_related("company", "job_family")
        .prefetch_related(Prefetch("skills_required", queryset=Skill.objects.only("id", "name")))
        .defer("description", "search_vector", "company__description", "company__description_fr",
               "company__description_en")
        .order_by(*BOARD_ORDER)
    )


def posting_cards(ids) -> list[JobPosting]:
    """The postings `ids` with what a board card shows, for rendering the cards not cached yet.

    Each has `skill_names` (its required skills, in the skills' order) and `contract_label`,
    `remote_label`, `level_label`. Two queries, and no per-posting work in the ORM: a prefetch clones a
    queryset per posting, and a `get_FOO_display` evaluates the translation of every choice to find one.
    """
    ids = list(ids)
    postings = list(board_postings().prefetch_related(None).defer("description_en").filter(pk__in=ids))
    names: dict[int, list[str]] = {pk: [] for pk in ids}
    required = JobPosting.skills_required.through.objects.filter(jobposting_id__in=ids)
    for posting_id, name in required.order_by(Fold("skill__name"), "skill__name").values_list(
            "jobposting_id", "skill__name"):
        names[posting_id].append(name)
    labels = {field: {value: str(label) for value, label in choices} for field, choices in (
        ("contract", JobPosting.Contract.choices), ("remote", JobPosting.Remote.choices),
        ("level", JobPosting.Level.choices))}
    for posting in postings:
        posting.skill_names = names[posting.pk]
        for field, shown in labels.items():
            value = getattr(posting, field)
            setattr(posting, f"{field}_label", shown.get(value, value))
    return postings


def posting_cities() -> list[str]:
    return list(open_postings().order_by("city").values_list("city", flat=True).distinct())


def company_open_postings(company: Company) -> QuerySet[JobPosting]:
    return open_postings().filter(company=company).select_related("job_family").order_by("-published_at", "-id")


def similar_open_postings(*, job_family_id: int, exclude_slug: str, limit: int = 5) -> list[JobPosting]:
    """Open postings of the same job, newest first: what a visitor of an ended posting may look at instead."""
    return list(board_postings().filter(job_family_id=job_family_id).exclude(slug=exclude_slug)[:limit])
