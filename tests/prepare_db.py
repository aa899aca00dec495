"""Build the saved migrated test database now, before the test run asks for it.

On a machine whose PostgreSQL holds no saved copy yet, each pytest-xdist worker would migrate its own test
database from scratch at the same moment. CI runs this beside its other checks instead: one migration, and
the workers copy the result (tests/db_snapshot.py). Run: python -m tests.prepare_db
"""

import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tescforce.settings")
    django.setup()
    from django.db import connections

    from tests import db_snapshot

    connection = connections["default"]
    if connection.vendor != "postgresql":
        # Only CI calls this, on PostgreSQL; on SQLite the first test run saves its copy as a file itself.
        return
    db_snapshot.install()
    name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
