"""What a filtered public list (the job board, the courses) shows of its django-filter form."""

import datetime as dt

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def active_filters(filterset, params) -> list[dict]:
    """One entry per filter in use, with the URL of the same list without it (to widen a search)."""
    cleaned = getattr(filterset.form, "cleaned_data", {}) if filterset.is_bound else {}
    active = []
    for name, value in cleaned.items():
        if value in (None, "", [], ()):
            continue
        field = filterset.form.fields[name]
        if hasattr(value, "pk"):
            shown = str(value)
        elif isinstance(value, dt.date):
            shown = formats.date_format(value, "SHORT_DATE_FORMAT")
        else:
            shown = dict(getattr(field, "choices", ())).get(value, value)
        rest = params.copy()
        rest.pop(name, None)
        rest.pop("page", None)
        active.append({"name": name, "label": field.label, "value": shown,
                       "without": "?" + rest.urlencode() if rest else "?"})
    return active


def form_fields(filterset) -> list[tuple]:
    """Each visible filter with, for a select, its options' HTML (None for another input).

    Built here rather than in the template: a hundred skills looped over by the template engine cost more
    than the page's SQL.
    """
    rows = []
    for bound in filterset.form.visible_fields():
        options = None
        if getattr(bound.field.widget, "input_type", "") == "select":
            current = "" if bound.value() is None else str(bound.value())
            options = options_html(bound.field.widget.choices, current)
        rows.append((bound, options))
    return rows


def options_html(choices, current: str) -> SafeString:
    """The <option> elements of a select, `current` selected."""
    return mark_safe("".join(  # noqa: S308 (every value and label is escaped)
        f'<option value="{escape(value)}"{" selected" if str(value) == current else ""}>{escape(label)}</option>'
        for value, label in choices))
