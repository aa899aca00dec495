import datetime as dt
import random

import numpy as np
import pytest
from django.utils import timezone

from candidates.models import Candidate
from companies.models import JobFamily, JobPosting, Skill
from matching import copytext
from matching import engine as matching
from matching import selectors as matching_selectors
from matching import services as matching_services
from matching.models import Match
from tests import factories

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def skills(db):
    names = ["Python", "Django", "Flask", "SQL", "Docker", "Java", "React"]
    # Own names: the shipped taxonomy has its own "Python", with its own related skills.
    made = {n: Skill.objects.create(name=f"T-{n}", slug=f"t-{n.lower()}", category=Skill.Category.LANGUAGE)
            for n in names}
    made["Django"].related.add(made["Flask"])
    return made


@pytest.fixture
def families(db):
    return {
        "dev": JobFamily.objects.get_or_create(code="M1805", defaults={"label": "Études et développement"})[0],
        "ops": JobFamily.objects.get_or_create(code="M1810", defaults={"label": "Production et exploitation"})[0],
    }


def make_posting(skills, family, *, required=("Python", "Django", "SQL"), nice=("Docker",), **fields):
    defaults = {"city": "Toulouse", "remote": JobPosting.Remote.NONE, "contract": JobPosting.Contract.CDI,
                "level": JobPosting.Level.JUNIOR, "open_to_retraining": True, "job_family": family}
    posting = factories.JobPostingFactory(**{**defaults, **fields})
    posting.skills_required.set([skills[n] for n in required])
    posting.skills_nice.set([skills[n] for n in nice])
    return posting


def make_candidate(skills, *, skill_names=(), families=(), **fields):
    defaults = {"city": "Toulouse", "contract_wanted": Candidate.Contract.CDI,
                "experience": Candidate.Experience.JUNIOR, "profile": Candidate.Profile.RETRAINING}
    candidate = factories.CandidateFactory(**{**defaults, **fields})
    candidate.skills.set([skills[n] for n in skill_names])
    candidate.desired_job_families.set(families)
    return candidate


def decoded(match):
    posting = match.posting
    return matching.decode_explanation(match.explanation, list(posting.skills_required.values_list("pk", flat=True)),
                                       list(posting.skills_nice.values_list("pk", flat=True)))


def recompute():
    return matching_services.matches_recompute_all(today=TODAY)


def snapshot():
    return {(m.candidate_id, m.posting_id): (m.score, m.for_posting, m.for_candidate, m.explanation)
            for m in Match.objects.all()}


@pytest.mark.django_db
def test_score_and_explanation_of_a_hand_built_pair(skills, families):
    posting = make_posting(skills, families["dev"])
    candidate = make_candidate(skills, skill_names=["Python", "Flask", "SQL"], families=[families["dev"]])
    recompute()
    match = Match.objects.get(candidate=candidate, posting=posting)
    # Skills: Python and SQL held (2 half-skills each), Django covered by its related Flask (1):
    # floor(35 × 5/6 + 10 × 0/2 + ½) = 29. Then family 15, place 15, contract 8, experience 10,
    # availability 4, retraining 3.
    assert match.score == 84
    codes = decoded(match)
    assert codes["pts"] == {"skills": 29, "job_family": 15, "place": 15, "contract": 8,
                                        "experience": 10, "availability": 4, "retraining": 3}
    assert codes["req_ok"] == sorted([skills["Python"].pk, skills["SQL"].pk])
    assert codes["req_near"] == [skills["Django"].pk]
    assert codes["nice_missing"] == [skills["Docker"].pk]
    text = matching_selectors.explanations_for([match])[match.pk]
    assert text.matched == ["T-Python", "T-SQL"]
    assert text.near == ["T-Django"]
    assert text.nice_missing == ["T-Docker"]
    assert [line for line in text.lowered if line.startswith("Compétences")]
    assert sum(part["points"] for part in text.parts) == match.score


