"""Measure the key pages under load against the production-size database (run bench/load_data.py first).

    .venv/bin/python bench/run.py               # or: make bench (loads the data first)

Serves the platform with gunicorn (DEBUG=False, 2 workers) on a free port of 127.0.0.1 and loads it
from this process: for each page, the median and 95th percentile latency at 1 connection and at 16,
and requests per second at 16. SQL queries per request are counted with the Django test client on
the same database. `/healthz/` (one SELECT 1) and the accessibility statement (the full layout, no
query of its own) are measured in the same run, so figures can be read as ratios on a noisy machine.
Then the booking burst and the periodic jobs. Writes docs/performance.json and docs/performance.md.
Only 127.0.0.1 is ever contacted.
"""

import argparse
import http.client
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tescforce_bench")
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
HOST = "127.0.0.1"
CONNECTIONS = 16
BURST_BOOKINGS, BURST_SEATS, BURST_CONNECTIONS = 200, 25, 40

# Issue 3's targets, measured on the 2-core machine with server and load generator side by side.
PUBLIC_SHARE_OF_STATIC = 0.5
PUBLIC_MEDIAN_MS = 25
STAFF_MEDIAN_MS = 150
STATIC_SHARE_OF_HEALTHZ = 0.2
HAND_KEPT_MARKER = "<!-- Written by hand from here on: bench/run.py keeps it. -->"


def bench_env() -> dict:
    return {
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "CSRF_TRUSTED_ORIGINS": f"http://{HOST}",
        "DATABASE_URL": BENCH_DATABASE_URL,
        "REDIS_URL": BENCH_REDIS_URL,
        "EMAIL_URL": "memorymail://",
        "SECURE_SSL_REDIRECT": "False",
        "DEMO_MODE": "False",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "LOG_LEVEL": "WARNING",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------------------------- load
def request(port: int, path: str, headers: dict) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status = 0
    finally:
        conn.close()
    return status, time.perf_counter() - started


def run_load(port: int, path: str, headers: dict, *, connections: int, seconds: float, max_requests: int) -> dict:
    """Run `connections` closed loops for `seconds` (or `max_requests` in all); return the figures."""
    deadline = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    budget = threading.Semaphore(max_requests)

    def loop(n: int) -> None:
        while time.perf_counter() < deadline and budget.acquire(blocking=False):
            status, elapsed = request(port, path, headers)
            latencies[n].append(elapsed)
            if status != 200:
                errors[n] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    times = sorted(t for per_thread in latencies for t in per_thread)
    return {
        "requests": len(times),
        "errors": sum(errors),
        "rps": round(len(times) / elapsed, 1),
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)] * 1000, 1),
    }


# --------------------------------------------------------------------------------------------- pages
def pages(staff_cookie: str) -> list[dict]:
    """The key pages of issue 3; a page whose view does not exist yet is listed as not built."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from companies.models import JobPosting
    from events.models import Session
    from showroom.models import UseCase

    def url(name, **kwargs):
        try:
            with translation.override("fr"):
                return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None

    posting = JobPosting.objects.filter(status="published").order_by("-published_at").first()
    session = Session.objects.filter(is_published=True, starts_at__gte=datetime.now(UTC)).order_by("starts_at").first()
    use_case = UseCase.objects.filter(is_published=True).first()
    board = url("companies:posting_list")
    showroom = url("showroom:usecase_list")
    hotline = url("staff:hotline_home")
    staff = {"Cookie": staff_cookie}
    entries = [
        ("healthz", "/healthz/ (baseline: one SELECT 1)", url("healthz"), "baseline", {}),
        ("static_page", "Accessibility statement (baseline: full layout, no query)", url("accessibility"),
         "baseline", {}),
        ("home", "Home", url("home"), "public", {}),
        ("job_board", "Job board", board, "public", {}),
        ("job_board_filtered", "Job board, filtered (Toulouse, CDI)",
         board and f"{board}?city=Toulouse&contract=cdi", "public", {}),
        ("job_board_searched", "Job board, searched (« python »)", board and f"{board}?q=python", "public", {}),
        ("job_page", "Job page", posting and url("companies:posting_detail", slug=posting.slug), "public", {}),
        ("company_page", "Company page", posting and url("companies:company_detail", slug=posting.company.slug),
         "public", {}),
        ("session_list", "Sessions list", url("events:session_list"), "public", {}),
        ("session_page", "Session page", session and url("events:session_detail", pk=session.pk), "public", {}),
        ("showroom_list", "Showroom list", showroom, "public", {}),
        ("showroom_searched", "Showroom, searched (« numérique »)", showroom and f"{showroom}?q=num%C3%A9rique",
         "public", {}),
        ("use_case_page", "Use case page", use_case and url("showroom:usecase_detail", slug=use_case.slug),
         "public", {}),
        ("admin_candidates", "Admin: candidates changelist", url("admin:candidates_candidate_changelist"),
         "staff", staff),
        ("admin_postings", "Admin: job postings changelist", url("admin:companies_jobposting_changelist"),
         "staff", staff),
        ("hotline_search", "Hotline search (« dupont marie »)", hotline and f"{hotline}?q=dupont+marie", "staff",
         staff),
        ("dashboard", "Coordinators' dashboard", url("staff:dashboard"), "staff", staff),
    ]
    return [{"key": k, "label": label, "path": path, "kind": kind, "headers": headers}
            for k, label, path, kind, headers in entries]


def staff_user():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from tescforce import roles

    # A coordinator, not a superuser: the role the staff pages serve, with its permission checks.
    user, _ = get_user_model().objects.update_or_create(
        username="bench-coordinator", defaults={"is_staff": True, "is_superuser": False, "first_name": "Bench"})
    user.groups.add(Group.objects.get(name=roles.COORDINATORS))
    return user


def count_queries(path: str, user) -> tuple[int, int]:
    """Return (status, SQL queries) of one request through the Django test client, after a warm-up one."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if user is not None:
        client.force_login(user)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries)


