"""Actions a visitor asks for before they have a confirmed registration.

A newcomer who clicks "Book a seat" or "I'm interested" is sent to registration with the action
attached (`/fr/inscription/?action=book_session&id=12`); the action travels signed inside the
confirmation link, and runs when they confirm their e-mail. A person already registered gets an
e-mail with a link that confirms the action instead.

Each app registers its handlers in its AppConfig.ready():

    pending.register("book_session", handler, label=_("Réserver une place à la session"))

handler(candidate, data) runs the action and returns a message for the visitor, or raises a
`tescforce.errors.DomainError` (its message is shown). `data` is `{"id": "<value>"}`: the `id`
parameter as a string of at most 80 letters, digits, "-" or "_"; the handler converts and checks it.
"""

import re
from collections.abc import Callable
from typing import Any

_HANDLERS: dict[str, Callable[[Any, dict], str]] = {}
_LABELS: dict[str, Any] = {}

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


def register(name: str, handler: Callable[[Any, dict], str], *, label: Any = None) -> None:
    _HANDLERS[name] = handler
    if label is not None:
        _LABELS[name] = label


def get_handler(name: str) -> Callable[[Any, dict], str] | None:
    return _HANDLERS.get(name)


def get_label(name: str) -> Any:
    return _LABELS.get(name)


def known_actions() -> set[str]:
    return set(_HANDLERS)


def clean_action(name: Any, ident: Any) -> dict | None:
    """Return {"name": …, "id": …} when `name` is a registered action and `ident` well formed, else None."""
    if not isinstance(name, str) or name not in _HANDLERS:
        return None
    ident = "" if ident is None else str(ident)
    if not ID_PATTERN.match(ident):
        return None
    return {"name": name, "id": ident}


# The address a visitor already typed on the way (a posting's "I'm interested" form), kept in their
# own session so that registration does not ask for it twice; dropped once they have registered.
EMAIL_SESSION_KEY = "pending_email"


def remember_email(request, email: str) -> None:
    request.session[EMAIL_SESSION_KEY] = email


def remembered_email(request) -> str:
    return request.session.get(EMAIL_SESSION_KEY, "")


def forget_email(request) -> None:
    request.session.pop(EMAIL_SESSION_KEY, None)
