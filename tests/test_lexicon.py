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
    [("Glang", "Giang"), ("Lñy", "Lũy"), ("lựachọn", "lựa chọn"), ("kếthợp", "kết hợp")],
)
def test_a_word_that_is_no_syllable_takes_its_one_valid_reading(ocr, expected):
    assert repair_invalid(ocr) == expected


def test_d_read_for_đ_is_left_to_the_context():
    # "điêm" alone would be "diêm" (đ for d), yet a lost tone ("điểm") is likelier: its neighbours tell
    assert repair_invalid("điêm") is None
    assert respelled("hỗ trợ tại các điêm phục vụ người dân") == "hỗ trợ tại các điểm phục vụ người dân"
    assert respelled("trẻ suy dinh đưỡng nặng") == "trẻ suy dinh dưỡng nặng"


@pytest.mark.parametrize("word", ["Giang", "Website", "Campuchia", "Methadone", "csthuan", "COVID", "Stt"])
def test_syllables_foreign_words_and_codes_are_left_alone(word):
    assert repair_invalid(word) is None


def test_invalid_words_repaired_keep_their_punctuation():
    assert respell_invalid(["Nguyễn", "Trúc", "Glang,", "(lựachọn)"]) == {2: "Giang,", 3: "(lựa chọn)"}
    assert respell_invalid(["Glang"], [False]) == {}


def respelled_at(text: str, editable: bool) -> str:
    """`text` respelled as if OCR had read every word with (editable=False) or without full confidence."""
    words = text.split()
    for i, new in respell_by_lexicon(words, [editable] * len(words)).items():
        words[i] = new
    return " ".join(words)


CITY = "Ủy ban nhân dân Thành phố ; Sở Tư pháp Thành phố ; các quận của Thành phố ; "


def test_the_documents_own_usage_repairs_even_words_read_with_full_confidence():
    assert respelled_at(CITY + "Sở Đầu tư Thành phô Sở Tư pháp", False).endswith("Thành phố Sở Tư pháp")


@pytest.mark.parametrize(
    "text",
    [
        "Ủy ban nhân dân Thành phố ; Sở Đầu tư Thành phô Sở Tư pháp",  # used once elsewhere: not enough
        CITY + "Thành phô Sở ; Thành phô Sở ; Sở Đầu tư Thành phô Sở",  # read this way as often: left alone
        # the other neighbour would want mending too ("chuyển đổi"): a misprint, not a slip of one mark
        "chuyển đổi số ; chuyển đổi số ; chuyển đổi số ; hướng dẫn chuyên đôi số , ứng dụng",
    ],
)
def test_the_documents_usage_must_be_clear_for_a_word_read_with_full_confidence(text):
    assert respelled_at(text, False) == text


def test_a_common_word_beside_anything_is_no_evidence_from_the_document():
    # "được của" is a word of the list and stands in the text, but "về dược" is what the text says
    text = "chuyên môn về dược của cơ sở . " * 3 + "nhận được của nhà nước . " * 3 + "thực hành về dược của cơ sở"
    assert respelled(text) == text


def test_words_joined_by_slashes_are_read_piece_by_piece():
    assert respelled("Các Phòng Y tế huyện/thị/thành phô trong tỉnh") == "Các Phòng Y tế huyện/thị/thành phố trong tỉnh"
    assert respelled("Theo anh/chỊ có quan tâm") == "Theo anh/chỊ có quan tâm"  # pieces are alternatives: context only


def test_a_neighbour_bound_to_a_word_that_is_itself_taken_is_free():
    assert respelled("Đội bóng tham dự thi đấu vào những năm") == "Đội bóng tham dự thi đấu vào những năm"  # not "đầu vào"
    assert respelled("Quyết định của Bộ trường Bộ Y tế") == "Quyết định của Bộ trưởng Bộ Y tế"  # "Bộ Y tế" is one word


