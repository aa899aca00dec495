"""The hotline, matching, alerts and partners rooms carry their own English catalogues, complete for their own
strings."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
ROOMS = ["hotline", "matching", "alerts", "partners"]
ENTRY = re.compile(r'\n(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?'
                   r'((?:msgstr(?:\[\d\])? (?:".*"\n)+)+)')


def _text(lines: str) -> str:
    return "".join(re.findall(r'"(.*)"', lines)).replace('\\"', '"').replace("\\n", "\n")


def _entries(po: str) -> list[tuple[str | None, str, list[str]]]:
    """Return (context, msgid, [msgstr…]) of every entry but the header."""
    out = []
    for ctx, msgid, msgstrs in ENTRY.findall(po + "\n"):
        if _text(msgid):
            out.append((_text(ctx) if ctx else None, _text(msgid),
                        [_text(s) for s in re.split(r"msgstr(?:\[\d\])? ", msgstrs) if s.strip()]))
    return out


def _catalogue(room: str) -> str:
    return (ROOT / room / "locale/en/LC_MESSAGES/django.po").read_text()


@pytest.mark.parametrize("room", ROOMS)
def test_room_catalogue_has_no_missing_or_fuzzy_english(room):
    po = _catalogue(room)
    assert "#, fuzzy" not in po
    entries = _entries(po)
    assert len(entries) > 50
    assert [msgid for _c, msgid, msgstrs in entries if not all(msgstrs)] == []
    assert (ROOT / room / "locale/en/LC_MESSAGES/django.mo").exists()


@pytest.mark.parametrize("room", ROOMS)
def test_english_pages_get_every_string_of_the_room_in_english(room):
    # What a visitor of /en/ reads: Django merges every catalogue, so this checks the room's strings
    # as served, not only as written. A bare msgid shared with another room may take that room's
    # English ("Suivi": Tracking in companies), which is English all the same.
    untranslated = []
    with translation.override("en"):
        for ctx, msgid, msgstrs in _entries(_catalogue(room)):
            got = translation.pgettext(ctx, msgid) if ctx else translation.gettext(msgid)
            if len(msgstrs) == 1 and got == msgid != msgstrs[0]:
                untranslated.append(msgid)
    assert untranslated == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
@pytest.mark.parametrize("room", ROOMS)
def test_every_string_of_the_room_is_in_its_catalogue(room, tmp_path):
    # makemessages on a copy of the room: every string its code and templates use, merged into the
    # committed catalogue; a string missing there comes out untranslated (or fuzzy, if it is close).
    copy = tmp_path / room
    shutil.copytree(ROOT / room, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    command = [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "en", "--no-obsolete", "-v0"]
    subprocess.run(command, cwd=copy, check=True, timeout=120)  # noqa: S603 (the project's own manage.py)
    po = (copy / "locale/en/LC_MESSAGES/django.po").read_text()
    entries = _entries(po)
    assert "#, fuzzy" not in po.split("\n\n", 1)[1]
    assert [msgid for _c, msgid, msgstrs in entries if not all(msgstrs)] == []
    # And the committed catalogue holds nothing the room no longer uses.
    assert {(c, m) for c, m, _s in entries} == {(c, m) for c, m, _s in _entries(_catalogue(room))}
