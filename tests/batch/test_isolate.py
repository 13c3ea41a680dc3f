"""Per-task isolation: a task that hangs, crashes its process or exhausts its memory cap costs that
task only; the others return their results."""

from __future__ import annotations

import ctypes
import faulthandler
import os
import signal
import time
from pathlib import Path

import pytest

from directives.batch.isolate import Limits, crash_reason, run_isolated, run_one
from directives.errors import FileTimeoutError, MemoryLimitError, WorkerCrashError, WorkerError


def behave(task: str) -> str:
    """A task that does what its name says."""
    if task == "hang":
        time.sleep(600)
    elif task == "exit":
        os._exit(3)
    elif task == "segfault":
        faulthandler.disable()  # pytest's handler would print the crash's stack
        ctypes.string_at(0)  # reads address 0: SIGSEGV
    elif task == "memory":
        blob = bytearray(2 * 1024**3)  # 2 GiB, over the cap below
        return str(len(blob))
    elif task == "raise":
        raise ValueError("bad value")
    elif task == "pid":
        return str(os.getpid())
    return task.upper()


TIGHT = Limits(timeout=20, memory_mb=1024)


def run_all(tasks: list[str], slots: int = 2, limits: Limits = TIGHT) -> dict:
    results: dict[str, object] = {}
    run_isolated(tasks, behave, slots, limits, lambda t, r: results.__setitem__(t, r))
    return results


def test_good_tasks_return_their_results() -> None:
    assert run_all(["a", "b", "c"]) == {"a": "A", "b": "B", "c": "C"}


def test_each_task_runs_in_its_own_process() -> None:
    results: list[object] = []
    run_isolated(["pid", "pid", "pid"], behave, 2, Limits(), lambda t, r: results.append(r))
    assert len(set(results)) == 3
    assert str(os.getpid()) not in results


def test_bad_tasks_become_errors_and_the_others_finish() -> None:
    tasks = ["a", "hang", "b", "exit", "segfault", "memory", "raise", "c"]
    results = run_all(tasks, limits=Limits(timeout=5, memory_mb=1024))
    assert set(results) == set(tasks)
    assert [results[t] for t in ("a", "b", "c")] == ["A", "B", "C"]
    assert isinstance(results["hang"], FileTimeoutError)
    assert "no result after 5 s" in results["hang"].reason
    assert isinstance(results["exit"], WorkerCrashError)
    assert "exited with code 3" in results["exit"].reason
    assert isinstance(results["segfault"], WorkerCrashError)
    assert "SIGSEGV" in results["segfault"].reason
    assert isinstance(results["memory"], MemoryLimitError)
    assert "1024 MiB" in results["memory"].reason
    assert isinstance(results["raise"], WorkerError)
    assert "ValueError: bad value" in results["raise"].reason


def spawn_and_hang(marker: str) -> str:
    """A task that forks a grandchild (like an OCR worker), writes its pid to `marker` and hangs.
    At module level: when other threads run in this process (a Dask client's, from an earlier
    test) tasks go through a fork server, and what it runs must pickle."""
    pid = os.fork()
    if pid == 0:
        time.sleep(600)
        os._exit(0)
    Path(marker).write_text(str(pid))
    time.sleep(600)
    return "never"


def test_timeout_kills_the_task_and_its_children(tmp_path) -> None:
    marker = tmp_path / "child.pid"
    result = run_one(spawn_and_hang, str(marker), Limits(timeout=2, memory_mb=None))
    assert isinstance(result, FileTimeoutError)
    grandchild = int(marker.read_text())
    for _ in range(50):  # reaped by init shortly after the kill
        try:
            os.kill(grandchild, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the task's child survived the timeout")


@pytest.mark.parametrize(("code", "memory", "words"), [
    (-signal.SIGSEGV, 512, ("SIGSEGV", "512 MiB")),
    (-signal.SIGKILL, None, ("SIGKILL", "memory ran out")),
    (2, None, ("exited with code 2",)),
])
def test_crash_reason(code: int, memory: int | None, words: tuple[str, ...]) -> None:
    reason = crash_reason(code, memory)
    assert all(w in reason for w in words), reason


def ocr_workers(task) -> int:
    return task.options.ocr.workers


def test_ocr_pool_only_for_a_file_running_alone() -> None:
    from directives.batch.run import ocr_share
    from directives.batch.task import FileTask

    tasks = [FileTask(path=f"/in/{k}.pdf", sha256=str(k) * 64, out="/out") for k in range(3)]
    got: dict[str, object] = {}
    run_isolated(tasks, ocr_workers, 2, Limits(), lambda t, r: got.update({t.path: r}), adapt=ocr_share(2))
    # the first two start side by side: one OCR process each; the last starts beside the one still
    # running (1), or alone when both have already finished (2): which depends on timing
    assert [got[t.path] for t in tasks[:2]] == [1, 1] and got[tasks[2].path] in (1, 2)
    results: list[object] = []
    run_isolated(tasks[:1], ocr_workers, 2, Limits(), lambda t, r: results.append(r), adapt=ocr_share(2))
    assert results == [2]  # one big scan alone: its pages over both cores
    results.clear()
    run_isolated(tasks[:1], ocr_workers, 1, Limits(), lambda t, r: results.append(r), adapt=ocr_share(1))
    assert results == [1]  # --workers 1 means one core
