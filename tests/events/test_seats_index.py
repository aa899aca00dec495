"""The sessions' seat counts can be read from an index alone (PostgreSQL; tests/plans.py says why the test
reads the columns rather than the planner's pick). On the benchmark's 50,000 bookings the planner uses it."""

import pytest

from events import selectors
from tests import factories
from tests.plans import columns_read, index_columns

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_seat_counts_read_only_columns_of_the_seats_index():
    sessions = [factories.SessionFactory(is_published=True) for _ in range(3)]
    for session in sessions:
        for _ in range(4):
            factories.RegistrationFactory(session=session)
    queryset = selectors.session_upcoming().filter(pk__in=[s.pk for s in sessions])
    read, index = columns_read(queryset, "events_registration"), index_columns("registration_seats_idx")
    assert index[0] == "session_id"
    assert {"session_id", "status", "walk_in"} <= read <= set(index), (read, index)

    figures = {s.pk: (s.n_seats, s.seats_left) for s in queryset}
    assert figures == {s.pk: (4, s.capacity - 4) for s in sessions}
