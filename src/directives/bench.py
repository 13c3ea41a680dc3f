"""`directives bench`: pages per second, CPU per page and peak memory of the full pipeline and of
its baselines, and the wall time of a one-file `directives run`.

Each method runs in its own fresh process per repetition (nothing cached between runs, and its
own peak RSS), on the same files: the full pipeline (extract, OCR where needed → all stages →
validated model), raw PyMuPDF `get_text("dict")`, pdfplumber `extract_words`, and on the files
the pipeline OCRs bare Tesseract (`tesseract PAGE.png stdout -l vie --psm 4`, one CLI call and one
thread per page, as many calls at a time as cores) on the pages rendered at the resolution the
pipeline reads them at (rendered before the timing). Born-digital files and files the pipeline
OCRs (scans, junk or legacy-encoded text layers) are measured apart. pages/s is wall clock (the
pipeline OCRs pages in parallel workers); CPU s/page counts the process and its own children (OCR
workers, tesseract); "wall × cores" bounds the seconds per page per core. The last two columns are
the pipeline's pages/s and CPU s/page over the method's.
Files of the other formats the reader registry reads (Word, images) are measured per format, the
pipeline only (the baselines read PDF); their pages are counted by the pipeline itself (a Word
file's pages are LibreOffice's), and CPU s/file includes LibreOffice's conversion.
The one-file time is `directives run FILE --out NEW_FOLDER` as a user starts it (a new
interpreter: imports, models, outputs and exports included) on the smallest born-digital PDF.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from directives.batch import expand_paths


def _pipeline():
    from directives.batch.warm import warm_up
    from directives.pipeline.run import process

    warm_up()  # what a batch worker inherits: models loaded, lazy tables built (outside the timing)

    def run(paths: list[str]) -> int:
        return sum(process(Path(p)).source.pages for p in paths)

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


TESSERACT = "tesseract --psm 4"


def page_images(paths: list[str], folder: Path) -> list[tuple[Path, int]]:
    """Every page of `paths` rendered as a PNG in `folder` at the resolution the pipeline's OCR reads
    it at (the scan's own, within 200–300 dpi), with that resolution."""
    import pymupdf

    from directives.extractors.ocr import OcrOptions, render_dpi

    opts, out = OcrOptions(), []
    for k, p in enumerate(paths):
        with pymupdf.open(p) as doc:
            for page in doc:
                dpi = render_dpi(page, opts)
                target = folder / f"{k:04d}-{page.number:04d}.png"
                page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False).save(target)
                out.append((target, dpi))
    return out


def _tesseract():
    """Bare Tesseract on the pages rendered as PNG (the rendering happens here, before the timing)."""
    folder = Path(tempfile.mkdtemp(prefix="directives-bench-"))
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def one(image: tuple[Path, int]) -> None:
        png, dpi = image
        subprocess.run(["tesseract", str(png), "stdout", "-l", "vie", "--psm", "4", "--dpi", str(dpi)],
                       env=env, capture_output=True, check=True)

    def run(images: list[tuple[Path, int]]) -> None:
        with ThreadPoolExecutor(mp.cpu_count()) as pool:
            list(pool.map(one, images))

    run.cleanup = lambda: shutil.rmtree(folder, ignore_errors=True)  # after the timing
    return run, lambda paths: page_images(paths, folder)


# method name → factory that imports what the method needs (outside the timing) and returns it; a
# factory may return (run, prepare): prepare(paths) → what run takes, also outside the timing
METHODS = {"pipeline": _pipeline, "pymupdf get_text(dict)": _pymupdf, "pdfplumber extract_words": _pdfplumber,
           TESSERACT: _tesseract}
SCANS_ONLY = frozenset({TESSERACT})


def _cpu_seconds() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _child(method: str, paths: list[str], queue) -> None:
    fn = METHODS[method]()
    arg = paths
    if isinstance(fn, tuple):
        fn, prepare = fn
        arg = prepare(paths)
    cpu0, t0 = _cpu_seconds(), time.perf_counter()
    pages = fn(arg)
    elapsed, cpu = time.perf_counter() - t0, _cpu_seconds() - cpu0
    getattr(fn, "cleanup", lambda: None)()
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    queue.put(Sample(elapsed, cpu, peak / 1024, pages))


@dataclass(frozen=True)
class Sample:
    seconds: float  # wall clock
    cpu_seconds: float  # user + system, this process and its children (OCR workers, tesseract)
    peak_mib: float  # peak RSS of this process or of its largest child
    pages: int | None = None  # pages the method read, when it counts them (the pipeline)


