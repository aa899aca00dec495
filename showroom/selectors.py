"""Reads of the showroom: the public catalogue, its search and the related use cases."""

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import translation

from .models import UseCase

# PostgreSQL text search configuration per site language.
SEARCH_CONFIGS = {"fr": "french", "en": "english"}
SEARCHED_FIELDS = ("title", "summary", "body", "results")


def published_use_cases() -> QuerySet[UseCase]:
    """Return the published use cases in catalogue order."""
    return UseCase.objects.filter(is_published=True).select_related("sector")


def featured_use_cases(*, limit: int = 3) -> QuerySet[UseCase]:
    return published_use_cases().filter(is_featured=True)[:limit]


def _language() -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in SEARCH_CONFIGS else settings.LANGUAGE_CODE


def use_case_search(qs: QuerySet[UseCase], text: str, *, language: str | None = None) -> QuerySet[UseCase]:
    """Return the use cases of `qs` matching `text` in `language` (the active one by default).

    PostgreSQL: full-text search on that language's columns with its stemming configuration, best
    matches first. Other databases: a plain substring match on the same columns.
    """
    text = " ".join(text.split())[:200]
    if not text:
        return qs
    language = language or _language()
    by_technology = Q(technologies__name__icontains=text) | Q(**{f"technologies__name_{language}__icontains": text})
    technology_ids = UseCase.objects.filter(by_technology).values("pk")
    if settings.USING_POSTGRES:
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        config = SEARCH_CONFIGS[language]
        vector = (
            SearchVector(f"title_{language}", weight="A", config=config)
            + SearchVector(f"summary_{language}", f"sector__name_{language}", weight="B", config=config)
            + SearchVector(f"body_{language}", f"results_{language}", weight="C", config=config)
        )
        query = SearchQuery(text, config=config, search_type="websearch")
        return (
            qs.annotate(search=vector, rank=SearchRank(vector, query))
            .filter(Q(search=query) | Q(pk__in=technology_ids))
            .order_by("-rank", "position", "title")
        )
    match = Q(pk__in=technology_ids) | Q(**{f"sector__name_{language}__icontains": text})
    for field in SEARCHED_FIELDS:
        match |= Q(**{f"{field}_{language}__icontains": text})
    return qs.filter(match)


def related_use_cases(use_case: UseCase, *, limit: int = 3) -> list[UseCase]:
    """Return published use cases of the same sector or sharing technologies, closest first."""
    technology_ids = list(use_case.technologies.values_list("pk", flat=True))
    return list(
        published_use_cases()
        .exclude(pk=use_case.pk)
        .annotate(shared=Count("technologies", filter=Q(technologies__in=technology_ids), distinct=True))
        .annotate(same_sector=Case(When(sector_id=use_case.sector_id, then=Value(1)), default=Value(0),
                                   output_field=IntegerField()))
        .filter(Q(same_sector=1) | Q(shared__gt=0))
        .order_by("-shared", "-same_sector", "position", "title")
        .prefetch_related("technologies", "images")[:limit]
    )
