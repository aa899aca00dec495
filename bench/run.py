"""Measure the platform under HTTP load against the production-size database (run bench/load_data.py first).

    .venv/bin/python bench/run.py               # or: make bench (loads the data first)
    .venv/bin/python bench/run.py --seconds 2 --skip-jobs --no-write --only board signup   # a quick look

Serves the platform with gunicorn (DEBUG=False, 2 sync workers) on a free port of 127.0.0.1 and loads it
with bench/http_load.py (closed loops over raw sockets in several processes, fixed duration). The URLs
are drawn at random from the data (bench/mix.py): every posting, company, session and use case in both
languages, the board's filters combined with search words from the postings' titles and skills, pages
2 to 50. Each public page is measured twice: misses (URLs not requested before in the run, or, where
there are too few URLs for that, with the page cache's versions moved before each request) and hits
(a set of URLs requested once beforehand, then repeated). The accessibility statement (full layout,
no query) is measured just before each page, so each page reads as a ratio of it on a noisy machine.
Sign-up and booking requests go through their forms (the page for the CSRF token and cookie, then the
POST), a new person each time. Staff pages, as a coordinator: searches by name, e-mail and phone,
filters, sorts, deep pages; the dashboard cold (`?fresh=1`) and warm. First, /healthz/ with the
threaded generator this script used before and with the new one: the generator's own CPU says whether
it is the bottleneck. SQL queries per request are counted with the Django test client on the same
database. Then the booking burst and the periodic jobs. Writes docs/performance.json and
docs/performance.md (its hand-written part, below the marker, is kept). Only 127.0.0.1 is contacted.
"""

import argparse
import collections
import http.client
import json
import os
import platform
import random
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import http_load  # noqa: E402 - bench/ is put on the path just above
import mix  # noqa: E402

BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tescforce_bench")
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
HOST = "127.0.0.1"
CONNECTIONS = 16
WORKERS = 2
BURST_BOOKINGS, BURST_SEATS, BURST_CONNECTIONS = 200, 25, 40
POOL = 1500  # distinct URLs drawn per public page kind
HIT_URLS = 50  # of them, requested once and then repeated for the hits
FRESH_MIN = 300  # fewer URLs left for the misses than this: move the cache versions instead
FORMS = 1500  # distinct people for the sign-ups, and for the booking requests
SIGNUP_DOMAIN = "bench-http.example.org"

# Issue 3's targets, measured on the 2-core machine with server and load generator side by side.
PUBLIC_SHARE_OF_STATIC = 0.25
PUBLIC_MEDIAN_MS = 10
FORM_MEDIAN_MS = 30
STAFF_MEDIAN_MS = 50
# The dashboard's own targets, by scenario key.
STAFF_KEY_MEDIAN_MS = {"dashboard_cold": 150, "dashboard_warm": 30}
STATIC_SHARE_OF_HEALTHZ = 0.2
TARGET_FIGURES = {"public_share_of_static": PUBLIC_SHARE_OF_STATIC, "public_median_ms": PUBLIC_MEDIAN_MS,
                  "form_median_ms": FORM_MEDIAN_MS, "staff_median_ms": STAFF_MEDIAN_MS,
                  "staff_key_median_ms": STAFF_KEY_MEDIAN_MS, "static_share_of_healthz": STATIC_SHARE_OF_HEALTHZ}
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
        # The staff pages are measured, not the second factor's prompt in front of them; the sign-ups all
        # come from 127.0.0.1, which the per-address limits would stop after a few.
        "TWO_FACTOR_REQUIRED_FOR_ADMINS": "False",
        "RATELIMIT_ENABLE": "False",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------------------------- CPU
