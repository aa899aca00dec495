"""The incremental recompute, one rule for both sides: it always ends where a full recompute ends.

Pure checks of the rule (matching.incremental) on random score matrices, then the services on a
small database: each side alone, both at once, deletions, consent, skills, empty sets, and random
sequences of mixed changes compared with a full recompute after every step.
"""

import random

import numpy as np
import pytest
from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate, Consent
from candidates.wording import holds_match_consent_q
from companies.models import JobPosting
from matching import engine as matching
from matching import incremental
from matching import services as matching_services
from matching.incremental import CANDIDATES, POSTINGS
from matching.models import Match
from tests import factories
from tests.matching import test_matching_engine as base
from tests.matching.test_matching_engine import TODAY, _random_world, make_candidate, make_posting, recompute, snapshot

skills, families, small_lists = base.skills, base.families, base.small_lists
SIDES = [pytest.param(CANDIDATES, id="candidates"), pytest.param(POSTINGS, id="postings")]


# --- the rule alone, on score matrices ------------------------------------------------------------

def _lists(scores: np.ndarray, k: int) -> dict[int, list[tuple[int, int]]]:
    """Each column's best rows (ids are positions + 1), as stored lists of (score, id)."""
    r, c, s = matching.top_per_row(np.ascontiguousarray(scores.T), k)
    out: dict[int, list[tuple[int, int]]] = {j + 1: [] for j in range(scores.shape[1])}
    for j, i, score in zip(r.tolist(), c.tolist(), s.tolist(), strict=True):
        out[j + 1].append((score, i + 1))
    return out


@pytest.mark.parametrize("seed", range(40))
def test_patched_lists_equal_the_lists_of_the_new_scores(seed):
    rng = np.random.default_rng(seed)
    n, p, k = int(rng.integers(1, 30)), int(rng.integers(1, 12)), int(rng.integers(1, 6))
    # Few distinct scores: ties everywhere, broken by id.
    before = rng.choice([0, 10, matching.MIN_SCORE, 40, 41, 60, 90], size=(n, p)).astype(np.uint8)
    after = before.copy()
    changed = sorted(set((rng.choice(n, size=int(rng.integers(0, n + 1))) + 1).tolist()))
    for i in changed:
        after[i - 1] = rng.choice([0, 10, matching.MIN_SCORE, 40, 41, 60, 90], size=p)
    gone = [i for i in changed if rng.random() < 0.3]  # no longer matchable: no row in the scores
    live = [i for i in changed if i not in gone]
    for i in gone:
        after[i - 1] = 0
    stored = _lists(before, k)
    new, rescore = incremental.patch_lists(after[[i - 1 for i in live]], np.array(live, dtype=np.int64),
                                           np.arange(1, p + 1), stored, set(changed), k)
    truth = {j: {i for _s, i in entries} for j, entries in _lists(after, k).items()}
    assert set(new) | rescore == set(stored) and not set(new) & rescore
    for j, members in new.items():
        assert members == truth[j], j
    # Only a full list that lost a member can need the other rows.
    assert all(len(stored[j]) >= k and {i for _s, i in stored[j]} & set(changed) for j in rescore)


def test_a_list_that_is_not_full_is_patched_without_the_other_rows():
    # Column 1 keeps 3 of 3 known entries (k = 4): every row above the floor is in it.
    stored = {1: [(60, 1), (50, 2), (40, 3)]}
    new, rescore = incremental.patch_lists(np.array([[matching.MIN_SCORE]], dtype=np.uint8), np.array([2]),
                                           np.array([1]), stored, {2}, 4)
    assert new == {1: {1, 2, 3}} and rescore == set()


