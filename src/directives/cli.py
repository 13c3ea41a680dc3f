"""Command line: `directives run|schema|bench`. Logging is configured here and nowhere else."""

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
    paths: Annotated[list[Path], typer.Argument(help="PDF files or folders (walked for *.pdf)")],
    out: Annotated[Path, typer.Option("--out", "-o", help="output folder")] = Path("output"),
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Process files into OUT/json/<doc_id>.json and the CSV datasets. Exit 1 if any file failed."""
    from directives.batch import run_files

    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(message)s")

    def on_error(rec: ErrorRecord) -> None:
        _stderr(f"error: {rec.file}: {rec.reason}")

    try:
        summary = run_files(paths, out, on_error=on_error)
    except DirectivesError as exc:  # the output folder itself is unusable
        _stderr(f"error: {exc.reason}")
        raise typer.Exit(1) from None
    ok, partial = summary.count(Status.ok), summary.count(Status.partial)
    _stderr(f"{ok} ok, {partial} partial, {summary.failed} failed → {out}")
    raise typer.Exit(1 if summary.errors else 0)


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
    """Per-field precision/recall/F1 (strict and soft), headings, tables, CER/WER against gold."""
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
    runs: Annotated[int, typer.Option(help="repetitions; the median is reported")] = 5,
) -> None:
    """Pages per second and peak memory: full pipeline vs raw PyMuPDF and pdfplumber, same files."""
    from directives.bench import bench_table, run_bench

    print(bench_table(run_bench(paths, runs)))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
