"""A run loses no file and prints no traceback: odd file names, damaged outputs and manifest, a
full disk, files it does not read, unreadable files given by name, a file as --out."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from directives.batch import run_files
from directives.batch.inputs import path_from_text, path_key, path_text
from directives.batch.manifest import Manifest
from directives.cli import app
from tests.batch.inputs import letter_lines, output_files, text_pdf


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def cli(*args: object, **kw: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "directives.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=600, check=False, **kw)


def letter(path: Path, n: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text_pdf(path, [letter_lines(n)])
    return path


@pytest.mark.parametrize("name", ["plain.pdf", "Kế hoạch số 5.pdf", "bad\udcff.pdf", "two\nlines.pdf",
                                  "tab\tand 'quote' \\ back.pdf", "nbsp\u00a0zwj\u200d.pdf", "$'x'.pdf"])
def test_names_shown_as_text_read_back_to_the_same_bytes(name: str) -> None:
    shown = path_text(name)
    assert shown.isprintable()
    if name.isprintable():
        assert shown == name
    elif not name.startswith("$'"):
        assert path_key(path_from_text(shown)) == path_key(name)


def test_a_name_that_is_not_utf8_is_processed_like_any_other(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    ok = letter(folder / "ok.pdf", 1)
    bad = folder / "bad\udcff.pdf"
    shutil.copy(ok, bad)
    letter(folder / "other.pdf", 2).rename(folder / "other\udcfe.pdf")  # PyMuPDF writes UTF-8 names only
    out = tmp_path / "o"
    proc = cli("run", folder, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    documents = read_csv(out / "documents.csv")
    shown = path_text(str(folder / "other\udcfe.pdf"))
    assert shown == f"$'{folder}/other\\xfe.pdf'"
    # bad\xff.pdf is a copy of ok.pdf, processed once under the first name
    assert sorted(documents["file"]) == sorted([path_text(str(bad)), shown])
    data = json.loads(next(p for p in (out / "json").glob("*.json") if "other" in p.read_text()).read_text())
    assert data["source"]["path"] == shown
    with Manifest(out) as manifest:
        assert path_key(str(bad)) in manifest.records()  # stored as the bytes it has
    again = cli("run", folder, "--out", out)
    assert again.returncode == 0 and json.loads((out / "run-summary.json").read_text())["skipped"] == 3


def test_a_newline_in_a_name_cannot_forge_a_line(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    forged = folder / "x.pdf\nerror: everything is broken.pdf"
    forged.write_bytes(b"not a pdf")
    proc = cli("run", folder, "--out", tmp_path / "o")
    assert proc.returncode == 1
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and lines[0].startswith(f"error: $'{folder}/x.pdf\\nerror: everything is broken.pdf': ")
    assert read_csv(tmp_path / "o" / "errors.csv")["file"].tolist() == [path_text(str(forged))]


def test_a_damaged_json_output_is_noticed_and_redone(tmp_path: Path) -> None:
    paths = [letter(tmp_path / "in" / f"l{n}.pdf", n) for n in range(2)]
    out = tmp_path / "o"
    run_files([tmp_path / "in"], out)
    before = output_files(out)
    damaged = next((out / "json").glob("*.json"))
    damaged.write_text('{"broken": tru')
    proc = cli("run", tmp_path / "in", "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert f"{damaged} is damaged" in proc.stderr
    summary = json.loads((out / "run-summary.json").read_text())
    assert (summary["processed"], summary["skipped"]) == (1, 1)
    assert output_files(out) == before
    assert len(read_csv(out / "documents.csv")) == len(paths)


def test_a_json_changed_but_valid_is_indexed_again(tmp_path: Path) -> None:
    letter(tmp_path / "in" / "l.pdf", 1)
    out = tmp_path / "o"
    run_files([tmp_path / "in"], out)
    path = next((out / "json").glob("*.json"))
    data = json.loads(path.read_text())
    data["metadata"]["subject"] = "Chủ đề sửa tay"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    assert run_files([tmp_path / "in"], out).skipped == 1
    assert read_csv(out / "documents.csv")["subject"].tolist() == ["Chủ đề sửa tay"]


@pytest.mark.slow
def test_a_damaged_manifest_is_rebuilt_from_the_outputs(tmp_path: Path) -> None:
    letter(tmp_path / "in" / "l0.pdf", 0)
    (tmp_path / "in" / "broken.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    out = tmp_path / "o"
    run_files([tmp_path / "in"], out)
    before = output_files(out)
    (out / "manifest.sqlite").write_bytes(b"this is not a database" * 100)
    proc = cli("run", tmp_path / "in", "--out", out)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr  # broken.pdf is still broken
    assert "manifest.sqlite was damaged" in proc.stderr and "rebuilt from 1 JSON outputs" in proc.stderr
    summary = json.loads((out / "run-summary.json").read_text())
    assert summary["skipped"] == 1 and summary["older_kept"] == 1  # not re-read; its version is unknown
    assert output_files(out) == before


def test_a_damaged_corpus_is_rebuilt(tmp_path: Path) -> None:
    letter(tmp_path / "in" / "l0.pdf", 0)
    out = tmp_path / "o"
    run_files([tmp_path / "in"], out)
    before = output_files(out)
    (out / "corpus.sqlite").write_bytes(b"garbage" * 1000)
    (out / "documents.csv").unlink()
    result = run_files([tmp_path / "in"], out)
    assert result.skipped == 1 and output_files(out) == before


@pytest.mark.slow
def test_files_it_does_not_read_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    letter(folder / "letter.pdf", 1)
    others = ["notes.txt", "sheet.xlsx", "slides.pptx", "README"]
    for name in others:
        (folder / name).write_bytes(b"\x00" * 10)
    out = folder / "out"  # the output folder inside the input folder is not an input
    proc = cli("run", folder, "--out", out)
    assert proc.returncode == 1, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == len(others) and all("unsupported format" in ln for ln in lines)
    errors = read_csv(out / "errors.csv")
    assert sorted(errors["file"]) == sorted(str(folder / n) for n in others)
    assert set(errors["code"]) == {"unsupported-format"}
    summary = json.loads((out / "run-summary.json").read_text())
    assert (summary["unsupported"], summary["failures"], summary["ok"] + summary["partial"]) == \
           (len(others), {"unsupported-format": len(others)}, 1)
    assert proc.stderr.strip().splitlines()[-1].startswith(f"0 ok, 1 partial, {len(others)} failed")


def _without_read_permission() -> list[str]:
    """A command prefix under which file permissions hold (root's override dropped by setpriv)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be made to hold")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


@pytest.mark.slow
def test_an_unreadable_file_given_by_name_is_a_row_not_a_usage_error(tmp_path: Path) -> None:
    good = letter(tmp_path / "good.pdf", 1)
    locked = letter(tmp_path / "locked.pdf", 2)
    locked.chmod(0)
    out = tmp_path / "o"
    proc = subprocess.run([*_without_read_permission(), sys.executable, "-m", "directives.cli", "run", str(locked),
                           str(good), "--out", str(out)], capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 1, proc.stderr
    assert f"error: {locked}: cannot read: Permission denied" in proc.stderr
    assert list(zip(*(read_csv(out / "errors.csv")[c] for c in ("file", "code")), strict=True)) == \
           [(str(locked), "unreadable")]
    assert read_csv(out / "documents.csv")["file"].tolist() == [str(good)]


def test_out_naming_a_file_says_so(tmp_path: Path) -> None:
    target = tmp_path / "o.txt"
    target.write_text("x")
    result = CliRunner().invoke(app, ["run", str(letter(tmp_path / "l.pdf", 1)), "--out", str(target)])
    assert result.exit_code == 4  # output folder unusable
    assert result.stderr.strip() == f"error: cannot write to {target}: it is a file, not a folder"


def test_a_full_disk_is_an_error_line_then_a_rerun_recovers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    letter(tmp_path / "in" / "l0.pdf", 0)
    letter(tmp_path / "in" / "l1.pdf", 1)
    out = tmp_path / "o"

    def full(*_args: object, **_kw: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Manifest, "record", full)
    result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(out)])
    monkeypatch.undo()
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stderr.strip().startswith(f"error: cannot update {out}: database or disk is full")
    reference = tmp_path / "ref"
    run_files([tmp_path / "in"], reference)
    assert run_files([tmp_path / "in"], out).failed == 0
    assert output_files(out) == output_files(reference)


