"""Measure the matching engine at regional scale (a benchmark, not a test).

    .venv/bin/python bench/matching_bench.py                  # 10k, 30k, 100k candidates × 10k postings
    .venv/bin/python bench/matching_bench.py --sizes 10000 --postings 2000
    DATABASE_URL=postgres://… .venv/bin/python bench/matching_bench.py --write   # also time the writes

The data are synthetic and made in memory with a fixed seed: a skills taxonomy with related skills,
ROME job families, cities of Occitanie, contracts, levels and dates in realistic proportions.
With --write, the result of the largest size is written to the Match table of the configured
PostgreSQL database (the rows need candidates and postings to exist: the script creates them in
a throw-away schema-compatible way with COPY, inside a transaction it rolls back).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching import engine as matching  # noqa: E402

CITIES = (["Toulouse"] * 50 + ["Montpellier"] * 25 + ["Labège", "Blagnac", "Castelnau-le-Lez"] * 3
          + ["Albi", "Nîmes", "Perpignan", "Rodez", "Tarbes", "Montauban", "Castres", "Béziers", "Sète", "Auch",
             "Carcassonne", "Narbonne", "Cahors", "Foix", "Mende"])
CANDIDATE_CITIES = CITIES + ["Paris", "Lyon", "Bordeaux", "Nantes", "Lille", "Marseille", ""] * 3
N_SKILLS = 220
N_FAMILIES = 14


def make_related(rng: np.random.Generator) -> list[tuple[int, int]]:
    pairs = set()
    for s in range(1, N_SKILLS + 1):
        for t in rng.choice(np.arange(1, N_SKILLS + 1), size=rng.integers(1, 4), replace=False):
            if t != s:
                pairs.add((min(s, int(t)), max(s, int(t))))
    return sorted(pairs)


def _skill_sample(rng, size, popularity):
    return sorted(set(rng.choice(np.arange(1, N_SKILLS + 1), size=size, p=popularity).tolist()))


def make_candidates(n: int, rng: np.random.Generator, today: dt.date) -> matching.CandidateRows:
    popularity = 1 / np.arange(1, N_SKILLS + 1) ** 0.8
    popularity /= popularity.sum()
    rows = []
    for i in range(n):
        avail = None if rng.random() < 0.4 else today + dt.timedelta(days=int(rng.integers(-60, 240)))
        rows.append({
            "id": i + 1,
            "skills": _skill_sample(rng, int(rng.integers(3, 14)), popularity),
            "families": sorted(set(rng.integers(1, N_FAMILIES + 1, size=int(rng.integers(0, 4))).tolist())),
            "city": CANDIDATE_CITIES[int(rng.integers(len(CANDIDATE_CITIES)))],
            "mobility_toulouse": rng.random() < 0.5, "mobility_montpellier": rng.random() < 0.35,
            "mobility_occitanie": rng.random() < 0.2, "mobility_remote": rng.random() < 0.5,
            "contract_wanted": ["any", "any", "cdi", "cdi", "cdd", "apprenticeship", "internship",
                                "freelance"][int(rng.integers(8))],
            "experience": ["none", "junior", "confirmed", "senior"][int(rng.integers(4))],
            "available_from": avail,
            "profile": ["retraining", "young_graduate", "experienced", "job_seeker"][int(rng.integers(4))],
        })
    return matching.CandidateRows.from_dicts(rows)


def make_postings(p: int, rng: np.random.Generator, today: dt.date) -> matching.PostingRows:
    popularity = 1 / np.arange(1, N_SKILLS + 1) ** 0.8
    popularity /= popularity.sum()
    rows = []
    for j in range(p):
        start = None if rng.random() < 0.3 else today + dt.timedelta(days=int(rng.integers(-30, 200)))
        rows.append({
            "id": j + 1,
            "required": _skill_sample(rng, int(rng.integers(2, 8)), popularity),
            "nice": _skill_sample(rng, int(rng.integers(0, 5)), popularity),
            "job_family_id": int(rng.integers(1, N_FAMILIES + 1)),
            "city": CITIES[int(rng.integers(len(CITIES)))],
            "remote": ["none", "partial", "partial", "full"][int(rng.integers(4))],
            "contract": ["cdi", "cdi", "cdi", "cdd", "apprenticeship", "internship", "freelance"][int(rng.integers(7))],
            "level": ["beginner", "junior", "confirmed", "senior"][int(rng.integers(4))],
            "start_date": start,
            "open_to_retraining": rng.random() < 0.4,
        })
    return matching.PostingRows.from_dicts(rows)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_size(n: int, postings: matching.PostingRows, related, rng, today, repeats: int) -> dict:
    cands = make_candidates(n, rng, today)
    gc.collect()
    rss_before = peak_rss_mb()
    times = []
    top = None
    cpu = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        engine = matching.Engine(cands, postings, related, today=today)
        t1 = time.perf_counter()
        c1 = time.process_time()
        top = engine.top_matches()
        t2 = time.perf_counter()
        cpu.append(time.process_time() - c1)
        times.append((t1 - t0, t2 - t1))
    tracemalloc.start()
    t0 = time.perf_counter()
    engine.top_matches(cand_index=np.arange(min(n, matching.CHUNK_SIZE)))
    tracemalloc_peak_chunk = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    # Incremental: one candidate against all postings, one posting against all candidates.
    inc_c, inc_p, inc_e = [], [], []
    for _k in range(7):
        i = int(rng.integers(n))
        t0 = time.perf_counter()
        engine.top_matches(cand_index=np.array([i]), want_posting_top=False)
        inc_c.append(time.perf_counter() - t0)
        j = int(rng.integers(len(postings)))
        t0 = time.perf_counter()
        engine.top_matches(post_index=np.array([j]), want_candidate_top=False)
        inc_p.append(time.perf_counter() - t0)
        sel = np.nonzero(top.cand == i)[0]
        t0 = time.perf_counter()
        matching.explain(engine, top.cand[sel], top.post[sel])
        inc_e.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    sample = slice(0, min(len(top.cand), 200_000))
    matching.explain(engine, top.cand[sample], top.post[sample])
    explain_rate = (time.perf_counter() - t0) / max(1, sample.stop)
    return {
        "candidates": n, "postings": len(postings), "pairs": n * len(postings),
        "setup_s": statistics.median(t[0] for t in times), "score_topk_s": statistics.median(t[1] for t in times),
        "score_topk_cpu_s": statistics.median(cpu), "load": os.getloadavg()[0],
        "rows": len(top.cand), "rows_for_posting": int(top.for_posting.sum()),
        "rows_for_candidate": int(top.for_candidate.sum()),
        "peak_rss_mb": max(rss_before, peak_rss_mb()), "chunk_alloc_peak_mb": tracemalloc_peak_chunk,
        "inc_candidate_ms": 1000 * statistics.median(inc_c), "inc_posting_ms": 1000 * statistics.median(inc_p),
        "explain_one_candidate_ms": 1000 * statistics.median(inc_e),
        "explain_all_s": explain_rate * len(top.cand),
        "top": top, "engine": engine,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=matching.CHUNK_SIZE)
    parser.add_argument("--write", action="store_true", help="also time writing Match rows to PostgreSQL")
    parser.add_argument("--db", type=int, default=0, metavar="N",
                        help="load N synthetic candidates and --postings postings into the DATABASE_URL database "
                             "(once), then time the real services: load, full recompute with writes, incremental")
    parser.add_argument("--incremental-only", action="store_true",
                        help="with --db: skip the two full recomputes (the table must be filled already)")
    parser.add_argument("--empty-first", action="store_true",
                        help="with --db: empty the Match table before the first full recompute (a first fill)")
    args = parser.parse_args()
    if args.db:
        db_bench(args.db, args.postings, repeats=max(args.repeats, 7), skip_full=args.incremental_only,
                 empty_first=args.empty_first)
        return
    matching.CHUNK_SIZE = args.chunk
    today = dt.date(2026, 11, 26)
    rng = np.random.default_rng(2026)
    related = make_related(rng)
    postings = make_postings(args.postings, rng, today)
    print(f"threads: OPENBLAS/OMP={os.environ.get('OPENBLAS_NUM_THREADS') or os.environ.get('OMP_NUM_THREADS')}"
          f" numpy {np.__version__}")
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        res = bench_size(n, postings, related, rng, today, args.repeats)
        results.append(res)
        print(f"{n:>7} × {res['postings']}: setup {res['setup_s']:.2f} s, score+top-k {res['score_topk_s']:.2f} s "
              f"(CPU {res['score_topk_cpu_s']:.1f} s, load {res['load']:.1f}), "
              f"{res['rows']} rows ({res['rows_for_posting']} for postings, {res['rows_for_candidate']} for "
              f"candidates), peak RSS {res['peak_rss_mb']:.0f} MB, one chunk allocs {res['chunk_alloc_peak_mb']:.0f} "
              f"MB, incremental: candidate {res['inc_candidate_ms']:.0f} ms, posting {res['inc_posting_ms']:.0f} ms, "
              f"explain one candidate {res['explain_one_candidate_ms']:.1f} ms, explain all ≈ "
              f"{res['explain_all_s']:.1f} s", flush=True)
        if not args.write:
            res.pop("engine")
            res.pop("top")
    if len(results) > 1:
        a, b = results[0], results[-1]
        print(f"growth {a['candidates']} → {b['candidates']}: pairs ×{b['pairs'] / a['pairs']:.1f}, "
              f"time ×{b['score_topk_s'] / a['score_topk_s']:.1f}, "
              f"CPU time ×{b['score_topk_cpu_s'] / a['score_topk_cpu_s']:.1f}")
    if args.write:
        write_bench(results[-1])


def _copy_rows(cursor, model, rows: list[dict]) -> None:
    """COPY rows into a model's table, filling every other column with its default."""
    import datetime as _dt
    import uuid

    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    lines = []
    for row in rows:
        values = []
        for f in fields:
            value = row[f.attname] if f.attname in row else f.get_default()
            if value is None and not f.null:
                value = ""
            if value is None:
                values.append("\\N")
            elif isinstance(value, bool):
                values.append("t" if value else "f")
            elif isinstance(value, _dt.date | uuid.UUID):
                values.append(value.isoformat() if isinstance(value, _dt.date) else str(value))
            else:
                values.append(str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " "))
        lines.append("\t".join(values))
    columns = ", ".join(f.column for f in fields)
    with cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
        copy.write("\n".join(lines) + "\n")


