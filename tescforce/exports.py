"""Spreadsheet exports (CSV and XLSX): one path through tablib, every text cell escaped.

A cell whose text starts with = + - @, a tab or a carriage return runs as a formula when the file is
opened in a spreadsheet (CSV injection, https://owasp.org/www-community/attacks/CSV_Injection). Such text
gets a leading apostrophe, in every column and for every role: a phone number "+33 6 …" comes out as
"'+33 6 …", which spreadsheets show as text, as a phone number should be. Numbers (and text that is only
a number, such as "-12" or "-3,5", which cannot be a formula) stay as they are.

The admin's django-import-export exports use the `CSV` and `XLSX` formats below; hand-written exports
(dashboard figures, attendance sheets) call `spreadsheet_response`.
"""

import re
from collections.abc import Iterable, Sequence

import tablib
from django.http import HttpResponse
from django.utils.functional import Promise
from import_export.formats import base_formats

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_cell(value):
    """Return `value`, with a leading apostrophe when it is text a spreadsheet would run as a formula."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def escaped_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """Return a copy of `dataset` whose headers and cells are escaped (a copy: tablib has no in-place map)."""
    headers = [escape_cell(h) for h in dataset.headers] if dataset.headers else None
    return tablib.Dataset(*([escape_cell(v) for v in row] for row in dataset), headers=headers,
                          title=dataset.title)


class _EscapingFormat:
    def export_data(self, dataset, **kwargs):
        return super().export_data(escaped_dataset(dataset), **kwargs)

    def _escape_formulae(self, dataset):
        # export_data has escaped every cell already; the library's own pass (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT)
        # only drops a leading "=" and turns numbers into text.
        return None


class CSV(_EscapingFormat, base_formats.CSV):
    """django-import-export's CSV, with every text cell escaped."""


class XLSX(_EscapingFormat, base_formats.XLSX):
    """django-import-export's XLSX, with every text cell escaped; numbers and dates keep their types."""


# The library keeps numbers and dates native only for the exact classes it lists as binary formats.
if XLSX not in base_formats.BINARY_FORMATS:
    base_formats.BINARY_FORMATS.append(XLSX)

# What every admin export offers.
EXPORT_FORMATS = [CSV, XLSX]


def spreadsheet_response(*, headers: Sequence, rows: Iterable[Sequence], filename: str, file_format: str = "csv",
                         title: str = "", delimiter: str = ";") -> HttpResponse:
    """Return `rows` as a download named `filename` (without extension), escaped.

    CSV is written for French Excel, as the platform always has: ";" between cells and a byte-order mark so
    that accents read right (`delimiter=","` for a spreadsheet in English). XLSX keeps numbers and dates as such.
    """
    dataset = escaped_dataset(tablib.Dataset(*(list(row) for row in rows), headers=[str(h) for h in headers],
                                             title=str(title)[:31]))
    if file_format == "xlsx":
        response = HttpResponse(dataset.export("xlsx"), content_type=XLSX_CONTENT_TYPE)
    elif file_format == "csv":
        response = HttpResponse("\ufeff" + dataset.export("csv", delimiter=delimiter),
                                content_type="text/csv; charset=utf-8")
    else:
        raise ValueError(f"Unknown spreadsheet format {file_format!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
