"""Full-text search over job postings.

On PostgreSQL each posting stores a tsvector (French stemming) of its title, company name, skill names
and description, behind a GIN index. Company and skills live in other tables, so neither a
GeneratedField nor an expression index can hold them: the vector is refreshed in one SQL statement
whenever a posting, its skills, its company or a skill changes. Accents are folded on both sides
(stored text and query) so that "developpeur" finds "Développeur". On SQLite a plain `icontains`
fallback is used.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet

CONFIG = "french"

# Folded by PostgreSQL's translate() when storing and by str.translate() when querying: same table.
_ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸŒÆ"
_PLAIN = "aaaaaaceeeeiiiinooooouuuuyyoaAAAAAACEEEEIIIINOOOOOUUUUYYOA"
_FOLD = str.maketrans(_ACCENTED, _PLAIN)


def fold_accents(text: str) -> str:
    """Return `text` with the accents PostgreSQL's side folds removed."""
    return text.translate(_FOLD)


def _folded(sql_expr: str) -> str:
    return f"translate(coalesce({sql_expr}, ''), %(accented)s, %(plain)s)"


# Built from constants only; values travel as query parameters.
_REFRESH_SQL = f"""
UPDATE companies_jobposting AS p SET search_vector =
    setweight(to_tsvector('{CONFIG}', {_folded("p.title")}), 'A')
    || setweight(to_tsvector('{CONFIG}', {_folded("c.name")}), 'B')
    || setweight(to_tsvector('{CONFIG}', {_folded('''(
        SELECT string_agg(s.name, ' ') FROM companies_skill s WHERE s.id IN (
            SELECT r.skill_id FROM companies_jobposting_skills_required r WHERE r.jobposting_id = p.id
            UNION SELECT n.skill_id FROM companies_jobposting_skills_nice n WHERE n.jobposting_id = p.id))''')}), 'B')
    || setweight(to_tsvector('{CONFIG}', {_folded("p.description")}), 'C')
FROM companies_company AS c
WHERE c.id = p.company_id AND {{where}}
"""  # noqa: S608


def _refresh(where: str, params: dict) -> int:
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_REFRESH_SQL.format(where=where), {"accented": _ACCENTED, "plain": _PLAIN, **params})
        return cursor.rowcount


def refresh_postings(ids: Iterable[int]) -> int:
    """Recompute the search vector of the given postings; return how many rows changed."""
    ids = list(ids)
    if not ids:
        return 0
    return _refresh("p.id = ANY(%(ids)s)", {"ids": ids})


def refresh_company(company_id: int) -> int:
    return _refresh("p.company_id = %(company)s", {"company": company_id})


def refresh_skill(skill_id: int) -> int:
    return _refresh(
        """(p.id IN (SELECT jobposting_id FROM companies_jobposting_skills_required WHERE skill_id = %(skill)s)
            OR p.id IN (SELECT jobposting_id FROM companies_jobposting_skills_nice WHERE skill_id = %(skill)s))""",
        {"skill": skill_id},
    )


def refresh_all() -> int:
    """Recompute every vector in one statement (after bulk loads that bypass signals)."""
    from tescforce import page_cache

    page_cache.invalidate_watching("companies.JobPosting")
    return _refresh("TRUE", {})


def search(qs: QuerySet, text: str) -> QuerySet:
    """Filter postings matching `text`, best matches first on PostgreSQL."""
    text = text.strip()
    if not text:
        return qs
    if settings.USING_POSTGRES:
        query = SearchQuery(fold_accents(text), config=CONFIG, search_type="websearch")
        return (
            qs.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at", "-id")
        )
    from .models import Skill

    skill_match = Skill.objects.filter(name__icontains=text)
    return qs.filter(
        Q(title__icontains=text)
        | Q(description__icontains=text)
        | Q(company__name__icontains=text)
        | Exists(skill_match.filter(required_by=OuterRef("pk")))
        | Exists(skill_match.filter(nice_for=OuterRef("pk")))
    )
