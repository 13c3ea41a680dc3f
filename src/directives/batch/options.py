"""How a batch runs (`BatchOptions`, `Limits`): apart from the batch machinery, so that the CLI can
describe its options without loading it."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field

from directives.options import Options


class Limits(Options):
    """Per-task limits; None switches one off."""

    timeout: float | None = Field(900.0, gt=0, description="time per file before it is stopped (wall-clock "
                                                           "seconds)")
    memory_mb: int | None = Field(4096, gt=0, description="memory per file (MiB): the address space of its "
                                                          "process, and of each of its OCR workers")


class BatchOptions(Options):
    """How a batch runs (not what it extracts: that is `PipelineOptions`)."""

    workers: int = Field(0, ge=0, description="files in parallel; 0 = one per core")
    limits: Limits = Field(Limits(), description="per-file time and memory limits")
    force: bool = Field(False, description="redo files that are unchanged since the last run")
    reprocess: bool = Field(False, description="redo files whose outputs came from an older version of directives")
    executor: Literal["local", "dask"] = Field("local", description="where files are processed")
    scheduler: str | None = Field(None, description="Dask scheduler, e.g. tcp://host:8786 (executor dask)")

    def slots(self) -> int:
        return max(1, self.workers or os.cpu_count() or 1)
