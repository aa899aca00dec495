"""Numbers, money and dates written the way the visitor's language writes them.

`{% load locale_formats %}` then `{{ n|number }}` ("36 000" / "36,000"), `{{ 5.9|percent:1 }}`
("+5,9 %" / "+5.9%"), `{{ 45.5|share }}` ("45,5 %" / "45.5%"), `{{ day|long_date }}`
("1er décembre 2026" / "1 December 2026"), with `"weekday"`, `"time"` or `"weekday time"` as argument
for "mardi 1er décembre 2026, 14:00".
"""

from django import template
from django.utils import dateformat, formats
from django.utils.translation import get_language

register = template.Library()


@register.filter
def number(value, decimals=None):
    """Return `value` with the language's decimal mark and thousands grouped: "36 000"."""
    if value in (None, ""):
        return ""
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def percent(value, decimals=None):
    """Return a signed percentage: "+5,9 %" in French (a no-break space before %), "+5.9%" in English."""
    if value in (None, ""):
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    space = "\xa0" if _french() else ""
    return f"{sign}{number(abs(value), decimals)}{space}%"


@register.filter
def share(value, decimals=None):
    """Return a percentage without sign: "45,5 %" in French, "45.5%" in English (charts, rates)."""
    if value in (None, ""):
        return ""
    space = "\xa0" if _french() else ""
    return f"{number(value, decimals)}{space}%"


@register.filter(expects_localtime=True)
def long_date(value, parts=""):
    """Return the date in words: "1er décembre 2026", "mardi 15 décembre 2026, 14:00"."""
    if not value:
        return ""
    words = parts.split()
    fmt = formats.get_format("DATE_FORMAT")
    if "weekday" in words:
        fmt = "l " + fmt
    if "time" in words:
        fmt += ", H:i"
    if _french() and value.day == 1:
        # French writes the first of the month as an ordinal: "1er décembre".
        fmt = fmt.replace("j", r"j\e\r", 1)
    return dateformat.format(value, fmt)


def _french() -> bool:
    return (get_language() or "fr").split("-")[0] == "fr"
