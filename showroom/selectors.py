"""Reads of the showroom: the public catalogue, its search and the related use cases."""

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf
from django.utils import translation

from tescforce.text import Fold, TextMatch, fold

from . import search
from .models import UseCase

SEARCHED_FIELDS = ("title", "summary", "body", "results")


def published_use_cases() -> QuerySet[UseCase]:
    """Return the published use cases in catalogue order."""
    return (UseCase.objects.filter(is_published=True).select_related("sector")
            .defer(*search.COLUMNS.values()))


def featured_use_cases(*, limit: int = 3) -> QuerySet[UseCase]:
    return published_use_cases().filter(is_featured=True)[:limit]


def _language() -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in search.CONFIGS else settings.LANGUAGE_CODE


def use_case_search(qs: QuerySet[UseCase], text: str, *, language: str | None = None) -> QuerySet[UseCase]:
    """Return the use cases of `qs` matching `text` in `language` (the active one by default).

    Full-text search on that language's columns (French where a translation is missing) with its
    stemming configuration, accents and case folded; best matches first on PostgreSQL. SQLite replays
    the same search (tescforce.text), so both find the same use cases. Technology names match too.
    """
    text = " ".join(text.split())[:200]
    if not text:
        return qs
    language = language or _language()
    config = search.CONFIGS[language]
    technology_ids = (UseCase.objects.alias(_technology=Fold(f"technologies__name_{language}"))
                      .filter(_technology__contains=fold(text)).values("pk"))
    if settings.USING_POSTGRES:
        vector = search.COLUMNS[language]  # stored: showroom.search
        query = SearchQuery(fold(text), config=config, search_type="websearch")
        return (
            qs.annotate(rank=SearchRank(F(vector), query))
            .filter(Q(**{vector: query}) | Q(pk__in=technology_ids))
            .order_by("-rank", "position", "title")
        )
    parts = []
    for field in (*SEARCHED_FIELDS[:2], "sector__name", *SEARCHED_FIELDS[2:]):
        parts += [Coalesce(_shown(field, language), Value(""), output_field=TextField()), Value(" ")]
    document = Concat(*parts, output_field=TextField())
    return qs.filter(TextMatch(document, Value(text), Value(config)) | Q(pk__in=technology_ids))


def _shown(field: str, language: str):
    """Return the text a visitor reading `language` sees in `field`: their column, else the French one
    (modeltranslation's fallback), so that search finds what the page shows."""
    own = F(f"{field}_{language}")
    if language == settings.LANGUAGE_CODE:
        return own
    return Coalesce(NullIf(own, Value(""), output_field=TextField()), F(f"{field}_{settings.LANGUAGE_CODE}"),
                    output_field=TextField())


def related_use_case_ids(use_case: UseCase, *, limit: int = 3) -> list[int]:
    """Return the ids of published use cases of the same sector or sharing technologies, closest first."""
    technology_ids = [technology.pk for technology in use_case.technologies.all()]  # prefetched by the page
    return list(
        published_use_cases()
        .exclude(pk=use_case.pk)
        .annotate(shared=Count("technologies", filter=Q(technologies__in=technology_ids), distinct=True))
        .annotate(same_sector=Case(When(sector_id=use_case.sector_id, then=Value(1)), default=Value(0),
                                   output_field=IntegerField()))
        .filter(Q(same_sector=1) | Q(shared__gt=0))
        .order_by("-shared", "-same_sector", "position", "title")
        .values_list("pk", flat=True)[:limit]
    )
