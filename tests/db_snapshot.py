"""A migrated SQLite test database kept between runs, so a test worker copies it instead of migrating.

Running every migration takes each worker about ten seconds; copying the result with SQLite's backup API
takes a few milliseconds. The copy is keyed by the content of every migration file of every installed app
(third-party ones included), so a new or edited migration makes a new copy. After a copy the post_migrate
handlers run again, as after a flush: the roles, permissions and periodic tasks, which code defines
without a migration, are always the current ones.
On PostgreSQL the migrated test database is kept the same way, as a database of the cluster
(`<database>_snapshot_<key>`) that later test databases are created from with `CREATE DATABASE ... TEMPLATE`.
A migration test's earlier state is kept likewise, in a file or as `<database>_at<targets>_<key>`.
`TEST_DB_SNAPSHOT=0` turns it off.
"""

import contextlib
import functools
import hashlib
import os
import sqlite3
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import management
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.postgresql.creation import DatabaseCreation as PostgresCreation
from django.db.migrations.loader import MigrationLoader

FOLDER = Path(settings.BASE_DIR) / "var" / "test-db"


def migrations_key() -> str:
    """A digest of every migration file of the installed apps, and of the SQLite library's version."""
    digest = hashlib.sha256(sqlite3.sqlite_version.encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        module_name, _ = MigrationLoader.migrations_module(config.label)
        if module_name is None:
            continue
        try:
            module = __import__(module_name, fromlist=["__path__"])
        except ImportError:
            continue
        for folder in getattr(module, "__path__", []):
            for path in sorted(Path(folder).glob("*.py")):
                digest.update(f"{module_name}/{path.name}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _enabled(connection) -> bool:
    return connection.vendor == "sqlite" and os.environ.get("TEST_DB_SNAPSHOT") != "0"


def _pg_enabled(connection) -> bool:
    return connection.vendor == "postgresql" and os.environ.get("TEST_DB_SNAPSHOT") != "0"


def _pg_saved_name(connection, kind: str = "snapshot") -> str:
    # Named after the project's database (the test databases' name without the test_ prefix and the
    # worker suffix): two checkouts sharing a cluster keep their own copy.
    base = connection.settings_dict["NAME"].removeprefix("test_").rsplit("_gw", 1)[0]
    return f"{base}_{kind}_"[:42] + migrations_key()


def _pg_copy_in(connection, saved: str) -> bool:
    """Replace the test database with a copy of `saved`; False if there is no such copy (or it failed)."""
    from django.db import DatabaseError

    name = connection.settings_dict["NAME"]
    quote = connection.ops.quote_name
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [saved])
        if cursor.fetchone() is None:
            return False
        try:
            # FORCE: the live server's threads of this worker may keep an idle connection (CONN_MAX_AGE);
            # they open a new one at their next request (CONN_HEALTH_CHECKS).
            cursor.execute(f"DROP DATABASE {quote(name)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(saved)}")
        except DatabaseError:
            # Dropped or in use meanwhile: migrate into a new empty database instead.
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            cursor.execute(f"CREATE DATABASE {quote(name)}")
            return False
    return True


def _pg_save(connection, saved: str) -> None:
    from django.db import DatabaseError

    name = connection.settings_dict["NAME"]
    quote = connection.ops.quote_name
    prefix = saved[: -len(migrations_key())]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                       [prefix.replace("_", r"\_") + "%", saved])
        for (old,) in cursor.fetchall():
            with contextlib.suppress(DatabaseError):
                cursor.execute(f"DROP DATABASE {quote(old)}")
        # A template must have no other session: the live server's idle ones of this worker go.
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = %s AND pid <> pg_backend_pid()", [name])
        # Another worker may be saving the same copy at the same moment: one of them is enough.
        with contextlib.suppress(DatabaseError):
            cursor.execute(f"CREATE DATABASE {quote(saved)} TEMPLATE {quote(name)}")


