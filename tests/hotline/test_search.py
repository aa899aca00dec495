import pytest
from django.db import connection
from django.utils import timezone

from candidates import search
from hotline import selectors
from hotline.models import HotlineCall
from tests import factories
from tests.plans import fresh_indexes, living_crowd

PHONE_FORMATS = ["+33 6 12 34 56 78", "0612345678", "06.12.34.56.78", "0033612345678", "06 12 34",
                 "+33 (0)6 12 34 56 78"]


def test_query_normalisation_folds_accents_and_phone_formats():
    assert search.normalise_query("  Hélène   DUPONT ").tokens == ("helene", "dupont")
    assert search.normalise_query("Œuvré").tokens == ("oeuvre",)
    for raw in ("+33 6 12 34 56 78", "0612345678", "06.12.34.56.78", "0033 6 12 34 56 78", "+33 (0)6 12 34 56 78"):
        parsed = search.normalise_query(raw)
        assert parsed.is_phone and parsed.tokens == ("0612345678",)
    assert not search.normalise_query("a b").usable


def _search_ids(query):
    return {c.pk for c in selectors.candidate_search(query=query)}


def _people():
    helene = factories.CandidateFactory(first_name="Hélène", last_name="Dupont-Léger", email="h.dupont@example.org",
                                        phone="+33612345678", city="Montpellier")
    other = factories.CandidateFactory(first_name="Marc", last_name="Durand", email="marc@example.org",
                                       phone="+33798765432")
    erased = factories.CandidateFactory(first_name="Hélène", last_name="Effacée", email="erased@example.org",
                                        phone="+33612345678", anonymised_at=timezone.now())
    return helene, other, erased


def _assert_search_finds_the_same_person(helene, other, erased):
    for query in PHONE_FORMATS:
        assert _search_ids(query) == {helene.pk}, query
    for query in ("Helene", "hélène", "HELENE DUPONT", "dupont helene", "leger", "Dupont-Leger", "h.dupont@EXAMPLE",
                  "  hel  "):
        assert _search_ids(query) == {helene.pk}, query
    assert _search_ids("durand") == {other.pk}
    assert _search_ids("98 76 54") == {other.pk}
    assert _search_ids("example.org") == {helene.pk, other.pk}
    assert _search_ids("nobody") == set()
    assert _search_ids("ab") == set()  # too short to search


@pytest.mark.django_db
def test_search_finds_a_person_from_any_phone_format_or_unaccented_name():
    _assert_search_finds_the_same_person(*_people())


@pytest.mark.postgres
@pytest.mark.django_db
def test_search_finds_a_person_on_postgresql_with_the_trigram_index():
    _assert_search_finds_the_same_person(*_people())
    qs = selectors.candidate_matches(search.normalise_query("Helene"))
    living_crowd()
    fresh_indexes()
    with connection.cursor() as cursor:
        # On a tiny table the planner prefers a scan; forbid it to prove the index can answer this query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Plain index scans on other indexes (ordering by date, say) would depend on the statistics
        # earlier tests left; a bitmap scan needs a condition, which only the trigram index offers.
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "candidate_search_trgm_idx" in plan, plan


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_walk_through_the_names_reads_an_index_of_the_living_only():
    _crowd()
    fresh_indexes()
    with connection.cursor() as cursor:
        # A table of a dozen rows is read whole and sorted otherwise: forbid that to see the walk's own plan.
        for setting in ("seqscan", "bitmapscan", "sort", "incremental_sort"):
            cursor.execute(f"SET LOCAL enable_{setting} = off")
        sql, params = selectors.walk_rows(search.normalise_query("commun")).query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Erased people (empty names, first in the order) are not in that index: the walk never reads past them.
    assert "candidate_living_name_idx" in plan and "Sort" not in plan, plan


