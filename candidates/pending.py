"""Actions a visitor asks for before they have a confirmed registration.

A newcomer who clicks "Book a seat" or "I'm interested" is sent to registration with the action
attached; when they confirm their e-mail, the action runs. Each app registers its handlers in its
AppConfig.ready(): `register("book_session", handler)`, where handler(candidate, data) runs the
action and returns a message for the visitor (or raises the app's domain error).
"""

from collections.abc import Callable
from typing import Any

_HANDLERS: dict[str, Callable[[Any, dict], str]] = {}


def register(name: str, handler: Callable[[Any, dict], str]) -> None:
    _HANDLERS[name] = handler


def get_handler(name: str) -> Callable[[Any, dict], str] | None:
    return _HANDLERS.get(name)


def known_actions() -> set[str]:
    return set(_HANDLERS)
