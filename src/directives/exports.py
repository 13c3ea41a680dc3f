"""Analyst exports of the datasets, written from the corpus database (`index.py`).

Each dataset is written in its fixed column order (`writers.DATASETS`; what each column holds:
`columns.py`), without pandas (importing it costs more than writing a small archive):
- CSV (`OUT/<dataset>.csv`): the `csv` module, UTF-8 with BOM (utf-8-sig), RFC 4180 quoting,
  CRLF: the bytes pandas' `to_csv` gives for the same rows. No type is inferred: identifiers stay
  as printed ("09", "3.10"). Formula injection guard: a text cell starting with = + - @ (or a tab /
  carriage return) gets a leading apostrophe, the guard OWASP recommends: Excel and LibreOffice
  then show the cell as text, never evaluate it. JSON, XLSX and Parquet hold the text unchanged.
- Parquet (`OUT/parquet/<dataset>.parquet`): Arrow arrays built from their buffers, as pyarrow
  writes them: integers as int64 (a column whose every value is an integer or null, one at least),
  the rest strings (lists joined by " | " as in the CSVs), nulls as nulls; row groups of 10,000
  rows, zstd, no schema metadata.
- XLSX (`OUT/datasets.xlsx`): openpyxl's own writer, not `to_excel`, see `xlsx.py`: `to_excel`
  writes a text starting with "=" as a formula and an ISO date as text, and takes 20 times as long.

A file is a function of the corpus alone: documents in dataset order, each document's rows as its
own block. So when a file on disk is known to hold an earlier state (`Layout`: its documents and
the size of each one's block), a new version is spliced from it: the blocks of documents that did
not change are copied, only new and changed documents are read from the corpus (a Parquet file
keeps the row groups of the unchanged documents at its start as bytes, `parquet_footer.py`). The
bytes are the same as writing the whole file (`write_csv_dataset` and `write_parquet_dataset` with
no layout).
"""

from __future__ import annotations

import csv
import io
import logging
import os
import sqlite3
import struct
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
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
from directives.writers import DATASETS, PARQUET, atomic_output, dataset_columns, doc_column
from directives.xlsx import (
    README_COLUMNS,
    XLSX,
    Kept,
    Sheet,
    StaleWorkbook,
    rows_as_blobs,
    value_widths,
    write_workbook,
)

log = logging.getLogger(__name__)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ROW_GROUP = 10_000
CSV_CHUNK = 20_000  # rows of a DataFrame while a CSV is written whole
_COPY = 1 << 24

__all__ = ["PARQUET", "XLSX", "Layout", "Splicer", "guard_formula", "write_csv_dataset",
           "write_parquet_dataset", "write_xlsx"]


def guard_formula(text: str) -> str:
    """A CSV cell that a spreadsheet would read as a formula, made plain text by a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


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


def csv_cells(row: Sequence[object]) -> list[object]:
    """A row as the CSV shows it: no type inferred ("09" stays "09", an integer stays an integer,
    null is an empty cell), every text cell that starts like a formula behind an apostrophe."""
    return [guard_formula(v) if isinstance(v, str) else v for v in row]


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """RFC 4180 with minimal quoting and CRLF line ends (what pandas' `to_csv` writes for the same
    rows in an object frame: it hands them to this same `csv.writer`)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(map(csv_cells, rows))
    return buf.getvalue()


def csv_header(name: str) -> bytes:
    """The first line of OUT/<name>.csv, after the byte-order mark Excel needs to read UTF-8."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerow(dataset_columns(name))
    return buf.getvalue().encode("utf-8-sig")


def record_lengths(data: bytes) -> np.ndarray:
    """The byte length of each record of CSV `data`. A record ends at a CRLF that an even number of
    quotes precedes (inside a quoted field the count is odd)."""
    a = np.frombuffer(data, dtype=np.uint8)
    crlf = np.flatnonzero((a[:-1] == 13) & (a[1:] == 10))
    quotes = np.flatnonzero(a == 34)
    return np.diff(crlf[np.searchsorted(quotes, crlf) % 2 == 0] + 2, prepend=0)


def csv_records(name: str, rows: Sequence[Sequence[object]]) -> tuple[bytes, np.ndarray]:
    """Rows of dataset `name` as CSV bytes (one frame, one `to_csv`), and each record's length."""
    data = csv_text(rows).encode("utf-8")
    return data, record_lengths(data)


