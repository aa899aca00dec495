"""Full-text search with French stemming on PostgreSQL."""

import pytest
from django.db import connection

from companies import search
from companies.models import JobPosting
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def titles(response) -> list[str]:
    ids = list(response.context["page"].object_list)  # the board pages over ids (its cards are cached)
    by_id = JobPosting.objects.in_bulk(ids)
    return [by_id[pk].title for pk in ids]


@pytest.fixture
def postings(company_a, company_b, skill_python):
    dev = factories.JobPostingFactory(company=company_a, title="Développeur back-end",
                                      description="Vous développerez des applications métiers.")
    dev.skills_required.add(skill_python)
    secu = factories.JobPostingFactory(company=company_b, title="Analyste cybersécurité",
                                       description="Surveillance des systèmes et réponse aux incidents.")
    return dev, secu


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("text", "expected"), [
    ("développeurs", {"Développeur back-end"}),  # plural → same stem
    ("developpeur", {"Développeur back-end"}),  # accents folded
    ("DÉVELOPPEUR", {"Développeur back-end"}),
    ("application", {"Développeur back-end"}),  # description, singular for plural
    ("cybersecurite", {"Analyste cybersécurité"}),
    ("incident", {"Analyste cybersécurité"}),
    ("python", {"Développeur back-end"}),  # skill name
    ("logiciels", {"Analyste cybersécurité"}),  # company name "Bêta Logiciels"
    ("développeur -python", set()),  # websearch syntax: exclusion
    ('"réponse aux incidents"', {"Analyste cybersécurité"}),  # phrase
])
def test_french_full_text_search(client, postings, lang, text, expected):
    response = client.get(f"/{lang}/offres/", {"q": text})
    assert set(titles(response)) == expected


def test_title_matches_rank_above_description_matches(client, company_a):
    factories.JobPostingFactory(company=company_a, title="Chef de projet",
                                description="Travail avec un développeur embarqué.", slug="chef")
    factories.JobPostingFactory(company=company_a, title="Développeur embarqué", description="C et Rust.",
                                slug="dev-embarque")
    assert titles(client.get("/fr/offres/", {"q": "développeur"}))[0] == "Développeur embarqué"


def test_vector_follows_company_and_skill_renames(client, postings, company_a, skill_python):
    company_a.name = "Zeta Quantique"
    company_a.save()
    assert titles(client.get("/fr/offres/", {"q": "quantique"})) == ["Développeur back-end"]
    skill_python.name = "Serpentologie"
    skill_python.save()
    assert titles(client.get("/fr/offres/", {"q": "serpentologie"})) == ["Développeur back-end"]
    postings[0].skills_required.clear()
    assert titles(client.get("/fr/offres/", {"q": "serpentologie"})) == []


def test_bulk_loaded_postings_become_searchable_after_refresh_all(client, company_a):
    family = factories.JobFamilyFactory()
    JobPosting.objects.bulk_create([
        JobPosting(company=company_a, job_family=family, title=f"Testeur logiciel {i}", slug=f"testeur-{i}",
                   description="Tests automatisés.", contract="cdi", city="Albi", status="published",
                   published_at="2026-01-01T10:00:00Z") for i in range(3)])
    assert titles(client.get("/fr/offres/", {"q": "testeurs"})) == []
    assert search.refresh_all() >= 3
    assert len(titles(client.get("/fr/offres/", {"q": "testeurs"}))) == 3


def test_search_uses_the_gin_index(postings):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'posting_search_gin'")
        assert "gin (search_vector)" in cursor.fetchone()[0]
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM companies_jobposting WHERE search_vector @@ websearch_to_tsquery('french', 'dev')")
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "posting_search_gin" in plan
