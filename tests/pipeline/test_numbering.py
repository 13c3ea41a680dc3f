from directives.pipeline.numbering import int_to_roman, parse_numbering, roman_value


def _n(text, ocr=False):
    n = parse_numbering(text, ocr)
    return n and (n.number, n.style, n.value, n.punct, n.rest)


def test_numbers_as_printed():
    assert _n("PHẦN THỨ HAI TỔNG KẾT") == ("PHẦN THỨ HAI", "part", 2, "", "TỔNG KẾT")
    assert _n("Phần I TÌNH HÌNH") == ("Phần I", "part", 1, "", "TÌNH HÌNH")
    assert _n("Chương II. QUY ĐỊNH CHUNG") == ("Chương II", "chapter", 2, ".", "QUY ĐỊNH CHUNG")
    assert _n("Điều 3. Hiệu lực") == ("Điều 3", "article", 3, ".", "Hiệu lực")
    assert _n("II. NỘI DUNG") == ("II", "roman", 2, ".", "NỘI DUNG")
    assert _n("B. THÔNG TIN") == ("B", "letter", 2, ".", "THÔNG TIN")
    assert _n("2.1. Cung ứng") == ("2.1", "arabic2", 1, ".", "Cung ứng")
    assert _n("3.1- Cung ứng") == ("3.1", "arabic2", 1, "-", "Cung ứng")
    assert _n("2- Thời gian") == ("2", "arabic", 2, "-", "Thời gian")
    assert _n("1/ Tình hình") == ("1", "arabic", 1, "/", "Tình hình")
    assert _n("1,Khen thưởng") == ("1", "arabic", 1, ",", "Khen thưởng")
    assert _n("2) Trưởng Đoàn") == ("2", "arabic", 2, ")", "Trưởng Đoàn")
    assert _n("đ) Ủy ban") == ("đ", "alpha", 5, ")", "Ủy ban")


def test_not_numbers():
    for text in ("16.04.2020 07:37:07", "2.000 đồng", "1 mê", "3 tháng", "10 - 15 người", "Mục tiêu",
                 "Phần lớn các đơn vị", "24/01/2025 ngày ký", "Điều 3 của Thông tư này"):
        assert parse_numbering(text) is None, text


def test_ocr_misreadings_only_on_ocr_text():
    assert _n("PHẢN H. SỐ LIỆU", ocr=True) == ("PHẦN II", "part", 2, ".", "SỐ LIỆU")
    assert _n("PHÀẢN I. THÔNG TIN", ocr=True)[:3] == ("PHẦN I", "part", 1)
    assert _n("Điêu 2. Chức năng", ocr=True)[:3] == ("Điều 2", "article", 2)
    assert parse_numbering("PHẢN H. SỐ LIỆU") is None
    assert parse_numbering("Điêu 2. Chức năng") is None


def test_roman_values():
    assert [roman_value(t) for t in ("IV", "H", "IH", "VHI", "l", "Vl", "1", "ABC")] == [4, 2, 3, 8, 1, 6, None, None]
    assert [int_to_roman(n) for n in (1, 4, 8, 9, 14, 40)] == ["I", "IV", "VIII", "IX", "XIV", "XL"]


def test_an_article_named_in_a_wrapped_line_is_no_heading():
    # "… cấp phát kinh phí tại" / "Điều 1 Quyết định này theo quy định.": a reference, the document
    # named right after the number; a text layer prints an article heading with its full stop
    assert parse_numbering("Điều 1 Quyết định này theo quy định.") is None
    assert parse_numbering("Điều 5 Luật Tổ chức chính quyền địa phương") is None
    assert parse_numbering("Điều 1. Quyết định này có hiệu lực").number == "Điều 1"
    assert parse_numbering("Điều 2 Phê duyệt kế hoạch").number == "Điều 2"
    # OCR may lose the full stop: its reading stays a heading
    assert parse_numbering("Điều 3 Quyết định này có hiệu lực", ocr=True).number == "Điều 3"
