import pytest

from directives.pipeline.repair import (
    distribution_notes,
    glued_syllables,
    mark_distance,
    mark_inside_word,
    number_word_before_digits,
    repair,
    repair_line,
    spelling_by_context,
    stop_between_words,
)
from tests.helpers import document, line, page


@pytest.mark.parametrize(
    ("ocr", "repaired"),
    [
        ("BAN THƯỜNG VỤ TỈNH ĐOAN", "BAN THƯỜNG VỤ TỈNH ĐOÀN"),  # the rest of the line is header vocabulary
        ("_BI THƯ", "BÍ THƯ"),  # stray mark, then the phrase
        ("KT. GIAM ĐỌC", "KT. GIÁM ĐỐC"),  # phrase beats the nearer single word ĐỘC
        ("GIÁM ĐÓC", "GIÁM ĐỐC"),
        ("SỞ Y TẺ", "SỞ Y TẾ"),
        ("UBND TỈNH PHÚ THỌ..........", "UBND TỈNH PHÚ THỌ"),  # dotted leader
        ("TÍN DỤNG", "TÍN DỤNG"),  # context is not header vocabulary: left alone
        ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),  # both spellings exist
        ("thiếu nhỉ", "thiếu nhỉ"),  # lower case: not this repair's business
        ("hậu quả thiên tai...", "hậu quả thiên tai..."),  # an ellipsis is not a leader
        ("- Ban Tuyên giáo TU;", "- Ban Tuyên giáo TU;"),  # an abbreviation in running text, not TƯ
        ("V. THỦ TỤC ĐĂNG KÝ", "V. THỦ TỤC ĐĂNG KÝ"),  # a word of the lexicon as it stands, not ĐẢNG
        ("BAN TỔ CHỨC LỄ KỶ NIỆM", "BAN TỔ CHỨC LỄ KỶ NIỆM"),  # not LỆ (of ĐIỀU LỆ)
        ("TĂNG CƯỜNG NĂNG LỰC", "TĂNG CƯỜNG NĂNG LỰC"),
        ("UBND TÌNH KIÊN GIANG", "UBND TỈNH KIÊN GIANG"),  # the word made is one of the lexicon: "UBND tỉnh"
        ("II. NHIỆM VỤ TRỌNG TÂM THÁNG 02 NĂM 2025", "II. NHIỆM VỤ TRỌNG TÂM THÁNG 02 NĂM 2025"),  # NAM makes none
        ("- MẪU BIỂU MẪU BÁO CÁO", "- MẪU BIỂU MẪU BÁO CÁO"),  # not MAU (of CÀ MAU)
    ],
)
def test_repair_line(ocr, repaired):
    assert " ".join(w for w in repair_line(ocr.split()) if w) == repaired


def test_mark_distance():
    assert mark_distance("ĐÓC", "ĐỐC") < mark_distance("ĐÓC", "ĐỘC")


def test_spelling_by_context_needs_the_same_neighbours_and_support():
    text = ("phong trào thanh thiếu nhi năm 2024 . " * 3 + "thanh thiếu nhỉ năm 2024 . thanh niên tỉnh Kiên Giang "
            + "thanh niên tình nguyện " * 4).split()
    fixes = spelling_by_context(text)
    assert {text[i]: new for i, new in fixes.items()} == {"nhỉ": "nhi"}  # "tỉnh Kiên" ≠ "tình nguyện"


def test_spelling_by_context_never_takes_a_misreading_for_usage():
    text = ("tại các điêm phục vụ . " * 3 + "tại các điểm phục vụ").split()  # "điêm" is no syllable
    assert spelling_by_context(text) == {}


def test_spelling_by_context_keeps_capitals():
    text = ("Ban tổ chức Lễ kỷ niệm . " * 3 + "BAN TỔ CHỨC LẺ KỶ NIỆM").split()
    assert {text[i]: new for i, new in spelling_by_context(text).items()} == {"LẺ": "LỄ"}


def test_spelling_by_context_ignores_case_and_punctuation_variants():
    sentence = "Ban THƯỜNG vụ . Ban Thường vụ . Ban Thường vụ . Ban Thường vụ . năm 2024, và năm 2024 và"
    text = sentence.split()
    assert spelling_by_context(text) == {}


def test_repair_runs_on_ocr_pages_only_and_leaves_a_trace():
    ocr = page([line("TM. BAN THƯỜNG VỤ TỈNH", 318, 400, 507), line("ĐOAN", 392, 420, 433)], number=1)
    ocr.source = "ocr"
    text = page([line("ĐOAN", 392, 420, 433)], number=2)
    doc = repair(document([ocr, text]))
    assert [ln.text for p in doc.pages for ln in p.lines] == ["TM. BAN THƯỜNG VỤ TỈNH", "ĐOÀN", "ĐOAN"]
    assert [ln.raw for ln in doc.pages[0].lines][1] == "ĐOAN"  # what the OCR read is kept
    assert any("ĐOAN→ĐOÀN" in w.message for w in doc.pages[0].warnings if w.code == "ocr-repair")