def in_fresh_process(target, *args):
    """`target(*args, queue)` run in a new interpreter (spawn: nothing imported or cached is
    inherited); what it puts on the queue."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def measure(method: str, paths: list[str]) -> Sample:
    """One fresh run of `method` over `paths` in its own process."""
    return in_fresh_process(_child, method, paths)


@dataclass
class BenchRow:
    kind: str  # born-digital | scanned (PDF) | the reader's name for other formats (Word, image)
    method: str
    pages: int
    seconds: float  # median wall clock
    cpu_seconds: float  # median CPU time
    peak_mib: float  # max over runs
    best_seconds: float = 0.0  # the fastest run's wall clock
    files: int = 0

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def best_pages_per_s(self) -> float:
        """pages/s of the fastest run: on a shared machine other work only ever slows a run down."""
        return self.pages / self.best_seconds if self.best_seconds else 0.0

    @property
    def cpu_per_page(self) -> float:
        return self.cpu_seconds / self.pages if self.pages else 0.0

    @property
    def cpu_per_file(self) -> float:
        return self.cpu_seconds / self.files if self.files else 0.0

    @property
    def core_seconds_per_page(self) -> float:
        """Wall time × the cores the run may use, per page: an upper bound of the seconds one core
        spends on a page, which also counts OCR workers that CPU accounting cannot see (they are
        children of a fork server, not of the measured process)."""
        return self.seconds * min(mp.cpu_count(), self.pages) / self.pages if self.pages else 0.0


@dataclass
class OneFile:
    """Wall time of `directives run FILE --out NEW_FOLDER` in a new interpreter."""
    path: str
    pages: int
    seconds: list[float]  # each run's wall clock

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class BenchResult:
    rows: list[BenchRow]
    files: dict[str, int]  # kind → number of files
    runs: int
    load: tuple[float, float]  # 1-minute load average before and after
    one_file: OneFile | None = None
    sampled: dict[str, str] = field(default_factory=dict)  # kind → which of its files were measured

    def row(self, kind: str, method: str) -> BenchRow | None:
        return next((r for r in self.rows if r.kind == kind and r.method == method), None)


def split_files(paths: list[Path]) -> dict[str, tuple[list[str], int]]:
    """kind → (files, pages): for a PDF "scanned" when the pipeline will OCR any page of the file (no
    text layer, or one that does not read as Vietnamese), "born-digital" otherwise; other formats by
    their reader's name (pages 0: counted when the pipeline runs)."""
    from directives.extractors.base import open_pdf
    from directives.extractors.pdf_text import TextLayerReader
    from directives.extractors.read import needs_ocr
    from directives.extractors.registry import reader_for

    out: dict[str, tuple[list[str], int]] = {"born-digital": ([], 0), "scanned": ([], 0)}
    reader = TextLayerReader()
    for p in expand_paths(paths):
        try:
            name = reader_for(p).name
            if name != "PDF":
                files, _ = out.get(name, ([], 0))
                out[name] = (files + [str(p)], 0)
                continue
            doc = open_pdf(p)
        except Exception:
            continue
        with doc:
            pages = [reader.read_page(doc, i) for i in range(doc.page_count)]
        kind = "scanned" if any(needs_ocr(page) for page in pages) else "born-digital"
        files, count = out[kind]
        out[kind] = (files + [str(p)], count + len(pages))
    return out


def _load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def one_file_run(path: str, runs: int) -> list[float]:
    """Wall seconds of `directives run PATH --out NEW_FOLDER`, each run in a new interpreter and a
    new output folder."""
    out = []
    for _ in range(max(1, runs)):
        with tempfile.TemporaryDirectory(prefix="directives-bench-") as tmp:
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "directives.cli", "run", path, "--out", str(Path(tmp) / "out")],
                           capture_output=True, check=False)
            out.append(time.perf_counter() - t0)
    return out


def smallest_pdf(files: list[str]) -> tuple[str, int] | None:
    import pymupdf

    counted = []
    for f in files:
        with pymupdf.open(f) as doc:
            counted.append((doc.page_count, f))
    return (min(counted)[1], min(counted)[0]) if counted else None


