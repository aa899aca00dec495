"""Reads for matching: the engine's inputs, the shortlists and suggestions, readable explanations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import psycopg
from django.db import connection
from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from candidates import selectors as candidate_selectors
from candidates.models import Candidate, JobInterest
from candidates.wording import holds_match_consent_q
from companies import learning
from companies.models import JobPosting, Skill
from tescforce.scoping import recruiter_company_id, scope_queryset

from . import engine as matching
from .incremental import Axis
from .models import Interview, JobDatingAgenda, Match

Stage = Candidate.Stage
CANDIDATE_FIELDS = (
    "id", "city", "mobility_toulouse", "mobility_montpellier", "mobility_occitanie", "mobility_remote",
    "contract_wanted", "experience", "available_from", "profile",
)
POSTING_FIELDS = ("id", "job_family_id", "city", "remote", "contract", "level", "start_date", "open_to_retraining")


# --- who takes part ------------------------------------------------------------------------------

def matchable_candidates_q(prefix: str = "") -> Q:
    """Candidates matching considers: confirmed, not erased, still looking (not withdrawn nor hired)."""
    return (Q(**{f"{prefix}confirmed_at__isnull": False, f"{prefix}anonymised_at__isnull": True})
            & ~Q(**{f"{prefix}stage__in": [Stage.WITHDRAWN, Stage.HIRED]}))


def matchable_candidates() -> QuerySet[Candidate]:
    return Candidate.objects.filter(matchable_candidates_q())


def matchable_postings() -> QuerySet[JobPosting]:
    return JobPosting.objects.filter(status=JobPosting.Status.PUBLISHED)


# --- the engine's inputs (job-related fields only) -----------------------------------------------

def _int_pairs(sql: str, params=()) -> tuple[np.ndarray, np.ndarray]:
    """Run a query of two bigint columns; return them as arrays.

    The server packs the rows into one bytea (8 + 8 bytes a row) that NumPy reads as is: a COPY
    sends one message per row, which costs Python more than the query itself at 10⁵–10⁶ rows.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT string_agg(int8send(a) || int8send(b), ''::bytea) FROM ({sql}) AS t(a, b)",  # noqa: S608
                       params)
        data = cursor.fetchone()[0]
    pairs = np.frombuffer(bytes(data or b""), dtype=">i8").reshape(-1, 2).astype(np.int64)
    return pairs[:, 0], pairs[:, 1]


def _case(column: str, codes: dict[str, int], default: int) -> str:
    # Keys are the model's choice values (no quotes in them), numbers are ours.
    return f"CASE {column} " + " ".join(f"WHEN '{k}' THEN {int(v)}" for k, v in codes.items()) + f" ELSE {default} END"


def _links(owner: np.ndarray, value: np.ndarray, ids: np.ndarray) -> matching.Links:
    """Return the pairs whose owner is one of the sorted `ids`, as Links indexed by position in `ids`."""
    pos = np.searchsorted(ids, owner)
    ok = pos < len(ids)
    ok[ok] = ids[pos[ok]] == owner[ok]
    return matching.Links.from_pairs(pos[ok], value[ok], len(ids))


