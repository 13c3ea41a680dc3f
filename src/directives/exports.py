"""Analyst exports of the datasets, written from the corpus database (`index.py`).

- CSV (`OUT/<dataset>.csv`): UTF-8 with BOM, RFC 4180 quoting, CRLF. Formula injection guard: a
  text cell starting with = + - @ (or a tab / carriage return) gets a leading apostrophe, the guard
  OWASP recommends: Excel and LibreOffice then show the cell as text, never evaluate it. JSON,
  XLSX and Parquet hold the text unchanged.
- XLSX (`OUT/datasets.xlsx`): see `xlsx.py`.
- Parquet (`OUT/parquet/<dataset>.parquet`): the same columns, integers as int64 (a column whose
  every value is an integer or null, one at least), the rest strings (lists joined by " | " as in
  the CSVs), nulls as nulls; row groups of 10,000 rows.

A file is a function of the corpus alone: documents in dataset order, each document's rows as its
own block. So when a file on disk is known to hold an earlier state (`Layout`: its documents and
the size of each one's block), a new version is spliced from it: the blocks of documents that did
not change are copied, only new and changed documents are read from the corpus. The bytes are the
same as writing the whole file (`write_csv_dataset` and `write_parquet_dataset` with no layout).
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import BinaryIO

import numpy as np

from directives.columns import README, readme_rows
from directives.index import (
    Layout,
    dataset_rows,
    doc_rows,
    ds_table,
    integer_columns,
    ordered_docs,
    value_widths_of,
)
from directives.writers import atomic_output, cell, dataset_columns, dataset_names, doc_column
from directives.xlsx import README_COLUMNS, XLSX, rows_as_blobs, value_widths, write_workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PARQUET = "parquet"
ROW_GROUP = 10_000
_COPY = 1 << 24

__all__ = ["PARQUET", "XLSX", "Layout", "Splicer", "guard_formula", "write_csv_dataset", "write_csvs",
           "write_parquet", "write_parquet_dataset", "write_xlsx"]


def guard_formula(text: str) -> str:
    """A CSV cell that a spreadsheet would read as a formula, made plain text by a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_cell(value: object) -> str:
    text = cell(value)
    return guard_formula(text) if isinstance(value, str) else text


class Splicer:
    """How files of an earlier state map onto the current dataset order: for each document (in
    `order`) where its block was in the old file, unless it is in `fresh` (indexed since). Runs of
    consecutive old blocks are copied as one piece. Computed with numpy once per old order: a
    20,000-document file costs milliseconds to plan."""

    def __init__(self, order: list[str], fresh: frozenset[str] = frozenset()):
        self.order = order
        self.fresh = fresh
        self._index: tuple[tuple[str, ...], np.ndarray] | None = None

    def index(self, old_docs: tuple[str, ...]) -> np.ndarray:
        """Per document of the order: its position in `old_docs`, or -1 (new or fresh)."""
        if self._index is None or self._index[0] != old_docs:
            where = {d: i for i, d in enumerate(old_docs)}
            idx = np.fromiter((-1 if d in self.fresh else where.get(d, -1) for d in self.order), dtype=np.int64,
                              count=len(self.order))
            self._index = (old_docs, idx)
        return self._index[1]

    def pieces(self, old: Layout, base: int) -> tuple[list[tuple[int, int] | int], np.ndarray]:
        """The new file as pieces, in order: (start, length) to copy from the old file, or the
        position in `order` of a document to read anew; and the old extent of each document (0
        for those read anew)."""
        idx = self.index(old.docs)
        ext = np.asarray(old.extents, dtype=np.int64)
        starts = base + np.cumsum(ext) - ext
        valid = idx >= 0
        first = valid.copy()
        first[1:] &= ~(valid[:-1] & (idx[1:] == idx[:-1] + 1))  # a run of old blocks starts here
        breaks = np.flatnonzero(~valid | first)
        pieces: list[tuple[int, int] | int] = []
        for k in breaks:
            if not valid[k]:
                pieces.append(int(k))
                continue
            nxt = np.searchsorted(breaks, k, side="right")
            end = int(breaks[nxt]) if nxt < len(breaks) else len(idx)
            a, b = idx[k], idx[end - 1]
            pieces.append((int(starts[a]), int(starts[b] + ext[b] - starts[a])))
        return pieces, np.where(valid, ext[np.where(valid, idx, 0)] if len(ext) else 0, 0)


