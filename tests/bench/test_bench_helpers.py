"""The benchmark's pure helpers: drawing URLs (bench/mix.py) and reading answers and figures (bench/http_load.py)."""

import random
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import http_load  # noqa: E402 - bench/ is not a package
import mix  # noqa: E402
import pages  # noqa: E402
import run  # noqa: E402

BOARD = {"fr": "/fr/offres/", "en": "/en/offres/"}
CHOICES = {"q": ["python", "réseau"], "city": ["Toulouse", "Albi"], "contract": ["cdi"]}


def test_list_urls_sort_their_parameters_and_stay_within_the_pages_there_are():
    rng = random.Random(4)
    urls = mix.distinct(lambda: mix.list_url(rng, BOARD, CHOICES, {"q": 0.5, "city": 0.5, "contract": 0.5},
                                             lambda params: 7 if "city" in params else 1), 60)
    assert len(set(urls)) == len(urls) > 10
    assert {url.split("?")[0] for url in urls} == set(BOARD.values())
    for url in urls:
        query = urlparse(url).query
        names = [pair.split("=")[0] for pair in query.split("&")] if query else []
        assert names == sorted(names)
        params = parse_qs(query)
        if "page" in params:
            assert "city" in params and 2 <= int(params["page"][0]) <= 7


def test_detail_urls_give_each_value_in_both_languages():
    patterns = {"fr": "/fr/offres/{}/", "en": "/en/offres/{}/"}
    assert mix.detail_urls(patterns, ["a", "b"]) == ["/fr/offres/a/", "/en/offres/a/", "/fr/offres/b/",
                                                     "/en/offres/b/"]


def test_split_keeps_every_url_once():
    few, many = mix.split(list(range(10)), (0.25, 0.75))
    assert few + many == list(range(10)) and len(few) == 2


def test_a_response_is_read_with_a_length_chunked_or_until_closed():
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: csrftoken=abc; Path=/\r\n\r\n"
    response = http_load.Response()
    assert not response.feed(head + b"he")
    assert response.feed(b"llo") and response.body == b"hello" and response.keep_alive
    assert response.cookies == ["csrftoken=abc"]

    chunked = http_load.Response()
    assert chunked.feed(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
    assert chunked.body == b"abcde"

    closing = http_load.Response()
    assert not closing.feed(b"HTTP/1.1 302 Found\r\nConnection: close\r\n\r\nbody")
    assert closing.feed(b"") and closing.body == b"body" and not closing.keep_alive and closing.status == 302


def test_a_form_posts_its_fields_with_the_token_and_cookie_of_its_page():
    flow = http_load.steps(http_load.Form("/fr/inscription/", (("email", "a@example.org"),)), 8000)
    label, request, _ = flow.send(None)
    assert label == "form" and request.startswith(b"GET /fr/inscription/ HTTP/1.1\r\n")
    page = http_load.Response()
    page.feed(b'HTTP/1.1 200 OK\r\nSet-Cookie: csrftoken=xyz; Secure\r\nContent-Length: 51\r\n\r\n'
              b'<input name="csrfmiddlewaretoken" value="tok123">  ')
    label, request, expect = flow.send(page)
    assert label == "post" and expect == (302,)
    assert b"Cookie: csrftoken=xyz\r\n" in request
    assert request.endswith(b"email=a%40example.org&csrfmiddlewaretoken=tok123")


def test_figures_merge_the_processes_and_count_errors_apart():
    one = http_load.Outcome(times={"get": [0.010, 0.030]}, errors={"get": 1}, statuses={200: 1, 500: 1},
                            cpu_seconds=0.5, elapsed=2.0)
    two = http_load.Outcome(times={"get": [0.020, 0.040]}, statuses={200: 2}, cpu_seconds=0.25, elapsed=1.9)
    summary = http_load.summarise(http_load.merge([one, two]))
    assert summary["labels"]["get"] == {"requests": 4, "errors": 1, "rps": 2.0, "median_ms": 20.0, "p95_ms": 40.0,
                                        "p99_ms": 40.0}
    assert summary["statuses"] == {"200": 3, "500": 1} and summary["generator_cpu_seconds"] == 0.75
    assert http_load.shares([1, 2, 3, 4, 5], 2) == [[1, 3, 5], [2, 4]]


def test_the_tables_a_page_reads_leave_out_sessions_and_accounts():
    statements = [
        'SELECT "django_session"."data" FROM "django_session" WHERE 1',
        'SELECT 1 FROM "auth_user" INNER JOIN "auth_user_groups" ON (1)',
        'SELECT COUNT(*) FROM "candidates_candidate" LEFT OUTER JOIN "candidates_campaign" ON (1)',
        'SELECT 1 FROM "companies_jobposting" WHERE "id" IN (SELECT U0."id" FROM "companies_company" U0)',
    ]
    assert pages.tables_read(statements) == ["candidates_campaign", "candidates_candidate", "companies_company",
                                             "companies_jobposting"]


def test_the_tables_about_candidates_come_from_the_models():
    tables = pages.candidate_tables()
    assert {"candidates_candidate", "candidates_candidate_skills", "candidates_stagechange", "events_registration",
            "candidates_match", "partners_referral", "tescforce_historicalcandidate"} <= tables
    assert not {"companies_jobposting", "events_session", "showroom_usecase"} & tables


def test_a_misspelt_name_is_one_mistake_away_and_keeps_its_first_letter():
    rng = random.Random(4)
    for name in ["Roques", "Lefebvre", "Dupont", "Nguyen", "Barre"] * 20:
        word, typo = name.lower(), run.misspelt(name, rng)
        assert typo != word and typo[0] == word[0]
        dropped = len(typo) == len(word) - 1 and any(word[:i] + word[i + 1:] == typo for i in range(len(word)))
        swapped = len(typo) == len(word) and sorted(typo) == sorted(word)
        changed = any(typo.startswith(word[:i]) and typo.endswith(word[i + 1:]) and len(typo) - len(word) in (0, 1)
                      for i in range(1, len(word)))
        assert dropped or swapped or changed, (name, typo)
    assert run.misspelt("Li", rng) == "li"  # too short to hear wrong
