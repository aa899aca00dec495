""""Mon espace": who is signed in through their e-mailed link, and what other apps add to the page.

Other apps extend the page without editing its templates, from their AppConfig.ready():

    space.register_section("relocation", "candidates/hotline/space_relocation.html",
                           get_context=lambda request, candidate: {...}, order=50)
        → the template is included on the Mon espace page, below the built-in panels, with
          `candidate`, `request` and what get_context returns in its context.
    space.register_row_action("registration", "events/space_cancel_button.html")
        → included in each session-booking row, with `registration` and `candidate` in its context.
    space.register_row_action("interest", "companies/space_interest_actions.html")
        → included in each job-interest row, with `interest` and `candidate`.

Their own views find the signed-in candidate with `get_space_candidate(request)` (None when the
visitor has no valid Mon espace session), or decorate a view with `@space_required`, which passes
`candidate` as a keyword argument and sends strangers to the link request page.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.shortcuts import redirect

SESSION_KEY = "candidate_space"
# How long a Mon espace session lasts after the link is opened, in seconds.
SESSION_TTL = 2 * 3600


@dataclass(frozen=True)
class Section:
    key: str
    template_name: str
    get_context: Callable[[Any, Any], dict] | None
    order: int


_SECTIONS: dict[str, Section] = {}
_ROW_ACTIONS: dict[str, list[str]] = {"registration": [], "interest": []}


def register_section(key: str, template_name: str, *, get_context: Callable[[Any, Any], dict] | None = None,
                     order: int = 100) -> None:
    _SECTIONS[key] = Section(key, template_name, get_context, order)


def register_row_action(kind: str, template_name: str) -> None:
    templates = _ROW_ACTIONS.setdefault(kind, [])
    if template_name not in templates:
        templates.append(template_name)


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def row_actions(kind: str) -> list[str]:
    return list(_ROW_ACTIONS.get(kind, []))


def sign_in(request, candidate) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"id": str(candidate.public_id), "until": time.time() + SESSION_TTL}


def sign_out(request) -> None:
    request.session.pop(SESSION_KEY, None)


def get_space_candidate(request):
    """Return the candidate signed in to Mon espace, or None."""
    from .models import Candidate

    entry = request.session.get(SESSION_KEY)
    if not isinstance(entry, dict) or entry.get("until", 0) < time.time():
        return None
    return Candidate.objects.filter(public_id=entry.get("id"), anonymised_at__isnull=True,
                                    confirmed_at__isnull=False).first()


def space_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        candidate = get_space_candidate(request)
        if candidate is None:
            sign_out(request)
            return redirect("candidates:space_request")
        return view(request, *args, candidate=candidate, **kwargs)

    return wrapper
