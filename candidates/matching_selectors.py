"""Reads for matching: the engine's inputs, the shortlists and suggestions, readable explanations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext as _

from companies.models import JobPosting, Skill
from tescforce.scoping import scope_queryset

from . import matching
from .models import Candidate, Match

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

def _copy_int_pairs(sql: str) -> tuple[np.ndarray, np.ndarray]:
    """Run COPY … TO STDOUT (FORMAT binary) on a query of two bigint columns; return them as arrays.

    Binary COPY rows of two int8 fields have a fixed size, so NumPy reads them without a Python loop.
    """
    data = bytearray()
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT binary)") as copy:
        for block in copy:
            data += block
    header = 11 + 4 + 4 + int.from_bytes(data[15:19], "big")
    body = bytes(data[header:-2])
    row = np.dtype([("n", ">i2"), ("l1", ">i4"), ("a", ">i8"), ("l2", ">i4"), ("b", ">i8")])
    pairs = np.frombuffer(body, dtype=row)
    return pairs["a"].astype(np.int64), pairs["b"].astype(np.int64)


def _grouped(owner: np.ndarray, value: np.ndarray, ids: np.ndarray) -> list:
    """Return, for each id of the sorted `ids`, the sorted values whose owner it is."""
    keep = np.isin(owner, ids)
    owner, value = owner[keep], value[keep]
    order = np.lexsort((value, owner))
    owner, value = owner[order], value[order]
    bounds = np.searchsorted(owner, ids, side="right")
    return [x.tolist() for x in np.split(value, bounds[:-1])] if len(ids) else []


def _load_all_candidates_postgres() -> matching.CandidateRows:
    # The ORM path builds a dict per row; at 100,000 candidates this path is several times faster.
    sql, params = matchable_candidates().order_by("id").values_list(*CANDIDATE_FIELDS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in CANDIDATE_FIELDS]
    col = dict(zip(CANDIDATE_FIELDS, columns, strict=True))
    ids = np.array(col["id"], dtype=np.int64)
    skills_t = Candidate.skills.through._meta.db_table
    families_t = Candidate.desired_job_families.through._meta.db_table
    s_owner, s_skill = _copy_int_pairs(f"SELECT candidate_id, skill_id FROM {skills_t}")  # noqa: S608
    f_owner, f_family = _copy_int_pairs(f"SELECT candidate_id, jobfamily_id FROM {families_t}")  # noqa: S608
    n = len(ids)
    return matching.CandidateRows(
        ids=ids, skills=_grouped(s_owner, s_skill, ids), families=_grouped(f_owner, f_family, ids),
        city=list(col["city"]),
        mobility=np.array([col["mobility_toulouse"], col["mobility_montpellier"], col["mobility_occitanie"],
                           col["mobility_remote"]], dtype=bool).T.reshape(n, 4),
        contract=np.array([matching.CONTRACT_CODE.get(c, matching.ANY_CONTRACT) for c in col["contract_wanted"]],
                          dtype=np.int8),
        experience=np.array([matching.EXPERIENCE_RANK.get(e, 0) for e in col["experience"]], dtype=np.int8),
        available_month=np.array([matching.month_number(d) for d in col["available_from"]], dtype=np.int32),
        retraining=np.array([p == Candidate.Profile.RETRAINING for p in col["profile"]], dtype=bool),
    )


def load_candidate_rows(ids: Iterable[int] | None = None) -> matching.CandidateRows:
    """Return the job-related facts of matchable candidates (all of them, or those of `ids`)."""
    if ids is None and connection.vendor == "postgresql":
        return _load_all_candidates_postgres()
    qs = matchable_candidates()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    rows = {r["id"]: {**r, "skills": [], "families": []} for r in qs.values(*CANDIDATE_FIELDS).order_by()}
    skills = Candidate.skills.through.objects.values_list("candidate_id", "skill_id")
    families = Candidate.desired_job_families.through.objects.values_list("candidate_id", "jobfamily_id")
    if ids is not None:
        skills = skills.filter(candidate_id__in=list(rows))
        families = families.filter(candidate_id__in=list(rows))
    for cid, sid in skills.order_by():
        if cid in rows:
            rows[cid]["skills"].append(sid)
    for cid, fid in families.order_by():
        if cid in rows:
            rows[cid]["families"].append(fid)
    return matching.CandidateRows.from_dicts(list(rows.values()))


def load_posting_rows(ids: Iterable[int] | None = None) -> matching.PostingRows:
    """Return the facts of published postings that matching uses."""
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

def _visible_matches() -> QuerySet[Match]:
    # Filtered at read time too: a candidate who withdraws or is erased drops out at once.
    return Match.objects.filter(matchable_candidates_q("candidate__"), posting__status=JobPosting.Status.PUBLISHED)


def shortlist_for_posting(posting: JobPosting, user, *, limit: int = 50) -> list[Match]:
    """Return the best candidates for `posting` that `user` may see: only those who agreed to be shown.

    A recruiter gets nothing for another company's posting (tescforce.scoping).
    """
    qs = scope_queryset(_visible_matches().filter(posting=posting), user).filter(
        candidate__shown_to_recruiters=True)
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
        )
    return result


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
