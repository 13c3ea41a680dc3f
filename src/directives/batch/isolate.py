"""Run tasks N at a time, each in its own child process under a timeout and a memory cap.

One process per task (a pool of N slots, not a long-lived worker pool): a task that hangs is killed
with its whole process group (its own OCR workers included), a task that crashes its process
(SIGSEGV, `os._exit`, the kernel's OOM killer) or exhausts its address-space cap costs that task
only, and a worker never carries memory over from one file to the next. Children are forked from
this process (cheap: the pipeline is already imported), or started by a fork server when forking
is unsafe here (this process has loaded libtesseract, or runs other threads, as a Dask worker does).

Every outcome is either the task function's return value or a `WorkerError` naming what happened.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkContext, ForkServerContext
from multiprocessing.process import BaseProcess
from typing import Generic, TypeVar

from directives.batch.options import Limits
from directives.errors import FileTimeoutError, MemoryLimitError, WorkerCrashError, WorkerError
from directives.procs import cap_memory, die_with_parent

T = TypeVar("T")
R = TypeVar("R")

_JOIN_SECONDS = 10.0  # a child that sent its result gets this long to exit before it is killed


def child_context() -> ForkContext | ForkServerContext:
    """Fork when it is safe, else a fork server (whose children are forked from a clean process)."""
    tesseract = sys.modules.get("directives.extractors.tesseract")  # not imported: libtesseract not loaded
    if (tesseract is not None and tesseract.tesseract_loaded()) or threading.active_count() > 1:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["directives.batch.warm"])  # imports the pipeline, warms it up
        return ctx
    return multiprocessing.get_context("fork")


def _child_main(conn: Connection, fn: Callable[[T], R], task: T, memory_mb: int | None) -> None:
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)  # own process group: killing the task kills its OCR workers too
    die_with_parent()
    cap_memory(memory_mb)
    try:
        message: tuple[str, object] = ("ok", fn(task))
    except MemoryError:
        cap = f"memory limit of {memory_mb} MiB exceeded" if memory_mb else "out of memory"
        message = ("error", MemoryLimitError(cap))
    except BaseException as exc:  # the task function is expected to catch its own errors
        message = ("error", WorkerError(f"internal error: {type(exc).__name__}: {exc}"))
    conn.send(message)
    conn.close()


@dataclass
class _Running(Generic[T]):
    task: T
    proc: BaseProcess
    conn: Connection
    deadline: float | None


def _kill_group(proc: BaseProcess) -> None:
    """SIGKILL the task's process group (before it is reaped, so the id cannot have been reused)."""
    if proc.pid is None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            proc.kill()


def _start(ctx: ForkContext | ForkServerContext, fn: Callable[[T], R], task: T, limits: Limits) -> _Running[T]:
    parent_end, child_end = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_main, args=(child_end, fn, task, limits.memory_mb), daemon=False)
    proc.start()
    if proc.pid is not None:  # (set once started)
        with contextlib.suppress(OSError):
            os.setpgid(proc.pid, proc.pid)  # also from this side: no window where a kill misses the group
    child_end.close()  # this process keeps only the read end: a dead child then reads as EOF
    deadline = time.monotonic() + limits.timeout if limits.timeout else None
    return _Running(task, proc, parent_end, deadline)


def crash_reason(exitcode: int | None, memory_mb: int | None) -> str:
    """What a child's exit code says about its death (it returned no result)."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = ""
        if name == "SIGKILL":
            hint = " (killed from outside, e.g. by the kernel when memory ran out)"
        elif name in ("SIGSEGV", "SIGABRT", "SIGBUS") and memory_mb:
            hint = f" (the memory cap of {memory_mb} MiB may have been hit)"
        return f"worker crashed ({name}){hint}"
    return f"worker exited with code {exitcode} before returning a result"


def _collect(run: _Running[T], limits: Limits) -> R | WorkerError:
    """The result a child sent (then it exits), or why it died without sending one."""
    try:
        _, payload = run.conn.recv()
        sent = True
    except (EOFError, OSError):  # the pipe closed without a message: the child died
        payload, sent = None, False
    run.conn.close()
    run.proc.join(_JOIN_SECONDS)
    if not sent or run.proc.exitcode is None:
        _kill_group(run.proc)  # a dead child's OCR workers, or a child stuck on its way out
    run.proc.join()
    return payload if sent else WorkerCrashError(crash_reason(run.proc.exitcode, limits.memory_mb))


def _timed_out(run: _Running[T], limits: Limits) -> WorkerError:
    _kill_group(run.proc)
    run.proc.join()
    run.conn.close()
    return FileTimeoutError(f"no result after {limits.timeout:g} s; worker killed")


def run_isolated(tasks: Sequence[T], fn: Callable[[T], R], slots: int, limits: Limits,
                 on_done: Callable[[T, R | WorkerError], None],
                 adapt: Callable[[T, int], T] | None = None, idle: Callable[[], None] | None = None) -> None:
    """Run `fn(task)` for every task, at most `slots` child processes at a time, and call `on_done`
    in this process with each task and its result or `WorkerError`, in completion order.

    `adapt(task, busy)` may rewrite a task just before it starts, knowing how many tasks will then
    share the machine (`busy`: those running plus those still waiting, at most `slots`). `idle()` is
    called once, when the last task has started: this process has nothing else to do until they end
    (and forks no more workers: what it loads then stays out of them)."""
    ctx = child_context()
    pending: deque[T] = deque(tasks)
    running: list[_Running[T]] = []
    slots = max(1, slots)
    try:
        while pending or running:
            while pending and len(running) < slots:
                task = pending.popleft()
                if adapt is not None:
                    task = adapt(task, min(slots, len(running) + 1 + len(pending)))
                running.append(_start(ctx, fn, task, limits))
            if idle is not None and not pending:
                idle()
                idle = None
            deadlines = [r.deadline for r in running if r.deadline is not None]
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            ready = set(wait([r.conn for r in running], timeout))
            now = time.monotonic()
            for run in list(running):
                if run.conn in ready:
                    result = _collect(run, limits)
                elif run.deadline is not None and now >= run.deadline:
                    result = _timed_out(run, limits)
                else:
                    continue
                running.remove(run)
                on_done(run.task, result)
    finally:  # interrupted (Ctrl-C, an error in on_done): leave no child behind
        for run in running:
            _kill_group(run.proc)
            run.proc.join()
            run.conn.close()


def run_one(fn: Callable[[T], R], task: T, limits: Limits) -> R | WorkerError:
    """`fn(task)` in one child process under `limits` (used by executors that schedule tasks
    themselves, e.g. a Dask worker)."""
    results: list[R | WorkerError] = []
    run_isolated([task], fn, 1, limits, lambda _t, r: results.append(r))
    return results[0]
