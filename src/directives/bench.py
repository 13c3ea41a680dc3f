"""`directives bench`: pages per second and peak memory of the full pipeline and of two baselines.

Each method runs in its own fresh process per repetition (nothing cached between runs, and its
own peak RSS), on the same born-digital files: the full pipeline (extract → all stages →
validated model), raw PyMuPDF `get_text("dict")`, and pdfplumber `extract_words`. Files whose
pages have no text layer are counted separately as scanned pages.
"""

from __future__ import annotations

import multiprocessing as mp
import platform
import resource
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from directives.batch import expand_paths


def _pipeline():
    from directives.pipeline import process

    def run(paths: list[str]) -> None:
        for p in paths:
            process(Path(p))

    return run


def _pymupdf():
    import pymupdf

    def run(paths: list[str]) -> None:
        for p in paths:
            with pymupdf.open(p) as doc:
                for page in doc:
                    page.get_text("dict")

    return run


def _pdfplumber():
    import pdfplumber

    def run(paths: list[str]) -> None:
        for p in paths:
            with pdfplumber.open(p) as pdf:
                for page in pdf.pages:
                    page.extract_words()

    return run


# method name → factory that imports what the method needs (outside the timing) and returns it
METHODS = {"pipeline": _pipeline, "pymupdf get_text(dict)": _pymupdf, "pdfplumber extract_words": _pdfplumber}


def _child(method: str, paths: list[str], queue) -> None:
    fn = METHODS[method]()
    t0 = time.perf_counter()
    fn(paths)
    elapsed = time.perf_counter() - t0
    queue.put((elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def measure(method: str, paths: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS MiB) of one fresh run of `method` in its own process."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(method, paths, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


@dataclass
class BenchRow:
    method: str
    pages: int
    seconds: float  # median
    peak_mib: float  # max over runs

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


@dataclass
class BenchResult:
    rows: list[BenchRow]
    digital_files: int
    scanned_pages: int
    runs: int


def split_files(paths: list[Path]) -> tuple[list[str], int, int]:
    """Born-digital files (most pages have a text layer; a blank page does not make a scan), their page
    count, and the pages of scanned files, skipped."""
    import pymupdf

    digital, pages, scanned = [], 0, 0
    for p in expand_paths(paths):
        try:
            with pymupdf.open(p) as doc:
                texts = [len(page.get_text("text").strip()) > 20 for page in doc]
        except Exception:
            continue
        if texts and 2 * sum(texts) >= len(texts):
            digital.append(str(p))
            pages += len(texts)
        else:
            scanned += len(texts)
    return digital, pages, scanned


def run_bench(paths: list[Path], runs: int = 5) -> BenchResult:
    digital, pages, scanned = split_files(paths)
    rows = []
    for method in METHODS:
        results = [measure(method, digital) for _ in range(max(1, runs))] if digital else [(0.0, 0.0)]
        rows.append(BenchRow(method, pages, statistics.median(r[0] for r in results), max(r[1] for r in results)))
    return BenchResult(rows, len(digital), scanned, runs)


def bench_table(res: BenchResult) -> str:
    base = {r.method: r.pages_per_s for r in res.rows}
    pipe = base.get("pipeline", 0.0)
    lines = [
        f"machine: {platform.machine()}, {mp.cpu_count()} cores, {platform.processor() or platform.platform()}; "
        f"python {platform.python_version()}; one process per run, median of {res.runs}",
        f"born-digital: {res.digital_files} files, {res.rows[0].pages if res.rows else 0} pages; "
        f"scanned pages: {res.scanned_pages} (not measured: no OCR reader yet)",
        "",
        "| method | pages/s (1 core) | median s | peak RSS MiB | pipeline ÷ method |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in res.rows:
        ratio = pipe / r.pages_per_s if r.pages_per_s else 0.0
        lines.append(f"| {r.method} | {r.pages_per_s:.0f} | {r.seconds:.3f} | {r.peak_mib:.0f} | {ratio:.2f} |")
    return "\n".join(lines)
