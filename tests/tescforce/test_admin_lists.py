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


def test_the_related_column_is_read_through_a_subquery_of_ids(coordinator):
    from django.contrib import admin
    from django.test import RequestFactory

    from companies.models import JobPosting

    request = RequestFactory().get("/admin/companies/jobposting/", {"q": "alpha"})
    request.user = coordinator
    model_admin = admin.site._registry[JobPosting]
    results, may_have_duplicates = model_admin.get_search_results(request, JobPosting.objects.all(), "alpha")
    sql = str(results.query)
    assert not may_have_duplicates
    assert '"companies_jobposting"."company_id" IN (SELECT' in sql and "JOIN" not in sql, sql
