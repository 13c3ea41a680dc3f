"""Scanned pages: CPU per page of this tree's pipeline against another tree's and bare Tesseract's.

    .venv/bin/python scripts/compare_scans.py OTHER_SRC [PATH ...] [--rounds N] [--pages N]

OTHER_SRC is another checkout's `src` folder (a `git worktree` of main, or `git archive`d). The
files are the PDFs the pipeline OCRs among PATHs (default: samples/ and ../shared/corpus/docs),
sampled as `directives bench` samples them (`--pages`, default the README's 40). Each round runs,
one after the other in fresh processes, this tree's pipeline, OTHER_SRC's, and bare Tesseract
(`directives bench`'s `tesseract PAGE.png stdout -l vie --psm 4`, one CLI call per page), so that
the machine's load weighs on all three alike; the pipeline's CPU counts its OCR workers and the
later stages (the bench's measure: warm-up outside). Prints the medians over the rounds and the
median of the rounds' ratios. A benchmark, not a test: state the load with it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(method: str, files: list[str]) -> None:
    """In a fresh process of the tree on PYTHONPATH: one JSON line (CPU s, pages, load)."""
    from directives.bench import TESSERACT, measure

    sample = measure("pipeline" if method == "pipeline" else TESSERACT, files)
    print(json.dumps({"cpu": sample.cpu_seconds, "pages": sample.pages, "load": os.getloadavg()[0]}))


def scan_sample(paths: list[Path], pages: int) -> tuple[list[str], int]:
    from directives.bench import sample_files, split_files

    files, total = split_files(paths)["scanned"]
    if pages and total > pages:
        files, _, total = sample_files(files, pages)
    return files, total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("other", type=Path, help="the other tree's src folder")
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pages", type=int, default=40, help="a sample of about N pages (0: every scan)")
    ap.add_argument("--child", choices=("pipeline", "tesseract"), help=argparse.SUPPRESS)
    ap.add_argument("--files", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, json.loads(args.files))
        return 0
    paths = args.paths or [ROOT / "samples", ROOT.parent / "shared" / "corpus" / "docs"]
    files, pages = scan_sample([p.resolve() for p in paths], args.pages)
    runs = {"this": (ROOT / "src", "pipeline"), "other": (args.other.resolve(), "pipeline"),
            "tesseract": (ROOT / "src", "tesseract")}
    rows = []
    for k in range(args.rounds):
        row = {}
        for name, (src, method) in runs.items():
            out = subprocess.run([sys.executable, __file__, str(args.other), "--child", method, "--files", json.dumps(files)],
                                 capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(src)), check=True)
            row[name] = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"round {k + 1}: load {row['this']['load']:.1f}; CPU s/page: "
              + "; ".join(f"{name} {row[name]['cpu'] / pages:.3f}" for name in runs), file=sys.stderr)
    loads = [r[name]["load"] for r in rows for name in runs]
    print(f"{len(files)} scanned files, {pages} pages; {len(rows)} rounds, load average {min(loads):.1f}–{max(loads):.1f}\n")
    print("| method | CPU s/page (median) | ÷ bare Tesseract (median of the rounds' ratios) |")
    print("|---|---:|---:|")
    for name in runs:
        cpu = [r[name]["cpu"] / pages for r in rows]
        ratio = [r[name]["cpu"] / r["tesseract"]["cpu"] for r in rows]
        print(f"| {name} | {statistics.median(cpu):.3f} | {statistics.median(ratio):.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