# --------------------------------------------------------------------------------------------- burst, jobs
def booking_burst() -> dict:
    """200 bookings released at once on a 25-seat session, from 40 database connections."""
    try:
        from events.services import registration_book
    except ImportError:
        return {"status": "not built yet"}
    from concurrent.futures import ThreadPoolExecutor
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from candidates.models import Candidate
    from events.models import Edition, Registration, Session
    from tescforce.celery import app as celery_app

    # Enqueue the confirmation e-mails into memory: no worker is listening in the benchmark.
    celery_app.conf.broker_url = "memory://"
    edition = Edition.objects.order_by("-year").first()
    starts = timezone.now() + timedelta(days=20)
    session = Session.objects.create(edition=edition, title="Bench burst", city="Toulouse", format="job_dating",
                                     starts_at=starts, ends_at=starts + timedelta(hours=3), capacity=BURST_SEATS)
    candidates = list(Candidate.objects.filter(anonymised_at__isnull=True).order_by("?")[:BURST_BOOKINGS])
    gate = threading.Barrier(BURST_CONNECTIONS)
    errors: list[str] = []

    def book(candidate, wait: bool):
        try:
            if wait:
                gate.wait()
            registration_book(session=session, candidate=candidate)
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=BURST_CONNECTIONS) as pool:
        for n, candidate in enumerate(candidates):
            pool.submit(book, candidate, n < BURST_CONNECTIONS)
    elapsed = time.perf_counter() - started
    statuses = dict.fromkeys(Registration.Status.values, 0)
    for status in Registration.objects.filter(session=session).values_list("status", flat=True):
        statuses[status] += 1
    session.delete()
    ok = statuses.get("confirmed") == BURST_SEATS and not errors
    return {
        "status": "ok" if ok else "WRONG",
        "bookings": len(candidates), "seats": BURST_SEATS, "connections": BURST_CONNECTIONS,
        "seconds": round(elapsed, 2), "per_booking_ms": round(elapsed / len(candidates) * 1000, 1),
        "outcome": {k: v for k, v in statuses.items() if v}, "errors": errors[:5],
    }


JOBS = {
    # key: (label, module, function) — run in a subprocess with a time limit.
    "matching_full": ("Matching: full recompute (100k candidates × 10k postings)", "matching.services",
                      "matches_recompute_all"),
    "reminders": ("Session reminders due (J-7, J-1)", "events.services", "reminders_send_due"),
}
JOB_TIMEOUT = 900


