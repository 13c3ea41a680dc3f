"""The command line a clerk uses: help written for users, --version, one exit code per outcome, the
progress bar on a terminal and the end-of-run report naming the files to look at."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from directives.batch.manifest import OutputLock
from directives.cli import app
from tests.batch.inputs import image_pdf, letter_lines, text_pdf

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PARTIAL = "Thông tin về việc tổ chức hội thao"  # a text with no header or signer: partial


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-in")
    text_pdf(folder / "good.pdf", [letter_lines(3)])
    text_pdf(folder / "partial.pdf", [[PARTIAL, "Các đơn vị đăng ký trước ngày thi đấu."]])
    return folder


def cli(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    return subprocess.run([sys.executable, "-m", "directives.cli", *args], capture_output=True, text=True,
                          env=environment, cwd=cwd, timeout=600, check=False)


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"directives \d+\.\d+\.\d+ \(outputs [\d.]+/\w+\)\n", result.output)


def test_help_is_written_for_users() -> None:
    top = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "120"}).output
    assert "Logging" not in top and "<" not in top
    assert "Developer commands" in top
    for command in ("run", "search", "schema", "eval", "bench"):
        assert re.search(rf"│ {command} ", top), command
    assert top.index("search") < top.index("Developer commands") < top.index("bench")
    run = CliRunner().invoke(app, ["run", "--help"], env={"COLUMNS": "120"}).output
    assert "<list" not in run and "<bool>" not in run and "<int>" not in run
    for metavar in ("PATH...", "DIR", " N "):
        assert metavar in run, metavar
    assert "130 interrupted" in " ".join(run.split())


def test_exit_0_when_all_processed(inputs: Path, tmp_path: Path) -> None:
    proc = cli("run", str(inputs / "good.pdf"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"\b[01] ok, [01] partial, 0 failed", proc.stderr)


def test_exit_1_when_a_file_failed(inputs: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("không phải PDF")
    proc = cli("run", str(tmp_path / "notes.txt"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 1, proc.stderr
    assert f"failed  {tmp_path / 'notes.txt'}: unsupported-format" in proc.stderr
    assert "errors.csv" in proc.stderr


def test_exit_2_on_a_usage_error(tmp_path: Path) -> None:
    assert CliRunner().invoke(app, ["run", str(tmp_path), "--workers", "many"]).exit_code == 2
    assert CliRunner().invoke(app, ["run", str(tmp_path / "missing")]).exit_code == 2
    assert CliRunner().invoke(app, ["no-such-command"]).exit_code == 2


def test_exit_3_when_tesseract_is_missing(tmp_path: Path) -> None:
    image_pdf(tmp_path / "scan.pdf", letter_lines(4))
    empty = tmp_path / "bin"
    empty.mkdir()
    proc = cli("run", str(tmp_path / "scan.pdf"), "--out", str(tmp_path / "out"), env={"PATH": str(empty)})
    assert proc.returncode == 3, proc.stderr
    assert "error: a dependency is missing: tesseract is not installed" in proc.stderr


def test_exit_4_when_the_output_folder_is_unusable_or_busy(inputs: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = CliRunner().invoke(app, ["run", str(inputs / "good.pdf"), "--out", str(tmp_path / "file")])
    assert result.exit_code == 4
    busy = tmp_path / "busy"
    busy.mkdir()
    with OutputLock(busy):
        result = CliRunner().invoke(app, ["run", str(inputs / "good.pdf"), "--out", str(busy)])
    assert result.exit_code == 4
    assert "in use by another run" in result.output


def test_exit_130_when_interrupted_says_how_to_resume(inputs: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("directives.batch.run_files", interrupted)
    result = CliRunner().invoke(app, ["run", str(inputs), "--out", str(tmp_path / "out")])
    assert result.exit_code == 130
    assert "run the same command again to resume" in result.output


def read_pty(cmd: list[str], env: dict) -> tuple[str, int]:
    """What `cmd` shows on a terminal (80 columns), and its exit code."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command on the terminal
        os.execve(cmd[0], cmd, env)
    chunks, deadline = [], time.monotonic() + 600
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 1)[0]:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return ANSI.sub("", b"".join(chunks).decode("utf-8", "replace")), os.waitstatus_to_exitcode(status)


@pytest.mark.slow
def test_on_a_terminal_the_bar_knows_the_total_and_partial_files_are_named(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "120", "TERM": "xterm"}
    shown, code = read_pty([sys.executable, "-m", "directives.cli", "run", str(inputs), "--out", str(out)], env)
    assert code == 0, shown
    assert "0/2" in shown  # the total before any file is done
    assert re.search(r"(good|partial)\.pdf", shown.split("0/2", 1)[1])  # the file being read
    report = json.loads((out / "run-summary.json").read_text())
    attention = {a["file"]: a for a in report["attention"]}
    assert attention[str(inputs / "partial.pdf")]["status"] == "partial"
    codes = attention[str(inputs / "partial.pdf")]["warnings"]
    assert codes and "missing-field" in codes
    assert f"partial {inputs / 'partial.pdf'}: {', '.join(codes)} (see {out / 'warnings.csv'})" in shown
    assert f"{2 - len(attention)} ok, {len(attention)} partial, 0 failed" in shown
