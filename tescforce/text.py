"""Text folding, and the text search the embedded database runs the way PostgreSQL does.

`fold()` is the one accent- and case-folding function of the platform; in SQL it is `Fold()`
(PostgreSQL's `unaccent(lower(…))`, SQLite's `tf_fold(…)`).

PostgreSQL searches with `to_tsvector`/`websearch_to_tsquery` (Snowball stemming, stop words) on
folded text. SQLite has neither, so `matches()` replays the same steps in Python — same tokens,
same stop lists, same Snowball stemmers, same query syntax (words, "phrases", `or`, `-word`) — and
`TextMatch()` calls it as the SQLite function `tf_search`. Both backends then give the same results
(tests/test_search_backends.py checks it on the demo data). Not replayed: ranking, and PostgreSQL's
rarer token kinds (URLs with paths, signed numbers, versions), which fall back to plain words.

Misspelt names ("Rokes" for Roques) are found by trigram similarity: pg_trgm's
`strict_word_similarity()` on PostgreSQL, `strict_word_similarity()` below (SQL `tf_strict_word_similarity`)
on SQLite, with the same trigrams; `StrictWordSimilarity()` is either in SQL.
"""

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import snowballstemmer
from django.db.models import BooleanField, FloatField, Func, TextField

from . import stopwords

# Letters NFKD does not split into base + accent; unaccent folds them so.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


def fold(text: str | None) -> str:
    """Return `text` lower-cased without accents: "Développeur Œuvre" → "developpeur oeuvre"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold().translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Fold(Func):
    """`fold()` in SQL."""

    function = "tf_fold"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="unaccent(lower(%(expressions)s))", **extra_context)


# PostgreSQL's text search configurations, by the name used in SQL.
_LANGUAGES = {
    "french": (snowballstemmer.stemmer("french"), stopwords.FRENCH),
    "english": (snowballstemmer.stemmer("english"), stopwords.ENGLISH),
}

# PostgreSQL's parser, for the token kinds met in our texts; kinds other than words are kept whole,
# unstemmed (its `simple` dictionary), so "CI/CD" or "node.js" is one token there and here.
_TOKEN = re.compile(
    r"""(?P<whole>[^\W_][\w.+-]*@[^\W_][\w-]*(?:\.[\w-]+)+    # e-mail
       |(?:[^\W_][\w-]*\.)+[^\W\d_]{2,}(?![\w.])             # host: node.js, www.laregion.fr
       |[\w.-]*[^\W_]/[\w./-]*[^\W_]                         # file: CI/CD, TCP/IP
       |\d+\.\d+)                                            # float
      |(?P<compound>[^\W_]+(?:-[^\W_]+)+)                    # hyphenated: back-end, Saint-Sernin
      |(?P<word>[^\W_]+)""",
    re.VERBOSE,
)


def _lexeme(token: str, language: str) -> str | None:
    """Return what PostgreSQL stores for `token` (already folded): None for a stop word."""
    stemmer, stop = _LANGUAGES[language]
    if token in stop:
        return None
    if token.isalpha() or (("-" in token) and not any(ch.isdigit() for ch in token)):
        return stemmer.stemWord(token)
    return token


def _lexemes(text: str, language: str) -> list[str | None]:
    """Return the lexemes of `text` by position (None where a stop word stands), as to_tsvector would."""
    found: list[str | None] = []
    for match in _TOKEN.finditer(fold(text)):
        if match.group("compound"):
            # PostgreSQL keeps the hyphenated word and then each of its parts, each at its own position.
            compound = match.group("compound")
            found.append(_lexeme(compound, language))
            found.extend(_lexeme(part, language) for part in compound.split("-"))
        else:
            found.append(_lexeme(match.group(), language))
    return found


@lru_cache(maxsize=4096)
def _document(text: str, language: str) -> dict[str, frozenset[int]]:
    positions: dict[str, set[int]] = {}
    for position, lexeme in enumerate(_lexemes(text, language)):
        if lexeme is not None:
            positions.setdefault(lexeme, set()).add(position)
    return {lexeme: frozenset(at) for lexeme, at in positions.items()}


# A phrase is a list of (offset, lexeme); a term is (negated, phrase); a query is OR of AND of terms.
Phrase = tuple[tuple[int, str], ...]


def _phrase(text: str, language: str) -> Phrase:
    lexemes = _lexemes(text, language)
    return tuple((offset, lexeme) for offset, lexeme in enumerate(lexemes) if lexeme is not None)


_QUERY_ITEM = re.compile(r'(?P<neg>-)?"(?P<quoted>[^"]*)"?|(?P<neg2>-)?(?P<plain>[^\s"]+)')


@lru_cache(maxsize=512)
def parse_query(query: str, language: str) -> tuple[tuple[tuple[bool, Phrase], ...], ...]:
    """Return `query` in websearch_to_tsquery's terms: alternatives (`or`) of terms that must all hold."""
    groups: list[list[tuple[bool, Phrase]]] = [[]]
    for item in _QUERY_ITEM.finditer(query):
        if item.group("plain") and item.group("plain").casefold() == "or" and not item.group("neg2"):
            if groups[-1]:
                groups.append([])
            continue
        negated = bool(item.group("neg") or item.group("neg2"))
        phrase = _phrase(item.group("quoted") if item.group("quoted") is not None else item.group("plain"), language)
        if phrase:  # a stop word alone says nothing, as in PostgreSQL
            groups[-1].append((negated, phrase))
    return tuple(tuple(group) for group in groups if group)