def _load_all_candidates_postgres(skill_ids: Iterable[int] | None = None) -> matching.CandidateRows:
    # The ORM path builds a dict per row; at 100,000 candidates this path is several times faster:
    # the server encodes each candidate's facts as 16 bytes (id, a code of small numbers, a month).
    sql, params = matchable_candidates().values_list(*CANDIDATE_FIELDS).order_by("id").query.sql_with_params()
    code = ("mobility_toulouse::int + 2 * mobility_montpellier::int + 4 * mobility_occitanie::int"
            " + 8 * mobility_remote::int"
            f" + 16 * (profile = '{Candidate.Profile.RETRAINING}')::int"
            f" + 32 * ({_case('experience', matching.EXPERIENCE_RANK, 0)})"
            f" + 256 * ({_case('contract_wanted', matching.CONTRACT_CODE, matching.ANY_CONTRACT)} + 1)")
    month = "COALESCE((extract(year FROM available_from) * 12 + extract(month FROM available_from) - 1)::int, -1)"
    packed = f"int8send(id) || int4send({code}) || int4send({month})"
    dtype = [("id", ">i8"), ("code", ">i4"), ("month", ">i4")]
    with connection.cursor() as cursor:
        # The rows come in id order from the primary key; sorting them again in the aggregates costs
        # more than the rest of the query, so that is done only if the order was not kept.
        cursor.execute(f"SELECT string_agg({packed}, ''::bytea), array_agg(city) FROM ({sql}) AS c", params)  # noqa: S608
        data, cities = cursor.fetchone()
        rec = np.frombuffer(bytes(data or b""), dtype=dtype)
        if (np.diff(rec["id"].astype(np.int64)) <= 0).any():
            cursor.execute(f"SELECT string_agg({packed}, ''::bytea ORDER BY id), array_agg(city ORDER BY id) "  # noqa: S608
                           f"FROM ({sql}) AS c", params)
            data, cities = cursor.fetchone()
            rec = np.frombuffer(bytes(data or b""), dtype=dtype)
    ids, code_of = rec["id"].astype(np.int64), rec["code"].astype(np.int64)
    skills_t = Candidate.skills.through._meta.db_table
    families_t = Candidate.desired_job_families.through._meta.db_table
    where = ""
    if skill_ids is not None:  # whole numbers only: safe to inline
        where = " WHERE skill_id = ANY('{%s}'::bigint[])" % ",".join(str(int(x)) for x in skill_ids)  # noqa: UP031
    s_owner, s_skill = _int_pairs(f"SELECT candidate_id, skill_id FROM {skills_t}{where}")  # noqa: S608
    f_owner, f_family = _int_pairs(f"SELECT candidate_id, jobfamily_id FROM {families_t}")  # noqa: S608
    return matching.CandidateRows(
        ids=ids, skills=_links(s_owner, s_skill, ids), families=_links(f_owner, f_family, ids),
        city=list(cities or ()), mobility=((code_of[:, None] >> np.arange(4)) & 1).astype(bool),
        retraining=((code_of >> 4) & 1).astype(bool), experience=((code_of >> 5) & 7).astype(np.int8),
        contract=((code_of >> 8) - 1).astype(np.int8), available_month=rec["month"].astype(np.int32),
    )


def load_candidate_rows(ids: Iterable[int] | None = None, *,
                        skill_ids: Iterable[int] | None = None) -> matching.CandidateRows:
    """Return the job-related facts of matchable candidates (all of them, or those of `ids`).

    With `skill_ids`, only the links to those skills are read: enough to score postings that ask for
    nothing else (their skills and the skills related to them), and far less to read.
    """
    if ids is None and connection.vendor == "postgresql":
        return _load_all_candidates_postgres(skill_ids)
    qs = matchable_candidates()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    rows = {r["id"]: {**r, "skills": [], "families": []} for r in qs.values(*CANDIDATE_FIELDS).order_by()}
    skills = Candidate.skills.through.objects.values_list("candidate_id", "skill_id")
    families = Candidate.desired_job_families.through.objects.values_list("candidate_id", "jobfamily_id")
    if ids is not None:
        skills = skills.filter(candidate_id__in=list(rows))
        families = families.filter(candidate_id__in=list(rows))
    if skill_ids is not None:
        skills = skills.filter(skill_id__in=list(skill_ids))
    for cid, sid in skills.order_by():
        if cid in rows:
            rows[cid]["skills"].append(sid)
    for cid, fid in families.order_by():
        if cid in rows:
            rows[cid]["families"].append(fid)
    return matching.CandidateRows.from_dicts(list(rows.values()))


def _load_all_postings_postgres() -> matching.PostingRows:
    # As for candidates: the server packs each posting's facts in 24 bytes (id, job family, a code
    # of the small numbers, the start month) and the skill links in 16 bytes each; no dict per row.
    sql, params = matchable_postings().values_list(*POSTING_FIELDS).order_by().query.sql_with_params()
    code = (f"{_case('remote', matching.REMOTE_CODE, 1)}"
            f" + 4 * ({_case('contract', matching.CONTRACT_CODE, 0)})"
            f" + 32 * ({_case('level', matching.LEVEL_RANK, 1)})"
            " + 128 * open_to_retraining::int")
    month = "COALESCE((extract(year FROM start_date) * 12 + extract(month FROM start_date) - 1)::int, -1)"
    packed = f"int8send(id) || int8send(job_family_id) || int4send({code}) || int4send({month})"
    with connection.cursor() as cursor:
        # 10⁴ rows: sorting them in the aggregates costs a few milliseconds.
        cursor.execute(f"SELECT string_agg({packed}, ''::bytea ORDER BY id), array_agg(city ORDER BY id) "  # noqa: S608
                       f"FROM ({sql}) AS p", params)
        data, cities = cursor.fetchone()
    rec = np.frombuffer(bytes(data or b""), dtype=[("id", ">i8"), ("family", ">i8"), ("code", ">i4"),
                                                     ("month", ">i4")])
    ids, code_of = rec["id"].astype(np.int64), rec["code"].astype(np.int64)
    published, published_params = matchable_postings().values("id").order_by().query.sql_with_params()
    links = []
    for through in (JobPosting.skills_required.through, JobPosting.skills_nice.through):
        # Links of published postings only: closed ones pile up over the years.
        owner, skill = _int_pairs(f"SELECT jobposting_id, skill_id FROM {through._meta.db_table} "  # noqa: S608
                                  f"WHERE jobposting_id IN ({published})", published_params)
        links.append(_links(owner, skill, ids))
    return matching.PostingRows(
        ids=ids, required=links[0], nice=links[1], family=rec["family"].astype(np.int64),
        city=list(cities or ()), remote=(code_of & 3).astype(np.int8), contract=((code_of >> 2) & 7).astype(np.int8),
        level=((code_of >> 5) & 3).astype(np.int8), start_month=rec["month"].astype(np.int32),
        open_to_retraining=((code_of >> 7) & 1).astype(bool),
    )


