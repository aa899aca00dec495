"""The hotline search on 100,000 candidates: a benchmark that prints the median, asserting no time.

    HOTLINE_BENCH=1 DATABASE_URL=postgres://… .venv/bin/pytest tests/candidates/test_hotline_search_bench.py -s

Skipped unless HOTLINE_BENCH=1 (loading the rows takes about half a minute). It asserts only that
PostgreSQL answers through the trigram index and finds the right person.
"""

import os
import random
import statistics
import time

import pytest
from django.db import connection

from candidates import search
from candidates.models import Candidate
from hotline import selectors

N = int(os.environ.get("HOTLINE_BENCH_SIZE", "100000"))
FIRST = ["Hélène", "Zoé", "Jérôme", "François", "Léa", "Chloé", "Noël", "Anaïs", "Mathéo", "Inès", "Loïc", "Maëlle",
         "Thomas", "Camille", "Nicolas", "Sarah", "Julien", "Emma", "Hugo", "Manon", "Lucas", "Jade", "Karim",
         "Yasmine"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
        "Laurent", "Lefèvre", "Michel", "Garcia", "Fournier", "Girard", "Bonnet", "Mercier", "Rousseau", "Faure",
        "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
        "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer",
        "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier"]
QUERIES = ["Helene Guerin", "guérin", "jerome lef", "+33 6 12 34 56 78", "06.12.34.56.78", "0612345678", "06 98 7",
           "anais.roussel", "maelle", "Nguyen Karim", "zzzz-nobody", "lefevre@exa"]
# Misspelt names, answered by the close-match pass of `caller_search` (trigram similarity).
CLOSE_QUERIES = ["Gerrin", "Lefebre", "helene gerin", "Chevallier", "Nguyen Karin", "zzzz"]


def _load(n: int) -> None:
    rng = random.Random(20261126)
    rows = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{search.fold(first)}.{search.fold(last)}.{i}@example.org".replace(" ", "")
        phone = f"+33{rng.choice('67')}{rng.randrange(10**8):08d}"
        rows.append(Candidate(first_name=first, last_name=last, email=email, phone=phone,
                              profile=Candidate.Profile.RETRAINING, city="Toulouse"))
    rows.append(Candidate(first_name="Hélène", last_name="Guérin-Target", email="cible@example.org",
                          phone="+33612345678", profile=Candidate.Profile.RETRAINING))
    Candidate.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE candidates_candidate")


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.skipif(os.environ.get("HOTLINE_BENCH") != "1", reason="benchmark: set HOTLINE_BENCH=1")
def test_hotline_search_on_100k_candidates_reports_the_median():
    started = time.perf_counter()
    _load(N)
    print(f"\nloaded {N + 1} candidates in {time.perf_counter() - started:.1f} s")
    timings: dict[str, list[float]] = {}
    for _round in range(7):
        for query in QUERIES:
            t0 = time.perf_counter()
            results = list(selectors.candidate_search(query=query))
            timings.setdefault(query, []).append((time.perf_counter() - t0) * 1000)
    for _round in range(7):
        for query in CLOSE_QUERIES:
            t0 = time.perf_counter()
            list(selectors.caller_search(query=query))
            timings.setdefault(f"~{query}", []).append((time.perf_counter() - t0) * 1000)
    for query in [*QUERIES, *(f"~{q}" for q in CLOSE_QUERIES)]:
        print(f"{query!r:24} median {statistics.median(timings[query]):7.1f} ms")
    all_ms = [statistics.median(v) for v in timings.values()]
    print(f"median over the queries: {statistics.median(all_ms):.1f} ms; slowest query median: {max(all_ms):.1f} ms")

    target = Candidate.objects.get(email="cible@example.org")
    for query in ("+33 6 12 34 56 78", "06.12.34.56.78", "0612345678"):
        assert target in selectors.candidate_search(query=query, limit=1000)
    assert target in selectors.candidate_search(query="helene guerin-target")
    assert target in selectors.caller_search(query="helene gerin-targt", limit=1000)
    sql, params = selectors.candidate_matches(search.normalise_query("Helene Guerin")).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(plan)
    assert "candidate_search_trgm_idx" in plan
    assert not results or all(isinstance(c, Candidate) for c in results)
