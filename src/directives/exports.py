"""Analyst exports of the datasets, streamed from the corpus database (`index.py`).

- CSV (`OUT/<dataset>.csv`): UTF-8 with BOM, RFC 4180 quoting, CRLF. Formula injection guard: a
  text cell starting with = + - @ (or a tab / carriage return) gets a leading apostrophe, the guard
  OWASP recommends: Excel and LibreOffice then show the cell as text, never evaluate it. JSON,
  XLSX and Parquet hold the text unchanged.
- XLSX (`OUT/datasets.xlsx`): a sheet per dataset, header row bold and frozen, every text cell
  stored as a string (inline string), so a cell starting with "=" is never a formula. Characters
  XML cannot hold (control characters from damaged text) are dropped; a sheet stops at Excel's
  1,048,576 rows (a warning is logged). The workbook's dates and zip entry times are fixed, so the
  same datasets give the same bytes.
- Parquet (`OUT/parquet/<dataset>.parquet`): the same columns, integers as int64, the rest strings
  (lists joined by " | " as in the CSVs), nulls as nulls.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import sqlite3
import zipfile
from collections.abc import Iterable
from pathlib import Path

from directives.index import dataset_columns, dataset_names, dataset_rows, integer_columns
from directives.writers import atomic_output, atomic_write, cell

log = logging.getLogger(__name__)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "datasets.xlsx"
PARQUET = "parquet"
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CELL = 32_767
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_FIXED_STAMP = "2000-01-01T00:00:00Z"
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WIDE = {"title", "subject", "text", "name", "message", "reason", "issuer", "regime_header",
         "parent_organization", "recipients", "distribution", "bullets", "file"}
_BATCH = 10_000


def guard_formula(text: str) -> str:
    """A CSV cell that a spreadsheet would read as a formula, made plain text by a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_cell(value: object) -> str:
    text = cell(value)
    return guard_formula(text) if isinstance(value, str) else text


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[Iterable[object]]) -> None:
    with atomic_output(path) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
        w = csv.writer(text, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        w.writerow(columns)
        for row in rows:
            w.writerow([csv_cell(v) for v in row])
        text.flush()
        text.detach()


def write_csvs(db: sqlite3.Connection, out: Path) -> list[Path]:
    paths = []
    for name in dataset_names():
        path = out / f"{name}.csv"
        write_csv(path, dataset_columns(name), dataset_rows(db, name))
        paths.append(path)
    return paths


# --- XLSX ---------------------------------------------------------------------------------------


def xlsx_text(value: str) -> str:
    text = _ILLEGAL_XML.sub("", value)
    return text if len(text) <= XLSX_MAX_CELL else text[:XLSX_MAX_CELL - 1] + "…"


def _xlsx_cell(ws, value: object):
    from openpyxl.cell import WriteOnlyCell

    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return WriteOnlyCell(ws, value=value)
    c = WriteOnlyCell(ws, value=xlsx_text(cell(value)))
    c.data_type = "s"  # a string, even when it starts with "=": never a formula
    return c


def _sheet(wb, name: str, rows: Iterable[tuple[object, ...]]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=name[:31])
    columns = dataset_columns(name)
    ws.freeze_panes = "A2"
    for i, col in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = 40 if col in _WIDE else max(10, len(col) + 2)
    header = []
    for col in columns:
        c = WriteOnlyCell(ws, value=col)
        c.font = Font(bold=True)
        header.append(c)
    ws.append(header)
    for n, row in enumerate(rows, 2):
        if n > XLSX_MAX_ROWS:
            log.warning("%s: sheet %s stops at %d rows (Excel's limit); the CSV and Parquet have them all",
                        XLSX, name, XLSX_MAX_ROWS)
            break
        ws.append([_xlsx_cell(ws, v) for v in row])


def stable_zip(data: bytes) -> bytes:
    """The same zip with fixed entry times and a fixed modification date in docProps/core.xml."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*", rb"\g<1>" + _FIXED_STAMP.encode(),
                                 content)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, content)
    return buf.getvalue()


def write_xlsx(db: sqlite3.Connection, path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.creator = "directives"
    for name in dataset_names():
        _sheet(wb, name, dataset_rows(db, name))
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write(path, stable_zip(buf.getvalue()))
    return path


# --- Parquet ------------------------------------------------------------------------------------


def _parquet_value(value: object, integer: bool) -> object:
    if value is None or integer:
        return value
    return cell(value)


def write_parquet(db: sqlite3.Connection, folder: Path) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    paths = []
    for name in dataset_names():
        columns = dataset_columns(name)
        ints = integer_columns(db, name)
        schema = pa.schema([(c, pa.int64() if c in ints else pa.string()) for c in columns])
        path = folder / f"{name}.parquet"
        with atomic_output(path) as fh, pq.ParquetWriter(fh, schema, compression="zstd") as writer:
            rows = iter(dataset_rows(db, name))
            while batch := [r for _, r in zip(range(_BATCH), rows, strict=False)]:
                arrays = [pa.array([_parquet_value(r[i], c in ints) for r in batch], type=schema.field(c).type)
                          for i, c in enumerate(columns)]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
        paths.append(path)
    return paths