def _tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, check=False).returncode == 0


@pytest.mark.slow
def test_a_real_full_disk(tmp_path: Path) -> None:
    """On a 3 MB tmpfs (root only): an `error:` line and exit 1, never a traceback; then, with room
    again, a rerun ends with the outputs of a run that had room from the start."""
    folder = tmp_path / "in"
    for n in range(40):
        text_pdf(letter(folder / f"l{n:02d}.pdf", n), [letter_lines(n)] * 3)
    disk = tmp_path / "disk"
    if not _tmpfs(disk, "3m"):
        pytest.skip("needs root to mount a tmpfs")
    try:
        out = disk / "o"
        failures = 0
        for room in (1200, 300):  # leave this many KiB free: the disk fills at different moments
            shutil.rmtree(out, ignore_errors=True)
            (disk / "filler").unlink(missing_ok=True)
            free = shutil.disk_usage(disk).free // 1024
            (disk / "filler").write_bytes(b"\0" * max(0, (free - room) * 1024))
            proc = cli("run", folder, "--out", out, "--workers", "2")
            assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
            assert proc.returncode in (0, 1, 4)  # 4: the output folder is full
            failures += proc.returncode != 0
            assert all(ln.startswith(("error: ", "note: ", "WARNING ", "partial ", "failed  ")) or " failed → " in ln
                       for ln in proc.stderr.splitlines()), proc.stderr[-3000:]
        assert failures
        (disk / "filler").unlink()
        subprocess.run(["mount", "-o", "remount,size=200m", str(disk)], check=True)
        assert cli("run", folder, "--out", out, "--workers", "2").returncode == 0
        reference = tmp_path / "ref"
        assert cli("run", folder, "--out", reference, "--workers", "2").returncode == 0
        assert output_files(out) == output_files(reference)
    finally:
        subprocess.run(["umount", str(disk)], check=False)
