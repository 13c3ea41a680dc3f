"""activities: rows of activity-plan tables → activities with normalized months.

Reads: tables (header names a row number, an activity and a time column), parts (year). Writes:
`activities`, one per data row: number, name, time as printed, months, year (from the table
title, else the part's subject or title, else the part's date).
"""

from __future__ import annotations

import re

from directives.knowledge import ACTIVITY_NAME_HEADERS, ACTIVITY_TIME_HEADERS, ROW_NUMBER_HEADERS, fold
from directives.pipeline.document import Document
from directives.pipeline.timeexpr import text_to_months, text_to_year
from directives.schemas import Activity, Table

_NAME = tuple(fold(h) for h in ACTIVITY_NAME_HEADERS)
_TIME = tuple(fold(h) for h in ACTIVITY_TIME_HEADERS)
_NO = tuple(fold(h) for h in ROW_NUMBER_HEADERS)
_INT = re.compile(r"^\s*(\d{1,4})[^\w]*$")  # "9.", "9)", and OCR's "9...", "27%" for a dotted number


def plan_columns(columns: list[str]) -> tuple[int | None, int, int] | None:
    """(number, name, time) column indexes when the header is an activity plan's, else None."""
    keys = [fold(c).strip(" .:") for c in columns]
    name = next((k for k, c in enumerate(keys) if c.startswith(_NAME)), None)
    time = next((k for k, c in enumerate(keys) if c.startswith(_TIME)), None)
    if name is None or time is None:
        return None
    no = next((k for k, c in enumerate(keys) if c in _NO), None)
    return no, name, time


def table_year(doc: Document, table: Table) -> int | None:
    part = doc.result.parts[table.part]
    for text in (table.title, part.subject, part.title):
        if text and (year := text_to_year(text)):
            return year
    return int(part.date[:4]) if part.date else None


def rows_to_activities(table: Table, cols: tuple[int | None, int, int], year: int | None) -> list[Activity]:
    no_col, name_col, time_col = cols
    out: list[Activity] = []
    for r, row in enumerate(table.rows):
        name = row[name_col].strip()
        if not name:
            continue
        m = _INT.match(row[no_col]) if no_col is not None else None
        time_text = row[time_col].strip() or None
        out.append(Activity(no=int(m.group(1)) if m else None, name=name, time_text=time_text,
                            months=text_to_months(time_text or ""), year=year, table_id=table.id, row=r))
    return out


def activities(doc: Document) -> Document:
    out: list[Activity] = []
    for table in doc.result.tables:
        cols = plan_columns(table.columns)
        if cols is None:
            continue
        out.extend(rows_to_activities(table, cols, table_year(doc, table)))
    doc.result.activities = out
    return doc
