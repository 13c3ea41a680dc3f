"""`--executor dask` on a LocalCluster of worker processes against the local pool, same files.

    .venv/bin/python scripts/bench_dask.py PATH... [--workers 2]

Runs `run_files` over PATHs into a new folder with the local pool (`--workers` slots), then with
a Dask LocalCluster of `--workers` worker processes (one thread each), `--rounds` times in turn
(the load of a shared machine drifts), and prints for each run: wall seconds, pages/s and
seconds per file. The cluster's start-up is timed apart. docs/scale.md quotes one run.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from directives.batch import BatchOptions, run_files
from directives.batch.inputs import expand_paths


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


def timed(paths: list[Path], out: Path, batch: BatchOptions) -> float:
    """Wall seconds of one run into `out`. (CPU time is not reported: the local pool's files run in
    children of a fork server, which this process's rusage does not count until it exits.)"""
    t0 = time.perf_counter()
    run_files(paths, out, batch=batch)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2, help="local then dask, this many times (drift in the load evens out)")
    args = ap.parse_args(argv)
    from distributed import LocalCluster

    pages, files = pages_of(args.paths), len(expand_paths(args.paths))
    rows: dict[str, list[float]] = {"local pool": [], "dask": []}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="directives-dask-") as tmp, \
            LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        start = time.perf_counter() - t0
        for k in range(max(1, args.rounds)):
            rows["local pool"].append(timed(args.paths, Path(tmp) / f"local{k}", BatchOptions(workers=args.workers)))
            rows["dask"].append(timed(args.paths, Path(tmp) / f"dask{k}", BatchOptions(
                executor="dask", scheduler=cluster.scheduler_address)))
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; load average "
          f"{os.getloadavg()[0]:.1f} at the end; {files} files, {pages} pages; {args.rounds} rounds of local then "
          f"dask; cluster start-up {start:.1f} s (not in the rows)\n")
    print("| executor | run | wall s | pages/s | s/file |\n|---|---:|---:|---:|---:|")
    for name, runs in rows.items():
        label = name if name != "dask" else f"dask LocalCluster, {args.workers} processes × 1 thread"
        for k, wall in enumerate(runs, 1):
            print(f"| {label} | {k} | {wall:.1f} | {pages / wall:.2f} | {wall / files:.2f} |")
    local, dask = statistics.median(rows["local pool"]), statistics.median(rows["dask"])
    print(f"\nmedian wall: local {local:.1f} s, dask {dask:.1f} s; dask − local {dask - local:+.1f} s, "
          f"{(dask - local) / files:+.2f} s a file ({100 * (dask / local - 1):+.0f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
