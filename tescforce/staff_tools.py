"""The staff tools under /pilotage/, each registered by the room that serves it with the same test as its gate.

The public footer, the admin's header and the 403 page link to the tools a person may open, and only those:
a link never ends on a 403. A room calls `register()` from its AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Tool:
    key: str
    label: Any  # a lazy translation
    url_name: str
    allowed: Callable[[Any], bool]
    order: int


_TOOLS: dict[str, Tool] = {}


def register(key: str, *, label, url_name: str, allowed: Callable[[Any], bool], order: int = 50) -> None:
    """Offer a staff tool to the people `allowed(user)` admits (the predicate its view gate uses)."""
    _TOOLS[key] = Tool(key=key, label=label, url_name=url_name, allowed=allowed, order=order)


def tools_for(user) -> list[dict]:
    """The tools `user` may open, in order: [{"key", "label", "url"}]; none for an anonymous or inactive user."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.is_staff):
        return []
    return [{"key": tool.key, "label": tool.label, "url": reverse(tool.url_name)}
            for tool in sorted(_TOOLS.values(), key=lambda t: (t.order, t.key)) if tool.allowed(user)]


def tools_for_request(request) -> list[dict]:
    """`tools_for` the request's user, worked out once per request: a page drawn in parts (the desk's regions)
    runs the context processors for each part."""
    tools = getattr(request, "_staff_tools", None)
    if tools is None:
        tools = request._staff_tools = tools_for(request.user)
    return tools