def _has(document: dict[str, frozenset[int]], phrase: Phrase) -> bool:
    first_offset, first = phrase[0]
    for start in document.get(first, ()):
        base = start - first_offset
        if all(base + offset in document.get(lexeme, ()) for offset, lexeme in phrase[1:]):
            return True
    return False


def matches(text: str | None, query: str, language: str = "french") -> bool:
    """Return whether `text` matches `query` as to_tsvector(language, text) @@ websearch_to_tsquery would."""
    document = _document(text or "", language)
    return any(all(_has(document, phrase) != negated for negated, phrase in group)
               for group in parse_query(query, language))


_TRIGRAM_WORD = re.compile(r"[^\W_]+")


def _word_trigrams(word: str) -> list[str]:
    padded = f"  {word} "  # pg_trgm pads each word with two spaces before and one after
    return [padded[i:i + 3] for i in range(len(padded) - 2)]


def trigrams(text: str | None) -> set[str]:
    """Return pg_trgm's trigrams of `text`: show_trgm('Roques') = {"  r", " ro", "roq", "oqu", "que", "ues", "es "}."""
    return {trigram for word in _TRIGRAM_WORD.findall((text or "").lower()) for trigram in _word_trigrams(word)}


def strict_word_similarity(query: str | None, text: str | None) -> float:
    """Return pg_trgm's strict_word_similarity(query, text): the best similarity between `query`'s trigrams
    and those of a run of whole words of `text` (shared trigrams over all trigrams of both)."""
    wanted = trigrams(query)
    if not wanted:
        return 0.0
    words = [set(_word_trigrams(word)) for word in _TRIGRAM_WORD.findall((text or "").lower())]
    best = 0.0
    for start in range(len(words)):
        extent: set[str] = set()
        for word in words[start:]:
            extent |= word
            shared = len(wanted & extent)
            best = max(best, shared / (len(wanted) + len(extent) - shared))
    # pg_trgm computes in single precision (float4): round alike so thresholds cut the same rows.
    return round(best, 6)


class StrictWordSimilarity(Func):
    """`strict_word_similarity(query, text)` in SQL: pg_trgm's on PostgreSQL, the function above on SQLite."""

    function = "tf_strict_word_similarity"
    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="strict_word_similarity", **extra_context)


class TextMatch(Func):
    """`matches()` in SQL, for SQLite (PostgreSQL uses its own full-text search)."""

    function = "tf_search"
    output_field = BooleanField()


# Python twins of the rooms' SQL functions (PostgreSQL has them from the rooms' migrations), by name.
_ROOM_FUNCTIONS: dict[str, Callable] = {}


def register_sqlite_function(name: str, twin: Callable) -> None:
    """Have every new SQLite connection know `name` as `twin`: a room's SQL function, which its generated
    columns call on each write (from the room's AppConfig.ready, before any connection)."""
    _ROOM_FUNCTIONS[name] = twin


def install_sqlite_functions(sender, connection, **kwargs) -> None:
    """Give a new SQLite connection `tf_fold`, `tf_search` and the rooms' functions (hooked on
    `connection_created`)."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("tf_fold", 1, fold, deterministic=True)
    connection.connection.create_function("tf_strict_word_similarity", 2, strict_word_similarity, deterministic=True)
    connection.connection.create_function(
        "tf_search", 3, lambda text, query, language: matches(text, query or "", language), deterministic=True)
    for name, twin in _ROOM_FUNCTIONS.items():
        connection.connection.create_function(name, twin.__code__.co_argcount, twin, deterministic=True)
