"""Command line: `directives run|search|serve|schema|eval|bench`. Logging is configured here and nowhere else."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from directives.errors import DirectivesError
from directives.schemas import ErrorRecord, Status

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (walked; files of other formats are "
                                                     "reported)", exists=True, readable=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="output folder")] = Path("output"),
    workers: Annotated[int, typer.Option("--workers", "-j", min=0, help="files in parallel; 0 = one per core")] = 0,
    timeout: Annotated[float, typer.Option(min=0, help="seconds per file before it is killed; 0 = none")] = 900.0,
    memory_mb: Annotated[int, typer.Option("--memory-mb", min=0, help="memory cap per file (MiB); 0 = none")] = 4096,
    force: Annotated[bool, typer.Option("--force", help="redo files that are unchanged since the last run")] = False,
    reprocess: Annotated[bool, typer.Option("--reprocess", help="redo files whose outputs came from an older "
                                                                "version of directives")] = False,
    executor: Annotated[str, typer.Option(help="local | dask")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Process files into OUT/json/<doc_id>.json, the datasets (CSV, XLSX, Parquet) and the corpus
    index. Files unchanged since the last run into OUT are skipped; outputs of an older version are
    kept unless --reprocess. Exit 1 if any file failed or was not read."""
    from directives.batch import BatchOptions, Limits, run_files
    from directives.batch.inputs import one_line
    from directives.progress import Progress

    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(message)s")
    batch = BatchOptions(workers=workers, limits=Limits(timeout or None, memory_mb or None), force=force,
                         reprocess=reprocess, executor=executor, scheduler=scheduler)
    with Progress(sys.stderr) as progress:
        def on_error(rec: ErrorRecord) -> None:  # the file name is quoted when not printable (path_text)
            progress.message(f"error: {rec.file}: {one_line(rec.reason)}")

        try:
            summary = run_files(paths, out, on_error=on_error, batch=batch, on_result=progress.update,
                                on_notice=lambda text: progress.message(f"note: {one_line(text)}"))
        except DirectivesError as exc:  # the output folder itself is unusable or busy
            progress.message(f"error: {one_line(exc.reason)}")
            raise typer.Exit(1) from None
    ok, partial = summary.count(Status.ok), summary.count(Status.partial)
    skipped = f" ({summary.skipped} unchanged, skipped)" if summary.skipped else ""
    _stderr(f"{ok} ok, {partial} partial, {summary.failed} failed{skipped} → {out}")
    raise typer.Exit(1 if summary.errors else 0)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='words (all must occur), "a phrase", prefix*')],
    out: Annotated[Path, typer.Option("--out", "-o", help="output folder of `directives run`")] = Path("output"),
    type_: Annotated[str | None, typer.Option("--type", help="document type, e.g. 'Kế hoạch' (accents optional)")] = None,
    issuer: Annotated[str | None, typer.Option(help="part of the issuer's name")] = None,
    year: Annotated[int | None, typer.Option(help="year of the document's date (else the year its symbol, "
                                                    "attachment or subject names)")] = None,
    signer: Annotated[str | None, typer.Option(help="part of the signer's name (accents optional)")] = None,
    limit: Annotated[int, typer.Option(min=1, help="hits shown")] = 20,
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
        raise typer.Exit(1) from None
    hits = found.hits
    if hits and not json_:
        print(count_line(len(hits), 0, found.total))
    for rank, hit in enumerate(hits, 1):
        print(json.dumps(dataclasses.asdict(hit), ensure_ascii=False) if json_ else format_hit(rank, hit))
    if not hits and not json_:
        _stderr("no hits")


@app.command()
def serve(
    out: Annotated[Path, typer.Option("--out", "-o", help="output folder of `directives run`")] = Path("output"),
    host: Annotated[str, typer.Option(help="address to bind; another than 127.0.0.1 opens it to the network")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="0 = any free port")] = 8001,
    root: Annotated[Path | None, typer.Option(help="folder the run's relative input paths are read from "
                                                   "(default: the current folder)")] = None,
    sql_seconds: Annotated[float, typer.Option(min=0.1, help="time limit of an SQL query")] = 2.0,
) -> None:
    """The corpus in the browser: search, facets, document pages, datasets, read-only SQL."""
    from directives.serve import make_server

    try:
        server = make_server(out, host, port, root, sql_seconds)
    except (DirectivesError, OSError) as exc:
        _stderr(f"error: {getattr(exc, 'reason', exc)}")
        raise typer.Exit(1) from None
    bound_host, bound_port = server.server_address[:2]
    print(f"serving {out} at http://{bound_host}:{bound_port}/ (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@app.command()
def schema(check: Annotated[bool, typer.Option(help="exit 1 when the schema file is stale")] = False) -> None:
    """Regenerate src/directives/schemas/directive.schema.json from the models."""
    from directives.schemas.generate import main as generate

    raise typer.Exit(generate(["--check"] if check else []))


@app.command(name="eval")
def eval_(
    pred: Annotated[Path, typer.Option("--pred", help="an output folder of `directives run`")],
    gold: Annotated[list[Path], typer.Option("--gold", help="gold folder(s); the first that has a file wins")],
    json_out: Annotated[Path | None, typer.Option("--json", help="also write the report as JSON")] = None,
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


@app.command()
def bench(
    paths: Annotated[list[Path], typer.Argument(help="PDF files or folders")],
    runs: Annotated[int | None, typer.Option(help="repetitions, the median reported (default 5; --batch 1)")] = None,
    batch: Annotated[bool, typer.Option("--batch", help="time the batch (`run`) with 1 and with N workers")] = False,
    workers: Annotated[int, typer.Option(min=0, help="N for --batch; 0 = one per core")] = 0,
) -> None:
    """Pages per second and peak memory: full pipeline vs raw PyMuPDF and pdfplumber, same files.
    With --batch: batch throughput with 1 and N workers, speed-up and peak memory."""
    if batch:
        from directives.bench_batch import batch_table, run_batch_bench

        print(batch_table(run_batch_bench(paths, workers, runs or 1)))
        return
    from directives.bench import bench_table, run_bench

    print(bench_table(run_bench(paths, runs or 5)))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
