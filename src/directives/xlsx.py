"""OUT/datasets.xlsx: the workbook openpyxl writes, assembled from rows it wrote before.

A first sheet "README" (what each sheet and column holds, `columns.py`), then a sheet per dataset:
header row bold and frozen, an autofilter over the rows, column widths fitted to the longest value
(capped), every text cell an inline string (so a cell starting with "=" is never a formula, and an
identifier such as "09" or "3.10" stays as printed), numbers as numbers, `date` columns as date
cells shown as YYYY-MM-DD; characters XML cannot hold (control characters from damaged text) are
dropped and a cell stops at Excel's 32,767 characters. Entry times and the workbook's dates are
fixed: the same rows give the same bytes.

openpyxl's cost grows with every row written, so a document's rows go through openpyxl once, when
the document is indexed (`row_templates`: its rows as sheet XML with the row number left open), and
the workbook is assembled from those templates (`write_workbook`: rows numbered in this thread,
deflated by others): the parts and the XML openpyxl gives for the whole workbook, at a fraction of
the cost (figures in docs/measurements.md). A sheet is deflated in chunks of about a megabyte that
end where a document's rows end, each compressed on its own (`deflate.py`), its chunks recorded in
its zip entry. When the workbook on disk holds the rows of the documents at the start of a dataset
unchanged (`Kept`), the chunks that hold only those rows are copied as they are, compressed: only
the rest is numbered from its templates and compressed (`kept_chunks`). The chunks are a function
of the rows, so a workbook written whole has the same bytes. pandas' `to_excel` is not used: it
writes a text starting with "=" as a formula. A dataset with more rows than a sheet holds
(1,048,576 with the header) continues on sheets "name (2)", "name (3)" …, with a warning.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from directives.columns import README, README_COLUMNS
from directives.deflate import Chunk, chunk_extra, data_offset, deflate_chunk, entry_crc, recorded_chunks
from directives.writers import atomic_output, cell, dataset_columns

log = logging.getLogger(__name__)

XLSX = "datasets.xlsx"
XLSX_FORMAT = "chunked-1"  # how the workbook is deflated: one written otherwise is written again, once
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CELL = 32_767
ROW = b"\x01"  # the row number in a row template (XML cannot hold this character)
SEP = b"\x02"  # between the row templates of one document
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_FIXED_STAMP = "2000-01-01T00:00:00Z"
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NUMBERED = re.compile(rb'(<row r="|<c r="[A-Z]+)\d+"')
_ROW_START = re.compile(rb'(?=<row r=")')
_ROW_OPEN = b'<row r="'
_END_ROWS = b"</sheetData>"
_FLUSH = 1 << 20
DATE_COLUMNS = frozenset({"date"})
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60  # characters: a long text column stays on screen, its cells show the start
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def sheet_columns(name: str) -> tuple[str, ...]:
    return README_COLUMNS if name == README else dataset_columns(name)


def value_widths(rows: Iterable[Sequence[object]], width: int) -> list[int]:
    """Per column, the longest line of any value (characters; a date is 10)."""
    out = [0] * width
    for row in rows:
        for k, v in enumerate(row):
            if v is None:
                continue
            n = max(map(len, cell(v).split("\n")))
            if n > out[k]:
                out[k] = min(n, XLSX_MAX_CELL)
    return out


def column_width(header: str, longest: int) -> int:
    """A column's width: its longest value or its header (with room for the filter button), capped."""
    return min(MAX_WIDTH, max(len(header) + 4, longest + 2))


@dataclass(frozen=True)
class Frame:
    """What a sheet's XML around its rows depends on: how many rows it holds, its values' widths."""

    rows: int = 0
    widths: tuple[int, ...] = ()


def xlsx_text(value: str) -> str:
    text = _ILLEGAL_XML.sub("", value)
    return text if len(text) <= XLSX_MAX_CELL else text[:XLSX_MAX_CELL - 1] + "…"


def _date(value: object):
    import datetime as dt

    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:  # a printed date that does not exist stays text
            return None
    return None


def _cell(ws, value: object, is_date: bool = False):
    from openpyxl.cell import WriteOnlyCell

    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return WriteOnlyCell(ws, value=value)
    if is_date and (day := _date(value)) is not None:
        c = WriteOnlyCell(ws, value=day)
        c.number_format = DATE_FORMAT
        return c
    c = WriteOnlyCell(ws, value=xlsx_text(cell(value)))
    c.data_type = "s"  # a string, even when it starts with "=": never a formula
    return c