def load_posting_rows(ids: Iterable[int] | None = None) -> matching.PostingRows:
    """Return the facts of published postings that matching uses (all of them, or those of `ids`)."""
    if ids is None and connection.vendor == "postgresql":
        return _load_all_postings_postgres()
    qs = matchable_postings()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    rows = {r["id"]: {**r, "required": [], "nice": []} for r in qs.values(*POSTING_FIELDS).order_by()}
    for key, through in (("required", JobPosting.skills_required.through), ("nice", JobPosting.skills_nice.through)):
        pairs = through.objects.values_list("jobposting_id", "skill_id")
        if ids is not None:
            pairs = pairs.filter(jobposting_id__in=list(rows))
        for pid, sid in pairs.order_by():
            if pid in rows:
                rows[pid][key].append(sid)
    for row in rows.values():
        row["required"].sort()
        row["nice"].sort()
    return matching.PostingRows.from_dicts(list(rows.values()))


def load_related_skills() -> list[tuple[int, int]]:
    return list(Skill.related.through.objects.values_list("from_skill_id", "to_skill_id"))


# --- what people see -----------------------------------------------------------------------------

def candidates_matched_to_company_q(company_id: int) -> Q:
    """Candidates a company's recruiters see because of matching: matched to one of its offers or met at one of
    its job-dating interviews, holding the match consent in its current wording (a tescforce.scoping rule)."""
    return Q(anonymised_at__isnull=True) & holds_match_consent_q() & (
        Q(Exists(Match.objects.filter(candidate=OuterRef("pk"), posting__company_id=company_id)))
        | Q(Exists(Interview.objects.filter(candidate=OuterRef("pk"), company_id=company_id)))
    )


def _visible_matches() -> QuerySet[Match]:
    # Filtered at read time too: a candidate who withdraws or is erased drops out at once.
    return Match.objects.filter(matchable_candidates_q("candidate__"), posting__status=JobPosting.Status.PUBLISHED)


def shortlist_for_posting(posting: JobPosting, user, *, limit: int = 50) -> list[Match]:
    """Return the best candidates for `posting` that `user` may see: only those holding the match consent.

    A recruiter gets nothing for another company's posting (tescforce.scoping).
    """
    qs = scope_queryset(_visible_matches().filter(posting=posting), user).filter(
        holds_match_consent_q("candidate_id"))
    return list(qs.select_related("candidate").order_by("-score", "candidate_id")[:limit])


def suggested_candidates(posting: JobPosting, *, limit: int = 50) -> list[Match]:
    """Return the best candidates for a posting, for coordinators (consent to be shown not required)."""
    qs = _visible_matches().filter(posting=posting)
    return list(qs.select_related("candidate").order_by("-score", "candidate_id")[:limit])


def suggested_postings(candidate: Candidate, *, limit: int = 20) -> list[Match]:
    """Return the best published postings for a candidate."""
    qs = _visible_matches().filter(candidate=candidate)
    return list(qs.select_related("posting", "posting__company", "posting__job_family")
                .order_by("-score", "posting_id")[:limit])


@dataclass
class Explanation:
    score: int
    parts: list[dict]  # label, points, max
    matched: list[str]
    near: list[str]
    missing: list[str]
    nice_matched: list[str]
    nice_missing: list[str]
    lowered: list[str]
    missing_ids: list[int] = field(default_factory=list)
    near_ids: list[int] = field(default_factory=list)
    # Courses near the person that teach what a good match lacks (with_courses; companies.learning.Hint).
    courses: list = field(default_factory=list)


