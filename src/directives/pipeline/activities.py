"""activities: rows of plan tables → activities with normalized months and year.

Reads: tables (a task column and a time column, named by their header: "Tên hoạt động", "Nội
dung", "Công việc", "Nhiệm vụ" …; "Thời gian", "Tiến độ", "Thời hạn", "Ngày" …), parts (period,
date). Writes: `activities`, one per data row: number, name, time as printed, months, year.

The year of a row is the one printed in its own time cell ("09/3/2018 - 20/3/2018"); else the plan's
period, when it is one year (the table's title, else the part's subject or title: "trong năm 2024");
else, when the plan names no period at all, the year of the document's date. A period of several
years ("năm 2019 - 2020") does not tell which one: the year stays empty. A time cell whose months
cannot be read, and a year that cannot be placed, are reported as warnings, never guessed.
"""

from __future__ import annotations

import re

from directives.knowledge import ACTIVITY_NAME_HEADERS, ACTIVITY_TIME_HEADERS, ROW_NUMBER_HEADERS
from directives.pipeline.document import Document
from directives.pipeline.stage import Stage
from directives.pipeline.timeexpr import text_to_months
from directives.schemas import Activity, Table
from directives.vntext import fold

_NAME = tuple(fold(h) for h in ACTIVITY_NAME_HEADERS)
_TIME = tuple(fold(h) for h in ACTIVITY_TIME_HEADERS)
_NO = tuple(fold(h) for h in ROW_NUMBER_HEADERS)
_INT = re.compile(r"^\s*(\d{1,4})[^\w]*$")  # "9.", "9)", and OCR's "9...", "27%" for a dotted number
_YEAR = re.compile(r"(?<![\d])((?:19|20)\d{2})(?!\d)")
_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-–—]|đến|tới)\s*((?:19|20)\d{2})(?!\d)", re.IGNORECASE)


def _heads(column: str, words: tuple[str, ...]) -> bool:
    """Does the column's name (its last level, for "PARENT / CHILD") open with one of `words`? A
    one-word label names the column alone ("Ngày", not "Ngày ban hành")."""
    k = " ".join(fold(column.rsplit(" / ", 1)[-1]).strip(" .:-–").split())
    return any(k == w or " " in w and (k.startswith(w + " ") or k.startswith(w + ",")) for w in words)


def plan_columns(columns: list[str]) -> tuple[int | None, int, int] | None:
    """(number, name, time) column indexes when the header is a plan's, else None."""
    name = next((k for k, c in enumerate(columns) if _heads(c, _NAME)), None)
    time = next((k for k, c in enumerate(columns) if k != name and _heads(c, _TIME)), None)
    if name is None or time is None:
        return None
    no = next((k for k, c in enumerate(columns) if fold(c).strip(" .:") in _NO), None)
    return no, name, time


def cell_years(text: str) -> list[int]:
    """The years printed in a cell, in order ('01/3/2018 - 05/3/2018' → [2018, 2018])."""
    return [int(y) for y in _YEAR.findall(text or "")]


def text_to_period(text: str | None) -> tuple[int, int] | None:
    """The years a plan covers, as stated in its title or subject: 'năm 2024' → (2024, 2024),
    'năm 2019 - 2020', 'giai đoạn 2021-2025' → (2019, 2020), (2021, 2025); None when no year."""
    if not text:
        return None
    if m := _RANGE.search(text):
        a, b = int(m.group(1)), int(m.group(2))
        return (a, b) if a <= b else (b, a)
    if m := _YEAR.search(text):
        return int(m.group(1)), int(m.group(1))
    return None


def plan_period(doc: Document, table: Table) -> tuple[int, int] | None:
    part = doc.result.parts[table.part]
    for text in (table.title, part.subject, part.title):
        if period := text_to_period(text):
            return period
    return None


def row_year(time_text: str, period: tuple[int, int] | None, doc_year: int | None) -> int | None:
    """The row's own year, else the plan's one-year period, else (no period named) the document's."""
    if years := cell_years(time_text):
        return years[0]
    if period:
        return period[0] if period[0] == period[1] else None
    return doc_year


def rows_to_activities(table: Table, cols: tuple[int | None, int, int], period: tuple[int, int] | None,
                       doc_year: int | None) -> list[Activity]:
    no_col, name_col, time_col = cols
    out: list[Activity] = []
    for r, row in enumerate(table.rows):
        name = row[name_col].strip()
        if not name:
            continue
        m = _INT.match(row[no_col]) if no_col is not None else None
        time_text = row[time_col].strip() or None
        out.append(Activity(no=int(m.group(1)) if m else None, name=name, time_text=time_text,
                            months=text_to_months(time_text or ""), year=row_year(time_text or "", period, doc_year),
                            table_id=table.id, row=r))
    return out


def activities(doc: Document) -> Document:
    out: list[Activity] = []
    for table in doc.result.tables:
        cols = plan_columns(table.columns)
        if cols is None:
            continue
        part = doc.result.parts[table.part]
        period = plan_period(doc, table)
        doc_year = int(part.date[:4]) if part.date else None
        acts = rows_to_activities(table, cols, period, doc_year)
        for a in acts:
            where = f"activity {a.no if a.no is not None else a.row + 1} of table {a.table_id}"
            if a.time_text and not a.months:
                doc.warn("activity-time-unread", f"{where}: no month read in its time {a.time_text!r}",
                         part=table.part, field_="activities")
            if a.year is None and (a.months or a.time_text):
                why = f"the plan covers {period[0]}–{period[1]}" if period else "the document has no date"
                doc.warn("activity-year-unknown", f"{where}: its time {a.time_text!r} names no year and {why}",
                         part=table.part, field_="activities")
        out.extend(acts)
    doc.result.activities = out
    return doc


STAGE = Stage("activities", activities, reads=("tables", "parts", "metadata"), writes=("activities", "warnings"))