@pytest.mark.django_db
def test_what_lowers_the_score_is_explained_per_criterion(skills, families):
    posting = make_posting(skills, families["dev"], level=JobPosting.Level.CONFIRMED,
                           start_date=TODAY + dt.timedelta(days=5), open_to_retraining=False)
    candidate = make_candidate(skills, skill_names=["Python"], city="Montpellier", mobility_remote=True,
                               contract_wanted=Candidate.Contract.ANY, experience=Candidate.Experience.NONE,
                               available_from=TODAY + dt.timedelta(days=70))
    recompute()
    match = Match.objects.get(candidate=candidate, posting=posting)
    # Skills floor(35 × 2/6 + ½) = 12; no family named 8; Montpellier, on-site Toulouse job 0; any
    # contract 8; two steps short 2; two months late 0; retraining on a closed posting 0.
    assert decoded(match)["pts"] == {"skills": 12, "job_family": 8, "place": 0, "contract": 8,
                                        "experience": 2, "availability": 0, "retraining": 0}
    assert match.score == 30
    text = matching_selectors.explanations_for([match])[match.pk]
    assert text.missing == ["T-Django", "T-SQL"]
    codes = {part["code"] for part in text.parts if part["points"] < part["max"]}
    assert codes == {"skills", "job_family", "place", "experience", "availability", "retraining"}


@pytest.mark.django_db
def test_english_explanation(skills, families):
    from django.utils import translation

    make_posting(skills, families["dev"], city="Albi")
    make_candidate(skills, skill_names=["Python"], contract_wanted=Candidate.Contract.ANY)
    recompute()
    match = Match.objects.get()
    with translation.override("en"):
        text = matching_selectors.explanations_for([match])[match.pk]
    assert any(line.startswith("Place of work") for line in text.lowered)


@pytest.mark.django_db
def test_place_rules(skills, families):
    on_site_albi = make_posting(skills, families["dev"], city="Albi", required=(), nice=())
    remote_albi = make_posting(skills, families["dev"], city="Albi", remote=JobPosting.Remote.FULL, required=(),
                               nice=())
    partial_blagnac = make_posting(skills, families["dev"], city="Blagnac", remote=JobPosting.Remote.PARTIAL,
                                   required=(), nice=())
    toulousain = make_candidate(skills, city="Paris", mobility_toulouse=True)
    albigeois = make_candidate(skills, city="albi")
    remote_only = make_candidate(skills, city="Lyon", mobility_remote=True)
    recompute()
    place = {(m.candidate_id, m.posting_id): decoded(m)["pts"]["place"] for m in Match.objects.all()}
    assert place[(toulousain.pk, on_site_albi.pk)] == 0
    assert place[(toulousain.pk, partial_blagnac.pk)] == 15  # Blagnac is in the Toulouse area
    assert place[(albigeois.pk, on_site_albi.pk)] == 15  # lives there
    assert place[(remote_only.pk, remote_albi.pk)] == 15
    assert place[(remote_only.pk, partial_blagnac.pk)] == 5
    assert place[(remote_only.pk, on_site_albi.pk)] == 0


@pytest.mark.django_db
def test_best_candidates_come_first(skills, families):
    posting = make_posting(skills, families["dev"])
    strong = make_candidate(skills, skill_names=["Python", "Django", "SQL", "Docker"], families=[families["dev"]])
    medium = make_candidate(skills, skill_names=["Python", "SQL"], families=[families["dev"]])
    weak = make_candidate(skills, skill_names=["Java"], families=[families["ops"]])
    recompute()
    ordered = [m.candidate_id for m in matching_selectors.suggested_candidates(posting)]
    assert ordered[:2] == [strong.pk, medium.pk]
    assert Match.objects.get(candidate=strong).score == 100
    assert weak.pk not in ordered or ordered.index(weak.pk) == 2


@pytest.mark.django_db
def test_only_published_postings_and_active_confirmed_candidates_are_matched(skills, families):
    published = make_posting(skills, families["dev"])
    make_posting(skills, families["dev"], status=JobPosting.Status.DRAFT, published_at=None)
    good = make_candidate(skills, skill_names=["Python"])
    make_candidate(skills, skill_names=["Python"], confirmed_at=None)
    make_candidate(skills, skill_names=["Python"], stage=Candidate.Stage.WITHDRAWN)
    make_candidate(skills, skill_names=["Python"], stage=Candidate.Stage.HIRED)
    make_candidate(skills, skill_names=["Python"], anonymised_at=timezone.now())
    recompute()
    assert set(Match.objects.values_list("candidate_id", "posting_id")) == {(good.pk, published.pk)}


