"""Drawing the benchmark's URLs at random from the data (pure functions: no Django, no database).

A visitor rarely asks for the URL the one before asked for: the board's filters combine, the search words
vary, people page deep, and each posting, company, session or use case has its page in two languages.
bench/run.py reads the values from the database and draws with these; tests/bench checks them.
"""

import random
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

LANGUAGES = ("fr", "en")
# How often each filter of the board is set on a drawn URL; a search word about as often as a city.
BOARD_FILTERS = {"q": 0.35, "city": 0.35, "contract": 0.3, "job_family": 0.2, "skill": 0.15, "remote": 0.15,
                 "retraining": 0.1}
DEEP_SHARE = 0.3  # of drawn list URLs ask for a page beyond the first
DEEP_PAGES = (2, 50)


def with_query(path: str, params: dict) -> str:
    """The path with its parameters sorted by name, so two equal queries give one URL."""
    query = urlencode(sorted((k, v) for k, v in params.items() if v not in (None, "")))
    return f"{path}?{query}" if query else path


def detail_urls(patterns: dict[str, str], values: Sequence) -> list[str]:
    """Each value's page in each language; `patterns` maps a language to a path holding {}."""
    return [patterns[lang].format(value) for value in values for lang in LANGUAGES if lang in patterns]


def list_url(rng: random.Random, paths: dict[str, str], choices: dict[str, Sequence], shares: dict[str, float],
             pages_of: Callable[[dict], int] | None = None) -> str:
    """A list's URL in a random language with a random combination of its filters and, for DEEP_SHARE of
    them, a page from 2 to 50 that exists for those filters (pages_of: how many pages they give)."""
    lang = rng.choice([lang for lang in LANGUAGES if lang in paths])
    params = {name: rng.choice(choices[name]) for name, share in shares.items()
              if choices.get(name) and rng.random() < share}
    if pages_of is not None and rng.random() < DEEP_SHARE:
        last = min(DEEP_PAGES[1], pages_of(params))
        if last >= DEEP_PAGES[0]:
            params["page"] = rng.randint(DEEP_PAGES[0], last)
    return with_query(paths[lang], params)


def distinct(draw: Callable[[], str], count: int, tries: int | None = None) -> list[str]:
    """Up to `count` distinct URLs from `draw`, in the order first drawn (fewer if it keeps repeating)."""
    seen: dict[str, None] = {}
    for _ in range(tries if tries is not None else count * 20):
        if len(seen) >= count:
            break
        seen.setdefault(draw(), None)
    return list(seen)


def split(urls: list[str], shares: Sequence[float]) -> list[list[str]]:
    """Disjoint slices of `urls` in these proportions (the last takes the rest)."""
    parts, start = [], 0
    for share in shares[:-1]:
        end = start + round(len(urls) * share)
        parts.append(urls[start:end])
        start = end
    parts.append(urls[start:])
    return parts