def test_a_syllable_vietnamese_lacks_takes_the_reading_running_text_or_the_document_gives():
    assert respelled("Bảo đảm thực hiện tôt công tác trực") == "Bảo đảm thực hiện tốt công tác trực"  # running text
    text = "tập thể hoàn thành tốt nhiệm vụ ; cá nhân hoàn thành tốt nhiệm vụ ; đạt thành tích hoàn thành tôt nhiệm vụ"
    assert respelled(text).endswith("hoàn thành tốt nhiệm vụ")  # the document
    assert respelled("đánh dấu X vào ô trỗng thể hiện đúng") == "đánh dấu X vào ô trỗng thể hiện đúng"  # trống? trong?


def test_words_beside_a_repair_are_read_again():
    text = "chuyển đổi số ; chuyển đổi số ; chuyển đổi số ; Đẩy mạnh chuyền đồi số ."
    assert respelled(text).endswith("Đẩy mạnh chuyển đổi số .")  # "đổi" first, then "chuyển đổi"


def test_administrative_bodies_are_words_of_the_lexicon():
    assert is_word("cục", "thuế") and is_word("trạm", "y", "tế")  # knowledge.ADMIN_WORDS
    text = "Tổng cục Thuế ; Cục Thuế tỉnh ; - Cục Thuê tỉnh ;"
    assert respelled_at(text, False).endswith("- Cục Thuế tỉnh ;")  # the document says so twice
    assert respelled_at("- Cục Thuê tỉnh ;", False) == "- Cục Thuê tỉnh ;"  # read with full confidence, said once


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("Chương trình mục tiêu V tế - Dân số", "Chương trình mục tiêu Y tế - Dân số"),  # Y less its stem
        ("Các cơ sở v tế thuộc tỉnh", "Các cơ sở y tế thuộc tỉnh"),
        ("ban hành kèm theo Phụ lục V kèm theo", "ban hành kèm theo Phụ lục V kèm theo"),  # a numeral: no word
        ("theo mẫu tại mục V như sau", "theo mẫu tại mục V như sau"),  # "y như" is a word, but not common here
        ("Mục V. Tổ chức thực hiện", "Mục V. Tổ chức thực hiện"),
    ],
)
def test_a_letter_standing_alone_may_be_one_ocr_takes_it_for(ocr, expected):
    assert respelled(ocr) == expected


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("SỞ Y TẾ (DƯ ÁN GAVI)", "SỞ Y TẾ (DỰ ÁN GAVI)"),  # words in capitals: a title, a body
        ("Ban tổ chức Lễ kỷ niệm ngày Thầy thuốc . BAN TỔ CHỨC LỆ KỶ NIỆM",
         "Ban tổ chức Lễ kỷ niệm ngày Thầy thuốc . BAN TỔ CHỨC LỄ KỶ NIỆM"),  # the document's usage, any case
        ("THỰC HÀNH TIÊM CHÚNG", "THỰC HÀNH TIÊM CHÚNG"),  # capitals are strict: the word lists alone are not enough
        ("BAN TỔ CHỨC LỆ KỶ NIỆM", "BAN TỔ CHỨC LỄ KỶ NIỆM"),  # … administrative words are
        ("ngũ NVYTTB: DA đã hỗ trợ đào tạo", "ngũ NVYTTB: DA đã hỗ trợ đào tạo"),  # "DA" (dự án) is no neighbour of "đã"
        ("UBND TỈNH KIÊN GIANG", "UBND TỈNH KIÊN GIANG"),
    ],
)
def test_words_in_capitals_are_read_beside_capitals(ocr, expected):
    assert respelled(ocr) == expected


def test_administrative_words_vouch_even_for_a_common_syllable_beside_an_abbreviation():
    assert respelled("- Công TTĐT tỉnh; - Lưu: VT") == "- Cổng TTĐT tỉnh; - Lưu: VT"  # "Cổng TTĐT": ADMIN_WORDS
    assert respelled("Phó Chi cục trưởng Chỉ cục Dân số").endswith("Chi cục Dân số")  # "chi cục": ADMIN_WORDS
    assert respelled_at("- Công TTĐT tỉnh;", False) == "- Công TTĐT tỉnh;"  # read with full confidence
    assert respelled("Công ty TNHH Dược phẩm") == "Công ty TNHH Dược phẩm"  # an abbreviation is no evidence alone
