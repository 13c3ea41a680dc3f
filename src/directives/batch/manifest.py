"""What a run has done to an output folder, so that the next run redoes only what changed.

`OUT/manifest.sqlite` maps each input path (its bytes: any file name is stored as it is) to the
size and modification time it had, the sha256 of the content processed, the version that processed
it (schema and pipeline, `version.py`), a digest of the pipeline options, and its outcome (doc_id of
the JSON written, status, or the error). A transaction per file: a run killed at any moment loses
at most the files in flight, which the next run redoes. A damaged manifest is rebuilt from the JSON
outputs. `OUT/run.lock` (fcntl.flock) keeps two runs off the same folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import NamedTuple

from directives.batch.inputs import path_from_text, path_key, path_of_key, path_text
from directives.batch.task import FileOutcome, outcome_of
from directives.errors import BusyError, OutputError
from directives.pipeline.document import PipelineOptions
from directives.schemas import Directive, ErrorRecord, Status

log = logging.getLogger(__name__)

MANIFEST = "manifest.sqlite"
LOCK = "run.lock"
LAYOUT = "2"


# option groups added after outputs were first recorded: left out of the digest at their defaults, so
# that adding one does not redo every file of an existing output folder
_ADDED_GROUPS = ("entities",)


def options_digest(options: PipelineOptions) -> str:
    """Digest of the pipeline options that decide a file's output (the OCR worker count aside)."""
    settings = options.model_dump(mode="json")
    settings["ocr"].pop("workers", None)
    default = PipelineOptions().model_dump(mode="json")
    for group in _ADDED_GROUPS:
        if settings[group] == default[group]:
            del settings[group]
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