def _copy_pairs(cursor, table: str, columns: tuple[str, str], pairs) -> None:
    with cursor.copy(f"COPY {table} ({columns[0]}, {columns[1]}) FROM STDIN") as copy:
        copy.write("".join(f"{a}\t{b}\n" for a, b in pairs))


def db_bench(n: int, p: int, repeats: int = 7, skip_full: bool = False, empty_first: bool = False) -> None:
    """Seed the database once, then time the services a worker runs (loading from PostgreSQL included)."""
    import uuid

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tescforce.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from candidates.models import Candidate
    from companies.models import Company, JobFamily, JobPosting, Skill
    from matching import selectors as matching_selectors
    from matching import services as matching_services
    from matching.models import Match

    if connection.vendor != "postgresql":
        sys.exit("--db needs DATABASE_URL=postgres://…")
    today = timezone.localdate()
    rng = np.random.default_rng(2026)
    if Candidate.objects.filter(email__endswith="@bench.invalid").count() < n:
        print("seeding…", flush=True)
        skills = list(Skill.objects.values_list("pk", flat=True))
        for i in range(len(skills), N_SKILLS):
            skills.append(Skill.objects.create(name=f"Bench skill {i}", slug=f"bench-skill-{i}",
                                               category=Skill.Category.LANGUAGE).pk)
        skill_of = dict(enumerate(sorted(skills)[:N_SKILLS], start=1))
        families = list(JobFamily.objects.values_list("pk", flat=True))
        for i in range(len(families), N_FAMILIES):
            families.append(JobFamily.objects.create(code=f"Z{i:04d}", label=f"Bench family {i}").pk)
        family_of = dict(enumerate(sorted(families)[:N_FAMILIES], start=1))
        companies = [Company.objects.create(name=f"Bench {i}", slug=f"bench-{uuid.uuid4().hex[:10]}",
                                            kind=Company.Kind.ESN, city="Toulouse").pk for i in range(50)]
        cands = make_candidates(n, rng, today)
        posts = make_postings(p, rng, today)
        now = timezone.now()
        tag = uuid.uuid4().hex[:6]
        with transaction.atomic(), connection.cursor() as cur:
            raw = cur.cursor
            base_c = Candidate.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            cand_rows = []
            for i in range(n):
                cand_rows.append({
                    "public_id": uuid.uuid4(), "first_name": "Bench", "last_name": f"B{i}",
                    "email": f"c{tag}{i}@bench.invalid", "city": cands.city[i],
                    "mobility_toulouse": bool(cands.mobility[i, 0]), "mobility_montpellier": bool(cands.mobility[i, 1]),
                    "mobility_occitanie": bool(cands.mobility[i, 2]), "mobility_remote": bool(cands.mobility[i, 3]),
                    "contract_wanted": "any" if cands.contract[i] < 0 else matching.CONTRACTS[cands.contract[i]],
                    "experience": ["none", "junior", "confirmed", "senior"][cands.experience[i]],
                    "profile": "retraining" if cands.retraining[i] else "experienced",
                    "available_from": None, "confirmed_at": now, "last_activity_at": now, "created_at": now,
                    "updated_at": now, "shown_to_recruiters": True,
                })
            _copy_rows(raw, Candidate, cand_rows)
            new_c = list(Candidate.objects.filter(pk__gt=base_c).order_by("pk").values_list("pk", flat=True))
            _copy_pairs(raw, Candidate.skills.through._meta.db_table, ("candidate_id", "skill_id"),
                        ((new_c[i], skill_of[s]) for i in range(n) for s in cands.skills[i]))
            _copy_pairs(raw, Candidate.desired_job_families.through._meta.db_table, ("candidate_id", "jobfamily_id"),
                        ((new_c[i], family_of[f]) for i in range(n) for f in cands.families[i]))
            base_p = JobPosting.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            post_rows = []
            for j in range(p):
                post_rows.append({
                    "company_id": companies[j % len(companies)], "title": f"Bench job {j}",
                    "slug": f"bench-{tag}-{j}", "job_family_id": family_of[int(posts.family[j])],
                    "description": "Bench", "contract": matching.CONTRACTS[posts.contract[j]], "city": posts.city[j],
                    "remote": ["none", "partial", "full"][posts.remote[j]],
                    "level": ["beginner", "junior", "confirmed", "senior"][posts.level[j]],
                    "open_to_retraining": bool(posts.open_to_retraining[j]), "status": "published",
                    "published_at": now, "created_at": now, "updated_at": now, "openings": 1,
                })
            _copy_rows(raw, JobPosting, post_rows)
            new_p = list(JobPosting.objects.filter(pk__gt=base_p).order_by("pk").values_list("pk", flat=True))
            _copy_pairs(raw, JobPosting.skills_required.through._meta.db_table, ("jobposting_id", "skill_id"),
                        ((new_p[j], skill_of[s]) for j in range(p) for s in posts.required[j]))
            _copy_pairs(raw, JobPosting.skills_nice.through._meta.db_table, ("jobposting_id", "skill_id"),
                        ((new_p[j], skill_of[s]) for j in range(p) for s in posts.nice[j]
                         if s not in set(posts.required[j])))
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    t0 = time.perf_counter()
    cands = matching_selectors.load_candidate_rows()
    t1 = time.perf_counter()
    posts = matching_selectors.load_posting_rows()
    t2 = time.perf_counter()
    print(f"load {len(cands)} candidates {t1 - t0:.2f} s, {len(posts)} postings {t2 - t1:.2f} s", flush=True)
    del cands, posts
    if not skip_full:
        first = "full recompute with writes"
        if empty_first:
            with connection.cursor() as cur:
                cur.execute(f"TRUNCATE {Match._meta.db_table}")  # noqa: S608
            first = "full recompute into an empty table"
        for label in (first, "full recompute over a full table"):
            t0 = time.perf_counter()
            full = matching_services.matches_recompute_all()
            print(f"{label}: {time.perf_counter() - t0:.1f} s (load, score and select {full.compute_seconds:.1f} s), "
                  f"{full.kept} rows kept, {full.written} written, {full.deleted} deleted, "
                  f"peak RSS {peak_rss_mb():.0f} MB, load average {os.getloadavg()[0]:.1f}", flush=True)
    with connection.cursor() as cur:
        # A steady-state table, as autovacuum leaves it: the (candidate, score) index answers alone.
        cur.execute("VACUUM ANALYZE candidates_match")
    ids_c = list(Candidate.objects.filter(email__endswith="@bench.invalid").values_list("pk", flat=True)[:2000])
    ids_p = list(JobPosting.objects.filter(slug__startswith="bench-", status="published")
                 .values_list("pk", flat=True)[:2000])
    skill_ids = list(Skill.objects.values_list("pk", flat=True)[:30])
    cand_skills = Candidate.skills.through
    post_skills = JobPosting.skills_required.through

    # Each change is written without signals (update(), rows of the m2m table), so the timed call is
    # the first recompute of that change, with its writes.
    def candidate_skills(k):
        cid = ids_c[int(rng.integers(len(ids_c)))]
        cand_skills.objects.filter(candidate_id=cid).delete()
        cand_skills.objects.bulk_create([cand_skills(candidate_id=cid, skill_id=s)
                                         for s in rng.choice(skill_ids, size=6, replace=False).tolist()])
        return {"candidate_ids": [cid]}

    def posting_skills(k):
        pid = ids_p[int(rng.integers(len(ids_p)))]
        post_skills.objects.filter(jobposting_id=pid).delete()
        post_skills.objects.bulk_create([post_skills(jobposting_id=pid, skill_id=s)
                                         for s in rng.choice(skill_ids, size=4, replace=False).tolist()])
        return {"posting_ids": [pid]}

    def posting_city(k):
        pid = ids_p[int(rng.integers(len(ids_p)))]
        city = JobPosting.objects.get(pk=pid).city
        JobPosting.objects.filter(pk=pid).update(city="Albi" if city != "Albi" else "Toulouse",
                                                 remote="none")
        return {"posting_ids": [pid]}

    unpublished = []

    def posting_unpublished(k):
        pid = ids_p[int(rng.integers(len(ids_p)))]
        JobPosting.objects.filter(pk=pid).update(status="closed")
        unpublished.append(pid)
        return {"posting_ids": [pid]}

    results = {}
    for name, change in (("one candidate's skills changed", candidate_skills),
                         ("one posting's skills changed", posting_skills),
                         ("one posting's city changed", posting_city),
                         ("one posting unpublished", posting_unpublished)):
        times = []
        for k in range(repeats):
            ids = change(k)
            t0 = time.perf_counter()
            matching_services.matches_recompute_for(**ids)
            times.append(time.perf_counter() - t0)
        results[name] = times
        print(f"incremental, {name}: median {statistics.median(times):.2f} s of {repeats} "
              f"({', '.join(f'{t:.2f}' for t in times)}), load average {os.getloadavg()[0]:.1f}", flush=True)
    # Publish them again, recomputed, so that the next run starts from the same number of postings.
    JobPosting.objects.filter(pk__in=unpublished).update(status="published")
    matching_services.matches_recompute_for(posting_ids=unpublished)
    print(f"{Match.objects.count()} rows", flush=True)


