"""Writes for matching: recompute and store the matches, turn a suggestion into an orientation."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from dataclasses import dataclass, replace

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from candidates.models import Orientation
from candidates.services import orientation_create, orientation_set_status

from . import copytext, incremental, rebuild, selectors
from . import engine as matching
from .incremental import CANDIDATES, POSTINGS, Axis
from .models import Match, MatchingRun

logger = logging.getLogger(__name__)

BATCH = 2000
# What an upsert rewrites: `packed` holds the explanation.
UPDATE_FIELDS = ["score", "packed", "for_posting", "for_candidate", "computed_at"]
MAX_FAST_POSTINGS = 200  # changed postings scored at once against every candidate; past that, the full-data path


@dataclass
class RecomputeResult:
    written: int
    deleted: int
    kept: int
    seconds: float
    compute_seconds: float = 0.0  # loading, scoring and selecting, before any write


def _lock() -> MatchingRun:
    """Lock the engine's state row: writers of matches take turns, so none writes from stale data."""
    with contextlib.suppress(IntegrityError):  # another worker created it at the same moment
        MatchingRun.objects.get_or_create(pk=1)
    return MatchingRun.objects.select_for_update().get(pk=1)


def _engine(today: dt.date | None) -> matching.Engine:
    return matching.Engine(selectors.load_candidate_rows(), selectors.load_posting_rows(),
                           selectors.load_related_skills(), today=today or timezone.localdate())


def matches_recompute_all(*, today: dt.date | None = None) -> RecomputeResult:
    """Recompute every match from scratch, store the best ones and remove every stale row."""
    started = time.monotonic()
    with transaction.atomic():
        state = _lock()
        # Read before the engine's matrices exist: the read's buffers and theirs never add up (peak RSS).
        stored = selectors.stored_packed() if connection.vendor == "postgresql" else None
        engine = _engine(today)
        top = engine.top_matches()
        computed = time.monotonic() - started
        if stored is not None:
            written, deleted = _write_all_postgres(engine, top, stored, timezone.now())
            result = RecomputeResult(written=written, deleted=deleted, kept=len(top.cand),
                                     seconds=time.monotonic() - started, compute_seconds=computed)
        else:
            result = _store(engine, top, stored=selectors.stored_rows(), cand_ids=None, post_ids=None,
                            dirty_c=None, dirty_p=None, started=started)
        state.last_full_at = timezone.now()
        state.last_full_rows = result.kept
        state.save()
    # The commit checks both deferred foreign keys of every row inserted in place (a rebuilt table checks
    # them before, in one join each): the run's time counts it.
    result = replace(result, seconds=time.monotonic() - started)
    MatchingRun.objects.filter(pk=state.pk).update(last_full_seconds=result.seconds)
    logger.info("matches recomputed", extra={"kept": result.kept, "deleted": result.deleted,
                                             "seconds": round(result.seconds, 2),
                                             "compute_seconds": round(computed, 2)})
    return result


def matches_recompute_for(*, candidate_ids=(), posting_ids=(), today: dt.date | None = None) -> RecomputeResult:
    """Recompute the matches of candidates and postings that changed, and of those their change affects.

    The result equals a full recompute's: a changed candidate's row is scored again, and so is every
    posting whose best-candidates list it may enter or leave; likewise for a changed posting.
    """
    started = time.monotonic()
    dirty_c, dirty_p = set(candidate_ids), set(posting_ids)
    if not dirty_c and not dirty_p:
        return RecomputeResult(written=0, deleted=0, kept=0, seconds=time.monotonic() - started)
    if dirty_c and not dirty_p:
        return _recompute_side(CANDIDATES, dirty_c, today, started)
    if dirty_p and len(dirty_p) <= MAX_FAST_POSTINGS:
        with transaction.atomic():
            _lock()
            # Candidates first: their pass patches the other postings' lists; the postings' pass then
            # redoes the changed postings' lists from scratch and patches the candidates' lists.
            first = _recompute_side(CANDIDATES, dirty_c, today, started) if dirty_c else None
            second = _recompute_side(POSTINGS, dirty_p, today, started)
        if first is None:
            return second
        return RecomputeResult(written=first.written + second.written, deleted=first.deleted + second.deleted,
                               kept=second.kept, seconds=time.monotonic() - started)
    return _recompute_over_all_data(dirty_c, dirty_p, today, started)