@pytest.mark.django_db
def test_protected_attributes_never_change_a_score(skills, families):
    rng = random.Random(7)
    for _ in range(4):
        make_posting(skills, families["dev"], required=rng.sample(list(skills), 3), nice=rng.sample(list(skills), 1))
    people = [make_candidate(skills, skill_names=rng.sample(list(skills), 3), families=[families["dev"]],
                             gender=Candidate.Gender.FEMALE, postcode="31000") for _ in range(6)]
    recompute()
    before = snapshot()
    campaign = factories.CandidateFactory._meta.model._meta.get_field("source_campaign").related_model.objects.create(
        name="Paris", code="paris", city="Paris", channel="social", starts_on=TODAY, ends_on=TODAY)
    for person in people:
        Candidate.objects.filter(pk=person.pk).update(
            gender=Candidate.Gender.MALE, first_name="Mohamed", last_name="N'Diaye", postcode="75011",
            from_other_region=True, education=Candidate.Education.DOCTORATE, phone="+33700000000",
            email=f"other{person.pk}@example.net", source_campaign=campaign, utm_source="x", language="en",
            shown_to_recruiters=True)
    recompute()
    after = snapshot()
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}
    assert after == before


def _random_world(skills, families, rng, n_candidates=40, n_postings=14):
    names = list(skills)
    postings = [make_posting(skills, rng.choice(list(families.values())), required=rng.sample(names, rng.randint(0, 3)),
                             nice=rng.sample(names, rng.randint(0, 2)),
                             city=rng.choice(["Toulouse", "Montpellier", "Albi", "Labège"]),
                             remote=rng.choice(list(JobPosting.Remote.values)),
                             contract=rng.choice(list(JobPosting.Contract.values)),
                             level=rng.choice(list(JobPosting.Level.values)),
                             open_to_retraining=rng.random() < 0.5) for _ in range(n_postings)]
    candidates = [make_candidate(skills, skill_names=rng.sample(names, rng.randint(0, 4)),
                                 families=rng.sample(list(families.values()), rng.randint(0, 2)),
                                 city=rng.choice(["Toulouse", "Montpellier", "Nîmes", "Paris", ""]),
                                 mobility_toulouse=rng.random() < 0.5, mobility_remote=rng.random() < 0.5,
                                 contract_wanted=rng.choice(list(Candidate.Contract.values)),
                                 experience=rng.choice(list(Candidate.Experience.values)),
                                 profile=rng.choice(list(Candidate.Profile.values))) for _ in range(n_candidates)]
    return candidates, postings


@pytest.fixture
def small_lists(monkeypatch):
    # Short lists make the top-k cut bite on a small data set.
    monkeypatch.setattr(matching, "TOP_PER_POSTING", 5)
    monkeypatch.setattr(matching, "TOP_PER_CANDIDATE", 3)
    monkeypatch.setattr(matching, "MIN_SCORE", 20)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_equals_full_recompute(skills, families, small_lists, seed):
    rng = random.Random(seed)
    candidates, postings = _random_world(skills, families, rng)
    recompute()
    # Edits of every kind, each followed by its incremental recompute.
    changed = rng.choice(candidates)
    changed.skills.set([skills["Python"], skills["Django"], skills["SQL"]])
    matching_services.matches_recompute_for(candidate_ids=[changed.pk], today=TODAY)
    posting = rng.choice(postings)
    posting.skills_required.set([skills["Java"]])
    JobPosting.objects.filter(pk=posting.pk).update(city="Montpellier", remote=JobPosting.Remote.FULL)
    matching_services.matches_recompute_for(posting_ids=[posting.pk], today=TODAY)
    gone = rng.choice([c for c in candidates if c != changed])
    Candidate.objects.filter(pk=gone.pk).update(stage=Candidate.Stage.WITHDRAWN)
    closed = rng.choice([p for p in postings if p != posting])
    JobPosting.objects.filter(pk=closed.pk).update(status=JobPosting.Status.CLOSED)
    matching_services.matches_recompute_for(candidate_ids=[gone.pk], posting_ids=[closed.pk], today=TODAY)
    newcomer = make_candidate(skills, skill_names=["Java", "React"], families=[families["ops"]])
    matching_services.matches_recompute_for(candidate_ids=[newcomer.pk], today=TODAY)
    incremental = snapshot()
    recompute()
    assert snapshot() == incremental
    assert not Match.objects.filter(candidate=gone).exists()
    assert not Match.objects.filter(posting=closed).exists()