def _labels() -> dict[str, str]:
    return {
        "skills": _("Compétences"), "job_family": _("Métier recherché"), "place": _("Lieu de travail"),
        "contract": _("Contrat"), "experience": _("Expérience"), "availability": _("Disponibilité"),
        "retraining": _("Ouverture à la reconversion"),
    }


def _lowered_messages() -> dict[str, str]:
    return {
        "skills": _("des compétences demandées manquent"),
        "job_family": _("ce métier n'est pas parmi ceux recherchés"),
        "place": _("le lieu de travail est hors des zones de mobilité indiquées"),
        "contract": _("le contrat n'est pas celui recherché"),
        "experience": _("l'offre demande plus d'expérience"),
        "availability": _("la disponibilité est postérieure à la prise de poste"),
        "retraining": _("l'offre n'est pas ouverte aux personnes en reconversion"),
    }


def _posting_skills(posting_ids) -> dict[int, tuple[list[int], list[int]]]:
    lists: dict[int, tuple[list[int], list[int]]] = {p: ([], []) for p in posting_ids}
    for pid, sid in JobPosting.skills_required.through.objects.filter(jobposting_id__in=lists).values_list(
            "jobposting_id", "skill_id"):
        lists[pid][0].append(sid)
    for pid, sid in JobPosting.skills_nice.through.objects.filter(jobposting_id__in=lists).values_list(
            "jobposting_id", "skill_id"):
        lists[pid][1].append(sid)
    return lists


def explanations_for(matches: list[Match]) -> dict[int, Explanation]:
    """Return a readable explanation per match id, in the active language, from the stored codes."""
    skills_of = _posting_skills({m.posting_id for m in matches})
    decoded = {m.pk: matching.decode_explanation(m.explanation or {}, *skills_of[m.posting_id]) for m in matches}
    skill_ids = {i for d in decoded.values() for key, ids in d.items() if key != "pts" for i in ids}
    names = dict(Skill.objects.filter(pk__in=skill_ids).values_list("pk", "name"))
    labels, lowered_msgs = _labels(), _lowered_messages()
    result = {}
    for m in matches:
        d = decoded[m.pk]
        parts, lowered = [], []
        for name in matching.COMPONENTS:
            got, most = d["pts"].get(name, 0), matching.MAX_POINTS[name]
            parts.append({"code": name, "label": labels[name], "points": got, "max": most})
            if got < most:
                lowered.append(_("%(label)s : %(reason)s (−%(lost)s)") % {
                    "label": labels[name], "reason": lowered_msgs[name], "lost": most - got})

        def named(key, d=d):
            return sorted(names.get(i, "?") for i in d.get(key, ()))

        result[m.pk] = Explanation(
            score=m.score, parts=parts, matched=named("req_ok"), near=named("req_near"),
            missing=named("req_missing"), nice_matched=named("nice_ok") + named("nice_near"),
            nice_missing=named("nice_missing"), lowered=lowered,
            missing_ids=sorted(d.get("req_missing", ())), near_ids=sorted(d.get("req_near", ())),
        )
    return result


# Courses are shown under a match from this score on (a match worth closing its gap for), a few per match.
COURSES_FROM_SCORE = 50
COURSES_PER_MATCH = 3


def with_courses(matches: list[Match], explained: dict[int, Explanation]) -> dict[int, Explanation]:
    """Attach to each good match's explanation the courses near the person that teach the required skills it
    lacks or only approaches (companies.learning). A fixed number of queries for a whole page: where the
    people live, then the courses' lookup."""
    good = [m for m in matches if m.score >= COURSES_FROM_SCORE
            and (explained[m.pk].missing_ids or explained[m.pk].near_ids)]
    if not good:
        return explained
    places = {row[0]: row[1:] for row in Candidate.objects.filter(pk__in={m.candidate_id for m in good})
              .values_list("pk", "city", "mobility_toulouse", "mobility_montpellier", "mobility_occitanie")}
    gaps = []
    for m in good:
        city, toulouse, montpellier, elsewhere = places.get(m.candidate_id, ("", False, False, False))
        gaps.append(learning.Gap(key=m.pk, skill_ids=(*explained[m.pk].missing_ids, *explained[m.pk].near_ids),
                                 city=city, toulouse_area=toulouse, montpellier_area=montpellier,
                                 elsewhere_in_region=elsewhere))
    found = learning.courses_for_gaps(gaps, limit=COURSES_PER_MATCH)
    for m in good:
        explained[m.pk].courses = found.get(m.pk, [])
    return explained


