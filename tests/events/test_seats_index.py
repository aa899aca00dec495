"""The sessions' seat counts are read from an index alone (PostgreSQL's plan)."""

import pytest
from django.db import connection

from events import selectors
from tests import factories
from tests.plans import fresh_indexes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_a_page_of_sessions_counts_its_seats_from_the_index_alone():
    sessions = [factories.SessionFactory(is_published=True) for _ in range(3)]
    for session in sessions:
        for _ in range(4):
            factories.RegistrationFactory(session=session)
    fresh_indexes("events_registration")
    sql, params = selectors.session_upcoming().filter(pk__in=[s.pk for s in sessions]).query.sql_with_params()
    with connection.cursor() as cursor:
        # A table of a few rows is read whole whatever its indexes: the test asks which index the counts can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using registration_seats_idx on events_registration" in plan, plan

    figures = {s.pk: (s.n_seats, s.seats_left) for s in selectors.session_upcoming().filter(
        pk__in=[s.pk for s in sessions])}
    assert figures == {s.pk: (4, s.capacity - 4) for s in sessions}
