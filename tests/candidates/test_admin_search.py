"""The coordinators' candidate search: erased people are not found by name, and the index serves it."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory

from candidates import services
from candidates.models import Candidate
from tests import factories
from tests.plans import fresh_indexes, living_crowd

pytestmark = pytest.mark.django_db


def test_a_search_never_lists_an_erased_person_but_the_erased_filter_still_does(client_for, coordinator):
    kept = factories.CandidateFactory(first_name="Hélène", last_name="Roques", email="helene@example.org")
    gone = factories.CandidateFactory(first_name="Hélène", last_name="Roques", email="h.roques@example.org")
    services.candidate_erase(candidate=gone)
    client = client_for(coordinator)
    found = client.get("/admin/candidates/candidate/", {"q": "anonymised"}).context["cl"].result_list
    assert list(found) == []
    found = client.get("/admin/candidates/candidate/", {"q": "roques"}).context["cl"].result_list
    assert list(found) == [kept]
    erased = client.get("/admin/candidates/candidate/", {"anonymised": "yes"}).context["cl"].result_list
    assert list(erased) == [gone]


@pytest.mark.postgres
def test_the_search_reads_the_trigram_index(coordinator):
    factories.CandidateFactory(last_name="Roques")
    living_crowd()
    fresh_indexes()
    request = RequestFactory().get("/admin/candidates/candidate/", {"q": "roques"})
    request.user = coordinator
    model_admin = admin.site._registry[Candidate]
    results, _ = model_admin.get_search_results(request, model_admin.get_queryset(request), "roques")
    with connection.cursor() as cursor:
        # On a small table the planner reads it whole, or walks another index filtering as it goes: forbid
        # both to see which index the search itself can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    # The filter's plan (the page adds its order and limit; on a small table an ordered index scan wins).
    plan = results.order_by().explain()
    assert "candidate_search_trgm_idx" in plan, plan
