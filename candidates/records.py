"""What other rooms hold about a candidate: parts of their data export and lines of their timeline.

Rooms above `candidates` (hotline, matching…) keep rows about a candidate that this app must not
import. They plug them in from their AppConfig.ready():

    records.register_export("hotline", lambda candidate: {"hotline_calls": [...], ...})
        → the dict's keys are added to the candidate's JSON export (right of access).
    records.register_timeline("hotline", lambda candidate: [{"at": dt, "kind": _("…"), "text": "…"}])
        → the entries join the candidate's timeline on their admin page.

    records.register_consent_withdrawn("agenda", lambda candidate, kind: ...)
        → called inside `consent_withdraw`'s transaction, for every kind withdrawn; an error rolls it back.

    records.register_origin("partners", lambda candidate_ids: {candidate_id: "Mission locale …", ...})
        → "Orienté·e par" on the candidate's admin page and in the coordinators' export (one call per page
          or export, for every candidate id in it).

Each export and timeline callable takes the candidate and returns JSON-ready values; registering a
key again replaces it.
"""

from collections.abc import Callable, Iterable
from typing import Any

_EXPORTS: dict[str, Callable[[Any], dict[str, Any]]] = {}
_TIMELINES: dict[str, Callable[[Any], list[dict[str, Any]]]] = {}
_CONSENT_WITHDRAWN: dict[str, Callable[[Any, str], None]] = {}
_ORIGINS: dict[str, Callable[[Iterable[int]], dict[int, str]]] = {}


def register_export(key: str, contribute: Callable[[Any], dict[str, Any]]) -> None:
    _EXPORTS[key] = contribute


def register_timeline(key: str, contribute: Callable[[Any], list[dict[str, Any]]]) -> None:
    _TIMELINES[key] = contribute


def register_consent_withdrawn(key: str, react: Callable[[Any, str], None]) -> None:
    _CONSENT_WITHDRAWN[key] = react


def register_origin(key: str, names: Callable[[Iterable[int]], dict[int, str]]) -> None:
    _ORIGINS[key] = names


def origins(candidate_ids: Iterable[int]) -> dict[int, str]:
    """Return who referred each of these candidates ("" for none), every registered room's names joined."""
    ids = list(candidate_ids)
    found: dict[int, list[str]] = {pk: [] for pk in ids}
    for names in _ORIGINS.values():
        for pk, name in names(ids).items():
            if name and pk in found:
                found[pk].append(name)
    return {pk: ", ".join(names) for pk, names in found.items()}


def consent_withdrawn(candidate, kind: str) -> None:
    """Let every registered room react to the candidate withdrawing a consent of `kind`."""
    for react in _CONSENT_WITHDRAWN.values():
        react(candidate, kind)


def export_parts(candidate) -> dict[str, Any]:
    """Return every registered room's part of the candidate's export, merged, in registration order."""
    parts: dict[str, Any] = {}
    for contribute in _EXPORTS.values():
        parts.update(contribute(candidate))
    return parts


def timeline_entries(candidate) -> list[dict[str, Any]]:
    """Return the timeline entries every registered room holds about the candidate (unsorted)."""
    return [entry for contribute in _TIMELINES.values() for entry in contribute(candidate)]
