"""The test database copied from a saved migration (tests/db_snapshot.py) is the migrated one."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import db_snapshot


def test_the_test_database_has_every_migration_applied_and_nothing_more(db):
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert executor.loader.applied_migrations.keys() <= executor.loader.disk_migrations.keys()


def test_the_key_follows_every_migration_file(monkeypatch, tmp_path):
    before = db_snapshot.migrations_key()
    original = db_snapshot.Path.read_bytes

    def edited(path):
        content = original(path)
        return content + b"\n# edited" if path.name == "0001_move_from_candidates.py" else content

    monkeypatch.setattr(db_snapshot.Path, "read_bytes", edited)
    assert db_snapshot.migrations_key() != before