def run_job(key: str, env: dict) -> dict:
    label, module, function = JOBS[key]
    code = (
        "import time, django; django.setup()\n"
        "import importlib\n"
        f"mod = importlib.import_module({module!r})\n"
        f"fn = getattr(mod, {function!r}, None)\n"
        "if fn is None: print('NOTBUILT'); raise SystemExit\n"
        "from tescforce.celery import app; app.conf.broker_url = 'memory://'\n"
        "t = time.perf_counter(); result = fn()\n"
        "print('RESULT', round(time.perf_counter() - t, 2), repr(result)[:200])\n"
    )
    try:
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **env,  # noqa: S603
                              "DJANGO_SETTINGS_MODULE": "tescforce.settings"},
                              capture_output=True, text=True, timeout=JOB_TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"label": label, "status": f"over {JOB_TIMEOUT} s"}
    if "NOTBUILT" in done.stdout or "ModuleNotFoundError" in done.stderr:
        return {"label": label, "status": "not built yet"}
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        return {"label": label, "status": "error", "error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    _, seconds, result = line.split(" ", 2)
    return {"label": label, "status": "ok", "seconds": float(seconds), "result": result}


# --------------------------------------------------------------------------------------------- report
def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "os": platform.platform(), "python": platform.python_version(), "postgresql": pg,
            "server": "gunicorn, 2 sync workers, DEBUG=False", "load_generator": "Python threads, same machine"}


def verdicts(results: list[dict]) -> None:
    by_key = {r["key"]: r for r in results if r.get("c16")}
    static, healthz = by_key.get("static_page"), by_key.get("healthz")
    for r in results:
        if not r.get("c16"):
            continue
        checks = []
        if r["kind"] == "public" and static:
            share = r["c16"]["rps"] / static["c16"]["rps"]
            r["share_of_static"] = round(share, 2)
            checks.append(share >= PUBLIC_SHARE_OF_STATIC)
            checks.append(r["c1"]["median_ms"] < PUBLIC_MEDIAN_MS)
        elif r["kind"] == "staff":
            checks.append(r["c1"]["median_ms"] < STAFF_MEDIAN_MS)
        elif r["key"] == "static_page" and healthz:
            share = r["c16"]["rps"] / healthz["c16"]["rps"]
            r["share_of_healthz"] = round(share, 2)
            checks.append(share >= STATIC_SHARE_OF_HEALTHZ)
        if r["c1"]["errors"] or r["c16"]["errors"]:
            checks.append(False)
        r["meets_targets"] = all(checks) if checks else None


def write_reports(report: dict) -> None:
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "performance.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    m = report["machine"]
    lines = [
        "# Performance",
        "",
        f"Measured {report['date']} by `make bench` (bench/run.py) on {m['cpu']}, {m['cores']} cores, "
        f"{m['memory_gb']} GB, {m['os']}, Python {m['python']}, PostgreSQL {m['postgresql']}. "
        f"Server: {m['server']}; load generator: {m['load_generator']} (the two share the cores). "
        "The machine is shared and noisy (±30 % between runs): read pages as ratios of the two baselines "
        "measured in the same run.",
        "",
        "Data: " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in report["data"].items()) + ".",
        "",
        f"Targets (issue 3): public pages ≥ {PUBLIC_SHARE_OF_STATIC:.0%} of the static page's throughput and "
        f"median < {PUBLIC_MEDIAN_MS} ms at 1 connection; admin, hotline and dashboard median < "
        f"{STAFF_MEDIAN_MS} ms at 1 connection; the static page ≥ {STATIC_SHARE_OF_HEALTHZ:.0%} of /healthz/.",
        "",
        "| page | path | req/s at 16 | median / p95 at 1 (ms) | median / p95 at 16 (ms) | SQL queries | "
        "ratio | meets targets |",
        "|---|---|---:|---:|---:|---:|---:|:---:|",
    ]
    for r in report["pages"]:
        if "c16" not in r:
            lines.append(f"| {r['label']} | – | {r['status']} | | | | | |")
            continue
        ratio = (f"{r['share_of_static']:.2f} of static" if "share_of_static" in r
                 else f"{r['share_of_healthz']:.2f} of healthz" if "share_of_healthz" in r else "")
        verdict = {True: "yes", False: "**no**", None: "–"}[r["meets_targets"]]
        errors = r["c1"]["errors"] + r["c16"]["errors"]
        lines.append(
            f"| {r['label']} | `{r['path']}` | {r['c16']['rps']:.0f} | {r['c1']['median_ms']} / {r['c1']['p95_ms']} "
            f"| {r['c16']['median_ms']} / {r['c16']['p95_ms']} | {r['queries']} | {ratio} | {verdict}"
            f"{f' ({errors} errors)' if errors else ''} |")
    cached = [r["label"] for r in report["pages"] if r.get("queries") == 0 and r["kind"] == "public"]
    if cached:
        lines += ["", f"Served from the page cache (no query): {', '.join(cached)}. The load repeats one URL, "
                  "so these figures are cache hits; the first visitor after a change pays for the queries."]
    burst = report["booking_burst"]
    lines += ["", "## Booking burst", ""]
    if burst["status"] == "not built yet":
        lines.append("Not built yet.")
    else:
        lines.append(
            f"{burst['bookings']} bookings released at once on a {burst['seats']}-seat session from "
            f"{burst['connections']} database connections: {burst['seconds']} s in all "
            f"({burst['per_booking_ms']} ms per booking), outcome {burst['outcome']} — {burst['status']}.")
        if burst["errors"]:
            lines.append(f"Errors: {burst['errors']}")
    lines += ["", "## Periodic jobs", "", "| job | time | result |", "|---|---:|---|"]
    for job in report["jobs"].values():
        time_text = f"{job['seconds']} s" if "seconds" in job else job["status"]
        lines.append(f"| {job['label']} | {time_text} | {job.get('result', job.get('error', ''))} |")
    # What follows the marker is written by hand (bench/pages.py figures, what was fixed): kept as it is.
    page = docs / "performance.md"
    kept = page.read_text().partition(HAND_KEPT_MARKER) if page.exists() else ("", "", "")
    page.write_text("\n".join(lines) + "\n" + (f"\n{HAND_KEPT_MARKER}{kept[2]}" if kept[1] else ""))


