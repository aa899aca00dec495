"""The use cases' stored search vectors, one per site language (PostgreSQL).

Each vector holds what a visitor reading that language sees, accents folded: the title (weight A), the
summary and the sector's name (B), the body and the measured results (C); an English column left blank
reads the French one, as modeltranslation shows it. The sector lives in another table, so neither a
GeneratedField nor an expression index can hold it: the vectors are refreshed in one statement when a use
case or a sector is saved (showroom.signals), and bulk loads call `refresh_all()`. Stored, the search no
longer builds ~40 vectors from the long texts on every miss of the catalogue (twice: count and page).
"""

from tescforce import page_cache, search_indexes

# The site's languages, their stemming configurations and the columns that hold their vectors.
CONFIGS = {"fr": "french", "en": "english"}
COLUMNS = {language: f"search_vector_{language}" for language in CONFIGS}


def _shown(table: str, field: str, language: str) -> str:
    own = f"{table}.{field}_{language}"
    return own if language == "fr" else f"coalesce(nullif({own}, ''), {table}.{field}_fr)"


def _vector(language: str) -> str:
    config = CONFIGS[language]

    def part(weight: str, *fields: tuple[str, str]) -> str:
        text = " || ' ' || ".join(f"coalesce({_shown(table, field, language)}, '')" for table, field in fields)
        return f"setweight(to_tsvector('{config}', unaccent({text})), '{weight}')"

    return " || ".join((part("A", ("u", "title")), part("B", ("u", "summary"), ("s", "name")),
                        part("C", ("u", "body"), ("u", "results"))))


# Built from constants only; values travel as query parameters.
_SET = ", ".join(f"{COLUMNS[language]} = {_vector(language)}" for language in CONFIGS)
_REFRESH_SQL = f"UPDATE showroom_usecase AS u SET {_SET} FROM showroom_sector AS s WHERE s.id = u.sector_id AND {{where}}"  # noqa: S608, E501


def _refresh(where: str, params: dict) -> int:
    return search_indexes.refresh_vectors(_REFRESH_SQL.format(where=where), params)


def refresh_use_cases(ids) -> int:
    """Recompute the vectors of the given use cases; return how many rows changed."""
    ids = list(ids)
    return _refresh("u.id = ANY(%(ids)s)", {"ids": ids}) if ids else 0


def refresh_sector(sector_id: int) -> int:
    return _refresh("u.sector_id = %(sector)s", {"sector": sector_id})


def refresh_all() -> int:
    """Recompute every vector (after bulk loads that bypass signals) and let the catalogue's pages go."""
    page_cache.invalidate_watching("showroom.UseCase")
    return refresh_everywhere()


def refresh_everywhere() -> int:
    """Recompute every vector, leaving caches alone (migrations)."""
    return _refresh("TRUE", {})