# --- the candidate's own side (Mon espace) ---------------------------------------------------------

SPACE_OFFERS = 6  # how many offers "Offres pour vous" lists
NAMED_SKILLS = 2  # skills named in a reason ("dont Python et SQL"); the rest are counted


@dataclass
class Offer:
    """A posting suggested to the candidate, with why and what to learn, in the reader's language."""

    match: Match
    posting: JobPosting
    reasons: list[str]
    caveats: list[str]
    to_learn: list[str]
    nice_to_learn: list[str]
    interested: bool
    courses: list = field(default_factory=list)  # companies.learning.Hint, for what it lacks


def _names(names: list[str]) -> str:
    return get_text_list(names[:NAMED_SKILLS], _("et"))


def _skill_reasons(why: Explanation) -> list[str]:
    held, near = why.matched, why.near
    asked = len(held) + len(near) + len(why.missing)
    reasons = []
    # Up to NAMED_SKILLS held skills are all named ("SQL et Python"); past that, some of them ("dont…").
    some = len(held) > NAMED_SKILLS
    values = {"held": len(held), "asked": asked, "names": _names(held)}
    if held and len(held) == asked:
        reasons.append((ngettext("Vous avez la compétence demandée : %(names)s",
                                 "Vous avez les %(asked)s compétences demandées : %(names)s", asked) if not some
                        else _("Vous avez les %(asked)s compétences demandées, dont %(names)s")) % values)
    elif held:
        reasons.append((ngettext("%(held)s de vos compétences sur %(asked)s demandée : %(names)s",
                                 "%(held)s de vos compétences sur %(asked)s demandées : %(names)s", asked) if not some
                        else _("%(held)s de vos compétences sur %(asked)s demandées, dont %(names)s")) % values)
    if near:
        reasons.append(ngettext("Vous connaissez une compétence proche de %(names)s",
                                "Vous connaissez des compétences proches de %(names)s", len(near))
                       % {"names": get_text_list(near, _("et"))})
    if why.nice_matched:
        reasons.append(_("Un plus que vous avez : %(names)s") % {"names": get_text_list(why.nice_matched, _("et"))})
    return reasons


def _profile_reasons(candidate: Candidate, posting: JobPosting, points: dict[str, int]
                     ) -> tuple[list[str], list[str]]:
    """Return (what fits, what fits less) about place, job, contract, experience, date and retraining."""
    full = matching.MAX_POINTS
    reasons, caveats = [], []
    if points["place"] == full["place"]:
        if posting.remote == JobPosting.Remote.FULL:
            reasons.append(_("Poste en télétravail complet"))
        elif candidate.city and matching.place_key(candidate.city) == matching.place_key(posting.city):
            reasons.append(_("%(city)s, votre ville") % {"city": posting.city})
        else:
            reasons.append(_("%(city)s, dans votre zone de mobilité") % {"city": posting.city})
    elif points["place"]:
        reasons.append(_("%(city)s, avec du télétravail partiel") % {"city": posting.city})
    else:
        caveats.append(_("%(city)s est hors des lieux que vous avez choisis") % {"city": posting.city})
    if points["job_family"] == full["job_family"]:
        reasons.append(_("%(job)s : un métier que vous recherchez") % {"job": posting.job_family.label})
    elif not points["job_family"]:
        caveats.append(_("Ce métier n'est pas parmi ceux que vous recherchez"))
    if points["contract"] and candidate.contract_wanted != Candidate.Contract.ANY:
        reasons.append(_("%(contract)s : le contrat que vous cherchez") % {"contract": posting.get_contract_display()})
    elif not points["contract"]:
        caveats.append(_("%(contract)s, alors que vous cherchez : %(wanted)s")
                       % {"contract": posting.get_contract_display(),
                          "wanted": candidate.get_contract_wanted_display()})
    if points["experience"] < full["experience"]:
        caveats.append(_("L'offre demande plus d'expérience que vous n'en indiquez"))
    if points["availability"] < full["availability"]:
        caveats.append(_("Le poste commence avant la date où vous êtes disponible"))
    if candidate.profile == Candidate.Profile.RETRAINING:
        if posting.open_to_retraining:
            reasons.append(_("Offre ouverte aux personnes en reconversion"))
        else:
            caveats.append(_("L'offre n'est pas ouverte aux personnes en reconversion"))
    return reasons, caveats


