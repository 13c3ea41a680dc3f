"""The lexicon corrector repairs OCR's diacritic slips and leaves valid Vietnamese alone."""

import pytest

from directives.lexicon import (
    is_word,
    repair_invalid,
    respell_by_lexicon,
    respell_invalid,
    split_word,
    tone_key,
)


def respelled(text: str) -> str:
    words = text.split()
    for i, new in respell_by_lexicon(words).items():
        words[i] = new
    return " ".join(words)


def test_tone_key_ignores_where_the_tone_mark_sits():
    assert tone_key("hoà") == tone_key("hòa") == "hoa2"
    assert tone_key("Thuỷ") == tone_key("thủy")
    assert tone_key("tổng") != tone_key("tông")


def test_lexicon_is_read_from_the_installed_package():
    assert is_word("kế", "hoạch") and is_word("tổng", "kết")
    assert is_word("chuyển", "đổi", "số")  # administrative words added by knowledge.ADMIN_WORDS
    assert not is_word("tông", "kết")


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("Hội nghị tông kết công tác", "Hội nghị tổng kết công tác"),  # the subject of GM 03/SYT
        ("và kê hoạch hoạt động năm 2018", "và kế hoạch hoạt động năm 2018"),
        ("Bản cam kêt đảm bảo", "Bản cam kết đảm bảo"),  # not a syllable: repaired first, "cam" stays
        ("báo cáo thâm định kết quả", "báo cáo thẩm định kết quả"),
        ("- VP.Tinh ủy, VP.UBND tỉnh;", "- VP.Tỉnh ủy, VP.UBND tỉnh;"),  # glued abbreviation
        ("- Nhu trên;", "- Như trên;"),
        ("Sở Thông tin và Truyên thông tỉnh Phú Thọ", "Sở Thông tin và Truyền thông tỉnh Phú Thọ"),
    ],
)
def test_misread_diacritics_are_repaired(ocr, expected):
    assert respelled(ocr) == expected


@pytest.mark.parametrize(
    "valid",
    [
        "Đoàn có bản lĩnh chính trị",  # "có" stands alone far too often to become "cơ"
        "doanh nghiệp, quỹ đầu tư.",  # "đầu" belongs to "đầu tư": not taken for "quy đầu"
        "chăm sóc sức khỏe bà mẹ",  # fewer marks ("ba mẹ") needs running-text evidence
        "tham gia các gói thầu trong toàn tỉnh",  # administrative words
        "Lâm Tường Minh",  # names
    ],
)
def test_valid_text_is_left_alone(valid):
    assert respelled(valid) == valid


def test_words_read_with_full_confidence_are_context_only():
    words = ["Hội", "nghị", "tông", "kết", "công", "tác"]
    assert respell_by_lexicon(words, [True, True, False, True, True, True]) == {}
    assert respell_by_lexicon(words, [False, False, True, False, False, False]) == {2: "tổng"}


def test_split_word_keeps_punctuation_and_abbreviations_apart():
    assert split_word("“VP.Tinh,") == ("“VP.", "Tinh", ",")
    assert split_word("(để") == ("(", "để", "")


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [("Glang", "Giang"), ("Lñy", "Lũy"), ("đưới", "dưới"), ("lựachọn", "lựa chọn"), ("kếthợp", "kết hợp")],
)
def test_a_word_that_is_no_syllable_takes_its_one_valid_reading(ocr, expected):
    assert repair_invalid(ocr) == expected


@pytest.mark.parametrize("word", ["Giang", "Website", "Campuchia", "Methadone", "csthuan", "COVID", "Stt"])
def test_syllables_foreign_words_and_codes_are_left_alone(word):
    assert repair_invalid(word) is None


def test_invalid_words_repaired_keep_their_punctuation():
    assert respell_invalid(["Nguyễn", "Trúc", "Glang,", "(lựachọn)"]) == {2: "Giang,", 3: "(lựa chọn)"}
    assert respell_invalid(["Glang"], [False]) == {}