@pytest.mark.django_db
def test_lists_hold_the_top_k_and_rows_are_kept_for_a_reason(skills, families, small_lists):
    _random_world(skills, families, random.Random(5))
    recompute()
    assert not Match.objects.filter(for_posting=False, for_candidate=False).exists()
    for posting_id in set(Match.objects.values_list("posting_id", flat=True)):
        assert Match.objects.filter(posting_id=posting_id, for_posting=True).count() <= 5
    for candidate_id in set(Match.objects.values_list("candidate_id", flat=True)):
        assert Match.objects.filter(candidate_id=candidate_id, for_candidate=True).count() <= 3
    assert Match.objects.filter(score__lt=20).count() == 0


@pytest.mark.django_db
def test_recompute_is_idempotent(skills, families, small_lists):
    _random_world(skills, families, random.Random(9))
    recompute()
    first = snapshot()
    result = recompute()
    assert snapshot() == first
    assert result.deleted == 0
    again = matching_services.matches_recompute_for(candidate_ids=list(Candidate.objects.values_list("pk", flat=True)),
                                                    today=TODAY)
    assert snapshot() == first
    assert again.deleted == 0


@pytest.mark.django_db
def test_stale_rows_are_removed(skills, families):
    posting = make_posting(skills, families["dev"])
    candidate = make_candidate(skills, skill_names=["Python"])
    Match.objects.create(candidate=candidate, posting=make_posting(skills, families["dev"], status="closed"),
                         score=99, for_posting=True)
    recompute()
    assert list(Match.objects.values_list("candidate_id", "posting_id")) == [(candidate.pk, posting.pk)]


def _codes_agree_with_explanations():
    """Every row holds codes of the current width whose points add up to its score, read back unchanged."""
    rows = list(Match.objects.all())
    assert rows
    assert all(len(bytes(m.packed)) == matching.PACKED_WIDTH for m in rows)
    assert [sum(m.explanation["pts"]) for m in rows] == [m.score for m in rows]
    assert matching.pack_explanations([m.explanation for m in rows]) == [bytes(m.packed) for m in rows]


@pytest.mark.django_db
def test_stored_codes_agree_with_the_explanations_after_every_path(skills, families, small_lists):
    candidates, postings = _random_world(skills, families, random.Random(11))
    recompute()
    _codes_agree_with_explanations()
    candidates[0].skills.set([skills["Java"], skills["SQL"]])
    matching_services.matches_recompute_for(candidate_ids=[candidates[0].pk], today=TODAY)
    postings[0].skills_required.set([skills["SQL"], skills["React"]])
    matching_services.matches_recompute_for(posting_ids=[postings[0].pk], today=TODAY)
    _codes_agree_with_explanations()
    matching_services.matches_recompute_for(posting_ids=[p.pk for p in postings], today=TODAY)
    _codes_agree_with_explanations()


@pytest.mark.postgres  # the comparison with the stored rows is PostgreSQL's path; SQLite rewrites every row
@pytest.mark.django_db
def test_full_recompute_over_a_full_table_rewrites_only_what_differs(skills, families, small_lists):
    candidates, postings = _random_world(skills, families, random.Random(12))
    first = recompute()
    wanted = snapshot()
    assert first.written == first.kept == len(wanted)
    again = recompute()
    assert (again.written, again.deleted, again.kept) == (0, 0, len(wanted))
    rows = list(Match.objects.order_by("pk")[:4])
    Match.objects.filter(pk=rows[0].pk).update(packed=None)
    Match.objects.filter(pk=rows[1].pk).update(for_posting=not rows[1].for_posting)
    Match.objects.filter(pk=rows[2].pk).update(packed=b"\x00\x01")  # codes of another width
    Match.objects.filter(pk=rows[3].pk).delete()
    stale = next((c, p) for c in candidates for p in postings if (c.pk, p.pk) not in wanted)
    Match.objects.create(candidate=stale[0], posting=stale[1], score=99, for_posting=True)
    result = recompute()
    assert snapshot() == wanted
    assert (result.written, result.deleted, result.kept) == (4, 1, len(wanted))
    _codes_agree_with_explanations()


