"""The posting-only incremental path: exact scores from slim candidate rows, patched candidate lists."""

import random

import numpy as np
import pytest

from candidates.models import Candidate
from companies.models import JobPosting
from matching import engine as matching
from matching import selectors as matching_selectors
from matching import services as matching_services
from matching.models import Match
from tests.matching import test_matching_engine as base
from tests.matching.test_matching_engine import TODAY, _random_world, make_candidate, recompute, snapshot

# The fixtures of the engine's tests.
skills, families, small_lists = base.skills, base.families, base.small_lists


def _random_rows(rng, n=400, p=60, n_skills=40):
    cands = [{"id": i + 1, "skills": sorted(set(rng.integers(1, n_skills + 1, size=int(rng.integers(0, 9))).tolist())),
              "families": sorted(set(rng.integers(1, 5, size=int(rng.integers(0, 3))).tolist())),
              "city": ["Toulouse", "Albi", "Nîmes", ""][i % 4], "mobility_remote": bool(i % 3),
              "mobility_montpellier": i % 5 == 0, "contract_wanted": ["any", "cdi", "cdd"][i % 3],
              "experience": ["none", "junior", "confirmed", "senior"][i % 4],
              "profile": "retraining" if i % 4 == 0 else "experienced"} for i in range(n)]
    posts = [{"id": j + 1,
              "required": sorted(set(rng.integers(1, n_skills + 1, size=int(rng.integers(0, 6))).tolist())),
              "nice": sorted(set(rng.integers(1, n_skills + 1, size=int(rng.integers(0, 4))).tolist())),
              "job_family_id": int(rng.integers(1, 5)), "city": ["Toulouse", "Montpellier", "Albi"][j % 3],
              "remote": ["none", "partial", "full"][j % 3], "contract": ["cdi", "cdd"][j % 2],
              "level": ["beginner", "junior", "confirmed", "senior"][j % 4], "open_to_retraining": j % 2 == 0}
             for j in range(p)]
    related = sorted({(int(a), int(b)) for a, b in rng.integers(1, n_skills + 1, size=(n_skills, 2)) if a != b})
    return cands, posts, related


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_slim_candidate_rows_give_the_full_engines_columns_and_explanations(seed):
    rng = np.random.default_rng(seed)
    cand_rows, post_rows, related = _random_rows(rng)
    cands, posts = matching.CandidateRows.from_dicts(cand_rows), matching.PostingRows.from_dicts(post_rows)
    full = matching.Engine(cands, posts, related, today=TODAY)
    chosen = np.sort(rng.choice(len(posts), size=3, replace=False))
    some = posts.take(chosen)
    asked = {s for lists in (some.required, some.nice) for row in lists for s in row}
    wanted = asked | {b for a, b in related if a in asked} | {a for a, b in related if b in asked}
    # As the PostgreSQL loader gives them: only the wanted skills, as flat links.
    row, value = zip(*[(i, s) for i, r in enumerate(cand_rows) for s in r["skills"] if s in wanted], strict=True)
    f_row, f_value = zip(*[(i, f) for i, r in enumerate(cand_rows) for f in r["families"]], strict=True)
    slim_rows = matching.CandidateRows.from_dicts(cand_rows)
    slim_rows.skills = matching.Links.from_pairs(np.array(row), np.array(value), len(cand_rows))
    slim_rows.families = matching.Links.from_pairs(np.array(f_row), np.array(f_value), len(cand_rows))
    slim = matching.Engine(slim_rows, some, related, today=TODAY)
    assert slim.cand_matrix.shape[1] < full.cand_matrix.shape[1]  # fewer skills: a smaller matrix
    assert (slim.scores() == full.scores()[:, chosen]).all()
    assert (full.scores() >= matching.MIN_SCORE).any()
    every = np.arange(len(cands))
    for k, j in enumerate(chosen.tolist()):
        assert (matching.explain(slim, every, np.full(len(cands), k))
                == matching.explain(full, every, np.full(len(cands), j)))


def test_links_behave_like_lists():
    links = matching.Links.from_pairs(np.array([2, 0, 2, 0]), np.array([7, 5, 3, 9]), 4)
    assert list(links) == [[5, 9], [], [3, 7], []]
    assert links[2] == [3, 7]
    assert links.counts().tolist() == [2, 0, 2, 0]
    assert list(links.take(np.array([2, 1]))) == [[3, 7], []]


def _more_related(skills):
    # Related skills on both sides of the posting's lists: the half credit must survive the slim load.
    skills["Python"].related.add(skills["Django"])
    skills["SQL"].related.add(skills["Java"])
    skills["Docker"].related.add(skills["React"])


@pytest.fixture
def paths(monkeypatch):
    """Record which path each incremental recompute took."""
    taken = []
    fast, engine = matching_services._recompute_side, matching_services._engine

    def spy_fast(side, *args, **kwargs):
        if not side.is_candidates:
            taken.append("postings")
        return fast(side, *args, **kwargs)

    def spy_engine(*args, **kwargs):
        taken.append("full data")
        return engine(*args, **kwargs)

    monkeypatch.setattr(matching_services, "_recompute_side", spy_fast)
    monkeypatch.setattr(matching_services, "_engine", spy_engine)
    return taken


