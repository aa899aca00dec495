"""Cached list pages are keyed only by the query parameters they know: junk cannot fill the cache."""

import pytest
from django.core.cache import cache

from tests import factories

pytestmark = pytest.mark.django_db

LISTS = [("board", "/fr/offres/"), ("sessions", "/fr/sessions/"), ("showroom", "/fr/showroom/")]


def _entries(name: str) -> list[str]:
    # The tests' cache is in memory (tests/conftest.py): its keys can be listed.
    return [key for key in cache._cache if f"tescforce:page:{name}:" in key and not key.endswith(":version")]


@pytest.fixture
def shown(db):
    return {"posting": factories.JobPostingFactory(title="Posting Zorglub", city="Toulouse"),
            "session": factories.SessionFactory(is_published=True, city="Montpellier"),
            "use_case": factories.UseCaseFactory(title="Jumeau numérique")}


@pytest.mark.parametrize(("name", "path"), LISTS)
def test_a_hundred_junk_parameters_make_one_cache_entry(client, shown, name, path):
    for i in range(100):
        response = client.get(f"{path}?utm_x{i}={i}&junk=%00{i}&page=1&page=99999{i}")
        assert response.status_code == 200
    entries = _entries(name)
    assert len(entries) == 1
    stored = cache.get(entries[0].split(":", 2)[2])
    assert stored is not None and "junk" not in str(stored)  # nor does junk reach the cached links


def test_known_parameters_still_give_their_own_correct_pages(client, shown):
    factories.JobPostingFactory(title="Posting Quux", city="Montpellier")
    toulouse = client.get("/fr/offres/?city=Toulouse&junk=1").content.decode()
    montpellier = client.get("/fr/offres/?city=Montpellier").content.decode()
    assert "Posting Zorglub" in toulouse and "Posting Quux" not in toulouse
    assert "Posting Quux" in montpellier and "Posting Zorglub" not in montpellier
    everything = client.get("/fr/offres/").content.decode()
    assert "Posting Zorglub" in everything and "Posting Quux" in everything
    assert len(_entries("board")) == 3


def test_a_page_beyond_the_last_is_stored_as_the_last_page(client, shown):
    for number in (2, 50, 999999):
        assert "Posting Zorglub" in client.get(f"/fr/offres/?page={number}").content.decode()
    assert len(_entries("board")) == 1


def test_refused_filter_values_are_shown_but_not_stored(client, shown):
    for i in range(20):
        assert client.get(f"/fr/sessions/?city=Nowhere{i}").status_code == 200
        assert client.get(f"/fr/offres/?contract=bogus{i}").status_code == 200
    assert _entries("sessions") == [] and _entries("board") == []


def test_repeated_parameters_are_read_once(client, shown):
    first = client.get("/fr/showroom/?q=jumeau&q=jumeau").content.decode()
    assert "Jumeau numérique" in first
    client.get("/fr/showroom/?q=jumeau")
    assert len(_entries("showroom")) == 1
