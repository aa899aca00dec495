"""The incremental recompute's rule, for either side of the pairs: which stored lists change, and how.

When some candidates (or some postings) change, only their rows are scored again, against every row
of the other side. Their own best lists are read straight from those scores. The other side's
lists are patched: a list is its stored entries without the changed rows, plus the changed rows'
new scores, cut to its length. That is exact unless a changed row left a full list and the patched
list can no longer vouch for its last place: every entry that was not in the stored list ranks
below the stored list's last one, so the patch is exact when it is full and its last entry ranks no
lower than the stored list's last. Otherwise that list is computed again from every row
(`rescore`). No database here: the loaders and writers are in matching.selectors and
matching.services.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from . import engine

Pair = tuple[int, int]  # (candidate id, posting id), as the Match table keys its rows


@dataclass(frozen=True)
class Axis:
    """One side of the pairs: the rows that changed, or the rows whose lists are patched."""

    name: str  # "candidates" or "postings"
    id_field: str  # the Match column holding this side's id
    list_field: str  # the Match flag: the row is in this side's own best list
    top_setting: str  # the engine's setting for the length of this side's lists

    @property
    def is_candidates(self) -> bool:
        return self.name == "candidates"

    @property
    def other(self) -> Axis:
        return POSTINGS if self.is_candidates else CANDIDATES

    @property
    def top(self) -> int:
        return getattr(engine, self.top_setting)  # read at call time: tests shorten the lists

    def ids(self, eng: engine.Engine) -> np.ndarray:
        return eng.candidates.ids if self.is_candidates else eng.postings.ids

    def scores(self, eng: engine.Engine) -> np.ndarray:
        """Return the engine's scores with this side's rows as rows."""
        n, p = len(eng.candidates), len(eng.postings)
        scores = eng.scores() if n and p else np.zeros((n, p), dtype=np.uint8)
        return scores if self.is_candidates else np.ascontiguousarray(scores.T)

    def pair(self, own: int, other: int) -> Pair:
        return (own, other) if self.is_candidates else (other, own)

    def own(self, pair: Pair) -> int:
        return pair[0] if self.is_candidates else pair[1]


CANDIDATES = Axis("candidates", "candidate_id", "for_candidate", "TOP_PER_CANDIDATE")
POSTINGS = Axis("postings", "posting_id", "for_posting", "TOP_PER_POSTING")


def _key(entry: tuple[int, int]) -> tuple[int, int]:
    score, row_id = entry
    return score, -row_id  # larger is better; ties go to the lower id


def best_lists(axis: Axis, scores: np.ndarray, own_ids: np.ndarray, other_ids: np.ndarray) -> set[Pair]:
    """Return the pairs in the best lists of the rows of `scores` (ties: lower id first)."""
    r, c, _s = engine.top_per_row(scores, axis.top)
    return {axis.pair(o, t) for o, t in zip(own_ids[r].tolist(), other_ids[c].tolist(), strict=True)}


def best_lists_by_row(axis: Axis, scores: np.ndarray, own_ids: np.ndarray,
                      other_ids: np.ndarray) -> dict[int, set[int]]:
    """Return {row id: ids in its best list} for every row of `scores`, empty lists included."""
    lists: dict[int, set[int]] = {i: set() for i in own_ids.tolist()}
    r, c, _s = engine.top_per_row(scores, axis.top)
    for own, other in zip(own_ids[r].tolist(), other_ids[c].tolist(), strict=True):
        lists[own].add(other)
    return lists


def patch_lists(scores: np.ndarray, changed_ids: np.ndarray, list_ids: np.ndarray,
                stored: dict[int, list[tuple[int, int]]], changed: set[int], k: int
                ) -> tuple[dict[int, set[int]], set[int]]:
    """Patch stored lists with the changed rows' new scores.

    `scores`: changed rows (those still matchable) × every row of the other side (`list_ids`).
    `stored`: the stored list of each row whose list may change, as (score, id) entries.
    Return ({row id: its new list}, the rows whose list must be computed again from every row).
    A row that is no longer matchable gets neither: its own recompute removes its pairs.
    """
    column = {row_id: j for j, row_id in enumerate(list_ids.tolist())}
    changed_list = changed_ids.tolist()
    lists: dict[int, set[int]] = {}
    rescore: set[int] = set()
    for row_id, old in stored.items():
        j = column.get(row_id)
        if j is None:
            continue
        remaining = [e for e in old if e[1] not in changed]
        col = scores[:, j]
        fresh = [(int(col[i]), changed_list[i]) for i in np.nonzero(col >= engine.MIN_SCORE)[0].tolist()]
        new = sorted(remaining + fresh, key=_key, reverse=True)[:k]
        if len(old) >= k and len(remaining) < len(old) and (
                len(new) < k or _key(new[-1]) < min(map(_key, old))):
            # Rows not in the stored list rank below its last entry: one of them may now belong.
            rescore.add(row_id)
            continue
        lists[row_id] = {i for _score, i in new}
    return lists, rescore


@dataclass
class Outcome:
    """What the Match table must become for the pairs read: rows to (re)write, flags to set, rows to drop."""

    kept: dict[Pair, tuple[bool, bool]]  # pair → (for_posting, for_candidate)
    rescored: list[Pair]  # pairs of a changed row: new score and explanation
    added: list[Pair]  # pairs first kept for a list computed again from every row
    flags: dict[Pair, tuple[bool, bool]]  # stored pairs whose flags change, and only those
    stale: list[int]  # ids of stored rows no longer kept


def settle(axis: Axis, stored: dict[Pair, tuple[int, bool, bool]], own_lists: set[Pair],
           other_lists: dict[int, set[int]], changed: set[int], live_own: Iterable[int],
           live_other: Iterable[int]) -> Outcome:
    """Decide each pair's flags from the new lists; a list not recomputed keeps its stored flags.

    `stored`: {pair: (row id, for_posting, for_candidate)} of every stored row of a changed row or
    of a row whose list was recomputed. `own_lists`: the changed rows' best lists (as pairs).
    `other_lists`: the recomputed lists of the other side. `live_*`: the rows still matchable
    (every row of the other side; the changed rows still matchable). A pair of a changed row that is
    no longer matchable goes; a pair of an unchanged row with a row of the other side that is no
    longer matchable stays as it is, for that row's own recompute.
    """
    # Plain indices in the loop: it runs once per stored row touched (10⁴–10⁵ on a busy posting).
    at = 0 if axis.is_candidates else 1  # the changed side's place in a pair; its flag is at 1 - at
    live_own, live_other = set(live_own), set(live_other)
    other_pairs = {(own, row_id) if at == 0 else (row_id, own)
                   for row_id, members in other_lists.items() for own in members}
    kept: dict[Pair, tuple[bool, bool]] = {}
    for pair in set(stored) | own_lists | other_pairs:
        own, row_id = pair[at], pair[1 - at]
        old = stored.get(pair)
        if own in changed:
            if own not in live_own or row_id not in live_other:
                continue
            own_flag = pair in own_lists
        elif row_id not in live_other:
            # Left to that row's own recompute, which may run next (a mixed change): it finds the
            # lists that held the row through these stored pairs.
            kept[pair] = (old[1], old[2])
            continue
        else:
            own_flag = bool(old and old[2 - at])
        other_flag = pair in other_pairs if row_id in other_lists else bool(old and old[1 + at])
        if own_flag or other_flag:
            kept[pair] = (other_flag, own_flag) if at == 0 else (own_flag, other_flag)
    return Outcome(
        kept=kept,
        rescored=sorted(pair for pair in kept if pair[at] in changed),
        added=sorted(pair for pair in kept if pair[at] not in changed and pair not in stored),
        flags={pair: value for pair, value in kept.items() if pair[at] not in changed and pair in stored
               and (stored[pair][1], stored[pair][2]) != value},
        stale=[old[0] for pair, old in stored.items() if pair not in kept],
    )