def _refresh(**ids):
    return matching_services.matches_recompute_for(**ids, today=TODAY)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_posting_fast_path_equals_full_recompute(skills, families, small_lists, paths, seed):
    _more_related(skills)
    rng = random.Random(seed)
    _candidates, postings = _random_world(skills, families, rng)
    recompute()
    names = list(skills)
    edits = [
        lambda p: p.skills_required.set([skills[x] for x in rng.sample(names, rng.randint(1, 4))]),
        lambda p: p.skills_nice.set([skills[x] for x in rng.sample(names, rng.randint(0, 2))]),
        lambda p: JobPosting.objects.filter(pk=p.pk).update(city=rng.choice(["Albi", "Montpellier", "Paris"])),
        lambda p: JobPosting.objects.filter(pk=p.pk).update(level=rng.choice(list(JobPosting.Level.values))),
        lambda p: JobPosting.objects.filter(pk=p.pk).update(remote=rng.choice(list(JobPosting.Remote.values))),
        lambda p: JobPosting.objects.filter(pk=p.pk).update(status=JobPosting.Status.CLOSED),
    ]
    paths.clear()
    for edit in edits:
        posting = rng.choice(postings)
        edit(posting)
        _refresh(posting_ids=[posting.pk])
        assert paths[-1] == "postings"
    # Two postings at once, one of them published again.
    pair = rng.sample(postings, 2)
    JobPosting.objects.filter(pk__in=[p.pk for p in pair]).update(status=JobPosting.Status.PUBLISHED)
    pair[1].skills_required.set([skills["Python"], skills["Flask"]])
    _refresh(posting_ids=[p.pk for p in pair])
    assert "full data" not in paths
    incremental = snapshot()
    recompute()
    assert snapshot() == incremental


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [21, 22])
def test_mixed_change_equals_full_recompute(skills, families, small_lists, paths, seed):
    _more_related(skills)
    rng = random.Random(seed)
    candidates, postings = _random_world(skills, families, rng)
    recompute()
    person, posting = rng.choice(candidates), rng.choice(postings)
    person.skills.set([skills["Java"], skills["SQL"]])
    posting.skills_required.set([skills["SQL"], skills["React"]])
    JobPosting.objects.filter(pk=posting.pk).update(city="Albi")
    _refresh(candidate_ids=[person.pk], posting_ids=[posting.pk])
    gone = rng.choice([c for c in candidates if c != person])
    Candidate.objects.filter(pk=gone.pk).update(stage=Candidate.Stage.WITHDRAWN)
    closed = rng.choice([p for p in postings if p != posting])
    JobPosting.objects.filter(pk=closed.pk).update(status=JobPosting.Status.CLOSED)
    _refresh(candidate_ids=[gone.pk], posting_ids=[closed.pk])
    incremental = snapshot()
    recompute()
    assert snapshot() == incremental
    assert not Match.objects.filter(candidate=gone).exists()
    assert not Match.objects.filter(posting=closed).exists()


@pytest.mark.django_db
def test_posting_fast_path_is_idempotent(skills, families, small_lists):
    _more_related(skills)
    _candidates, postings = _random_world(skills, families, random.Random(31))
    recompute()
    first = snapshot()
    result = _refresh(posting_ids=[p.pk for p in postings])
    assert snapshot() == first
    assert result.deleted == 0
    postings[0].skills_required.set([skills["Java"]])
    _refresh(posting_ids=[postings[0].pk])
    changed = snapshot()
    again = _refresh(posting_ids=[postings[0].pk])
    assert snapshot() == changed
    assert again.deleted == 0


@pytest.mark.django_db
def test_a_posting_leaving_full_candidate_lists_rescores_those_candidates(skills, families, small_lists, monkeypatch,
                                                                        paths):
    _more_related(skills)
    _candidates, postings = _random_world(skills, families, random.Random(41))
    fan = make_candidate(skills, skill_names=["Python", "Django", "SQL", "Docker"], families=[families["dev"]])
    recompute()
    paths.clear()
    held = Match.objects.filter(candidate=fan, for_candidate=True)
    assert held.count() == matching.TOP_PER_CANDIDATE  # a full list
    loads = []
    load = matching_selectors.load_candidate_rows

    def spy(ids=None, **kwargs):
        loads.append(None if ids is None else set(ids))
        return load(ids, **kwargs)

    monkeypatch.setattr(matching_selectors, "load_candidate_rows", spy)
    best = held.order_by("-score", "posting_id").first().posting
    JobPosting.objects.filter(pk=best.pk).update(status=JobPosting.Status.CLOSED)
    _refresh(posting_ids=[best.pk])
    assert any(ids and fan.pk in ids for ids in loads)  # the fan's 21st posting was unknown: rescored
    assert paths == ["postings"]
    incremental = snapshot()
    recompute()
    assert snapshot() == incremental
    assert Match.objects.filter(candidate=fan, for_candidate=True).count() == matching.TOP_PER_CANDIDATE


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [51, 52, 53])
def test_a_candidate_leaving_full_posting_lists_refills_them_without_the_full_data_path(
        skills, families, small_lists, paths, monkeypatch, seed):
    _more_related(skills)
    refilled = []
    load = matching_services._side_engine

    def spy(side, ids, *args):
        if not side.is_candidates:
            refilled.append(set(ids))
        return load(side, ids, *args)

    monkeypatch.setattr(matching_services, "_side_engine", spy)
    rng = random.Random(seed)
    candidates, _postings = _random_world(skills, families, rng)
    recompute()
    paths.clear()
    holders = sorted({m.candidate_id for m in Match.objects.filter(for_posting=True)})
    leaving = [c for c in candidates if c.pk in holders[:4]]
    for person in leaving[:2]:
        person.skills.clear()
        Candidate.objects.filter(pk=person.pk).update(city="Paris", mobility_toulouse=False, mobility_remote=False)
        _refresh(candidate_ids=[person.pk])
    Candidate.objects.filter(pk=leaving[2].pk).update(stage=Candidate.Stage.HIRED)
    _refresh(candidate_ids=[leaving[2].pk])
    assert paths == []  # neither the full-data path nor the postings' path
    assert refilled  # a posting's 51st candidate was unknown: its column was scored again
    incremental = snapshot()
    recompute()
    assert snapshot() == incremental
