"""Typed warnings: every warning the code writes has a code from the one table, with its severity."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from directives.errors import SEVERITIES, WARNING_CODES, severity_of
from directives.extractors.model import Page
from directives.schemas import Notice

SRC = Path(__file__).resolve().parents[2] / "src" / "directives"


def written_codes() -> dict[str, list[str]]:
    """code → where: the first argument of every `.warn(...)` and `Notice.of(...)` call in src, when a
    string; a code chosen by an expression (`"a" if x else "b"`) counts each string it may be."""
    found: dict[str, list[str]] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("warn", "of") \
                    and node.args and not (node.func.attr == "of" and getattr(node.func.value, "id", "") != "Notice"):
                for sub in ast.walk(node.args[0]):
                    if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                        found.setdefault(sub.value, []).append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_every_code_written_is_in_the_table_and_every_listed_code_is_written():
    written = written_codes()
    assert {c: w for c, w in written.items() if c not in WARNING_CODES} == {}
    unused = set(WARNING_CODES) - set(written)
    assert unused == set()


def test_the_table_gives_a_severity_and_a_meaning_to_each_code():
    for code, (severity, meaning) in WARNING_CODES.items():
        assert severity in SEVERITIES and meaning and code == code.lower()
    assert severity_of("ocr-repair") == "info" and severity_of("no-text") == "error"


def test_a_new_warning_needs_a_known_code():
    with pytest.raises(ValueError, match="not in errors.WARNING_CODES"):
        Notice.of("pagee", "typo")
    w = Notice.of("missing-field", "issuer not found", field="issuer")
    assert (w.code, w.severity, w.field) == ("missing-field", "check", "issuer")


def test_a_page_warning_is_typed_and_carries_its_page():
    page = Page(3, 595.0, 842.0, "text")
    page.warn("words-rejoined", "rejoined (2 lines)")
    page.warn("text-layer-replaced", "read by OCR", first=True)
    assert [(w.code, w.page, w.severity) for w in page.warnings] == [
        ("text-layer-replaced", 3, "info"), ("words-rejoined", 3, "info")]
    assert page.warned("words-rejoined") and not page.warned("ocr-failed")


def test_an_earlier_output_still_reads():
    """Outputs of earlier versions are re-read by later runs: a code no longer written still validates."""
    old = Notice.model_validate({"code": "page", "message": "m", "severity": "info"})
    assert old.severity == "info"
    assert Notice.model_validate({"code": "page", "message": "m", "severity": "warning"}).severity == "check"
