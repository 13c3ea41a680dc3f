"""Strict options: every options model forbids unknown keys and describes each field; the CLI's
help is taken from those descriptions."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from directives.batch.options import BatchOptions, Limits
from directives.cli import app
from directives.extractors.options import OcrOptions
from directives.options import Options, help_of
from directives.pipeline.document import (
    EntityOptions,
    LayoutOptions,
    PipelineOptions,
    RepairOptions,
    TableOptions,
)

MODELS = [OcrOptions, LayoutOptions, RepairOptions, TableOptions, EntityOptions, PipelineOptions, Limits, BatchOptions]


def test_every_options_model_is_listed_here():
    """A new options model joins MODELS (and so the checks below)."""
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    assert {c for c in subclasses(Options) if c.__module__.startswith("directives.")} == set(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_unknown_keys_are_errors_and_every_field_is_described(model):
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        model(no_such_option=1)
    for name, info in model.model_fields.items():
        assert info.description, f"{model.__name__}.{name}"


def test_a_misspelt_ocr_option_no_longer_passes_silently():
    with pytest.raises(ValidationError):
        OcrOptions(langg="eng")
    with pytest.raises(ValidationError):
        PipelineOptions.model_validate({"ocr": {"dpi": 300, "psm ": 6}})
    with pytest.raises(ValidationError):
        BatchOptions(executor="threads")


def test_help_of_refuses_an_undescribed_field():
    class Bare(Options):
        x: int = 0

    with pytest.raises(ValueError, match="Bare.x has no description"):
        help_of(Bare, "x")


def test_the_cli_help_comes_from_the_descriptions():
    out = " ".join(CliRunner().invoke(app, ["run", "--help"], env={"COLUMNS": "400"}).output.split())
    for model, name in [(BatchOptions, "workers"), (BatchOptions, "force"), (BatchOptions, "reprocess"),
                        (BatchOptions, "executor"), (Limits, "timeout"), (Limits, "memory_mb")]:
        assert help_of(model, name) in out
