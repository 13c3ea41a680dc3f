"""A run over files and folders: plan (what changed), execute (in parallel), record, sync, export.

1. The output folder is checked and locked (`run.lock`); leftovers of a killed run are removed.
2. Every file found is planned (`inputs.py`): a file this version does not read is reported
   (`unsupported-format`). An input whose path, size and mtime match the manifest is recognised
   without reading it; otherwise it is hashed, and one whose content matches is unchanged too.
   An unchanged input is skipped when its options match, its JSON output is there and parses (a
   JSON changed since it was indexed is read again; a damaged one is redone) and its outputs come
   from this version (`version.py`; outputs of an older version are kept unless `reprocess`).
   `force` redoes everything; a copy of a file already planned shares its result.
3. The files left run in child processes (`isolate.py`) or on a Dask cluster (`dask_executor.py`),
   largest first; each outcome is recorded in the manifest as soon as it arrives.
4. The corpus is brought in step with the manifest and the exports rewritten from it, for what
   changed only (`archive.py`), and `run-summary.json` says what this run did.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import stat as stat_mode
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from directives.batch.archive import (
    export,
    json_stamp,
    json_stamps,
    open_corpus,
    prepare_exports,
    read_output,
    remove_leftovers,
    sync,
)
from directives.batch.inputs import (
    expand_paths,
    is_readable,
    path_key,
    path_text,
    unsupported_reason,
    walk_names,
)
from directives.batch.isolate import run_isolated
from directives.batch.manifest import Manifest, OutputLock, Record, options_digest
from directives.batch.options import BatchOptions
from directives.batch.task import FileOutcome, FileTask, failed_outcome, process_file, stale_json
from directives.errors import DirectivesError, OutputError, WorkerError
from directives.extractors.office_batch import batch_pdfs
from directives.pipeline.document import PipelineOptions, file_sha256
from directives.schemas import ErrorRecord, Status
from directives.version import outputs_version
from directives.writers import atomic_write, json_path

__all__ = ["Attention", "BatchOptions", "RunSummary", "expand_paths", "run_files"]

log = logging.getLogger(__name__)

SUMMARY = "run-summary.json"
# failures that say more about the run than the file (limits, a crash, a bug, a full disk): tried again
RETRIED = frozenset({"timeout", "memory", "crashed", "worker", "internal", "output"})


@dataclass
class RunSummary:
    """The outcome of every input of this run (processed or skipped), in completion order."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)  # partial or failed files processed by this run
    seconds: float = 0.0
    workers: int = 1
    reprocessed: int = 0  # files redone because their outputs came from an older version
    older: int = 0  # files whose outputs came from an older version, kept

    _tally: tuple[int, Counter[tuple[Status | None, bool, bool]]] | None = field(default=None, repr=False,
                                                                                 compare=False)

    def _kinds(self) -> Counter[tuple[Status | None, bool, bool]]:
        """(status, failed, skipped) → outcomes, counted in one pass (again when outcomes were added)."""
        if self._tally is None or self._tally[0] != len(self.outcomes):
            self._tally = (len(self.outcomes), Counter((o.status, o.failed, o.skipped) for o in self.outcomes))
        return self._tally[1]

    def count(self, status: Status) -> int:
        return sum(n for (s, failed, _), n in self._kinds().items() if s == status and not failed)

    @property
    def failed(self) -> int:
        return sum(n for (_, failed, _), n in self._kinds().items() if failed)

    @property
    def skipped(self) -> int:
        return sum(n for (_, _, skipped), n in self._kinds().items() if skipped)

    @property
    def errors(self) -> list[ErrorRecord]:
        return [e for o in self.outcomes if (e := o.error()) is not None]


class Attention(BaseModel):
    """A file of this run that is partial or failed, and why: what a clerk has to look at."""

    file: str
    status: str  # partial | failed
    doc_id: str | None = None
    code: str | None = None  # the errors.csv code of a failed file
    reason: str | None = None
    warnings: list[str] = []  # the codes of its warnings that need action (severity check or error), in order


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
    unsupported: int
    reprocessed: int
    older_kept: int
    failures: dict[str, int]
    attention: list[Attention] = []  # per partial or failed file processed by this run
    version: str
    options: str


@dataclass(frozen=True)
class Context:
    """What decides whether a recorded outcome still stands."""

    out: Path
    version: str
    options: str
    force: bool
    reprocess: bool


