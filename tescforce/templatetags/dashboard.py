"""Server-side SVG charts: no script, no third-party host, readable in greyscale (values are written)."""

from django import template
from django.utils.html import format_html, format_html_join

from .locale_formats import number, share

register = template.Library()

BAR_HEIGHT = 22
LABEL_WIDTH = 260
CHART_WIDTH = 720


@register.filter
def add_class(field, css: str):
    return field.as_widget(attrs={"class": css})


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


@register.filter(name="figure")
def figure_value(value):
    """A table cell or chart value: numbers written the visitor's way ("1 234,5" / "1,234.5"), text as is."""
    if value is None:
        return "—"
    return number(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


@register.simple_tag
def bar_chart(figure):
    """Horizontal bars of the figure's second column, labelled with the first."""
    rows = figure.rows[:24]
    top = max((_number(r[1]) for r in rows), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 60
    height = BAR_HEIGHT * len(rows) + 4
    bars = format_html_join(
        "",
        '<g><text x="{}" y="{}" text-anchor="end" class="lbl">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="bar"></rect>'
        '<text x="{}" y="{}" class="val">{}</text></g>',
        (
            (LABEL_WIDTH - 6, i * BAR_HEIGHT + 15, str(r[0])[:40], LABEL_WIDTH, i * BAR_HEIGHT + 3,
             round(span * _number(r[1]) / top, 1), BAR_HEIGHT - 6,
             LABEL_WIDTH + round(span * _number(r[1]) / top, 1) + 4, i * BAR_HEIGHT + 15, figure_value(r[1]))
            for i, r in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" aria-hidden="true" focusable="false">{}</svg>',
        CHART_WIDTH, height, bars,
    )


@register.simple_tag
def progress_chart(figure):
    """One bar per indicator: done against target (third column), capped at the width."""
    rows = figure.rows
    span = CHART_WIDTH - LABEL_WIDTH - 80
    items = []
    for i, r in enumerate(rows):
        done, target = _number(r[1]), _number(r[2])
        ratio = min(done / target, 1.0) if target else 0.0
        pct = share(r[3]) if r[3] is not None else "—"
        items.append((LABEL_WIDTH - 6, i * 28 + 18, str(r[0]), LABEL_WIDTH, i * 28 + 4, span, LABEL_WIDTH,
                      i * 28 + 4, round(span * ratio, 1), LABEL_WIDTH + span + 6, i * 28 + 18, pct))
    body = format_html_join(
        "",
        '<g><text x="{}" y="{}" text-anchor="end" class="lbl">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="20" class="track"></rect>'
        '<rect x="{}" y="{}" width="{}" height="20" class="bar"></rect>'
        '<text x="{}" y="{}" class="val">{}</text></g>',
        items,
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" aria-hidden="true" focusable="false">{}</svg>',
        CHART_WIDTH, 28 * len(rows) + 4, body,
    )
