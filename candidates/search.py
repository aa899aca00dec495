"""Finding candidates by what a person types: accents, case and phone formats do not matter.

One search text per candidate (first name, last name and e-mail folded, phone as national digits),
made by `public.tf_candidate_search()` on PostgreSQL (migration 0004) and by the same function registered
in Python on SQLite, and kept in a generated column with a trigram index (`Candidate.search_text`,
migration 0021). The hotline's caller search and the candidate admin's search box both use it. The
folded names alone (`Candidate.name_text`, with its own trigram index) are what the hotline compares
loosely to find a misspelt name.
"""

import operator
import re
from dataclasses import dataclass
from functools import reduce

from django.db.models import Q

from tescforce.text import fold, register_sqlite_function

from .models import Candidate

MIN_TOKEN_LENGTH = 3

_PHONE_LIKE = re.compile(r"[\d\s.\-+()/]+")


def phone_digits(value: str) -> str:
    """Return a phone number as national-format digits: "+33 6 12…" and "0033 6…" become "06…"."""
    value = (value or "").strip().replace("(0)", "")
    digits = re.sub(r"\D", "", value)
    if value.startswith("+33"):
        return "0" + digits[2:]
    if digits.startswith("0033"):
        return "0" + digits[4:]
    return digits


def contact_key(contact: str) -> str:
    """Return a phone or e-mail in one comparable form: lower-case e-mail, or national phone digits."""
    contact = (contact or "").strip()
    if not contact:
        return ""
    if "@" in contact:
        return contact.lower()[:254]
    if _PHONE_LIKE.fullmatch(contact):
        return phone_digits(contact)[:254]
    return ""


def _name_text(first_name, last_name) -> str:
    # Mirrors public.tf_candidate_name() of migration 0017 for SQLite.
    return fold(f"{first_name or ''} {last_name or ''}")


def _search_text(first_name, last_name, email, phone) -> str:
    # Mirrors public.tf_candidate_search() of migration 0004 for SQLite.
    names = fold(f"{first_name or ''} {last_name or ''} {email or ''}")
    return f"{names} {phone_digits(phone or '')}"


@dataclass(frozen=True)
class SearchQuery:
    tokens: tuple[str, ...]
    is_phone: bool

    @property
    def usable(self) -> bool:
        return any(len(t) >= MIN_TOKEN_LENGTH for t in self.tokens)


def normalise_query(raw: str) -> SearchQuery:
    """Split what the agent typed into folded tokens; phone-looking input becomes one digits token."""
    raw = (raw or "").strip()[:200]
    if _PHONE_LIKE.fullmatch(raw) and sum(ch.isdigit() for ch in raw) >= 2:
        return SearchQuery(tokens=(phone_digits(raw),), is_phone=True)
    return SearchQuery(tokens=tuple(fold(raw).split()), is_phone=False)


def register_sqlite_functions() -> None:
    """Give SQLite the twins of the functions the candidates' generated columns call
    (`Candidate.search_text`, `Candidate.name_text`)."""
    register_sqlite_function("tf_candidate_search", _search_text)
    register_sqlite_function("tf_candidate_name", _name_text)


def searchable(candidates=None):
    """The living candidates (of `candidates`, or all), to find by their search text (`search_text`).

    Erased people have no name, e-mail or phone left to find; leaving them out is also the condition of the
    partial trigram index, without which PostgreSQL reads every row (about 20 times slower).
    """
    candidates = Candidate.objects.all() if candidates is None else candidates
    return candidates.filter(anonymised_at__isnull=True)


def holds_every_token(parsed: SearchQuery) -> Q:
    """The condition on `search_text` that a candidate found by `parsed` meets."""
    return reduce(operator.and_, (Q(search_text__contains=token) for token in parsed.tokens), Q())


def matching_candidates(parsed: SearchQuery, candidates=None):
    """Return the candidates (of `candidates`, or all) whose search text holds every token."""
    return searchable(candidates).filter(holds_every_token(parsed))
