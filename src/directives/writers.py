"""Writers: validated models → files, each written atomically (temp name, then rename).

JSON: one file per document, `json/<doc_id>.json`. Datasets (`DATASETS`): flat views of the same
models, one row per entity keyed by doc_id, in a fixed column order; `cell` is a value as the
datasets' text shows it (ISO dates, lists joined by " | ", null as an empty cell). The corpus
database stores these rows and `exports.py` writes them as CSV, XLSX and Parquet.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from directives.errors import OutputError
from directives.schemas import Directive

LIST_SEP = " | "


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part."""
    with atomic_output(path) as fh:
        fh.write(data)


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write `path` through, streaming: it replaces `path` only when the block ends
    without an error (a temporary file in the same folder, fsynced, then renamed)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _FILE_MODE)  # mkstemp makes 0600; outputs are datasets others read
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise


def json_path(out: Path, doc_id: str) -> Path:
    return out / "json" / f"{doc_id}.json"


def write_json(directive: Directive, out: Path) -> Path:
    path = json_path(out, directive.doc_id)
    atomic_write(path, (directive.model_dump_json(indent=2) + "\n").encode("utf-8"))
    return path


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEP.join(cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value.value if hasattr(value, "value") else value)


@dataclass(frozen=True)
class Dataset:
    """One CSV file: its columns and how a document becomes its rows."""

    name: str
    columns: tuple[str, ...]
    rows: Callable[[Directive], Iterable[tuple[object, ...]]]


DOC_KEYS = ("reference", "type", "date", "issuer")  # beside doc_id on every child dataset: no lookup needed


def _keys(d: Directive) -> tuple[object, ...]:
    m = d.metadata
    return d.doc_id, m.reference, m.type, m.date, m.issuer


def months_text(months: list[int]) -> str | None:
    """An activity's months as read: "Tháng 7, 8, 9" (None when none was read)."""
    return "Tháng " + ", ".join(str(m) for m in months) if months else None


def _documents(d: Directive) -> Iterable[tuple[object, ...]]:
    m, s = d.metadata, d.metadata.signer
    yield (m.reference, m.type, m.date, m.issuer, m.subject, m.number, m.symbol, m.place, d.status,
           s.name, s.title, s.authority, s.on_behalf_of, m.parent_organization, m.regime_header, m.recipients,
           m.distribution, d.source.pages, len(d.parts), len(d.sections), len(d.tables), len(d.activities),
           len(d.warnings), d.doc_id, d.source.path, d.source.relative_path, d.source.absolute_path, d.source.sha256,
           d.source.page_sources)


def _parts(d: Directive) -> Iterable[tuple[object, ...]]:
    for p in d.parts:
        yield d.doc_id, p.id, p.type, p.title, p.subject, p.reference, p.place, p.date, p.marks, p.pages


def _sections(d: Directive) -> Iterable[tuple[object, ...]]:
    for s in d.sections:
        yield (*_keys(d), s.id, s.parent_id, s.part, s.number, s.level, s.title, s.text, s.bullets, s.pages,
               s.keywords)


def _activities(d: Directive) -> Iterable[tuple[object, ...]]:
    for a in d.activities:
        yield *_keys(d), a.table_id, a.row, a.no, a.name, a.time_text, months_text(a.months), a.year


def _activity_months(d: Directive) -> Iterable[tuple[object, ...]]:
    for a in d.activities:
        for month in a.months:
            yield *_keys(d), a.table_id, a.row, a.no, a.name, month, a.year


def _tables(d: Directive) -> Iterable[tuple[object, ...]]:
    for t in d.tables:
        for r, row in enumerate(t.rows):
            for c, text in enumerate(row):
                column = t.columns[c] if c < len(t.columns) else None
                yield *_keys(d), t.id, t.part, t.title, r, c, column, text


def _entities(d: Directive) -> Iterable[tuple[object, ...]]:
    for e in d.entities:
        yield *_keys(d), e.section_id, e.label, e.text, e.normalized, e.start, e.end


def _warnings(d: Directive) -> Iterable[tuple[object, ...]]:
    for w in d.warnings:
        yield *_keys(d), w.severity, w.code, w.message, w.page, w.part, w.field, d.source.path


def _signatures(d: Directive) -> Iterable[tuple[object, ...]]:
    for s in d.signatures:
        yield (d.doc_id, d.source.path, s.kind, s.field, s.page, s.signer, s.organization, s.email, s.signing_time,
               s.reason, s.location, s.intact, s.valid, s.covers_whole_file, s.modified_after_signing,
               s.later_changes_signed, s.subfilter, s.certificate_subject, s.certificate_issuer, s.byte_range, s.box,
               s.text, s.error)


PARQUET = "parquet"  # the folder of the Parquet files (`exports.py`)

DATASETS: tuple[Dataset, ...] = (
    Dataset("documents", ("reference", "type", "date", "issuer", "subject", "number", "symbol", "place", "status",
                          "signer_name", "signer_title", "signer_authority", "signer_on_behalf_of",
                          "parent_organization", "regime_header", "recipients", "distribution", "pages", "n_parts",
                          "n_sections", "n_tables", "n_activities", "n_warnings", "doc_id", "file", "relative_path",
                          "absolute_path", "sha256", "page_sources"), _documents),
    Dataset("parts", ("doc_id", "part", "type", "title", "subject", "reference", "place", "date", "marks",
                      "pages"), _parts),
    Dataset("sections", ("doc_id", *DOC_KEYS, "section_id", "parent_id", "part", "number", "level", "title", "text",
                         "bullets", "pages", "keywords"), _sections),
    Dataset("activities", ("doc_id", *DOC_KEYS, "table_id", "row", "no", "name", "time_text", "months", "year"),
            _activities),
    Dataset("activity_months", ("doc_id", *DOC_KEYS, "table_id", "row", "no", "name", "month", "year"),
            _activity_months),
    Dataset("tables", ("doc_id", *DOC_KEYS, "table_id", "part", "title", "row", "col", "column", "text"), _tables),
    Dataset("warnings", ("doc_id", *DOC_KEYS, "severity", "code", "message", "page", "part", "field", "file"),
            _warnings),
    Dataset("entities", ("doc_id", *DOC_KEYS, "section_id", "label", "text", "normalized", "start", "end"),
            _entities),
    Dataset("signatures", ("doc_id", "file", "kind", "field", "page", "signer", "organization", "email",
                           "signing_time", "reason", "location", "intact", "valid", "covers_whole_file",
                           "modified_after_signing", "later_changes_signed", "subfilter", "certificate_subject",
                           "certificate_issuer", "byte_range", "box", "text", "error"), _signatures),
)
ERRORS_COLUMNS = ("file", "code", "reason")


def dataset_names() -> list[str]:
    """Every dataset: one per entry of DATASETS, then errors (rows from the batch, not from a document)."""
    return [ds.name for ds in DATASETS] + ["errors"]


def dataset_columns(name: str) -> tuple[str, ...]:
    if name == "errors":
        return ERRORS_COLUMNS
    return next(ds.columns for ds in DATASETS if ds.name == name)


def doc_column(name: str) -> int:
    """Where a dataset's rows hold their doc_id."""
    return dataset_columns(name).index("doc_id")
