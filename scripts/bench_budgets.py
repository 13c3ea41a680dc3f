"""Check the speed budgets (issue 21) with `directives bench`, on this machine, now.

    .venv/bin/python scripts/bench_budgets.py [PATH ...] [--runs N]

Budgets:
- one file: `directives run` of a 2-page born-digital letter into a new folder ≤ 1.0 s wall;
- born-digital: the pipeline ≥ 150 pages per CPU second (one core, in process, models loaded);
- scans: the pipeline's CPU per page ≤ 1.0 × bare `tesseract -l vie --psm 4` on the same pages.

Without PATHs: a 2-page letter (the first two pages of samples/347-CV-TDTN-VP.pdf, written to a
temporary folder: the smallest born-digital PDF, so the one-file run), the seed PDF and the
seed scan. Prints each figure against its budget and the machine's load; exits 1 when a budget is
missed. A benchmark, not a test: on a shared machine the figures move with the load (say so when
you quote them), so no test asserts them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from directives.bench import TESSERACT, BenchResult, bench_table, run_bench

ROOT = Path(__file__).resolve().parents[1]
ONE_FILE_S = 1.0
BORN_DIGITAL_PAGES_PER_CPU_S = 150.0
SCAN_CPU_RATIO = 1.0


def two_page_letter(folder: Path) -> Path:
    import pymupdf

    target = folder / "letter-2-pages.pdf"
    with pymupdf.open(ROOT / "samples" / "347-CV-TDTN-VP.pdf") as doc:
        doc.select([0, 1])
        doc.save(target)
    return target


def budgets(res: BenchResult) -> list[tuple[str, float | None, str, bool | None]]:
    """(budget, measured, limit, met) for each budget; measured None when the inputs lack it."""
    out: list[tuple[str, float | None, str, bool | None]] = []
    one = res.one_file
    out.append(("one-file run, s wall (median)", one.median if one else None, f"≤ {ONE_FILE_S}",
                one.median <= ONE_FILE_S if one else None))
    born = res.row("born-digital", "pipeline")
    rate = born.pages / born.cpu_seconds if born and born.cpu_seconds else None
    out.append(("born-digital, pages per CPU s", rate, f"≥ {BORN_DIGITAL_PAGES_PER_CPU_S:g}",
                rate >= BORN_DIGITAL_PAGES_PER_CPU_S if rate else None))
    scan, tess = res.row("scanned", "pipeline"), res.row("scanned", TESSERACT)
    ratio = scan.cpu_per_page / tess.cpu_per_page if scan and tess and tess.cpu_per_page else None
    out.append(("scans, pipeline ÷ bare Tesseract, CPU s/page", ratio, f"≤ {SCAN_CPU_RATIO}",
                ratio <= SCAN_CPU_RATIO if ratio else None))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="directives-budgets-") as tmp:
        paths = args.paths or [two_page_letter(Path(tmp)), ROOT / "samples" / "347-CV-TDTN-VP.pdf",
                               ROOT / "samples" / "347-CV-TDTN-VP-scan.pdf"]
        res = run_bench(paths, args.runs)
    print(bench_table(res))
    print("\n| budget | measured | limit | |\n|---|---:|---|---|")
    missed = 0
    for name, value, limit, met in budgets(res):
        verdict = "no input" if met is None else "met" if met else "MISSED"
        missed += met is False
        print(f"| {name} | {'' if value is None else f'{value:.2f}'} | {limit} | {verdict} |")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
