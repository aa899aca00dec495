"""A transactional test's teardown (tests/fast_flush.py) empties what the test wrote and only that."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from companies.models import JobFamily
from tests import factories, fast_flush


@pytest.mark.django_db(transaction=True)
def test_rows_a_test_wrote_go_and_the_rows_that_were_there_stay():
    start = fast_flush._snapshot(connection)
    assert {Group._meta.db_table, JobFamily._meta.db_table} <= set(start)
    registration = factories.RegistrationFactory()
    families, groups = JobFamily.objects.count(), Group.objects.count()

    # Rows in tables that refer to each other (registration → candidate, session): one pass empties them.
    assert fast_flush._empty_again(connection, start)

    assert fast_flush._snapshot(connection) == start
    assert not type(registration).objects.exists()
    assert (JobFamily.objects.count(), Group.objects.count()) == (families, groups)


@pytest.mark.django_db(transaction=True)
def test_a_changed_row_that_was_there_before_asks_for_the_full_flush():
    start = fast_flush._snapshot(connection)
    factories.CandidateFactory()
    group = Group.objects.first()
    group.name += " (renamed)"
    group.save()

    assert not fast_flush._empty_again(connection, start)
    # Nothing was emptied: the full flush will do it all.
    assert factories.CandidateFactory._meta.model.objects.exists()
