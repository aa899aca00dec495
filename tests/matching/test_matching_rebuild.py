"""A first fill, or a recompute that rewrites most rows, fills a new table and puts it in the old one's place.

The new table must be the old one to everyone who reads it: same indexes, constraints and names (later
migrations find them), foreign keys still checked, ids never handed out twice, and the same rows as
writing in place gives.
"""

import contextlib
import random

import pytest
from django.db import IntegrityError, connection, transaction

from candidates.models import Candidate
from matching import rebuild
from matching import services as matching_services
from matching.models import Match
from tests.matching import test_matching_engine as base
from tests.matching.test_matching_engine import _random_world, recompute, snapshot

skills, families, small_lists = base.skills, base.families, base.small_lists

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the table swap is PostgreSQL's")


def catalogue() -> dict:
    """The matches table as PostgreSQL describes it: columns, indexes, constraints, the id's sequence."""
    table = Match._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname, format_type(atttypid, atttypmod), attnotnull, attidentity "
                       "FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
                       "ORDER BY attnum", [table])
        columns = cursor.fetchall()
        cursor.execute("SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                       "WHERE indrelid = %s::regclass ORDER BY 1", [table])
        indexes = cursor.fetchall()
        cursor.execute("SELECT conname, contype, condeferrable, condeferred, pg_get_constraintdef(oid) "
                       "FROM pg_constraint WHERE conrelid = %s::regclass ORDER BY conname", [table])
        constraints = cursor.fetchall()
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()
    return {"columns": columns, "indexes": indexes, "constraints": constraints, "sequence": sequence}


@pytest.fixture
def rebuilds(monkeypatch):
    """Count the swaps."""
    calls = []
    real = rebuild.rebuilt_table

    @contextlib.contextmanager
    def counted(cursor):
        calls.append(1)
        with real(cursor) as build:
            yield build

    monkeypatch.setattr(rebuild, "rebuilt_table", counted)
    return calls


@pytest.mark.django_db
def test_a_first_fill_gives_the_same_table_and_never_reuses_an_id(skills, families, small_lists, rebuilds):
    _random_world(skills, families, random.Random(3))
    before = catalogue()
    recompute()
    first_ids = set(Match.objects.values_list("pk", flat=True))
    Match.objects.all().delete()  # empty again: the next recompute is a first fill
    recompute()

    assert len(rebuilds) == 2
    assert catalogue() == before
    assert Match.objects.exists()
    assert min(Match.objects.values_list("pk", flat=True)) > max(first_ids)
    # The id's sequence goes on after the swap: a row added by hand takes the next id.
    candidate, posting = Match.objects.values_list("candidate_id", "posting_id").first()
    Match.objects.filter(candidate_id=candidate, posting_id=posting).delete()
    added = Match.objects.create(candidate_id=candidate, posting_id=posting, score=50, explanation={})
    assert added.pk > max(Match.objects.exclude(pk=added.pk).values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_rebuilt_table_still_checks_its_foreign_keys(skills, families, small_lists, rebuilds):
    _random_world(skills, families, random.Random(4))
    recompute()
    assert rebuilds
    row = Match.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.filter(pk=row.pk).update(candidate_id=10**12)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.parametrize("path", ["streamed", "from_changes"])
@pytest.mark.django_db
def test_a_rewrite_of_most_rows_keeps_each_pair_s_id_and_gives_what_writing_in_place_gives(
        skills, families, small_lists, rebuilds, monkeypatch, path):
    if path == "from_changes":
        # The sample misjudged the share: the changes go through the temporary table, then the new table.
        monkeypatch.setattr(matching_services, "_changed_share", lambda *args: 0.0)
    _random_world(skills, families, random.Random(5))
    recompute()
    expected = snapshot()
    ids = {(m.candidate_id, m.posting_id): m.pk for m in Match.objects.all()}
    # Every row's codes gone (a new explanation format): all are written again.
    Match.objects.update(packed=None, score=1)
    # A pair written again under a new id, and a pair no longer kept.
    again = Match.objects.order_by("pk").first()
    Match.objects.filter(pk=again.pk).delete()
    ids[(again.candidate_id, again.posting_id)] = Match.objects.create(
        candidate_id=again.candidate_id, posting_id=again.posting_id, score=1, explanation={}).pk
    pair = next((c, p) for c in Candidate.objects.values_list("pk", flat=True)
                for p in Match.objects.values_list("posting_id", flat=True).distinct() if (c, p) not in expected)
    stale = Match.objects.create(candidate_id=pair[0], posting_id=pair[1], score=99, explanation={})
    swaps = len(rebuilds)
    result = recompute()

    assert len(rebuilds) == swaps + 1
    assert (result.written, result.deleted) == (len(expected), 1)
    assert snapshot() == expected
    assert {(m.candidate_id, m.posting_id): m.pk for m in Match.objects.all()} == ids
    assert not Match.objects.filter(pk=stale.pk).exists()

    # The same rewrite in place (the share raised past 1) gives the same rows.
    Match.objects.update(packed=None, score=1)
    monkeypatch.setattr(matching_services, "REBUILD_SHARE", 2.0)
    recompute()
    assert len(rebuilds) == swaps + 1
    assert snapshot() == expected


@pytest.mark.django_db
def test_new_pairs_of_a_rewrite_take_ids_never_given_before(skills, families, small_lists, rebuilds):
    _random_world(skills, families, random.Random(8))
    recompute()
    highest = max(Match.objects.values_list("pk", flat=True))
    # Half the rows gone, the rest to write again: the new table gets the missing pairs under new ids.
    kept = list(Match.objects.order_by("pk").values_list("pk", flat=True))
    Match.objects.filter(pk__in=kept[::2]).delete()
    Match.objects.update(packed=None)
    swaps = len(rebuilds)
    recompute()
    assert len(rebuilds) == swaps + 1
    fresh = set(Match.objects.values_list("pk", flat=True)) - set(kept)
    assert len(fresh) == len(kept[::2])
    assert min(fresh) > highest


@pytest.mark.django_db
def test_a_candidate_deleted_while_the_table_fills_takes_its_matches_along(skills, families, small_lists,
                                                                           monkeypatch):
    _random_world(skills, families, random.Random(6))
    real = rebuild.rebuilt_table
    deleted = []

    @contextlib.contextmanager
    def deleting(cursor):
        with real(cursor) as build:
            yield build
            # The new table holds this person's rows; the old one is what Django's delete cleans.
            with connection.cursor() as c:
                c.execute(f"SELECT candidate_id FROM {build} LIMIT 1")  # noqa: S608
                (victim,) = c.fetchone()
            Candidate.objects.filter(pk=victim).delete()
            deleted.append(victim)

    monkeypatch.setattr(rebuild, "rebuilt_table", deleting)
    recompute()
    assert deleted
    assert not Match.objects.filter(candidate_id=deleted[0]).exists()
    assert Match.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # every foreign key holds


@pytest.mark.django_db
def test_a_recompute_writing_few_rows_writes_in_place(skills, families, small_lists, rebuilds):
    _random_world(skills, families, random.Random(7))
    recompute()
    swaps = len(rebuilds)
    row = Match.objects.order_by("pk").first()
    Match.objects.filter(pk=row.pk).update(packed=None)
    assert matching_services.matches_recompute_all(today=base.TODAY).written == 1
    assert len(rebuilds) == swaps
    assert Match.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_matches_a_running_recompute_writes_back_after_an_erasure_go_with_the_queued_recompute(
        skills, families, small_lists, django_capture_on_commit_callbacks):
    from candidates import services as candidate_services

    _random_world(skills, families, random.Random(9))
    recompute()
    person = Candidate.objects.get(pk=Match.objects.values_list("candidate_id", flat=True).first())
    with django_capture_on_commit_callbacks() as queued:
        candidate_services.candidate_erase(candidate=person)
    assert not Match.objects.filter(candidate=person).exists()
    # A full recompute that loaded the person before the erasure commits their rows after it; the recompute the
    # erasure queued (its cleared skills) then removes them.
    posting = Match.objects.values_list("posting_id", flat=True).first()
    Match.objects.create(candidate=person, posting_id=posting, score=80, explanation={})
    for callback in queued:
        callback()
    assert not Match.objects.filter(candidate=person).exists()
