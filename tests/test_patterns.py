import pytest

from directives.patterns import (
    initials,
    parse_date_line,
    parse_reference,
    split_authority,
    strip_item,
    strip_label,
    symbol_by_initials,
    symbol_hyphen_restored,
    type_code_of_lookalikes,
    type_code_unstroked,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Số: 347-CV/TĐTN-VP", ("347-CV/TĐTN-VP", "347", "CV/TĐTN-VP")),
        ("Số: 239/KH-SYT", ("239/KH-SYT", "239", "KH-SYT")),
        ("Số: 09/2009/CT-UBND", ("09/2009/CT-UBND", "09", "CT-UBND")),
        ("Số: 3176B/QĐ-SYT", ("3176B/QĐ-SYT", "3176B", "QĐ-SYT")),
        ("Số:       - KH/ĐTN", ("- KH/ĐTN", None, "KH/ĐTN")),
        ("Số: 01/TB - HTTT", ("01/TB - HTTT", "01", "TB - HTTT")),
        ("Số:   /KH-SYT", ("/KH-SYT", None, "KH-SYT")),
        ("Số: 542   /TB-UBND", ("542/TB-UBND", "542", "TB-UBND")),  # a number filled into the form's blank
        ("Số: 24 /TTr -UBND", ("24/TTr -UBND", "24", "TTr -UBND")),
        ("Kính gửi: ai đó", (None, None, None)),
    ],
)
def test_parse_reference(text, expected):
    assert parse_reference(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kiên Giang, ngày 29 tháng 7 năm 2023", ("Kiên Giang", "2023-07-29", True)),
        ("Tp.Hồ Chí Minh, ngày 03 tháng 01 năm 2014", ("Tp.Hồ Chí Minh", "2014-01-03", True)),
        ("Hà Nội, ngày     tháng 8 năm 2013", ("Hà Nội", None, True)),  # day left blank for a pen
        ("Hà Nội, ngày 31 tháng 2 năm 2013", ("Hà Nội", None, True)),  # impossible date: no guess
        ("Thực hiện từ ngày 5 tháng 3", (None, None, False)),
        ("Kiên Giang, tháng 10 năm 2017", ("Kiên Giang", None, True)),  # "ngày 17" handwritten, lost by OCR
        ("Kiên Giang, ngày 12 – tháng 10 năm 2017", ("Kiên Giang", "2017-10-12", True)),  # a speck read as a dash
        ("Phúc Thịnh, này 07 tháng 01 năm 2025", ("Phúc Thịnh", "2025-01-07", True)),  # 'ngày' without its g
        ("Kiên Giang, ngày - tháng 10 năm 2017", ("Kiên Giang", None, True)),  # a mark alone is no day
    ],
)
def test_parse_date_line(text, expected):
    assert parse_date_line(text) == expected


def test_symbol_repaired_from_the_issuers_initials():
    assert initials("KHOA HỆ THỐNG THÔNG TIN") == {"KHTTT", "HTTT"}
    assert initials("SỞ THÔNG TIN VÀ TRUYỀN THÔNG") == {"STTTT", "TTTT"}
    assert symbol_by_initials("TB - HTTIT", ["KHOA HỆ THỐNG THÔNG TIN"]) == "TB - HTTT"
    assert symbol_by_initials("KH-SYT", ["SỞ Y TẾ"]) == "KH-SYT"
    assert symbol_by_initials("CV/TĐTN-VP", ["BAN THƯỜNG VỤ TỈNH ĐOÀN"]) == "CV/TĐTN-VP"  # near no initials
    assert symbol_by_initials("STTT-CNTT", ["SỞ THÔNG TIN VÀ TRUYỀN THÔNG"]) == "STTT-CNTT"  # two are near: ambiguous
    assert initials("TRƯỜNG ĐH DUY TÂN") == {"TĐHDT", "ĐHDT"}  # 'ĐH' has no vowel: an abbreviation, whole
    assert symbol_by_initials("TB-DHDT", ["TRƯỜNG ĐH DUY TÂN"]) == "TB-ĐHDT"


