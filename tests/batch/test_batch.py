"""The bad-input batch: 200+ generated files, 20+ of them broken, through the real CLI.

The batch finishes; every broken file has an errors.csv row with a clear reason; every good file
has its JSON; a second run skips everything; a run killed with SIGKILL mid-way and run again ends
with outputs byte-identical to an uninterrupted run (same input folder, so the same source paths);
so does a run that adds to an existing folder, killed at each step of its incremental work.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pymupdf
import pytest

from tests.batch.inputs import (
    BROKEN_CODES,
    VIETNAMESE_NAME,
    Inputs,
    corpus_rows,
    letter_lines,
    make_inputs,
    output_files,
    text_pdf,
)
from tests.helpers import ROOT

pytestmark = pytest.mark.slow

ENV = {**os.environ}
RUN_TIMEOUT = 900


def command(folder: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "directives.cli", "run", str(folder), "--out", str(out), "--workers", "2",
            "--timeout", "300"]


@dataclass
class Run:
    out: Path
    proc: subprocess.CompletedProcess


def run_cli(folder: Path, out: Path) -> Run:
    proc = subprocess.run(command(folder, out), capture_output=True, text=True, timeout=RUN_TIMEOUT, env=ENV,
                          check=False)
    return Run(out, proc)


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def doc_id(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    return make_inputs(tmp_path_factory.mktemp("batch") / "in")


@pytest.fixture(scope="module")
def first(inputs: Inputs, tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_cli(inputs.folder, tmp_path_factory.mktemp("out-a"))


def test_inputs_are_what_they_claim(inputs: Inputs) -> None:
    assert len(inputs.all) >= 200
    assert len(inputs.broken) >= 20
    assert set(inputs.broken.values()) == set(BROKEN_CODES)
    assert (inputs.folder / VIETNAMESE_NAME).is_file()
    with pymupdf.open(inputs.folder / "big-500-pages.pdf") as doc:
        assert doc.page_count == 500
    with pymupdf.open(inputs.folder / "many-drawings.pdf") as doc:
        assert len(doc[0].get_drawings()) >= 5000
    for k in range(2):
        with pymupdf.open(inputs.folder / f"scan-{k}.pdf") as doc:
            assert doc[0].get_text().strip() == "" and doc[0].get_images()
    assert all(p.stat().st_size == 0 for p, kind in inputs.broken.items() if kind == "empty")


def test_batch_finishes_without_traceback(first: Run) -> None:
    assert first.proc.returncode == 1, first.proc.stderr[-2000:]  # 1: some files failed, reported
    assert "Traceback" not in first.proc.stderr
    summary = json.loads((first.out / "run-summary.json").read_text())
    assert summary["inputs"] >= 200 and summary["processed"] == summary["inputs"] and summary["skipped"] == 0
    assert first.proc.stderr.strip().splitlines()[-1].endswith(f"failed → {first.out}")


def test_every_broken_file_has_an_error_row(inputs: Inputs, first: Run) -> None:
    errors = read_csv(first.out / "errors.csv")
    assert not errors["file"].duplicated().any()
    rows = {r.file: r for r in errors.itertuples(index=False)}
    for path, kind in inputs.broken.items():
        row = rows.get(str(path))
        assert row is not None, f"no errors.csv row for {path.name}"
        assert row.code in BROKEN_CODES[kind], (path.name, row.code, row.reason)
        assert len(row.reason) > 10, (path.name, row.reason)
        assert f"error: {path}: {row.reason}" in first.proc.stderr
    good_rows = {str(p) for p in inputs.good} & set(rows)
    assert all(rows[f].code in inputs.may_fail.get(Path(f), set()) for f in good_rows), good_rows


def test_every_good_file_has_its_output(inputs: Inputs, first: Run) -> None:
    documents = read_csv(first.out / "documents.csv")
    by_file = dict(zip(documents["file"], documents["doc_id"], strict=True))
    for path in inputs.good:
        assert by_file.get(str(path)) == doc_id(path), path.name
        data = json.loads((first.out / "json" / f"{doc_id(path)}.json").read_text(encoding="utf-8"))
        assert data["source"]["path"] == str(path)
    big = json.loads((first.out / "json" / f"{doc_id(inputs.folder / 'big-500-pages.pdf')}.json").read_text())
    assert big["source"]["pages"] == 500
    assert set(documents["file"]) <= {str(p) for p in inputs.all}
    assert len(list((first.out / "json").glob("*.json"))) == len(documents)


def test_the_corpus_holds_every_document(inputs: Inputs, first: Run) -> None:
    db = sqlite3.connect(first.out / "corpus.sqlite")
    assert db.execute("SELECT count(*) FROM docs").fetchone()[0] == len(read_csv(first.out / "documents.csv"))
    db.close()
    proc = subprocess.run([sys.executable, "-m", "directives.cli", "search", "xung kich doan vien", "--out",
                           str(first.out), "--limit", "500", "--json"], capture_output=True, text=True, timeout=120,
                          check=False)
    hits = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {h["file"] for h in hits} >= {str(p) for p in inputs.good if p.name.startswith("letter-")}
    assert all("«xung kích»" in h["snippet"] for h in hits)


def test_no_temporary_files_left(first: Run) -> None:
    assert [p for p in first.out.rglob("*") if p.name.startswith(".") or p.name.endswith(".tmp")] == []


def test_second_run_skips_everything(inputs: Inputs, first: Run) -> None:
    before = output_files(first.out)
    again = run_cli(inputs.folder, first.out)
    assert again.proc.returncode == 1  # the broken files are still broken
    summary = json.loads((first.out / "run-summary.json").read_text())
    assert summary["processed"] == 0 and summary["skipped"] == summary["inputs"] == len(inputs.all)
    assert output_files(first.out) == before


def wait_for_records(out: Path, proc: subprocess.Popen, count: int) -> int:
    """Poll the manifest until it holds `count` outcomes (or the run ends); returns what it holds."""
    deadline = time.monotonic() + RUN_TIMEOUT
    n = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            db = sqlite3.connect(f"file:{out / 'manifest.sqlite'}?mode=ro", uri=True, timeout=1)
            n = db.execute("SELECT count(*) FROM files").fetchone()[0]
            db.close()
        except sqlite3.Error:
            n = 0
        if n >= count:
            break
        time.sleep(0.05)
    return n


def test_killed_run_resumes_to_identical_outputs(inputs: Inputs, first: Run,
                                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    out = tmp_path_factory.mktemp("out-b")
    proc = subprocess.Popen(command(inputs.folder, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=ENV)
    try:
        done = wait_for_records(out, proc, len(inputs.all) // 3)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert 0 < done < len(inputs.all)
    assert not (out / "documents.csv").exists()  # killed before the datasets: a true mid-way kill

    resumed = run_cli(inputs.folder, out)
    assert resumed.proc.returncode == 1 and "Traceback" not in resumed.proc.stderr
    summary = json.loads((out / "run-summary.json").read_text())
    assert summary["skipped"] >= done - 2 * 2  # what was recorded is not redone (the files in flight are)
    reference = output_files(first.out)
    assert output_files(out) == reference
    assert len(reference) > len(inputs.good)
    assert corpus_rows(out) == corpus_rows(first.out)


# ---------------------------------------------------------------- killed while adding to a folder

# where a run adding to a folder is killed: (function, its call that is not made)
KILLS = [
    ("directives.batch.manifest:Manifest.record", 4),  # while files are processed and recorded
    ("directives.index:Corpus._insert", 3),  # inside a transaction indexing new documents
    ("directives.index:Corpus.set_errors", 1),  # documents indexed, errors not yet
    ("directives.exports:write_parquet_dataset", 3),  # CSVs and some Parquet files written, none recorded
    ("directives.index:Corpus.set_exported", 6),  # exports written, some of them recorded
]


def grow(folder: Path) -> None:
    """New letters (before, among and after the others), one letter changed, one copied."""
    for name, n in (("a-first.pdf", 900), ("letter-010b.pdf", 901), ("z-last.pdf", 902)):
        text_pdf(folder / name, [letter_lines(n)])
    text_pdf(folder / "letter-004.pdf", [letter_lines(903)])
    (folder / "b-copy.pdf").write_bytes((folder / "letter-020.pdf").read_bytes())
    (folder / "note.docx").write_bytes(b"PK")


@pytest.mark.parametrize(("target", "nth"), KILLS)
def test_killed_while_adding_resumes_to_identical_outputs(target: str, nth: int,
                                                          tmp_path_factory: pytest.TempPathFactory) -> None:
    base = tmp_path_factory.getbasetemp() / "grow"
    folder, before, reference = base / "in", base / "before", base / "reference"
    if not reference.exists():  # the first parameter builds them
        folder.mkdir(parents=True)
        for n in range(30):
            text_pdf(folder / f"letter-{n:03d}.pdf", [letter_lines(n)])
        assert run_cli(folder, before).proc.returncode == 0
        grow(folder)
        shutil.copytree(before, reference)
        assert run_cli(folder, reference).proc.returncode == 1  # note.docx is not read
    out = tmp_path_factory.mktemp("killed")
    shutil.copytree(before, out, dirs_exist_ok=True)
    killed = subprocess.run([sys.executable, "-m", "tests.batch.killer", target, str(nth),
                             *command(folder, out)[3:]], capture_output=True, text=True, timeout=RUN_TIMEOUT,
                            env=ENV, cwd=ROOT, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    resumed = run_cli(folder, out)
    assert resumed.proc.returncode == 1 and "Traceback" not in resumed.proc.stderr
    assert output_files(out) == output_files(reference)
    assert corpus_rows(out) == corpus_rows(reference)
