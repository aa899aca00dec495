"""The public job board: filters, search, pagination, empty results, the job and company pages."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.models import JobPosting
from tests import factories

from .conftest import yesterday

pytestmark = pytest.mark.django_db

LANGS = ["fr", "en"]


def titles(response) -> list[str]:
    ids = list(response.context["page"].object_list)  # the board pages over ids (its cards are cached)
    by_id = JobPosting.objects.in_bulk(ids)
    return [by_id[pk].title for pk in ids]


@pytest.mark.parametrize("lang", LANGS)
def test_board_lists_open_postings_only(client, lang, posting_a, posting_b, draft_b, company_a):
    factories.JobPostingFactory(company=company_a, title="Offre expirée", closes_on=yesterday())
    factories.JobPostingFactory(company=company_a, title="Offre pourvue", status="filled")
    response = client.get(f"/{lang}/offres/")
    assert response.status_code == 200
    assert set(titles(response)) == {posting_a.title, posting_b.title}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("query", "expected"), [
    ("city=Montpellier", {"Développeuse Java"}),
    ("contract=cdd", {"Développeuse Java"}),
    ("remote=full", {"Développeuse Java"}),
    ("retraining=1", {"Développeur Python"}),
    ("company=alpha", {"Développeur Python"}),
    ("city=Toulouse&contract=cdi", {"Développeur Python"}),
])
def test_each_filter_narrows_the_list(client, lang, posting_a, posting_b, query, expected):
    response = client.get(f"/{lang}/offres/?{query}")
    assert response.status_code == 200
    assert set(titles(response)) == expected


@pytest.mark.parametrize("lang", LANGS)
def test_skill_filter_matches_required_and_nice_skills(client, lang, posting_a, posting_b, skill_python, skill_java):
    assert titles(client.get(f"/{lang}/offres/?skill={skill_python.pk}")) == [posting_a.title]
    assert titles(client.get(f"/{lang}/offres/?skill={skill_java.pk}")) == [posting_b.title]


def test_job_family_filter(client, posting_a, posting_b):
    other = factories.JobFamilyFactory(code="M1802", label="Expertise et support en systèmes d'information")
    posting_b.job_family = other
    posting_b.save()
    assert titles(client.get(f"/fr/offres/?job_family={other.pk}")) == [posting_b.title]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("text", "expected"), [
    ("Python", {"Développeur Python"}),  # title and skill
    ("Bêta", {"Développeuse Java"}),  # company name
    ("Java (test)", {"Développeuse Java"}),  # skill name
    ("équipe produit", {"Développeur Python", "Développeuse Java"}),  # description
])
def test_search_covers_title_company_skills_and_description(client, lang, posting_a, posting_b, text, expected):
    response = client.get(f"/{lang}/offres/", {"q": text})
    assert set(titles(response)) == expected


@pytest.mark.parametrize("lang", LANGS)
def test_empty_result_says_so_and_offers_to_widen(client, lang, posting_a, posting_b):
    response = client.get(f"/{lang}/offres/?city=Toulouse&contract=cdd&q=Python")
    body = response.content.decode()
    assert response.status_code == 200
    assert titles(response) == []
    message = "Aucune offre ne correspond" if lang == "fr" else "No job matches"
    assert message in body
    widen = {f["name"]: f["without"] for f in response.context["active_filters"]}
    assert set(widen) == {"city", "contract", "q"}
    assert "contract" not in widen["contract"] and "city=Toulouse" in widen["contract"]
    for link in widen.values():
        assert link.replace("&", "&amp;") in body
    # Dropping the contract finds the Toulouse Python posting.
    assert titles(client.get(f"/{lang}/offres/{widen['contract']}")) == [posting_a.title]


def test_empty_board_without_filters(client):
    response = client.get("/fr/offres/")
    assert "Aucune offre ne correspond" in response.content.decode()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("query", ["skill=999999", "skill=abc", "job_family=-1", "contract=permanent",
                                   "company=inconnue", "page=9999", "page=x", "remote=%00", "q=" + "x" * 3000,
                                   "q=%00", "company=%00", "city=%00", "skill=%00", "q=%27%22%3C%3E%26%7C%21"])
def test_bad_filter_values_give_messages_not_errors(client, lang, posting_a, query):
    response = client.get(f"/{lang}/offres/?{query}")
    assert response.status_code == 200


def test_unknown_skill_is_a_field_message(client, posting_a):
    response = client.get("/fr/offres/?skill=999999")
    assert "skill" in response.context["filter"].form.errors
    assert 'id="id_skill-error"' in response.content.decode()


def test_a_city_without_postings_left_gives_an_empty_list_not_an_error(client, posting_a):
    response = client.get("/fr/offres/?city=Albi")
    assert titles(response) == []
    assert not response.context["filter"].form.errors


def test_pagination_keeps_the_filters(client, company_a):
    for i in range(25):
        factories.JobPostingFactory(company=company_a, city="Toulouse", title=f"Offre {i:02d}")
    factories.JobPostingFactory(company=company_a, city="Albi", title="Offre Albi")
    response = client.get("/fr/offres/?city=Toulouse&contract=")
    assert len(titles(response)) == 20
    body = response.content.decode()
    assert response.context["querystring"] == "city=Toulouse"
    assert "?city=Toulouse&amp;page=2" in body
    second = client.get("/fr/offres/?city=Toulouse&page=2")
    assert len(titles(second)) == 5
    assert "Offre Albi" not in titles(second)


def test_filtered_url_is_shareable(client, posting_a, posting_b, skill_python):
    url = f"/en/offres/?city=Toulouse&skill={skill_python.pk}&retraining=1"
    first, again = client.get(url), client.get(url)
    assert titles(first) == [posting_a.title]
    assert 'value="Toulouse" selected' in first.content.decode()
    assert posting_a.title in again.content.decode() and posting_b.title not in again.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/fr/offres/", "/fr/offres/?city=Toulouse&q=Python", "/en/offres/?skill={skill}",
                                 "/fr/offres/?company=alpha&retraining=1&page=2"])
def test_board_query_count_does_not_grow_with_rows(client, company_a, skill_python, url):
    url = url.format(skill=skill_python.pk)

    def add(n):
        for _ in range(n):
            company = factories.CompanyFactory()
            posting = factories.JobPostingFactory(company=company_a if _ % 2 else company, city="Toulouse",
                                                  title="Développeur Python", open_to_retraining=True)
            posting.skills_required.add(skill_python, factories.SkillFactory())

    add(5)
    few = _queries(client, url)
    add(45)
    many = _queries(client, url)
    assert few == many
    assert many <= 12


def test_posting_page_shows_what_a_candidate_needs(client, posting_a, skill_python):
    body = client.get(f"/fr/offres/{posting_a.slug}/").content.decode()
    for text in (posting_a.title, "Alpha Numérique", "Toulouse", "CDI", "35\xa0000 à 42\xa0000 €", skill_python.name,
                 "Ouverte aux personnes en reconversion", "M1805", 'name="email"'):
        assert text in body


@pytest.mark.parametrize("lang", LANGS)
def test_posting_page_carries_job_posting_structured_data(client, lang, posting_a):
    posting_a.title = "Dev </script><script>alert(1)</script>"
    posting_a.save()
    body = client.get(f"/{lang}/offres/{posting_a.slug}/").content.decode()
    assert "<script>alert(1)" not in body
    raw = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', body, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "JobPosting"
    assert data["title"] == posting_a.title
    assert data["hiringOrganization"]["name"] == "Alpha Numérique"
    assert data["jobLocation"]["address"]["addressLocality"] == "Toulouse"
    assert data["baseSalary"]["value"]["minValue"] == 35000
    assert data["employmentType"] == "FULL_TIME"
    assert data["url"].endswith(f"/{lang}/offres/{posting_a.slug}/")


def test_draft_posting_is_not_public(client, draft_b):
    assert client.get(f"/fr/offres/{draft_b.slug}/").status_code == 404


def test_closed_posting_says_so_without_form_or_structured_data(client, posting_a):
    posting_a.status = JobPosting.Status.CLOSED
    posting_a.save()
    body = client.get(f"/fr/offres/{posting_a.slug}/").content.decode()
    assert "plus ouverte" in body
    assert 'name="email"' not in body and "ld+json" not in body


@pytest.mark.parametrize("lang", LANGS)
def test_company_page_lists_open_postings_and_use_cases(client, lang, company_a, posting_a, draft_b):
    company_a.description_en = "We build software."
    company_a.save()
    factories.JobPostingFactory(company=company_a, title="Ancienne offre", status="closed")
    use_case = factories.UseCaseFactory(title="Jumeau numérique")
    use_case.companies.add(company_a)
    factories.UseCaseFactory(title="Cas non publié", is_published=False).companies.add(company_a)
    response = client.get(f"/{lang}/entreprises/{company_a.slug}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert posting_a.title in body and "Jumeau numérique" in body
    assert "Ancienne offre" not in body and "Cas non publié" not in body
    if lang == "en":
        assert "We build software." in body


def test_unknown_company_is_404(client):
    assert client.get("/fr/entreprises/inconnue/").status_code == 404


@pytest.mark.parametrize(("lang", "message"), [("fr", "Entreprise inconnue"), ("en", "Unknown company")])
def test_unknown_company_filter_is_ignored_and_said(client, posting_a, posting_b, lang, message):
    response = client.get(f"/{lang}/offres/?company=inconnue")
    assert message in response.content.decode()
    assert len(titles(response)) == 2


def test_structured_data_carries_the_csp_nonce(client, posting_a):
    response = client.get(f"/fr/offres/{posting_a.slug}/")
    match = re.search(r'<script type="application/ld\+json" nonce="([^"]+)"', response.content.decode())
    policy = response.headers.get("Content-Security-Policy", "")
    if not policy:
        pytest.skip("no Content-Security-Policy configured")
    assert match and f"'nonce-{match.group(1)}'" in policy
