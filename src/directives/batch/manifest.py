"""What a run has done to an output folder, so that the next run redoes only what changed.

`OUT/manifest.sqlite` maps each input path to the sha256 of the content processed, the key of the
options and code that processed it, and its outcome (doc_id of the JSON written, status, or the
error). A transaction per file: a run killed at any moment loses at most the files in flight, which
the next run redoes. `OUT/run.lock` (fcntl.flock) keeps two runs off the same folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
from pathlib import Path
from types import TracebackType

from directives.batch.task import FileOutcome
from directives.errors import BusyError, OutputError
from directives.pipeline.document import PipelineOptions
from directives.schemas import SCHEMA_VERSION, ErrorRecord, Status

MANIFEST = "manifest.sqlite"
LOCK = "run.lock"
_PACKAGE = Path(__file__).resolve().parents[1]


def code_digest() -> str:
    """Digest of the package's source: a new version of the code redoes every file. The environment
    variable DIRECTIVES_CODE_KEY replaces it (code known to be the same, e.g. in tests)."""
    if pinned := os.environ.get("DIRECTIVES_CODE_KEY"):
        return pinned
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(path.relative_to(_PACKAGE).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def options_key(options: PipelineOptions, code: str | None = None) -> str:
    """Key of what decides a file's output: schema version, code, options (OCR worker count aside)."""
    settings = options.model_dump(mode="json")
    settings["ocr"].pop("workers", None)
    blob = json.dumps({"schema": SCHEMA_VERSION, "code": code or code_digest(), "options": settings},
                      sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


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


_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    sha256 TEXT,
    options TEXT,
    doc_id TEXT,
    status TEXT,
    code TEXT,
    reason TEXT
);
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT);
INSERT OR IGNORE INTO state VALUES ('generation', '0'), ('built', '');
"""


class Manifest:
    """The folder's record of outcomes by input path (see the module docstring)."""

    def __init__(self, out: Path):
        self.path = out / MANIFEST
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise OutputError(f"cannot use {self.path}: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lookup(self, path: str) -> tuple[str | None, FileOutcome] | None:
        """(options key, outcome) recorded for `path`, or None."""
        row = self._db.execute("SELECT options, sha256, doc_id, status, code, reason FROM files WHERE path = ?",
                               (path,)).fetchone()
        if row is None:
            return None
        key, sha, doc_id, status, code, reason = row
        return key, FileOutcome(path=path, sha256=sha, doc_id=doc_id, status=Status(status) if status else None,
                                code=code, reason=reason)

    def record(self, outcome: FileOutcome, key: str | None) -> str | None:
        """Store `outcome` for its path (one transaction, which also counts a new generation of the
        folder's contents unless nothing changed); returns the doc_id it replaces, if any."""
        previous = self.lookup(outcome.path)
        if previous == (key, outcome.model_copy(update={"skipped": False})):
            return None
        with self._db:  # one transaction
            self._db.execute("BEGIN")
            self._db.execute(
                "INSERT OR REPLACE INTO files (path, sha256, options, doc_id, status, code, reason) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (outcome.path, outcome.sha256, key, outcome.doc_id, outcome.status.value if outcome.status else None,
                 outcome.code, outcome.reason))
            self._db.execute("UPDATE state SET value = CAST(value AS INTEGER) + 1 WHERE name = 'generation'")
        old = previous[1].doc_id if previous else None
        return old if old != outcome.doc_id else None

    def _state(self, name: str) -> str:
        return self._db.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()[0]

    def built_for(self, stamp: str) -> bool:
        """Whether the datasets were last rebuilt from exactly this content (and `stamp`: the code)."""
        return self._state("built") == f"{self._state('generation')}:{stamp}"

    def mark_built(self, stamp: str) -> None:
        self._db.execute("UPDATE state SET value = ? WHERE name = 'built'", (f"{self._state('generation')}:{stamp}",))

    def referenced(self, doc_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM files WHERE doc_id = ? LIMIT 1", (doc_id,)).fetchone() is not None

    def errors(self) -> list[ErrorRecord]:
        """Every recorded failure, by path."""
        rows = self._db.execute("SELECT path, code, reason FROM files WHERE code IS NOT NULL ORDER BY path")
        return [ErrorRecord(file=p, code=c, reason=r or "") for p, c, r in rows]

    def doc_order(self) -> dict[str, str]:
        """doc_id → the first input path (in sort order) that produced it."""
        order: dict[str, str] = {}
        for path, doc_id in self._db.execute("SELECT path, doc_id FROM files WHERE doc_id IS NOT NULL ORDER BY path"):
            order.setdefault(doc_id, path)
        return order
