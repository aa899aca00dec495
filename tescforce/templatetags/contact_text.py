"""How contact details are written in narrow table cells."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def breakable_email(value) -> str:
    """The address with a line-break opportunity after each dot and after "@".

    On a phone an address wraps as "jeanne.riviere@" / "example.org" rather than at an arbitrary letter.
    """
    if not value:
        return ""
    if "@" not in str(value):
        return escape(value)
    parts = re.split(r"(?<=[.@])", str(value))
    return mark_safe("<wbr>".join(escape(part) for part in parts))  # noqa: S308 - every part escaped
