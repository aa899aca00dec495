"""The matching engine: how well a candidate fits a published job posting, as a score in [0, 100].

The score is a sum of whole points, one part per criterion. Every weight lives in `WEIGHTS`:

============================  ======  ==========================================================
criterion                     points  how the points are earned
============================  ======  ==========================================================
required skills               35      35 × covered / required; a skill the candidate has counts 1,
                                      a *related* skill of the taxonomy (Skill.related) counts 1/2;
                                      a posting that lists no required skill gives all 35
nice-to-have skills           10      same rule over the nice-to-have skills
job family (ROME)             15      15 when the posting's family is one the candidate wants;
                                      8 when the candidate named none; 0 otherwise
place                         15      15 for a full-remote posting, or a city the candidate lives in
                                      or accepts (mobility flags: Toulouse area, Montpellier area,
                                      elsewhere in Occitanie); 5 when the posting is partly remote and
                                      the candidate accepts remote work; 0 otherwise
contract                      8       8 when the contract is the one wanted (or "any"); 0 otherwise
experience                    10      posting level minus candidate experience, in steps of the
                                      scale (none/junior/confirmed/senior): ≤ 0 → 10, 1 → 5, 2 → 2,
                                      3 → 0. Being more experienced than asked costs nothing (it would
                                      be a proxy for age)
availability                  4       by calendar month: available by the start month → 4, one month
                                      later → 2, later → 0. No date means "now"; a start date in the
                                      past means "as soon as possible"
openness to retraining        3       a candidate retraining loses these 3 points on a posting that
                                      is not open to people retraining; everyone else gets them
============================  ======  ==========================================================

The two skill parts are added, then rounded half up once ("skills", out of 45); the other parts are
whole points already, so the parts shown in an explanation add up to the score exactly. Only the
first 40 required and 40 nice-to-have skills of a posting count (the rounding is exact below that).

Never inputs: gender, age, origin, name, postcode, education, campaign, anything not
about the job — the loaders (matching.selectors) do not even read them.

Ties are broken by id (lower first), so results are deterministic and the incremental path gives
exactly what a full recompute gives.

The engine is vectorised with NumPy and does one matrix product per chunk of candidates: each
candidate is a row [skills in half-skills (2 = has it, 1 = has a related one) | points of each
criterion for each class of posting], each posting a column [points per half-skill | one-hot class
of each criterion | constant]. The product is the score before rounding; adding ½ + δ and
truncating gives the rounded score (δ = 2·10⁻⁴ is larger than float32's error and smaller than the
smallest gap to a rounding boundary, so every path rounds alike). Candidates are scored in chunks:
the full 100k × 10k matrix would not fit. See docs/matching-performance.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from tescforce.reference_data import MONTPELLIER, TOULOUSE, place_key  # noqa: F401 - used below and by selectors

# --- the weights: the one place to change them ---------------------------------------------------

WEIGHTS: dict[str, int] = {
    "skills_required": 35,
    "skills_nice": 10,
    "job_family": 15,
    "place": 15,
    "contract": 8,
    "experience": 10,
    "availability": 4,
    "retraining": 3,
}
assert sum(WEIGHTS.values()) == 100
# The parts an explanation shows; "skills" is required + nice-to-have, rounded once.
COMPONENTS: tuple[str, ...] = ("skills", *tuple(WEIGHTS)[2:])
MAX_POINTS: dict[str, int] = {"skills": WEIGHTS["skills_required"] + WEIGHTS["skills_nice"],
                              **{k: WEIGHTS[k] for k in COMPONENTS[1:]}}
MAX_SKILLS_PER_LIST = 40
ROUNDING_MARGIN = 2e-4

FAMILY_NO_PREFERENCE = 8  # a candidate who named no job family: half of 15, rounded
PLACE_PARTIAL_REMOTE = 5  # a partly remote job in a city the candidate did not choose, remote accepted
EXPERIENCE_BY_GAP = (10, 5, 2, 0)  # index: how many steps short of the posting's level
AVAILABILITY_BY_MONTHS_LATE = (4, 2)  # 0 months late → 4, 1 month → 2, more → 0
RELATED_SKILL_CREDIT = 1  # in half-skills: a related skill covers half of a required one
OWN_SKILL_CREDIT = 2

TOP_PER_POSTING = 50
TOP_PER_CANDIDATE = 20
MIN_SCORE = 30  # below this a pair is not a suggestion at all
CHUNK_SIZE = 4096

EXPERIENCE_RANK = {"none": 0, "junior": 1, "confirmed": 2, "senior": 3}
LEVEL_RANK = {"beginner": 0, "junior": 1, "confirmed": 2, "senior": 3}
REMOTE_CODE = {"none": 0, "partial": 1, "full": 2}
CONTRACTS = ("cdi", "cdd", "apprenticeship", "internship", "freelance")
CONTRACT_CODE = {c: i for i, c in enumerate(CONTRACTS)}
ANY_CONTRACT = -1

# Which towns make one metropolitan area (a job in Blagnac is "on Toulouse"): reference data, shared with the
# courses' "nearby" (partners.courses), hence in the core (TOULOUSE, MONTPELLIER and place_key above).


def month_number(day: dt.date | None) -> int:
    """Return a month count (year × 12 + month), or -1 for no date."""
    return -1 if day is None else day.year * 12 + day.month - 1


# --- input rows ----------------------------------------------------------------------------------

@dataclass
class Links:
    """Ids linked to each of `n` rows (a candidate's skills…) as two flat arrays, sorted by row then id.

    Behaves like a list of sorted lists; the loaders build it straight from the database's pairs, which
    saves building 100,000 Python lists.
    """

    row: np.ndarray  # int64 row index, ascending
    value: np.ndarray  # int64 linked id
    n: int

    @classmethod
    def from_pairs(cls, row: np.ndarray, value: np.ndarray, n: int) -> Links:
        order = np.lexsort((value, row))
        return cls(np.asarray(row, dtype=np.int64)[order], np.asarray(value, dtype=np.int64)[order], n)

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> list[int]:
        lo, hi = np.searchsorted(self.row, [i, i + 1])
        return self.value[lo:hi].tolist()

    def __iter__(self) -> Iterator[list[int]]:
        bounds = np.searchsorted(self.row, np.arange(self.n + 1))
        return (self.value[a:b].tolist() for a, b in zip(bounds[:-1], bounds[1:], strict=True))

    def counts(self) -> np.ndarray:
        return np.bincount(self.row, minlength=self.n)

    def take(self, index) -> Links:
        index = np.asarray(index, dtype=np.int64)
        new_row = np.full(self.n, -1, dtype=np.int64)
        new_row[index] = np.arange(len(index))
        mapped = new_row[self.row]
        keep = mapped >= 0
        return Links.from_pairs(mapped[keep], self.value[keep], len(index))


@dataclass
class CandidateRows:
    """The job-related facts of candidates, sorted by id, as arrays. Nothing else is loaded."""

    ids: np.ndarray  # int64
    skills: list[Sequence[int]] | Links
    families: list[Sequence[int]] | Links
    city: list[str]
    mobility: np.ndarray  # bool (n, 4): toulouse, montpellier, elsewhere in Occitanie, remote
    contract: np.ndarray  # int8, ANY_CONTRACT for "any"
    experience: np.ndarray  # int8 rank
    available_month: np.ndarray  # int32, -1 = now
    retraining: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_dicts(cls, rows: list[dict]) -> CandidateRows:
        rows = sorted(rows, key=lambda r: r["id"])
        return cls(
            ids=np.array([r["id"] for r in rows], dtype=np.int64),
            skills=[list(r.get("skills", ())) for r in rows],
            families=[list(r.get("families", ())) for r in rows],
            city=[r.get("city", "") for r in rows],
            mobility=np.array([[bool(r.get("mobility_toulouse")), bool(r.get("mobility_montpellier")),
                                bool(r.get("mobility_occitanie")), bool(r.get("mobility_remote"))] for r in rows],
                              dtype=bool).reshape(len(rows), 4),
            contract=np.array([CONTRACT_CODE.get(r.get("contract_wanted", "any"), ANY_CONTRACT) for r in rows],
                              dtype=np.int8),
            experience=np.array([EXPERIENCE_RANK.get(r.get("experience", "none"), 0) for r in rows], dtype=np.int8),
            available_month=np.array([month_number(r.get("available_from")) for r in rows], dtype=np.int32),
            retraining=np.array([r.get("profile") == "retraining" for r in rows], dtype=bool),
        )

    def take(self, index: np.ndarray) -> CandidateRows:
        return CandidateRows(
            ids=self.ids[index], skills=_take(self.skills, index), families=_take(self.families, index),
            city=[self.city[i] for i in index],
            mobility=self.mobility[index], contract=self.contract[index], experience=self.experience[index],
            available_month=self.available_month[index], retraining=self.retraining[index],
        )


@dataclass
class PostingRows:
    """The facts of published postings that matching uses, sorted by id."""

    ids: np.ndarray  # int64
    required: list[Sequence[int]] | Links
    nice: list[Sequence[int]] | Links
    family: np.ndarray  # int64
    city: list[str]
    remote: np.ndarray  # int8
    contract: np.ndarray  # int8
    level: np.ndarray  # int8
    start_month: np.ndarray  # int32, -1 = as soon as possible
    open_to_retraining: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_dicts(cls, rows: list[dict]) -> PostingRows:
        rows = sorted(rows, key=lambda r: r["id"])
        return cls(
            ids=np.array([r["id"] for r in rows], dtype=np.int64),
            required=[list(r.get("required", ())) for r in rows],
            nice=[list(r.get("nice", ())) for r in rows],
            family=np.array([r["job_family_id"] for r in rows], dtype=np.int64),
            city=[r.get("city", "") for r in rows],
            remote=np.array([REMOTE_CODE.get(r.get("remote", "partial"), 1) for r in rows], dtype=np.int8),
            contract=np.array([CONTRACT_CODE.get(r.get("contract", "cdi"), 0) for r in rows], dtype=np.int8),
            level=np.array([LEVEL_RANK.get(r.get("level", "junior"), 1) for r in rows], dtype=np.int8),
            start_month=np.array([month_number(r.get("start_date")) for r in rows], dtype=np.int32),
            open_to_retraining=np.array([bool(r.get("open_to_retraining")) for r in rows], dtype=bool),
        )

    def take(self, index: np.ndarray) -> PostingRows:
        return PostingRows(
            ids=self.ids[index], required=_take(self.required, index), nice=_take(self.nice, index),
            family=self.family[index], city=[self.city[i] for i in index], remote=self.remote[index],
            contract=self.contract[index], level=self.level[index], start_month=self.start_month[index],
            open_to_retraining=self.open_to_retraining[index],
        )


# --- the engine ----------------------------------------------------------------------------------

@dataclass
class TopMatches:
    """Selected pairs (indices into the engine's rows) with their scores and why they were kept."""

    cand: np.ndarray  # int64 candidate row index
    post: np.ndarray  # int64 posting row index
    score: np.ndarray  # uint8
    for_posting: np.ndarray  # bool: among the posting's best
    for_candidate: np.ndarray  # bool: among the candidate's best


@dataclass
class Engine:
    candidates: CandidateRows
    postings: PostingRows
    related: Sequence[tuple[int, int]] = ()
    today: dt.date = field(default_factory=dt.date.today)
    chunk_size: int = CHUNK_SIZE

    def __post_init__(self) -> None:
        self._build_skills()
        self._build_profile_features()

    # Skills: c_eff (n × s) in half-skills; each posting's points per half-skill covered (w_skill:
    # skill column, posting, points), written straight into the posting matrix.
    def _build_skills(self) -> None:
        cands, posts = self.candidates, self.postings
        p = len(posts)
        # The lists that count (`posting_skill_lists`), as flat (posting, skill id) arrays: no Python
        # loop over 10,000 postings.
        (req_row, req_val), (nice_row, nice_val) = posting_skill_arrays(
            *_pairs(posts.required), *_pairs(posts.nice))
        held = cands.skills.value if isinstance(cands.skills, Links) else _pairs(cands.skills)[1]
        skill_ids = _sorted_unique(np.concatenate([held, req_val, nice_val]))
        if not len(skill_ids):
            skill_ids = np.array([-1], dtype=np.int64)  # a column nobody has
        self.skill_ids = skill_ids.astype(np.int64)
        self.skill_col = dict(zip(self.skill_ids.tolist(), range(len(self.skill_ids)), strict=True))
        neighbours: dict[int, set[int]] = {}
        for a, b in self.related:
            if a in self.skill_col and b in self.skill_col and a != b:
                neighbours.setdefault(self.skill_col[a], set()).add(self.skill_col[b])
                neighbours.setdefault(self.skill_col[b], set()).add(self.skill_col[a])
        self.neighbours = neighbours
        self.c_eff = self._candidate_skill_matrix(cands.skills)
        self.n_req = np.bincount(req_row, minlength=p).astype(np.int64)
        self.n_nice = np.bincount(nice_row, minlength=p).astype(np.int64)
        req_rate = np.float32(WEIGHTS["skills_required"]) / np.maximum(2 * self.n_req, 1).astype(np.float32)
        nice_rate = np.float32(WEIGHTS["skills_nice"]) / np.maximum(2 * self.n_nice, 1).astype(np.float32)
        pads, weights = [], []
        for row, val, rate, counts in ((req_row, req_val, req_rate, self.n_req),
                                       (nice_row, nice_val, nice_rate, self.n_nice)):
            col = np.searchsorted(self.skill_ids, val)
            weights.append((col, row, rate[row]))
            # Each posting's skill columns in list order, padded with -1: what explanations read.
            pad = np.full((p, max(int(counts.max(initial=0)), 1)), -1, dtype=np.int64)
            pad[row, _rank_within(row)] = col
            pads.append(pad)
        self.req_pad, self.nice_pad = pads
        self.w_skill = tuple(np.concatenate(x) for x in zip(*weights, strict=True))

    def _candidate_skill_matrix(self, skills: list[Sequence[int]] | Links) -> np.ndarray:
        n_skills = len(self.skill_col)
        rows, cols = _flatten(skills, self.skill_ids)
        own = np.zeros((len(skills), n_skills), dtype=bool)
        own[rows, cols] = True
        c_eff = own.astype(np.float32) * OWN_SKILL_CREDIT
        if self.neighbours and n_skills:
            adjacency = np.zeros((n_skills, n_skills), dtype=np.float32)
            for a, bs in self.neighbours.items():
                adjacency[a, list(bs)] = 1
            near = (own.astype(np.float32) @ adjacency) > 0
            c_eff[near & ~own] = RELATED_SKILL_CREDIT
        return c_eff

    # Other criteria: one-hot posting classes; candidate rows hold the points for each class.
    def _build_profile_features(self) -> None:
        cands, posts = self.candidates, self.postings
        n, p = len(cands), len(posts)
        blocks: list[tuple[str, np.ndarray, np.ndarray]] = []  # (component, cand points (n×k), post class (p,))

        family_ids, family_class = np.unique(posts.family, return_inverse=True)
        fam = np.zeros((n, len(family_ids)), dtype=np.float32)
        rows, cols = _flatten(cands.families, family_ids)
        fam[rows, cols] = WEIGHTS["job_family"]
        named = (cands.families.counts() > 0 if isinstance(cands.families, Links)
                 else np.array([bool(f) for f in cands.families], dtype=bool))
        fam[~named] = FAMILY_NO_PREFERENCE
        blocks.append(("job_family", fam, family_class))

        post_keys = {c: place_key(c) for c in set(posts.city)}
        post_place = [("*", 2) if r == 2 else (post_keys[c], r) for c, r in zip(posts.city, posts.remote.tolist(),
                                                                                 strict=True)]
        place_classes = sorted(set(post_place))
        place_class_of = {pc: k for k, pc in enumerate(place_classes)}
        place_class = np.array([place_class_of[pc] for pc in post_place], dtype=np.int64)
        keys = {c: place_key(c) for c in set(cands.city)}
        cand_keys = np.array([keys[c] for c in cands.city], dtype=object)
        mob = cands.mobility
        place = np.zeros((n, len(place_classes)), dtype=np.float32)
        for k, (key, remote) in enumerate(place_classes):
            if remote == 2:
                place[:, k] = WEIGHTS["place"]
                continue
            flag = mob[:, 0] if key == TOULOUSE else mob[:, 1] if key == MONTPELLIER else mob[:, 2]
            accepted = flag | ((cand_keys == key) & (key != ""))
            partial = (remote == 1) & mob[:, 3]
            place[:, k] = np.where(accepted, WEIGHTS["place"], np.where(partial, PLACE_PARTIAL_REMOTE, 0))
        blocks.append(("place", place, place_class))

        contract = np.where((cands.contract[:, None] == ANY_CONTRACT)
                            | (cands.contract[:, None] == np.arange(len(CONTRACTS))[None, :]),
                            WEIGHTS["contract"], 0).astype(np.float32)
        blocks.append(("contract", contract, posts.contract.astype(np.int64)))

        gap = np.arange(4)[None, :] - cands.experience[:, None].astype(np.int64)
        experience = np.array(EXPERIENCE_BY_GAP, dtype=np.float32)[np.clip(gap, 0, 3)]
        blocks.append(("experience", experience, posts.level.astype(np.int64)))

        now = month_number(self.today)
        start = np.maximum(np.where(posts.start_month < 0, now, posts.start_month), now)
        months, month_class = np.unique(start, return_inverse=True)
        avail = np.maximum(np.where(cands.available_month < 0, now, cands.available_month), now)
        late = avail[:, None].astype(np.int64) - months[None, :].astype(np.int64)
        by_late = np.array((*AVAILABILITY_BY_MONTHS_LATE, 0), dtype=np.float32)
        availability = np.where(late <= 0, by_late[0], by_late[np.clip(late, 0, len(by_late) - 1)])
        blocks.append(("availability", availability.astype(np.float32), month_class.astype(np.int64)))

        full = WEIGHTS["retraining"]
        retraining = np.stack([np.where(cands.retraining, 0, full), np.full(n, full)], axis=1).astype(np.float32)
        blocks.append(("retraining", retraining, posts.open_to_retraining.astype(np.int64)))

        # A constant column carries the points of postings that list no skill of a kind, and the
        # ½ + δ that turns truncation into rounding half up.
        base = (np.where(self.n_req == 0, WEIGHTS["skills_required"], 0)
                + np.where(self.n_nice == 0, WEIGHTS["skills_nice"], 0)).astype(np.float32)
        base += np.float32(0.5 + ROUNDING_MARGIN)

        widths = [b[1].shape[1] for b in blocks]
        n_skills = self.c_eff.shape[1]
        offsets = np.cumsum([n_skills, *widths[:-1]]).tolist()
        self.offsets = dict(zip([b[0] for b in blocks], offsets, strict=True))
        self.post_class = {b[0]: b[2] for b in blocks}
        self.cand_matrix = np.ascontiguousarray(np.concatenate(
            [self.c_eff] + [b[1] for b in blocks] + [np.ones((n, 1), dtype=np.float32)], axis=1))
        self.c_eff = self.cand_matrix[:, :n_skills]  # the same numbers: one copy less (88 MB at 100k)
        k = self.cand_matrix.shape[1]
        post_matrix = np.zeros((k, p), dtype=np.float32)
        skill_col, skill_post, points = self.w_skill
        post_matrix[skill_col, skill_post] = points
        for name, _cand_points, klass in blocks:
            post_matrix[self.offsets[name] + klass, np.arange(p)] = 1
        post_matrix[k - 1, :] = base
        self.post_matrix = np.ascontiguousarray(post_matrix)
        del self.w_skill

    # Scoring ---------------------------------------------------------------------------------

    def scores(self, cand_index=slice(None), post_index=slice(None)) -> np.ndarray:
        """Return the uint8 score matrix for the given candidate rows × posting rows."""
        raw = self.cand_matrix[cand_index] @ self.post_matrix[:, post_index]
        return raw.astype(np.uint8)  # truncation of x + ½ + δ: see the module's docstring

    def components(self, cand: np.ndarray, post: np.ndarray) -> np.ndarray:
        """Return the points of each part for the pairs (cand[i], post[i]), in exact integer arithmetic."""
        cand, post = np.asarray(cand, dtype=np.int64), np.asarray(post, dtype=np.int64)
        out = np.zeros((len(cand), len(COMPONENTS)), dtype=np.uint8)
        if not len(cand):
            return out
        covered = []
        for pad in (self.req_pad[post], self.nice_pad[post]):
            vals = np.where(pad >= 0, self.c_eff[cand[:, None], np.maximum(pad, 0)], 0)
            covered.append(vals.sum(axis=1).astype(np.int64))
        covered_req, covered_nice = covered
        out[:, 0] = skill_points(covered_req, self.n_req[post], covered_nice, self.n_nice[post])
        for k, name in enumerate(COMPONENTS[1:], start=1):
            out[:, k] = self.cand_matrix[cand, self.offsets[name] + self.post_class[name][post]]
        return out

    def chunks(self) -> Iterator[slice]:
        n = len(self.candidates)
        for start in range(0, n, self.chunk_size):
            yield slice(start, min(n, start + self.chunk_size))

    def top_matches(self, cand_index: np.ndarray | None = None, post_index: np.ndarray | None = None,
                    want_posting_top: bool = True, want_candidate_top: bool = True) -> TopMatches:
        """Return the best postings of each candidate and the best candidates of each posting.

        With `cand_index`, only those candidates are scored (against all postings); with `post_index`,
        only those postings (against all candidates). Indices must be sorted.
        """
        n, p = len(self.candidates), len(self.postings)
        post_sel = np.arange(p) if post_index is None else np.asarray(post_index, dtype=np.int64)
        cand_sel = np.arange(n) if cand_index is None else np.asarray(cand_index, dtype=np.int64)
        posting_top = _PostingTop(len(post_sel), TOP_PER_POSTING)
        out_c, out_p, out_s = [], [], []

        def keep_candidate_top(rows, found) -> None:
            r, c, s = found
            out_c.append(rows[r])
            out_p.append(post_sel[c])
            out_s.append(s)

        # Over several chunks, each chunk's candidate lists are picked in a second thread while this one
        # scores it for the postings' lists (numpy lets go of the GIL: 8.9 → 6.8 s at 100k × 10k, one-off).
        # One chunk at most waits, so memory holds two blocks, not all of them.
        overlap = want_candidate_top and want_posting_top and len(cand_sel) > self.chunk_size
        with ThreadPoolExecutor(max_workers=1) if overlap else contextlib.nullcontext() as pool:
            pending = None
            for start in range(0, len(cand_sel), self.chunk_size):
                rows = cand_sel[start:start + self.chunk_size]
                block = self.scores(rows if cand_index is not None else slice(rows[0], rows[-1] + 1),
                                    post_sel if post_index is not None else slice(None))
                if overlap:
                    if pending is not None:
                        keep_candidate_top(pending[0], pending[1].result())
                    pending = (rows, pool.submit(top_per_row, block, TOP_PER_CANDIDATE))
                elif want_candidate_top:
                    keep_candidate_top(rows, top_per_row(block, TOP_PER_CANDIDATE))
                if want_posting_top:
                    posting_top.add(block, rows)
                del block
            if pending is not None:
                keep_candidate_top(pending[0], pending[1].result())
        cand_top = (np.concatenate(out_c) if out_c else np.zeros(0, np.int64),
                    np.concatenate(out_p) if out_p else np.zeros(0, np.int64),
                    np.concatenate(out_s) if out_s else np.zeros(0, np.uint8))
        c, prow, s = posting_top.result()
        return _union(cand_top, (c, post_sel[prow], s), n, p)


class _PostingTop:
    """The running best candidates of each posting, over chunks of candidates seen in id order.

    Keys are score << 32 | (2³² - 1 - candidate index): larger is better, ties go to the lower index.
    A chunk's entries can only enter a posting's list by beating its current last score strictly
    (all earlier candidates have lower indices), so after the first chunk only a compare and a small
    merge are needed.
    """

    def __init__(self, n_posts: int, k: int):
        self.k = k
        self.keys = np.full((n_posts, k), -1, dtype=np.int64)  # sorted descending
        self.started = False

    def add(self, block: np.ndarray, rows: np.ndarray) -> None:
        if not self.started:
            self.started = True
            r, c, s = top_per_row(np.ascontiguousarray(block.T), self.k)
            self.keys[r, _rank_within(r)] = (s.astype(np.int64) << 32) | (0xFFFFFFFF - rows[c])
            return
        last = self.keys[:, -1]
        thr = np.where(last < 0, MIN_SCORE - 1, last >> 32).astype(np.uint8)
        c_local, post = np.nonzero(block > thr[None, :])
        if not len(post):
            return
        new_keys = (block[c_local, post].astype(np.int64) << 32) | (0xFFFFFFFF - rows[c_local])
        touched = np.unique(post)
        old_rows = np.repeat(touched, self.k)
        old_keys = self.keys[touched].ravel()
        all_post = np.concatenate([old_rows, post])
        all_keys = np.concatenate([old_keys, new_keys])
        order = np.lexsort((-all_keys, all_post))
        all_post, all_keys = all_post[order], all_keys[order]
        rank = _rank_within(all_post)
        keep = rank < self.k
        self.keys[all_post[keep], rank[keep]] = all_keys[keep]

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        valid = self.keys >= 0
        prow = np.nonzero(valid)[0]
        keys = self.keys[valid]
        return (0xFFFFFFFF - (keys & 0xFFFFFFFF)).astype(np.int64), prow.astype(np.int64), (keys >> 32).astype(
            np.uint8)


def skill_points(covered_req, n_req, covered_nice, n_nice) -> np.ndarray:
    """Return floor(35·c/(2n) + 10·d/(2m) + ½) in integers; a list that is empty gives its full weight."""
    wr, wn = WEIGHTS["skills_required"], WEIGHTS["skills_nice"]
    c, n, d, m = (np.asarray(x, dtype=np.int64) for x in (covered_req, n_req, covered_nice, n_nice))
    n1, m1 = np.maximum(n, 1), np.maximum(m, 1)
    both = (wr * c * m1 + wn * d * n1 + n1 * m1) // (2 * n1 * m1)
    only_nice = wr + (wn * d + m1) // (2 * m1)
    only_req = wn + (wr * c + n1) // (2 * n1)
    return np.where(n > 0, np.where(m > 0, both, only_req), np.where(m > 0, only_nice, wr + wn))


def _take(lists: list[Sequence[int]] | Links, index) -> list[Sequence[int]] | Links:
    return lists.take(index) if isinstance(lists, Links) else [lists[i] for i in index]


def _flatten(lists: list[Sequence[int]] | Links, known: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (row, column) of each id of each list that is in the sorted array `known`."""
    rows, flat = _pairs(lists)
    cols = np.searchsorted(known, flat)
    ok = cols < len(known)
    ok[ok] = known[cols[ok]] == flat[ok]
    return rows[ok], cols[ok]


def _pairs(lists: list[Sequence[int]] | Links) -> tuple[np.ndarray, np.ndarray]:
    """Return (row, id) of every id of every list, in list order."""
    if isinstance(lists, Links):
        return lists.row, lists.value
    lengths = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter((v for x in lists for v in x), dtype=np.int64, count=int(lengths.sum()))
    return np.repeat(np.arange(len(lists), dtype=np.int64), lengths), flat


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """Return the distinct values of x, sorted (np.unique's hash path is slower on these small ints)."""
    x = np.sort(x)
    return x[np.r_[True, x[1:] != x[:-1]]] if len(x) else x


def _rank_within(rows: np.ndarray) -> np.ndarray:
    """For a sorted array of row numbers, return each item's position within its row."""
    if not len(rows):
        return rows
    starts = np.r_[0, np.nonzero(np.diff(rows))[0] + 1]
    counts = np.diff(np.r_[starts, len(rows)])
    return np.arange(len(rows)) - np.repeat(starts, counts)


def kth_largest_per_row(block: np.ndarray, k: int) -> np.ndarray:
    """Return each row's k-th largest score (0 when the row is shorter), by counting: scores are bytes.

    A histogram per row costs a quarter of np.partition here.
    """
    n, m = block.shape
    if m < k:
        return np.zeros(n, dtype=np.uint8)
    counts = np.empty((n, 256), dtype=np.int64)
    for i in range(n):
        counts[i] = np.bincount(block[i], minlength=256)
    at_least = np.cumsum(counts[:, ::-1], axis=1)  # column v: how many scores are ≥ 255 - v
    return (255 - np.argmax(at_least >= k, axis=1)).astype(np.uint8)


def top_per_row(block: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (row, col, score) of the k best scores of each row (ties: lower column first), ≥ MIN_SCORE.

    Sorted by row, then score descending, then column.
    """
    n, m = block.shape
    if m == 0 or n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.uint8)
    thr = np.maximum(kth_largest_per_row(block, k), MIN_SCORE).astype(np.uint8)
    r, c = np.nonzero(block >= thr[:, None])
    s = block[r, c]
    above = s > thr[r]
    need = k - np.bincount(r[above], minlength=n)
    tie = ~above
    keep = above.copy()
    keep[tie] = _rank_within(r[tie]) < need[r[tie]]
    r, c, s = r[keep], c[keep], s[keep]
    order = np.lexsort((c, -s.astype(np.int16), r))
    return r[order].astype(np.int64), c[order].astype(np.int64), s[order]


def _union(cand_top, post_top, n: int, p: int) -> TopMatches:
    c1, p1, s1 = cand_top
    c2, p2, s2 = post_top
    key1 = c1.astype(np.int64) * max(p, 1) + p1
    key2 = c2.astype(np.int64) * max(p, 1) + p2
    keys, first = np.unique(np.concatenate([key1, key2]), return_index=True)
    scores = np.concatenate([s1, s2])[first]
    return TopMatches(
        cand=keys // max(p, 1), post=keys % max(p, 1), score=scores.astype(np.uint8),
        for_posting=np.isin(keys, key2), for_candidate=np.isin(keys, key1),
    )


# --- explanations --------------------------------------------------------------------------------

STATUS_CHARS = {"0": "missing", "1": "near", "2": "ok"}  # the status codes stored per posting skill


def posting_skill_lists(required: Sequence[int], nice: Sequence[int]) -> tuple[list[int], list[int]]:
    """Return the skill ids that count, in the order explanations code them: by id, required first."""
    req = sorted(dict.fromkeys(required))[:MAX_SKILLS_PER_LIST]
    taken = set(req)
    return req, sorted(x for x in dict.fromkeys(nice) if x not in taken)[:MAX_SKILLS_PER_LIST]


def posting_skill_arrays(req_row, req_val, nice_row, nice_val):
    """Return `posting_skill_lists` of every posting at once, from flat (posting row, skill id) pairs.

    Gives ((row, id), (row, id)) for the required and nice-to-have lists that count, sorted by row
    then id: duplicates dropped, first 40 ids of each list, nice-to-have ids also required (among
    those 40) dropped before the nice-to-have list is cut.
    """
    req_row, req_val, nice_row, nice_val = (np.asarray(x, dtype=np.int64)
                                            for x in (req_row, req_val, nice_row, nice_val))
    values, codes = np.unique(np.concatenate([req_val, nice_val]), return_inverse=True)
    k = max(len(values), 1)
    # One key per pair, row × k + rank of the id: sorting orders by (row, id), equal keys are duplicates.
    req_key = _sorted_unique(req_row * k + codes[:len(req_val)])
    req_key = req_key[_rank_within(req_key // k) < MAX_SKILLS_PER_LIST]
    nice_key = _sorted_unique(nice_row * k + codes[len(req_val):])
    at = np.minimum(np.searchsorted(req_key, nice_key), max(len(req_key) - 1, 0))
    if len(req_key):
        nice_key = nice_key[req_key[at] != nice_key]
    nice_key = nice_key[_rank_within(nice_key // k) < MAX_SKILLS_PER_LIST]
    return tuple((key // k, values[key % k].astype(np.int64)) for key in (req_key, nice_key))


def explain_arrays(engine: Engine, cand: np.ndarray, post: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return, per pair, the points of each part (uint8, one column per part) and the status of each
    required and nice-to-have skill (int8: 2 held, 1 covered by a related skill, 0 missing, -1 past
    the posting's list), in `posting_skill_lists` order."""
    cand, post = np.asarray(cand, dtype=np.int64), np.asarray(post, dtype=np.int64)
    statuses = []
    for pad in (engine.req_pad[post], engine.nice_pad[post]):
        statuses.append(np.where(pad >= 0, engine.c_eff[cand[:, None], np.maximum(pad, 0)], -1).astype(np.int8))
    return engine.components(cand, post), statuses[0], statuses[1]


def status_strings(status: np.ndarray) -> list[str]:
    """Return one string of status digits per row of an `explain_arrays` status matrix."""
    chars = np.where(status >= 0, status + ord("0"), 0).astype(np.uint8)
    # Fixed-width byte strings drop their trailing NULs: one string per pair.
    as_bytes = np.ascontiguousarray(chars).view(f"S{chars.shape[1]}").ravel()  # pads are ≥ 1 wide
    return [b.decode() for b in as_bytes.tolist()]


def explain_codes(engine: Engine, cand: np.ndarray, post: np.ndarray) -> tuple[list, list[str], list[str]]:
    """Return, per pair, the points of each part and one status character per required and nice skill.

    Statuses follow `posting_skill_lists` order: "2" held, "1" covered by a related skill, "0" missing.
    """
    points, req, nice = explain_arrays(engine, cand, post)
    return points.tolist(), status_strings(req), status_strings(nice)


# An explanation's codes packed in fixed-width bytes: the points of each part, then the statuses of
# the required skills, then those of the nice-to-have ones, 2 bits each (status + 1; 0: no skill).
# Exact: the only stored form of an explanation (`unpack` reads it back), and what a full recompute compares.
PACKED_WIDTH = len(COMPONENTS) + 2 * MAX_SKILLS_PER_LIST // 4


def pack_arrays(points: np.ndarray, req: np.ndarray, nice: np.ndarray) -> np.ndarray:
    """Return the packed codes (n × PACKED_WIDTH uint8) of `explain_arrays` results."""
    n = len(points)
    out = np.zeros((n, PACKED_WIDTH), dtype=np.uint8)
    out[:, :len(COMPONENTS)] = points
    at = len(COMPONENTS)
    for status in (req, nice):
        codes = np.zeros((n, MAX_SKILLS_PER_LIST), dtype=np.uint8)
        width = min(status.shape[1], MAX_SKILLS_PER_LIST)
        codes[:, :width] = (status[:, :width].astype(np.int16) + 1).astype(np.uint8)
        quads = codes.reshape(n, MAX_SKILLS_PER_LIST // 4, 4)
        out[:, at:at + MAX_SKILLS_PER_LIST // 4] = (quads[:, :, 0] | (quads[:, :, 1] << 2) | (quads[:, :, 2] << 4)
                                                   | (quads[:, :, 3] << 6))
        at += MAX_SKILLS_PER_LIST // 4
    return out


def pack_explanations(explanations: Sequence[dict]) -> list[bytes]:
    """Return the packed codes of stored explanation dicts (`explain`'s), as `pack_arrays` gives them."""
    n = len(explanations)
    points = np.array([e["pts"] for e in explanations], dtype=np.uint8).reshape(n, len(COMPONENTS))
    statuses = []
    for kind in ("req", "nice"):
        status = np.full((n, MAX_SKILLS_PER_LIST), -1, dtype=np.int8)
        for i, e in enumerate(explanations):
            codes = e.get(kind, "")[:MAX_SKILLS_PER_LIST]
            status[i, :len(codes)] = [int(c) for c in codes]
        statuses.append(status)
    return [row.tobytes() for row in pack_arrays(points, *statuses)]


def unpack(packed: bytes | memoryview | None) -> dict:
    """Return the explanation codes (`explain`'s dict) held in packed bytes; {} for none, or for codes of
    another width (written by an earlier format: the next full recompute writes them again)."""
    data = bytes(packed) if packed is not None else b""
    if len(data) != PACKED_WIDTH:
        return {}
    out: dict = {"v": 2, "pts": list(data[:len(COMPONENTS)])}
    at = len(COMPONENTS)
    for kind in ("req", "nice"):
        codes = [(byte >> shift) & 3 for byte in data[at:at + MAX_SKILLS_PER_LIST // 4] for shift in (0, 2, 4, 6)]
        # 0: past the posting's list, whose skills come first; 1 to 3: statuses "0" to "2".
        out[kind] = "".join(str(code - 1) for code in codes if code)
        at += MAX_SKILLS_PER_LIST // 4
    return out


def explain(engine: Engine, cand: np.ndarray, post: np.ndarray) -> list[dict]:
    """Return the stored explanation codes of each pair: points per part and a status per skill asked.

    The readable text is built at display time, in the reader's language (matching.selectors).
    """
    points, req, nice = explain_codes(engine, cand, post)
    return [{"v": 2, "pts": p, "req": r, "nice": n} for p, r, n in zip(points, req, nice, strict=True)]


def decode_explanation(codes: dict, required: Sequence[int], nice: Sequence[int]) -> dict:
    """Return {"pts": {part: points}, "req_ok": [ids], "req_near": …, "nice_missing": …} from stored codes."""
    req_ids, nice_ids = posting_skill_lists(required, nice)
    out: dict = {"pts": dict(zip(COMPONENTS, codes.get("pts", ()), strict=False))}
    for kind, ids in (("req", req_ids), ("nice", nice_ids)):
        statuses = codes.get(kind, "")
        for code, label in STATUS_CHARS.items():
            out[f"{kind}_{label}"] = [i for i, st in zip(ids, statuses, strict=False) if st == code]
    return out
