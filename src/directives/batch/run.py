"""A run over files and folders: plan (what changed), execute (in parallel), record, rebuild.

1. The output folder is checked and locked (`run.lock`); leftovers of a killed run are removed.
2. Every input is hashed; an input whose path, content and options key match the manifest is
   skipped (`force` redoes it), a copy of a file already planned shares its result.
3. The files left run in child processes (`isolate.py`) or on a Dask cluster (`dask_executor.py`),
   largest first; each outcome is recorded in the manifest as soon as it arrives.
4. The datasets, the corpus and the exports are rebuilt from all JSON outputs of the folder (unless
   nothing was recorded since they last were, and they are all there), and `run-summary.json` says
   what this run did.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from directives.batch.datasets import datasets_present, rebuild, remove_leftovers
from directives.batch.isolate import Limits, run_isolated
from directives.batch.manifest import Manifest, OutputLock, options_key
from directives.batch.task import FileOutcome, FileTask, failed_outcome, process_file, stale_json
from directives.errors import DirectivesError, WorkerError
from directives.pipeline import file_sha256
from directives.pipeline.document import PipelineOptions
from directives.schemas import ErrorRecord, Status
from directives.writers import atomic_write, json_path

INPUT_SUFFIXES = (".pdf",)
SUMMARY = "run-summary.json"
# failures that say more about the run than the file (limits, a crash, a bug): tried again next run
RETRIED = frozenset({"timeout", "memory", "crashed", "worker", "internal"})


@dataclass(frozen=True)
class BatchOptions:
    workers: int = 0  # parallel files; 0 = one per core
    limits: Limits = Limits()
    force: bool = False  # redo files the manifest says are done
    executor: str = "local"  # local | dask
    scheduler: str | None = None  # Dask scheduler address (executor "dask")

    def slots(self) -> int:
        return max(1, self.workers or os.cpu_count() or 1)


@dataclass
class RunSummary:
    """The outcome of every input of this run (processed or skipped), in completion order."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1

    def count(self, status: Status) -> int:
        return sum(o.status == status and not o.failed for o in self.outcomes)

    @property
    def failed(self) -> int:
        return sum(o.failed for o in self.outcomes)

    @property
    def skipped(self) -> int:
        return sum(o.skipped for o in self.outcomes)

    @property
    def errors(self) -> list[ErrorRecord]:
        return [e for o in self.outcomes if (e := o.error()) is not None]


class RunReport(BaseModel):
    """OUT/run-summary.json: what the last run did (the only output that differs between runs)."""

    finished: str
    seconds: float
    executor: str
    workers: int
    inputs: int
    processed: int
    skipped: int
    ok: int
    partial: int
    failed: int
    failures: dict[str, int]
    options_key: str


@dataclass
class Plan:
    tasks: list[FileTask] = field(default_factory=list)
    done: list[FileOutcome] = field(default_factory=list)  # skipped, missing, unreadable, copies of skipped
    copies: dict[str, list[str]] = field(default_factory=dict)  # sha256 → other paths of a task's content


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; folders walked recursively for PDFs, in a stable order."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES))
        else:
            out.append(p)
    return out


def check_writable(out: Path) -> None:
    """An unusable output folder is one clear error, up front."""
    atomic_write(out / ".write-test", b"")
    (out / ".write-test").unlink(missing_ok=True)  # a concurrent run may have removed it first


def _unchanged(recorded: tuple[str | None, FileOutcome] | None, sha: str, key: str, out: Path) -> FileOutcome | None:
    if recorded is None:
        return None
    rec_key, outcome = recorded
    if rec_key != key or outcome.sha256 != sha or outcome.code in RETRIED:
        return None
    if outcome.doc_id and not json_path(out, outcome.doc_id).is_file():
        return None
    return outcome.model_copy(update={"skipped": True})


def plan_run(inputs: list[Path], manifest: Manifest, key: str, out: Path, options: PipelineOptions,
             force: bool) -> Plan:
    plan = Plan()
    first: dict[str, FileTask | FileOutcome] = {}
    sizes: dict[str, int] = {}
    for path in dict.fromkeys(inputs):
        name = str(path)
        if not path.is_file():
            plan.done.append(FileOutcome(path=name, code="missing", reason="no such file or folder"))
            continue
        try:
            sha = file_sha256(path)
            sizes[name] = path.stat().st_size
        except OSError as exc:
            plan.done.append(FileOutcome(path=name, code="unreadable", reason=f"cannot read: {exc.strerror or exc}"))
            continue
        skipped = None if force else _unchanged(manifest.lookup(name), sha, key, out)
        seen = first.get(sha)
        if skipped is not None:
            plan.done.append(skipped)
            first.setdefault(sha, skipped)
        elif isinstance(seen, FileTask):  # the same content under another path: one task for both
            plan.copies.setdefault(sha, []).append(name)
        elif isinstance(seen, FileOutcome):  # a copy of a file skipped as unchanged: same result
            plan.done.append(seen.model_copy(update={"path": name, "skipped": False}))
        else:
            task = FileTask(path=name, sha256=sha, out=str(out), options=options)
            plan.tasks.append(task)
            first[sha] = task
    plan.tasks.sort(key=lambda t: -sizes[t.path])  # largest first: no long tail
    return plan