def _recompute_over_all_data(dirty_c: set[int], dirty_p: set[int], today, started: float) -> RecomputeResult:
    """Many postings at once (an import…): one pass over everything, rescoring the affected lists."""
    with transaction.atomic():
        _lock()
        engine = _engine(today)
        cand_ids, post_ids = engine.candidates.ids, engine.postings.ids
        d_idx = _indices(cand_ids, dirty_c)
        q_idx = _indices(post_ids, dirty_p)
        before = selectors.stored_rows(candidate_ids=dirty_c, posting_ids=dirty_p)

        affected_p = set(dirty_p) | {p for (c, p), (_pk, fp, _fc) in before.items() if fp and c in dirty_c}
        if len(d_idx) and len(post_ids):
            best = engine.scores(d_idx).max(axis=0)
            thresholds = selectors.posting_thresholds()
            for j in np.nonzero(best >= matching.MIN_SCORE)[0].tolist():
                n, low = thresholds.get(int(post_ids[j]), (0, 0))
                if n < matching.TOP_PER_POSTING or best[j] >= low:
                    affected_p.add(int(post_ids[j]))
        affected_c = set(dirty_c) | {c for (c, p), (_pk, _fp, fc) in before.items() if fc and p in dirty_p}
        if len(q_idx) and len(cand_ids):
            best = np.zeros(len(cand_ids), dtype=np.uint8)
            for chunk in engine.chunks():
                best[chunk] = engine.scores(chunk, q_idx).max(axis=1)
            candidates = np.nonzero(best >= matching.MIN_SCORE)[0]
            thresholds = selectors.candidate_thresholds(cand_ids[candidates].tolist())
            for i in candidates.tolist():
                n, low = thresholds.get(int(cand_ids[i]), (0, 0))
                if n < matching.TOP_PER_CANDIDATE or best[i] >= low:
                    affected_c.add(int(cand_ids[i]))

        a_idx = _indices(cand_ids, affected_c)
        p_idx = _indices(post_ids, affected_p)
        by_cand = engine.top_matches(cand_index=a_idx, want_posting_top=False) if len(a_idx) else None
        by_post = engine.top_matches(post_index=p_idx, want_candidate_top=False) if len(p_idx) else None
        top = _merge(by_cand, by_post)
        stored = selectors.stored_rows(candidate_ids=affected_c, posting_ids=affected_p)
        return _store(engine, top, stored=stored, cand_ids=affected_c, post_ids=affected_p, dirty_c=dirty_c,
                      dirty_p=dirty_p, started=started)


def _recompute_side(side: Axis, changed: set[int], today, started: float) -> RecomputeResult:
    """The fast path: score the changed rows of one side alone, patch the other side's stored lists.

    `side` is CANDIDATES or POSTINGS; the rule is the same for both (matching.incremental). The
    changed rows' own lists come straight from their scores; a list of the other side that the patch
    cannot vouch for is computed again from every row (`_side_engine` of that side).
    """
    other = side.other
    today = today or timezone.localdate()
    with transaction.atomic():
        _lock()
        related = selectors.load_related_skills()
        engine = _side_engine(side, changed, related, today)
        scores = side.scores(engine)  # changed rows still matchable × every row of the other side
        own_ids, other_ids = side.ids(engine), other.ids(engine)
        own_lists = incremental.best_lists(side, scores, own_ids, other_ids)

        # Lists of the other side that may change: they held a changed row, or a new score may enter.
        best = scores.max(axis=0) if len(own_ids) else np.zeros(len(other_ids), dtype=np.uint8)
        hopeful = np.nonzero(best >= matching.MIN_SCORE)[0]
        affected = (selectors.list_holders(side, changed)
                    | selectors.may_enter(other, other_ids[hopeful], best[hopeful], other.top))
        stored, lists = selectors.stored_lists(side, changed, affected)
        other_lists, rescore = incremental.patch_lists(scores, own_ids, other_ids, lists, changed, other.top)
        full = None
        if rescore:
            full = _side_engine(other, rescore, related, today)
            other_lists.update(incremental.best_lists_by_row(other, other.scores(full), other.ids(full),
                                                             side.ids(full)))

        outcome = incremental.settle(side, stored, own_lists, other_lists, changed, own_ids.tolist(),
                                     other_ids.tolist())
        codes = _codes_in(engine, outcome.rescored) + (_codes_in(full, outcome.added) if outcome.added else [])
        _write(outcome.rescored + outcome.added, codes, outcome.kept, outcome.stale, outcome.flags, stored)
    return RecomputeResult(written=len(outcome.rescored) + len(outcome.added) + len(outcome.flags),
                           deleted=len(outcome.stale), kept=len(outcome.kept), seconds=time.monotonic() - started)