def _pg_has_tables(connection) -> bool:
    return "django_migrations" in connection.introspection.table_names()


def _copy_in(saved: Path, connection) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(saved)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    # Rows now have the copy's ids; a content type cached by this process may not.
    ContentType.objects.clear_cache()


def _save(connection, name: str) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    prefix = name.rsplit("-", 1)[0]
    for old in FOLDER.glob(f"{prefix}-*.sqlite3"):
        old.unlink(missing_ok=True)
    # Written aside then renamed: two workers saving at once each leave a whole file.
    partial = FOLDER / f"{name}.{os.getpid()}.part"
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    os.replace(partial, FOLDER / f"{name}.sqlite3")


def _migrate_or_copy(original, name, *args, **kwargs):
    alias = kwargs.get("database", "default")
    connection = connections[alias]
    if name == "migrate" and _pg_enabled(connection):
        saved = _pg_saved_name(connection)
        if _pg_copy_in(connection, saved):
            ContentType.objects.clear_cache()
            emit_post_migrate_signal(0, False, alias)
            return None
        result = original(name, *args, **kwargs)
        _pg_save(connection, saved)
        return result
    if name != "migrate" or not _enabled(connection):
        return original(name, *args, **kwargs)
    saved = f"{alias}-{migrations_key()}"
    if (FOLDER / f"{saved}.sqlite3").exists():
        _copy_in(FOLDER / f"{saved}.sqlite3", connection)
        emit_post_migrate_signal(0, False, alias)
        return None
    result = original(name, *args, **kwargs)
    _save(connection, saved)
    return result


def migrated_back(targets, migrate):
    """Bring the test database back to `targets` with `migrate(targets)`, or from a copy made the first time.

    Going back is the slow part of a migration test (Django replays every migration's state to unapply
    the later ones); the copy holds the database as the first backward migration left it.
    """
    connection = connections["default"]
    label = hashlib.sha256(repr(sorted(targets, key=repr)).encode()).hexdigest()[:12]
    if _pg_enabled(connection):
        saved = _pg_saved_name(connection, f"at{label}")
        if _pg_copy_in(connection, saved):
            ContentType.objects.clear_cache()
            return migrate(targets)
        if not _pg_has_tables(connection):
            # The copy failed after the drop: build the database again, as the suite's setup made it.
            management.call_command("migrate", verbosity=0, interactive=False)
            ContentType.objects.clear_cache()
        state = migrate(targets)
        _pg_save(connection, saved)
        return state
    if not _enabled(connection):
        return migrate(targets)
    saved = f"at-{label}-{migrations_key()}"
    if (FOLDER / f"{saved}.sqlite3").exists():
        _copy_in(FOLDER / f"{saved}.sqlite3", connection)
        # Nothing left to unapply: Django only computes the state of the applied migrations.
        return migrate(targets)
    state = migrate(targets)
    _save(connection, saved)
    return state


def install() -> None:
    """Route `migrate` through the copy while Django creates a test database, and only then."""
    original_create = BaseDatabaseCreation.create_test_db
    if getattr(original_create, "snapshot_aware", False):
        return

    def create_test_db(self, *args, **kwargs):
        # create_test_db imports call_command when it runs: replace it for that call only.
        original = management.call_command
        management.call_command = functools.partial(_migrate_or_copy, original)
        try:
            return original_create(self, *args, **kwargs)
        finally:
            management.call_command = original

    create_test_db.snapshot_aware = True
    BaseDatabaseCreation.create_test_db = create_test_db
    PostgresCreation._destroy_test_db = _drop_forced


def _drop_forced(self, test_database_name, verbosity):
    # The live server's threads keep idle connections (CONN_MAX_AGE) to the test database: a plain DROP
    # waited 5 s for them at the end of every worker's run, then failed with a warning.
    self.connection.close_pool()
    with self._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE {self.connection.ops.quote_name(test_database_name)} WITH (FORCE)")
