""""Mon espace": who is signed in through their e-mailed link, and what other apps add to the page.

Other apps extend the page without editing its templates, from their AppConfig.ready():

    space.register_section("relocation", "hotline/space_relocation.html",
                           get_context=lambda request, candidate: {...}, order=50)
        → the template is included on the Mon espace page, below the built-in panels, with
          `candidate`, `request` and what get_context returns in its context; with `top=True`,
          above them (what the person comes for first: the offers picked for them).
    space.register_rows("registration", lambda candidate: Registration.objects.filter(candidate=candidate))
        → the rows of the page's "Mes sessions" list (none until a room registers them).
    space.register_row_action("registration", "events/space_cancel_button.html")
        → included in each session-booking row, with `registration` and `candidate` in its context.
    space.register_row_action("interest", "companies/space_interest_actions.html")
        → included in each job-interest row, with `interest` and `candidate`.

Their own views find the signed-in candidate with `get_space_candidate(request)` (None when the
visitor has no valid Mon espace session), or decorate a view with `@space_required`, which passes
`candidate` as a keyword argument and sends strangers to the link request page.

A Mon espace link signs in once: `sign_in_with_link` spends it (a second opening raises LinkRefused),
and leaving (`sign_out`) kills every link e-mailed before as well as the session.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core import signing
from django.shortcuts import redirect

from . import tokens
from .models import Candidate

SESSION_KEY = "candidate_space"
# How long a Mon espace session lasts after the link is opened, in seconds.
SESSION_TTL = 2 * 3600


@dataclass(frozen=True)
class Section:
    key: str
    template_name: str
    get_context: Callable[[Any, Any], dict] | None
    order: int
    top: bool = False


_SECTIONS: dict[str, Section] = {}
_ROW_ACTIONS: dict[str, list[str]] = {"registration": [], "interest": []}
_ROWS: dict[str, Callable[[Any], Any]] = {}


def register_section(key: str, template_name: str, *, get_context: Callable[[Any, Any], dict] | None = None,
                     order: int = 100, top: bool = False) -> None:
    _SECTIONS[key] = Section(key, template_name, get_context, order, top)


def register_row_action(kind: str, template_name: str) -> None:
    templates = _ROW_ACTIONS.setdefault(kind, [])
    if template_name not in templates:
        templates.append(template_name)


def register_rows(kind: str, get_rows: Callable[[Any], Any]) -> None:
    _ROWS[kind] = get_rows


def rows(kind: str, candidate) -> Any:
    """Return the candidate's rows of `kind` registered by another room (an empty list when none is)."""
    get_rows = _ROWS.get(kind)
    return [] if get_rows is None else get_rows(candidate)


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def row_actions(kind: str) -> list[str]:
    return list(_ROW_ACTIONS.get(kind, []))


class LinkRefused(Exception):
    """A sign-in link that cannot open Mon espace; `used` says it was valid but has served already."""

    def __init__(self, *, used: bool):
        super().__init__("used" if used else "invalid")
        self.used = used


def _advance(candidate, generation: int) -> bool:
    """Move the candidate's link generation on from `generation`; False when it had already moved (a
    conditional UPDATE decides, so two tabs opening one link cannot both win)."""
    won = Candidate.objects.filter(pk=candidate.pk, link_generation=generation).update(
        link_generation=generation + 1)
    if won:
        candidate.link_generation = generation + 1
    return bool(won)


def spend_link(token: str, *, purpose: str = "space"):
    """Return the confirmed candidate a sign-in link names and spend the link (it never works again).

    Raise LinkRefused(used=True) when the link has served already or its owner signed in or out since,
    LinkRefused(used=False) when it is forged, expired, for another purpose or its owner is gone.
    """
    try:
        public_id, generation = tokens.read_sign_in_token(token, purpose=purpose)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkRefused(used=False) from None
    candidate = Candidate.objects.filter(public_id=public_id, anonymised_at__isnull=True,
                                         confirmed_at__isnull=False).first()
    if candidate is None:
        raise LinkRefused(used=False)
    if not _advance(candidate, generation):
        raise LinkRefused(used=True)
    return candidate


def link_is_current(token: str, *, purpose: str = "space"):
    """Return the candidate of a sign-in link that has not been spent yet, without spending it; else None."""
    try:
        public_id, generation = tokens.read_sign_in_token(token, purpose=purpose)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return Candidate.objects.filter(public_id=public_id, anonymised_at__isnull=True, confirmed_at__isnull=False,
                                    link_generation=generation).first()


def _open_session(request, candidate) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"id": str(candidate.public_id), "g": candidate.link_generation,
                                    "until": time.time() + SESSION_TTL}


def sign_in_with_link(request, token: str):
    """Spend a Mon espace link and open the session; return the candidate or raise LinkRefused."""
    candidate = spend_link(token)
    _open_session(request, candidate)
    return candidate


def sign_in(request, candidate) -> None:
    """Open a Mon espace session for a candidate who proved who they are another way (the first opening
    of the confirmation link). The link generation moves on: links e-mailed before and older sessions die."""
    while True:
        generation = Candidate.objects.values_list("link_generation", flat=True).get(pk=candidate.pk)
        if _advance(candidate, generation):
            break
    _open_session(request, candidate)


def sign_out(request) -> None:
    """Leave Mon espace: the session ends and every link e-mailed before stops working."""
    entry = request.session.pop(SESSION_KEY, None)
    if isinstance(entry, dict) and isinstance(entry.get("g"), int):
        Candidate.objects.filter(public_id=entry.get("id"), link_generation=entry["g"]).update(
            link_generation=entry["g"] + 1)


def get_space_candidate(request):
    """Return the candidate signed in to Mon espace, or None."""
    entry = request.session.get(SESSION_KEY)
    if not isinstance(entry, dict) or entry.get("until", 0) < time.time() or not isinstance(entry.get("g"), int):
        return None
    # A later sign-in or a logout moved the generation on: this session is over.
    return Candidate.objects.filter(public_id=entry.get("id"), anonymised_at__isnull=True,
                                    confirmed_at__isnull=False, link_generation=entry["g"]).first()


def space_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        candidate = get_space_candidate(request)
        if candidate is None:
            # Forget the stale session only: moving the generation here would kill a link just requested.
            request.session.pop(SESSION_KEY, None)
            return redirect("candidates:space_request")
        return view(request, *args, candidate=candidate, **kwargs)

    return wrapper
