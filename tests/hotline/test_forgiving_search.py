"""The hotline's caller search forgives: misspelt names, callers not registered yet, call-back requests."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.models import Candidate
from candidates.search import _search_text, normalise_query
from hotline import selectors
from hotline.models import CallbackRequest, HotlineCall
from tescforce.text import fold, strict_word_similarity

from .. import factories
from ..plans import fresh_indexes, living_crowd

HOME = "/pilotage/hotline/"


@pytest.fixture
def people(db):
    return {
        "roques": factories.CandidateFactory(first_name="Marie", last_name="Roques", email="m.roques@example.org",
                                             phone="+33611111111"),
        "rokes": factories.CandidateFactory(first_name="Jean", last_name="Rokes", email="jean@example.org",
                                            phone="+33622222222"),
        "haddad": factories.CandidateFactory(first_name="Karim", last_name="Haddad", email="k.h@example.org",
                                             phone="+33633333333"),
        "erased": factories.CandidateFactory(first_name="Paul", last_name="Roques", email="erased@example.org",
                                             phone="+33644444444", anonymised_at=timezone.now()),
        "other": factories.CandidateFactory(first_name="Lucie", last_name="Bonnafous", email="lucie@example.org",
                                            phone="+33655555555"),
    }


def _found(query: str) -> list[int]:
    return [c.pk for c in selectors.caller_search(query=query)]


@pytest.mark.django_db
def test_a_misspelt_name_still_finds_the_person_ranked_below_exact_matches(people):
    assert _found("Rokes") == [people["rokes"].pk, people["roques"].pk]  # the exact name first
    assert _found("hadad") == [people["haddad"].pk]
    assert _found("karim hadad") == [people["haddad"].pk]
    assert _found("Roques") == [people["roques"].pk, people["rokes"].pk]
    assert _found("Bonafou") == [people["other"].pk]
    assert _found("zzzz") == []
    assert _found("exemple") == []  # close to every "example.org" address, but addresses are not compared loosely
    close = {c.pk: getattr(c, "close_match", False) for c in selectors.caller_search(query="Rokes")}
    assert close == {people["rokes"].pk: False, people["roques"].pk: True}


@pytest.mark.django_db
def test_the_search_never_returns_an_erased_person(people):
    for query in ("Roques", "Rokes", "Paul Roques", "paul rokes", "06 44 44 44 44", "erased@example.org"):
        assert people["erased"].pk not in _found(query), query


@pytest.mark.django_db
def test_the_page_marks_close_names_and_lists_exact_ones_first(client_for, hotline_agent, people):
    html = client_for(hotline_agent).get(HOME, {"q": "rokes"}).content.decode()
    assert html.index("Jean Rokes") < html.index("Marie Roques")
    assert html.count("nom proche") == 1
    html = client_for(hotline_agent).get(HOME, {"q": "rokes"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "similar name" in html


@pytest.fixture
def unregistered(hotline_agent):
    call = HotlineCall.objects.create(caller_name="Nadia Haddad", caller_contact="06 12 34 56 78",
                                      topic=HotlineCall.Topic.JOB_SEARCH, summary="Cherche un poste de testeuse.",
                                      logged_by=hotline_agent)
    by_mail = HotlineCall.objects.create(caller_name="Yves Castan", caller_contact="Yves.Castan@Example.org",
                                         topic=HotlineCall.Topic.TRAINING, summary="Reconversion.")
    waiting = CallbackRequest.objects.create(name="Sofia Ferreira", phone="+33698765432", email="sofia@example.org",
                                             topic=HotlineCall.Topic.SESSION)
    handled = CallbackRequest.objects.create(name="Léo Ferreira", email="leo.f@example.org",
                                             topic=HotlineCall.Topic.OTHER, handled_at=timezone.now())
    return {"call": call, "by_mail": by_mail, "waiting": waiting, "handled": handled}


@pytest.mark.django_db
def test_callers_not_registered_are_found_by_name_phone_or_email(unregistered):
    call, by_mail = unregistered["call"], unregistered["by_mail"]
    for query in ("Nadia Haddad", "hadad", "+33 6 12 34 56 78", "0612345678", "34 56"):
        assert [c.pk for c in selectors.unregistered_caller_search(query=query)] == [call.pk], query
    for query in ("castan", "yves.castan@example", "Kastan"):
        assert [c.pk for c in selectors.unregistered_caller_search(query=query)] == [by_mail.pk], query


@pytest.mark.postgres
@pytest.mark.django_db
def test_callers_not_registered_are_found_through_their_trigram_indexes_on_postgresql(unregistered, people):
    known = HotlineCall.objects.create(candidate=people["roques"], caller_name="Hélène Haddad", topic="other",
                                       summary="Appel")
    accented = HotlineCall.objects.create(caller_name="Hélène Dubœuf", caller_contact="06 22 33 44 55",
                                          topic="other", summary="Appel")
    # Enough other callers that reading every unregistered call costs more than the trigram indexes.
    HotlineCall.objects.bulk_create(HotlineCall(caller_name=f"Appelant {n}", caller_key=f"0700{n:06d}",
                                                topic="other", summary="Appel") for n in range(2000))
    fresh_indexes("candidates_hotlinecall")
    # Accents and case folded as on SQLite; a call of a registered person stays with that person.
    assert [c.pk for c in selectors.unregistered_caller_search(query="HELENE duboeuf")] == [accented.pk]
    assert known.pk not in [c.pk for c in selectors.unregistered_caller_search(query="haddad")]
    # "hadad" is close to a name only, "haddad 0612" held as typed: each through its own index.
    for query, index in (("hadad", "call_caller_name_trgm_idx"), ("haddad 0612", "call_caller_search_trgm_idx")):
        with transaction.atomic(), connection.cursor() as cursor:
            # A tiny table is read whole otherwise; forbid that to prove the indexes can answer.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            with CaptureQueriesContext(connection) as queries:
                found = selectors.unregistered_caller_search(query=query)
            [search] = [q["sql"] for q in queries if q["sql"].startswith('SELECT "candidates_hotlinecall"')]
            cursor.execute("EXPLAIN " + search)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert [c.pk for c in found] == [unregistered["call"].pk], query
        assert index in plan, plan


@pytest.mark.django_db
def test_callback_requests_are_found_by_name_phone_or_email_waiting_first(unregistered):
    waiting, handled = unregistered["waiting"], unregistered["handled"]
    assert [r.pk for r in selectors.callback_request_search(query="ferreira")] == [waiting.pk, handled.pk]
    assert [r.pk for r in selectors.callback_request_search(query="Fereira")] == [waiting.pk, handled.pk]
    assert [r.pk for r in selectors.callback_request_search(query="06 98 76 54 32")] == [waiting.pk]
    assert [r.pk for r in selectors.callback_request_search(query="leo.f@EXAMPLE")] == [handled.pk]


@pytest.mark.django_db
def test_the_page_shows_unregistered_callers_and_call_back_requests(client_for, hotline_agent, unregistered):
    client = client_for(hotline_agent)
    html = client.get(HOME, {"q": "hadad"}).content.decode()
    assert "Appelants non inscrits" in html and "Nadia Haddad" in html
    assert f"?caller={unregistered['call'].pk}" in html
    # "Noter un nouvel appel" opens the call form with the caller's name and contact as noted last time.
    form = client.get("/pilotage/hotline/appel/", {"caller": unregistered["call"].pk}).context["form"]
    assert form.initial == {"caller_name": "Nadia Haddad", "caller_contact": "06 12 34 56 78"}
    html = client.get(HOME, {"q": "ferreira"}).content.decode()
    assert "Demandes de rappel" in html and f"?callback={unregistered['waiting'].pk}" in html
    assert "Traitée le" in html


@pytest.mark.django_db
def test_roles_without_hotline_access_get_403(client, client_for, prospecting_officer, recruiter_a, people):
    assert client.get(HOME, {"q": "rokes"}).status_code == 302  # to the login page
    for user in (prospecting_officer, recruiter_a):
        response = client_for(user).get(HOME, {"q": "rokes"})
        assert response.status_code == 403
        assert b"Roques" not in response.content


@pytest.mark.django_db
def test_search_queries_do_not_grow_with_the_results(client_for, hotline_agent, people):
    client = client_for(hotline_agent)
    client.get(HOME, {"q": "rokes"})
    with CaptureQueriesContext(connection) as few:
        client.get(HOME, {"q": "rokes"})
    for n in range(12):
        candidate = factories.CandidateFactory(first_name=f"Anne{n}", last_name="Roquès", email=f"a{n}@example.org")
        HotlineCall.objects.create(candidate=candidate, topic="other", summary="Appel", logged_by=hotline_agent)
        HotlineCall.objects.create(caller_name=f"Rocques {n}", topic="other", summary="Appel")
    with CaptureQueriesContext(connection) as many:
        response = client.get(HOME, {"q": "rokes"})
    assert len(response.context["results"]) == 14
    assert len(many) == len(few) <= 25


@pytest.mark.postgres
@pytest.mark.django_db
def test_close_names_are_found_through_the_trigram_index_on_postgresql(people):
    living_crowd()
    fresh_indexes()
    with selectors._trigram_transaction():
        qs = selectors.candidate_close_matches(tokens=("rokes",))
        assert [c.pk for c in qs] == [people["rokes"].pk, people["roques"].pk]
        with connection.cursor() as cursor:
            # A tiny table is read whole otherwise; forbid that to prove the index can answer.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            sql, params = qs.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "candidate_name_trgm_idx" in plan, plan  # the close names
    assert "candidate_search_trgm_idx" in plan, plan  # the text as typed


# Both backends, on the demo data (loaded for the rest of the module: keep these tests last)

MISSPELT = ["Rokes", "hadad", "Castang", "Delma", "Bonafous", "Feriera", "Giraut", "Nguyen", "Lefebvre", "Cazenave",
            "Andrieux", "Marti", "Benaly", "Diallo", "Vidale", "garic", "Fabre", "Morelle", "Carron", "Martinz"]


def _expected(query: str) -> set[int]:
    """The rule, replayed in Python over every living candidate: each token found as typed or close enough."""
    tokens = normalise_query(query).tokens
    found = set()
    for pk, first, last, email, phone in Candidate.objects.filter(anonymised_at__isnull=True).values_list(
            "pk", "first_name", "last_name", "email", "phone"):
        text, name = _search_text(first, last, email, str(phone or "")), fold(f"{first} {last}")
        if all(token in text or (selectors.may_be_misspelt(token)
                                 and strict_word_similarity(token, name) >= selectors.FUZZY_THRESHOLD)
               for token in tokens):
            found.add(pk)
    return found


def test_the_database_and_the_python_rule_find_the_same_people_on_the_demo_data(demo_data, db):
    living = Candidate.objects.filter(anonymised_at__isnull=True)
    assert living.filter(last_name="Roques").exists() and living.filter(last_name="Haddad").exists()
    assert set(_found("Rokes")) >= set(living.filter(last_name="Roques").values_list("pk", flat=True))
    assert set(_found("hadad")) >= set(living.filter(last_name="Haddad").values_list("pk", flat=True))
    differ = {}
    for query in MISSPELT:
        found = {c.pk for c in selectors.caller_search(query=query, limit=10_000)}
        if found != _expected(query):
            differ[query] = found ^ _expected(query)
    assert differ == {}, connection.vendor