def offers_for_candidate(candidate: Candidate, *, limit: int = SPACE_OFFERS) -> list[Offer]:
    """Return the candidate's best open postings with their reasons, in the active language.

    Nothing for a candidate without the current match consent (the query checks it too). A fixed
    number of queries, however many offers: matches with their postings, the postings' skills (2),
    the skills' names, the candidate's interests among them.
    """
    today = timezone.localdate()
    matches = list(
        _visible_matches().filter(holds_match_consent_q("candidate_id"), candidate=candidate)
        .filter(Q(posting__closes_on__isnull=True) | Q(posting__closes_on__gte=today))
        .select_related("posting", "posting__company", "posting__job_family")
        .defer("posting__description", "posting__search_vector", "posting__company__description",
               "posting__company__description_fr", "posting__company__description_en")
        .order_by("-score", "posting_id")[:limit])
    if not matches:
        return []
    explained = with_courses(matches, explanations_for(matches))
    interested = set(JobInterest.objects.filter(candidate=candidate, posting_id__in=[m.posting_id for m in matches])
                     .values_list("posting_id", flat=True))
    offers = []
    for m in matches:
        why = explained[m.pk]
        points = {part["code"]: part["points"] for part in why.parts}
        reasons, caveats = _profile_reasons(candidate, m.posting, points)
        offers.append(Offer(match=m, posting=m.posting, reasons=_skill_reasons(why) + reasons, caveats=caveats,
                            to_learn=why.missing + why.near, nice_to_learn=why.nice_missing,
                            interested=m.posting_id in interested, courses=why.courses))
    return offers


def space_interviews(candidate: Candidate, *, agenda: JobDatingAgenda | None = None) -> list[Interview]:
    """Return the candidate's interviews of published job-dating agendas still to come (or all of one agenda's)."""
    qs = Interview.objects.filter(holds_match_consent_q("candidate_id"), candidate=candidate,
                                  agenda__published_at__isnull=False)
    qs = qs.filter(agenda=agenda) if agenda is not None else qs.filter(ends_at__gte=timezone.now())
    return list(qs.select_related("agenda__session", "company", "posting").order_by("starts_at", "company_id"))


def stored_rows(*, candidate_ids=None, posting_ids=None) -> dict[tuple[int, int], tuple[int, bool, bool]]:
    """Return {(candidate_id, posting_id): (id, for_posting, for_candidate)} of the rows touching those ids.

    With neither argument, every row.
    """
    qs = Match.objects.all()
    if candidate_ids is not None or posting_ids is not None:
        q = Q(pk__in=[])
        if candidate_ids:
            q |= Q(candidate_id__in=list(candidate_ids))
        if posting_ids:
            q |= Q(posting_id__in=list(posting_ids))
        qs = qs.filter(q)
    return {(c, p): (pk, fp, fc) for pk, c, p, fp, fc in
            qs.values_list("pk", "candidate_id", "posting_id", "for_posting", "for_candidate").order_by()}


@dataclass
class StoredPacked:
    """Every stored match as arrays: its id, its pair, its flags (for_posting + 2 × for_candidate), its packed
    codes."""

    id: np.ndarray  # int64
    candidate_id: np.ndarray  # int64
    posting_id: np.ndarray  # int64
    flags: np.ndarray  # int16
    packed: np.ndarray  # uint8 (n × matching.PACKED_WIDTH); 255s for a row without codes


def stored_packed() -> StoredPacked:
    """Read every stored match for a full recompute's comparison, in one query packed by the server.

    A row without packed codes (or with codes of another width) reads as 255s, which no codes equal:
    it is written again.
    """
    width = matching.PACKED_WIDTH
    table = Match._meta.db_table
    none = "\\x" + "ff" * width
    connection.ensure_connection()
    # A binary result (Django's cursors bind on the client, which gives text): in text, the bytea
    # would come as hex, twice its size (~200 MB at 2.3M rows).
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            "SELECT string_agg(int8send(id) || int8send(candidate_id) || int8send(posting_id) "  # noqa: S608
            "|| int2send((for_posting::int + 2 * for_candidate::int)::smallint) "
            f"|| CASE WHEN length(packed) = {width} THEN packed ELSE '{none}'::bytea END, ''::bytea) FROM {table}",
            binary=True)
        data = cursor.fetchone()[0]
    rec = np.frombuffer(data or b"", dtype=[("i", ">i8"), ("c", ">i8"), ("p", ">i8"), ("f", ">i2"),
                                            ("k", "u1", (width,))])
    stored = StoredPacked(rec["i"].astype(np.int64), rec["c"].astype(np.int64), rec["p"].astype(np.int64),
                          rec["f"].astype(np.int16), np.ascontiguousarray(rec["k"]))
    del rec, data
    return stored


