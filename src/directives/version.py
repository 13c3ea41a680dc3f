"""The version of what the pipeline writes, apart from the package's own version.

An output folder records, per input, the schema version and `PIPELINE_VERSION` that produced its
JSON. A run keeps outputs of an older version as they are (an upgrade never silently re-OCRs an
archive); `directives run --reprocess` redoes them. Bump `PIPELINE_VERSION` in a release whose
changes alter what the pipeline extracts from a file (a stage, an extractor, the knowledge tables);
bump `schemas.SCHEMA_VERSION` when the output contract changes. Edits that leave outputs alone
(speed, refactoring, the batch machinery) bump neither.
"""

from __future__ import annotations

from directives.schemas import SCHEMA_VERSION

PIPELINE_VERSION = "1"


def outputs_version() -> str:
    """What an output folder records as the version of a JSON output: "<schema>/<pipeline>"."""
    return f"{SCHEMA_VERSION}/{PIPELINE_VERSION}"