@pytest.mark.django_db
def test_search_results_show_stage_city_and_last_calls(client_for, hotline_agent):
    helene, _other, _erased = _people()
    for topic in (HotlineCall.Topic.SESSION, HotlineCall.Topic.RELOCATION):
        HotlineCall.objects.create(candidate=helene, topic=topic, summary="Appel", logged_by=hotline_agent)
    response = client_for(hotline_agent).get("/pilotage/hotline/", {"q": "06.12.34.56.78"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dupont-Léger" in html and "Montpellier" in html and "Inscrit·e" in html
    assert "Installation en Occitanie" in html and "Une session" in html
    assert "Effacée" not in html
    assert f"?candidate={helene.public_id}" in html


@pytest.mark.django_db
def test_search_with_too_short_input_asks_for_more(client_for, hotline_agent):
    response = client_for(hotline_agent).get("/pilotage/hotline/", {"q": "d"})
    assert response.status_code == 200
    assert "Tapez au moins 3 caractères" in response.content.decode()


@pytest.mark.django_db
def test_search_survives_odd_input(client_for, hotline_agent):
    client = client_for(hotline_agent)
    for q in ("%%%", "_ _ _", "'; DROP TABLE x; --", "+", "x" * 500, "😀😀😀", "\x00abc"):
        assert client.get("/pilotage/hotline/", {"q": q}).status_code == 200


def _crowd():
    """Ten people sharing a mail domain, created out of name order, and one erased."""
    names = [("Zoé", "Roux"), ("Léa", "Blanc"), ("Hugo", "Martin"), ("Inès", "Martin"), ("Anaïs", "André"),
             ("Noé", "Vidal"), ("Jade", "Bernard"), ("Éloi", "Évrard"), ("Lina", "Arnaud"), ("Paul", "Martin")]
    people = [factories.CandidateFactory(first_name=first, last_name=last, email=f"p{i}@commun.fr")
              for i, (first, last) in enumerate(names)]
    factories.CandidateFactory(first_name="Aaron", last_name="Aa", email="gone@commun.fr", anonymised_at=timezone.now())
    factories.CandidateFactory(first_name="Abel", last_name="Ab", email="abel@ailleurs.fr")
    return people


def _names(query, limit):
    return [(c.last_name, c.first_name) for c in selectors.candidate_search(query=query, limit=limit)]


@pytest.mark.django_db
@pytest.mark.parametrize("walk_rows", [4, 1000])
@pytest.mark.parametrize("limit", [1, 3, 10, 20])
def test_walked_or_sorted_a_search_gives_the_same_first_people_by_name(monkeypatch, limit, walk_rows):
    _crowd()
    queries = ("commun", "commun.fr martin", "martin", "ard", "zzz", "abel")
    expected = {q: [(c.last_name, c.first_name)
                    for c in selectors.candidate_matches(search.normalise_query(q), limit)] for q in queries}
    assert expected["commun"] == sorted(expected["commun"]) and len(expected["commun"]) == min(limit, 10)
    assert ("Aa", "Aaron") not in expected["commun"]  # erased: never found
    sorted_for = []
    real_sorted = selectors.candidate_matches

    def sorting(parsed, wanted):
        sorted_for.append(parsed.tokens[0])
        return real_sorted(parsed, wanted)

    monkeypatch.setattr(selectors, "WALK_ROWS", walk_rows)
    monkeypatch.setattr(selectors, "candidate_matches", sorting)
    for query in queries:
        assert _names(query, limit) == expected[query], query
    if walk_rows == 1000:
        assert sorted_for == []  # every name was walked
    else:
        # The first 4 living names are Abel (another domain), André, Arnaud and Bernard: they hold "commun" 3
        # times, "ard" and "abel" once each. A search is sorted when they hold fewer than `limit` of its people.
        held = {"commun": 3, "commun.fr": 0, "martin": 0, "ard": 1, "zzz": 0, "abel": 1}
        assert sorted_for == [token for token, count in held.items() if count < limit]


@pytest.mark.django_db
def test_search_results_are_in_name_order():
    _crowd()
    assert _names("martin", 20) == [("Martin", "Hugo"), ("Martin", "Inès"), ("Martin", "Paul")]


@pytest.mark.django_db
def test_a_phone_number_goes_straight_to_the_index(monkeypatch):
    helene, _other, _erased = _people()
    monkeypatch.setattr(selectors, "_first_by_name", lambda *args: pytest.fail("walked the names for a phone"))
    assert _search_ids("06 12 34 56 78") == {helene.pk}