def test_a_full_list_losing_its_member_is_computed_again():
    stored = {1: [(60, 1), (50, 2)]}  # k = 2: the third row is unknown
    new, rescore = incremental.patch_lists(np.zeros((0, 1), dtype=np.uint8), np.zeros(0, dtype=np.int64),
                                           np.array([1]), stored, {2}, 2)
    assert new == {} and rescore == {1}
    # Still in the list with a score no lower than the old last entry: the patch is exact.
    new, rescore = incremental.patch_lists(np.array([[55]], dtype=np.uint8), np.array([2]), np.array([1]),
                                           stored, {2}, 2)
    assert new == {1: {1, 2}} and rescore == set()


def test_a_list_of_a_row_no_longer_matchable_is_left_to_its_own_recompute():
    new, rescore = incremental.patch_lists(np.zeros((1, 0), dtype=np.uint8), np.array([5]),
                                           np.zeros(0, dtype=np.int64), {9: [(50, 5)]}, {5}, 3)
    assert new == {} and rescore == set()


@pytest.mark.parametrize("side", SIDES)
def test_settle_keeps_a_pair_for_a_reason_and_drops_the_others(side):
    other = side.other
    pair = side.pair
    stored = {pair(1, 10): (100, True, True), pair(2, 10): (101, True, True), pair(3, 11): (102, True, True),
              pair(5, 12): (103, True, False), pair(1, 12): (104, False, True)}
    flag_of = lambda own, oth: (own, oth) if side is POSTINGS else (oth, own)  # noqa: E731 (fp, fc)
    outcome = incremental.settle(
        side, stored, own_lists={pair(1, 11)}, other_lists={10: {2}}, changed={1, 4},
        live_own=[1], live_other=[10, 11])
    # Row 1 changed: its own list moved to 11; 10's list dropped it. Row 2 unchanged, still in 10's
    # list; its own list is not recomputed, so its own flag stands. Pair (3, 11): untouched. Row 12
    # is no longer matchable: row 1 (changed) loses its pair, row 5's pair waits for 12's own recompute.
    assert outcome.kept == {pair(1, 11): flag_of(True, False), pair(2, 10): flag_of(True, True),
                            pair(3, 11): flag_of(True, True), pair(5, 12): (True, False)}
    assert outcome.rescored == [pair(1, 11)]
    assert sorted(outcome.stale) == [100, 104]
    assert outcome.added == [] and outcome.flags == {}
    assert other.other is side


# --- the services on a database ------------------------------------------------------------------

def _refresh(side=None, ids=(), **both):
    if side is not None:
        both = {"candidate_ids" if side.is_candidates else "posting_ids": ids}
    return matching_services.matches_recompute_for(**both, today=TODAY)


def _full_snapshot():
    """What a full recompute gives now, without keeping it: the incremental state goes on."""
    with transaction.atomic():
        recompute()
        full = snapshot()
        transaction.set_rollback(True)
    return full


@pytest.fixture
def sides_taken(monkeypatch):
    """Record the side of every fast pass; the full-data path records "all"."""
    taken = []
    fast, everything = matching_services._recompute_side, matching_services._recompute_over_all_data

    def spy_fast(side, *args, **kwargs):
        taken.append(side.name)
        return fast(side, *args, **kwargs)

    def spy_everything(*args, **kwargs):
        taken.append("all")
        return everything(*args, **kwargs)

    monkeypatch.setattr(matching_services, "_recompute_side", spy_fast)
    monkeypatch.setattr(matching_services, "_recompute_over_all_data", spy_everything)
    return taken


def _edit_candidate(rng, person, skills):
    names = list(skills)
    kind = rng.choice(["skills", "skills", "none", "place", "stage", "back", "erased", "consent"])
    if kind == "skills":
        person.skills.set([skills[x] for x in rng.sample(names, rng.randint(1, 5))])
    elif kind == "none":
        person.skills.clear()
    elif kind == "place":
        Candidate.objects.filter(pk=person.pk).update(city=rng.choice(["Albi", "Paris", "Toulouse"]),
                                                      mobility_remote=rng.random() < 0.5,
                                                      contract_wanted=rng.choice(list(Candidate.Contract.values)))
    elif kind == "stage":
        Candidate.objects.filter(pk=person.pk).update(stage=rng.choice([Candidate.Stage.WITHDRAWN,
                                                                        Candidate.Stage.HIRED]))
    elif kind == "back":
        Candidate.objects.filter(pk=person.pk).update(stage=Candidate.Stage.QUALIFIED)
    elif kind == "erased":
        Candidate.objects.filter(pk=person.pk).update(anonymised_at=timezone.now())
    else:  # not an input of the engine: the rows stay, the shortlists hide the person
        Consent.objects.filter(candidate=person).update(withdrawn_at=timezone.now())
    return kind


