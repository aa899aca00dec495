"""Going back to an earlier migration state for a test, and always forward again."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from . import db_snapshot


def migrate(targets):
    """Migrate to `targets` and return the project state there."""
    MigrationExecutor(connection).migrate(targets)
    # Rebuilt from what the database records as applied: after going back, the state Django's migrate()
    # returns still holds later migrations of other apps that the same run unapplied.
    return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True)


def migrate_to_latest() -> None:
    """Apply every migration again, and forget the content types cached meanwhile."""
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


@contextmanager
def migrated_back_to(targets, *, nothing_written: bool = False) -> Iterator:
    """Yield the historical apps at `targets`; migrate to the latest state again whatever happens.

    `nothing_written`: the test has written nothing yet, so a saved copy of the database at `targets`
    may replace it (see tests/db_snapshot.py).
    """
    state = db_snapshot.migrated_back(targets, migrate) if nothing_written else migrate(targets)
    try:
        yield state.apps
    finally:
        migrate_to_latest()
