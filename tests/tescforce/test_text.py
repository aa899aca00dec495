"""The one fold function and the embedded text matcher."""

import pytest

from tescforce.text import fold, matches


@pytest.mark.parametrize(("text", "folded"), [
    ("Développeur", "developpeur"),
    ("ÉNERGIE", "energie"),
    ("Cœur de métier", "coeur de metier"),
    ("Straße", "strasse"),
    ("", ""),
    (None, ""),
])
def test_fold_drops_accents_and_case(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(("query", "found"), [
    ("développeurs", True),  # same stem
    ("DEVELOPPEUR", True),
    ("java", False),
    ("python -java", True),
    ("python -rust", False),
    ("java or rust", True),
    ('"réponse aux incidents"', True),  # stop word inside a phrase keeps its place
    ('"réponse incidents"', False),
    ("back-end", True),
    ("le", False),  # a stop word alone finds nothing
    ("ci", False),  # "CI/CD" is one token, as in PostgreSQL
    ("ci/cd", True),
])
def test_matches_follows_postgres_websearch(query, found):
    text = "Développeur back-end Python et Rust : réponse aux incidents, CI/CD."
    assert matches(text, query, "french") is found
