"""What adding one file to an archive costs: into an empty folder, into 2,000 and into 20,000 documents.

    python scripts/bench_incremental.py [--work DIR] [--runs 3] [--workers 2] [--compare OTHER/src]

Generates small synthetic two-page letters (the way tests/batch/inputs.py does) into WORK/in: a/
(2,000), b/ (18,000 more) and new/ (the one added), once; runs name them relative to WORK. Builds the two archives once
(`directives run in/a` → WORK/base-2000; that copied, then `run in/a in/b` → WORK/base-20000) and
reuses them while they are there. Then, `--runs` times, each case on a fresh copy of its archive:
the wall time of `directives run … --out COPY` in a new process (interpreter start included) that
adds new/ to it, as an archivist's daily run does. Prints a Markdown table: median wall seconds,
the ratio to the empty folder, and the budget (≤ 1.5× at 2,000, ≤ 2× at 20,000); and the CPU
seconds of the run's processes (children included: less sensitive to a shared machine's load).
A base built earlier is first run over once by this version (nothing to process: what it
rewrites once, such as a workbook layout an older version did not keep, is not measured).

Building base-20000 processes 20,000 letters (≈ 20 min on 2 cores); it is kept for the next time.
The copies are in the page cache when measured (as an archive used daily mostly is).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.batch.inputs import letter_lines, text_pdf  # noqa: E402

CASES = (("empty folder", None, ("new",), None), ("2,000 documents", "base-2000", ("a", "new"), 1.5),
         ("20,000 documents", "base-20000", ("a", "b", "new"), 2.0))


def two_page_letter(n: int) -> list[list[str]]:
    lines = letter_lines(n)
    return [lines[:10], [
        "III. TỔ CHỨC THỰC HIỆN",
        f"1. Các chi đoàn xây dựng kế hoạch chi tiết, báo cáo kết quả trước ngày {1 + n % 28}/{1 + n % 12}/2024.",
        "2. Văn phòng Đoàn xã theo dõi, tổng hợp, báo cáo Ban Thường vụ.",
        "Trên đây là kế hoạch tổ chức hoạt động, đề nghị các chi đoàn nghiêm túc thực hiện./.",
        *lines[10:]]]


def generate(folder: Path, numbers: range) -> None:
    done = folder.parent / f".generated-{folder.name}-{numbers.start}-{numbers.stop}"  # beside: not an input
    if done.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    for n in numbers:
        text_pdf(folder / f"letter-{n:05d}.pdf", two_page_letter(n))
    done.touch()
    print(f"generated {len(numbers)} letters into {folder} in {time.monotonic() - t0:.0f} s", file=sys.stderr)


def directives_run(work: Path, folders: tuple[str, ...], out: str, workers: int,
                   src: Path = ROOT / "src") -> tuple[float, float]:
    """Wall seconds and CPU seconds (the run's processes, children included) of `directives run
    in/FOLDER… --out OUT` in WORK (paths relative to it)."""
    cmd = [sys.executable, "-m", "directives.cli", "run", *(f"in/{f}" for f in folders), "--out", out,
           "--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(src), os.environ.get("PYTHONPATH")]))}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=work, env=env)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return seconds, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def build(work: Path, workers: int) -> None:
    inp = work / "in"
    generate(inp / "a", range(0, 2000))
    generate(inp / "b", range(2000, 20000))
    generate(inp / "new", range(90000, 90001))
    for name, source, folders in (("base-2000", None, ("a",)), ("base-20000", "base-2000", ("a", "b"))):
        base = work / name
        if (base / ".complete").exists():
            directives_run(work, folders, name, workers)  # as this version leaves it (nothing to process)
            continue
        shutil.rmtree(base, ignore_errors=True)
        if source:
            shutil.copytree(work / source, base, symlinks=True)
            (base / ".complete").unlink()
        t0 = time.monotonic()
        directives_run(work, folders, name, workers)
        directives_run(work, folders, name, workers)  # settled: nothing left to do
        (base / ".complete").touch()
        print(f"built {name} in {time.monotonic() - t0:.0f} s", file=sys.stderr)


Times = dict[tuple[str, str], list[float]]  # (version, case) → seconds of each run


def measure(work: Path, runs: int, workers: int, sources: dict[str, Path]) -> tuple[Times, Times]:
    times: Times = {(v, label): [] for v in sources for label, *_ in CASES}
    cpu: Times = {(v, label): [] for v in sources for label, *_ in CASES}
    for _ in range(runs):
        for label, base, folders, _budget in CASES:  # cases and versions interleaved: the machine's load spread
            for version, src in sources.items():
                out = work / "measured"
                shutil.rmtree(out, ignore_errors=True)
                if base:
                    shutil.copytree(work / base, out, symlinks=True)
                else:
                    out.mkdir()
                os.sync()  # the copy's writeback finished: not measured as the run's
                wall, used = directives_run(work, folders, out.name, workers, src)
                times[version, label].append(wall)
                cpu[version, label].append(used)
                documents = json.loads((out / "run-summary.json").read_text())
                assert documents["processed"] == 1 and documents["failed"] == 0, documents
    shutil.rmtree(work / "measured", ignore_errors=True)
    return times, cpu


def table(times: Times, cpu: Times, load: tuple[float, float], workers: int, sources: dict[str, Path]) -> str:
    lines = [
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; python "
        f"{platform.python_version()}; --workers {workers}; load average {load[0]:.1f} before, {load[1]:.1f} after",
        "",
        "| version | adding 1 file to | runs | wall s (median) | min – max | × empty folder | budget | CPU s (median) "
        "| CPU × empty folder |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for version in sources:
        base = statistics.median(times[version, CASES[0][0]])
        base_cpu = statistics.median(cpu[version, CASES[0][0]])
        for label, _, _, budget in CASES:
            t = times[version, label]
            ratio = statistics.median(t) / base
            verdict = "" if budget is None else f"≤ {budget:g}× {'met' if ratio <= budget else 'MISSED'}"
            c = statistics.median(cpu[version, label])
            lines.append(f"| {version} | {label} | {len(t)} | {statistics.median(t):.2f} | {min(t):.2f} – {max(t):.2f} "
                         f"| {ratio:.2f} | {verdict} | {c:.2f} | {c / base_cpu:.2f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/directives-bench-incremental"))  # absolute
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--compare", type=Path, metavar="SRC", help="another version's src/ folder, measured in the "
                    "same runs (interleaved), e.g. a `git worktree` of the previous release")
    args = ap.parse_args()
    args.work = args.work.resolve()
    sources = {"this": ROOT / "src"} | ({"compared": args.compare.resolve()} if args.compare else {})
    build(args.work, args.workers)
    before = os.getloadavg()[0]
    times, cpu = measure(args.work, args.runs, args.workers, sources)
    print(table(times, cpu, (before, os.getloadavg()[0]), args.workers, sources))


if __name__ == "__main__":
    main()