@pytest.mark.django_db
def test_full_recompute_with_nothing_left_to_match_empties_the_table(skills, families, small_lists):
    _candidates, postings = _random_world(skills, families, random.Random(13))
    recompute()
    assert Match.objects.exists()
    kept = Match.objects.count()
    JobPosting.objects.filter(pk__in=[p.pk for p in postings]).update(status=JobPosting.Status.CLOSED)
    result = recompute()
    assert (result.written, result.deleted, result.kept) == (0, kept, 0)
    assert not Match.objects.exists()


def test_packed_codes_read_back_as_the_explanation_they_hold():
    rng = random.Random(5)

    def statuses():
        return "".join(rng.choice("012") for _ in range(rng.choice([0, 1, 3, 4, 5, matching.MAX_SKILLS_PER_LIST])))

    codes = [{"v": 2, "pts": [rng.randint(0, 40) for _ in matching.COMPONENTS], "req": statuses(),
              "nice": statuses()} for _ in range(300)]
    assert [matching.unpack(packed) for packed in matching.pack_explanations(codes)] == codes
    # No codes, or codes of another width: no explanation rather than a wrong one.
    assert matching.unpack(None) == matching.unpack(b"\x00\x01") == {}
    match = Match(explanation=codes[0])
    assert (match.packed, match.explanation) == (matching.pack_explanations(codes[:1])[0], codes[0])
    match.explanation = {}
    assert (match.packed, match.explanation) == (None, {})


def test_copy_text_is_built_without_escapes_or_padding():
    values = np.array([0, 7, 10, 12345])
    data = copytext.lines([copytext.number(values), copytext.boolean(values > 9),
                           copytext.bytea(np.array([[0, 255]] * 4, dtype=np.uint8))])
    assert data == b"0\tf\t\\\\x00ff\n" b"7\tf\t\\\\x00ff\n" b"10\tt\t\\\\x00ff\n" b"12345\tt\t\\\\x00ff\n"
    assert copytext.lines([np.zeros((0, 1), dtype=np.uint8)]) == b""


def test_engine_selection_equals_brute_force():
    rng = np.random.default_rng(3)
    cand_rows = [{"id": i + 1, "skills": sorted(set(rng.integers(1, 30, size=5).tolist())),
                  "families": [int(rng.integers(1, 4))], "city": ["Toulouse", "Albi", ""][i % 3],
                  "mobility_remote": bool(i % 2), "contract_wanted": "any", "experience": "junior",
                  "profile": "retraining" if i % 4 == 0 else "experienced"} for i in range(300)]
    post_rows = [{"id": j + 1, "required": sorted(set(rng.integers(1, 30, size=4).tolist())),
                  "nice": sorted(set(rng.integers(1, 30, size=2).tolist())), "job_family_id": int(rng.integers(1, 4)),
                  "city": ["Toulouse", "Montpellier", "Albi"][j % 3], "remote": ["none", "partial", "full"][j % 3],
                  "contract": "cdi", "level": ["beginner", "junior", "senior"][j % 3],
                  "open_to_retraining": j % 2 == 0} for j in range(120)]
    engine = matching.Engine(matching.CandidateRows.from_dicts(cand_rows), matching.PostingRows.from_dicts(post_rows),
                             [(1, 2), (3, 4)], today=TODAY, chunk_size=64)
    scores = engine.scores().astype(int)
    pairs = np.indices(scores.shape).reshape(2, -1)
    assert (engine.components(pairs[0], pairs[1]).sum(axis=1) == scores.ravel()).all()
    top = engine.top_matches()
    expected = set()
    for i in range(scores.shape[0]):
        best = sorted(range(scores.shape[1]), key=lambda j, i=i: (-scores[i, j], j))[:matching.TOP_PER_CANDIDATE]
        expected |= {(i, j) for j in best if scores[i, j] >= matching.MIN_SCORE}
    for j in range(scores.shape[1]):
        best = sorted(range(scores.shape[0]), key=lambda i, j=j: (-scores[i, j], i))[:matching.TOP_PER_POSTING]
        expected |= {(i, j) for i in best if scores[i, j] >= matching.MIN_SCORE}
    assert set(zip(top.cand.tolist(), top.post.tolist(), strict=True)) == expected
    # Five chunks, each one's candidate lists picked in the second thread: the same arrays as in one chunk.
    whole = matching.Engine(engine.candidates, engine.postings, [(1, 2), (3, 4)], today=TODAY, chunk_size=1000)
    for name in ("cand", "post", "score", "for_posting", "for_candidate"):
        assert getattr(top, name).tolist() == getattr(whole.top_matches(), name).tolist()