def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds these processes have used so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def server_pids(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        children = []
    return [master, *map(int, children)]


def cpu_shares(figures: dict, server_cpu: float, generator_cpu: float) -> dict:
    """The CPU the server and the generator used during a phase, as shares of the machine's cores."""
    capacity = figures["seconds"] * (os.cpu_count() or 1)
    # A phase that only fills the cache with two URLs can end within the rounding of its duration.
    figures["server_cpu_share"] = round(server_cpu / capacity, 2) if capacity else None
    figures["generator_cpu_share"] = round(generator_cpu / capacity, 2) if capacity else None
    return figures


# --------------------------------------------------------------------------------------------- the old generator
def thread_request(port: int, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status = 0
    finally:
        conn.close()
    return status, time.perf_counter() - started


def thread_load(port: int, path: str, *, connections: int, seconds: float) -> dict:
    """The generator this script used before: Python threads in this process, a new http.client
    connection per request. Kept only to compare with http_load on /healthz/."""
    deadline = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections

    def loop(n: int) -> None:
        while time.perf_counter() < deadline:
            status, elapsed = thread_request(port, path)
            latencies[n].append(elapsed)
            errors[n] += status != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    times = sorted(t for per_thread in latencies for t in per_thread)
    return {"labels": {"get": {
        "requests": len(times), "errors": sum(errors), "rps": round(len(times) / elapsed, 1),
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(http_load.percentile(times, 0.95) * 1000, 1),
        "p99_ms": round(http_load.percentile(times, 0.99) * 1000, 1)}}, "seconds": round(elapsed, 2)}


def wait_for(port: int) -> None:
    for _ in range(150):
        if thread_request(port, "/healthz/")[0] == 200:
            return
        time.sleep(0.2)
    sys.exit("gunicorn did not answer /healthz/")


# --------------------------------------------------------------------------------------------- the mix
def localised(name: str, placeholder: str | None = None) -> dict[str, str]:
    """The URL of this view in each language; with a placeholder, a pattern with {} where the value goes."""
    from django.urls import reverse
    from django.utils import translation

    paths = {}
    for lang in mix.LANGUAGES:
        with translation.override(lang):
            if placeholder is None:
                paths[lang] = reverse(name)
            else:
                kind = "pk" if placeholder.isdigit() else "slug"
                paths[lang] = reverse(name, kwargs={kind: placeholder}).replace(placeholder, "{}")
    return paths


def words_of(texts, limit: int = 400) -> list[str]:
    """Search words as a visitor types them: the words of these texts, four letters or more, lower case."""
    found: dict[str, None] = {}
    for text in texts:
        for word in str(text).replace("·", " ").replace("/", " ").split():
            word = word.strip(",.;:()«»\"'").lower()
            if len(word) >= 4 and word.isalpha():
                found.setdefault(word, None)
    return list(found)[:limit]


def pages_counter(count, per_page: int):
    """pages_of for mix.list_url, remembered per combination of filters (one COUNT each)."""
    from django.http import QueryDict

    known: dict[tuple, int] = {}

    def pages_of(params: dict) -> int:
        key = tuple(sorted(params.items()))
        if key not in known:
            query = QueryDict(mutable=True)
            query.update(params)
            known[key] = -(-count(query) // per_page)
        return known[key]

    return pages_of


def public_scenarios(rng: random.Random, pool: int) -> list[dict]:
    """Each public page kind: its URLs drawn over the whole data, in both languages."""
    from companies import selectors as board_selectors
    from companies.filters import YES, JobPostingFilter
    from companies.models import Company, JobFamily, JobPosting, Skill
    from companies.views import PAGE_SIZE as BOARD_PAGE
    from events import selectors as session_selectors
    from events.views import SESSIONS_PER_PAGE
    from showroom.filters import UseCaseFilter
    from showroom.models import Sector, Technology, UseCase
    from showroom.views import PAGE_SIZE as SHOWROOM_PAGE
    from showroom.views import published_use_cases

    published = JobPosting.objects.filter(status="published")
    skills = list(Skill.objects.values_list("pk", "name"))
    board_choices = {
        "q": words_of([*published.values_list("title", flat=True)[:5000], *(name for _, name in skills)]),
        "city": board_selectors.posting_cities(),
        "contract": list(JobPosting.Contract.values),
        "job_family": list(JobFamily.objects.values_list("pk", flat=True)),
        "skill": [pk for pk, _ in skills],
        "remote": list(JobPosting.Remote.values),
        "retraining": [YES],
    }
    board_pages = pages_counter(
        lambda q: JobPostingFilter(q, queryset=board_selectors.board_postings()).qs.count(), BOARD_PAGE)
    cities = session_selectors.session_cities()
    session_pages = pages_counter(lambda q: session_selectors.session_upcoming(city=q.get("city", "")).count(),
                                  SESSIONS_PER_PAGE)
    use_cases = UseCase.objects.filter(is_published=True)
    showroom_choices = {
        "q": words_of(use_cases.values_list("title", flat=True)),
        "sector": list(Sector.objects.values_list("slug", flat=True)),
        "technology": list(Technology.objects.values_list("slug", flat=True)),
        "company": list(Company.objects.filter(use_cases__is_published=True).values_list("slug", flat=True)
                        .distinct()),
    }
    showroom_pages = pages_counter(lambda q: UseCaseFilter(q, queryset=published_use_cases()).qs.count(),
                                   SHOWROOM_PAGE)
    upcoming = list(session_selectors.session_upcoming().values_list("pk", flat=True))
    home, board = localised("home"), localised("companies:posting_list")
    sessions, showroom = localised("events:session_list"), localised("showroom:usecase_list")

    def shuffled(urls: list[str]) -> list[str]:
        rng.shuffle(urls)
        return urls[:pool]

    def drawn(paths, choices, shares, pages_of) -> list[str]:
        return mix.distinct(lambda: mix.list_url(rng, paths, choices, shares, pages_of), pool)

    return [
        {"key": "home", "label": "Home", "urls": shuffled(mix.detail_urls(home, [""]))},
        {"key": "board", "label": "Job board: filters, search words, pages 2–50",
         "urls": drawn(board, board_choices, mix.BOARD_FILTERS, board_pages)},
        {"key": "job_page", "label": "Job page",
         "urls": shuffled(mix.detail_urls(localised("companies:posting_detail", "zzslugzz"),
                                          published.values_list("slug", flat=True)))},
        {"key": "company_page", "label": "Company page",
         "urls": shuffled(mix.detail_urls(localised("companies:company_detail", "zzslugzz"),
                                          Company.objects.values_list("slug", flat=True)))},
        {"key": "session_list", "label": "Sessions list: cities, pages",
         "urls": drawn(sessions, {"city": cities}, {"city": 0.5}, session_pages)},
        {"key": "session_page", "label": "Session page",
         "urls": shuffled(mix.detail_urls(localised("events:session_detail", "987654321"), upcoming))},
        {"key": "showroom_list", "label": "Showroom: filters, search words, pages",
         "urls": drawn(showroom, showroom_choices, {"q": 0.3, "sector": 0.3, "technology": 0.3, "company": 0.15},
                       showroom_pages)},
        {"key": "use_case_page", "label": "Use case page",
         "urls": shuffled(mix.detail_urls(localised("showroom:usecase_detail", "zzslugzz"),
                                          use_cases.values_list("slug", flat=True)))},
    ]


def staff_scenarios(rng: random.Random, cookie: str) -> list[dict]:
    """Staff pages as a coordinator: searches (name, e-mail, phone), filters, sorts, deep pages."""
    from django.contrib import admin as django_admin
    from django.urls import reverse

    from candidates.models import Candidate
    from companies.models import JobPosting
    from events.models import Registration
    from prospecting.models import Prospect

    def admin(model: str) -> str:
        return reverse(f"admin:{model}_changelist")

    def deep(path: str, model, count: int = 200) -> list[str]:
        # Pages drawn down to the list's last one, at the size the admin shows.
        last = max(2, -(-model.objects.count() // django_admin.site.get_model_admin(model).list_per_page))
        return [f"{path}?p={rng.randint(2, last)}" for _ in range(count)]

    people = list(Candidate.objects.filter(anonymised_at__isnull=True).exclude(phone="").order_by("?")
                  .values_list("first_name", "last_name", "email", "phone")[:300])
    names = [quote(f"{first} {last}" if rng.random() < 0.5 else last) for first, last, _, _ in people]
    emails = [quote(email) for _, _, email, _ in people]
    phones = []
    for *_, phone in people:
        digits = str(phone).replace("+33", "0")
        phones.append(quote(f"{digits[:2]} {digits[2:4]} {digits[4:6]}"))
    candidates, registrations = admin("candidates_candidate"), admin("events_registration")
    postings, prospects = admin("companies_jobposting"), admin("prospecting_prospect")
    hotline, dashboard = reverse("staff:hotline_home"), reverse("staff:dashboard")
    stages, profiles = list(Candidate.Stage.values), list(Candidate.Profile.values)
    filtered = []
    for _ in range(200):
        params = {}
        if rng.random() < 0.6:
            params["stage__exact"] = rng.choice(stages)
        if rng.random() < 0.4:
            params["profile__exact"] = rng.choice(profiles)
        if rng.random() < 0.3:
            params["confirmed"] = rng.choice(["yes", "no"])
        if rng.random() < 0.6:
            params["o"] = rng.choice(["-8", "8", "1", "-1", "2", "3"])
        filtered.append(mix.with_query(candidates, params))
    words = words_of(JobPosting.objects.values_list("title", flat=True)[:2000])
    staff = (("Cookie", cookie),)
    rows = [
        ("admin_candidates_search", "Admin candidates: search by name, e-mail or phone",
         [f"{candidates}?q={q}" for q in names + emails + phones]),
        ("admin_candidates_filters", "Admin candidates: filters and sorts", filtered),
        ("admin_candidates_deep", "Admin candidates: deep pages (?p=)",
         deep(candidates, Candidate)),
        ("admin_registrations", "Admin registrations: search by name, deep pages",
         [f"{registrations}?q={quote(last)}" for _, last, _, _ in people[:100]]
         + deep(registrations, Registration, count=100)),
        ("admin_postings_search", "Admin postings: search words", [f"{postings}?q={quote(w)}" for w in words]),
        ("admin_prospects_deep", "Admin prospects: deep pages", deep(prospects, Prospect)),
        ("hotline_search", "Hotline: search by name or phone", [f"{hotline}?q={q}" for q in names + phones]),
        # Words most people hold: their mail domains and the commonest first names.
        ("hotline_broad", "Hotline: a mail domain or a common first name",
         [f"{hotline}?q={quote(w)}" for w in sorted({email.rsplit("@", 1)[-1] for _, _, email, _ in people})
          + [first for first, _ in collections.Counter(first for first, *_ in people).most_common(10)]]),
        # As callers' names are heard over the phone: found by the close-name search, not as typed.
        ("hotline_misspelt", "Hotline: a misspelt name (a letter changed, dropped or swapped)",
         [f"{hotline}?q={quote(misspelt(last, rng))}" for _, last, _, _ in people[:200]]),
        ("dashboard_cold", "Dashboard, cold (?fresh=1)", [f"{dashboard}?fresh=1"]),
        ("dashboard_warm", "Dashboard, warm", [dashboard]),
    ]
    return [{"key": key, "label": label, "kind": "staff",
             "items": [http_load.Get(url, staff) for url in urls]} for key, label, urls in rows]


def misspelt(name: str, rng: random.Random) -> str:
    """The name with one mistake a listener makes: a letter changed for one that sounds alike, a letter
    dropped, or two letters swapped."""
    word = name.lower()
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("change", "drop", "swap"))
    if kind == "drop":
        return word[:at] + word[at + 1:]
    if kind == "swap" and word[at] != word[at + 1]:
        return word[:at] + word[at + 1] + word[at] + word[at + 2:]
    alike = {"c": "k", "k": "c", "q": "k", "s": "z", "z": "s", "i": "y", "y": "i", "e": "a", "a": "e", "o": "au",
             "t": "d", "d": "t", "m": "n", "n": "m", "b": "p", "p": "b", "f": "ph", "v": "f", "g": "j", "j": "g"}
    return word[:at] + alike.get(word[at], "e") + word[at + 1:]


def form_scenarios(rng: random.Random, count: int) -> list[dict]:
    """Sign-ups (a new person each) and booking requests (a different known person each), through the forms."""
    from django.urls import reverse
    from django.utils import translation

    from candidates.models import Candidate
    from companies.models import JobFamily, Skill
    from events import selectors as session_selectors

    families = list(JobFamily.objects.values_list("pk", flat=True))
    skills = list(Skill.objects.values_list("pk", flat=True))
    tag = secrets.token_hex(3)
    signups = []
    for n in range(count):
        lang = rng.choice(mix.LANGUAGES)
        with translation.override(lang):
            page = reverse("candidates:register")
        digits = f"{rng.randint(0, 999_999):06}"
        fields = [
            ("email", f"personne-{tag}-{n}@{SIGNUP_DOMAIN}"), ("first_name", "Camille"), ("last_name", "Durand"),
            ("phone", f"06 12 {digits[:2]} {digits[2:4]} {digits[4:]}"), ("postcode", "31000"),
            ("city", "Toulouse"), ("profile", "retraining"), ("education", "bac3"), ("experience", "none"),
            ("desired_job_families", str(rng.choice(families))), ("skills", str(rng.choice(skills))),
            ("mobility_toulouse", "on"), ("contract_wanted", "cdi"), ("gender", "undisclosed"),
            ("consent_processing", "on"), ("website", ""),
        ]
        signups.append(http_load.Form(page, tuple(fields)))
    sessions = list(session_selectors.session_upcoming().values_list("pk", flat=True))
    emails = list(Candidate.objects.filter(anonymised_at__isnull=True, confirmed_at__isnull=False)
                  .order_by("?").values_list("email", flat=True)[:count * 2])
    # The form's e-mail field refuses the accented addresses some fictional people have.
    emails = [email for email in emails if email.isascii()][:count]
    bookings = []
    for email in emails:
        pk = rng.choice(sessions)
        with translation.override(rng.choice(mix.LANGUAGES)):
            bookings.append(http_load.Form(reverse("events:session_detail", kwargs={"pk": pk}), (("email", email),),
                                           action=reverse("events:session_book", kwargs={"pk": pk})))
    return [{"key": "signup", "label": "Sign-up (form, then POST: a new person)", "kind": "form", "items": signups},
            {"key": "booking", "label": "Booking request (session page, then POST: a known person)", "kind": "form",
             "items": bookings}]


def staff_user():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from tescforce import roles

    # A coordinator, not a superuser: the role the staff pages serve, with its permission checks.
    user, _ = get_user_model().objects.update_or_create(
        username="bench-coordinator", defaults={"is_staff": True, "is_superuser": False, "first_name": "Bench"})
    user.groups.add(Group.objects.get(name=roles.COORDINATORS))
    return user


def count_queries(path: str, user, *, cold: bool = False, first: bool = False) -> tuple[int, int]:
    """Return (status, SQL queries) of one request through the Django test client, after a warm-up one;
    `cold`: with the page cache's versions moved just before (a miss); `first`: no warm-up, for a URL
    never requested (a miss that finds the parts shared with other URLs cached)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if user is not None:
        client.force_login(user)
    if not first:
        client.get(path)
    if cold:
        move_page_versions()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries)


def page_version_keys() -> tuple[str, ...]:
    """The Redis keys of the page cache's versions (what a write moves)."""
    from django.core.cache import cache

    from tescforce import page_cache

    return tuple(cache.make_key(f"tescforce:page:{name}:version") for name in page_cache.WATCHED)


def move_page_versions() -> None:
    from tescforce import page_cache

    for name in page_cache.WATCHED:
        page_cache.invalidate(name)
    page_cache.clear_local()


def redis_address() -> tuple[str, int, int]:
    url = urlparse(BENCH_REDIS_URL)
    return url.hostname or HOST, url.port or 6379, int(url.path.strip("/") or 0)


# --------------------------------------------------------------------------------------------- measuring
class Bench:
    """The server under load: runs phases with http_load and notes the CPU both sides used."""

    def __init__(self, port: int, master: int, seconds: float, processes: int):
        self.port, self.master, self.seconds, self.processes = port, master, seconds, processes

    def phase(self, items: list, connections: int, seconds: float, **options) -> dict:
        pids = server_pids(self.master)
        before = cpu_seconds(pids)
        figures = http_load.run(self.port, items, connections=connections, seconds=seconds,
                                processes=self.processes, **options)
        return cpu_shares(figures, cpu_seconds(pids) - before, figures["generator_cpu_seconds"])

    def pair(self, items: list, **options) -> dict:
        """At 1 connection for half the time, then at 16."""
        return {"c1": self.phase(items, 1, self.seconds / 2, **options),
                "c16": self.phase(items, CONNECTIONS, self.seconds, **options)}


def main_figures(phase: dict, label: str = "get") -> dict:
    return phase["labels"].get(label, {"requests": 0, "errors": 0, "rps": 0.0, "median_ms": 0.0, "p95_ms": 0.0,
                                       "p99_ms": 0.0})


def generator_check(bench: Bench, port: int, rounds: int = 3) -> dict:
    """/healthz/ at 16 connections with the old threaded generator and with http_load, in alternating
    rounds (the machine's other work comes and goes); each keeps its median round."""

    def threads() -> dict:
        pids = server_pids(bench.master)
        own, server = resource.getrusage(resource.RUSAGE_SELF), cpu_seconds(pids)
        old = thread_load(port, "/healthz/", connections=CONNECTIONS, seconds=bench.seconds)
        used = resource.getrusage(resource.RUSAGE_SELF)
        old["generator_cpu_seconds"] = round(used.ru_utime - own.ru_utime + used.ru_stime - own.ru_stime, 2)
        return cpu_shares(old, cpu_seconds(pids) - server, old["generator_cpu_seconds"])

    runs: dict[str, list[dict]] = {"threads": [], "http_load": []}
    for _ in range(rounds):
        runs["threads"].append(threads())
        runs["http_load"].append(bench.phase([http_load.Get("/healthz/")], CONNECTIONS, bench.seconds))
    result = {"processes": bench.processes,
              "rounds": {name: [main_figures(phase)["rps"] for phase in phases] for name, phases in runs.items()}}
    for name, phases in runs.items():
        result[name] = sorted(phases, key=lambda phase: main_figures(phase)["rps"])[len(phases) // 2]
        f, phase = main_figures(result[name]), result[name]
        print(f"/healthz/ with {name}: {f['rps']} req/s (rounds {result['rounds'][name]}), median {f['median_ms']} "
              f"ms; CPU: server {phase['server_cpu_share']:.0%}, generator {phase['generator_cpu_share']:.0%} of "
              "the machine", flush=True)
    return result


def measure_public(bench: Bench, scenario: dict, static: list, user, bump: tuple) -> list[dict]:
    """The static baseline, then misses and hits of one public page kind; one row for each."""
    urls = scenario["urls"]
    hits, misses = urls[:HIT_URLS], urls[HIT_URLS:]
    fresh = len(misses) >= FRESH_MIN
    baseline = bench.pair(static)
    queries = {"miss": count_queries(hits[0], user, cold=True)[1], "hit": count_queries(hits[0], user)[1]}
    rows = []
    if fresh:  # each URL requested once: a quarter of them at 1 connection, the rest at 16
        queries["miss"] = count_queries(misses.pop(), user, first=True)[1]
        few, many = mix.split(misses, (0.25, 0.75))
        miss = {"c1": bench.phase([http_load.Get(u) for u in few], 1, bench.seconds / 2, mode="once"),
                "c16": bench.phase([http_load.Get(u) for u in many], CONNECTIONS, bench.seconds, mode="once")}
        how = f"drawn from {len(misses):,} URLs never requested before in the run, each at most once"
    else:
        miss = bench.pair([http_load.Get(u) for u in urls], bump=(redis_address(), bump))
        how = f"{len(urls):,} URLs, the page cache's versions moved before each request"
    rows.append({"cache": "miss", "how": how, **miss})
    bench.phase([http_load.Get(u) for u in hits], 2, 60, mode="once")  # fill the cache with these
    hit = bench.pair([http_load.Get(u) for u in hits])
    rows.append({"cache": "hit", "how": f"{len(hits)} URLs requested once before, then repeated", **hit})
    for row in rows:
        row.update({"key": f"{scenario['key']}_{row['cache']}", "label": scenario["label"], "kind": "public",
                    "example": hits[0], "queries": queries[row["cache"]], "static": baseline})
    return rows


def measure(bench: Bench, scenario: dict, static: list, user) -> dict:
    """A staff page or a form: the static baseline (forms), then 1 and 16 connections."""
    items = scenario["items"]
    row = {"key": scenario["key"], "label": scenario["label"], "kind": scenario["kind"], "cache": "–"}
    if scenario["kind"] == "form":
        row["static"] = bench.pair(static)
        few, many = mix.split(items, (0.25, 0.75))
        row["c1"] = bench.phase(few, 1, bench.seconds / 2, mode="once")
        row["c16"] = bench.phase(many, CONNECTIONS, bench.seconds, mode="once")
        row["example"] = items[0].action or items[0].page
        row["how"] = "each request a different person"
    else:
        row["example"] = items[0].path
        row["queries"] = count_queries(items[0].path, user)[1]
        row.update(bench.pair(items))
        row["how"] = f"{len(items):,} URLs drawn at random" if len(items) > 1 else "one URL"
    return row


def summary_line(row: dict) -> str:
    label = "post" if row["kind"] == "form" else "get"
    c1, c16 = main_figures(row["c1"], label), main_figures(row["c16"], label)
    errors = c1["errors"] + c16["errors"]
    static = f", static {main_figures(row['static']['c16'])['rps']} req/s" if "static" in row else ""
    statuses = f", statuses {row['c1']['statuses']} {row['c16']['statuses']}" if errors else ""
    return (f"{row['label']} [{row['cache']}]: {c16['rps']} req/s at 16{static}, median {c1['median_ms']} ms at 1 "
            f"({c1['requests'] + c16['requests']} requests{f', {errors} errors' if errors else ''}{statuses})")


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
    # key: (label, module, function, SQL run first) — run in a subprocess with a time limit. The full recompute
    # must stay under its target whatever the table holds: empty, as it should be, or with every row to write.
    "matching_first_fill": ("Matching: full recompute, a first fill of the empty table (100k candidates × 10k "
                            "postings)", "matching.services", "matches_recompute_all", ["TRUNCATE candidates_match"]),
    "matching_full": ("Matching: full recompute over the full table, nothing to write", "matching.services",
                      "matches_recompute_all", []),
    # As after a change of the explanation's format; vacuumed, as the table stands once autovacuum has passed.
    "matching_rewrite": ("Matching: full recompute with every row to write again", "matching.services",
                         "matches_recompute_all",
                         ["UPDATE candidates_match SET packed = NULL", "VACUUM ANALYZE candidates_match"]),
    "reminders": ("Session reminders due (J-7, J-1)", "events.services", "reminders_send_due", []),
}
JOB_TIMEOUT = 900


def run_job(key: str, env: dict) -> dict:
    label, module, function, before = JOBS[key]
    if before:
        from django.db import connection

        with connection.cursor() as cursor:
            for sql in before:
                cursor.execute(sql)
    code = (
        "import time, django; django.setup()\n"
        "import importlib\n"
        f"mod = importlib.import_module({module!r})\n"
        f"fn = getattr(mod, {function!r}, None)\n"
        "if fn is None: print('NOTBUILT'); raise SystemExit\n"
        "from tescforce.celery import app; app.conf.broker_url = 'memory://'\n"
        "t = time.perf_counter(); result = fn()\n"
        "import resource; peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024\n"
        "print('RESULT', round(time.perf_counter() - t, 2), peak, repr(result)[:200])\n"
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
    _, seconds, peak, result = line.split(" ", 3)
    return {"label": label, "status": "ok", "seconds": float(seconds), "peak_mb": int(peak), "result": result}


# --------------------------------------------------------------------------------------------- report
def machine(processes: int) -> dict:
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
            "server": f"gunicorn, {WORKERS} sync workers, DEBUG=False",
            "load_generator": f"bench/http_load.py, {processes} processes, same machine"}


def verdicts(results: list[dict], check: dict) -> None:
    healthz = main_figures(check["http_load"]) if check else None
    for r in results:
        label = "post" if r["kind"] == "form" else "get"
        c1, c16 = main_figures(r["c1"], label), main_figures(r["c16"], label)
        checks = []
        if "static" in r:
            static = main_figures(r["static"]["c16"])
            r["share_of_static"] = round(c16["rps"] / static["rps"], 2) if static["rps"] else None
            if healthz and healthz["rps"]:
                r["static_share_of_healthz"] = round(static["rps"] / healthz["rps"], 2)
        if r["kind"] == "public":
            checks += [(r["share_of_static"] or 0) >= PUBLIC_SHARE_OF_STATIC, c1["median_ms"] < PUBLIC_MEDIAN_MS]
        elif r["kind"] == "form":
            checks.append(c1["median_ms"] < FORM_MEDIAN_MS)
        elif r["kind"] == "staff":
            checks.append(c1["median_ms"] < STAFF_KEY_MEDIAN_MS.get(r["key"], STAFF_MEDIAN_MS))
        if checks and (c1["errors"] or c16["errors"]):
            checks.append(False)
        r["meets_targets"] = all(checks) if checks else None


def ms(figures: dict) -> str:
    return f"{figures['median_ms']} / {figures['p95_ms']}"


def errors_note(*figures: dict) -> str:
    errors = sum(f["errors"] for f in figures)
    return f" ({errors} errors)" if errors else ""


def write_reports(report: dict) -> None:
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "performance.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    m, load = report["machine"], report["load_average"]
    lines = [
        "# Performance",
        "",
        f"Measured {report['date']} by `make bench` (bench/run.py, {report['seconds']} s per phase at 16 "
        f"connections, half that at 1) on {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, {m['os']}, "
        f"Python {m['python']}, PostgreSQL {m['postgresql']}. Server: {m['server']}; load generator: "
        f"{m['load_generator']} (the two share the cores). Load average (1 min) {load['start']} at the start, "
        f"{load['end']} at the end: the machine is shared and noisy (±30 % between runs), so read pages as "
        "ratios of the static page measured just before each of them.",
        "",
        "Data: " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in report["data"].items()) + ".",
        "",
        f"Targets (issue 21), misses included: public pages ≥ {PUBLIC_SHARE_OF_STATIC:.0%} of the static page's "
        f"throughput and median < {PUBLIC_MEDIAN_MS} ms at 1 connection; sign-up and booking request median < "
        f"{FORM_MEDIAN_MS} ms; admin lists and the hotline median < {STAFF_MEDIAN_MS} ms at 1 connection, the "
        f"dashboard < {STAFF_KEY_MEDIAN_MS['dashboard_cold']} ms cold and < {STAFF_KEY_MEDIAN_MS['dashboard_warm']} "
        f"ms warm; the static page ≥ {STATIC_SHARE_OF_HEALTHZ:.0%} of /healthz/.",
        "",
        "## Which figures a visitor meets",
        "",
        "The **misses**, on most pages. The URLs are drawn at random over every posting, company, session and "
        "use case in French and English, the board's filters combined with search words from the postings, "
        "pages 2 to 50: far more URLs than the page cache holds for its five minutes (and any change to a "
        "posting moves the board's version). A miss is a URL never requested before in the run (or, for the "
        "pages with too few URLs for that, the last column says which, a request made just after the page "
        "cache's versions moved, as after a write). The **hits** are what a popular URL (the home page, the "
        "board's first page) serves between two changes: a set of URLs requested once, then repeated. Staff "
        "pages and forms are not cached.",
    ]
    check = report.get("generator_check")
    if check:
        lines += ["", "## The load generator", "",
                  f"`bench/http_load.py`: {check['processes']} processes, each driving its share of the "
                  "connections from one selector loop over raw sockets (closed loops, fixed duration). "
                  "gunicorn's sync workers close the connection after each answer, so each request connects "
                  "again, as a reverse proxy's upstream connection would. /healthz/ at 16 connections, with "
                  "the threaded generator used before (one http.client connection per request, in one "
                  "process) and with it, in alternating rounds (each generator's median round is shown, "
                  "the others in the last column); CPU as a share of the machine's cores over the phase:", "",
                  "| generator | req/s | median / p95 (ms) | server CPU | generator CPU | requests per generator "
                  "CPU second | req/s of each round |", "|---|---:|---:|---:|---:|---:|---|"]
        for name, label in (("threads", "threads (before)"), ("http_load", "http_load")):
            phase = check[name]
            f = main_figures(phase)
            capacity = f["requests"] / phase["generator_cpu_seconds"] if phase["generator_cpu_seconds"] else 0
            lines.append(f"| {label} | {f['rps']:.0f} | {ms(f)} | {phase['server_cpu_share']:.0%} | "
                         f"{phase['generator_cpu_share']:.0%} | {capacity:,.0f} | "
                         f"{', '.join(f'{rps:.0f}' for rps in check['rounds'][name])} |")
    rows = report["pages"]
    first = next((r for r in rows if "static_share_of_healthz" in r), None)
    if first:
        lines += ["", f"The static page's first baseline, {main_figures(first['static']['c16'])['rps']:.0f} req/s "
                  f"at 16 connections, is {first['static_share_of_healthz']:.0%} of /healthz/ with http_load "
                  f"(target ≥ {STATIC_SHARE_OF_HEALTHZ:.0%})."]
    lines += ["", "## Public pages", "",
              "Each page's misses and hits; \"static\" is the accessibility statement (full layout, no query) "
              "measured just before the page, the ratio is the page's throughput at 16 connections over it. SQL "
              "queries: of one miss (a URL not requested before, or after the versions moved, as measured) and "
              "of one hit, through the Django test client.",
              "", "| page | cache | req/s at 16 | static req/s at 16 | ratio | median / p95 at 1 (ms) | "
              "median / p95 at 16 (ms) | SQL queries | meets targets | URLs |",
              "|---|---|---:|---:|---:|---:|---:|---:|:---:|---|"]
    for r in (r for r in rows if r["kind"] == "public"):
        c1, c16 = main_figures(r["c1"]), main_figures(r["c16"])
        verdict = {True: "yes", False: "**no**", None: "–"}[r["meets_targets"]]
        lines.append(
            f"| {r['label']} | {r['cache']} | {c16['rps']:.0f} | {main_figures(r['static']['c16'])['rps']:.0f} | "
            f"{r['share_of_static']} | {ms(c1)} | {ms(c16)} | {r['queries']} | {verdict}{errors_note(c1, c16)} | "
            f"{r['how']}; e.g. `{r['example']}` |")
    forms = [r for r in rows if r["kind"] == "form"]
    if forms:
        lines += ["", "## Forms over HTTP", "",
                  "Each request a different person: the page with the form (for the CSRF token and cookie), "
                  "then the POST; the e-mails go to memory. Rate limits are off for the run (every request "
                  "comes from 127.0.0.1). Figures of the POST, and of the page before it.", "",
                  "| form | POST req/s at 16 | POST median / p95 at 1 (ms) | POST median / p95 at 16 (ms) | "
                  "form page median at 1 (ms) | static req/s at 16 |", "|---|---:|---:|---:|---:|---:|"]
        for r in forms:
            c1, c16 = main_figures(r["c1"], "post"), main_figures(r["c16"], "post")
            page = main_figures(r["c1"], "form")
            lines.append(f"| {r['label']} | {c16['rps']:.0f} | {ms(c1)} | {ms(c16)}{errors_note(c1, c16, page)} | "
                         f"{page['median_ms']} | {main_figures(r['static']['c16'])['rps']:.0f} |")
    staff = [r for r in rows if r["kind"] == "staff"]
    if staff:
        lines += ["", "## Staff pages", "", "As a coordinator; URLs drawn at random from the data.", "",
                  "| page | req/s at 16 | median / p95 at 1 (ms) | median / p95 at 16 (ms) | SQL queries | "
                  "meets targets | URLs |", "|---|---:|---:|---:|---:|:---:|---|"]
        for r in staff:
            c1, c16 = main_figures(r["c1"]), main_figures(r["c16"])
            verdict = {True: "yes", False: "**no**", None: "–"}[r["meets_targets"]]
            lines.append(f"| {r['label']} | {c16['rps']:.0f} | {ms(c1)} | {ms(c16)} | {r['queries']} | "
                         f"{verdict}{errors_note(c1, c16)} | {r['how']}; e.g. `{r['example']}` |")
    burst = report["booking_burst"]
    lines += ["", "## Booking burst", ""]
    if burst["status"] in ("not built yet", "skipped"):
        lines.append(burst["status"].capitalize() + ".")
    else:
        lines.append(
            f"{burst['bookings']} bookings released at once on a {burst['seats']}-seat session from "
            f"{burst['connections']} database connections: {burst['seconds']} s in all "
            f"({burst['per_booking_ms']} ms per booking), outcome {burst['outcome']} — {burst['status']}.")
        if burst["errors"]:
            lines.append(f"Errors: {burst['errors']}")
    if report["jobs"]:
        lines += ["", "## Periodic jobs", "", "| job | time | peak RSS | result |", "|---|---:|---:|---|"]
        for job in report["jobs"].values():
            time_text = f"{job['seconds']} s" if "seconds" in job else job["status"]
            peak = f"{job['peak_mb']} MB" if "peak_mb" in job else ""
            lines.append(f"| {job['label']} | {time_text} | {peak} | {job.get('result', job.get('error', ''))} |")
    # What follows the marker is written by hand (bench/pages.py figures, what was fixed): kept as it is.
    page = docs / "performance.md"
    kept = page.read_text().partition(HAND_KEPT_MARKER) if page.exists() else ("", "", "")
    page.write_text("\n".join(lines) + "\n" + (f"\n{HAND_KEPT_MARKER}{kept[2]}" if kept[1] else ""))


# --------------------------------------------------------------------------------------------- main
def main() -> None:
    from load_data import DEFAULT_CANDIDATES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="duration of each 16-connection phase")
    parser.add_argument("--only", nargs="*", help="measure only the pages whose key starts with one of these")
    parser.add_argument("--skip-jobs", action="store_true", help="skip the burst and the periodic jobs")
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/")
    parser.add_argument("--processes", type=int, default=2, help="load generator processes (default 2)")
    parser.add_argument("--candidates", type=int, default=DEFAULT_CANDIDATES,
                        help="the size bench/load_data.py loaded (default 100,000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the URL draws")
    parser.add_argument("--report-only", action="store_true",
                        help="write docs/performance.md again from docs/performance.json (targets re-applied)")
    args = parser.parse_args()
    if args.report_only:
        report = json.loads((ROOT / "docs" / "performance.json").read_text())
        verdicts(report["pages"], report["generator_check"])
        report["targets"] = TARGET_FIGURES
        write_reports(report)
        return
    load_start = round(os.getloadavg()[0], 2)

    env = bench_env()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tescforce.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import translation
    from load_data import TARGETS, counts, set_targets

    from candidates.models import Candidate

    set_targets(args.candidates)
    data = counts()
    if any(data[k] < TARGETS[k] for k in TARGETS):
        sys.exit(f"Benchmark data incomplete ({data}): run bench/load_data.py --candidates {args.candidates} first.")
    call_command("migrate", verbosity=0, interactive=False)
    print("collectstatic…", flush=True)
    call_command("collectstatic", verbosity=0, interactive=False)

    user = staff_user()
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    def wanted(key: str) -> bool:
        return not args.only or any(key.startswith(word) for word in args.only)

    print("drawing the URLs…", flush=True)
    rng = random.Random(args.seed)
    public = [s for s in public_scenarios(rng, POOL) if wanted(s["key"])]
    others = [s for s in staff_scenarios(rng, cookie) + form_scenarios(rng, FORMS) if wanted(s["key"])]
    with translation.override("fr"):
        static = [http_load.Get(reverse("accessibility"))]
    bump = page_version_keys()

    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, bound to 127.0.0.1
        [str(Path(sys.executable).parent / "gunicorn"), "tescforce.wsgi", "--workers", str(WORKERS), "--bind",
         f"{HOST}:{port}", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **env},
    )
    bench = Bench(port, server.pid, args.seconds, args.processes)
    results, check = [], {}
    try:
        wait_for(port)
        move_page_versions()  # nothing left in the cache from an earlier run
        bench.phase(static + [http_load.Get("/healthz/")], 2, 2)  # the workers' first requests
        if wanted("healthz"):
            check = generator_check(bench, port)
        for scenario in public:
            for row in measure_public(bench, scenario, static, None, bump):
                row["load_average"] = round(os.getloadavg()[0], 2)
                results.append(row)
                print(summary_line(row), flush=True)
        for scenario in others:
            row = measure(bench, scenario, static, user)
            row["load_average"] = round(os.getloadavg()[0], 2)
            results.append(row)
            print(summary_line(row), flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        store.delete()
        Candidate.objects.filter(email__endswith=f"@{SIGNUP_DOMAIN}").delete()

    verdicts(results, check)
    burst, jobs = {"status": "skipped"}, {}
    if not args.skip_jobs:
        print("booking burst…", flush=True)
        burst = booking_burst()
        print(burst, flush=True)
        for key in JOBS:
            print(f"{JOBS[key][0]}…", flush=True)
            jobs[key] = run_job(key, env)
            print(jobs[key], flush=True)
    report = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(args.processes),
              "data": data, "seconds": args.seconds,
              "load_average": {"start": load_start, "end": round(os.getloadavg()[0], 2)},
              "targets": TARGET_FIGURES,
              "generator_check": check, "pages": results, "booking_burst": burst, "jobs": jobs}
    if args.no_write:
        print(json.dumps({k: report[k] for k in ("date", "load_average", "data")}, ensure_ascii=False))
    else:
        write_reports(report)
        print("wrote docs/performance.json and docs/performance.md")


if __name__ == "__main__":
    main()