def openpyxl_workbook(sheets: Sequence[tuple[str, str]], rows: Callable[[int], Iterable[tuple[object, ...]]],
                      frames: Sequence[Frame] | None = None) -> bytes:
    """The zip openpyxl writes for sheets (title, dataset), sheet i holding `rows(i)` under its
    header; `frames[i]`: its row count and value widths (the autofilter's range, the columns' widths)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    wb.properties.creator = "directives"
    for i, (title, name) in enumerate(sheets):
        ws = wb.create_sheet(title=title)
        if i == 0:  # the styles in a fixed order (a template's style ids must be the workbook's)
            for style in ({"font": Font(bold=True)}, {"number_format": DATE_FORMAT}):
                proto = WriteOnlyCell(ws, value="")
                for key, value in style.items():
                    setattr(proto, key, value)
                _ = proto.style_id
        columns = sheet_columns(name)
        frame = frames[i] if frames else Frame()
        ws.freeze_panes = "A2"
        for k, col in enumerate(columns, 1):
            longest = frame.widths[k - 1] if k <= len(frame.widths) else 0
            ws.column_dimensions[get_column_letter(k)].width = column_width(col, longest)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{frame.rows + 1}"
        header = []
        for col in columns:
            c = WriteOnlyCell(ws, value=col)
            c.font = Font(bold=True)
            header.append(c)
        ws.append(header)
        dates = [col in DATE_COLUMNS for col in columns]
        for row in rows(i):
            ws.append([_cell(ws, v, d) for v, d in zip(row, dates, strict=False)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _split(sheet: bytes) -> tuple[bytes, list[bytes], bytes]:
    """Sheet XML → (everything to the end of the header row, the data rows, the rest)."""
    start, end = sheet.index(b"<sheetData>") + len(b"<sheetData>"), sheet.index(b"</sheetData>")
    rows = [r for r in _ROW_START.split(sheet[start:end]) if r]
    return sheet[:start] + rows[0], rows[1:], sheet[end:]


def template(row_xml: bytes) -> bytes:
    """A row's XML with its number (in the row and in every cell reference) left open."""
    return _NUMBERED.sub(lambda m: m.group(1) + ROW + b'"', row_xml)


def row_templates(name: str, docs: Sequence[Sequence[tuple[object, ...]]]) -> list[bytes]:
    """Per document, its rows of dataset `name` as openpyxl writes them, as templates joined by SEP."""
    return datasets_row_templates({name: docs})[name]


def datasets_row_templates(datasets: dict[str, Sequence[Sequence[tuple[object, ...]]]]) -> dict[str, list[bytes]]:
    """`row_templates` of several datasets (name → per document, its rows) from one workbook, a sheet
    each (the same bytes: a row's XML depends on its values and the styles, registered first)."""
    out = {name: [b"" for _ in docs] for name, docs in datasets.items()}
    names = [name for name, docs in datasets.items() if any(docs)]
    if not names:
        return out
    data = openpyxl_workbook([(name[:31], name) for name in names],
                             lambda i: (r for rows in datasets[names[i]] for r in rows))
    book = zipfile.ZipFile(io.BytesIO(data))
    for i, name in enumerate(names, 1):
        _, rows, _ = _split(book.read(f"xl/worksheets/sheet{i}.xml"))
        k = 0
        for j, doc in enumerate(datasets[name]):
            out[name][j] = SEP.join(template(r) for r in rows[k:k + len(doc)])
            k += len(doc)
    return out


