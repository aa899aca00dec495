"""Helpers for the tests that read PostgreSQL's plan of a search."""

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


def living_crowd(count: int = 60) -> None:
    """Add `count` living candidates that no search finds, before `fresh_indexes()`.

    On a table of two or three people, a bitmap scan of the living people's name index
    (`candidate_living_name_idx`, whose condition every search of living people shares) costs the planner less
    than the index a plan test checks; a table of real size never makes that choice.
    """
    Candidate.objects.bulk_create(
        Candidate(first_name="Zed", last_name=f"Crowd{i}", email=f"crowd{i}@plans.invalid") for i in range(count))