def test_weights_add_up_to_one_hundred():
    assert sum(matching.WEIGHTS.values()) == 100
    assert sum(matching.MAX_POINTS.values()) == 100


@pytest.mark.postgres
@pytest.mark.django_db
def test_fast_postgres_loader_reads_what_the_orm_reads(skills, families):
    _random_world(skills, families, random.Random(11), n_candidates=12, n_postings=2)
    make_candidate(skills, skill_names=["Java"], stage=Candidate.Stage.WITHDRAWN)
    # The server encodes dates as months and choices as codes: every kind of value must come back.
    for k, pk in enumerate(Candidate.objects.values_list("pk", flat=True)):
        Candidate.objects.filter(pk=pk).update(
            available_from=None if k % 3 == 0 else TODAY + dt.timedelta(days=29 * k - 100),
            contract_wanted=list(Candidate.Contract.values)[k % len(Candidate.Contract.values)],
            experience=list(Candidate.Experience.values)[k % len(Candidate.Experience.values)],
            mobility_occitanie=k % 2 == 0, mobility_montpellier=k % 3 == 1)
    fast = matching_selectors.load_candidate_rows()
    slow = matching_selectors.load_candidate_rows(ids=Candidate.objects.values_list("pk", flat=True))
    assert fast.ids.tolist() == slow.ids.tolist()
    assert list(fast.skills) == [sorted(x) for x in slow.skills]
    assert list(fast.families) == [sorted(x) for x in slow.families]
    assert fast.city == slow.city
    for name in ("mobility", "contract", "experience", "available_month", "retraining"):
        assert (getattr(fast, name) == getattr(slow, name)).all()
    assert len(set(fast.available_month.tolist())) > 3 and len(set(fast.contract.tolist())) > 3
    slim = matching_selectors.load_candidate_rows(skill_ids=[skills["Java"].pk])
    assert list(slim.skills) == [[skills["Java"].pk] if skills["Java"].pk in x else [] for x in fast.skills]


