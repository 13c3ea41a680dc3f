"""Command line: `directives run|search|serve|schema|stages|eval|bench`. Logging is configured here and nowhere else."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from directives.batch.options import BatchOptions, Limits
from directives.errors import DirectivesError
from directives.extractors.registry import formats_text
from directives.options import help_of
from directives.schemas import ErrorRecord, Status

HELP = """Vietnamese official documents (công văn, kế hoạch, quyết định …), born-digital or scanned, into
JSON, spreadsheets (XLSX, CSV, Parquet) and a searchable corpus.

Start with: directives run PATH... --out DIR, then open DIR/datasets.xlsx or `directives search WORDS --out DIR`."""

# exit codes (README "Exit codes")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_DEPENDENCY, EXIT_OUTPUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
DEV = "Developer commands"
# failures of a file that mean something the program needs is missing, not that the file is bad
DEPENDENCY_CODES = frozenset({"ocr-unavailable", "model"})

class Executor(StrEnum):
    local = "local"
    dask = "dask"


app = typer.Typer(add_completion=False, no_args_is_help=True, help=HELP)


def _metavars_only() -> None:
    """Typer's help labels a flag `<bool>` and an argument `<list[Path]>`: show the metavars (PATH,
    DIR, N) and nothing for a flag."""
    import typer.core as core

    for cls in (core.TyperArgument, core.TyperOption):
        def display(self, ctx, _original=cls.display_type_rich):
            text = _original(self, ctx)
            return None if text is None or text.startswith("<") else text
        setattr(cls, "display_type_rich", display)  # noqa: B010 (a method replaced on the class)


_metavars_only()


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        from directives.version import outputs_version

        try:
            package = version("directives")
        except PackageNotFoundError:
            package = "unknown"
        print(f"directives {package} (outputs {outputs_version()})")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="print the version and exit")] = False,
) -> None:
    pass


def _dask_missing() -> str | None:
    """Why `--executor dask` cannot run here (the [dask] extra not installed), or None."""
    from directives.batch.dask_executor import dask_missing

    return dask_missing()


def _ocr_missing() -> str | None:
    """Why OCR cannot run here (tesseract or its Vietnamese data missing), or None."""
    from directives.extractors.tesseract import check_available

    try:
        check_available("vie")
    except DirectivesError as exc:
        return exc.reason
    return None


def _report(summary, out: Path, say) -> int:
    """The end-of-run lines a clerk acts on: one per partial or failed file; the exit code."""
    for a in summary.attention:
        if a.status == "failed":
            say(f"failed  {a.file}: {a.code}: {a.reason} (see {out / 'errors.csv'})")
        elif a.warnings:
            say(f"partial {a.file}: {', '.join(a.warnings)} (see {out / 'warnings.csv'})")
        else:
            say(f"partial {a.file} (see {out / 'warnings.csv'})")
    missing = None
    if any(o.code in DEPENDENCY_CODES for o in summary.outcomes):
        missing = next(o.reason for o in summary.outcomes if o.code in DEPENDENCY_CODES)
    elif any("no-text" in a.warnings or a.code == "no-text" for a in summary.attention):
        missing = _ocr_missing()
    if missing:
        say(f"error: a dependency is missing: {missing}")
        return EXIT_DEPENDENCY
    return EXIT_FAILED if summary.errors else EXIT_OK


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH...", help=f"files or folders (walked) of {formats_text()}; "
                                                "files of other formats are listed in errors.csv", exists=True,
                                                readable=False)],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="output folder")] = Path("output"),
    workers: Annotated[int, typer.Option("--workers", "-j", metavar="N", min=0,
                                         help=help_of(BatchOptions, "workers"))] = 0,
    timeout: Annotated[float, typer.Option(metavar="SECONDS", min=0,
                                           help=help_of(Limits, "timeout") + "; 0 = no limit")] = 900.0,
    memory_mb: Annotated[int, typer.Option("--memory-mb", metavar="MIB", min=0,
                                           help=help_of(Limits, "memory_mb") + "; 0 = no limit")] = 4096,
    force: Annotated[bool, typer.Option("--force", help=help_of(BatchOptions, "force"))] = False,
    reprocess: Annotated[bool, typer.Option("--reprocess", help=help_of(BatchOptions, "reprocess"))] = False,
    executor: Annotated[Executor, typer.Option(metavar="local|dask", help=help_of(BatchOptions, "executor"))] = Executor.local,
    scheduler: Annotated[str | None, typer.Option(metavar="ADDRESS", help=help_of(BatchOptions, "scheduler"))] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log what each step does")] = False,
) -> None:
    """Read documents into DIR: json/, datasets.xlsx, CSV and Parquet datasets, a search index.

    Files unchanged since the last run into DIR are skipped, so a run that was stopped resumes
    where it was. At the end, one line per partial or failed file says what to check.
    Exit codes: 0 all processed, 1 some files failed, 2 usage error, 3 a missing dependency
    (Tesseract or its Vietnamese data), 4 output folder unusable or busy, 130 interrupted."""
    from directives.batch import run_files
    from directives.batch.inputs import one_line
    from directives.progress import Progress

    if executor == "dask" and (missing := _dask_missing()):
        _stderr(f"error: a dependency is missing: {missing}")
        raise typer.Exit(EXIT_DEPENDENCY)
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(message)s")
    batch = BatchOptions(workers=workers, limits=Limits(timeout=timeout or None, memory_mb=memory_mb or None),
                         force=force, reprocess=reprocess, executor=executor.value, scheduler=scheduler)
    with Progress(sys.stderr) as progress:
        def on_error(rec: ErrorRecord) -> None:  # the file name is quoted when not printable (path_text)
            progress.message(f"error: {rec.file}: {one_line(rec.reason)}")

        try:
            summary = run_files(paths, out, on_error=on_error, batch=batch, on_result=progress.update,
                                on_notice=lambda text: progress.message(f"note: {one_line(text)}"),
                                on_start=progress.start)
        except DirectivesError as exc:  # the output folder itself is unusable or busy
            progress.message(f"error: {one_line(exc.reason)}")
            raise typer.Exit(EXIT_OUTPUT) from None
        except KeyboardInterrupt:
            progress.message(f"interrupted: files finished so far are kept; run the same command again to resume "
                             f"(finished files are skipped): directives run ... --out {out}")
            raise typer.Exit(EXIT_INTERRUPTED) from None
    code = _report(summary, out, _stderr)
    ok, partial = summary.count(Status.ok), summary.count(Status.partial)
    skipped = f" ({summary.skipped} unchanged, skipped)" if summary.skipped else ""
    _stderr(f"{ok} ok, {partial} partial, {summary.failed} failed{skipped} → {out}")
    raise typer.Exit(code)


@app.command()
def search(
    query: Annotated[str, typer.Argument(metavar="QUERY", help='words (all must occur), "a phrase", prefix*')],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="output folder of `directives run`")] = Path("output"),
    type_: Annotated[str | None, typer.Option("--type", metavar="TYPE",
                                              help="document type, e.g. 'Kế hoạch' (accents optional)")] = None,
    issuer: Annotated[str | None, typer.Option(metavar="TEXT", help="part of the issuer's name")] = None,
    year: Annotated[int | None, typer.Option(metavar="YEAR", help="year of the document's date (else the year its "
                                                                  "symbol, attachment or subject names)")] = None,
    signer: Annotated[str | None, typer.Option(metavar="TEXT", help="part of the signer's name (accents optional)")] = None,
    limit: Annotated[int, typer.Option(metavar="N", min=1, help="hits shown")] = 20,
    exact: Annotated[bool, typer.Option("--exact", help="marks must match (default: accent-insensitive)")] = False,
    json_: Annotated[bool, typer.Option("--json", help="hits as JSON lines")] = False,
) -> None:
    """Full-text search of OUT/corpus.sqlite: ranked sections, activities and documents."""
    import dataclasses
    import json

    from directives.search import SearchQuery, count_line, find, format_hit

    try:
        found = find(out, SearchQuery(query, type_, issuer, year, limit, exact, signer=signer))
    except DirectivesError as exc:
        _stderr(f"error: {exc.reason}")
        raise typer.Exit(EXIT_OUTPUT) from None
    hits = found.hits
    if hits and not json_:
        print(count_line(len(hits), 0, found.total))
    for rank, hit in enumerate(hits, 1):
        print(json.dumps(dataclasses.asdict(hit), ensure_ascii=False) if json_ else format_hit(rank, hit))
    if not hits and not json_:
        _stderr("no hits")


@app.command()
def serve(
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="output folder of `directives run`")] = Path("output"),
    host: Annotated[str, typer.Option(help="address to bind; another than 127.0.0.1 opens it to the network")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="0 = any free port")] = 8001,
    root: Annotated[Path | None, typer.Option(help="folder the run's relative input paths are read from "
                                                   "(default: the current folder)")] = None,
    sql_seconds: Annotated[float, typer.Option(min=0.1, help="time limit of an SQL query")] = 2.0,
) -> None:
    """The corpus in the browser (Datasette): search, facets, document pages, tables, read-only SQL."""
    from directives.serve import listen, make_datasette, run

    try:
        ds = make_datasette(out, root, sql_seconds)
        sock = listen(host, port)
    except (DirectivesError, OSError) as exc:
        _stderr(f"error: {getattr(exc, 'reason', exc)}")
        raise typer.Exit(EXIT_OUTPUT) from None
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    print(f"serving {out} at http://{shown}:{bound_port}/ (Ctrl+C stops)", flush=True)
    try:
        run(ds, sock)
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()


@app.command(rich_help_panel=DEV)
def schema(check: Annotated[bool, typer.Option(help="exit 1 when the schema file is stale")] = False) -> None:
    """Regenerate src/directives/schemas/directive.schema.json from the models."""
    from directives.schemas.generate import main as generate

    raise typer.Exit(generate(["--check"] if check else []))


@app.command(rich_help_panel=DEV)
def stages() -> None:
    """The pipeline's stages in order: the fields each reads and writes, and its options model."""
    from directives.pipeline.run import STAGES
    from directives.pipeline.stage import stage_table

    print(stage_table(STAGES))


