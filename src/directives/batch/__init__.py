"""Run the pipeline over files and folders: in parallel, incrementally, one bad file never stops the
others. See `run.py` for the steps, `inputs.py` for what is read and how names are shown,
`isolate.py` for the per-file limits, `manifest.py` for what makes a rerun skip unchanged files,
`archive.py` for the corpus and exports kept in step with them."""

from __future__ import annotations

from directives.batch.options import Limits
from directives.batch.run import BatchOptions, RunSummary, expand_paths, run_files
from directives.batch.task import FileOutcome, FileTask

__all__ = ["BatchOptions", "FileOutcome", "FileTask", "Limits", "RunSummary", "expand_paths", "run_files"]
