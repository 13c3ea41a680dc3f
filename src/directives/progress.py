"""The progress bar of `directives run` (CLI only): the file being read, files done of all (known
once the inputs are found, before the first is read), and ok / partial / failed / skipped counts.
On a terminal a live bar (rich); otherwise quiet: only messages, one per line."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO

from directives.batch import FileOutcome
from directives.schemas import Status

if TYPE_CHECKING:
    from rich.progress import Progress as Bar
    from rich.progress import TaskID


class Progress:
    def __init__(self, stream: TextIO):
        self.stream = stream
        self.counts = {"ok": 0, "partial": 0, "failed": 0, "skipped": 0}
        self._bar: Bar | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Progress:
        if self.stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TextColumn("{task.fields[counts]}"),
                            console=Console(file=self.stream), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("finding files", total=None, counts="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def message(self, text: str) -> None:
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False)
        else:
            print(text, file=self.stream, flush=True)

    def start(self, path: str | None, total: int) -> None:
        """The inputs found (path None) or a file that starts."""
        if self._bar is not None and self._task is not None:
            name = "checking what changed" if path is None else _short(os.path.basename(path))
            self._bar.update(self._task, total=total, description=name)

    def update(self, outcome: FileOutcome, done: int, total: int) -> None:
        if outcome.failed:
            self.counts["failed"] += 1
        elif outcome.status == Status.partial:
            self.counts["partial"] += 1
        else:
            self.counts["ok"] += 1
        self.counts["skipped"] += outcome.skipped
        if self._bar is not None and self._task is not None:
            counts = " ".join(f"{k} {v}" for k, v in self.counts.items())
            self._bar.update(self._task, completed=done, total=total, counts=counts,
                             description="writing the datasets" if done == total else None)


def _short(name: str, width: int = 32) -> str:
    return name if len(name) <= width else name[:width - 1] + "…"
