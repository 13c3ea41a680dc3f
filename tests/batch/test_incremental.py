"""The archive grows without rebuilding itself: a run's exports are spliced from the previous ones
and equal, byte for byte, those of a fresh run over the same inputs; unchanged inputs are not read
again; outputs of an older version are kept until `--reprocess`."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

import directives.exports
from directives.batch import BatchOptions, run_files
from directives.cli import app
from tests.batch.inputs import corpus_rows, letter_lines, output_files, text_pdf


def letter(path: Path, n: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text_pdf(path, [letter_lines(n)])
    return path


def summary(out: Path) -> dict:
    return json.loads((out / "run-summary.json").read_text())


def same_as_a_fresh_run(folder: Path, out: Path, fresh: Path) -> None:
    shutil.rmtree(fresh, ignore_errors=True)
    run_files([folder], fresh)
    assert output_files(out) == output_files(fresh)
    assert corpus_rows(out) == corpus_rows(fresh)


@pytest.mark.slow
def test_each_step_gives_the_bytes_of_a_fresh_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, out, fresh = tmp_path / "in", tmp_path / "out", tmp_path / "fresh"
    for n in (0, 2, 4, 6):
        letter(folder / f"l{n}.pdf", n)
    monkeypatch.setattr("directives.xlsx._FLUSH", 400)  # sheets of many chunks: the kept ones copied compressed
    monkeypatch.setattr(directives.exports, "ROW_GROUP", 2)  # Parquet row groups of two rows: some kept as bytes
    run_files([folder], out)
    whole = []  # datasets written whole (from every row) rather than spliced
    real = directives.exports.dataset_rows
    monkeypatch.setattr(directives.exports, "dataset_rows",
                        lambda db, name: whole.append(name) or real(db, name))
    kept = []  # Parquet files whose first row groups were kept as bytes
    real_kept = directives.exports._row_groups_kept

    def keeping(db, path, name, *args):
        layout = real_kept(db, path, name, *args)
        if layout is not None:
            kept.append(name)
        return layout
    monkeypatch.setattr(directives.exports, "_row_groups_kept", keeping)
    steps = [
        lambda: letter(folder / "l3.pdf", 3),  # a new document in the middle
        lambda: letter(folder / "l0.pdf", 10),  # new content under a path: the old document goes
        lambda: shutil.copy(folder / "l6.pdf", folder / "a-copy.pdf"),  # a document moves to the front
        lambda: (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n"),  # an error row
        lambda: letter(folder / "l9.pdf", 9),  # at the end
    ]
    for step in steps:
        step()
        run_files([folder], out)
        assert summary(out)["skipped"] >= 4
        assert [n for n in whole if n != "errors"] == []
        same_as_a_fresh_run(folder, out, fresh)
        whole.clear()
    assert kept.count("documents") >= 2  # l3 after l0 and l2; l9 at the end


def unchunked(out: Path, older: bool) -> None:
    """Make OUT/datasets.xlsx one deflate stream a sheet, no chunks recorded, as an older version
    wrote it (`older`: and recorded as such), or a workbook whose chunks cannot be copied."""
    import zipfile

    from directives.batch.archive import file_stamp
    from directives.xlsx import XLSX_FORMAT

    book = out / "datasets.xlsx"
    with zipfile.ZipFile(book) as src:
        entries = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            info.extra = b""
            dst.writestr(info, data)
    db = sqlite3.connect(out / "corpus.sqlite")
    with db:
        db.execute("UPDATE exported SET stamp = ?, generation = replace(generation, ?, ?) WHERE file = ?",
                   (file_stamp(book), f":{XLSX_FORMAT}", "" if older else f":{XLSX_FORMAT}", book.name))
    db.close()


@pytest.mark.slow
@pytest.mark.parametrize("older", [True, False])
def test_a_workbook_without_chunks_is_written_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture, older: bool) -> None:
    """An older version's workbook is written whole once, without a warning; one whose chunks do not
    add up, with a warning, and the run goes on (the workbook written in a thread here: the corpus
    is not left read-locked by the attempt to splice it)."""
    import multiprocessing
    import zipfile

    from directives.deflate import recorded_chunks
    from directives.xlsx import _FLUSH

    folder, out, fresh = tmp_path / "in", tmp_path / "out", tmp_path / "fresh"
    for n in range(3):
        letter(folder / f"l{n}.pdf", n)
    run_files([folder], out)
    unchunked(out, older)
    letter(folder / "l5.pdf", 5)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])  # in a thread: logged here
    run_files([folder], out)
    assert ("written whole" in caplog.text) is not older
    with zipfile.ZipFile(out / "datasets.xlsx") as zf:
        assert recorded_chunks(zf.getinfo("xl/worksheets/sheet4.xml"), _FLUSH)
    same_as_a_fresh_run(folder, out, fresh)


def test_unchanged_inputs_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import directives.batch.run as run

    paths = [letter(tmp_path / "in" / f"l{n}.pdf", n) for n in range(3)]
    out = tmp_path / "out"
    run_files([tmp_path / "in"], out)
    hashed: list[Path] = []
    real = run.file_sha256
    monkeypatch.setattr(run, "file_sha256", lambda p: hashed.append(p) or real(p))
    assert run_files([tmp_path / "in"], out).skipped == 3 and hashed == []
    st = paths[1].stat()
    os.utime(paths[1], ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # touched: read, found unchanged
    assert run_files([tmp_path / "in"], out).skipped == 3 and hashed == [paths[1]]
    assert run_files([tmp_path / "in"], out).skipped == 3 and hashed == [paths[1]]  # its new mtime recorded


def test_older_outputs_are_kept_until_reprocess(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import directives.batch.run as run

    for n in range(2):
        letter(tmp_path / "in" / f"l{n}.pdf", n)
    out = tmp_path / "out"
    monkeypatch.setattr(run, "outputs_version", lambda: "1.0/0")  # an earlier release
    run_files([tmp_path / "in"], out)
    before = output_files(out)
    monkeypatch.undo()
    upgraded = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(out)])
    assert upgraded.exit_code == 0, upgraded.output
    assert "note: 2 file(s) have outputs from an older version, kept as they are" in upgraded.stderr
    assert (summary(out)["skipped"], summary(out)["older_kept"]) == (2, 2) and output_files(out) == before
    redone = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(out), "--reprocess"])
    assert redone.exit_code == 0, redone.output
    assert redone.stderr.splitlines()[0] == "note: reprocessing 2 file(s) whose outputs came from an older version"
    assert (summary(out)["processed"], summary(out)["reprocessed"]) == (2, 2)
    assert run_files([tmp_path / "in"], out).skipped == 2 and summary(out)["older_kept"] == 0


def test_a_manifest_of_the_first_layout_is_taken_over(tmp_path: Path) -> None:
    """A folder written before paths were stored as bytes and versions recorded: nothing is redone."""
    for n in range(2):
        letter(tmp_path / "in" / f"l{n}.pdf", n)
    (tmp_path / "in" / "bad.pdf").write_bytes(b"")
    out = tmp_path / "out"
    run_files([tmp_path / "in"], out)
    before = output_files(out)
    db = sqlite3.connect(out / "manifest.sqlite")
    rows = db.execute("SELECT CAST(path AS TEXT), sha256, doc_id, status, code, reason FROM files").fetchall()
    db.executescript("DROP TABLE files; DROP TABLE state; DROP INDEX IF EXISTS files_doc;"
                     "CREATE TABLE files (path TEXT PRIMARY KEY, sha256 TEXT, options TEXT, doc_id TEXT, "
                     "status TEXT, code TEXT, reason TEXT);"
                     "CREATE TABLE state (name TEXT PRIMARY KEY, value TEXT);"
                     "INSERT INTO state VALUES ('generation', '3'), ('built', '3:old');")
    db.executemany("INSERT INTO files VALUES (?, ?, 'an old key', ?, ?, ?, ?)", rows)
    db.commit()
    db.close()
    run_files([tmp_path / "in"], out, batch=BatchOptions())
    s = summary(out)
    assert (s["skipped"], s["older_kept"], s["processed"]) == (3, 3, 0)  # the empty file's failure too
    assert output_files(out) == before
