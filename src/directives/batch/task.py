"""The per-file task every executor runs: one file → its JSON in OUT/json, and a small outcome.

The worker writes the JSON itself (atomically) and returns only a `FileOutcome`, so results never
travel through a pipe or a cluster as whole documents. Local child processes and Dask workers run
this same function.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from directives.batch.inputs import path_text
from directives.errors import DirectivesError, WorkerError
from directives.gcpause import gc_paused
from directives.pipeline.document import PipelineOptions
from directives.schemas import Directive, ErrorRecord, Source, Status
from directives.writers import json_path, write_json

log = logging.getLogger(__name__)


class FileTask(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str
    sha256: str
    out: str
    options: PipelineOptions = PipelineOptions()
    relative: str | None = None  # the path under the input folder it was found in (`inputs.walk_names`)

    def with_ocr_workers(self, workers: int) -> FileTask:
        """The same task with its OCR pages read by `workers` processes (1 = no pool of its own)."""
        ocr = self.options.ocr.model_copy(update={"workers": workers})
        return self.model_copy(update={"options": self.options.model_copy(update={"ocr": ocr})})


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What became of one input file; `code` and `reason` are set when it has an errors.csv row.
    (A plain dataclass: a run over 20,000 unchanged files makes 20,000 of them.)"""

    path: str
    sha256: str | None = None
    doc_id: str | None = None  # set when a JSON output was written
    status: Status | None = None
    code: str | None = None
    reason: str | None = None
    skipped: bool = False  # unchanged since a previous run: its recorded outcome reused

    def replace(self, **changes: Any) -> FileOutcome:
        return dataclasses.replace(self, **changes)

    @property
    def failed(self) -> bool:
        return self.code is not None

    def error(self) -> ErrorRecord | None:
        """Its errors.csv row (the file name as text: `inputs.path_text`)."""
        return ErrorRecord(file=path_text(self.path), code=self.code, reason=self.reason or "") if self.code else None


@contextmanager
def readable_name(path: str) -> Iterator[Path]:
    """`path` under a name every reader can open: itself, or (a name that is not printable UTF-8,
    which PyMuPDF cannot take) a symbolic link to it with a plain name, for the time of the block."""
    if path_text(path) == path:
        yield Path(path)
        return
    with tempfile.TemporaryDirectory(prefix="directives-name-") as tmp:
        link = Path(tmp) / ("input" + Path(path).suffix.encode("ascii", "replace").decode())
        os.symlink(os.path.abspath(os.fsencode(path)), os.fsencode(link))
        yield link


def outcome_of(path: str, directive: Directive) -> FileOutcome:
    """The outcome of a JSON output (a document without usable text also has an errors.csv row)."""
    outcome = FileOutcome(path=path, sha256=directive.source.sha256, doc_id=directive.doc_id,
                          status=directive.status)
    if directive.status == Status.failed:
        reasons = "; ".join(w.message for w in directive.warnings if w.code == "no-text")
        outcome = outcome.replace(code="no-text", reason=reasons or "no usable text")
    return outcome


def located(source: Source, task: FileTask) -> Source:
    """`source` with the input's path as given, absolute, and relative to its input folder (all in
    their shown form: a name that is not UTF-8 escaped)."""
    return source.model_copy(update={
        "path": path_text(task.path), "absolute_path": path_text(os.path.abspath(task.path)),
        "relative_path": path_text(task.relative) if task.relative is not None else None})


def process_file(task: FileTask) -> FileOutcome:
    """Run the pipeline on one file and write its JSON; every expected failure becomes an outcome."""
    with gc_paused():  # (imported by the worker, not by the run that plans it; no garbage to collect)
        from directives.pipeline.run import process

    shown = path_text(task.path)
    opened = shown
    try:
        with readable_name(task.path) as path:
            opened = str(path)
            directive = process(path, task.options)
        directive = directive.model_copy(update={"source": located(directive.source, task)})
        write_json(directive, Path(task.out))
    except DirectivesError as exc:
        return FileOutcome(path=task.path, sha256=task.sha256, code=exc.code, reason=exc.reason.replace(opened, shown))
    except MemoryError:
        raise  # the isolating process reports it with the cap
    except Exception as exc:  # a bug must cost one file, not the batch
        log.debug("internal error on %s", path_text(task.path), exc_info=True)
        return FileOutcome(path=task.path, sha256=task.sha256, code="internal",
                           reason=f"internal error: {type(exc).__name__}: {exc}")
    return outcome_of(task.path, directive)


def failed_outcome(task: FileTask, error: WorkerError) -> FileOutcome:
    """The outcome of a task whose worker returned nothing (timeout, memory cap, crash)."""
    return FileOutcome(path=task.path, sha256=task.sha256, code=error.code, reason=error.reason)


def stale_json(out: Path, sha256: str) -> Path:
    """Where a failed task's JSON would be (a worker killed after writing it leaves it behind)."""
    return json_path(out, sha256[:16])