# --- CSV ----------------------------------------------------------------------------------------


def _csv_bytes(rows: Iterable[Iterable[object]], header: Iterable[str] | None = None) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    if header is not None:
        w.writerow(header)
    for row in rows:
        w.writerow([csv_cell(v) for v in row])
    return buf.getvalue().encode("utf-8")


def csv_header(name: str) -> bytes:
    return "\ufeff".encode() + _csv_bytes([], dataset_columns(name))


def _copy_range(src: int, dst: BinaryIO, start: int, length: int) -> None:
    dst.flush()
    fd = dst.fileno()
    while length > 0:
        try:
            n = os.copy_file_range(src, fd, min(length, _COPY), start)
        except OSError:  # not on this file system: through memory
            n = os.write(fd, os.pread(src, min(length, _COPY), start))
        if n <= 0:
            raise OSError(f"short copy at byte {start}")
        start += n
        length -= n


def write_csv_dataset(db: sqlite3.Connection, path: Path, name: str, old: Layout | None = None,
                      splicer: Splicer | None = None) -> Layout | None:
    """OUT/<name>.csv from the corpus; spliced from the file on disk when `old` is its layout
    (`splicer`: the current order, and the documents to read anew). Returns the new layout (None
    for errors.csv)."""
    header = csv_header(name)
    if name == "errors":
        with atomic_output(path) as fh:
            fh.write(header + _csv_bytes(dataset_rows(db, name)))
        return None
    splicer = splicer or Splicer(ordered_docs(db))
    order = splicer.order
    if old is not None and (not path.is_file() or path.stat().st_size != len(header) + old.total):
        old = None
    with atomic_output(path) as fh:
        fh.write(header)
        if old is None:
            sizes = dict.fromkeys(order, 0)
            key = doc_column(name)
            for doc_id, rows in groupby(dataset_rows(db, name), key=lambda r: r[key]):
                block = _csv_bytes(rows)
                sizes[doc_id] = len(block)
                fh.write(block)
            return Layout(tuple(order), tuple(sizes.values()))
        pieces, extents = splicer.pieces(old, len(header))
        with path.open("rb") as src:
            for piece in pieces:
                if isinstance(piece, tuple):
                    _copy_range(src.fileno(), fh, *piece)
                    continue
                block = _csv_bytes(doc_rows(db, name, order[piece]))
                extents[piece] = len(block)
                fh.write(block)
    return Layout(tuple(order), tuple(extents.tolist()))


def write_csvs(db: sqlite3.Connection, out: Path) -> list[Path]:
    """Every CSV dataset, written whole."""
    paths = []
    for name in dataset_names():
        write_csv_dataset(db, out / f"{name}.csv", name)
        paths.append(out / f"{name}.csv")
    return paths


# --- XLSX ---------------------------------------------------------------------------------------


def write_xlsx(db: sqlite3.Connection, path: Path) -> Path:
    """OUT/datasets.xlsx from the corpus (rows from the templates stored per document), after a
    README sheet."""
    readme = readme_rows()
    sheets = [(README, lambda: rows_as_blobs(README, readme), len(readme), value_widths(readme, len(README_COLUMNS)))]
    for name in dataset_names():
        widths = value_widths_of(db, name)
        if name == "errors":
            count = db.execute(f"SELECT count(*) FROM {ds_table(name)}").fetchone()[0]
            sheets.append((name, lambda: rows_as_blobs("errors", dataset_rows(db, "errors")), count, widths))
            continue
        count = db.execute("SELECT coalesce(sum(nrows), 0) FROM doc_rows WHERE dataset = ?", (name,)).fetchone()[0]

        def blobs(name: str = name) -> Iterator[bytes]:
            query = ("SELECT r.xml FROM doc_state s CROSS JOIN xlsx_rows r ON r.dataset = ? AND r.doc_id = s.doc_id "
                     "ORDER BY s.position, s.doc_id")  # CROSS JOIN: in document order, no sort of the blobs
            return (bytes(b) for (b,) in db.execute(query, (name,)))
        sheets.append((name, blobs, count, widths))
    write_workbook(path, sheets)
    return path


