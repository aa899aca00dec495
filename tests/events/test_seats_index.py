"""The sessions' seat counts can be read from an index alone (PostgreSQL).

Which index the planner picks on a test table of a few rows is not stable (before a VACUUM every index
looks alike to it); what the counts need is: an index led by the session that holds every column of
the bookings they read. On the benchmark's 50,000 bookings the planner uses it (docs/performance.md).
"""

import json

import pytest
from django.db import connection

from events import selectors
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _scans_of(plan: dict, table: str) -> list[dict]:
    found = [plan] if plan.get("Relation Name") == table else []
    for child in plan.get("Plans", []):
        found += _scans_of(child, table)
    return found


def _index_columns(name: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("""SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                          JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON TRUE
                          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                          WHERE c.relname = %s ORDER BY k.n""", [name])
        return [row[0] for row in cursor.fetchall()]


def test_the_seat_counts_read_only_columns_of_the_seats_index():
    sessions = [factories.SessionFactory(is_published=True) for _ in range(3)]
    for session in sessions:
        for _ in range(4):
            factories.RegistrationFactory(session=session)
    queryset = selectors.session_upcoming().filter(pk__in=[s.pk for s in sessions])
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (VERBOSE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    scans = _scans_of(plan[0]["Plan"], "events_registration")
    assert len(scans) == 1
    read = {column.rsplit(".", 1)[-1] for column in scans[0]["Output"]}
    for key in ("Index Cond", "Filter", "Recheck Cond"):
        read |= {name for name in ("session_id", "status", "walk_in", "id") if name in scans[0].get(key, "")}
    index = _index_columns("registration_seats_idx")
    assert index[0] == "session_id"
    assert read <= set(index), (read, index)

    figures = {s.pk: (s.n_seats, s.seats_left) for s in queryset}
    assert figures == {s.pk: (4, s.capacity - 4) for s in sessions}
