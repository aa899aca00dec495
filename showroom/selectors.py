"""Reads of the showroom: the public catalogue, its search and the related use cases."""

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Coalesce, NullIf
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

    PostgreSQL: full-text search on that language's columns (French where a translation is missing)
    with its stemming configuration, best matches first. Other databases: a substring match on the
    same text. Technology names match too.
    """
    text = " ".join(text.split())[:200]
    if not text:
        return qs
    language = language or _language()
    technology_ids = UseCase.objects.filter(**{f"technologies__name_{language}__icontains": text}).values("pk")
    if settings.USING_POSTGRES:
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        config = SEARCH_CONFIGS[language]
        vector = (
            SearchVector(_shown("title", language), weight="A", config=config)
            + SearchVector(_shown("summary", language), _shown("sector__name", language), weight="B", config=config)
            + SearchVector(_shown("body", language), _shown("results", language), weight="C", config=config)
        )
        query = SearchQuery(text, config=config, search_type="websearch")
        return (
            qs.annotate(search=vector, rank=SearchRank(vector, query))
            .filter(Q(search=query) | Q(pk__in=technology_ids))
            .order_by("-rank", "position", "title")
        )
    columns = {f"_search_{field}": _shown(field, language) for field in (*SEARCHED_FIELDS, "sector__name")}
    match = Q(pk__in=technology_ids)
    for alias in columns:
        match |= Q(**{f"{alias}__icontains": text})
    return qs.alias(**columns).filter(match)


def _shown(field: str, language: str):
    """Return the text a visitor reading `language` sees in `field`: their column, else the French one
    (modeltranslation's fallback), so that search finds what the page shows."""
    own = F(f"{field}_{language}")
    if language == settings.LANGUAGE_CODE:
        return own
    return Coalesce(NullIf(own, Value(""), output_field=TextField()), F(f"{field}_{settings.LANGUAGE_CODE}"),
                    output_field=TextField())


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