def _side_engine(side: Axis, ids: set[int], related, today: dt.date) -> matching.Engine:
    """An engine of these rows of `side` (those still matchable) against every row of the other side.

    Exact for these rows only: postings come with every candidate slimmed to the skills they ask for
    (`_slim_engine`); candidates with every published posting.
    """
    if side.is_candidates:
        return matching.Engine(selectors.load_candidate_rows(ids=ids), selectors.load_posting_rows(), related,
                               today=today)
    return _slim_engine(ids, related, today)


def _slim_engine(posting_ids: set[int], related, today: dt.date) -> matching.Engine:
    """An engine of these postings (if published) and every candidate, exact for these postings only.

    Candidates come with only the skills those postings ask for and the skills related to them:
    nothing else changes these postings' scores, and far less is read.
    """
    posts = selectors.load_posting_rows(ids=posting_ids)
    asked = {s for lists in (posts.required, posts.nice) for row in lists for s in row}
    wanted = asked | {b for a, b in related if a in asked} | {a for a, b in related if b in asked}
    return matching.Engine(selectors.load_candidate_rows(skill_ids=wanted), posts, related, today=today)


def _codes(engine: matching.Engine, cand: np.ndarray, post: np.ndarray) -> list[tuple[int, bytes]]:
    """(score, packed explanation codes) of pairs of rows and columns of `engine`: the codes are what is
    stored, so no explanation dict is built only to be packed again."""
    if not len(cand):
        return []
    points, req, nice = matching.explain_arrays(engine, cand, post)
    return list(zip(points.sum(axis=1, dtype=np.int64).tolist(),
                    [row.tobytes() for row in matching.pack_arrays(points, req, nice)], strict=True))


def _codes_in(engine: matching.Engine, pairs: list[tuple[int, int]]) -> list[tuple[int, bytes]]:
    """`_codes` of (candidate id, posting id) pairs, all of them rows and columns of `engine`."""
    rows = _positions(engine.candidates.ids, {cid for cid, _p in pairs})
    cols = _positions(engine.postings.ids, {pid for _c, pid in pairs})
    return _codes(engine, np.array([rows[cid] for cid, _p in pairs], dtype=np.int64),
                  np.array([cols[pid] for _c, pid in pairs], dtype=np.int64))


def _positions(ids: np.ndarray, wanted) -> dict[int, int]:
    """Return {id: position in the sorted array `ids`} for the wanted ids present in it."""
    index = _indices(ids, set(wanted))
    return dict(zip(ids[index].tolist(), index.tolist(), strict=True))


def _write(pairs, codes, kept, stale, flags, stored) -> None:
    """Delete the stale rows, upsert the pairs with their (score, codes), set the flags of the others."""
    now = timezone.now()
    for start in range(0, len(stale), BATCH):
        Match.objects.filter(pk__in=stale[start:start + BATCH]).delete()
    Match.objects.bulk_create(
        [Match(candidate_id=cid, posting_id=pid, score=score, packed=code,
               for_posting=kept[(cid, pid)][0], for_candidate=kept[(cid, pid)][1], computed_at=now)
         for (cid, pid), (score, code) in zip(pairs, codes, strict=True)],
        batch_size=BATCH, update_conflicts=True, unique_fields=["candidate", "posting"],
        update_fields=UPDATE_FIELDS,
    )
    for (fp, fc) in set(flags.values()):
        pks = [stored[pair][0] for pair, value in flags.items() if value == (fp, fc)]
        for start in range(0, len(pks), BATCH):
            Match.objects.filter(pk__in=pks[start:start + BATCH]).update(for_posting=fp, for_candidate=fc)


