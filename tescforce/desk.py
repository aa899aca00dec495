"""The sections of a staff member's desk (/pilotage/), each registered by the room that owns its data.

The desk lists, for the person signed in, what they act on today: a room calls `register()` from its
AppConfig.ready() with the test of who the section is for and a function returning its template context.
The site renders the sections in order and never queries a room itself; a person with several roles sees
each of their sections. A section's `get_context` must scope its rows to `user` (a recruiter's company).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    key: str
    title: Any  # a lazy translation
    template: str
    allowed: Callable[[Any], bool]
    get_context: Callable[..., dict]
    order: int


_SECTIONS: dict[str, Section] = {}


def register(key: str, *, title, template: str, allowed: Callable[[Any], bool],
             get_context: Callable[..., dict], order: int = 50) -> None:
    """Show `template`, filled by `get_context(user=..., today=...)`, on the desk of those `allowed(user)` admits."""
    _SECTIONS[key] = Section(key=key, title=title, template=template, allowed=allowed, get_context=get_context,
                             order=order)


def sections_for(user, *, today: dt.date) -> list[dict]:
    """The sections `user` may see, in order: [{"key", "title", "template", "context"}]; none for the inactive."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.is_staff):
        return []
    return [{"key": s.key, "title": s.title, "template": s.template,
             "context": s.get_context(user=user, today=today)}
            for s in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)) if s.allowed(user)]
