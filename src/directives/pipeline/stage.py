"""A stage as a declared object: its name, the fields of the `Document` it reads and writes, and
the field of `PipelineOptions` that holds its options model.

Field names: `pages`, `blocks`, `spans`, `consumed`, `body` (the `Document`'s working state) and
the `Directive`'s own fields (`metadata`, `parts`, `sections`, `tables`, `activities`, `entities`,
`signatures`, `warnings`, `status`, `text`). `INPUTS` are there before the first stage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from directives.errors import DirectivesError
from directives.pipeline.document import Document, PipelineOptions

INPUTS = ("pages", "source")
FIELDS = frozenset({*INPUTS, "blocks", "spans", "consumed", "body", "metadata", "parts", "sections", "tables",
                    "activities", "entities", "signatures", "warnings", "status", "text"})


class StageOrderError(DirectivesError):
    """A stage reads a field that no earlier stage writes (or names a field that does not exist)."""

    code = "stage-order"


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    fn: Callable[..., Document]
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    options: str | None = None  # the field of PipelineOptions passed to `fn` as its second argument

    def __call__(self, doc: Document, options: PipelineOptions) -> Document:
        if self.options is None:
            return self.fn(doc)
        return self.fn(doc, getattr(options, self.options))

    def options_model(self) -> type[Any] | None:
        return None if self.options is None else PipelineOptions.model_fields[self.options].annotation


def check_order(stages: Sequence[Stage]) -> None:
    """Raise `StageOrderError` unless every field a stage reads is an input or written by an earlier
    stage, every field named exists, stage names are unique and each options field exists."""
    written = set(INPUTS)
    names: set[str] = set()
    for stage in stages:
        if stage.name in names:
            raise StageOrderError(f"stage {stage.name!r} is listed twice")
        names.add(stage.name)
        unknown = sorted(set(stage.reads + stage.writes) - FIELDS)
        if unknown:
            raise StageOrderError(f"stage {stage.name!r} names unknown fields: {', '.join(unknown)}")
        if stage.options is not None and stage.options not in PipelineOptions.model_fields:
            raise StageOrderError(f"stage {stage.name!r}: PipelineOptions has no field {stage.options!r}")
        missing = [f for f in stage.reads if f not in written]
        if missing:
            raise StageOrderError(f"stage {stage.name!r} reads {', '.join(missing)}, which no earlier stage writes")
        written.update(stage.writes)


def stage_table(stages: Sequence[Stage]) -> str:
    """The stages as a Markdown table: order, name, reads, writes, options model."""
    rows = ["| # | stage | reads | writes | options |", "|---|---|---|---|---|"]
    for k, s in enumerate(stages, 1):
        model = s.options_model()
        opts = f"`{model.__name__}` (`{s.options}`)" if model is not None else "—"
        rows.append(f"| {k} | {s.name} | {', '.join(s.reads)} | {', '.join(s.writes)} | {opts} |")
    return "\n".join(rows)