def _indices(ids: np.ndarray, wanted: set[int]) -> np.ndarray:
    if not wanted or not len(ids):
        return np.zeros(0, dtype=np.int64)
    pos = np.searchsorted(ids, sorted(wanted))
    pos = pos[pos < len(ids)]
    return np.unique(pos[np.isin(ids[pos], list(wanted))]).astype(np.int64)


def _merge(a: matching.TopMatches | None, b: matching.TopMatches | None) -> matching.TopMatches:
    parts = [x for x in (a, b) if x is not None]
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return matching.TopMatches(empty, empty, empty.astype(np.uint8), empty.astype(bool), empty.astype(bool))
    return matching.TopMatches(*(np.concatenate([getattr(x, f) for x in parts])
                                 for f in ("cand", "post", "score", "for_posting", "for_candidate")))


def _store(engine: matching.Engine, top: matching.TopMatches, *, stored, cand_ids, post_ids, dirty_c, dirty_p,
           started: float) -> RecomputeResult:
    """Write the new best pairs and delete the rows that are no longer kept.

    `cand_ids` / `post_ids`: the candidates and postings whose lists were recomputed (None: all);
    for the others, the stored flag stands.
    """
    ids_c, ids_p = engine.candidates.ids, engine.postings.ids
    dirty_c, dirty_p = dirty_c or set(), dirty_p or set()
    new: dict[tuple[int, int], list] = {}
    for ci, pj, fp, fc in zip(top.cand.tolist(), top.post.tolist(), top.for_posting.tolist(),
                              top.for_candidate.tolist(), strict=True):
        entry = new.setdefault((int(ids_c[ci]), int(ids_p[pj])), [ci, pj, False, False])
        entry[2] |= fp
        entry[3] |= fc
    eligible_c, eligible_p = set(ids_c.tolist()), set(ids_p.tolist())
    full = cand_ids is None
    kept: dict[tuple[int, int], tuple[bool, bool]] = {}
    for pair in set(stored) | set(new):
        c, p = pair
        if c not in eligible_c or p not in eligible_p:
            continue
        entry, old = new.get(pair), stored.get(pair)
        fp = bool(entry and entry[2]) if full or p in post_ids else bool(old and old[1])
        fc = bool(entry and entry[3]) if full or c in cand_ids else bool(old and old[2])
        if fp or fc:
            kept[pair] = (fp, fc)
    stale = [old[0] for pair, old in stored.items() if pair not in kept]
    # Rows of untouched candidates and postings keep their score; only their flags may change.
    to_write = [pair for pair, flags in kept.items()
                if full or pair not in stored or (stored[pair][1], stored[pair][2]) != flags
                or pair[0] in dirty_c or pair[1] in dirty_p]
    cand_index = np.searchsorted(ids_c, np.array([c for c, _p in to_write], dtype=np.int64))
    post_index = np.searchsorted(ids_p, np.array([p for _c, p in to_write], dtype=np.int64))
    now = timezone.now()
    rows = [(c, p, score, code, *kept[(c, p)])
            for (c, p), (score, code) in zip(to_write, _codes(engine, cand_index, post_index), strict=True)]
    for start in range(0, len(stale), BATCH):
        Match.objects.filter(pk__in=stale[start:start + BATCH]).delete()
    for start in range(0, len(rows), BATCH):
        Match.objects.bulk_create(
            [Match(candidate_id=c, posting_id=p, score=s, packed=code, for_posting=fp,
                   for_candidate=fc, computed_at=now) for c, p, s, code, fp, fc in rows[start:start + BATCH]],
            update_conflicts=True, unique_fields=["candidate", "posting"], update_fields=UPDATE_FIELDS,
        )
    return RecomputeResult(written=len(rows), deleted=len(stale), kept=len(kept),
                           seconds=time.monotonic() - started)


