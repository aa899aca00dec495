"""Going back to an earlier migration state for a test, and always forward again."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from . import db_snapshot


class _Executor(MigrationExecutor):
    """Django's executor, with a cheaper way back.

    Going back, Django renders the project state once, then updates it through every later migration of the
    plan; each update renders again the models related to the one changed, and here (almost every model points
    at the user) that is nearly all of them. Here the states stay unrendered until an operation being undone
    reads one: about half the time (undoing the hotline's move: 14 s against 26 s, minutes apart).
    """

    def _migrate_all_backwards(self, plan, full_plan, fake):
        to_undo = {migration for migration, _backwards in plan}
        applied = {self.loader.graph.nodes[key] for key in self.loader.applied_migrations
                   if key in self.loader.graph.nodes}
        states = {}
        state = self._create_project_state()
        for migration, _backwards in full_plan:
            if not to_undo:
                break
            if migration in to_undo:
                states[migration] = state
                state = migration.mutate_state(state, preserve=True)
                to_undo.remove(migration)
            elif migration in applied:
                migration.mutate_state(state, preserve=False)
        for migration, _backwards in plan:
            # Popped: each state's rendered models are freed once its migration is undone.
            self.unapply_migration(states.pop(migration), migration, fake=fake)
        return None


def migrate(targets):
    """Migrate to `targets` and return the project state there."""
    _Executor(connection).migrate(targets)
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
