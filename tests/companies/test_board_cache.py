"""The rendered board is cached per URL and language, and dropped as soon as what it shows changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.services import job_posting_publish, job_posting_set_status
from tests import factories

pytestmark = pytest.mark.django_db


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_second_visit_is_served_from_the_cache(client, posting_a):
    first, body = queries(client, "/fr/offres/?city=Toulouse")
    second, again = queries(client, "/fr/offres/?city=Toulouse")
    assert second < first
    assert second <= 1
    assert posting_a.title in again


def test_languages_are_cached_apart(client, posting_a):
    client.get("/fr/offres/")
    assert "Digital jobs in Occitanie" in client.get("/en/offres/").content.decode()


def test_publishing_shows_at_once(client, company_a, recruiter_a):
    draft = factories.JobPostingFactory(company=company_a, title="Architecte cloud", status="draft",
                                        published_at=None)
    assert "Architecte cloud" not in client.get("/fr/offres/").content.decode()
    job_posting_publish(posting=draft, by=recruiter_a)
    assert "Architecte cloud" in client.get("/fr/offres/").content.decode()


def test_closing_hides_at_once(client, posting_a, recruiter_a):
    assert posting_a.title in client.get("/fr/offres/").content.decode()
    job_posting_set_status(posting=posting_a, status="closed", by=recruiter_a)
    assert posting_a.title not in client.get("/fr/offres/").content.decode()


def test_company_rename_and_skill_change_show_at_once(client, posting_a, skill_java):
    client.get("/fr/offres/")
    company = posting_a.company
    company.name = "Alpha Renommée"
    company.save()
    assert "Alpha Renommée" in client.get("/fr/offres/").content.decode()
    posting_a.skills_required.add(skill_java)
    assert skill_java.name in client.get("/fr/offres/").content.decode()


def test_page_around_the_cached_board_is_rendered_per_visitor(client, posting_a):
    from django.test import Client

    client.get("/fr/offres/")
    other = Client()
    body = other.get("/fr/offres/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in body  # the language switch keeps its own token
    assert "csrftoken" in other.cookies


def test_board_works_when_the_cache_is_down(client, posting_a, monkeypatch, caplog):
    from tescforce import page_cache

    class Unreachable:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache down")

            return fail

    monkeypatch.setattr(page_cache, "cache", Unreachable())
    assert posting_a.title in client.get("/fr/offres/").content.decode()
    posting_a.title = "Titre modifié"
    posting_a.save()  # the version cannot move: the save still succeeds
    assert "Titre modifié" in client.get("/fr/offres/").content.decode()
    assert "page cache" in caplog.text


def test_filter_choices_are_read_once_per_version_of_the_data(client, posting_a, company_a):
    client.get("/fr/offres/?city=Toulouse")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/fr/offres/?contract=cdi").status_code == 200  # another list: rendered afresh
    reads = [q["sql"] for q in ctx.captured_queries]
    assert not [sql for sql in reads if "DISTINCT" in sql or ' FROM "companies_jobfamily"' in sql
                or (' FROM "companies_skill"' in sql and "WHERE" not in sql)], reads
    factories.JobPostingFactory(company=company_a, title="Data analyst", city="Rodez")
    board = client.get("/fr/offres/?contract=cdd").content.decode()
    assert '<option value="Rodez">Rodez</option>' in board


def _card_reads(captured) -> list[str]:
    # The card query reads the postings with their company (the list itself reads ids only).
    return [q["sql"] for q in captured if 'INNER JOIN "companies_company"' in q["sql"]]


def test_a_list_never_requested_shows_the_cards_other_lists_rendered(client, posting_a, posting_b):
    first = client.get("/fr/offres/").content.decode()
    with CaptureQueriesContext(connection) as ctx:
        other = client.get("/fr/offres/?city=Toulouse").content.decode()
    assert not _card_reads(ctx.captured_queries)  # a new URL, yet its one card comes from the cache
    cards = [part.split("</li>")[0] for part in first.split('<li class="card mb-3">')[1:]]
    card = next(card for card in cards if posting_a.title in card)
    assert card in other
    assert posting_b.title not in other


def test_cards_are_cached_per_language_and_rendered_again_after_a_change(client, posting_a):
    client.get("/fr/offres/")
    english = client.get("/en/offres/?contract=cdi").content.decode()
    assert "Published on" in english and "Publiée le" not in english
    posting_a.title = "Développeur Python senior"
    posting_a.save()
    # Another URL than before the change: its card must not be the one rendered before either.
    assert "Développeur Python senior" in client.get("/fr/offres/?city=Toulouse").content.decode()
    company = posting_a.company
    company.name = "Alpha Renommée"
    company.save()
    assert "Alpha Renommée" in client.get("/fr/offres/?company=alpha").content.decode()


def test_a_job_page_miss_reads_the_posting_s_skills_once(client, posting_a):
    # The page's text and its structured data (JSON-LD) both list the skills; one read serves both.
    skill = posting_a.skills_required.get()
    posting_a.skills_nice.add(factories.SkillFactory(name="Zig", slug="zig"))
    count, body = queries(client, f"/fr/offres/{posting_a.slug}/")
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/fr/offres/{posting_a.slug}/")
    assert len(ctx.captured_queries) < count  # the second visit is a hit
    assert body.count(skill.name) >= 2 and f'"skills": "{skill.name}, Zig"' in body
    misses = [q["sql"] for q in queries_of_a_miss(client, f"/en/offres/{posting_a.slug}/")]
    skill_reads = [sql for sql in misses if ' FROM "companies_skill"' in sql]
    assert len(skill_reads) == 2, skill_reads  # required and nice-to-have, once each


def queries_of_a_miss(client, url) -> list[dict]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return ctx.captured_queries
