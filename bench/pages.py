"""Server-side render time of pages on a cache miss, against the benchmark database (run load_data.py first).

    .venv/bin/python bench/pages.py                 # every page, 5 renders each
    .venv/bin/python bench/pages.py --runs 9 admin  # only the pages whose key contains "admin"
    .venv/bin/python bench/pages.py --profile 40 board_searched   # where a cold render's time goes
    .venv/bin/python bench/pages.py --queries 5 dashboard_cold    # its five costliest queries, timed
    .venv/bin/python bench/pages.py --misses 80 board showroom    # misses as visitors meet them
    .venv/bin/python bench/pages.py --hotline martin --hotline example.org none   # the hotline for any words

What it measures: in-process cold renders through the Django test client (DEBUG=False, the shared
cache emptied before each request, so every public page is a miss), the median wall time of `--runs`
renders, and the SQL queries of one more cold render. It is NOT throughput under HTTP load: no
server, no network, no concurrency (bench/run.py does that). Read the figures as the cost the first
visitor after a change pays, and compare them within one run: the machine is shared and noisy.

BENCH_DATABASE_URL and BENCH_REDIS_URL choose the database and the cache (the cache is cleared).
Sign-ups and booking requests use distinct addresses under bench-pages.example.org; the people they
create are deleted at the end.
"""

import argparse
import json
import os
import re
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tescforce_bench")
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
SIGNUP_DOMAIN = "bench-pages.example.org"


def setup_django() -> None:
    os.environ.update({
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "DATABASE_URL": BENCH_DATABASE_URL,
        "REDIS_URL": BENCH_REDIS_URL,
        "EMAIL_URL": "memorymail://",
        "SECURE_SSL_REDIRECT": "False",
        "DEMO_MODE": "False",
        "LOG_LEVEL": "ERROR",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),  # the manifest the templates' {% static %} reads
        # The staff pages are measured, not the second factor's prompt in front of them.
        "TWO_FACTOR_REQUIRED_FOR_ADMINS": "False",
    })
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tescforce.settings")
    import django

    django.setup()


def staff_user():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from tescforce import roles

    # A coordinator, not a superuser: the role the staff pages serve, with its permission checks.
    user, _ = get_user_model().objects.update_or_create(
        username="bench-coordinator", defaults={"is_staff": True, "is_superuser": False, "first_name": "Bench"})
    user.groups.add(Group.objects.get(name=roles.COORDINATORS))
    return user


class Counter:
    """Distinct e-mail addresses for the sign-ups, so each one is a new person."""

    def __init__(self):
        self.n = 0
        self.tag = secrets.token_hex(3)

    def person(self) -> tuple[str, str]:
        """A new (e-mail, phone)."""
        self.n += 1
        digits = f"{(int(self.tag, 16) * 1000 + self.n) % 10**6:06}"
        return f"personne-{self.tag}-{self.n}@{SIGNUP_DOMAIN}", f"06 12 {digits[:2]} {digits[2:4]} {digits[4:]}"


