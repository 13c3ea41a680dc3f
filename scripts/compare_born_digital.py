"""Born-digital pages per CPU second of this tree against another tree's sources, side by side.

    .venv/bin/python scripts/compare_born_digital.py OTHER_SRC [PATH ...] [--rounds N] [--passes N]

OTHER_SRC is another checkout's `src` folder (e.g. a `git worktree` of main, or `git archive`d). Each
round starts two fresh processes at the same moment, one with this tree's sources and one with
OTHER_SRC's (one per core on a 2-core machine), so that the machine's load weighs on both alike:
each runs the batch warm-up, then `--passes` passes of `pipeline.run.process` over the born-digital
PDFs among PATHs (default: samples/ and ../shared/corpus/docs) and reports the CPU time of the
first pass (the bench's measure: every cache cold but the warm-up's), of the first pass with its
child processes (the `tesseract` run that reads a signature field's stamped value), and of the
best later pass (the profile's). Prints the medians over the rounds, in pages per CPU second, and
the median of the rounds' this ÷ other ratios. A benchmark, not a test: state the load with it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEASURES = ("first", "first_with_children", "best")


def _cpu_with_children() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def child(paths: list[Path], passes: int) -> None:
    """In the measured process: print one JSON line (pages, CPU s of each measure, load)."""
    from directives.batch.warm import warm_up
    from directives.bench import split_files
    from directives.pipeline.run import process

    files, pages = split_files(paths)["born-digital"]
    warm_up()
    runs = []
    for _ in range(max(2, passes)):
        total, own = _cpu_with_children(), time.process_time()
        for f in files:
            process(Path(f))
        runs.append((time.process_time() - own, _cpu_with_children() - total))
    print(json.dumps({"pages": pages, "first": runs[0][0], "first_with_children": runs[0][1],
                      "best": min(r[0] for r in runs[1:]), "load": os.getloadavg()[0]}))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("other", type=Path, help="the other tree's src folder")
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--passes", type=int, default=6)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    paths = args.paths or [ROOT / "samples", ROOT.parent / "shared" / "corpus" / "docs"]
    if args.child:
        child(paths, args.passes)
        return 0
    trees = {"this": ROOT / "src", "other": args.other.resolve()}
    cmd = [sys.executable, __file__, str(args.other), *map(str, paths), "--passes", str(args.passes), "--child"]
    rows: list[dict[str, dict]] = []
    for k in range(args.rounds):
        procs = {name: subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True,
                                        env=dict(os.environ, PYTHONPATH=str(src)))
                 for name, src in trees.items()}
        row = {name: json.loads(p.communicate()[0].strip().splitlines()[-1]) for name, p in procs.items()}
        rows.append(row)
        rates = {name: " / ".join(f"{row[name]['pages'] / row[name][m]:.0f}" for m in MEASURES) for name in trees}
        print(f"round {k + 1}: load {row['this']['load']:.1f}; pages per CPU s ({', '.join(MEASURES)}): "
              + "; ".join(f"{name} {rate}" for name, rate in rates.items()), file=sys.stderr)
    pages = rows[0]["this"]["pages"]
    loads = [r["this"]["load"] for r in rows]
    print(f"{pages} born-digital pages, {len(rows)} rounds side by side, load average {min(loads):.1f}–{max(loads):.1f}\n")
    print("| measure | this, pages per CPU s | other | this ÷ other, CPU s (median ratio) | this faster in |")
    print("|---|---:|---:|---:|---:|")
    for m in MEASURES:
        this = [r["this"][m] for r in rows]
        other = [r["other"][m] for r in rows]
        ratios = [a / b for a, b in zip(this, other, strict=True)]
        print(f"| {m.replace('_', ' ')} | {pages / statistics.median(this):.1f} | {pages / statistics.median(other):.1f} "
              f"| {statistics.median(ratios):.3f} | {sum(r < 1 for r in ratios)} of {len(rows)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
