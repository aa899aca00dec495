"""The board's and the showroom's search give the same results on SQLite (the embedded default) and on
PostgreSQL, on the demo data: accents and case folded, French stemming, the same query syntax.

Run it both ways: without DATABASE_URL (SQLite), and with it (PostgreSQL, where the second test also
replays every query through the embedded matcher on the same rows and asserts both backends agree).
"""

import re

import pytest

from companies import selectors as board
from companies.models import JobPosting
from showroom.models import UseCase
from showroom.selectors import published_use_cases
from tescforce.text import fold, matches

pytestmark = pytest.mark.django_db


def _words(*patterns: str):
    """Return a predicate: every pattern (a regular expression over folded text) is found as a word."""
    compiled = [re.compile(rf"\b(?:{pattern})\b") for pattern in patterns]
    return lambda text: all(p.search(text) for p in compiled)


# Each query with what a reader counts as a hit, written from the words' meaning, not from the code:
# the French forms sharing the query's stem, in any case and with or without accents.
DEVELOPER = r"developpeurs?"
QUERIES = {
    "developpeur": _words(DEVELOPER),
    "DÉVELOPPEUR": _words(DEVELOPER),
    "Développeurs": _words(DEVELOPER),
    "energie": _words(r"energies?"),
    "énergie": _words(r"energies?"),
    "données": _words(r"donnees?|donne|donner|dons?|donnes|donnent"),
    "cyber": _words("cyber"),
    "cybersécurité": _words(r"cybersecurites?"),
    "python": _words("python"),
    "PYTHON": _words("python"),
    "développeur python": _words(DEVELOPER, "python"),
    "data analyste": _words("data", r"analystes?"),
    "développeur -java": lambda text: _words(DEVELOPER)(text) and not _words("java")(text),
    "cloud or cybersécurité": lambda text: _words(r"clouds?")(text) or _words(r"cybersecurites?")(text),
    '"intelligence artificielle"': _words(r"intelligences? artificielles?"),
    "le": lambda text: False,  # a stop word alone finds nothing, on both backends
}


def _board_texts() -> dict[str, str]:
    """Return each open posting's searchable text (title, company, skills, description), folded."""
    postings = board.open_postings().select_related("company").prefetch_related("skills_required", "skills_nice")
    return {p.slug: fold(" ".join([p.title, p.company.name, *(s.name for s in p.skills_required.all()),
                                   *(s.name for s in p.skills_nice.all()), p.description])) for p in postings}


def _showroom_texts() -> dict[str, tuple[str, str]]:
    """Return each published use case's searchable text in French, folded, and its technologies."""
    cases = published_use_cases().prefetch_related("technologies")
    return {c.slug: (fold(" ".join([c.title_fr, c.summary_fr, c.sector.name_fr if c.sector else "", c.body_fr,
                                    c.results_fr])),
                     " | ".join(fold(t.name_fr) for t in c.technologies.all())) for c in cases}


def _found(client, path: str, query: str) -> set[str]:
    response = client.get(path, {"q": query})
    assert response.status_code == 200
    # The lists page over ids (their cards are cached one by one).
    model = JobPosting if "/offres/" in path else UseCase
    return set(model.objects.filter(pk__in=list(response.context["page"].paginator.object_list))
               .values_list("slug", flat=True))


def test_board_and_showroom_find_what_a_reader_expects_on_this_backend(client, demo_data):
    postings, cases = _board_texts(), _showroom_texts()
    assert sum(QUERIES["developpeur"](text) for text in postings.values()) >= 10  # the demo data has them

    wrong = {}
    for query, hit in QUERIES.items():
        expected_postings = {slug for slug, text in postings.items() if hit(text)}
        found_postings = _found(client, "/fr/offres/", query)
        if found_postings != expected_postings:
            wrong[("board", query)] = (found_postings ^ expected_postings)
        # The showroom also finds a use case by one of its technologies' names.
        expected_cases = {slug for slug, (text, technologies) in cases.items()
                          if hit(text) or (fold(query) in technologies)}
        found_cases = _found(client, "/fr/showroom/", query)
        if found_cases != expected_cases:
            wrong[("showroom", query)] = (found_cases ^ expected_cases)
    assert wrong == {}


def test_accents_and_case_do_not_change_what_the_board_finds(client, demo_data):
    developers = _found(client, "/fr/offres/", "developpeur")
    assert len(developers) >= 10
    assert _found(client, "/fr/offres/", "DÉVELOPPEUR") == developers
    assert _found(client, "/en/offres/", "Développeur") == developers
    assert _found(client, "/fr/showroom/", "energie") == _found(client, "/fr/showroom/", "ÉNERGIE") != set()


@pytest.mark.postgres
def test_postgres_and_embedded_search_agree_on_the_demo_data(demo_data):
    """PostgreSQL's full-text search and the embedded matcher (what SQLite runs) pick the same rows."""
    from companies.search import _document, search
    from showroom.selectors import use_case_search

    skills = list(JobPosting.objects.values_list("skills_required__name", flat=True).distinct())
    queries = [*QUERIES, *(s for s in skills if s), "Toulouse", "back-end", "réponse aux incidents", "CI/CD",
               "développeuse", "sécurité -cloud", "IA or intelligence", "Montpellier Occitanie", "énergétique"]
    postings = dict(board.open_postings().annotate(doc=_document()).values_list("slug", "doc"))
    cases = {slug: " ".join(filter(None, parts)) for slug, *parts in published_use_cases().values_list(
        "slug", "title_fr", "summary_fr", "sector__name_fr", "body_fr", "results_fr")}
    technologies = {case.slug: " | ".join(fold(t.name_fr) for t in case.technologies.all())
                    for case in published_use_cases().prefetch_related("technologies")}
    disagree = {}
    for query in queries:
        on_postgres = set(search(board.open_postings(), query).values_list("slug", flat=True))
        embedded = {slug for slug, doc in postings.items() if matches(doc, query, "french")}
        if on_postgres != embedded:
            disagree[("board", query)] = on_postgres ^ embedded
        on_postgres = set(use_case_search(published_use_cases(), query, language="fr").values_list("slug", flat=True))
        embedded = {slug for slug, doc in cases.items()
                    if matches(doc, query, "french") or fold(query) in technologies.get(slug, "")}
        if on_postgres != embedded:
            disagree[("showroom", query)] = on_postgres ^ embedded
    assert len(queries) >= 30
    assert disagree == {}
