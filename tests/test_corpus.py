"""Born-digital corpus documents against ../shared/corpus/gold: per-field floors that only go up."""

from __future__ import annotations

from collections import Counter

import pytest

from directives.evaluation import FIELDS, gold_for, load_gold, score_metadata
from directives.pipeline import process
from tests.conftest import CORPUS, needs_corpus

BORN_DIGITAL = [
    "binhduong_ubnd_chithi_09_2009.export.pdf",
    "congdoangd_cv172_tuyen_truyen_dai_hoi_XI_2013.export.pdf",
    "doanxa_phucthinh_kh_dem_nhac_xuan_yeu_thuong.export.pdf",
    "doanxa_phucthinh_kh_xuan_tinh_nguyen_2026.pdf",
]
# Share of header fields strictly right over the four files: 60/60 measured 2026-11-27; never lower it.
STRICT_FLOOR = 1.0


@pytest.fixture(scope="module")
def scores():
    out = []
    for name in BORN_DIGITAL:
        pdf = CORPUS / "docs" / name
        gold = load_gold(gold_for(pdf, CORPUS / "gold"))
        out.append(score_metadata(name, gold["document"], process(pdf).metadata))
    return out


@needs_corpus
def test_born_digital_header_fields_floor(scores):
    right = sum(v for s in scores for v in s.strict.values())
    total = sum(len(s.strict) for s in scores)
    wrong = [(s.file, f, s.gold[f], s.pred[f]) for s in scores for f, ok in s.strict.items() if not ok]
    assert right / total >= STRICT_FLOOR, wrong


@needs_corpus
def test_every_field_is_scored(scores):
    counts = Counter(f for s in scores for f in s.strict)
    assert set(counts) == set(FIELDS)
