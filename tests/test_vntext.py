"""Search keys, tone placement and split-mark repair (src/directives/vntext.py)."""

from __future__ import annotations

import unicodedata

import pytest

from directives.vntext import (
    exact_key,
    rejoin_split_syllables,
    search_key,
    tone_normalize,
)


def repair_split_marks(text: str) -> str:
    """`text` with syllables split at their diacritics joined again, as the PDF reader joins a line's words."""
    return " ".join(word for _, word in rejoin_split_syllables(text.split()))


@pytest.mark.parametrize(("new", "old"), [
    ("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("Uỷ ban", "Ủy ban"), ("HOÀ BÌNH", "HÒA BÌNH"),
    ("loà", "lòa"), ("hoá", "hóa"),
])
def test_old_and_new_tone_placement_agree(new, old):
    assert tone_normalize(new) == old
    assert tone_normalize(old) == old
    assert exact_key(new) == exact_key(old)
    assert search_key(new) == search_key(old)


@pytest.mark.parametrize("word", ["người", "ngoài", "khuỷu", "quý", "già", "giữa", "thuở", "hoàng", "nghiêng",
                                  "quyết", "tuổi", "của", "gì", "xoáy", "Việt"])
def test_correct_placement_is_kept(word):
    assert tone_normalize(word) == word


def test_tone_normalize_leaves_non_syllables_and_punctuation():
    text = "COVID-19, TĐTN-VP: Hoà (2023)"
    assert tone_normalize(text) == "COVID-19, TĐTN-VP: Hòa (2023)"


def test_tone_normalize_composes_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Thanh niên hoà")
    assert tone_normalize(decomposed) == "Thanh niên hòa"


def test_search_key_folds_accents_d_and_case():
    assert search_key("Thanh niên  TÌNH NGUYỆN, Đoàn") == "thanh nien tinh nguyen, doan"
    assert search_key(unicodedata.normalize("NFD", "Đường Hồ Chí Minh")) == "duong ho chi minh"


def test_exact_key_keeps_diacritics():
    assert exact_key("Hoà  Bình") == "hòa bình"
    assert exact_key("Hòa Bình") != exact_key("Hóa Bình")


@pytest.mark.parametrize(("broken", "fixed"), [
    ("ĐIỀ U KHO ẢN", "ĐIỀU KHOẢN"),
    ("KHO \u0309AN THU", "KHOẢN THU"),  # a hỏi mark separated from its letters
    ("ĐIÊ \u0300 U 1", "ĐIỀU 1"),  # a lone huyền between the halves
    ("Nghiệ p vụ", "Nghiệp vụ"),
    ("THƯỜ NG TRỰC", "THƯỜNG TRỰC"),
])
def test_split_marks_are_rejoined(broken, fixed):
    assert repair_split_marks(broken) == fixed


@pytest.mark.parametrize("text", ["cho ăn", "Điều khoản", "ở ấy", "Kính gửi: Ban Thường vụ", "TĐTN VP", "chỉ ông"])
def test_valid_text_is_not_joined(text):
    assert repair_split_marks(text) == text


def test_rejoin_reports_how_many_tokens_each_word_took():
    assert rejoin_split_syllables(["ĐIỀ", "U", "1."]) == [(2, "ĐIỀU"), (1, "1.")]
    assert rejoin_split_syllables(["ĐIÊ", "\u0300", "U"]) == [(3, "ĐIỀU")]


@pytest.mark.parametrize("text", ["nhiệt độ t2 = 27", "nhiệt độ t = 27 (0C)", "là I2, và n=1", "Điện lượng đ\ufffd chuyển"])
def test_variables_and_formulas_are_not_joined(text):
    assert repair_split_marks(text) == text


def test_text_forms_and_syllable_checks_have_one_home():
    """Each of these is defined once in src, where README "Layout" says text forms live."""
    import ast
    from collections import defaultdict
    from pathlib import Path

    homes = {"fold": "vntext.py", "marked_letters": "vntext.py", "vietnamese_letters": "vntext.py",
             "is_syllable": "syllables.py", "segment": "nlp/segment.py", "segment_texts": "nlp/segment.py"}
    src = Path(__file__).resolve().parents[1] / "src" / "directives"
    found = defaultdict(list)
    for path in src.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and (node.name in homes or node.name.lstrip("_") in homes):
                found[node.name.lstrip("_")].append(str(path.relative_to(src)))
    found["fold"] = [p for p in found["fold"] if p != "pipeline/timeexpr.py"]  # its _fold: fold + whitespace
    assert dict(found) == {name: [home] for name, home in homes.items()}
