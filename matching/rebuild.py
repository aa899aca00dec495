"""A new matches table filled whole, then put in the old one's place (PostgreSQL only).

Writing 1.7M rows into the indexed table costs three to four times what filling a bare table and then
building its indexes and checking its foreign keys in one pass each does: every row written in place
updates four indexes, and each new row's two deferred foreign keys are checked one by one at the
commit. A first fill, or a recompute that changes most rows (new weights, a new explanation format),
goes through here instead (`services._write_all_postgres`).

While the new table fills, the old one is read as usual; writers of matches wait on the engine's state
row, which the caller holds. At the end, writes to candidates and postings wait for a second or two (1.47 s
in a one-off probe at 1.7M rows: the foreign keys are checked against rows that must not change
meanwhile), and reads of the matches for the rename. Ids never come back: new rows take theirs from the
old table's sequence, which the new table then owns, so a match id on an open page never points at another
pair.
"""

import contextlib
import re

import numpy as np

from .models import Match


def _names(cursor, table: str) -> dict:
    """Read the table's id sequence, its plain indexes, and its key, unique and foreign-key constraints."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    (sequence,) = cursor.fetchone()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT EXISTS (SELECT FROM pg_constraint c "
        "WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))", [table])
    indexes = cursor.fetchall()
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE conrelid = %s::regclass AND contype IN ('p', 'u') ORDER BY contype", [table])
    keys = cursor.fetchall()
    cursor.execute(
        "SELECT c.conname, pg_get_constraintdef(c.oid), c.confrelid::regclass::text, a.attname, f.attname "
        "FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1] "
        "WHERE c.conrelid = %s::regclass AND c.contype = 'f' ORDER BY c.conname", [table])
    foreign = cursor.fetchall()
    return {"sequence": sequence, "indexes": indexes, "keys": keys, "foreign": foreign}


def reserve_ids(cursor, count: int):
    """Take `count` ids from the matches' sequence (for rows written with their id), in increasing order."""
    if not count:
        return np.zeros(0, dtype=np.int64)
    # One value packed by the server, not a row per id: a rewrite may take millions.
    cursor.execute("SELECT string_agg(int8send(nextval(pg_get_serial_sequence(%s, 'id'))), ''::bytea) "
                   "FROM generate_series(1, %s)", [Match._meta.db_table, count])
    (data,) = cursor.fetchone()
    return np.sort(np.frombuffer(bytes(data), dtype=">i8").astype(np.int64))


def _building(name: str) -> str:
    # Index names are unique per schema: the new table's carry this until the old ones are gone.
    return f"{name[:54]}_building"


@contextlib.contextmanager
def rebuilt_table(cursor):
    """Yield the name of an empty copy of the matches table; fill it in the block, and it replaces the table.

    Run inside the caller's transaction, which holds the engine's state row.
    """
    table = Match._meta.db_table
    build = f"{table}_build"
    names = _names(cursor, table)
    cursor.execute(f"DROP TABLE IF EXISTS {build}")
    # Checks and defaults come along; the id takes the old table's sequence until the swap.
    cursor.execute(f"CREATE TABLE {build} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    cursor.execute(f"ALTER TABLE {build} ALTER COLUMN id SET DEFAULT nextval('{names['sequence']}'::regclass)")
    yield build

    for name, definition in names["keys"]:
        cursor.execute(f"ALTER TABLE {build} ADD CONSTRAINT {_building(name)} {definition}")
    for name, definition in names["indexes"]:
        head = re.match(r"(CREATE (?:UNIQUE )?INDEX )\S+ ON (?:ONLY )?\S+", definition)
        cursor.execute(f"{head.group(1)}{_building(name)} ON {build}{definition[head.end():]}")
    # From here until the commit, candidates and postings keep still (reads go on): a row deleted while the
    # table filled goes with its matches, and each foreign key is checked in one join.
    referenced = sorted({target for _, _, target, _, _ in names["foreign"]})
    if referenced:
        cursor.execute(f"LOCK TABLE {', '.join(referenced)} IN SHARE ROW EXCLUSIVE MODE")
    for name, definition, target, column, target_column in names["foreign"]:
        cursor.execute(f"DELETE FROM {build} b WHERE NOT EXISTS "  # noqa: S608 - names from the catalogue
                       f"(SELECT FROM {target} t WHERE t.{target_column} = b.{column})")
        cursor.execute(f"ALTER TABLE {build} ADD CONSTRAINT {name} {definition}")

    cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(f"SELECT last_value, is_called FROM {names['sequence']}")  # noqa: S608
    last, called = cursor.fetchone()
    cursor.execute(f"ALTER TABLE {build} ALTER COLUMN id DROP DEFAULT")
    # Rows written to the old table earlier in the transaction wait for their deferred checks, and a table
    # with checks pending cannot be dropped: run them now, then defer these keys again as before.
    keys = ", ".join(name for name, *_ in names["foreign"])
    if keys:
        cursor.execute(f"SET CONSTRAINTS {keys} IMMEDIATE")
    cursor.execute(f"DROP TABLE {table}")  # and its sequence, whose next value is kept below
    if keys:
        cursor.execute(f"SET CONSTRAINTS {keys} DEFERRED")
    cursor.execute(f"ALTER TABLE {build} RENAME TO {table}")
    for name, _ in names["keys"]:
        cursor.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {_building(name)} TO {name}")
    for name, _ in names["indexes"]:
        cursor.execute(f"ALTER INDEX {_building(name)} RENAME TO {name}")
    sequence_name = names["sequence"].split(".")[-1]
    cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY "
                   f"(SEQUENCE NAME {sequence_name} START WITH {last + 1 if called else last})")
    cursor.execute(f"ANALYZE {table}")  # a new table has no statistics: the probes' plans need them