def posting_thresholds(posting_ids: Iterable[int] | None = None) -> dict[int, tuple[int, int]]:
    """Return, per posting, (how many best candidates it keeps, the lowest of their scores)."""
    qs = Match.objects.filter(for_posting=True)
    if posting_ids is not None:
        wanted = list(posting_ids)
        if len(wanted) <= 5000:  # past that, one pass over the table beats a huge IN list
            qs = qs.filter(posting_id__in=wanted)
    return {r["posting_id"]: (r["n"], r["low"]) for r in
            qs.values("posting_id").annotate(n=Count("id"), low=Min("score")).order_by()}


def candidate_thresholds(candidate_ids: Iterable[int] | None = None) -> dict[int, tuple[int, int]]:
    """Return, per candidate, (how many best postings it keeps, the lowest of their scores)."""
    qs = Match.objects.filter(for_candidate=True)
    if candidate_ids is not None:
        wanted = list(candidate_ids)
        if len(wanted) <= 5000:  # past that, one pass over the table beats a huge IN list
            qs = qs.filter(candidate_id__in=wanted)
    return {r["candidate_id"]: (r["n"], r["low"]) for r in
            qs.values("candidate_id").annotate(n=Count("id"), low=Min("score")).order_by()}


# --- what the incremental recompute reads (matching.incremental states the rule) ------------------

def list_holders(side: Axis, changed: Iterable[int]) -> set[int]:
    """Return the rows of the other side whose stored best list holds one of these changed rows."""
    other = side.other
    return set(Match.objects.filter(**{f"{side.id_field}__in": list(changed), other.list_field: True})
               .values_list(other.id_field, flat=True).order_by())


def stored_lists(side: Axis, changed: Iterable[int], rows: Iterable[int]
                 ) -> tuple[dict[tuple[int, int], tuple[int, bool, bool]], dict[int, list[tuple[int, int]]]]:
    """Return the stored rows touching the changed rows or `rows` (of the other side), as `stored_rows`
    does, and the stored best list of each of `rows`, as (score, id on the changed side) entries."""
    other, rows = side.other, set(rows)
    lists: dict[int, list[tuple[int, int]]] = {r: [] for r in rows}
    stored: dict[tuple[int, int], tuple[int, bool, bool]] = {}
    q = Q(**{f"{side.id_field}__in": list(changed)}) | Q(**{f"{other.id_field}__in": list(rows)})
    for pk, cid, pid, fp, fc, score in Match.objects.filter(q).values_list(
            "pk", "candidate_id", "posting_id", "for_posting", "for_candidate", "score").order_by():
        stored[(cid, pid)] = (pk, fp, fc)
        holder, in_list = (cid, fc) if other.is_candidates else (pid, fp)
        if in_list and holder in lists:
            lists[holder].append((score, side.own((cid, pid))))
    return stored, lists


def may_enter(side: Axis, ids: np.ndarray, scores: np.ndarray, k: int) -> set[int]:
    """Return the rows of `side` whose stored list a new score may enter: fewer than k of their rows score higher.

    Rows kept only for the other side's lists score no higher than the row's own last kept one, so
    counting every row gives the same answer as counting its list, and the (id, score) index answers
    it alone. A row whose list holds a changed row is handled by the caller (`list_holders`).
    """
    if not len(ids):
        return set()
    if connection.vendor == "postgresql":
        table, column = Match._meta.db_table, side.id_field
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")  # a cost estimate of 10⁵ probes turns JIT on for nothing
            cursor.execute(
                f"SELECT u.id FROM unnest(%s::bigint[], %s::int[]) AS u(id, s) LEFT JOIN LATERAL "  # noqa: S608
                f"(SELECT m.score FROM {table} m WHERE m.{column} = u.id ORDER BY m.score DESC "
                "OFFSET %s LIMIT 1) t ON true WHERE t.score IS NULL OR t.score <= u.s",
                # Array literals: psycopg's adaptation of two lists of 10⁵ numbers costs more than the query.
                [_array(ids), _array(scores), k - 1])
            return {row[0] for row in cursor.fetchall()}
    score_of = dict(zip(ids.tolist(), scores.astype(np.int64).tolist(), strict=True))
    higher = dict.fromkeys(score_of, 0)
    for row_id, score in Match.objects.filter(**{f"{side.id_field}__in": list(score_of)}).values_list(
            side.id_field, "score").order_by():
        higher[row_id] += score > score_of[row_id]
    return {row_id for row_id, count in higher.items() if count < k}