def _edit_posting(rng, posting, skills):
    names = list(skills)
    kind = rng.choice(["required", "nice", "none", "place", "level", "closed", "published"])
    if kind == "required":
        posting.skills_required.set([skills[x] for x in rng.sample(names, rng.randint(1, 4))])
    elif kind == "nice":
        posting.skills_nice.set([skills[x] for x in rng.sample(names, rng.randint(0, 3))])
    elif kind == "none":
        posting.skills_required.clear()
        posting.skills_nice.clear()
    elif kind == "place":
        JobPosting.objects.filter(pk=posting.pk).update(city=rng.choice(["Albi", "Montpellier", "Paris"]),
                                                        remote=rng.choice(list(JobPosting.Remote.values)))
    elif kind == "level":
        JobPosting.objects.filter(pk=posting.pk).update(level=rng.choice(list(JobPosting.Level.values)),
                                                        open_to_retraining=rng.random() < 0.5)
    else:
        status = JobPosting.Status.CLOSED if kind == "closed" else JobPosting.Status.PUBLISHED
        JobPosting.objects.filter(pk=posting.pk).update(status=status)
    return kind


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [61, 62, 63])
@pytest.mark.parametrize("side", SIDES)
def test_each_side_alone_equals_full_recompute_after_every_change(skills, families, small_lists, sides_taken,
                                                                 side, seed):
    rng = random.Random(seed)
    candidates, postings = _random_world(skills, families, rng, n_candidates=30, n_postings=12)
    for person in candidates:
        factories.give_consent(person)
    recompute()
    kinds = set()
    for _step in range(8):
        if side.is_candidates:
            row = rng.choice(candidates)
            kinds.add(_edit_candidate(rng, row, skills))
        else:
            row = rng.choice(postings)
            kinds.add(_edit_posting(rng, row, skills))
        _refresh(side, [row.pk])
        assert snapshot() == _full_snapshot(), (_step, kinds)
    assert sides_taken and set(sides_taken) == {side.name}


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [71, 72, 73, 74, 75])
def test_random_sequences_of_mixed_changes_equal_full_recompute(skills, families, small_lists, sides_taken, seed):
    rng = random.Random(seed)
    candidates, postings = _random_world(skills, families, rng, n_candidates=30, n_postings=12)
    recompute()
    for step in range(10):
        changed_c = rng.sample(candidates, rng.choice([0, 1, 1, 2, 4]))
        changed_p = rng.sample(postings, rng.choice([0, 1, 1, 2]))
        for person in changed_c:
            _edit_candidate(rng, person, skills)
        for posting in changed_p:
            _edit_posting(rng, posting, skills)
        if rng.random() < 0.2:  # a newcomer on either side
            if rng.random() < 0.5:
                changed_c.append(make_candidate(skills, skill_names=rng.sample(list(skills), 3),
                                                families=[families["dev"]]))
                candidates.append(changed_c[-1])
            else:
                changed_p.append(make_posting(skills, families["ops"], required=rng.sample(list(skills), 2)))
                postings.append(changed_p[-1])
        _refresh(candidate_ids=[c.pk for c in changed_c], posting_ids=[p.pk for p in changed_p])
        assert snapshot() == _full_snapshot(), step
    assert "all" not in sides_taken