COPY_ROWS = 100_000  # rows explained and sent at a time: the text of one batch is ~15 MB
REBUILD_SHARE = 0.5  # past this share of the kept rows written, a new table costs less than writing in place
SAMPLE_ROWS = 20_000  # stored pairs compared first, to tell a rewrite of most rows before writing any
MATCH_COLUMNS = "candidate_id, posting_id, score, for_posting, for_candidate, packed"


def _write_all_postgres(engine: matching.Engine, top: matching.TopMatches, stored: selectors.StoredPacked,
                        now) -> tuple[int, int]:
    """Make the table hold exactly `top`, writing only what differs from what it holds (`stored`).

    The stored rows (ids, keys, flags and packed codes: `selectors.stored_packed`) are compared with the
    new ones in arrays; new pairs are inserted, changed ones updated, the others deleted. An empty
    table (a first fill) is replaced by a new one filled with one COPY, and so is a table of which more
    than REBUILD_SHARE of the rows change (`rebuild`). Return (rows written, rows deleted).
    """
    ids_c, ids_p = engine.candidates.ids, engine.postings.ids
    width = max(len(ids_p), 1)
    new_key = top.cand * width + top.post
    if len(new_key) > 1 and not (np.diff(new_key) > 0).all():  # TopMatches come sorted; be sure
        order = np.argsort(new_key, kind="stable")
        top = matching.TopMatches(*(getattr(top, f)[order] for f in ("cand", "post", "score", "for_posting",
                                                                     "for_candidate")))
        new_key = new_key[order]
    new_flags = top.for_posting.astype(np.int16) + 2 * top.for_candidate.astype(np.int16)
    # Where each stored row stands among the new ones; a row of a pair not kept (or of a candidate or a
    # posting no longer matchable) goes.
    cand_at = np.searchsorted(ids_c, stored.candidate_id)
    post_at = np.searchsorted(ids_p, stored.posting_id)
    known = ((cand_at < len(ids_c)) & (post_at < len(ids_p)))
    known[known] = (ids_c[cand_at[known]] == stored.candidate_id[known]) & (
        ids_p[post_at[known]] == stored.posting_id[known])
    stored_key = np.where(known, cand_at * width + post_at, -1)
    at = np.minimum(np.searchsorted(new_key, stored_key), max(len(new_key) - 1, 0))
    kept = known & (new_key[at] == stored_key) if len(new_key) else np.zeros(len(stored_key), dtype=bool)
    stale = ~kept
    # For each new row: the stored row of its pair (-1: none).
    stored_row = np.full(len(new_key), -1, dtype=np.int64)
    stored_row[at[kept]] = np.nonzero(kept)[0]
    table = Match._meta.db_table
    with connection.cursor() as cursor:
        if not len(stored.candidate_id):
            # A first fill: no row to compare with, no conflict possible (the state row is locked).
            with rebuild.rebuilt_table(cursor) as build, cursor.cursor.copy(
                    f"COPY {build} ({MATCH_COLUMNS}, computed_at) FROM STDIN") as copy:
                for data in _copy_batches(engine, top, stored, stored_row, new_flags, now, marks=False):
                    copy.write(data)
            return len(new_key), 0
        if _changed_share(engine, top, stored, stored_row, new_flags) > REBUILD_SHARE:
            # Most rows change (new weights, a new explanation format): every row goes straight into a new
            # table, each pair that stays under its id.
            new_ids = rebuild.reserve_ids(cursor, int((stored_row < 0).sum()))
            written = 0
            with rebuild.rebuilt_table(cursor) as build, cursor.cursor.copy(
                    f"COPY {build} ({MATCH_COLUMNS}, computed_at, id) FROM STDIN") as copy:
                for data, count in _copy_batches(engine, top, stored, stored_row, new_flags, now, marks=False,
                                                 every_row=new_ids):
                    copy.write(data)
                    written += count
            return written, int(stale.sum())
        # Kept for the session: an outer transaction (a test's, a caller's) may run this twice.
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS match_changed (candidate_id bigint, posting_id bigint, "
            "score smallint, for_posting boolean, for_candidate boolean, packed bytea, "
            "is_new boolean, id bigint)")
        cursor.execute("CREATE TEMPORARY TABLE IF NOT EXISTS match_stale (candidate_id bigint, posting_id bigint)")
        cursor.execute("TRUNCATE match_changed, match_stale")
        written = 0
        with cursor.cursor.copy(f"COPY match_changed ({MATCH_COLUMNS}, is_new, id) FROM STDIN") as copy:
            for data, count in _copy_batches(engine, top, stored, stored_row, new_flags, now, marks=True):
                copy.write(data)
                written += count
        deleted = int(stale.sum())
        # The sample misjudged: most rows changed after all, so a new table still costs less.
        rebuild_table = written > REBUILD_SHARE * len(new_key)
        if deleted:
            gone = np.nonzero(stale)[0]
            with cursor.cursor.copy("COPY match_stale FROM STDIN") as copy:
                for start in range(0, deleted, COPY_ROWS):
                    index = gone[start:start + COPY_ROWS]
                    copy.write(copytext.lines([copytext.number(stored.candidate_id[index]),
                                               copytext.number(stored.posting_id[index])]))
            if not rebuild_table:
                cursor.execute(f"DELETE FROM {table} m USING match_stale s "  # noqa: S608
                               "WHERE m.candidate_id = s.candidate_id AND m.posting_id = s.posting_id")
        if written:
            cursor.execute("ANALYZE match_changed")  # a few rows or millions: the join's plan depends on it
        if rebuild_table:
            _rebuild_from_changes(cursor, table, now)
        elif written:
            cursor.execute(
                f"UPDATE {table} m SET score = n.score, "  # noqa: S608
                "for_posting = n.for_posting, for_candidate = n.for_candidate, packed = n.packed, computed_at = %s "
                "FROM match_changed n WHERE NOT n.is_new AND m.candidate_id = n.candidate_id "
                "AND m.posting_id = n.posting_id", [now])
            cursor.execute(
                f"INSERT INTO {table} ({MATCH_COLUMNS}, computed_at) SELECT {MATCH_COLUMNS}, %s "  # noqa: S608
                "FROM match_changed WHERE is_new", [now])
        cursor.execute("TRUNCATE match_changed, match_stale")
    return written, deleted


