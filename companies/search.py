"""Full-text search over job postings.

On PostgreSQL each posting stores a tsvector (French stemming) of its title, company name, skill names
and description, behind a GIN index. Company and skills live in other tables, so neither a
GeneratedField nor an expression index can hold them: the vector is refreshed in one SQL statement
whenever a posting, its skills, its company or a skill changes. Accents are folded on both sides
(stored text and query) so that "developpeur" finds "Développeur". On SQLite the same text is matched
by `tescforce.text.matches` (same tokens, stemming and query syntax), so both give the same results.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat

from tescforce import page_cache, search_indexes
from tescforce.text import TextMatch, fold

from .models import Skill

CONFIG = "french"


def _folded(sql_expr: str) -> str:
    # The SQL side of tescforce.text.fold (to_tsvector lower-cases); the query is folded in Python.
    return f"unaccent(coalesce({sql_expr}, ''))"


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
    return search_indexes.refresh_vectors(_REFRESH_SQL.format(where=where), params)


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
    page_cache.invalidate_watching("companies.JobPosting")
    return refresh_postings_everywhere()


def refresh_postings_everywhere() -> int:
    """Recompute every vector, leaving caches alone (migrations)."""
    return _refresh("TRUE", {})


def search(qs: QuerySet, text: str) -> QuerySet:
    """Filter postings matching `text`, best matches first on PostgreSQL."""
    text = text.strip()
    if not text:
        return qs
    if settings.USING_POSTGRES:
        query = SearchQuery(fold(text), config=CONFIG, search_type="websearch")
        return (
            qs.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at", "-id")
        )
    return qs.filter(TextMatch(_document(), Value(text), Value(CONFIG)))


class _SkillNames(Subquery):
    """The names of a posting's skills, space-separated."""

    template = "(SELECT group_concat(name, ' ') FROM (%(subquery)s) AS skill_names)"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "(SELECT string_agg(name, ' ') FROM (%(subquery)s) AS skill_names)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def _document() -> Concat:
    """Return, in SQL, the text PostgreSQL's vector is made of: title, company, skills, description."""
    skills = Skill.objects.filter(Q(required_by=OuterRef("pk")) | Q(nice_for=OuterRef("pk"))).values("name").distinct()
    names = Coalesce(_SkillNames(skills), Value(""), output_field=TextField())
    return Concat("title", Value(" "), "company__name", Value(" "), names, Value(" "), "description",
                  output_field=TextField())