@app.command(name="eval", rich_help_panel=DEV)
def eval_(
    pred: Annotated[Path, typer.Option("--pred", metavar="DIR", help="an output folder of `directives run`")],
    gold: Annotated[list[Path], typer.Option("--gold", metavar="DIR",
                                             help="gold folder(s); the first that has a file wins")],
    json_out: Annotated[Path | None, typer.Option("--json", metavar="FILE",
                                                  help="also write the report as JSON")] = None,
) -> None:
    """Per-field precision/recall/F1 (strict and soft), for all fields, typed+stamped and handwritten apart;
    headings, tables, CER/WER against gold."""
    from directives.evaluation import evaluate, report_json, report_markdown
    from directives.writers import atomic_write

    missing = [p for p in [pred / "json", *gold] if not p.is_dir()]
    if missing:
        _stderr(f"error: not a folder: {', '.join(map(str, missing))}")
        raise typer.Exit(2)
    report = evaluate(gold, pred)
    print(report_markdown(report))
    if json_out:
        atomic_write(json_out, report_json(report).encode("utf-8"))


@app.command(rich_help_panel=DEV)
def bench(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH...", help="files or folders (PDF by kind, other formats apart)")],
    runs: Annotated[int | None, typer.Option(metavar="N",
                                             help="repetitions, the median reported (default 5; --batch 1)")] = None,
    batch: Annotated[bool, typer.Option("--batch", help="time the batch (`run`) with 1 and with N workers")] = False,
    workers: Annotated[int, typer.Option(metavar="N", min=0, help="N for --batch; 0 = one per core")] = 0,
) -> None:
    """Pages per second, CPU per page and peak memory: full pipeline vs raw PyMuPDF, pdfplumber and (scans) bare
    Tesseract, same files; and the wall time of a one-file `run`.
    With --batch: batch throughput with 1 and N workers, speed-up and peak memory."""
    if batch:
        from directives.bench_batch import batch_table, run_batch_bench

        print(batch_table(run_batch_bench(paths, workers, runs or 1)))
        return
    from directives.bench import bench_table, run_bench

    print(bench_table(run_bench(paths, runs or 5)))


def main() -> None:
    try:
        app()
    except SystemExit as exc:
        code = exc.code
        if not isinstance(code, int | None) or not _fast_exit_safe():
            raise
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`): as at a normal exit
                stream.flush()
        logging.shutdown()
        # Every command has closed its files and databases and reaped its processes by now: the
        # interpreter's own finalization (freeing every module: ≈ 0.1 s after a run) is skipped.
        os._exit(code or 0)


def _fast_exit_safe() -> bool:
    """No thread still running, nothing that writes at exit (coverage's data, dev mode's checks)."""
    import threading

    return threading.active_count() == 1 and not sys.flags.dev_mode and "coverage" not in sys.modules


if __name__ == "__main__":
    main()