class OutputLock:
    """An exclusive, non-blocking flock on OUT/run.lock for the duration of a run."""

    def __init__(self, out: Path):
        self.path = out / LOCK
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip()
            os.close(fd)
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise BusyError(f"{self.path.parent} is in use by another run{who}; wait for it to finish, "
                            "or give another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


_STATUSES = {s.value: s for s in Status}


def _status(value: str) -> Status:
    """`Status(value)` by a dict first (the Enum call costs a run over 20,000 files 30 ms)."""
    return _STATUSES.get(value) or Status(value)


class Record(NamedTuple):
    """One input's row: how the file looked, what processed it, and its outcome. (A named tuple: a run
    over 20,000 files reads 20,000 of them.)"""

    path: str
    size: int | None
    mtime_ns: int | None
    sha256: str | None
    version: str | None  # None: unknown (a folder from before versions were recorded)
    options: str | None
    doc_id: str | None
    status: str | None
    code: str | None
    reason: str | None

    @classmethod
    def of(cls, outcome: FileOutcome, stat: tuple[int, int] | None, version: str | None,
           options: str | None) -> Record:
        size, mtime = stat or (None, None)
        return cls(outcome.path, size, mtime, outcome.sha256, version, options, outcome.doc_id,
                   outcome.status.value if outcome.status else None, outcome.code, outcome.reason)

    def same_file(self, size: int, mtime_ns: int) -> bool:
        return (self.size, self.mtime_ns) == (size, mtime_ns)

    def outcome(self, skipped: bool = False) -> FileOutcome:
        return FileOutcome(self.path, self.sha256, self.doc_id, _status(self.status) if self.status else None,
                           self.code, self.reason, skipped)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path BLOB PRIMARY KEY,
    size INTEGER,
    mtime_ns INTEGER,
    sha256 TEXT,
    version TEXT,
    options TEXT,
    doc_id TEXT,
    status TEXT,
    code TEXT,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS files_doc ON files (doc_id);
CREATE INDEX IF NOT EXISTS files_doc_path ON files (doc_id, path);  -- doc_positions reads it alone
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT);
"""
_FILES = _SCHEMA.split(";")[0]
_DOC_PATH = _SCHEMA.split(";")[2]
_COLUMNS = "path, size, mtime_ns, sha256, version, options, doc_id, status, code, reason"


class _Damaged(Exception):
    pass


def is_damaged(exc: BaseException) -> bool:
    """Whether `exc` says the database file is damaged (not full, locked or unreadable)."""
    return isinstance(exc, _Damaged) or getattr(exc, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def db_error(path: Path, exc: Exception) -> OutputError:
    return OutputError(f"cannot write {path}: {exc}")


class Manifest:
    """The folder's record of outcomes by input path (see the module docstring)."""

    def __init__(self, out: Path):
        self.path = out / MANIFEST
        self.out = out
        try:
            self._db = self._open()
        except (sqlite3.Error, _Damaged) as exc:
            if not is_damaged(exc):
                raise db_error(self.path, exc) from exc
            try:
                self._db = self._rebuild(str(exc))
            except sqlite3.Error as again:
                raise db_error(self.path, again) from again

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None)
        try:
            db.execute("PRAGMA synchronous=FULL")
            check = db.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise _Damaged(f"database disk image is malformed ({check})")
            tables = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "files" in tables and self._layout(db) != LAYOUT:
                _migrate(db)
            if self._layout(db) != LAYOUT:
                db.executescript(_SCHEMA)
                db.execute("INSERT OR REPLACE INTO state VALUES ('layout', ?)", (LAYOUT,))
            else:  # a manifest of this layout written before `doc_positions` had its index
                db.execute(_DOC_PATH)
        except (sqlite3.Error, _Damaged):
            db.close()
            raise
        return db

    @staticmethod
    def _layout(db: sqlite3.Connection) -> str | None:
        try:
            row = db.execute("SELECT value FROM state WHERE name = 'layout'").fetchone()
        except sqlite3.OperationalError:
            return None
        return row[0] if row else None

    def _rebuild(self, why: str) -> sqlite3.Connection:
        """A new manifest from the JSON outputs (their paths, content and outcome; the version that
        made them is unknown, so they count as older)."""
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        db = self._open()
        rows = list(_rows_from_outputs(self.out))
        with db:
            db.execute("BEGIN")
            db.executemany(f"INSERT OR REPLACE INTO files ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        log.warning("%s was damaged (%s): rebuilt from %d JSON outputs; files that failed before are tried "
                    "again", self.path, why, len(rows))
        return db

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def records(self) -> dict[bytes, Record]:
        """Every row, by path key (one query: a run looks up all its inputs)."""
        return {(key := bytes(row[0])): Record(path_of_key(key), *row[1:])
                for row in self._db.execute(f"SELECT {_COLUMNS} FROM files")}

    def record(self, outcome: FileOutcome, stat: tuple[int, int] | None, version: str | None,
               options: str | None, previous: Record | None) -> str | None:
        """Store `outcome` for its path (one transaction; nothing when the row would not change);
        returns the doc_id it replaces, if any."""
        new = Record.of(outcome, stat, version, options)
        if previous == new:
            return None
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.execute(f"INSERT OR REPLACE INTO files ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 (path_key(new.path), *new[1:]))
        except sqlite3.Error as exc:
            raise OutputError(f"cannot record {path_text(outcome.path)} in {self.path}: {exc}") from exc
        old = previous.doc_id if previous else None
        return old if old != outcome.doc_id else None

    def referenced(self, doc_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM files WHERE doc_id = ? LIMIT 1", (doc_id,)).fetchone() is not None

    def errors(self) -> list[ErrorRecord]:
        """Every recorded failure, by path."""
        rows = self._db.execute("SELECT path, code, reason FROM files WHERE code IS NOT NULL ORDER BY path")
        return [ErrorRecord(file=path_text(os.fsdecode(p)), code=c, reason=r or "") for p, c, r in rows]

    def doc_positions(self) -> dict[str, bytes]:
        """doc_id → the first input path (bytes, in sort order) that produced it."""
        rows = self._db.execute("SELECT doc_id, min(path) FROM files WHERE doc_id IS NOT NULL GROUP BY doc_id")
        return {doc_id: bytes(path) for doc_id, path in rows}


def _migrate(db: sqlite3.Connection) -> None:
    """A manifest of the first layout (paths as text, one key for code and options): same rows, the
    version that made them unknown."""
    with db:
        db.execute("BEGIN")
        db.execute("ALTER TABLE files RENAME TO files_v1")
        db.execute(_FILES)
        db.execute(f"INSERT OR REPLACE INTO files ({_COLUMNS}) SELECT CAST(path AS BLOB), NULL, NULL, sha256, "
                   "NULL, NULL, doc_id, status, code, reason FROM files_v1")
        db.execute("DROP TABLE files_v1")
        db.execute("DELETE FROM state WHERE name IN ('generation', 'built')")


def _rows_from_outputs(out: Path) -> Iterator[tuple[object, ...]]:
    for path in sorted((out / "json").glob("*.json")):
        with contextlib.suppress(OSError, ValueError):
            d = Directive.model_validate_json(path.read_bytes())
            if d.doc_id != path.stem:
                continue
            source = path_from_text(d.source.path)
            o = outcome_of(source, d)
            yield (path_key(source), None, None, o.sha256, None, None, o.doc_id, o.status.value if o.status else None,
                   o.code, o.reason)
