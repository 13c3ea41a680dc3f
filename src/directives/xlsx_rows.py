"""A document's rows of a dataset as the sheet XML openpyxl writes for them (`xlsx.row_templates`),
written here directly, the same bytes: openpyxl makes a cell object of every value and writes it
through lxml (≈ 15 µs a cell: most of the time of indexing a document, and a run's serial tail
after its workers); the same text is a few string operations.

What openpyxl writes, in write-only mode, for the cells `xlsx._cell` makes: nothing for None; a
number as `<c r="B7" t="n"><v>…</v></c>` ("%.16g"); a date column's ISO date as its Excel serial in
the date style; any other value as an inline string, `<c r="A7" t="inlineStr"><is><t>…</t></is></c>`
(empty: `<c r="A7" t="inlineStr"></c>`; `xml:space="preserve"` when it has outer whitespace), XML's
own characters, the carriage return and everything beyond ASCII as character references. A value
with no rule here (a number that is not finite) makes `row_templates` return None: the caller asks
openpyxl. tests/test_xlsx_rows.py compares the two on every kind of value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

from directives.writers import cell
from directives.xlsx import DATE_COLUMNS, ROW, SEP, sheet_columns, xlsx_text

DATE_STYLE = b"2"  # the date style's id: the styles are registered in a fixed order (`xlsx.openpyxl_workbook`)
_EPOCH = dt.datetime(1899, 12, 30)  # openpyxl's WINDOWS_EPOCH
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_MAX_CELL = 32_767  # openpyxl cuts a string there (after `xlsx_text`, which already keeps it within)


class _NoRule(Exception):
    """A value this module does not write like openpyxl: the caller uses openpyxl."""


def column_letter(k: int) -> str:
    """1 → A, 26 → Z, 27 → AA."""
    out = ""
    while k:
        k, r = divmod(k - 1, 26)
        out = chr(65 + r) + out
    return out


def _number(value: float) -> bytes:
    if isinstance(value, float) and not math.isfinite(value):
        raise _NoRule
    return b"%.16g" % value


def _serial(value: object) -> bytes | None:
    """The Excel serial of an ISO date (as `xlsx._date` reads one), or None."""
    if not (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    days = (dt.datetime.combine(day, dt.time()) - _EPOCH).days
    if 0 < days <= 60:
        days -= 1
    return _number(float(days))


def _text(value: str) -> bytes:
    return value.translate(_ESCAPES).encode("ascii", "xmlcharrefreplace")


def _cell_xml(ref: bytes, value: object, is_date: bool) -> bytes:
    if value is None:
        return b""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return b'<c r="%s" t="n"><v>%s</v></c>' % (ref, _number(value))
    if is_date and (serial := _serial(value)) is not None:
        return b'<c r="%s" s="%s" t="n"><v>%s</v></c>' % (ref, DATE_STYLE, serial)
    text = xlsx_text(cell(value))[:_MAX_CELL]
    if not text:
        return b'<c r="%s" t="inlineStr"></c>' % ref
    space = b' xml:space="preserve"' if text != text.strip() else b""
    return b'<c r="%s" t="inlineStr"><is><t%s>%s</t></is></c>' % (ref, space, _text(text))


def row_templates(name: str, docs: Sequence[Sequence[tuple[object, ...]]]) -> list[bytes] | None:
    """`xlsx.row_templates(name, docs)`, the same bytes; None when a value has no rule here."""
    columns = sheet_columns(name)
    refs = [column_letter(k).encode() + ROW for k in range(1, len(columns) + 1)]
    dates = [c in DATE_COLUMNS for c in columns]
    out = []
    try:
        for rows in docs:
            out.append(SEP.join(
                b'<row r="%s">%s</row>' % (ROW, b"".join(_cell_xml(ref, v, d) for ref, v, d in zip(refs, row, dates,
                                                                                                  strict=False)))
                for row in rows))
    except _NoRule:
        return None
    return out