def pages() -> list[dict]:
    """(key, label, method, path, data or a function returning it, staff?, cold?)."""
    from django.urls import reverse
    from django.utils import translation

    from candidates.models import Candidate
    from companies.models import JobFamily, JobPosting, Skill
    from events.models import Session
    from showroom.models import UseCase

    with translation.override("fr"):
        board = reverse("companies:posting_list")
        showroom = reverse("showroom:usecase_list")
        posting = JobPosting.objects.filter(status="published").order_by("-published_at")[50]
        session = (Session.objects.filter(is_published=True, starts_at__gte=time_now()).order_by("starts_at")
                   .first())
        job_page = reverse("companies:posting_detail", kwargs={"slug": posting.slug})
        register = reverse("candidates:register")
        book = session and reverse("events:session_book", kwargs={"pk": session.pk})
        hotline = reverse("staff:hotline_home")
        dashboard = reverse("staff:dashboard")
    person = (Candidate.objects.filter(anonymised_at__isnull=True, confirmed_at__isnull=False)
              .exclude(phone="").order_by("pk")[500])
    family = JobFamily.objects.order_by("pk").first()
    skills = list(Skill.objects.order_by("pk").values_list("pk", flat=True)[:2])
    use_case = UseCase.objects.filter(is_published=True).order_by("pk").first()
    counter = Counter()
    phone = str(person.phone).replace("+33", "0")
    phone_words = f"{phone[:2]} {phone[2:4]} {phone[4:6]}"
    domain = person.email.rsplit("@", 1)[-1]  # shared by most people in these data, as a webmail's would be

    def signup():
        email, phone = counter.person()
        return {
            "email": email, "first_name": "Camille", "last_name": "Durand", "phone": phone,
            "postcode": "31000", "city": "Toulouse", "profile": "retraining", "education": "bac3",
            "experience": "none", "desired_job_families": [family.pk], "skills": skills,
            "mobility_toulouse": "on", "contract_wanted": "cdi", "gender": "undisclosed",
            "consent_processing": "on", "website": "",
        }

    admin = "/admin/"
    rows = [
        ("job_page", "Job page", "get", job_page, None, False),
        ("board", "Job board", "get", board, None, False),
        ("board_filtered", "Job board, Toulouse + CDI", "get", f"{board}?city=Toulouse&contract=cdi", None, False),
        ("board_searched", "Job board, « développeur python »", "get", f"{board}?q=d%C3%A9veloppeur+python",
         None, False),
        ("board_page_20", "Job board, page 20", "get", f"{board}?page=20", None, False),
        ("sessions", "Sessions list", "get", reverse_fr("events:session_list"), None, False),
        ("showroom", "Showroom list", "get", showroom, None, False),
        ("showroom_searched", "Showroom, « numérique »", "get", f"{showroom}?q=num%C3%A9rique", None, False),
        ("use_case", "Use case page", "get", use_case and reverse_fr("showroom:usecase_detail",
                                                                       slug=use_case.slug), None, False),
        ("signup_post", "Sign-up POST (new person)", "post", register, signup, False),
        ("booking_post", "Booking request POST (known person)", "post", book, {"email": person.email.upper()},
         False),
        ("admin_candidates", "Admin candidates", "get", f"{admin}candidates/candidate/", None, True),
        ("admin_candidates_name", "Admin candidates, « dupont »", "get", f"{admin}candidates/candidate/?q=dupont",
         None, True),
        ("admin_candidates_email", "Admin candidates, e-mail", "get",
         f"{admin}candidates/candidate/?q={person.email}", None, True),
        ("admin_candidates_phone", f"Admin candidates, « {phone_words} »", "get",
         f"{admin}candidates/candidate/?q={phone_words.replace(' ', '+')}", None, True),
        ("admin_candidates_p1000", "Admin candidates, page 1,000", "get", f"{admin}candidates/candidate/?p=1000",
         None, True),
        ("admin_registrations", "Admin registrations", "get", f"{admin}events/registration/", None, True),
        ("admin_registrations_name", "Admin registrations, « dupont »", "get",
         f"{admin}events/registration/?q=dupont", None, True),
        ("admin_registrations_p100", "Admin registrations, page 100", "get", f"{admin}events/registration/?p=100",
         None, True),
        # A short list (the job families, about 15 rows): what every admin page costs before its rows.
        ("admin_job_families", "Admin job families (a short list)", "get", f"{admin}companies/jobfamily/", None,
         True),
        ("admin_prospects", "Admin prospects", "get", f"{admin}prospecting/prospect/", None, True),
        ("admin_prospects_p50", "Admin prospects, page 50", "get", f"{admin}prospecting/prospect/?p=50", None, True),
        ("admin_meetings_searched", "Admin meetings, « nova »", "get", f"{admin}prospecting/meeting/?q=nova", None,
         True),
        ("admin_postings_searched", "Admin postings, « python »", "get", f"{admin}companies/jobposting/?q=python",
         None, True),
        ("hotline_name", "Hotline search, « dupont marie »", "get", f"{hotline}?q=dupont+marie", None, True),
        ("hotline_phone", f"Hotline search, « {phone_words} »", "get", f"{hotline}?q={phone_words.replace(' ', '+')}",
         None, True),
        ("hotline_domain", f"Hotline search, « {domain} »", "get", f"{hotline}?q={domain}", None, True),
        ("dashboard_cold", "Dashboard, cold (?fresh=1)", "get", f"{dashboard}?fresh=1", None, True),
        ("dashboard_warm", "Dashboard, warm", "get", dashboard, None, True),
    ]
    return [{"key": k, "label": label, "method": method, "path": path, "data": data, "staff": staff}
            for k, label, method, path, data, staff in rows if path]