@pytest.mark.django_db
def test_many_postings_at_once_take_the_full_data_path_and_agree(skills, families, small_lists, sides_taken,
                                                                  monkeypatch):
    monkeypatch.setattr(matching_services, "MAX_FAST_POSTINGS", 2)
    rng = random.Random(81)
    candidates, postings = _random_world(skills, families, rng, n_candidates=25, n_postings=10)
    recompute()
    sides_taken.clear()
    for posting in postings[:4]:
        _edit_posting(rng, posting, skills)
    _edit_candidate(rng, candidates[0], skills)
    _refresh(candidate_ids=[candidates[0].pk], posting_ids=[p.pk for p in postings[:4]])
    assert sides_taken == ["all"]
    assert snapshot() == _full_snapshot()


@pytest.mark.django_db
@pytest.mark.parametrize("side", SIDES)
def test_deleted_rows_leave_no_match(skills, families, small_lists, side):
    candidates, postings = _random_world(skills, families, random.Random(91), n_candidates=20, n_postings=8)
    recompute()
    rows = candidates if side.is_candidates else postings
    gone = [r for r in rows if Match.objects.filter(**{side.id_field: r.pk}).exists()][:2]
    ids = [r.pk for r in gone]
    # As matching.signals does before a delete: the cascade removes the rows, so the lists that held
    # them are named first, and recomputed.
    other = side.other
    holders = set(Match.objects.filter(**{f"{side.id_field}__in": ids, other.list_field: True})
                  .values_list(other.id_field, flat=True))
    assert holders
    for row in gone:
        row.delete()
    _refresh(other, sorted(holders))
    assert not Match.objects.filter(**{f"{side.id_field}__in": ids}).exists()
    assert snapshot() == _full_snapshot()


@pytest.mark.django_db
def test_a_withdrawn_consent_changes_no_score_and_hides_the_person(skills, families, small_lists):
    candidates, _postings = _random_world(skills, families, random.Random(93), n_candidates=20, n_postings=8)
    for person in candidates:
        factories.give_consent(person)
    recompute()
    person = next(c for c in candidates if Match.objects.filter(candidate=c).exists())
    before = snapshot()
    Consent.objects.filter(candidate=person).update(withdrawn_at=timezone.now())
    _refresh(CANDIDATES, [person.pk])
    assert snapshot() == before == _full_snapshot()
    shown = Match.objects.filter(holds_match_consent_q("candidate_id"))
    assert not shown.filter(candidate=person).exists() and shown.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("side", SIDES)
def test_empty_sets(skills, families, small_lists, side):
    # No rows at all on the other side, nothing stored, ids that do not exist: nothing to write.
    result = _refresh(side, [987654])
    assert (result.written, result.deleted, result.kept) == (0, 0, 0)
    if side.is_candidates:
        person = make_candidate(skills, skill_names=["Python"])
        _refresh(side, [person.pk])
    else:
        posting = make_posting(skills, families["dev"])
        _refresh(side, [posting.pk])
    assert not Match.objects.exists()
    # Then the other side appears; a change on this side finds it.
    if side.is_candidates:
        make_posting(skills, families["dev"])
        person.skills.add(skills["Django"])
        _refresh(side, [person.pk])
    else:
        make_candidate(skills, skill_names=["Python", "Django"], families=[families["dev"]])
        JobPosting.objects.filter(pk=posting.pk).update(city="Toulouse")
        _refresh(side, [posting.pk])
    assert Match.objects.count() == 1
    assert snapshot() == _full_snapshot()
    # Everything on this side gone: every row goes.
    if side.is_candidates:
        Candidate.objects.filter(pk=person.pk).update(stage=Candidate.Stage.HIRED)
        _refresh(side, [person.pk])
    else:
        JobPosting.objects.filter(pk=posting.pk).update(status=JobPosting.Status.CLOSED)
        _refresh(side, [posting.pk])
    assert not Match.objects.exists()
    assert _refresh(side, []).kept == 0
