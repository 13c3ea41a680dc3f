"""Acceptance of the OCR issue on the scanned seed (samples/347-CV-TDTN-VP-scan.pdf, 200 dpi, seal,
signature, skew): the same result as the born-digital letter."""

from __future__ import annotations

import pytest

from directives.evaluation import cer
from directives.pipeline.run import process
from tests.helpers import GROUNDTRUTH, SEED_SCAN
from tests.test_seed import EXPECTED_MONTHS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scan():
    return process(SEED_SCAN)


def test_every_page_read_by_ocr_with_its_confidence(scan):
    assert scan.source.page_sources == ["ocr"] * 10
    assert all(c is not None and 0.5 < c <= 1 for c in scan.source.page_confidence)


def test_same_metadata_as_born_digital(scan, seed_directive):
    assert scan.metadata.model_dump(exclude={"confidence"}) == seed_directive.metadata.model_dump(exclude={"confidence"})


def test_each_field_read_by_ocr_carries_its_confidence(scan, seed_directive):
    assert seed_directive.metadata.confidence == {}  # a text layer is certain
    conf = scan.metadata.confidence
    assert {"regime_header", "issuer", "reference", "number", "symbol", "place", "date", "subject", "signer.name",
            "signer.title", "distribution"} <= set(conf)
    assert all(0 < c <= 1 for c in conf.values())


def test_sections_same_numbers_titles_close(scan, seed_directive):
    assert [s.number for s in scan.sections] == [s.number for s in seed_directive.sections]
    assert [s.level for s in scan.sections] == [s.level for s in seed_directive.sections]
    titles = " | ".join(s.title for s in seed_directive.sections)
    assert cer(titles, " | ".join(s.title for s in scan.sections)) <= 0.02
    assert [len(s.bullets) for s in scan.sections] == [len(s.bullets) for s in seed_directive.sections]


def test_activities_months(scan):
    assert len(scan.activities) == 29
    exact = sum(a.months == m for a, m in zip(scan.activities, EXPECTED_MONTHS, strict=True))
    assert exact >= 27
    assert [a.no for a in scan.activities] == list(range(1, 30))  # OCR's "9...", "27%" included


def test_parts_and_warnings(scan, seed_directive):
    assert [(p.type, p.date, p.pages) for p in scan.parts] == [(p.type, p.date, p.pages) for p in seed_directive.parts]
    codes = {w.code for w in scan.warnings}
    assert {"attachment-date-mismatch", "activity-year-mismatch"} <= codes


def test_text_cer_against_the_text_layer(scan):
    reference = (GROUNDTRUTH / "347-CV-TDTN-VP.txt").read_text(encoding="utf-8")
    assert cer(reference, scan.text) <= 0.02
