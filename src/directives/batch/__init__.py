"""Run the pipeline over files and folders; one bad file never stops the others."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from directives.errors import DirectivesError
from directives.pipeline import process
from directives.pipeline.document import PipelineOptions
from directives.schemas import Directive, ErrorRecord, Status
from directives.writers import atomic_write, write_csvs, write_json

log = logging.getLogger(__name__)
INPUT_SUFFIXES = (".pdf",)


@dataclass
class RunSummary:
    directives: list[Directive] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(d.status == status for d in self.directives)

    @property
    def failed(self) -> int:
        return len({e.file for e in self.errors})


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; folders walked recursively for PDFs, in a stable order."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES))
        else:
            out.append(p)
    return out


def run_files(paths: list[Path], out: Path, options: PipelineOptions | None = None,
              on_error: Callable[[ErrorRecord], None] | None = None) -> RunSummary:
    """Process every file, write its JSON, then the CSV datasets of the run."""
    summary = RunSummary()
    atomic_write(out / ".write-test", b"")  # an unusable output folder is one clear error, up front
    (out / ".write-test").unlink()

    def fail(path: Path, code: str, reason: str) -> None:
        rec = ErrorRecord(file=str(path), code=code, reason=reason)
        summary.errors.append(rec)
        if on_error:
            on_error(rec)

    for path in expand_paths(paths):
        if not path.exists():
            fail(path, "missing", "no such file or folder")
            continue
        try:
            directive = process(path, options)
            write_json(directive, out)
        except DirectivesError as exc:
            fail(path, exc.code, exc.reason)
            continue
        except Exception as exc:  # a bug must cost one file, not the batch
            log.debug("internal error on %s", path, exc_info=True)
            fail(path, "internal", f"internal error: {type(exc).__name__}: {exc}")
            continue
        summary.directives.append(directive)
        if directive.status == Status.failed:
            reasons = "; ".join(w.message for w in directive.warnings if w.code == "no-text")
            fail(path, "no-text", reasons or "no usable text")
    write_csvs(summary.directives, summary.errors, out)
    return summary
