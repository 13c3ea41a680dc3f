"""OCR spelling repair measured on real scans against hand transcriptions: it must lower the error
rate, not just change words (issue 5: report CER before/after)."""

import copy
from pathlib import Path

import pytest

from directives.evaluation import cer
from directives.extractors.read import extract_pages
from directives.pipeline.document import PipelineOptions, RepairOptions
from directives.pipeline.run import new_document, run
from tests.helpers import CORPUS, SEED_SCAN, needs_corpus

GROUNDTRUTH = Path(__file__).parent / "groundtruth"
NO_REPAIR = PipelineOptions(repair=RepairOptions(context=False, lexicon=False))


def cer_without_and_with_repair(pdf: Path, reference: Path) -> tuple[float, float]:
    pages = extract_pages(pdf)
    texts = [run(new_document(pdf, copy.deepcopy(pages), "0" * 64), o).result.text for o in (NO_REPAIR, None)]
    ref = reference.read_text(encoding="utf-8")
    return cer(ref, texts[0]), cer(ref, texts[1])


@pytest.mark.slow
@pytest.mark.corpus
@needs_corpus
def test_repair_lowers_cer_on_a_real_scan():
    # GM 03/SYT: measured 3.90 % → 3.22 % ("tông kết", "y tê", "Phòng chông", "Kiêm soát" …)
    before, after = cer_without_and_with_repair(CORPUS / "docs" / "kiengiang_syt_gm03_hoi_nghi_2018_scan.pdf",
                                                GROUNDTRUTH / "ocr" / "kiengiang_syt_gm03_hoi_nghi_2018_scan.txt")
    assert after < before - 0.005


@pytest.mark.slow
def test_repair_lowers_cer_on_the_scanned_seed():
    # the seed's own typos ("Tết hai đảo", "chuyên đổi số") are read with full confidence: left alone
    before, after = cer_without_and_with_repair(SEED_SCAN, GROUNDTRUTH / "347-CV-TDTN-VP.txt")
    assert after < before


def test_a_phrase_of_administrative_vietnamese_takes_its_marks():
    from directives.pipeline.repair import admin_phrases

    words_of = str.split  # a line of OCR words

    words = words_of("miễn nhiệm chức danh Ủy viên Uy ban nhân dân tỉnh")
    assert admin_phrases(words) == {6: "Ủy"}
    assert admin_phrases(words, [True] * 6 + [False] * 4) == {}  # read with full confidence: as printed
    assert admin_phrases(words_of("hỗ trợ hoạt động chuyến đối số tại các xã")) == {4: "chuyển", 5: "đổi"}
    # a spelling of its own stays (the old tone placement), and so do two phrases a comma parts
    assert admin_phrases(words_of("Uỷ ban nhân dân tỉnh")) == {}
    assert admin_phrases(words_of("Hội đồng nhân dân, ủy ban")) == {}
    # two syllables are not enough: "toan tinh" may be "toan tính"
    assert admin_phrases(words_of("toàn tính")) == {}
