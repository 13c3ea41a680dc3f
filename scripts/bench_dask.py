"""`--executor dask` on a LocalCluster of worker processes against the local pool, same files.

    .venv/bin/python scripts/bench_dask.py PATH... [--workers 2]

Runs `run_files` over PATHs into a new folder with the local pool (`--workers` slots), then with
a Dask LocalCluster of `--workers` worker processes (one thread each), and prints for each: wall
seconds, pages/s, seconds per file, and CPU seconds (this process and its children: the pool's
workers, the cluster's worker processes, their OCR children; for Dask with the cluster's start
and stop). The cluster's start-up is timed apart. docs/scale.md quotes one run.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from directives.batch import BatchOptions, run_files
from directives.batch.inputs import expand_paths


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def pages_of(paths: list[Path]) -> int:
    import pymupdf

    total = 0
    for p in expand_paths(paths):
        try:
            with pymupdf.open(p) as doc:
                total += doc.page_count
        except Exception:
            continue
    return total


def timed(paths: list[Path], out: Path, batch: BatchOptions) -> tuple[float, float, int]:
    cpu, t0 = _cpu(), time.perf_counter()
    summary = run_files(paths, out, batch=batch)
    return time.perf_counter() - t0, _cpu() - cpu, len(summary.outcomes)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    from distributed import LocalCluster

    pages = pages_of(args.paths)
    rows = []
    with tempfile.TemporaryDirectory(prefix="directives-dask-") as tmp:
        rows.append(("local pool", *timed(args.paths, Path(tmp) / "local", BatchOptions(workers=args.workers))))
        cpu, t0 = _cpu(), time.perf_counter()
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            start = time.perf_counter() - t0
            wall, _, files = timed(args.paths, Path(tmp) / "dask",
                                   BatchOptions(executor="dask", scheduler=cluster.scheduler_address))
        # the worker processes' CPU is known once they are reaped: with the cluster's start and stop
        rows.append((f"dask LocalCluster, {args.workers} processes", wall, _cpu() - cpu, files))
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; load average "
          f"{os.getloadavg()[0]:.1f} at the end; {pages} pages; cluster start-up {start:.1f} s (not in the rows)\n")
    print("| executor | files | wall s | pages/s | s/file | CPU s (parent + children) |\n|---|---:|---:|---:|---:|---:|")
    for name, wall, cpu, files in rows:
        print(f"| {name} | {files} | {wall:.1f} | {pages / wall:.2f} | {wall / files:.2f} | {cpu:.0f} |")
    local, dask = rows[0][1], rows[1][1]
    print(f"\ndask − local: {dask - local:+.1f} s wall, {(dask - local) / rows[0][3]:+.2f} s a file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