# --------------------------------------------------------------------------------------------- main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="duration of each 16-connection run")
    parser.add_argument("--only", nargs="*", help="measure only these page keys")
    parser.add_argument("--skip-jobs", action="store_true", help="skip the burst and the periodic jobs")
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/")
    args = parser.parse_args()

    env = bench_env()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tescforce.settings"
    import django

    django.setup()
    from django.core.management import call_command

    sys.path.insert(0, str(ROOT / "bench"))
    from load_data import TARGETS, counts

    data = counts()
    if any(data[k] < TARGETS[k] for k in TARGETS):
        sys.exit(f"Benchmark data incomplete ({data}): run bench/load_data.py first.")
    call_command("migrate", verbosity=0, interactive=False)
    print("collectstatic…", flush=True)
    call_command("collectstatic", verbosity=0, interactive=False)

    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    user = staff_user()
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, bound to 127.0.0.1
        [str(Path(sys.executable).parent / "gunicorn"), "tescforce.wsgi", "--workers", "2", "--bind",
         f"{HOST}:{port}", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **env},
    )
    results = []
    try:
        for _ in range(100):
            if request(port, "/healthz/", {})[0] == 200:
                break
            time.sleep(0.2)
        else:
            sys.exit("gunicorn did not answer /healthz/")
        for page in pages(cookie):
            if args.only and page["key"] not in args.only:
                continue
            entry = {k: page[k] for k in ("key", "label", "path", "kind")}
            if page["path"] is None:
                entry["status"] = "not built yet"
                results.append(entry)
                print(f"{page['label']}: not built yet", flush=True)
                continue
            status, queries = count_queries(page["path"], user if page["kind"] == "staff" else None)
            if status != 200:
                entry["status"] = f"answers {status}"
                results.append(entry)
                print(f"{page['label']}: answers {status}", flush=True)
                continue
            run_load(port, page["path"], page["headers"], connections=2, seconds=1, max_requests=20)  # warm-up
            entry["queries"] = queries
            entry["c1"] = run_load(port, page["path"], page["headers"], connections=1, seconds=args.seconds / 2,
                                   max_requests=300)
            entry["c16"] = run_load(port, page["path"], page["headers"], connections=CONNECTIONS,
                                    seconds=args.seconds, max_requests=20_000)
            results.append(entry)
            print(f"{page['label']}: {entry['c16']['rps']} req/s at 16, median {entry['c1']['median_ms']} ms at 1, "
                  f"{queries} queries", flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        store.delete()

    verdicts(results)
    burst, jobs = {"status": "skipped"}, {}
    if not args.skip_jobs:
        print("booking burst…", flush=True)
        burst = booking_burst()
        print(burst, flush=True)
        for key in JOBS:
            print(f"{JOBS[key][0]}…", flush=True)
            jobs[key] = run_job(key, env)
            print(jobs[key], flush=True)
    report = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(), "data": data,
              "targets": {"public_share_of_static": PUBLIC_SHARE_OF_STATIC, "public_median_ms": PUBLIC_MEDIAN_MS,
                          "staff_median_ms": STAFF_MEDIAN_MS, "static_share_of_healthz": STATIC_SHARE_OF_HEALTHZ},
              "pages": results, "booking_burst": burst, "jobs": jobs}
    if args.no_write:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        write_reports(report)
        print("wrote docs/performance.json and docs/performance.md")


if __name__ == "__main__":
    main()
