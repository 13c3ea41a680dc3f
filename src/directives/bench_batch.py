"""`directives bench --batch`: throughput of the batch with 1 worker and with N, and its memory.

Each measurement is one fresh process (spawned: nothing cached) running the whole batch (`run_files`
with `force`, into an empty temporary folder): files in parallel worker processes, each file's OCR
in one process when files run side by side. The warm-up (models and lexicons loaded once per run,
before the first file) is timed apart. Reported: wall time of the run (the datasets, corpus and
exports included) and of its processing phase (until the last file's outcome), CPU time of the run and its workers
(and so the cores it kept busy: CPU ÷ wall; on a shared machine, below N says others took the rest),
files and pages per second, the speed-up of N workers over 1, and peak RSS of the run's own process
and of its largest worker. The batch is also run on the first half of the files: peak memory that
does not grow with the number of files is what "flat" means.
"""

from __future__ import annotations

import multiprocessing as mp
import platform
import resource
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from directives.batch import BatchOptions, expand_paths, run_files
from directives.bench import in_fresh_process


@dataclass(frozen=True)
class BatchSample:
    seconds: float  # the whole run, warm-up excluded
    process_seconds: float  # until the last file's outcome
    warm_seconds: float  # the warm-up before it (once per run)
    cpu_seconds: float  # CPU of the run and all its workers during the run (user + system)
    parent_mib: float  # peak RSS of the run's process
    worker_mib: float  # peak RSS of its largest worker (a file's process or one of its OCR workers)


def _batch_child(paths: list[str], workers: int, queue) -> None:
    w0 = time.perf_counter()
    from directives.batch.warm import warm_up  # its import warms up

    warm_up()  # once per run, before any file (models, lexicons): outside the timing, reported apart
    warm = time.perf_counter() - w0
    out = Path(tempfile.mkdtemp(prefix="directives-bench-"))
    last = [0.0]
    cpu0 = _cpu()
    try:
        t0 = time.perf_counter()
        run_files([Path(p) for p in paths], out, batch=BatchOptions(workers=workers, force=True),
                  on_result=lambda *_: last.__setitem__(0, time.perf_counter()))
        total = time.perf_counter() - t0
    finally:
        shutil.rmtree(out, ignore_errors=True)
    cpu = _cpu() - cpu0
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    queue.put(BatchSample(total, (last[0] or t0 + total) - t0, warm, cpu, me.ru_maxrss / 1024,
                          kids.ru_maxrss / 1024))


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def measure_batch(paths: list[str], workers: int) -> BatchSample:
    return in_fresh_process(_batch_child, paths, workers)


@dataclass
class BatchRow:
    label: str
    workers: int
    files: int
    pages: int
    sample: BatchSample  # medians of the runs (memory: max)


def count_pages(paths: list[str]) -> int:
    import pymupdf

    total = 0
    for p in paths:
        try:
            with pymupdf.open(p) as doc:
                total += doc.page_count
        except Exception:  # a broken file is part of the batch; it has no pages
            continue
    return total


def _median(samples: list[BatchSample]) -> BatchSample:
    return BatchSample(statistics.median(s.seconds for s in samples),
                       statistics.median(s.process_seconds for s in samples),
                       statistics.median(s.warm_seconds for s in samples),
                       statistics.median(s.cpu_seconds for s in samples),
                       max(s.parent_mib for s in samples), max(s.worker_mib for s in samples))


def run_batch_bench(paths: list[Path], workers: int = 0, runs: int = 1) -> list[BatchRow]:
    files = [str(p) for p in expand_paths(paths)]
    n = workers or mp.cpu_count()
    half = files[: max(1, len(files) // 2)]
    rows = []
    for label, chosen, w in (("1 worker", files, 1), (f"{n} workers", files, n), (f"{n} workers, half", half, n)):
        samples = [measure_batch(chosen, w) for _ in range(max(1, runs))]
        rows.append(BatchRow(label, w, len(chosen), count_pages(chosen), _median(samples)))
    return rows


def batch_table(rows: list[BatchRow]) -> str:
    base = rows[0].sample
    lines = [
        f"machine: {platform.machine()}, {mp.cpu_count()} cores, {platform.processor() or platform.platform()}; "
        f"python {platform.python_version()}; one fresh process per run",
        "",
        "| run | files | pages | warm-up s | wall s | processing s | CPU s | cores busy | files/s | pages/s | "
        "speed-up (processing) | peak RSS run MiB | peak RSS worker MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        s = r.sample
        same = r.files == rows[0].files
        speedup = f"{base.process_seconds / s.process_seconds:.2f}" if same and s.process_seconds else "–"
        busy = s.cpu_seconds / s.seconds if s.seconds else 0.0
        lines.append(f"| {r.label} | {r.files} | {r.pages} | {s.warm_seconds:.1f} | {s.seconds:.1f} | "
                     f"{s.process_seconds:.1f} | {s.cpu_seconds:.1f} | {busy:.2f} | {r.files / s.seconds:.1f} | "
                     f"{r.pages / s.seconds:.1f} | {speedup} | {s.parent_mib:.0f} | {s.worker_mib:.0f} |")
    return "\n".join(lines)
