"""page_cache.cached_items: one fragment per item, shared by every list that shows it, until a change."""

import pytest
from django.utils import translation

from tescforce import page_cache


def _renderer(calls: list, gone=()):
    def render(ids):
        calls.append(list(ids))
        return {pk: f"<card {pk} {translation.get_language()}>" for pk in ids if pk not in gone}
    return render


def test_items_come_back_in_the_list_s_order_and_each_is_rendered_once():
    calls = []
    assert page_cache.cached_items(("board",), "card", [3, 1, 2], _renderer(calls)) == [
        "<card 3 fr>", "<card 1 fr>", "<card 2 fr>"]
    assert page_cache.cached_items(("board",), "card", [2, 4, 3], _renderer(calls)) == [
        "<card 2 fr>", "<card 4 fr>", "<card 3 fr>"]
    assert calls == [[3, 1, 2], [4]]  # only the item no list had shown yet


def test_a_change_to_the_page_group_or_another_language_renders_again():
    calls = []
    page_cache.cached_items(("board",), "card", [1], _renderer(calls))
    with translation.override("en"):
        assert page_cache.cached_items(("board",), "card", [1], _renderer(calls)) == ["<card 1 en>"]
    page_cache.invalidate("board")
    page_cache.cached_items(("board",), "card", [1], _renderer(calls))
    page_cache.cached_items(("showroom",), "card", [1], _renderer(calls))  # another group: its own entries
    assert calls == [[1], [1], [1], [1]]


def test_an_item_gone_meanwhile_is_left_out_not_an_error():
    calls = []
    assert page_cache.cached_items(("board",), "card", [1, 2, 3], _renderer(calls, gone={2})) == [
        "<card 1 fr>", "<card 3 fr>"]
    assert page_cache.cached_items(("board",), "card", [], _renderer(calls)) == []


@pytest.mark.parametrize("broken", ["get_many", "set_many"])
def test_an_unreachable_cache_still_renders_every_item(monkeypatch, caplog, broken):
    def fail(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(page_cache.cache, broken, fail)
    calls = []
    assert page_cache.cached_items(("board",), "card", [5, 6], _renderer(calls)) == ["<card 5 fr>", "<card 6 fr>"]
    assert "page cache" in caplog.text
