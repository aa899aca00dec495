"""Search indexes on PostgreSQL: trigram indexes for the admin's `icontains` search, created by the rooms'
migrations, and the refresh of stored full-text vectors (job postings, use cases).

Django writes `field__icontains=word` as `UPPER(column::text) LIKE UPPER('%word%')` on PostgreSQL: an index on
that very expression with `gin_trgm_ops` serves it (tescforce.admin_mixins.related_contains lets PostgreSQL
combine several such indexes with a bitmap OR). Nothing is done on SQLite.
"""

from django.db import connection, migrations


def refresh_vectors(sql: str, params: dict) -> int:
    """Run an UPDATE of stored search vectors and return how many rows it changed; nothing on SQLite, which
    matches the text itself (tescforce.text)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def postgresql_statements(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """An operation running `forward` (and `backward` when migrated back) on PostgreSQL only: the rooms'
    search functions and the trigram indexes on them, which SQLite does without."""
    def run(statements):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for sql in statements:
                    schema_editor.execute(sql)

        return operation

    return migrations.RunPython(run(forward), run(backward), elidable=False)


def upper_trigram_indexes(indexes: dict[str, tuple[str, str]]) -> migrations.RunPython:
    """An operation creating each index `name: (table, column)`, and dropping them when migrated back.

    The extension is created here if missing but never dropped: other rooms' indexes use it.
    """
    return postgresql_statements(
        ["CREATE EXTENSION IF NOT EXISTS pg_trgm",
         *(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}::text) gin_trgm_ops)"
           for name, (table, column) in indexes.items())],
        [f"DROP INDEX IF EXISTS {name}" for name in indexes])