@dataclass
class Plan:
    tasks: list[FileTask] = field(default_factory=list)
    done: list[FileOutcome] = field(default_factory=list)  # skipped, missing, unreadable, unsupported, copies
    copies: dict[str, list[str]] = field(default_factory=dict)  # sha256 → other paths of a task's content
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # path → (size, mtime_ns) when planned
    keys: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # path → (version, options) kept
    recorded: set[str] = field(default_factory=set)  # skipped paths whose manifest row needs no change
    reprocess: int = 0
    older: int = 0


def check_output(out: Path) -> None:
    """An unusable output folder is one clear error, up front."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"cannot write to {out}: it is a file, not a folder")
    atomic_write(out / ".write-test", b"")
    (out / ".write-test").unlink(missing_ok=True)  # a concurrent run may have removed it first


class _Planner:
    def __init__(self, ctx: Context, records: dict[bytes, Record], states: dict[str, tuple[bytes, str | None, int]],
                 stamps: dict[str, str]):
        self.ctx, self.records, self.states, self.stamps = ctx, records, states, stamps
        self.checked: dict[str, bool] = {}  # doc_id → its JSON output is sound

    def output_sound(self, doc_id: str) -> bool:
        """The JSON output is there and is what was indexed, or (changed since) still parses."""
        if doc_id not in self.checked:
            stamp = self.stamps.get(doc_id)
            indexed = self.states.get(doc_id, (b"", None, 0))[1]
            sound = stamp is not None and (stamp == indexed or read_output(self.ctx.out, doc_id) is not None)
            if stamp is not None and not sound:
                log.warning("%s is damaged (not a valid output): its input is processed again",
                            json_path(self.ctx.out, doc_id))
            self.checked[doc_id] = sound
        return self.checked[doc_id]

    def unchanged(self, rec: Record | None, sha: str, plan: Plan) -> FileOutcome | None:
        """The recorded outcome, when it stands for this content (see the module docstring)."""
        if rec is None or self.ctx.force or rec.sha256 != sha or rec.code in RETRIED:
            return None
        if rec.options is not None and rec.options != self.ctx.options:
            return None
        older = rec.version != self.ctx.version
        if rec.doc_id and not self.output_sound(rec.doc_id):
            return None
        if older and self.ctx.reprocess:
            plan.reprocess += 1
            return None
        plan.older += older
        return rec.outcome(skipped=True)


def _stat(name: str) -> tuple[int, int] | FileOutcome:
    try:
        st = os.stat(name)
    except FileNotFoundError:
        return FileOutcome(path=name, code="missing", reason="no such file or folder")
    except OSError as exc:
        return FileOutcome(path=name, code="unreadable", reason=f"cannot read: {exc.strerror or exc}")
    if not stat_mode.S_ISREG(st.st_mode):
        return FileOutcome(path=name, code="unreadable", reason="cannot read: not a regular file")
    return st.st_size, st.st_mtime_ns


def plan_run(inputs: list[str], planner: _Planner, options: PipelineOptions,
             relative: dict[str, str] | None = None) -> Plan:
    plan = Plan()
    ctx = planner.ctx
    first: dict[str, FileTask | FileOutcome] = {}
    for name in dict.fromkeys(inputs):
        if not is_readable(name):
            plan.done.append(FileOutcome(path=name, code="unsupported-format", reason=unsupported_reason(name)))
            continue
        stat = _stat(name)
        if isinstance(stat, FileOutcome):
            plan.done.append(stat)
            continue
        rec = planner.records.get(path_key(name))
        same = rec is not None and rec.same_file(*stat)
        if same and rec is not None and rec.sha256 and not ctx.force:
            sha = rec.sha256  # same path, size and mtime: not read again
        else:
            try:
                sha = file_sha256(Path(name))
            except OSError as exc:
                plan.done.append(FileOutcome(path=name, code="unreadable", reason=f"cannot read: {exc.strerror or exc}"))
                continue
        plan.stats[name] = stat
        skipped = planner.unchanged(rec, sha, plan)
        seen = first.get(sha)
        if skipped is not None and rec is not None:  # (a recorded outcome reused: there is a record)
            plan.done.append(skipped)
            plan.keys[name] = (rec.version, rec.options)
            if same:
                plan.recorded.add(name)  # its row stays as it is
            first.setdefault(sha, skipped)
        elif isinstance(seen, FileTask):  # the same content under another path: one task for both
            plan.copies.setdefault(sha, []).append(name)
        elif isinstance(seen, FileOutcome):  # a copy of a file skipped as unchanged: same result
            plan.done.append(seen.replace(path=name, skipped=False))
            plan.keys[name] = plan.keys[seen.path]
        else:
            task = FileTask(path=name, sha256=sha, out=str(ctx.out), options=options,
                            relative=(relative or {}).get(name))
            plan.tasks.append(task)
            first[sha] = task
    plan.tasks.sort(key=lambda t: -plan.stats[t.path][0])  # largest first: no long tail
    return plan


def ocr_share(slots: int) -> Callable[[FileTask, int], FileTask]:
    """How many OCR processes a file gets when it starts: files side by side read their scanned
    pages in one process each (no pool per file); a file that starts alone gets the slots left."""
    return lambda task, busy: task.with_ocr_workers(max(1, slots // busy))


def _execute(tasks: list[FileTask], batch: BatchOptions, done: Callable[[FileTask, FileOutcome], None],
             started: Callable[[FileTask], None] = lambda _task: None) -> None:
    def finished(task: FileTask, result: FileOutcome | WorkerError) -> None:
        done(task, failed_outcome(task, result) if isinstance(result, WorkerError) else result)

    if batch.executor == "dask":
        from directives.batch.dask_executor import run_dask

        if not batch.scheduler:
            raise DirectivesError("--executor dask needs --scheduler ADDRESS")
        run_dask(tasks, batch.scheduler, batch.limits, done)
        return
    if not tasks:
        return
    if len(tasks) > 1:  # one file: its worker loads what that file needs, nothing more
        from directives.batch.warm import warm_up

        warm_up()  # lazy caches filled once here, inherited by every forked worker
    slots = batch.slots()
    share = ocr_share(slots)

    def adapt(task: FileTask, busy: int) -> FileTask:
        started(task)
        return share(task, busy)
    with batch_pdfs([Path(t.path) for t in tasks], batch.limits.timeout, batch.limits.memory_mb):
        run_isolated(tasks, process_file, slots, batch.limits, finished, adapt=adapt, idle=prepare_exports)


def _report(summary: RunSummary, batch: BatchOptions, ctx: Context) -> RunReport:
    codes = Counter(o.code for o in summary.outcomes if o.code)
    return RunReport(
        finished=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), seconds=round(summary.seconds, 3),
        executor=batch.executor, workers=summary.workers, inputs=len(summary.outcomes),
        processed=len(summary.outcomes) - summary.skipped, skipped=summary.skipped,
        ok=summary.count(Status.ok), partial=summary.count(Status.partial), failed=summary.failed,
        unsupported=codes.get("unsupported-format", 0), reprocessed=summary.reprocessed, older_kept=summary.older,
        failures=dict(sorted(codes.items())), attention=summary.attention, version=ctx.version, options=ctx.options)


def attention_of(summary: RunSummary, db: sqlite3.Connection) -> list[Attention]:
    """The partial and failed files this run processed, with the codes of their warnings that need
    action (from the corpus's warnings dataset: what warnings.csv holds)."""
    out = []
    for o in summary.outcomes:
        if o.skipped or not (o.failed or o.status == Status.partial):
            continue
        codes: list[str] = []
        if o.doc_id:
            rows = db.execute("SELECT code FROM ds_warnings WHERE doc_id = ? AND severity != 'info' ORDER BY rowid",
                              (o.doc_id,))
            codes = list(dict.fromkeys(c for (c,) in rows))
        out.append(Attention(file=path_text(o.path), status="failed" if o.failed else "partial", doc_id=o.doc_id,
                             code=o.code, reason=o.reason, warnings=codes))
    return out


def _notices(plan: Plan, notice: Callable[[str], None]) -> None:
    if plan.reprocess:
        notice(f"reprocessing {plan.reprocess} file(s) whose outputs came from an older version")
    if plan.older:
        notice(f"{plan.older} file(s) have outputs from an older version, kept as they are "
               "(`directives run --reprocess` redoes them)")


def run_files(paths: list[Path], out: Path, options: PipelineOptions | None = None,
              on_error: Callable[[ErrorRecord], None] | None = None, batch: BatchOptions | None = None,
              on_result: Callable[[FileOutcome, int, int], None] | None = None,
              on_notice: Callable[[str], None] | None = None,
              on_start: Callable[[str | None, int], None] | None = None) -> RunSummary:
    """Process every input that changed, record it, then bring the corpus and exports in step.

    `on_error` is called for every input that has an error (new or recorded), `on_result` for every
    input with (outcome, inputs done, inputs in all), `on_notice` with what the run says before it
    starts (outputs of an older version; by default a logged warning), `on_start` with (None, inputs
    in all) once the inputs are found (before any is read) and (path, inputs in all) as a file starts."""
    start = time.monotonic()
    options, batch = options or PipelineOptions(), batch or BatchOptions()
    notice = on_notice or log.warning
    check_output(out)
    with OutputLock(out), Manifest(out) as manifest:
        try:
            return _run(paths, out, options, batch, manifest, notice, on_error, on_result, start, on_start)
        except sqlite3.Error as exc:
            raise OutputError(f"cannot update {out}: {exc}") from exc


def _run(paths: list[Path], out: Path, options: PipelineOptions, batch: BatchOptions, manifest: Manifest,
         notice: Callable[[str], None], on_error: Callable[[ErrorRecord], None] | None,
         on_result: Callable[[FileOutcome, int, int], None] | None, start: float,
         on_start: Callable[[str | None, int], None] | None = None) -> RunSummary:
    corpus = open_corpus(out, notice)
    try:
        remove_leftovers(out)
        ctx = Context(out, outputs_version(), options_digest(options), batch.force, batch.reprocess)
        records = manifest.records()
        unwalked: list[FileOutcome] = []

        def walk_error(path: Path, exc: OSError) -> None:
            unwalked.append(FileOutcome(path=str(path), code="unreadable",
                                        reason=f"cannot read the folder: {exc.strerror or exc}"))

        relative: dict[str, str] = {}
        inputs = walk_names(paths, skip=out, on_error=walk_error, relative=relative)
        total = len(dict.fromkeys(inputs)) + len(unwalked)
        if on_start:
            on_start(None, total)
        stamps = json_stamps(out)
        plan = plan_run(inputs, _Planner(ctx, records, corpus.states(), stamps), options, relative)
        plan.done[:0] = unwalked
        _notices(plan, notice)
        summary = RunSummary(workers=1 if batch.executor != "local" else batch.slots(),
                             reprocessed=plan.reprocess, older=plan.older)
        total = len(plan.done) + len(plan.tasks) + sum(map(len, plan.copies.values()))

        def started(task: FileTask) -> None:
            if on_start:
                on_start(task.path, total)

        def finish(outcome: FileOutcome, keys: tuple[str | None, str | None] | None) -> None:
            if keys is not None:
                _record(manifest, out, outcome, plan.stats.get(outcome.path), keys, records)
            summary.outcomes.append(outcome)
            if on_error and (err := outcome.error()):
                on_error(err)
            if on_result:
                on_result(outcome, len(summary.outcomes), total)

        current = (ctx.version, ctx.options)
        for outcome in plan.done:
            keys = plan.keys.get(outcome.path, (None, None) if outcome.sha256 is None else current)
            finish(outcome, None if outcome.path in plan.recorded else keys)

        def done(task: FileTask, outcome: FileOutcome) -> None:
            for doc_id in {d for d in (outcome.doc_id, task.sha256[:16]) if d is not None}:  # its JSON (or a stale one)
                stamps.pop(doc_id, None)
                if (stamp := json_stamp(out, doc_id)) is not None:
                    stamps[doc_id] = stamp
            finish(outcome, current)
            for other in plan.copies.get(task.sha256, []):
                finish(outcome.replace(path=other), current)

        _execute(plan.tasks, batch, done, started)
        sync(out, manifest, corpus, stamps)
        summary.attention = attention_of(summary, corpus.db)
        export(out, corpus)
        summary.seconds = time.monotonic() - start
        atomic_write(out / SUMMARY, (_report(summary, batch, ctx).model_dump_json(indent=2) + "\n").encode())
        return summary
    finally:
        corpus.close()


def _record(manifest: Manifest, out: Path, outcome: FileOutcome, stat: tuple[int, int] | None,
            keys: tuple[str | None, str | None], records: dict[bytes, Record]) -> None:
    """Store one outcome (the file's stat when planned, what processed it); remove a JSON no input
    refers to any more."""
    previous = records.get(path_key(outcome.path))
    replaced = manifest.record(outcome, stat, keys[0], keys[1], previous)
    orphans = [json_path(out, replaced)] if replaced else []
    if outcome.failed and outcome.doc_id is None and outcome.sha256:
        orphans.append(stale_json(out, outcome.sha256))  # a worker killed after writing it
    for path in orphans:
        if path.exists() and not manifest.referenced(path.stem):
            try:
                path.unlink()
            except OSError as exc:
                log.warning("cannot remove %s: %s", path_text(str(path)), exc.strerror or exc)