def sheet_titles(name: str, rows: int) -> list[str]:
    """The sheet titles for `rows` data rows of dataset `name` (more than one past the row limit)."""
    per_sheet = XLSX_MAX_ROWS - 1
    count = max(1, -(-rows // per_sheet))
    if count > 1:
        log.warning("%s: dataset %s has %d rows, more than a sheet holds (%d): split over %d sheets",
                    XLSX, name, rows, XLSX_MAX_ROWS, count)
    return [name[:31]] + [f"{name[:24]} ({k})" for k in range(2, count + 1)]


class _Rows:
    """A dataset's rows from its document blobs ((doc_id, blob) in order), handed out a sheet at a
    time, numbered from `first` on the first sheet and from 2 on the next; `sizes`: the bytes of
    each document's numbered rows."""

    def __init__(self, blobs: Iterator[tuple[str | None, bytes]], first: int = 2):
        self._blobs = blobs
        self.first = first
        self._doc: str | None = None
        self._rows: list[bytes] = []
        self._at = 0
        self.sizes: dict[str, int] = {}

    def _next_document(self) -> bool:
        for doc, blob in self._blobs:
            if blob:
                self._doc, self._rows, self._at = doc, blob.split(SEP), 0
                return True
        return False

    def sheet(self, carry: bytes = b"") -> Iterator[tuple[bytes, int]]:
        """The next sheet's rows (up to the row limit) as chunks: (rows XML, row count). A chunk
        ends at the first document's end (or the sheet's) where it holds _FLUSH bytes or more, so
        the chunks are a function of the rows alone. `carry`: rows already numbered (before
        `first`), the start of the first chunk; none of them ends a chunk."""
        n, self.first = self.first, 2
        buf: list[bytes] = [carry] if carry else []
        size, count = len(carry), carry.count(_ROW_OPEN)
        while n <= XLSX_MAX_ROWS and (self._at < len(self._rows) or self._next_document()):
            end = min(len(self._rows), self._at + XLSX_MAX_ROWS + 1 - n)  # no row past the limit: the next sheet's
            part = [t.replace(ROW, b"%d" % k) for k, t in enumerate(self._rows[self._at:end], n)]
            n += end - self._at
            count += end - self._at
            self._at = end
            length = sum(map(len, part))
            if self._doc is not None:
                self.sizes[self._doc] = self.sizes.get(self._doc, 0) + length
            buf += part
            size += length
            if size >= _FLUSH and self._at == len(self._rows):
                yield b"".join(buf), count
                buf, size, count = [], 0, 0
        if buf:
            yield b"".join(buf), count


class _Stream:
    """One zip entry's deflate stream as chunks (`deflate.py`), compressed in order by a shared pool
    of threads (zlib and crc32 release the GIL: chunks are compressed while the next rows are
    numbered), or copied from the previous workbook."""

    _AHEAD = 64  # chunks (≈ 1 MB each) waiting at most in the pool: memory bounded

    def __init__(self, pool: ThreadPoolExecutor, pending: deque[Future]) -> None:
        self._pool, self._pending = pool, pending
        self._parts: list[tuple[Future | bytes, int, int, int | None]] = []  # data, size, rows, CRC if known

    def add(self, data: bytes, rows: int, last: bool = False) -> None:
        if len(self._pending) >= self._AHEAD:
            self._pending.popleft().result()
        future = self._pool.submit(deflate_chunk, data, last)
        self._pending.append(future)
        self._parts.append((future, len(data), rows, None))

    def copy(self, data: bytes, chunk: Chunk) -> None:
        self._parts.append((data, chunk.size, chunk.rows, chunk.crc))

    def result(self) -> tuple[bytes, list[Chunk]]:
        """The compressed bytes and their chunks, once every chunk is in."""
        out: list[bytes] = []
        chunks: list[Chunk] = []
        for part, size, rows, crc in self._parts:
            data, crc = part.result() if isinstance(part, Future) else (part, crc)
            out.append(data)
            chunks.append(Chunk(size, len(data), crc or 0, rows))
        return b"".join(out), chunks


def _write_deflated(dst: zipfile.ZipFile, entry: zipfile.ZipInfo, data: bytes, chunks: Sequence[Chunk]) -> None:
    """Add an entry whose data is already deflated, its chunks recorded in its extra field."""
    fp = dst.fp
    if fp is None:
        raise ValueError("the zip file is closed")
    entry.file_size, entry.compress_size, entry.CRC = sum(c.size for c in chunks), len(data), entry_crc(chunks)
    entry.extra = chunk_extra(chunks, _FLUSH)
    entry.header_offset = fp.tell()
    fp.write(entry.FileHeader(False))
    fp.write(data)
    dst.start_dir = fp.tell()
    dst.filelist.append(entry)
    dst.NameToInfo[entry.filename] = entry


def sheet_frames(name: str, count: int, widths: Sequence[int]) -> list[tuple[str, Frame]]:
    """(title, frame) of each sheet `count` rows of dataset `name` take."""
    titles = sheet_titles(name, count)
    per_sheet = XLSX_MAX_ROWS - 1
    return [(t, Frame(min(per_sheet, count - k * per_sheet), tuple(widths))) for k, t in enumerate(titles)]


@dataclass(frozen=True)
class Kept:
    """The first `length` bytes of the data rows (after the header row) of sheet `index` (1-based)
    of the workbook at `path`: rows a new version keeps as they are."""

    path: Path
    index: int
    length: int


@dataclass
class Sheet:
    """A dataset for the workbook: its document blobs in order ((doc_id or None, blob)), its row
    count and its values' widths; `prefix`: its first rows, kept from the previous workbook, before
    those of `blobs`."""

    name: str
    blobs: Callable[[], Iterator[tuple[str | None, bytes]]]
    count: int
    widths: Sequence[int]
    prefix: Kept | None = None


class StaleWorkbook(Exception):
    """The workbook on disk does not hold the rows its layout says."""


def kept_chunks(kept: Kept) -> tuple[list[tuple[bytes, Chunk]], bytes]:
    """The compressed chunks of the kept rows' sheet that lie whole within them (copied as they
    are), and the rest of those rows, uncompressed (the start of the chunk they end in). Raises
    `StaleWorkbook` unless the sheet records its chunks and its rows end where `kept` says."""
    try:
        with kept.path.open("rb") as fh, zipfile.ZipFile(fh) as zf:
            info = zf.getinfo(f"xl/worksheets/sheet{kept.index}.xml")
            chunks = recorded_chunks(info, _FLUSH)
            if chunks is None or len(chunks) < 2:
                raise StaleWorkbook(f"{kept.path}: sheet {kept.index} records no chunks")
            at = data_offset(fh, info) + chunks[0].length  # after the head: the sheet up to its header row
            copied: list[tuple[bytes, Chunk]] = []
            done, k = 0, 1
            # (the sheet's last rows may end a chunk short of _FLUSH, where more rows will not: not copied)
            while k < len(chunks) - 1 and done + chunks[k].size <= kept.length and chunks[k].size >= _FLUSH:
                fh.seek(at)
                copied.append((fh.read(chunks[k].length), chunks[k]))
                done, at = done + chunks[k].size, at + chunks[k].length
                k += 1
            need = kept.length - done
            fh.seek(at)  # the rest, and what follows it: from this chunk and the next (one deflate stream)
            text = zlib.decompressobj(-15).decompress(fh.read(sum(c.length for c in chunks[k:k + 2])),
                                                      need + len(_END_ROWS))
    except (OSError, KeyError, zipfile.BadZipFile, zlib.error) as exc:
        raise StaleWorkbook(f"{kept.path}: {exc}") from exc
    after = text[need:need + len(_END_ROWS)]
    if any(len(data) != c.length for data, c in copied) or not (after.startswith(_ROW_OPEN) or after == _END_ROWS):
        raise StaleWorkbook(f"{kept.path}: sheet {kept.index}'s rows do not end where its layout says")
    return copied, text[:need]


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> dict[str, dict[str, int]]:
    """The workbook of datasets, written atomically. Returns, when every dataset fits on one sheet,
    the bytes of each document's rows in each dataset's sheet (those of `blobs`; {} otherwise)."""
    # the kept rows first: a stale workbook raises before any query of the corpus is open (a cursor
    # held by the traceback would keep the corpus read-locked while the caller writes it whole)
    kept = {sheet.name: kept_chunks(sheet.prefix) for sheet in sheets if sheet.prefix is not None}
    plan: list[tuple[str, str, _Rows, Frame, Sheet | None]] = []  # title, dataset, its rows (shared by its
    numbered: dict[str, _Rows] = {}  # sheets), frame, the dataset on its first sheet
    for sheet in sheets:
        rows = _Rows(sheet.blobs())
        numbered[sheet.name] = rows
        frames = sheet_frames(sheet.name, sheet.count, sheet.widths)
        plan.extend((title, sheet.name, rows, frame, sheet if k == 0 else None)
                    for k, (title, frame) in enumerate(frames))
    empty = openpyxl_workbook([(title, name) for title, name, *_ in plan], lambda _i: (),
                              [frame for _, _, _, frame, _ in plan])
    skeleton = zipfile.ZipFile(io.BytesIO(empty))
    streams: dict[str, _Stream] = {}
    pending: deque[Future] = deque()
    with ThreadPoolExecutor(max_workers=2) as pool:
        try:
            for i, (_, _, rows, _, first) in enumerate(plan):
                name = f"xl/worksheets/sheet{i + 1}.xml"
                head, _, tail = _split(skeleton.read(name))
                streams[name] = stream = _Stream(pool, pending)
                stream.add(head, head.count(_ROW_OPEN))
                carry = b""
                if first is not None and first.name in kept:
                    copied, carry = kept.pop(first.name)
                    for data, chunk in copied:
                        stream.copy(data, chunk)
                    rows.first = 2 + sum(c.rows for _, c in copied) + carry.count(_ROW_OPEN)
                for piece, count in rows.sheet(carry):
                    stream.add(piece, count)
                stream.add(tail, 0, last=True)
            with atomic_output(path) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as dst:
                for info in skeleton.infolist():
                    entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    entry.external_attr = info.external_attr
                    if info.filename in streams:
                        _write_deflated(dst, entry, *streams[info.filename].result())
                    else:
                        dst.writestr(entry, fixed_dates(info.filename, skeleton.read(info.filename)))
        finally:
            pool.shutdown(cancel_futures=True)
    return {name: rows.sizes for name, rows in numbered.items()} if len(plan) == len(sheets) else {}


def fixed_dates(name: str, content: bytes) -> bytes:
    if name == "docProps/core.xml":
        return re.sub(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*", rb"\g<1>" + _FIXED_STAMP.encode(), content)
    return content


def rows_as_blobs(name: str, rows: Iterable[tuple[object, ...]], batch: int = 5000) -> Iterator[tuple[None, bytes]]:
    """Rows with no templates stored (the errors dataset) as template blobs, `batch` rows a blob."""
    chunk: list[tuple[object, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            yield None, row_templates(name, [chunk])[0]
            chunk = []
    if chunk:
        yield None, row_templates(name, [chunk])[0]
