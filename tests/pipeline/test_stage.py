"""Stages as declared objects: the order check, the table, and the registry's shape."""

from __future__ import annotations

import subprocess
import sys

import pytest

from directives.pipeline import header, sections
from directives.pipeline.document import Document, LayoutOptions, PipelineOptions
from directives.pipeline.run import STAGES
from directives.pipeline.stage import FIELDS, Stage, StageOrderError, check_order, stage_table


def test_the_registry_passes_its_own_check():
    check_order(STAGES)
    assert [s.name for s in STAGES][:3] == ["normalize", "repair", "layout"]
    assert STAGES[-1].name == "checks"


def test_a_stage_moved_before_what_it_reads_is_caught():
    """sections reads the blocks that layout writes: listed before layout, the check says so."""
    moved = [s for s in STAGES if s.name != "sections"]
    moved.insert(1, sections.STAGE)
    with pytest.raises(StageOrderError, match=r"stage 'sections' reads blocks, spans, consumed, body, parts"):
        check_order(moved)


def test_a_stage_dropped_leaves_its_readers_unfed():
    """Without layout, nobody writes the blocks that parts reads."""
    with pytest.raises(StageOrderError, match=r"'parts' reads blocks"):
        check_order([s for s in STAGES if s.name != "layout"])


def test_unknown_fields_duplicates_and_options_are_caught():
    with pytest.raises(StageOrderError, match="unknown fields: blokcs"):
        check_order([Stage("x", lambda d: d, reads=("blokcs",), writes=())])
    with pytest.raises(StageOrderError, match="listed twice"):
        check_order([*STAGES, header.STAGE])
    with pytest.raises(StageOrderError, match="no field 'layuot'"):
        check_order([Stage("x", lambda d: d, reads=(), writes=(), options="layuot")])


def test_a_stage_gets_its_own_options_model():
    seen = []
    stage = Stage("x", lambda d, o: seen.append(o) or d, reads=("pages",), writes=(), options="layout")
    opts = PipelineOptions(layout=LayoutOptions(table_min_cols=3))
    doc = Document(pages=[], result=None)  # type: ignore[arg-type]
    assert stage(doc, opts) is doc
    assert seen == [LayoutOptions(table_min_cols=3)]
    assert stage.options_model() is LayoutOptions


def test_every_stage_names_known_fields_and_its_module():
    for s in STAGES:
        assert set(s.reads) | set(s.writes) <= FIELDS
        assert s.writes, s.name
        assert s.fn.__module__ == f"directives.pipeline.{s.name}"


def test_the_table_lists_every_stage_in_order():
    table = stage_table(STAGES).splitlines()
    assert table[0] == "| # | stage | reads | writes | options |"
    assert len(table) == 2 + len(STAGES)
    assert table[2].startswith("| 1 | normalize | pages | pages |")
    assert "`LayoutOptions` (`layout`)" in table[4]


def test_python_m_directives_pipeline_prints_the_table():
    proc = subprocess.run([sys.executable, "-m", "directives.pipeline"], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == stage_table(STAGES)


def test_the_readme_shows_the_current_table():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert stage_table(STAGES) in readme


def test_directives_stages_prints_the_table():
    from typer.testing import CliRunner

    from directives.cli import app

    result = CliRunner().invoke(app, ["stages"])
    assert result.exit_code == 0 and result.output.strip() == stage_table(STAGES)