def applied(respell, text: str) -> str:
    """`text` with the respellings `respell` gives for its words."""
    words = text.split()
    for i, new in respell(words).items():
        words[i] = new
    return " ".join(words)


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("theo Thông tư sô 05/2016/TT-BYT", "theo Thông tư số 05/2016/TT-BYT"),
        ("Đề án 1816 (Lân 2)", "Đề án 1816 (Lần 2)"),  # a count: the second time
        ("báo cáo lân 3, gửi", "báo cáo lần 3, gửi"),
        ("liên hệ anh Lân 0913456789", "liên hệ anh Lân 0913456789"),  # a name before a telephone number
        ("ông Lân 12a Trần Phú", "ông Lân 12a Trần Phú"),  # … before a house number
        ("SÔ 5", "SÔ 5"),  # upper case: the header vocabulary's business
        ("chất lượng bệnh viện nắm 2017", "chất lượng bệnh viện năm 2017"),  # the year
        ("Nắm 2018, Sở", "Năm 2018, Sở"),
        ("nằm 12 ngày", "nằm 12 ngày"),  # a count of days, no year
    ],
)
def test_number_word_before_digits(ocr, expected):
    assert applied(number_word_before_digits, ocr) == expected


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("- BGD SYT (đê b/e); - Lưu", "- BGD SYT (để b/c); - Lưu"),  # marks lost, c read as its lookalike e
        ("- BGĐ SYT (dễ b/©);", "- BGĐ SYT (để b/c);"),
        ("- UBND tỉnh (b/e)", "- UBND tỉnh (b/c)"),
        ("- Như trên (Đê biet);", "- Như trên (Để biết);"),  # the case read is kept
        ("- BGĐ SYT (để b/c);", "- BGĐ SYT (để b/c);"),
        ("- Sở Tài chính (xem b/e)", "- Sở Tài chính (xem b/e)"),  # no note of the closed vocabulary
        ("(đê nghị) gửi", "(đê nghị) gửi"),
    ],
)
def test_distribution_notes(ocr, expected):
    assert applied(distribution_notes, ocr) == expected


def test_latin_letters_vietnamese_does_not_write_are_their_plain_letters():
    # Tesseract's model knows Ñ and ç; a Vietnamese directive prints neither
    assert repair_line(["Lưu", "VT,", "ÑVD,", "kvxuyen"]) == ["Lưu", "VT,", "NVD,", "kvxuyen"]
    assert repair_line(["ça"]) == ["ca"]
    assert repair_line(["20Ñ/SYT-NVY"]) == ["20Ñ/SYT-NVY"]  # a number read wrong stays unreadable


def test_a_note_read_with_a_euro_sign_for_its_c():
    words = ["BGĐ", "SYT", "(để", "b/€);"]
    assert distribution_notes(words) == {3: "b/c);"}


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("Phòng Y tế huyện.thị, thành phố", "Phòng Y tế huyện,thị, thành phố"),
        ("Giám đốc trung tâm y tế huyện. thị, thành phố", "Giám đốc trung tâm y tế huyện, thị, thành phố"),
        ("theo quy định. các đơn vị", "theo quy định. các đơn vị"),  # OCR may read a capital C small
        ("các nội dung v.v. của", "các nội dung v.v. của"),  # an abbreviation
        ("TP.HCM và", "TP.HCM và"),
    ],
)
def test_a_full_stop_read_for_a_comma_between_words(ocr, expected):
    assert applied(stop_between_words, ocr) == expected


def test_two_syllables_read_without_their_space_are_parted():
    words = ["-", "Y", "tếngành;", "kếhoạch", "củacác", "năm"]
    assert glued_syllables(words) == {2: "tế ngành;", 3: "kế hoạch", 4: "của các"}
    # a syllable misread ('nguôn' for nguồn), a loanword, a clerk's initials: no cut both sides agree on
    assert glued_syllables(["nguôn", "chuân", "photo", "ntphong", "bcluan", "Website", "KTĐGCLBV"]) == {}


@pytest.mark.parametrize(
    ("ocr", "expected"),
    [
        ("bàn giao tài: sản kết thúc Dự án", "bàn giao tài sản kết thúc Dự án"),  # a speck inside "tài sản"
        ("ngày Thầy thuốc: Việt Nam", "ngày Thầy thuốc: Việt Nam"),  # 'thuốc Việt' is no word
        ("nội dung: công việc", "nội dung: công việc"),
        ("Hội nghị. Tổng kết", "Hội nghị. Tổng kết"),  # a capital after the stop: as read
    ],
)
def test_a_mark_inside_a_word_is_a_speck(ocr, expected):
    assert applied(mark_inside_word, ocr) == expected