def _rebuild_from_changes(cursor, table: str, now) -> None:
    """Fill a new table with the stored rows neither stale nor changed, the changed ones under their ids, and
    the new ones; it then replaces the table (`rebuild`)."""
    cursor.execute("ANALYZE match_stale")
    same_pair = "n.candidate_id = m.candidate_id AND n.posting_id = m.posting_id"
    with rebuild.rebuilt_table(cursor) as build:
        cursor.execute(
            f"INSERT INTO {build} SELECT m.* FROM {table} m "  # noqa: S608
            f"WHERE NOT EXISTS (SELECT FROM match_changed n WHERE {same_pair}) "
            f"AND NOT EXISTS (SELECT FROM match_stale n WHERE {same_pair})")
        cursor.execute(
            f"INSERT INTO {build} (id, {MATCH_COLUMNS}, computed_at) SELECT id, {MATCH_COLUMNS}, %s "  # noqa: S608
            "FROM match_changed WHERE NOT is_new", [now])
        cursor.execute(
            f"INSERT INTO {build} ({MATCH_COLUMNS}, computed_at) SELECT {MATCH_COLUMNS}, %s "  # noqa: S608
            "FROM match_changed WHERE is_new", [now])


def _differs(stored, rows: np.ndarray, flags: np.ndarray, packed: np.ndarray) -> np.ndarray:
    """Which new rows differ from their stored row (`rows`: its index, -1 for none, which always differs)."""
    was = rows >= 0
    differs = ~was
    if was.any():
        same_flags = stored.flags[rows[was]] == flags[was]
        same_codes = (stored.packed[rows[was]] == packed[was]).all(axis=1)
        differs[was] = ~(same_flags & same_codes)
    return differs


def _changed_share(engine, top, stored, stored_row, new_flags) -> float:
    """Estimate the share of the new rows to write: the new pairs, and the stored ones that differ in a sample."""
    total = len(stored_row)
    if not total:
        return 0.0
    was = np.nonzero(stored_row >= 0)[0]
    if not len(was):
        return 1.0
    sample = np.random.default_rng(0).choice(was, size=min(SAMPLE_ROWS, len(was)), replace=False)
    packed = matching.pack_arrays(*matching.explain_arrays(engine, top.cand[sample], top.post[sample]))
    differ = _differs(stored, stored_row[sample], new_flags[sample], packed).mean()
    return float((total - len(was)) + differ * len(was)) / total


