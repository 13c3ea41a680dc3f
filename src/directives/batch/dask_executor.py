"""`--executor dask`: the same per-file task on a Dask distributed cluster.

Workers write each file's JSON to the output folder themselves (it must be the same path on every
worker: a shared file system) and return only the small `FileOutcome` to the client, which records
it in the manifest and builds the datasets, as a local run does. On a worker each file runs in its
own child process under the same timeout and memory cap as locally (`isolate.run_one`), so a file
that crashes or hangs costs that file, not the worker. The workers need this package installed.

Dask is an optional extra: `pip install 'directives[dask]'` (dask and distributed). Without it,
asking for this executor is a clear error before any file is processed.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from directives.batch.isolate import run_one
from directives.batch.options import Limits
from directives.batch.task import FileOutcome, FileTask, failed_outcome, process_file
from directives.errors import DirectivesError, WorkerCrashError, WorkerError

_LOCK = threading.Lock()
class _Inside:
    """Tasks inside `children_allowed` in this process, and the daemon flag from before the first."""

    count = 0
    daemon: object = False


@contextmanager
def children_allowed() -> Iterator[None]:
    """Let this process start child processes while inside: a Dask worker process is daemonic
    (`distributed.worker.daemon`), and multiprocessing refuses children to a daemonic process
    ("daemonic processes are not allowed to have children"). The file's child is this task's to
    end: `run_one` waits for it and kills its process group on a timeout. Tasks running side by
    side on a worker's threads share the change; the last one out restores the flag."""
    config: dict[str, object] = vars(multiprocessing.current_process())["_config"]  # what Process.start checks
    with _LOCK:
        if _Inside.count == 0:
            _Inside.daemon = config.get("daemon", False)
            config["daemon"] = False
        _Inside.count += 1
    try:
        yield
    finally:
        with _LOCK:
            _Inside.count -= 1
            if _Inside.count == 0:
                config["daemon"] = _Inside.daemon


def isolated_file_task(task: FileTask, limits: Limits) -> FileOutcome:
    """What a Dask worker runs for one file."""
    with children_allowed():
        result = run_one(process_file, task.with_ocr_workers(1), limits)
    return failed_outcome(task, result) if isinstance(result, WorkerError) else result


def run_dask(tasks: list[FileTask], scheduler: str, limits: Limits,
             done: Callable[[FileTask, FileOutcome], None]) -> None:
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise DirectivesError(DASK_MISSING) from exc
    try:
        client = Client(scheduler, timeout="30s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise DirectivesError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    with client:
        futures = {client.submit(isolated_file_task, t, limits, pure=False, key=f"directives-file-{i}-{t.sha256[:16]}"): t
                   for i, t in enumerate(tasks)}
        for fut in as_completed(futures):
            task = futures[fut]
            try:
                outcome = fut.result()
            except Exception as exc:  # the worker itself died (KilledWorker) or the task could not run
                outcome = failed_outcome(task, WorkerCrashError(f"Dask task failed: {type(exc).__name__}: {exc}"))
            done(task, outcome)
            fut.release()


DASK_MISSING = ("--executor dask needs Dask, an optional extra not installed here: "
                "pip install 'directives[dask]' (dask and distributed)")


def dask_missing() -> str | None:
    """Why the Dask executor cannot run here (distributed not installed), or None."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return DASK_MISSING
    return None