def csv_blocks(name: str, docs: Sequence[Sequence[Sequence[object]]]) -> list[bytes]:
    """Each document's rows of dataset `name` as its block of CSV bytes."""
    data, lengths = csv_records(name, [r for rows in docs for r in rows])
    ends = np.concatenate([[0], np.cumsum(lengths)])
    bounds = ends[np.cumsum([0, *map(len, docs)])].tolist()
    return [data[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


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
            fh.write(header + csv_text(dataset_rows(db, name)).encode("utf-8"))
        return None
    splicer = splicer or Splicer(ordered_docs(db))
    order = splicer.order
    if old is not None and (not path.is_file() or path.stat().st_size != len(header) + old.total):
        old = None
    with atomic_output(path) as fh:
        fh.write(header)
        if old is None:
            sizes = dict.fromkeys(order, 0)
            rows, key = iter(dataset_rows(db, name)), doc_column(name)
            while batch := list(islice(rows, CSV_CHUNK)):
                data, lengths = csv_records(name, batch)
                docs, where = np.unique([r[key] for r in batch], return_inverse=True)
                for doc_id, size in zip(docs.tolist(), np.bincount(where, weights=lengths).tolist(), strict=True):
                    sizes[doc_id] += int(size)
                fh.write(data)
            return Layout(tuple(order), tuple(sizes.values()))
        pieces, extents = splicer.pieces(old, len(header))
        fresh = [p for p in pieces if not isinstance(p, tuple)]
        blocks = dict(zip(fresh, csv_blocks(name, [doc_rows(db, name, order[p]) for p in fresh]), strict=True))
        with path.open("rb") as src:
            for piece in pieces:
                if isinstance(piece, tuple):
                    _copy_range(src.fileno(), fh, *piece)
                    continue
                extents[piece] = len(blocks[piece])
                fh.write(blocks[piece])
    return Layout(tuple(order), tuple(extents.tolist()))


# --- XLSX ---------------------------------------------------------------------------------------


def unchanged_prefix(splicer: Splicer, old: Layout) -> int:
    """How many documents at the start of the current order the file on disk (of layout `old`) holds
    as they are, at the same place: their rows keep their bytes (and in the workbook their numbers),
    so they are copied."""
    idx = splicer.index(old.docs)
    same = idx == np.arange(len(idx))
    return int(np.argmin(same)) if not same.all() else len(idx)


def sheet_sizes(db: sqlite3.Connection) -> dict[str, tuple[int, list[int]]]:
    """Per dataset: its row count and its values' widths (`value_widths_of`), in one pass over the
    documents' row counts (not one indexed search per dataset: a third of the time)."""
    out = {ds.name: (0, [0] * len(dataset_columns(ds.name))) for ds in DATASETS}
    for name, widths, rows in db.execute("SELECT dataset, widths, sum(nrows) FROM doc_rows NOT INDEXED "
                                         "GROUP BY dataset, widths"):
        if name in out and rows:
            count, longest = out[name]
            out[name] = (count + rows, [max(a, int(b)) for a, b in zip(longest, widths.split(","), strict=True)])
    return out


def write_xlsx(db: sqlite3.Connection, path: Path, old: Layout | None = None,
               splicer: Splicer | None = None) -> Layout:
    """OUT/datasets.xlsx from the corpus (rows from the templates stored per document), after a
    README sheet. With `old` (the layout of the workbook on disk: its documents, then each dataset's
    bytes per document) and `splicer`, the rows of the documents at the start that did not change
    are copied from it. Returns the new layout (no documents when a dataset takes more than one sheet)."""
    splicer = splicer or Splicer(ordered_docs(db))
    try:
        return _write_xlsx(db, path, old, splicer)
    except StaleWorkbook as exc:
        log.warning("%s: written whole (%s)", path, exc)
        return _write_xlsx(db, path, None, splicer)


def _write_xlsx(db: sqlite3.Connection, path: Path, old: Layout | None, splicer: Splicer) -> Layout:
    readme = readme_rows()
    sheets = [Sheet(README, lambda: rows_as_blobs(README, readme), len(readme),
                    value_widths(readme, len(README_COLUMNS)))]
    order = splicer.order
    names = [ds.name for ds in DATASETS]
    keep = (unchanged_prefix(splicer, old) if old is not None and old.docs and len(old.extents) == len(names) * len(old.docs)
            else 0)
    kept: dict[str, list[int]] = {}
    shapes = sheet_sizes(db)
    for k, name in enumerate(names):
        count, widths = shapes[name]
        prefix = None
        if keep and old is not None:
            kept[name] = list(old.extents[k * len(old.docs):k * len(old.docs) + keep])
            if sum(kept[name]):
                prefix = Kept(path, k + 2, sum(kept[name]))
        start = len(kept.get(name, []))

        def blobs(name: str = name, start: int = start) -> Iterator[tuple[str | None, bytes]]:
            query = ("SELECT s.doc_id, r.xml FROM doc_state s CROSS JOIN xlsx_rows r ON r.dataset = ? "
                     "AND r.doc_id = s.doc_id{} ORDER BY s.position, s.doc_id")  # CROSS JOIN: in order, no sort
            rows: Iterable[tuple[str, bytes]]
            if start == 0:
                rows = db.execute(query.format(""), (name,))
            elif start < len(order):
                (position,) = db.execute("SELECT position FROM doc_state WHERE doc_id = ?", (order[start],)).fetchone()
                rows = db.execute(query.format(" WHERE (s.position, s.doc_id) >= (?, ?)"),
                                  (name, position, order[start]))
            else:
                rows = []
            return ((d, bytes(b)) for d, b in rows)
        sheets.append(Sheet(name, blobs, count, widths, prefix))
    errors = db.execute(f"SELECT count(*) FROM {ds_table('errors')}").fetchone()[0]
    sheets.append(Sheet("errors", lambda: rows_as_blobs("errors", dataset_rows(db, "errors")), errors,
                        value_widths_of(db, "errors")))
    sizes = write_workbook(path, sheets)
    if not sizes:  # a dataset on several sheets: none copied next time
        return Layout((), ())
    extents: list[int] = []
    for name in names:
        start = len(kept.get(name, []))
        extents += kept.get(name, []) + [sizes[name].get(d, 0) for d in order[start:]]
    return Layout(tuple(order), tuple(extents))


# --- Parquet ------------------------------------------------------------------------------------


def parquet_schema(db: sqlite3.Connection, name: str):
    import pyarrow as pa

    ints = integer_columns(db, name)
    return pa.schema([(c, pa.int64() if c in ints else pa.string()) for c in dataset_columns(name)])


def _text(value: object) -> bytes | None:
    return None if value is None else (value if isinstance(value, str) else str(value)).encode("utf-8")


def _validity(present: np.ndarray):
    """Arrow's validity bitmap (None when every value is there) and the null count."""
    import pyarrow as pa

    nulls = len(present) - int(present.sum())
    return (pa.py_buffer(np.packbits(present, bitorder="little")) if nulls else None), nulls


def _column(values: Sequence[object], integer: bool):
    """One column as an Arrow array, built from its buffers: `pa.array` would import pandas (to ask
    whether the values are a pandas object), which a run that writes Parquet does not need."""
    import pyarrow as pa

    if integer:
        present = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
        data = np.fromiter((0 if v is None else v for v in values), dtype=np.int64, count=len(values))
        validity, nulls = _validity(present)
        return pa.Array.from_buffers(pa.int64(), len(values), [validity, pa.py_buffer(data)], null_count=nulls)
    encoded = [_text(v) for v in values]
    present = np.fromiter((e is not None for e in encoded), dtype=bool, count=len(encoded))
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum(np.fromiter((len(e) if e else 0 for e in encoded), dtype=np.int64, count=len(encoded)),
              out=offsets[1:], dtype=np.int32)
    validity, nulls = _validity(present)
    data = pa.py_buffer(b"".join(e for e in encoded if e))
    return pa.Array.from_buffers(pa.string(), len(encoded), [validity, pa.py_buffer(offsets), data],
                                 null_count=nulls)


def _arrow(rows: Sequence[Sequence[object]], schema):
    """The Arrow table pyarrow writes, one chunk a column: the schema's integer columns as integers
    (nulls as nulls), the rest as text (a number in a text column as its CSV cell); no metadata
    (a file is a function of its rows)."""
    import pyarrow as pa

    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    arrays = [_column(values, f.type == pa.int64()) for f, values in zip(schema, columns, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


def _spliced(db: sqlite3.Connection, name: str, schema, previous, old: Layout, splicer: Splicer, cut: int = 0):
    """The dataset from its row `cut` on as one table: runs of `previous` (the file on disk from its
    row `cut` on) and the rows of fresh documents; and each document's row count."""
    import pyarrow as pa

    pieces, counts = splicer.pieces(old, 0)
    fresh = [p for p in pieces if not isinstance(p, tuple)]
    docs = [doc_rows(db, name, splicer.order[p]) for p in fresh]
    new = _arrow([r for d in docs for r in d], schema)  # one frame for every fresh document
    starts = dict(zip(fresh, np.cumsum([0, *map(len, docs)]).tolist(), strict=False))
    for piece, rows in zip(fresh, docs, strict=True):
        counts[piece] = len(rows)
    tables = []
    at = 0  # the piece's first row in the new file
    for kept in pieces:
        size = kept[1] if isinstance(kept, tuple) else int(counts[kept])
        skip = min(size, max(0, cut - at))  # its rows before `cut`: not wanted
        at += size
        if skip == size:
            continue
        if isinstance(kept, tuple):
            if kept[0] + skip < cut or previous is None:  # (only rows of the unchanged documents at the start
                raise ValueError("a row before the cut copied after it")  # come before it)
            part = previous.slice(kept[0] + skip - cut, size - skip)
            tables.append(part if part.schema == schema else part.cast(schema))
        else:
            tables.append(new.slice(starts[kept] + skip, size - skip))
    empty = pa.Table.from_batches([], schema=schema)  # (`schema.empty_table()` imports pandas)
    return (pa.concat_tables(tables) if tables else empty), counts


def _read_previous(path: Path, old: Layout, schema):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path).read()  # not read_table: that imports pyarrow.dataset (and pandas)
    except (OSError, pa.ArrowException):
        return None
    return table if table.num_rows == old.total and table.schema.names == schema.names else None


def _row_groups_kept(db: sqlite3.Connection, path: Path, name: str, schema, old: Layout,
                     splicer: Splicer) -> Layout | None:
    """Write the file by keeping the row groups of its previous version (`old`: its layout) that
    hold only rows of the unchanged documents at the start of the order, their bytes copied: only
    the rows after them are written, as row groups of their own (`parquet_footer.py`: the footer
    says where they now are). The bytes are those of the file written whole. None (nothing written)
    when no whole row group can be kept, or the file on disk is not what its layout says."""
    import pyarrow.parquet as pq

    from directives.parquet_footer import read_footer, row_group_rows, row_groups_end, spliced_footer

    keep = sum(old.extents[:unchanged_prefix(splicer, old)]) // ROW_GROUP
    if not keep:
        return None
    with path.open("rb") as src:
        size = os.fstat(src.fileno()).st_size
        if size < 12:
            return None
        (length,) = struct.unpack("<I", os.pread(src.fileno(), 4, size - 8))
        footer = read_footer(os.pread(src.fileno(), length + 8, size - length - 8), size, check=False)  # (the
        # footer of the rows written, below, is checked, and its writer compared with this one's)
        groups = row_group_rows(footer)
        if (footer.num_rows != old.total or any(n != ROW_GROUP for n in groups[:keep])
                or row_groups_end(footer, len(groups)) != footer.start):  # something between the row groups and footer
            return None
        parquet = pq.ParquetFile(src)
        if parquet.schema_arrow != schema:  # a column's type changed: every row group changes
            return None
        previous = parquet.read_row_groups(range(keep, len(groups))) if keep < len(groups) else None
        table, counts = _spliced(db, name, schema, previous, old, splicer, keep * ROW_GROUP)
        buf = io.BytesIO()
        with pq.ParquetWriter(buf, schema, compression="zstd") as writer:
            for start in range(0, table.num_rows, ROW_GROUP):
                writer.write_table(table.slice(start, ROW_GROUP).combine_chunks())
        tail = buf.getbuffer()
        added = read_footer(tail)
        if added.other_fields() != footer.other_fields():  # another schema or writer: the whole file
            return None
        start = row_groups_end(footer, keep)
        with atomic_output(path) as fh:
            _copy_range(src.fileno(), fh, 0, start)
            fh.write(tail[4:added.start])
            fh.write(spliced_footer(footer, keep, added, start - 4))
    return Layout(tuple(splicer.order), tuple(counts.tolist()))


def write_parquet_dataset(db: sqlite3.Connection, path: Path, name: str, old: Layout | None = None,
                          splicer: Splicer | None = None) -> Layout | None:
    """OUT/parquet/<name>.parquet from the corpus; spliced from the file on disk when `old` is its
    layout (see `write_csv_dataset`): its row groups of unchanged documents at the start kept as
    they are (`_row_groups_kept`), or else the file read and the rows of unchanged documents taken
    from it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from directives.parquet_footer import FooterError

    schema = parquet_schema(db, name)
    errors = name == "errors"
    splicer = None if errors else splicer or Splicer(ordered_docs(db))
    table = counts = None
    if old is not None and splicer is not None and path.is_file():
        try:
            layout = _row_groups_kept(db, path, name, schema, old, splicer)
        except (FooterError, OSError, pa.ArrowException, ValueError, TypeError) as exc:  # written as below
            log.debug("%s: row groups not kept (%s)", path, exc)
            layout = None
        if layout is not None:
            return layout
        previous = _read_previous(path, old, schema)
        if previous is not None:
            try:
                table, counts = _spliced(db, name, schema, previous, old, splicer)
            except (pa.ArrowException, ValueError, TypeError):  # a value that does not convert: the whole file
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