def _array(values: np.ndarray) -> str:
    return "{" + ",".join(map(str, np.asarray(values, dtype=np.int64).tolist())) + "}"


def desk_postings_context(*, user, today) -> dict:
    """A recruiter's desk: their own company's open postings with the new interests and the matches they may see."""
    company_id = recruiter_company_id(user)
    if company_id is None:
        return {"postings": []}
    matches = (_visible_matches().filter(holds_match_consent_q("candidate_id"), posting=OuterRef("pk"))
               .order_by().values("posting").annotate(n=Count("pk")).values("n"))
    new_interests = Q(interests__confirmed_at__isnull=False, interests__status="new",
                      interests__candidate__shown_to_recruiters=True,
                      interests__candidate__anonymised_at__isnull=True)
    postings = (
        JobPosting.objects.filter(company_id=company_id,
                                  status__in=(JobPosting.Status.PUBLISHED, JobPosting.Status.DRAFT))
        .annotate(n_new=Count("interests", filter=new_interests),
                  n_matches=Coalesce(Subquery(matches, output_field=IntegerField()), Value(0)))
        .order_by("-n_new", "-published_at", "-pk")
    )
    return {"postings": list(postings[:8]), "count": postings.count()}


KEY_SKILLS = 6
ORIENTABLE = (Stage.QUALIFIED, Stage.ORIENTED, Stage.IN_RECRUITMENT)  # as candidates.services.orientation_check


@dataclass
class RecruiterRow:
    """One candidate on a recruiter's page for a posting: interested, oriented or matched, never another's."""

    candidate: Candidate
    match: Match | None
    why: Explanation | None
    kept: bool  # already on the posting's shortlist (interest or orientation)
    status_label: str
    key_skills: list[str]
    cv: bool  # a CV the candidate agreed to show to recruiters
    keepable: bool  # one click puts them on the shortlist ("to contact")


def recruiter_rows(posting: JobPosting, user) -> tuple[list[RecruiterRow], list[RecruiterRow]]:
    """Return (shortlist rows, suggested rows) of `posting` for a recruiter of its company, best score first.

    The shortlist holds who showed interest or was oriented and agreed to be shown to recruiters; the
    suggestions, who matched and holds the match consent but is not on the shortlist yet.
    """
    shortlist = candidate_selectors.shortlist(posting=posting)
    listed = {row.candidate.pk for row in shortlist}
    matches = shortlist_for_posting(posting, user)
    # The same visibility as the suggestions: no score of someone who withdrew or an unpublished posting.
    by_candidate = {m.candidate_id: m for m in _visible_matches().filter(posting=posting, candidate_id__in=listed)}
    by_candidate.update({m.candidate_id: m for m in matches})
    why = with_courses(list(by_candidate.values()), explanations_for(list(by_candidate.values())))
    ids = listed | {m.candidate_id for m in matches}
    skills: dict[int, list[str]] = {}
    for cid, name in (Candidate.skills.through.objects.filter(candidate_id__in=ids)
                      .order_by("candidate_id", "skill__name").values_list("candidate_id", "skill__name")):
        skills.setdefault(cid, []).append(name)

    def row(candidate, *, kept, status_label, is_new=False):
        match = by_candidate.get(candidate.pk)
        orientable = candidate.shown_to_recruiters and candidate.stage in ORIENTABLE
        return RecruiterRow(candidate=candidate, match=match, why=why.get(match.pk) if match else None, kept=kept,
                            status_label=status_label, key_skills=skills.get(candidate.pk, [])[:KEY_SKILLS],
                            cv=bool(candidate.cv) and candidate.shown_to_recruiters,
                            keepable=is_new if kept else orientable)

    def best_first(r):
        return (-(r.match.score if r.match else -1), r.candidate.last_name, r.candidate.pk)

    kept_rows = sorted((row(r.candidate, kept=True, status_label=r.status_label, is_new=r.status == "new")
                        for r in shortlist), key=best_first)
    suggested = [row(m.candidate, kept=False, status_label="") for m in matches if m.candidate_id not in listed]
    return kept_rows, sorted(suggested, key=best_first)
