"""Deep admin pages read their ids first: same rows, same order as a plain OFFSET, still a queryset."""

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
