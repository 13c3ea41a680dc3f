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

from directives.index import Layout, dataset_rows, doc_rows, ds_table, integer_columns, ordered_docs
from directives.writers import atomic_output, cell, dataset_columns, dataset_names
from directives.xlsx import XLSX, rows_as_blobs, write_workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PARQUET = "parquet"
ROW_GROUP = 10_000
_COPY = 1 << 24

__all__ = ["PARQUET", "XLSX", "Layout", "guard_formula", "write_csv_dataset", "write_csvs", "write_parquet",
           "write_parquet_dataset", "write_xlsx"]


def guard_formula(text: str) -> str:
    """A CSV cell that a spreadsheet would read as a formula, made plain text by a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_cell(value: object) -> str:
    text = cell(value)
    return guard_formula(text) if isinstance(value, str) else text


def _spans(order: list[str], old: Layout, fresh: set[str], base: int) -> Iterator[tuple[str, int, int] | str]:
    """The new file as pieces: ("old", start, length) runs of the old file, or a doc_id to read anew."""
    where, pos = {}, base
    for doc, size in zip(old.docs, old.extents, strict=True):
        where[doc] = (pos, size)
        pos += size
    run: list[int] | None = None
    for doc in order:
        found = where.get(doc) if doc not in fresh else None
        if found is None:
            if run:
                yield ("old", run[0], run[1])
                run = None
            yield doc
        elif run and run[0] + run[1] == found[0]:
            run[1] += found[1]
        else:
            if run:
                yield ("old", run[0], run[1])
            run = [found[0], found[1]]
    if run:
        yield ("old", run[0], run[1])


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
                      fresh: frozenset[str] = frozenset()) -> Layout | None:
    """OUT/<name>.csv from the corpus; spliced from the file on disk when `old` is its layout (the
    documents in `fresh` read anew). Returns the new layout (None for errors.csv)."""
    header = csv_header(name)
    if name == "errors":
        with atomic_output(path) as fh:
            fh.write(header + _csv_bytes(dataset_rows(db, name)))
        return None
    order = ordered_docs(db)
    if old is not None and (not path.is_file() or path.stat().st_size != len(header) + old.total):
        old = None
    sizes = dict.fromkeys(order, 0)
    with atomic_output(path) as fh:
        fh.write(header)
        if old is None:
            for doc_id, rows in groupby(dataset_rows(db, name), key=lambda r: r[0]):
                block = _csv_bytes(rows)
                sizes[doc_id] = len(block)
                fh.write(block)
        else:
            with path.open("rb") as src:
                for piece in _spans(order, old, fresh, len(header)):
                    if isinstance(piece, tuple):
                        _copy_range(src.fileno(), fh, piece[1], piece[2])
                        continue
                    block = _csv_bytes(doc_rows(db, name, piece))
                    sizes[piece] = len(block)
                    fh.write(block)
                for doc, size in zip(old.docs, old.extents, strict=True):
                    if doc not in fresh and doc in sizes:
                        sizes[doc] = size
    return Layout(tuple(order), tuple(sizes[d] for d in order))


def write_csvs(db: sqlite3.Connection, out: Path) -> list[Path]:
    """Every CSV dataset, written whole."""
    paths = []
    for name in dataset_names():
        write_csv_dataset(db, out / f"{name}.csv", name)
        paths.append(out / f"{name}.csv")
    return paths


# --- XLSX ---------------------------------------------------------------------------------------


def write_xlsx(db: sqlite3.Connection, path: Path) -> Path:
    """OUT/datasets.xlsx from the corpus (rows from the templates stored per document)."""
    sheets = []
    for name in dataset_names():
        if name == "errors":
            count = db.execute(f"SELECT count(*) FROM {ds_table(name)}").fetchone()[0]
            sheets.append((name, lambda: rows_as_blobs("errors", dataset_rows(db, "errors")), count))
            continue
        count = db.execute("SELECT coalesce(sum(nrows), 0) FROM doc_rows WHERE dataset = ?", (name,)).fetchone()[0]

        def blobs(name: str = name) -> Iterator[bytes]:
            query = ("SELECT r.xlsx FROM doc_state s JOIN doc_rows r ON r.dataset = ? AND r.doc_id = s.doc_id "
                     "ORDER BY s.position, s.doc_id")
            return (bytes(b) for (b,) in db.execute(query, (name,)))
        sheets.append((name, blobs, count))
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


def _spliced(db: sqlite3.Connection, name: str, schema, previous, order: list[str], old: Layout,
             fresh: frozenset[str], counts: dict[str, int]):
    """The dataset as one table: runs of `previous` (the file on disk) and the rows of fresh documents."""
    import pyarrow as pa

    pieces = []
    for piece in _spans(order, old, fresh, 0):
        if isinstance(piece, tuple):
            pieces.append(previous.slice(piece[1], piece[2]).cast(schema))
            continue
        rows = doc_rows(db, name, piece)
        counts[piece] = len(rows)
        if rows:
            pieces.append(_arrow(rows, schema))
    for doc, size in zip(old.docs, old.extents, strict=True):
        if doc not in fresh and doc in counts:
            counts[doc] = size
    return pa.concat_tables(pieces) if pieces else schema.empty_table()


def _read_previous(path: Path, old: Layout, schema):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException):
        return None
    return table if table.num_rows == old.total and table.schema.names == schema.names else None


def write_parquet_dataset(db: sqlite3.Connection, path: Path, name: str, old: Layout | None = None,
                          fresh: frozenset[str] = frozenset()) -> Layout | None:
    """OUT/parquet/<name>.parquet from the corpus; spliced from the file on disk when `old` is its
    layout (see `write_csv_dataset`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema(db, name)
    order = ordered_docs(db) if name != "errors" else []
    counts = dict.fromkeys(order, 0)
    table = None
    if old is not None and name != "errors" and path.is_file():
        previous = _read_previous(path, old, schema)
        if previous is not None:
            try:
                table = _spliced(db, name, schema, previous, order, old, fresh, counts)
            except pa.ArrowException:  # a value that does not convert: the whole file from the corpus
                table, counts = None, dict.fromkeys(order, 0)
    with atomic_output(path) as fh, pq.ParquetWriter(fh, schema, compression="zstd") as writer:
        if table is None:
            rows = iter(dataset_rows(db, name))
            while batch := [r for _, r in zip(range(ROW_GROUP), rows, strict=False)]:
                writer.write_table(_arrow(batch, schema))
                if name != "errors":
                    for r in batch:
                        counts[r[0]] += 1
        else:
            for start in range(0, table.num_rows, ROW_GROUP):
                writer.write_table(table.slice(start, ROW_GROUP).combine_chunks())
    return Layout(tuple(order), tuple(counts[d] for d in order)) if name != "errors" else None


def write_parquet(db: sqlite3.Connection, folder: Path) -> list[Path]:
    """Every Parquet dataset, written whole."""
    paths = []
    for name in dataset_names():
        write_parquet_dataset(db, folder / f"{name}.parquet", name)
        paths.append(folder / f"{name}.parquet")
    return paths
