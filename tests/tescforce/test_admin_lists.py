"""Admin lists at size: deep pages read their ids first, related columns are searched through ids."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidates.admin import CandidateAdmin
from candidates.models import Candidate
from tescforce.admin_mixins import DeferredJoinPaginator
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_people():
    return factories.CandidateFactory.create_batch(7)


def test_every_page_holds_the_rows_of_a_plain_offset(seven_people, monkeypatch):
    monkeypatch.setattr(DeferredJoinPaginator, "DEFERRED_FROM", 0)
    queryset = Candidate.objects.order_by("-created_at", "-pk")
    plain, deferred = Paginator(queryset, 2, orphans=1), DeferredJoinPaginator(queryset, 2, orphans=1)
    assert deferred.num_pages == plain.num_pages == 3
    for number in plain.page_range:
        page = deferred.page(number)
        assert list(page.object_list) == list(plain.page(number).object_list)
        assert page.object_list.model is Candidate  # a queryset, as the admin's editable lists need


def test_the_coordinator_s_deep_page_reads_ids_then_rows(client_for, coordinator, seven_people, monkeypatch):
    monkeypatch.setattr(DeferredJoinPaginator, "DEFERRED_FROM", 0)
    monkeypatch.setattr(CandidateAdmin, "list_per_page", 3)
    client = client_for(coordinator)
    first = list(client.get("/admin/candidates/candidate/").context["cl"].result_list)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/candidates/candidate/", {"p": 2})
    second = list(response.context["cl"].result_list)
    expected = list(Candidate.objects.order_by("-created_at", "-pk"))
    assert first + second == expected[:6]
    ids_only = [q["sql"] for q in queries if q["sql"].startswith('SELECT "candidates_candidate"."id" AS "pk"')]
    assert len(ids_only) == 1 and "OFFSET 3" in ids_only[0], ids_only


def _search(client, url, query):
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return sorted(obj.pk for obj in response.context["cl"].result_list)


def test_a_related_column_is_searched_through_ids_with_the_same_results(client_for, coordinator):
    # Django's search: every word in one of the fields; here the company's name goes through a subquery.
    alpha = factories.CompanyFactory(name="Alpha Numérique", city="Albi")
    beta = factories.CompanyFactory(name="Beta Logiciels", city="Rodez")
    django_dev = factories.JobPostingFactory(company=alpha, title="Développeur Django", city="Toulouse")
    sap = factories.JobPostingFactory(company=beta, title="Consultant SAP", city="Albi")
    client = client_for(coordinator)
    url = "/admin/companies/jobposting/"
    assert _search(client, url, "alpha") == [django_dev.pk]
    assert _search(client, url, "alpha django") == [django_dev.pk]
    assert _search(client, url, "albi") == [sap.pk]  # the posting's city, not the company's
    assert _search(client, url, '"beta logiciels" sap') == [sap.pk]
    assert _search(client, url, "alpha sap") == []


def test_a_search_across_a_many_valued_relation_lists_each_row_once(client_for, coordinator):
    from prospecting.models import ProspectContact

    prospect = factories.ProspectFactory(name="Nova Robotics")
    for name in ("Ana Nova", "Ben Nova"):
        ProspectContact.objects.create(prospect=prospect, name=name, email=f"{name.split()[0].lower()}@nova.example")
    assert _search(client_for(coordinator), "/admin/prospecting/prospect/", "nova") == [prospect.pk]


def _search_sql(coordinator, model, query):
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/", {"q": query})
    request.user = coordinator
    results, may_have_duplicates = admin.site.get_model_admin(model).get_search_results(
        request, model.objects.all(), query)
    assert not may_have_duplicates
    return results


def test_the_related_rows_found_are_passed_as_ids_when_few_and_as_a_subquery_when_many(coordinator, monkeypatch):
    from companies.models import JobPosting
    from tescforce import admin_mixins

    alpha = factories.CompanyFactory(name="Alpha Numérique")
    other = factories.CompanyFactory(name="Alphabet Conseil")
    factories.CompanyFactory(name="Beta Logiciels")
    few = str(_search_sql(coordinator, JobPosting, "alpha").query)
    assert "JOIN" not in few and "(SELECT" not in few, few
    assert f'"companies_jobposting"."company_id" IN ({alpha.pk}, {other.pk})' in few, few

    monkeypatch.setattr(admin_mixins, "RELATED_IDS_READ_FIRST", 1)
    many = _search_sql(coordinator, JobPosting, "alpha")
    assert '"companies_jobposting"."company_id" IN (SELECT' in str(many.query) and "JOIN" not in str(many.query)
    posting = factories.JobPostingFactory(company=other, title="Chef de projet", city="Albi")
    assert list(many) == [posting]  # either way, the same rows


@pytest.mark.postgres
@pytest.mark.parametrize(("model_path", "query", "indexes", "foreign_key"), [
    ("prospecting.Meeting", "nova", {"meeting_place_upper_trgm_idx", "meeting_notes_upper_trgm_idx",
                                     "meeting_next_step_upper_trgm_idx"}, "prospect_id"),
    ("companies.JobPosting", "python", {"posting_title_upper_trgm_idx", "posting_city_upper_trgm_idx"}, "company_id"),
])
def test_the_admin_search_can_find_its_rows_through_indexes_alone(coordinator, model_path, query, indexes,
                                                                   foreign_key):
    # The trigram indexes serve only if their expression is the SQL Django writes for `icontains`; with the
    # sequential scan ruled out, the plan shows which indexes the search can go through.
    from django.apps import apps

    model = apps.get_model(model_path)
    factories.ProspectFactory(name="Nova Robotics")
    factories.CompanyFactory(name="Python Factory")
    # The list's count: the rows found, in no order (the page adds its sort to the same condition).
    sql, params = _search_sql(coordinator, model, query).order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "Seq Scan" not in plan and "BitmapOr" in plan, plan
    assert all(index in plan for index in indexes), plan
    assert f"Index Cond: ({foreign_key} = " in plan, plan  # the related rows found, as ids


@pytest.mark.parametrize(("path", "table", "make", "word"), [
    ("/admin/companies/jobposting/", "companies_jobposting",
     lambda: factories.JobPostingFactory(title="Développeuse Python"), "python"),
    ("/admin/prospecting/prospect/", "prospecting_prospect", lambda: factories.ProspectFactory(name="Cognitus"),
     "cognitus"),
    ("/admin/prospecting/meeting/", "prospecting_meeting",
     lambda: factories.MeetingFactory(prospect=factories.ProspectFactory(name="Ubiik")), "ubiik"),
])
def test_a_long_list_counts_its_rows_once(client_for, coordinator, path, table, make, word):
    """Searched or not, a long list counts the rows it shows, not every row again for « (N au total) »."""
    make()
    client = client_for(coordinator)
    for params in ({}, {"q": word}):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, params)
        assert response.status_code == 200
        counts = [q["sql"] for q in queries.captured_queries
                  if q["sql"].startswith("SELECT COUNT(") and f'FROM "{table}"' in q["sql"]]
        assert len(counts) == 1, counts
        assert "1 " in response.content.decode().split('class="paginator"')[1][:200]


@pytest.mark.parametrize("lang, show_all", [("fr", "Tout afficher"), ("en", "Show all")])
def test_show_all_is_offered_only_when_a_search_or_a_filter_narrows_the_list(client_for, coordinator, seven_people,
                                                                           lang, show_all):
    seven_people[0].last_name = "Roquebrune"
    seven_people[0].save()
    client = client_for(coordinator)
    client.cookies["django_language"] = lang

    def line(params):
        return client.get("/admin/candidates/candidate/", params).content.decode()

    assert show_all not in line({})  # the whole list is on screen already
    searched = line({"q": "roquebrune"})
    assert show_all in searched and ("1 résultat" if lang == "fr" else "1 result") in searched
    assert show_all in line({"stage__exact": "registered"})
