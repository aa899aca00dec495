"""Every compiled catalogue (.mo) says what its source (.po) says: a stale .mo serves French on English pages."""

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p.relative_to(ROOT) for p in [*ROOT.glob("locale/*/LC_MESSAGES/django.po"),
                                                *ROOT.glob("*/locale/*/LC_MESSAGES/django.po")])


def _messages(catalog) -> dict:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]):
            m.string if isinstance(m.string, str) else tuple(m.string)
            for m in catalog if m.id and m.string and not m.fuzzy
            and (isinstance(m.string, str) or all(m.string))}


def test_catalogues_are_found():
    assert len(SOURCES) >= 8


@pytest.mark.parametrize("po", SOURCES, ids=str)
def test_compiled_catalogue_matches_its_source(po):
    with (ROOT / po).open("rb") as f:
        source = _messages(read_po(f))
    with (ROOT / po).with_suffix(".mo").open("rb") as f:
        compiled = _messages(read_mo(f))
    assert {k: v for k, v in source.items() if compiled.get(k) != v} == {}
    assert set(compiled) - set(source) == set()