def _copy_batches(engine, top, stored, stored_row, new_flags, now, *, marks: bool, every_row=None):
    """Yield the COPY text of the new rows that differ from their stored row (or have none), by batches.

    With `marks`, each line ends with whether the pair is new and its stored id, and (text, rows) pairs are
    yielded; without, each line ends with `now` (computed_at) and the text alone. With `every_row` (the ids
    of the new pairs, in order), every row is written, ending with `now` and its id (the stored row's, or the
    next of `every_row`), and (text, rows that differ) pairs are yielded.
    """
    ids_c, ids_p = engine.candidates.ids, engine.postings.ids
    fresh = 0  # the next id of `every_row`
    for start in range(0, len(top.cand), COPY_ROWS):
        part = slice(start, start + COPY_ROWS)
        points, req, nice = matching.explain_arrays(engine, top.cand[part], top.post[part])
        packed = matching.pack_arrays(points, req, nice)
        rows = stored_row[part]
        was = rows >= 0
        differs = _differs(stored, rows, new_flags[part], packed)
        index = np.arange(len(rows)) if every_row is not None else np.nonzero(differs)[0]
        if not len(index):
            continue
        pick = np.arange(start, start + len(rows))[index]
        n = len(index)
        fields = [copytext.number(ids_c[top.cand[pick]]), copytext.number(ids_p[top.post[pick]]),
                  copytext.number(points[index].sum(axis=1, dtype=np.int64)),
                  copytext.boolean(top.for_posting[pick]), copytext.boolean(top.for_candidate[pick]),
                  copytext.bytea(packed[index])]
        if every_row is not None:
            ids = stored.id[np.maximum(rows, 0)]
            new = np.nonzero(~was)[0]
            ids[new] = every_row[fresh:fresh + len(new)]
            fresh += len(new)
            yield copytext.lines([*fields, copytext.text(n, now.isoformat()), copytext.number(ids)]), int(
                differs.sum())
        elif marks:
            # The stored row's id, 0 for a new pair (ids start at 1).
            ids = np.where(was[index], stored.id[np.maximum(rows[index], 0)], 0)
            yield copytext.lines([*fields, copytext.boolean(~was[index]), copytext.number(ids)]), n
        else:
            yield copytext.lines([*fields, copytext.text(n, now.isoformat())])


# --- orientation from a suggestion ---------------------------------------------------------------

def orientation_from_match(*, match: Match, by=None) -> Orientation:
    """Turn a suggestion into an Orientation (status "proposed") through the candidates' own service.

    Raises candidates.services.CandidateError (consent missing, not qualified yet, already oriented).
    """
    return orientation_create(candidate=match.candidate, posting=match.posting, by=by)


def match_shortlist(*, match: Match, by) -> Orientation:
    """A recruiter keeps a suggested candidate for their posting: an orientation set to "to contact" at once.

    Raises candidates.services.CandidateError as `orientation_create` does (consent, not qualified, already there).
    """
    with transaction.atomic():
        orientation = orientation_from_match(match=match, by=by)
        return orientation_set_status(orientation=orientation, status=Orientation.Status.TO_CONTACT, by=by)


# --- the candidate's data -------------------------------------------------------------------------

def matches_erase(subject) -> None:
    """Forget the person's matches (erasure hook): scores and explanations describe their profile.

    A full recompute running meanwhile loaded the person before the erasure and writes their rows again at
    its end. The erasure clears the person's skills, which queues their own recompute (signals.py): it waits
    for the engine's state row and, the person no longer matchable, removes whatever came back.
    """
    Match.objects.filter(candidate=subject.candidate).delete()


def matches_export_part(candidate) -> dict:
    """Return the candidate's matches for their JSON export (right of access)."""
    return {"matches": [{"posting": m.posting.title, "score": m.score, "explanation": m.explanation}
                        for m in candidate.matches.select_related("posting")]}