def test_posting_skill_arrays_give_the_lists_of_posting_skill_lists():
    rng = random.Random(8)
    # Duplicates, more than 40 skills, nice-to-have skills also required (within the first 40 and
    # past them), empty lists.
    required = [[rng.randint(1, 60) for _ in range(rng.choice([0, 0, 3, 30, 45, 60]))] for _ in range(200)]
    nice = [[rng.randint(1, 60) for _ in range(rng.choice([0, 2, 10, 50]))] for _ in range(200)]
    required[0], nice[0] = list(range(45, 0, -1)), [2, 2, 43, 44, 50]  # 43 and 44 are required past the 40th
    (req_row, req_val), (nice_row, nice_val) = matching.posting_skill_arrays(
        *matching._pairs(required), *matching._pairs(nice))
    got_req = matching.Links(req_row, req_val, len(required))
    got_nice = matching.Links(nice_row, nice_val, len(nice))
    expected = [matching.posting_skill_lists(r, n) for r, n in zip(required, nice, strict=True)]
    assert list(got_req) == [r for r, _n in expected]
    assert list(got_nice) == [n for _r, n in expected]
    assert got_nice[0] == [43, 44, 50]
    assert max(got_req.counts()) == matching.MAX_SKILLS_PER_LIST and min(got_req.counts()) == 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_fast_postgres_posting_loader_reads_what_the_orm_reads(skills, families):
    _random_world(skills, families, random.Random(12), n_candidates=15, n_postings=6)
    many = [Skill.objects.create(name=f"T-many-{i}", slug=f"t-many-{i}", category=Skill.Category.LANGUAGE)
            for i in range(45)]
    by_name = {**skills, **{s.name: s for s in many}}
    long = make_posting(by_name, families["dev"], required=[s.name for s in many],
                        nice=[many[1].name, many[43].name, "Docker"])  # one within the first 40, one past them
    make_posting(by_name, families["ops"], required=(), nice=(), remote=JobPosting.Remote.FULL)
    make_posting(by_name, families["dev"], required=("Java",), nice=("Java", "React"))
    make_posting(by_name, families["dev"], required=("SQL",), status=JobPosting.Status.CLOSED)
    for k, pk in enumerate(JobPosting.objects.values_list("pk", flat=True)):
        JobPosting.objects.filter(pk=pk).update(
            start_date=None if k % 3 == 0 else TODAY + dt.timedelta(days=31 * k - 100),
            contract=list(JobPosting.Contract.values)[k % len(JobPosting.Contract.values)],
            level=list(JobPosting.Level.values)[k % len(JobPosting.Level.values)],
            remote=list(JobPosting.Remote.values)[k % len(JobPosting.Remote.values)],
            open_to_retraining=k % 2 == 0)
    fast = matching_selectors.load_posting_rows()
    slow = matching_selectors.load_posting_rows(ids=JobPosting.objects.values_list("pk", flat=True))
    assert fast.ids.tolist() == slow.ids.tolist() and long.pk in fast.ids.tolist()
    assert list(fast.required) == slow.required and list(fast.nice) == slow.nice
    assert fast.city == slow.city
    for name in ("family", "remote", "contract", "level", "start_month", "open_to_retraining"):
        assert (getattr(fast, name) == getattr(slow, name)).all()
    assert len(set(fast.start_month.tolist())) > 3 and len(set(fast.contract.tolist())) > 3
    assert [] in list(fast.required) and [] in list(fast.nice)
    # The engine reads both alike: same scores, same explanations, decoded with the reference lists.
    cands = matching_selectors.load_candidate_rows()
    related = matching_selectors.load_related_skills()
    engines = [matching.Engine(cands, posts, related, today=TODAY) for posts in (fast, slow)]
    assert (engines[0].scores() == engines[1].scores()).all()
    pairs = np.indices((len(cands), len(fast))).reshape(2, -1)
    assert matching.explain(engines[0], *pairs) == matching.explain(engines[1], *pairs)
    j = fast.ids.tolist().index(long.pk)
    codes = matching.explain(engines[0], np.arange(len(cands)), np.full(len(cands), j))[0]
    decoded = matching.decode_explanation(codes, slow.required[j], slow.nice[j])
    assert len(codes["req"]) == matching.MAX_SKILLS_PER_LIST
    assert decoded["nice_missing"] + decoded["nice_ok"] + decoded["nice_near"] != []
    assert many[1].pk not in decoded["nice_missing"] + decoded["nice_ok"] + decoded["nice_near"]
    assert len(codes["nice"]) == 2  # many[43] (required past the 40th) and Docker


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [4, 5, 6, 7])
def test_candidate_only_fast_path_equals_full_recompute(skills, families, small_lists, monkeypatch, seed):
    outcomes = []
    fast = matching_services._recompute_side

    def spy(side, *args, **kwargs):
        result = fast(side, *args, **kwargs)
        outcomes.append(side.is_candidates and result is not None)
        return result

    monkeypatch.setattr(matching_services, "_recompute_side", spy)
    rng = random.Random(seed)
    candidates, _postings = _random_world(skills, families, rng)
    recompute()
    names = list(skills)
    for person in rng.sample(candidates, 6):
        person.skills.set([skills[x] for x in rng.sample(names, rng.randint(0, 5))])
        Candidate.objects.filter(pk=person.pk).update(mobility_remote=rng.random() < 0.5,
                                                      contract_wanted=rng.choice(list(Candidate.Contract.values)))
        matching_services.matches_recompute_for(candidate_ids=[person.pk], today=TODAY)
    gone = rng.choice(candidates)
    Candidate.objects.filter(pk=gone.pk).update(stage=Candidate.Stage.HIRED)
    matching_services.matches_recompute_for(candidate_ids=[gone.pk], today=TODAY)
    incremental = snapshot()
    recompute()
    assert snapshot() == incremental
    assert any(outcomes)  # the fast path was taken at least once
