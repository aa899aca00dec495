"""The search texts are columns the database writes with each row (`Candidate.search_text`, `name_text`, and the
unregistered callers' `HotlineCall.caller_search_text`, `caller_name_text`): every way a name, e-mail or phone
changes must show in the searches at once, on both backends."""

import pytest

from candidates import search
from candidates.models import Candidate, NameWord
from candidates.services import candidate_erase
from hotline import selectors
from hotline.models import HotlineCall
from tests import factories

pytestmark = pytest.mark.django_db


def _found(query: str) -> set[int]:
    return {c.pk for c in selectors.caller_search(query=query)}


def test_the_columns_hold_what_the_python_mirror_computes():
    person = factories.CandidateFactory(first_name="Hélène", last_name="Dupont-Léger", email="H.Dupont@Example.org",
                                        phone="+33612345678")
    person.refresh_from_db()
    assert person.search_text == search._search_text("Hélène", "Dupont-Léger", "H.Dupont@Example.org", "+33612345678")
    assert person.search_text == "helene dupont-leger h.dupont@example.org 0612345678"
    assert person.name_text == search._name_text("Hélène", "Dupont-Léger") == "helene dupont-leger"


def test_a_renamed_person_is_found_by_the_new_name_only():
    person = factories.CandidateFactory(first_name="Hélène", last_name="Roquès", email="hr@example.org",
                                        phone="+33612345678")
    assert _found("roques") == {person.pk}

    person.last_name = "Castaing"
    person.save()
    assert _found("castaing helene") == {person.pk}
    assert _found("roques") == set()

    # A bulk update goes through no save(): the database still writes the columns.
    Candidate.objects.filter(pk=person.pk).update(first_name="Anne", phone="+33798765432")
    assert _found("anne castaing") == {person.pk}
    assert _found("06 12 34") == set()
    assert _found("07 98 76") == {person.pk}
    # The misspelt name's pass reads the folded names column too.
    close = selectors.caller_search(query="Castang")
    assert [c.pk for c in close] == [person.pk] and close[0].close_match


def test_an_erased_person_leaves_nothing_to_find():
    person = factories.CandidateFactory(first_name="Hélène", last_name="Roquès", email="hr@example.org",
                                        phone="+33612345678")
    assert candidate_erase(candidate=person)
    person.refresh_from_db()
    assert "roques" not in person.search_text and "0612345678" not in person.search_text
    assert "roques" not in person.name_text
    for query in ("roques", "Rokes", "hr@example.org", "06 12 34 56 78"):
        assert _found(query) == set(), query


def _calls_found(query: str) -> set[int]:
    return {c.pk for c in selectors.unregistered_caller_search(query=query)}


def test_an_unregistered_caller_s_columns_follow_every_write():
    call = HotlineCall.objects.create(caller_name="Jérôme Roquès", caller_contact="06 11 22 33 44", topic="other",
                                      summary="Appel")
    call.refresh_from_db()
    assert call.caller_search_text == selectors._caller_search_text("Jérôme Roquès", "0611223344")
    assert call.caller_name_text == "jerome roques"
    assert _calls_found("roques jerome") == _calls_found("Rokes") == _calls_found("06 11 22 33") == {call.pk}

    call.caller_name = "Jérôme Castaing"
    call.save()
    assert _calls_found("castaing") == {call.pk} and _calls_found("roques") == set()
    HotlineCall.objects.filter(pk=call.pk).update(caller_name="Anne Castaing")
    assert _calls_found("anne castaing") == {call.pk} and _calls_found("jerome") == set()


def test_an_erased_caller_s_calls_leave_nothing_to_find():
    person = factories.CandidateFactory(first_name="Jérôme", last_name="Roquès", email="jr@example.org",
                                        phone="+33611223344")
    # Logged before the caller registered: found by the contact, blanked by the erasure.
    call = HotlineCall.objects.create(caller_name="Jérôme Roquès", caller_contact="jr@example.org", topic="other",
                                      summary="Appel")
    assert _calls_found("roques") == {call.pk}
    assert candidate_erase(candidate=person)
    call.refresh_from_db()
    assert call.caller_search_text.strip() == "" and call.caller_name_text == ""
    for query in ("roques", "Rokes", "jr@example.org"):
        assert _calls_found(query) == set(), query


def _words() -> dict[str, int]:
    return dict(NameWord.objects.values_list("word", "holders"))


@pytest.mark.postgres  # kept by the database's triggers; SQLite compares every name instead
def test_the_words_of_names_follow_every_write_and_leave_with_the_last_holder():
    before = _words()
    first = factories.CandidateFactory(first_name="Hélène", last_name="Roquès-Vidal")
    second = factories.CandidateFactory(first_name="Hélène", last_name="Roquès")
    words = _words()
    assert words["roques"] == before.get("roques", 0) + 2 and words["vidal"] == before.get("vidal", 0) + 1
    assert words["helene"] == before.get("helene", 0) + 2

    # A save that leaves the name alone changes no word; a rename moves them, a bulk update too.
    first.city = "Albi"
    first.save()
    assert _words() == words
    first.last_name = "Castaing"
    first.save()
    Candidate.objects.filter(pk=second.pk).update(first_name="Anne")
    words = _words()
    assert words["roques"] == before.get("roques", 0) + 1 and "vidal" not in words
    assert words["castaing"] == before.get("castaing", 0) + 1 and words["anne"] == before.get("anne", 0) + 1

    # Erased or deleted, a person's words go with them: a rare name is nowhere to be found any more.
    assert candidate_erase(candidate=second)
    first.delete()
    assert _words() == before
    with selectors._trigram_transaction():
        assert ("roques" in selectors.close_name_words("rokes")) == ("roques" in before)


@pytest.mark.postgres
def test_a_misspelt_name_is_found_through_the_close_words():
    person = factories.CandidateFactory(first_name="Marie", last_name="Roques")
    factories.CandidateFactory(first_name="Paul", last_name="Castaing")
    with selectors._trigram_transaction():
        assert "roques" in selectors.close_name_words("rokes")
        assert "castaing" not in selectors.close_name_words("rokes")
    close = selectors.caller_search(query="Rokes")
    assert [c.pk for c in close] == [person.pk] and close[0].close_match