def write_bench(res: dict) -> None:
    """Time building the explanations and writing the rows to PostgreSQL (COPY + upsert + stale delete).

    The rows go to a scratch table shaped like candidates_match without its foreign keys (the synthetic
    people are not in the database); the statements are the ones matches_recompute_all runs.
    """
    import io

    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("--write needs DATABASE_URL=postgres://…")
    engine, top = res["engine"], res["top"]
    t0 = time.perf_counter()
    points, req, nice = matching.explain_codes(engine, top.cand, top.post)
    t_explain = time.perf_counter() - t0
    ids_c, ids_p = engine.candidates.ids.tolist(), engine.postings.ids.tolist()
    t0 = time.perf_counter()
    buffer = io.StringIO()
    write = buffer.write
    for ci, pj, fp, fc, pts, r, n in zip(top.cand.tolist(), top.post.tolist(), top.for_posting.tolist(),
                                         top.for_candidate.tolist(), points, req, nice, strict=True):
        write(f'{ids_c[ci]}\t{ids_p[pj]}\t{sum(pts)}\t{{"v":2,"pts":[{",".join(map(str, pts))}],'
              f'"req":"{r}","nice":"{n}"}}\t{"t" if fp else "f"}\t{"t" if fc else "f"}\n')
    data = buffer.getvalue()
    t_format = time.perf_counter() - t0
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=False) as conn:
        cur = conn.cursor()
        cur.execute("DROP TABLE IF EXISTS bench_match")
        cur.execute("CREATE TABLE bench_match (id bigserial PRIMARY KEY, candidate_id bigint, posting_id bigint, "
                    "score smallint, explanation jsonb, for_posting boolean, for_candidate boolean, "
                    "computed_at timestamptz, UNIQUE (candidate_id, posting_id))")
        cur.execute("CREATE INDEX ON bench_match (posting_id, score DESC)")
        cur.execute("CREATE INDEX ON bench_match (candidate_id, score DESC)")
        conn.commit()
        timings = []
        for _run in range(2):  # first into an empty table, then over the full one (the nightly case)
            t0 = time.perf_counter()
            cur.execute("CREATE TEMPORARY TABLE match_new (candidate_id bigint, posting_id bigint, score smallint, "
                        "explanation jsonb, for_posting boolean, for_candidate boolean) ON COMMIT DROP")
            with cur.copy("COPY match_new FROM STDIN") as copy:
                copy.write(data)
            t_copy = time.perf_counter() - t0
            cur.execute("INSERT INTO bench_match (candidate_id, posting_id, score, explanation, for_posting, "
                        "for_candidate, computed_at) SELECT candidate_id, posting_id, score, explanation, "
                        "for_posting, for_candidate, now() FROM match_new ON CONFLICT (candidate_id, posting_id) "
                        "DO UPDATE SET score = EXCLUDED.score, explanation = EXCLUDED.explanation, "
                        "for_posting = EXCLUDED.for_posting, for_candidate = EXCLUDED.for_candidate, "
                        "computed_at = EXCLUDED.computed_at")
            cur.execute("DELETE FROM bench_match m WHERE NOT EXISTS (SELECT 1 FROM match_new n "
                        "WHERE n.candidate_id = m.candidate_id AND n.posting_id = m.posting_id)")
            conn.commit()
            timings.append((t_copy, time.perf_counter() - t0))
        cur.execute("DROP TABLE bench_match")
        conn.commit()
    print(f"write {len(top.cand)} rows: explanations {t_explain:.1f} s, text for COPY {t_format:.1f} s, "
          f"COPY {timings[0][0]:.1f} s, COPY+upsert+delete into an empty table {timings[0][1]:.1f} s, "
          f"over a full table {timings[1][1]:.1f} s")


if __name__ == "__main__":
    main()