def sample_files(files: list[str], at_most: int) -> tuple[list[str], int, int]:
    """Every k-th of the files of at most `at_most` // 4 pages (a longer one would be most of the
    sample), k the smallest that keeps at most `at_most` pages (the files are in path order, so the
    sample spreads over folders and sources); (files, k, their pages)."""
    import pymupdf

    counted = []
    for f in files:
        with pymupdf.open(f) as doc:
            counted.append((f, doc.page_count))
    short = [(f, n) for f, n in counted if n <= max(1, at_most // 4)] or counted
    k = next((k for k in range(1, len(short) + 1) if sum(n for _, n in short[::k]) <= at_most), max(1, len(short)))
    return [f for f, _ in short[::k]], k, sum(n for _, n in short[::k])


def run_bench(paths: list[Path], runs: int = 5, scan_pages: int | None = None) -> BenchResult:
    """`runs` fresh runs of every method on each kind of file; with `scan_pages`, the scanned PDFs
    are a sample of about that many pages (`sample_files`: OCR costs a second a page, and bare
    Tesseract as much again)."""
    rows = []
    load = _load()
    kinds = split_files(paths)
    sampled: dict[str, str] = {}
    scans, scan_total = kinds["scanned"]
    if scan_pages and scan_total > scan_pages:
        chosen, k, count = sample_files(scans, scan_pages)
        if len(chosen) < len(scans):
            kinds["scanned"] = (chosen, count)
            sampled["scanned"] = (f"a sample: one in {k} of the files of at most {max(1, scan_pages // 4)} pages, "
                                  f"{len(chosen)} of {len(scans)} files, {count} of {scan_total} pages")
    one = None
    if (small := smallest_pdf(kinds["born-digital"][0])) is not None:
        one = OneFile(small[0], small[1], one_file_run(small[0], runs))
    for kind, (files, pages) in kinds.items():
        if not files:
            continue
        pdf = kind in ("born-digital", "scanned")
        for method in [m for m in METHODS if kind == "scanned" or m not in SCANS_ONLY] if pdf else ["pipeline"]:
            samples = [measure(method, files) for _ in range(max(1, runs))]
            rows.append(BenchRow(kind, method, pages or samples[0].pages or 0, statistics.median(x.seconds for x in samples),
                                 statistics.median(x.cpu_seconds for x in samples), max(x.peak_mib for x in samples),
                                 min(x.seconds for x in samples), len(files)))
    return BenchResult(rows, {k: len(v[0]) for k, v in kinds.items()}, runs, (load, _load()), one, sampled)


def ocr_engine() -> str:
    from directives.extractors.tesseract import engine_name

    return engine_name()


def bench_table(res: BenchResult) -> str:
    lines = [
        f"machine: {platform.machine()}, {mp.cpu_count()} cores, {platform.processor() or platform.platform()}; "
        f"python {platform.python_version()}; one fresh process per run, median of {res.runs} (and the best run); "
        f"load average {res.load[0]:.2f} before, {res.load[1]:.2f} after; OCR engine {ocr_engine()}",
        "files: " + ", ".join(f"{k} {n}" + (f" ({res.sampled[k]})" if k in res.sampled else "")
                              for k, n in res.files.items()),
        "",
        "| pages | method | n | pages/s | pages/s best run | CPU s/page | CPU s/file | wall × cores s/page "
        "| peak RSS MiB | pipeline ÷ method, pages/s | pipeline ÷ method, CPU s/page |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in res.rows:
        pipe = next(x for x in res.rows if x.kind == r.kind and x.method == "pipeline")
        ratio = pipe.pages_per_s / r.pages_per_s if r.pages_per_s else 0.0
        cpu_ratio = pipe.cpu_per_page / r.cpu_per_page if r.cpu_per_page else 0.0
        lines.append(f"| {r.kind} | {r.method} | {r.pages} | {r.pages_per_s:.1f} | {r.best_pages_per_s:.1f} | "
                     f"{r.cpu_per_page:.3f} | {r.cpu_per_file:.2f} | "
                     f"{r.core_seconds_per_page:.3f} | {r.peak_mib:.0f} | {ratio:.2f} | {cpu_ratio:.2f} |")
    if res.one_file is not None:
        o = res.one_file
        lines += ["", f"one file: `directives run {Path(o.path).name} --out NEW_FOLDER` ({o.pages} pages, a new "
                      f"interpreter, born-digital): {o.median:.2f} s wall (median of {len(o.seconds)}; best "
                      f"{min(o.seconds):.2f} s)"]
    return "\n".join(lines)
