"""The admin lists of rows about a person search that person through candidates' own search (the index)."""

import datetime as dt

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from candidates import admin_search, services
from candidates.models import JobInterest
from events.models import Registration
from hotline.models import HotlineCall
from tests import factories
from tests.plans import fresh_indexes, living_crowd

pytestmark = pytest.mark.django_db
REGISTRATIONS = "/admin/events/registration/"


@pytest.fixture
def two_bookings():
    helene = factories.CandidateFactory(first_name="Hélène", last_name="Roques", email="h.roques@example.org",
                                        phone="+33612345678")
    paul = factories.CandidateFactory(first_name="Paul", last_name="Martin", email="paul@example.org")
    albi = factories.SessionFactory(title="Job dating Albi")
    atelier = factories.SessionFactory(title="Atelier CV")
    return (Registration.objects.create(candidate=helene, session=albi),
            Registration.objects.create(candidate=paul, session=atelier))


def _found(client, url, query):
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_a_booking_is_found_by_the_person_whatever_the_accents_or_by_the_session(client_for, coordinator,
                                                                                 two_bookings):
    helene, paul = two_bookings
    client = client_for(coordinator)
    assert _found(client, REGISTRATIONS, "helene") == [helene]
    assert _found(client, REGISTRATIONS, "HÉLÈNE roques") == [helene]
    assert _found(client, REGISTRATIONS, "h.roques@example") == [helene]
    assert _found(client, REGISTRATIONS, "albi") == [helene]
    assert _found(client, REGISTRATIONS, "atelier cv") == [paul]
    assert _found(client, REGISTRATIONS, "roques atelier") == []
    # Too short for the index: Django's own search, as before.
    assert _found(client, REGISTRATIONS, "Pa") == [paul]


def test_a_searched_bookings_list_counts_the_bookings_once(client_for, coordinator, two_bookings):
    """Only the rows found are counted: not every booking as well (a second COUNT over them all)."""
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(REGISTRATIONS, {"q": "albi"})
    counts = [q["sql"] for q in queries.captured_queries
              if q["sql"].startswith("SELECT COUNT(") and '"events_registration"' in q["sql"]]
    assert len(counts) == 1 and " WHERE " in counts[0]
    assert "1 résultat" in response.content.decode()


def test_an_erased_person_s_bookings_are_not_found_by_their_former_name(client_for, coordinator, two_bookings):
    helene, _ = two_bookings
    services.candidate_erase(candidate=helene.candidate)
    assert _found(client_for(coordinator), REGISTRATIONS, "roques") == []


def test_digits_find_a_person_by_phone_only_where_the_list_shows_phones(client_for, recruiter_a, company_a):
    person = factories.CandidateFactory(first_name="Inès", last_name="Vidal", phone="+33699887766",
                                        shown_to_recruiters=True)
    JobInterest.objects.create(candidate=person, posting=factories.JobPostingFactory(company=company_a),
                               confirmed_at=dt.datetime.now(dt.UTC))
    client = client_for(recruiter_a)
    assert [i.candidate for i in _found(client, "/admin/candidates/jobinterest/", "ines vidal")] == [person]
    # The interests list shows no phone: its search must not answer whether a number is this person's.
    for query in ("06 99 88 77 66", "0699887766", "vidal 0699887766"):
        assert _found(client, "/admin/candidates/jobinterest/", query) == [], query


def test_the_hotline_finds_a_call_by_the_caller_or_by_the_person(client_for, hotline_agent):
    person = factories.CandidateFactory(first_name="Éloïse", last_name="Garcia")
    by_person = HotlineCall.objects.create(candidate=person, caller_name="", topic="relocation", summary="x",
                                           logged_by=hotline_agent)
    by_caller = HotlineCall.objects.create(caller_name="Jérôme Petit", caller_contact="06 11 22 33 44",
                                           topic="relocation", summary="y", logged_by=hotline_agent)
    client = client_for(hotline_agent)
    assert _found(client, "/admin/hotline/hotlinecall/", "eloise") == [by_person]
    assert _found(client, "/admin/hotline/hotlinecall/", "Jérôme") == [by_caller]


def _searched(coordinator, query):
    request = RequestFactory().get(REGISTRATIONS, {"q": query})
    request.user = coordinator
    model_admin = admin.site._registry[Registration]
    with CaptureQueriesContext(connection) as queries:
        results, may_have_duplicates = model_admin.get_search_results(
            request, model_admin.get_queryset(request), query)
    assert not may_have_duplicates
    return results, [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("few_people", [admin_search.FEW_PEOPLE, 1])
def test_the_people_found_are_the_same_as_a_list_or_as_a_subquery(coordinator, two_bookings, monkeypatch,
                                                                  few_people):
    helene, paul = two_bookings
    namesake = Registration.objects.create(
        candidate=factories.CandidateFactory(first_name="Marc", last_name="Roquès", email="m.roques@example.org"),
        session=helene.session)
    monkeypatch.setattr(admin_search, "FEW_PEOPLE", few_people)
    results, queries = _searched(coordinator, "roques")
    assert set(results) == {helene, namesake}
    # The people's ids read once, whichever way they go to the list's query.
    assert sum('FROM "candidates_candidate"' in sql for sql in queries) == 1
    assert set(_searched(coordinator, "example.org")[0]) == {helene, paul, namesake}


@pytest.mark.postgres
@pytest.mark.parametrize("few_people", [admin_search.FEW_PEOPLE, 0])
def test_the_bookings_search_reads_the_candidates_trigram_index(coordinator, two_bookings, monkeypatch, few_people):
    living_crowd()
    fresh_indexes()
    monkeypatch.setattr(admin_search, "FEW_PEOPLE", few_people)
    results, queries = _searched(coordinator, "roques")
    # The people are read apart when they are few, else within the list's query.
    people, params = (queries[0], None) if few_people else results.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + people, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "candidate_search_trgm_idx" in plan, plan
