"""Helpers for the tests that read PostgreSQL's plans: which index a search uses, which columns a query reads."""

import json
import re

from django.db import connection

from candidates.models import Candidate


def fresh_indexes(table: str = "candidates_candidate") -> None:
    """Rebuild the indexes and statistics of `table` (by default the candidates'), inside the test's transaction.

    Rows that earlier tests wrote and rolled back stay in the trigram indexes as dead entries, and on a
    table of a few rows the planner may then find a whole scan of the small partial name index cheaper
    than a trigram search of the larger one (seen in full runs, never alone). Rebuilt, the indexes hold
    the test's rows only, so the plan depends on them alone; the rollback restores the old ones.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"REINDEX TABLE {connection.ops.quote_name(table)}")
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def living_crowd(count: int = 3000) -> None:
    """Add `count` living candidates that no search finds, before `fresh_indexes()`.

    On a table of a few hundred people, a bitmap scan of the living people's name index
    (`candidate_living_name_idx`, whose condition every search of living people shares), then a check of each
    row's search columns, costs the planner less than the index a plan test checks; a table of real size
    never makes that choice.
    """
    Candidate.objects.bulk_create(
        Candidate(first_name="Zed", last_name=f"Crowd{i}", email=f"crowd{i}@plans.invalid") for i in range(count))


def _plan(query) -> dict:
    sql, params = (query, None) if isinstance(query, str) else query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (VERBOSE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]


def _scans(node: dict, table: str) -> list[dict]:
    found = [node] if node.get("Relation Name") == table else []
    for child in node.get("Plans", []):
        found += _scans(child, table)
    return found


def scan_conditions(query, table: str) -> list[str]:
    """The conditions of each scan of `table` in the plan of `query` (index condition, filter, recheck)."""
    return [" ".join(scan.get(key, "") for key in ("Index Cond", "Filter", "Recheck Cond"))
            for scan in _scans(_plan(query), table)]


def columns_read(query, table: str) -> set[str]:
    """The columns of `table` that PostgreSQL's plan of `query` (a queryset, or SQL as the test captured it)
    reads, over every scan of the table.

    Which index the planner picks on a test table of a few rows is not stable (before a VACUUM every index
    looks alike to it); whether an index holds every column a query reads, so that on real data the query
    can be answered from it alone, is. A scan of the rows may hand its parent each row as stored, every
    column (PostgreSQL does so since the table was last rewritten): such a scan reads what the rest of the
    plan names of it.
    """
    plan = _plan(query)
    found = _scans(plan, table)
    assert found, f"no scan of {table}"
    columns = _table_columns(table)
    whole = [scan for scan in found if {c.rsplit(".", 1)[-1] for c in scan["Output"]} == columns]
    for scan in whole:
        scan["Output"] = []
    rest = json.dumps(plan)
    read = set()
    for scan in found:
        conditions = " ".join(scan.get(key, "") for key in ("Index Cond", "Filter", "Recheck Cond"))
        read |= {column.rsplit(".", 1)[-1] for column in scan["Output"]}
        if scan in whole:
            read |= set(re.findall(rf"\b{re.escape(scan.get('Alias', table))}\.(\w+)", rest)) & columns
        named = set(re.findall(rf"\b{re.escape(table)}\.(\w+)", conditions))
        read |= named & columns
    return read


def _table_columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0", [table])
        return {row[0] for row in cursor.fetchall()}


def index_columns(name: str) -> list[str]:
    """The columns of index `name`, its key then its included ones, in order."""
    with connection.cursor() as cursor:
        cursor.execute("""SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                          JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON TRUE
                          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                          WHERE c.relname = %s ORDER BY k.n""", [name])
        return [row[0] for row in cursor.fetchall()]