def _record(manifest: Manifest, out: Path, outcome: FileOutcome, key: str | None) -> None:
    """Store one outcome; remove a JSON no input refers to any more."""
    replaced = manifest.record(outcome, key)
    orphans = [json_path(out, replaced)] if replaced else []
    if outcome.failed and outcome.doc_id is None and outcome.sha256:
        orphans.append(stale_json(out, outcome.sha256))  # a worker killed after writing it
    for path in orphans:
        if path.exists() and not manifest.referenced(path.stem):
            path.unlink()


def ocr_share(slots: int) -> Callable[[FileTask, int], FileTask]:
    """How many OCR processes a file gets when it starts: files side by side read their scanned
    pages in one process each (no pool per file); a file that starts alone gets the slots left."""
    return lambda task, busy: task.with_ocr_workers(max(1, slots // busy))


def _execute(tasks: list[FileTask], batch: BatchOptions, done: Callable[[FileTask, FileOutcome], None]) -> None:
    def finished(task: FileTask, result: FileOutcome | WorkerError) -> None:
        done(task, failed_outcome(task, result) if isinstance(result, WorkerError) else result)

    if batch.executor == "dask":
        from directives.batch.dask_executor import run_dask

        if not batch.scheduler:
            raise DirectivesError("--executor dask needs --scheduler ADDRESS")
        run_dask(tasks, batch.scheduler, batch.limits, done)
        return
    if batch.executor != "local":
        raise DirectivesError(f"unknown executor {batch.executor!r} (local or dask)")
    if not tasks:
        return
    from directives.batch.warm import warm_up

    warm_up()  # lazy caches filled once here, inherited by every forked worker
    slots = batch.slots()
    run_isolated(tasks, process_file, slots, batch.limits, finished, adapt=ocr_share(slots))


def _report(summary: RunSummary, batch: BatchOptions, key: str) -> RunReport:
    codes = Counter(o.code for o in summary.outcomes if o.code)
    return RunReport(
        finished=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), seconds=round(summary.seconds, 3),
        executor=batch.executor, workers=summary.workers, inputs=len(summary.outcomes),
        processed=len(summary.outcomes) - summary.skipped, skipped=summary.skipped,
        ok=summary.count(Status.ok), partial=summary.count(Status.partial), failed=summary.failed,
        failures=dict(sorted(codes.items())), options_key=key)


def run_files(paths: list[Path], out: Path, options: PipelineOptions | None = None,
              on_error: Callable[[ErrorRecord], None] | None = None, batch: BatchOptions | None = None,
              on_result: Callable[[FileOutcome, int, int], None] | None = None) -> RunSummary:
    """Process every input that changed, record it, then rebuild the folder's datasets.

    `on_error` is called for every input that has an error (new or recorded), `on_result` for every
    input with (outcome, inputs done, inputs in all)."""
    start = time.monotonic()
    options, batch = options or PipelineOptions(), batch or BatchOptions()
    check_writable(out)
    with OutputLock(out), Manifest(out) as manifest:
        remove_leftovers(out)
        key = options_key(options)
        plan = plan_run(expand_paths(paths), manifest, key, out, options, batch.force)
        summary = RunSummary(workers=1 if batch.executor != "local" else batch.slots())
        total = len(plan.done) + len(plan.tasks) + sum(map(len, plan.copies.values()))

        def finish(outcome: FileOutcome, record: bool) -> None:
            if record:
                _record(manifest, out, outcome, key if outcome.sha256 else None)
            summary.outcomes.append(outcome)
            if on_error and (err := outcome.error()):
                on_error(err)
            if on_result:
                on_result(outcome, len(summary.outcomes), total)

        for outcome in plan.done:
            finish(outcome, record=not outcome.skipped)

        def done(task: FileTask, outcome: FileOutcome) -> None:
            finish(outcome, record=True)
            for other in plan.copies.get(task.sha256, []):
                finish(outcome.model_copy(update={"path": other}), record=True)

        _execute(plan.tasks, batch, done)
        if batch.force or not manifest.built_for(key) or not datasets_present(out):
            rebuild(out, manifest)
            manifest.mark_built(key)  # a run killed before this line rebuilds them again
        summary.seconds = time.monotonic() - start
        atomic_write(out / SUMMARY, (_report(summary, batch, key).model_dump_json(indent=2) + "\n").encode())
    return summary
