"""Golden tests: the whole pipeline on samples/ compared with tests/groundtruth/.

Born-digital output is compared exactly. Regenerate the expected files only on purpose:
    DIRECTIVES_REGEN=1 .venv/bin/python -m pytest tests/test_golden.py
and then run the suite again without the flag (a test fails while the flag is on).
"""

from __future__ import annotations

import json

import pytest

from directives.pipeline.run import process
from tests.helpers import GROUNDTRUTH, REGEN, SAMPLES

BORN_DIGITAL = ["347-CV-TDTN-VP.pdf"]


def comparable(directive) -> dict:
    """The output as JSON with the machine-specific input path reduced to the file name."""
    data = directive.model_dump(mode="json")
    data["source"]["path"] = directive.source.path.rsplit("/", 1)[-1]
    return data


@pytest.mark.parametrize("name", BORN_DIGITAL)
def test_born_digital_matches_groundtruth(name):
    got = comparable(process(SAMPLES / name))
    expected_path = GROUNDTRUTH / (name.rsplit(".", 1)[0] + ".json")
    text_path = expected_path.with_suffix(".txt")  # reference text for the CER of the scan (gold/*-scan.json)
    if REGEN:
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        text_path.write_text(got["text"] + "\n", encoding="utf-8")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert got == expected
    assert text_path.read_text(encoding="utf-8") == got["text"] + "\n"


def test_regeneration_flag_is_off():
    """DIRECTIVES_REGEN=1 rewrites the expected files; it must never be left on."""
    assert not REGEN, "DIRECTIVES_REGEN=1 is set: expected outputs were rewritten, run again without it"
