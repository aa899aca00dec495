"""A transactional test's teardown empties only the tables the test filled, when it changed nothing else.

Django's teardown of a transactional test (live server, real concurrency) truncates every table, then runs
the post-migrate hooks again (content types, permissions, roles, the beat schedule) and the suite puts the
reference rows back (tests/conftest.py): on PostgreSQL that costs seconds per test, for tests that mostly
add a few rows. Here the test's start is noted (which tables hold rows, and a digest of those rows); at
teardown the tables the test filled are emptied again with DELETE, and the database is back as it was.
If the test changed a table that held rows at the start (a role, a permission, a reference row), or emptying breaks
a foreign key (checked at the commit), Django's full flush runs as before.
"""

import hashlib

from django.db import DatabaseError, connections, transaction
from django.test import TransactionTestCase

# {test case class: {database alias: its start}}, from the class-level setup to the instance's teardown.
_STARTS: dict[type, dict[str, dict[str, str]]] = {}


def _snapshot(connection) -> dict[str, str]:
    """{table: digest of its rows} for every table of the installed apps that holds rows."""
    quote = connection.ops.quote_name
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    if not tables:
        return {}
    # Table names come from the models, quoted: no outside input reaches these statements.
    with connection.cursor() as cursor:
        probes = " UNION ALL ".join(
            f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608
            for i, table in enumerate(tables))
        cursor.execute(probes)
        filled = [tables[row[0]] for row in cursor.fetchall()]
        digests = {}
        for table in filled:
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            # Order-free: the digest of the sorted rows.
            rows = sorted(map(repr, cursor.fetchall()))
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def _empty_again(connection, start: dict[str, str]) -> bool:
    """Empty the tables that were empty at the start; False if that cannot restore the start."""
    now = _snapshot(connection)
    if any(now.get(table) != digest for table, digest in start.items()):
        return False
    added = [table for table in now if table not in start]
    if not added:
        return True
    quote = connection.ops.quote_name
    # DELETE rather than TRUNCATE, on PostgreSQL too: the test wrote a few rows, and a TRUNCATE must take
    # every table referring to the emptied ones (about 60 for the candidates) at about 0.5 s a test.
    try:
        # Foreign keys are deferred to the commit: the order of the deletes does not matter.
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for table in added:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
    except DatabaseError:
        return False
    return True


def install() -> None:
    original_setup = TransactionTestCase._fixture_setup
    original_teardown = TransactionTestCase._fixture_teardown
    if getattr(original_teardown, "fast_flush", False):
        return

    @classmethod
    def _fixture_setup(cls):
        original_setup.__func__(cls)
        if cls.available_apps is None and not cls.serialized_rollback:
            _STARTS[cls] = {
                alias: _snapshot(connections[alias]) for alias in cls._databases_names(include_mirrors=False)}

    def _fixture_teardown(self):
        starts = _STARTS.pop(type(self), None)
        if starts is None or not all(_empty_again(connections[alias], start) for alias, start in starts.items()):
            original_teardown(self)

    _fixture_teardown.fast_flush = True
    TransactionTestCase._fixture_setup = _fixture_setup
    TransactionTestCase._fixture_teardown = _fixture_teardown
