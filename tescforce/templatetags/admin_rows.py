"""The admin lists' rows, the same HTML as Django's `result_list` with less work per cell.

Django's `items_for_result` resolves every column again for every row: it looks the name up among the
model's fields (an exception for each column that is a method), asks the model admin for its empty value,
and builds each cell through `format_html`. A 50-row list of eight columns does that 400 times. Here each
column is resolved once per page, and each row's cells are joined into one string. Lists edited in place
(`list_editable`) keep Django's rendering. `tests/tescforce/test_admin_rows.py` compares the HTML with
Django's for every list of the admin.
"""

import datetime

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

DATE_TYPES = (datetime.date, datetime.time)
NOWRAP_FIELDS = (models.DateField, models.TimeField, models.ForeignKey)


class Column:
    """One column of a list, resolved once for the page as Django's `lookup_field` resolves it per row."""

    def __init__(self, cl, index: int, name, *, link: bool, empty):
        self.name, self.link, self.empty = name, link, empty
        self.css = f"field-{admin_list._coerce_field_name(name, index)}"
        try:
            self.field = _get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            self.field = None
        # A callable or a model admin's method: the same object for every row.
        self.method = None
        if self.field is None:
            if callable(name):
                self.method = name
            elif hasattr(cl.model_admin, name) and name != "__str__":
                self.method = getattr(cl.model_admin, name)

    def cell(self, cl, result) -> tuple[str, object]:
        """(class attribute's value, the cell's content) for one row."""
        css = self.css
        field = self.field
        if field is not None:
            value, attr = getattr(result, self.name), None
        elif self.method is not None:
            attr = self.method
            value = attr(result)
        else:
            try:
                _, attr, value = lookup_field(self.name, result, cl.model_admin)
            except ObjectDoesNotExist:
                return css, self.empty
        if field is None or field.auto_created:
            empty = getattr(attr, "empty_value_display", self.empty)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if self.name == "action_checkbox":
                css = "action-checkbox"
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            if isinstance(value, DATE_TYPES):
                css += " nowrap"
            return css, display_for_value(value, empty, boolean)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if isinstance(field.remote_field, models.ManyToOneRel):
            related = getattr(result, field.name)
            shown = self.empty if related is None else related
        else:
            shown = display_for_field(value, field, self.empty, avoid_link=self.link)
        if isinstance(field, NOWRAP_FIELDS):
            css += " nowrap"
        return css, shown


def _columns(cl) -> list[Column]:
    columns = getattr(cl, "_tf_columns", None)
    if columns is None:
        empty, first, columns = cl.model_admin.get_empty_value_display(), True, []
        for index, name in enumerate(cl.list_display):
            if cl.list_display_links is None:
                link = False
            else:
                link = (first and not cl.list_display_links) or name in cl.list_display_links
            columns.append(Column(cl, index, name, link=link, empty=empty))
            first = first and not link
        cl._tf_columns = columns
    return columns


def row_html(cl, result) -> str:
    """One row's cells, as Django's `items_for_result` writes them without a form."""
    cells, first = [], True
    for column in _columns(cl):
        css, shown = column.cell(cl, result)
        if not column.link:
            cells.append(f'<td class="{css}">{conditional_escape(shown)}</td>')
            continue
        tag, first = ("th" if first else "td"), False
        try:
            url = cl.url_for_result(result)
        except NoReverseMatch:
            inner = conditional_escape(shown)
        else:
            url = admin_list.add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
            popup = ""
            if cl.is_popup:
                value = result.serializable_value(str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname)
                popup = format_html(' data-popup-opener="{}"', value)
            inner = f'<a href="{conditional_escape(url)}"{popup}>{conditional_escape(shown)}</a>'
        cells.append(f'<{tag} class="{css}">{inner}</{tag}>')
    return mark_safe("".join(cells))  # noqa: S308 - every value above went through conditional_escape


def results(cl):
    if cl.formset:
        yield from admin_list.results(cl)
        return
    for result in cl.result_list:
        yield admin_list.ResultList(None, [row_html(cl, result)])


def result_list(cl) -> dict:
    """Django's `result_list` context, the rows written by `row_html`."""
    if cl.formset:
        return admin_list.result_list(cl)
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list(results(cl)),
    }


@register.tag(name="admin_rows_list")
def result_list_tag(parser, token):
    return InclusionAdminNode(parser, token, func=result_list, template_name="change_list_results.html",
                              takes_context=False)