def test_a_type_code_read_with_a_digit_for_a_capital():
    assert type_code_of_lookalikes("C1-UBND") == "CT-UBND"  # only CT is a code of Decree 30
    assert type_code_of_lookalikes("QĐ-UBND") == "QĐ-UBND"
    assert type_code_of_lookalikes("K1-SYT") == "KL-SYT"  # KT, KI, KL: KL (kết luận) alone is a code
    assert type_code_of_lookalikes("X1-SYT") == "X1-SYT"  # XT, XI, XL: none is
    assert type_code_of_lookalikes("2093/QĐ-BYT") == "2093/QĐ-BYT"  # a number, no code


def test_labels_and_items():
    assert strip_label("Kính gửi: Ban Thường vụ.", ("Kính gửi",)) == "Ban Thường vụ."
    assert strip_label("KÍNH GỬI: Sở Y tế", ("Kính gửi",)) == "Sở Y tế"
    assert strip_item("- UBND tỉnh Kiên Giang:") == "UBND tỉnh Kiên Giang"
    assert strip_label("Nơi nhận:", ("Nơi nhận",)) == ""
    assert strip_label("Ban Thường vụ", ("Kính gửi",)) is None
    assert strip_item("- Lưu: VP.") == "Lưu: VP"
    assert strip_item("+ Các phòng, ban;") == "Các phòng, ban"


def test_split_authority():
    assert split_authority("TM. BAN THƯỜNG VỤ") == ("TM.", "BAN THƯỜNG VỤ")
    assert split_authority("KT. GIÁM ĐỐC") == ("KT.", "GIÁM ĐỐC")
    assert split_authority("GIÁM ĐỐC") == (None, "GIÁM ĐỐC")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sô : 0Í /TB - HTTT", (None, None, "TB - HTTT")),  # handwritten number read as junk: null
        ("Số: 43§2 /BC-SYT", (None, None, "BC-SYT")),
        ("Số: 2/%/QĐ-SYT", (None, None, "QĐ-SYT")),  # a number followed by no symbol is no number
        ("/KH-SYT", ("/KH-SYT", None, "KH-SYT")),  # "Số" and number lost: the symbol is still known
        ("Số: 12/TTr-UBND", ("12/TTr-UBND", "12", "TTr-UBND")),
    ],
)
def test_parse_reference_never_guesses_an_unreadable_number(text, expected):
    assert parse_reference(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Số/46/SYT-NVY", (None, None, "SYT-NVY")),  # digits where the colon was lost: no number, never a guess
        ("số: 5T /Qp-syr", (None, None, None)),  # a symbol misread in lower case is no symbol
    ],
)
def test_parse_reference_keeps_only_what_reads_as_a_symbol(text, expected):
    assert parse_reference(text) == expected


def test_a_symbols_hyphen_ocr_lost_is_restored_at_the_one_cut_the_initials_make():
    assert symbol_hyphen_restored("SYTNVD", ["SỞ Y TẾ"]) == "SYT-NVD"
    assert symbol_hyphen_restored("STTTTCNTT", ["SỞ THÔNG TIN VÀ TRUYỀN THÔNG"]) == "STTTT-CNTT"
    assert symbol_hyphen_restored("CTUBND", ["ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"]) == "CT-UBND"
    assert symbol_hyphen_restored("KHSYT", ["SỞ Y TẾ"]) == "KH-SYT"
    # whole already, initials alone, or no known cut: as read
    assert symbol_hyphen_restored("SYT-NVY", ["SỞ Y TẾ"]) == "SYT-NVY"
    assert symbol_hyphen_restored("UBND", ["ỦY BAN NHÂN DÂN"]) == "UBND"
    assert symbol_hyphen_restored("TGNCĐN", ["CÔNG ĐOÀN GIÁO DỤC VIỆT NAM"]) == "TGNCĐN"


def test_a_type_code_read_with_a_stroke_more():
    assert type_code_unstroked("TTIr-UBND") == "TTr-UBND"
    assert type_code_unstroked("KHl-SYT") == "KH-SYT"
    # only a stroke-like character goes: 'BCĐ' (a steering committee) is not 'BC' with a letter more
    assert type_code_unstroked("BCĐ-VP") == "BCĐ-VP"
    assert type_code_unstroked("UBND-KGVX") == "UBND-KGVX" and type_code_unstroked("TI-UBND") == "TI-UBND"
