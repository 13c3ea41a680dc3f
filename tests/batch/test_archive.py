"""The workbook is written beside the other exports, in a forked process or a thread: either way a
failure comes back as an `OutputError` of the run (an `error:` line), never as a traceback or a
silent loss."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import directives.batch.archive as archive
from directives.errors import OutputError

needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")


@pytest.fixture(params=["process", "thread"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "process":
        if "fork" not in multiprocessing.get_all_start_methods():
            pytest.skip("no fork here")
        monkeypatch.setattr(threading, "active_count", lambda: 1)
    else:
        monkeypatch.setattr(threading, "active_count", lambda: 2)  # another thread runs: no fork
    return request.param


def test_the_workbook_is_written(mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def write(corpus: Path, path: Path, *_: object) -> None:
        path.write_bytes(f"{corpus.name} {os.getpid()}".encode())

    monkeypatch.setattr(archive, "_write_workbook", write)
    archive._start_workbook(tmp_path / "corpus.sqlite", tmp_path / "datasets.xlsx")()
    name, pid = (tmp_path / "datasets.xlsx").read_text().split()
    assert name == "corpus.sqlite"
    assert (int(pid) != os.getpid()) == (mode == "process")


def test_an_output_error_comes_back(mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def write(corpus: Path, path: Path, *_: object) -> None:
        raise OutputError(f"cannot write {path}: No space left on device")

    monkeypatch.setattr(archive, "_write_workbook", write)
    wait = archive._start_workbook(tmp_path / "corpus.sqlite", tmp_path / "datasets.xlsx")
    with pytest.raises(OutputError, match="datasets.xlsx: No space left on device"):
        wait()


def test_any_other_error_comes_back_as_an_output_error(mode: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def write(corpus: Path, path: Path, *_: object) -> None:
        raise ValueError("a bad cell")

    monkeypatch.setattr(archive, "_write_workbook", write)
    wait = archive._start_workbook(tmp_path / "corpus.sqlite", tmp_path / "datasets.xlsx")
    with pytest.raises(OutputError, match="datasets.xlsx: ValueError: a bad cell"):
        wait()


@needs_fork
def test_a_writer_that_dies_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(archive, "_write_workbook", lambda corpus, path, *_: os._exit(9))
    wait = archive._start_workbook(tmp_path / "corpus.sqlite", tmp_path / "datasets.xlsx")
    with pytest.raises(OutputError, match=r"the process writing it died \(9\)"):
        wait()


_KILLED_RUN = """
import os, signal, sys, threading, time
from pathlib import Path
import directives.batch.archive as archive

folder = Path(sys.argv[1])

def write(corpus, path, *_):
    (folder / "writer.pid").write_text(str(os.getpid()))
    time.sleep(120)
    path.write_bytes(b"written after the run was killed")

archive._write_workbook = write
threading.active_count = lambda: 1
archive._start_workbook(folder / "corpus.sqlite", folder / "datasets.xlsx")
while not (folder / "writer.pid").exists():
    time.sleep(0.05)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@needs_fork
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_writer_dies_with_a_killed_run(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", _KILLED_RUN, str(tmp_path)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    pid = int((tmp_path / "writer.pid").read_text())
    for _ in range(600):  # the kernel ends it as its parent exits: not a timing assertion, a bounded wait
        if not _alive(pid):
            break
        time.sleep(0.1)
    assert not _alive(pid)
    assert not (tmp_path / "datasets.xlsx").exists()
