"""The dashboard's charts and cells: no script, no third-party host, readable in greyscale.

Numbers are written the way the page's language writes them ("54,5 %" / "54.5%"), in the charts as in the
tables. A chart row is HTML, so its label wraps instead of being cut; its bar is a small SVG stretched to the
row's width (a width attribute, since the Content-Security-Policy refuses inline styles).
"""

import html as html_text

from django import template
from django.utils import formats, numberformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .locale_formats import number

register = template.Library()

MAX_BARS = 24


@register.filter
def add_class(field, css: str):
    return field.as_widget(attrs={"class": css})


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def format_value(value, *, percent: bool = False) -> str:
    """Return a figure's value for a person: "—" when missing, grouped digits, "%" after a percentage."""
    if value is None or value == "":
        return "—"
    if not isinstance(value, int | float):
        return str(value)
    text = number(value)
    if percent:
        french = (get_language() or "fr").split("-")[0] == "fr"
        text += "\xa0%" if french else "%"
    return text


@register.simple_tag
def cell(figure, index: int, value) -> str:
    """Return the value of column `index` of the figure, formatted."""
    return format_value(value, percent=index in figure.percent_columns)


@register.simple_tag
def change(value) -> str:
    """Return a signed change in percent: "+12,5 %", "−3 %", or "—"."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return sign + format_value(abs(value), percent=True)


def _value_formatter():
    """Return `format_value` with the language's separators and percent sign read once, for a whole table."""
    decimal_sep, grouping, thousand_sep = (formats.get_format(name) for name in
                                           ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR"))
    percent_sign = "\xa0%" if (get_language() or "fr").split("-")[0] == "fr" else "%"
    # Whole numbers in groups of three (both languages) are most cells: Python's own grouping writes them,
    # as numberformat would, at a fraction of its cost (a table of sessions holds thousands of them).
    plain_groups = grouping == 3

    def formatted(value, percent: bool) -> str:
        if value is None or value == "":
            return "—"
        if type(value) is int and plain_groups:
            text = f"{value:,}".replace(",", thousand_sep)
        elif not isinstance(value, int | float):
            return str(value)
        else:
            text = numberformat.format(value, decimal_sep, None, grouping, thousand_sep, force_grouping=True,
                                       use_l10n=True)
        return text + percent_sign if percent else text

    return formatted


@register.simple_tag
def table_rows(figure):
    """The rows of the figure's table: the first cell a row heading, the others formatted as `cell` does
    (the targets' last column as `change`).

    Built in one pass: a template loop over every cell costs more than the figures themselves.
    """
    percent = figure.percent_columns
    targets = figure.key == "targets"
    formatted = _value_formatter()
    # The standard library's escape, as Django's without its lazy-string wrapper (a call per cell).
    html = []
    # A long table repeats its values (zeros, small counts): each is formatted and escaped once.
    cells: dict[tuple, str] = {}
    for row in figure.rows:
        html.append(f'<tr><th scope="row">{html_text.escape(str(formats.localize(row[0])))}</th>')
        for i, v in enumerate(row[1:], start=1):
            kind = "change" if targets and i == 5 else i in percent
            key = (type(v), v, kind)
            if (td := cells.get(key)) is None:
                shown = change(v) if kind == "change" else formatted(v, kind)
                td = cells[key] = f'<td class="text-end">{html_text.escape(shown)}</td>'
            html.append(td)
        html.append("</tr>")
    return mark_safe("".join(html))  # noqa: S308 - every value escaped above


def _bar(width: float, css: str = "bar") -> str:
    return format_html('<rect class="{}" x="0" y="0" width="{}" height="10"></rect>', css, round(width, 2))


@register.simple_tag
def bar_chart(figure):
    """Horizontal bars of the figure's second column, labelled with the first."""
    rows = figure.rows[:MAX_BARS]
    percent = 1 in figure.percent_columns
    before = figure.compare_column
    # Percentages are drawn against 100 %, so that 30 % looks like a third whatever the other rows.
    top = max([_number(r[1]) for r in rows] + [_number(r[before]) for r in rows if before is not None]
              + ([100] if percent else []), default=0) or 1

    def bars(row):
        if before is None:
            return _bar(100 * _number(row[1]) / top)
        # This year's bar, and under it a thin one for the previous year.
        return format_html('<rect class="bar" x="0" y="0" width="{}" height="6"></rect>'
                           '<rect class="bar-before" x="0" y="7" width="{}" height="3"></rect>',
                           round(100 * _number(row[1]) / top, 2), round(100 * _number(row[before]) / top, 2))

    def value(row):
        shown = format_value(row[1], percent=percent)
        return shown if before is None else format_html("{} <small>({})</small>", shown, format_value(row[before]))

    items = format_html_join(
        "",
        '<div class="hbar"><span class="lbl">{}</span>'
        '<svg class="track" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false">{}</svg>'
        '<span class="val">{}</span></div>',
        ((r[0], bars(r), value(r)) for r in rows),
    )
    return format_html('<div class="hbars" aria-hidden="true">{}</div>', items)


@register.simple_tag
def progress_bar(done, target):
    """A bar of `done` against `target`, capped at the width."""
    ratio = min(_number(done) / _number(target), 1.0) if _number(target) else 0.0
    return format_html(
        '<svg class="progress-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" '
        'focusable="false"><rect class="track" x="0" y="0" width="100" height="10"></rect>{}</svg>',
        _bar(100 * ratio))