def time_now():
    from django.utils import timezone

    return timezone.now()


def reverse_fr(name: str, **kwargs) -> str:
    from django.urls import reverse
    from django.utils import translation

    with translation.override("fr"):
        return reverse(name, kwargs=kwargs or None)


def render(page: dict, client) -> tuple[int, float]:
    """One request of the page (cold unless the page's key ends in _warm): (status, seconds)."""
    from django.core.cache import cache

    from tescforce import page_cache

    data = page["data"]() if callable(page["data"]) else page["data"]
    if not page["key"].endswith("_warm"):
        cache.clear()
        page_cache.clear_local()
    started = time.perf_counter()
    response = client.post(page["path"], data) if page["method"] == "post" else client.get(page["path"])
    return response.status_code, time.perf_counter() - started


def measure(page: dict, client, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def once():
        return render(page, client)

    once()  # a client's first request does one-off work (session, login stamps, warm caches for _warm)
    times, statuses = [], set()
    for _ in range(runs):
        status, elapsed = once()
        times.append(elapsed)
        statuses.add(status)
    with CaptureQueriesContext(connection) as queries:
        status, _ = once()
    statuses.add(status)
    return {"median_ms": statistics.median(times) * 1000, "min_ms": min(times) * 1000,
            "queries": len(queries), "status": "/".join(str(s) for s in sorted(statuses)),
            "tables": (tables := tables_read(q["sql"] for q in queries.captured_queries)),
            "candidate_tables": sorted(set(tables) & candidate_tables()),
            "costliest": sorted(((float(q["time"]) * 1000, q["sql"]) for q in queries.captured_queries),
                                reverse=True)}


def tables_read(statements) -> list[str]:
    """The tables named after FROM or JOIN in these statements (sessions and auth left out: every staff page
    reads them)."""
    found = set()
    for sql in statements:
        found.update(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', sql))
    return sorted(t for t in found if not t.startswith(("django_session", "auth_")))


def candidate_tables() -> set[str]:
    """The tables that hold rows about candidates, read from the models: theirs, their links, every model that
    points at a candidate, and their history."""
    from candidates.models import Candidate

    meta = Candidate._meta
    return ({meta.db_table, Candidate.history.model._meta.db_table}
            | {field.remote_field.through._meta.db_table for field in meta.many_to_many}
            | {relation.related_model._meta.db_table for relation in meta.related_objects})


def profile(page: dict, client, top: int, sort: str = "cumulative") -> None:
    """One more cold render under cProfile: the functions where its time goes, ordered by `sort`."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(render, page, client)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(top)
    print("\n".join("    " + line for line in out.getvalue().splitlines() if line.strip()))


def misses(count: int, only: list[str]) -> None:
    """Public pages on a cache miss as visitors meet them: distinct URLs one after the other, the cache
    emptied once at the start only, so what a page shares with others (filter choices, cards) stays cached
    as it would between visitors. Home, sessions list and use case pages have few URLs: their first
    requests are misses, the rest hits."""
    import random

    from django.core.cache import cache
    from django.test import Client

    sys.path.insert(0, str(ROOT / "bench"))
    import run  # noqa: PLC0415 - bench/ goes on the path just above

    client = Client()
    cache.clear()
    load = os.getloadavg()
    print(f"{count} URLs never requested before per page kind, the cache kept between them; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"| {'page':<44} | median ms | min ms | URLs |")
    print(f"|{'-' * 46}|----------:|-------:|-----:|")
    for scenario in run.public_scenarios(random.Random(1), count + 1):
        if only and not any(word in scenario["key"] for word in only):
            continue
        *urls, warm_up = scenario["urls"]
        client.get(warm_up)  # the filter choices and such, as any earlier visitor leaves them
        times = []
        for url in urls[:count]:
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        print(f"| {scenario['label']:<44} | {statistics.median(times):9.1f} | {min(times):6.1f} | {len(times):4} |",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="renders per page (default 5); the median is shown")
    parser.add_argument("--queries", type=int, metavar="N", default=0,
                        help="print each page's N costliest queries of the cold render, with their times")
    parser.add_argument("--profile", type=int, metavar="N", default=0,
                        help="after each page, cProfile one more cold render and print its N costliest functions")
    parser.add_argument("--profile-sort", default="cumulative", choices=["cumulative", "tottime"],
                        help="order of --profile's functions: with what they call (default) or by their own time")
    parser.add_argument("--misses", type=int, metavar="N", default=0,
                        help="instead, render N public URLs of each kind never requested before, drawn as bench/run.py "
                             "draws them, the cache kept between requests (what a visitor meets: see misses())")
    parser.add_argument("--json", metavar="FILE", help="also write the results to FILE (read by bench/scaling.py)")
    parser.add_argument("--no-admin-sidebar", action="store_true",
                        help="switch the admin's navigation sidebar off, to measure what it costs a page")
    parser.add_argument("--hotline", action="append", default=[], metavar="WORDS",
                        help="also measure the hotline searched for WORDS (repeat the option for several searches)")
    parser.add_argument("only", nargs="*", help="measure only the pages whose key contains one of these words")
    args = parser.parse_args()
    setup_django()
    if args.no_admin_sidebar:
        from django.contrib import admin

        admin.site.enable_nav_sidebar = False
    if args.misses:
        misses(args.misses, args.only)
        return

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from candidates.models import Candidate

    assert not settings.DEBUG
    call_command("collectstatic", verbosity=0, interactive=False)
    user = staff_user()
    selected = [p for p in pages() if not args.only or any(word in p["key"] for word in args.only)]
    hotline = reverse("staff:hotline_home")
    selected += [{"key": f"hotline_words_{i}", "label": f"Hotline search, « {words} »", "method": "get",
                  "path": f"{hotline}?{urlencode({'q': words})}", "data": None, "staff": True}
                 for i, words in enumerate(args.hotline)]
    count = Candidate.objects.count()
    load = os.getloadavg()
    print(f"{count:,} candidates; {args.runs} cold renders per page (test client, DEBUG=False); "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"| {'page':<44} | status  | median ms | min ms | queries |")
    print(f"|{'-' * 46}|---------|----------:|-------:|--------:|")
    results = []
    try:
        for page in selected:
            client = Client()  # one visitor per page: what a page leaves in the session does not leak into the next
            if page["staff"]:
                client.force_login(user)
            result = measure(page, client, args.runs)
            results.append({"key": page["key"], "label": page["label"]}
                           | {k: v for k, v in result.items() if k != "costliest"})
            print(f"| {page['label']:<44} | {result['status']:<7} | {result['median_ms']:9.1f} | "
                  f"{result['min_ms']:6.1f} | {result['queries']:7} |", flush=True)
            for ms, sql in result["costliest"][:args.queries]:
                print(f"    {ms:6.1f} ms  {sql[:300]}")
            if args.profile:
                profile(page, client, args.profile, args.profile_sort)
    finally:
        Candidate.objects.filter(email__endswith=f"@{SIGNUP_DOMAIN}").delete()
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"candidates": count, "pages": results}, indent=1))


if __name__ == "__main__":
    main()