# --- Parquet ------------------------------------------------------------------------------------


def _parquet_value(value: object, integer: bool) -> object:
    if value is None or integer:
        return value
    return cell(value)


def parquet_schema(db: sqlite3.Connection, name: str):
    import pyarrow as pa

    ints = integer_columns(db, name)
    return pa.schema([(c, pa.int64() if c in ints else pa.string()) for c in dataset_columns(name)])


def _arrow(rows: list[tuple[object, ...]], schema):
    import pyarrow as pa

    arrays = [pa.array([_parquet_value(r[i], f.type == pa.int64()) for r in rows], type=f.type)
              for i, f in enumerate(schema)]
    return pa.Table.from_arrays(arrays, schema=schema)


def _spliced(db: sqlite3.Connection, name: str, schema, previous, old: Layout, splicer: Splicer):
    """The dataset as one table: runs of `previous` (the file on disk) and the rows of fresh
    documents; and each document's row count."""
    import pyarrow as pa

    pieces, counts = splicer.pieces(old, 0)
    tables = []
    for piece in pieces:
        if isinstance(piece, tuple):
            part = previous.slice(*piece)
            tables.append(part if part.schema == schema else part.cast(schema))
            continue
        rows = doc_rows(db, name, splicer.order[piece])
        counts[piece] = len(rows)
        if rows:
            tables.append(_arrow(rows, schema))
    return (pa.concat_tables(tables) if tables else schema.empty_table()), counts


def _read_previous(path: Path, old: Layout, schema):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path).read()  # not read_table: that imports pyarrow.dataset (and pandas)
    except (OSError, pa.ArrowException):
        return None
    return table if table.num_rows == old.total and table.schema.names == schema.names else None


def write_parquet_dataset(db: sqlite3.Connection, path: Path, name: str, old: Layout | None = None,
                          splicer: Splicer | None = None) -> Layout | None:
    """OUT/parquet/<name>.parquet from the corpus; spliced from the file on disk when `old` is its
    layout (see `write_csv_dataset`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema(db, name)
    errors = name == "errors"
    splicer = None if errors else splicer or Splicer(ordered_docs(db))
    table = counts = None
    if old is not None and splicer is not None and path.is_file():
        previous = _read_previous(path, old, schema)
        if previous is not None:
            try:
                table, counts = _spliced(db, name, schema, previous, old, splicer)
            except pa.ArrowException:  # a value that does not convert: the whole file from the corpus
                table = counts = None
    with atomic_output(path) as fh, pq.ParquetWriter(fh, schema, compression="zstd") as writer:
        if table is None:
            sizes: dict[object, int] = dict.fromkeys(splicer.order if splicer else [], 0)
            rows = iter(dataset_rows(db, name))
            key = 0 if errors else doc_column(name)
            while batch := [r for _, r in zip(range(ROW_GROUP), rows, strict=False)]:
                writer.write_table(_arrow(batch, schema))
                if not errors:
                    for r in batch:
                        sizes[r[key]] += 1
            counts = list(sizes.values())
        else:
            for start in range(0, table.num_rows, ROW_GROUP):
                writer.write_table(table.slice(start, ROW_GROUP).combine_chunks())
            counts = counts.tolist() if counts is not None else []
    return None if errors or splicer is None else Layout(tuple(splicer.order), tuple(counts))


def write_parquet(db: sqlite3.Connection, folder: Path) -> list[Path]:
    """Every Parquet dataset, written whole."""
    paths = []
    for name in dataset_names():
        write_parquet_dataset(db, folder / f"{name}.parquet", name)
        paths.append(folder / f"{name}.parquet")
    return paths
