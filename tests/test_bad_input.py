"""Broken inputs cost one errors.csv row each, never the batch, never a traceback, never a half-written file.

Every broken file is generated in a temporary folder at test time (no binary fixtures in the repo).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pandas as pd
import pymupdf
import pytest
from click.testing import Result
from typer.testing import CliRunner

from directives.cli import app
from tests.helpers import ROOT, SEED_PDF, SEED_SCAN

SEED = SEED_PDF
SCAN = SEED_SCAN
SCHEMA_FILE = ROOT / "src" / "directives" / "schemas" / "directive.schema.json"

# broken file name → the errors.csv code it must get
EXPECTED_CODES = {
    "x.pdf": "not-a-pdf",
    "page.pdf": "not-a-pdf",
    "empty.pdf": "empty-file",
    "truncated.pdf": "corrupt-pdf",
    "encrypted.pdf": "encrypted-pdf",
}
# PyMuPDF repairs some damaged files; these may either fail cleanly or be processed.
CORRUPT = ("corrupt-zeros.pdf", "corrupt-garbage.pdf")


def doc_id(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def schema_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def stderr_of(result: Result) -> str:
    # click ≥ 8.2 always captures stderr separately (and also interleaves it into result.output)
    return result.stderr


def error_lines(result: Result) -> list[str]:
    return [line for line in stderr_of(result).splitlines() if line.startswith("error: ")]


def assert_no_half_written_files(out: Path) -> None:
    bad = [p for p in out.rglob("*") if p.name.startswith(".") or p.name.endswith(".tmp")]
    assert bad == [], f"half-written files: {bad}"


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert "Traceback" not in stderr_of(result)
    # the only exception allowed is the SystemExit carrying the exit code
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


# ---------------------------------------------------------------- broken inputs

def one_page_pdf() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Công văn số 1")
    data = doc.tobytes()
    doc.close()
    return data


def make_broken_inputs(folder: Path) -> dict[str, Path]:
    seed = SEED.read_bytes()
    n = len(seed)
    files: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        files[name] = folder / name
        files[name].write_bytes(data)

    put("x.pdf", b"This is a plain text note, not a PDF at all.\n")
    put("page.pdf", b"<!DOCTYPE html>\n<html><head><title>404</title></head><body>Not found</body></html>\n")
    put("empty.pdf", b"")
    put("truncated.pdf", seed[: int(n * 0.3)])
    start, stop = n // 4, n // 4 + n // 2  # the middle 50 %
    put("corrupt-zeros.pdf", seed[:start] + b"\0" * (stop - start) + seed[stop:])
    rng = random.Random(347)
    put("corrupt-garbage.pdf", seed[:start] + rng.randbytes(stop - start) + seed[stop:])

    plain = folder / "plain.pdf"
    plain.write_bytes(one_page_pdf())
    with pymupdf.open(plain) as doc:
        doc.save(folder / "encrypted.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")
    plain.unlink()
    files["encrypted.pdf"] = folder / "encrypted.pdf"
    return files


@dataclass
class BatchRun:
    inputs: dict[str, Path]
    out: Path
    result: Result


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> BatchRun:
    inputs = make_broken_inputs(tmp_path_factory.mktemp("in"))
    out = tmp_path_factory.mktemp("out")
    result = invoke("run", *inputs.values(), SEED, "--out", out)
    return BatchRun(inputs, out, result)


def test_generated_inputs_are_what_they_claim(batch: BatchRun) -> None:
    inputs = batch.inputs
    assert inputs["empty.pdf"].stat().st_size == 0
    assert not inputs["x.pdf"].read_bytes().startswith(b"%PDF-")
    assert inputs["truncated.pdf"].read_bytes().startswith(b"%PDF-")
    for name in CORRUPT:
        assert inputs[name].stat().st_size == SEED.stat().st_size
        assert inputs[name].read_bytes() != SEED.read_bytes()
    with pymupdf.open(inputs["encrypted.pdf"]) as doc:
        assert doc.needs_pass
        assert doc.authenticate("u")


def test_exit_code_is_1(batch: BatchRun) -> None:
    assert batch.result.exit_code == 1, batch.result.output


def test_no_traceback(batch: BatchRun) -> None:
    assert_no_traceback(batch.result)


def test_seed_json_is_written_and_valid(batch: BatchRun) -> None:
    path = batch.out / "json" / f"{doc_id(SEED)}.json"
    assert path.is_file()
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    assert data["status"] == "ok"
    assert data["source"]["path"] == str(SEED)
    assert len(data["activities"]) == 29
    errors = [f"{list(e.path)}: {e.message}" for e in schema_validator().iter_errors(data)]
    assert errors == []


def test_every_json_is_valid(batch: BatchRun) -> None:
    v = schema_validator()
    for path in sorted((batch.out / "json").glob("*.json")):
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
        errors = [f"{list(e.path)}: {e.message}" for e in v.iter_errors(data)]
        assert errors == [], path.name


def test_errors_csv_has_one_row_per_broken_file(batch: BatchRun) -> None:
    errors = read_csv(batch.out / "errors.csv")
    assert list(errors.columns) == ["file", "code", "reason"]
    assert not errors["file"].duplicated().any(), errors
    by_file = {row.file: row for row in errors.itertuples(index=False)}
    for name, code in EXPECTED_CODES.items():
        row = by_file.get(str(batch.inputs[name]))
        assert row is not None, f"no errors.csv row for {name}"
        assert row.code == code, name
        assert row.reason.strip(), name
    assert str(SEED) not in by_file
    allowed = {str(batch.inputs[n]) for n in (*EXPECTED_CODES, *CORRUPT)}
    assert set(by_file) <= allowed


def test_html_reason_says_html(batch: BatchRun) -> None:
    errors = read_csv(batch.out / "errors.csv")
    reason = errors.loc[errors["file"] == str(batch.inputs["page.pdf"]), "reason"].item()
    assert "HTML" in reason


def test_corrupt_files_fail_cleanly_or_are_processed(batch: BatchRun) -> None:
    errors = read_csv(batch.out / "errors.csv")
    documents = read_csv(batch.out / "documents.csv")
    for name in CORRUPT:
        path = batch.inputs[name]
        rows = errors[errors["file"] == str(path)]
        docs = documents[documents["file"] == str(path)]
        json_file = batch.out / "json" / f"{doc_id(path)}.json"
        if len(docs):  # PyMuPDF repaired it: a full, valid result
            assert len(docs) == 1
            assert json_file.is_file()
            status = docs["status"].item()
            # a processed document only has an error row when it yielded no text at all
            assert (status == "failed") == (len(rows) == 1), (name, status, rows)
            if len(rows):
                assert rows["code"].item() == "no-text"
        else:  # rejected: one error row, nothing written for it
            assert len(rows) == 1, name
            assert rows["code"].item() == "corrupt-pdf"
            assert rows["reason"].item().strip()
            assert not json_file.exists()


def test_failed_inputs_write_no_json(batch: BatchRun) -> None:
    documents = read_csv(batch.out / "documents.csv")
    for name in EXPECTED_CODES:
        assert str(batch.inputs[name]) not in set(documents["file"]), name
    n_docs = len(documents)
    assert len(list((batch.out / "json").glob("*.json"))) == n_docs
    assert set(documents["doc_id"]) == {p.stem for p in (batch.out / "json").glob("*.json")}


def test_one_stderr_line_per_bad_file(batch: BatchRun) -> None:
    errors = read_csv(batch.out / "errors.csv")
    want = sorted(f"error: {row.file}: {row.reason}" for row in errors.itertuples(index=False))
    assert sorted(error_lines(batch.result)) == want
    for name in EXPECTED_CODES:
        assert sum(line.startswith(f"error: {batch.inputs[name]}: ") for line in error_lines(batch.result)) == 1


def test_summary_line(batch: BatchRun) -> None:
    errors = read_csv(batch.out / "errors.csv")
    last = stderr_of(batch.result).strip().splitlines()[-1]
    assert f"{errors['file'].nunique()} failed" in last
    assert str(batch.out) in last


def test_no_half_written_files(batch: BatchRun) -> None:
    assert_no_half_written_files(batch.out)
    names = {p.name for p in batch.out.iterdir()}
    assert names == {"json", "documents.csv", "parts.csv", "sections.csv", "activities.csv", "activity_months.csv",
                     "tables.csv",
                     "warnings.csv", "entities.csv", "signatures.csv", "errors.csv", "corpus.sqlite", "datasets.xlsx", "parquet", "manifest.sqlite",
                     "run.lock", "run-summary.json"}


# ---------------------------------------------------------------- exit codes

def test_exit_0_for_good_file_only(tmp_path: Path) -> None:
    result = invoke("run", SEED, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert_no_traceback(result)
    assert error_lines(result) == []
    assert (tmp_path / "json" / f"{doc_id(SEED)}.json").is_file()
    assert len(read_csv(tmp_path / "errors.csv")) == 0
    assert_no_half_written_files(tmp_path)


def test_exit_1_for_single_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "empty.pdf"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    result = invoke("run", bad, "--out", out)
    assert result.exit_code == 1
    assert_no_traceback(result)
    assert error_lines(result) == [f"error: {bad}: empty file (0 bytes)"]
    errors = read_csv(out / "errors.csv")
    assert list(errors["code"]) == ["empty-file"]
    assert len(read_csv(out / "documents.csv")) == 0
    assert_no_half_written_files(out)


@pytest.mark.parametrize("args", [["run"], ["run", "--out", "somewhere"]])
def test_exit_2_without_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(*args)
    assert result.exit_code == 2
    assert "Missing argument" in stderr_of(result)
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []  # nothing written on a usage error


def test_folder_input_is_walked(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "seed.pdf").write_bytes(SEED.read_bytes())
    (folder / "notes.txt").write_text("not read: reported")
    out = tmp_path / "out"
    result = invoke("run", folder, "--out", out)
    assert result.exit_code == 1, result.output
    documents = read_csv(out / "documents.csv")
    assert list(documents["file"]) == [str(folder / "sub" / "seed.pdf")]
    errors = read_csv(out / "errors.csv")
    assert list(zip(errors["file"], errors["code"], strict=True)) == [(str(folder / "notes.txt"), "unsupported-format")]


def test_nonexistent_input_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("run", SEED, "no_such_folder", "--out", "out")
    assert result.exit_code == 2
    assert "'no_such_folder' does not exist" in stderr_of(result)
    assert_no_traceback(result)
    assert list(tmp_path.iterdir()) == []  # nothing written on a usage error


# ---------------------------------------------------------------- scanned sample: no text layer

@pytest.mark.slow
def test_scan_without_text_layer(tmp_path: Path) -> None:
    """Without OCR the scan fails with a no-text error row; with OCR it must not have one."""
    result = invoke("run", SCAN, "--out", tmp_path)
    assert_no_traceback(result)
    documents = read_csv(tmp_path / "documents.csv")
    errors = read_csv(tmp_path / "errors.csv")
    assert list(documents["file"]) == [str(SCAN)]
    status = documents["status"].item()
    with (tmp_path / "json" / f"{doc_id(SCAN)}.json").open(encoding="utf-8") as fh:
        data = json.load(fh)
    assert data["status"] == status
    assert [f"{list(e.path)}: {e.message}" for e in schema_validator().iter_errors(data)] == []
    if status == "failed":
        assert result.exit_code == 1
        assert list(errors["code"]) == ["no-text"]
        assert errors["reason"].item().strip()
        assert error_lines(result) == [f"error: {SCAN}: {errors['reason'].item()}"]
    else:
        assert result.exit_code == 0
        assert len(errors) == 0


# ---------------------------------------------------------------- unusable output folder

def test_unusable_out_folder_is_a_clean_error(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file, not a folder")
    result = invoke("run", SEED, "--out", blocker)
    assert result.exit_code == 4
    assert_no_traceback(result)
    lines = error_lines(result)
    # checked up front: one error naming the output folder, no file processed in vain
    assert len(lines) == 1, stderr_of(result)
    assert str(blocker) in lines[0] and lines[0].startswith("error: cannot write"), lines
    assert blocker.read_text() == "a file, not a folder"
    assert os.listdir(tmp_path) == ["out"]


# ---------------------------------------------------------------- reader messages

@pytest.mark.slow
def test_mupdf_messages_stay_off_stdout(batch: BatchRun, tmp_path: Path) -> None:
    # In-process runs cannot see this: pymupdf binds sys.stdout when first imported. Use the real CLI.
    proc = subprocess.run(
        [sys.executable, "-m", "directives.cli", "run", str(batch.inputs["corrupt-zeros.pdf"]), "--out",
         str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False)
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 1)
    assert "MuPDF" not in proc.stdout
