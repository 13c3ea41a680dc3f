"""The blanks of a scan's number and date lines, found from the printed words around them."""

from __future__ import annotations

import pytest

from directives.extractors.model import Word
from directives.pipeline.handwriting import (
    Candidate,
    DateParts,
    _dated,
    date_parts,
    day_blank,
    handwriting,
    month_blank,
    number_blank,
    ocr_agrees,
    ocr_between,
    read_candidates,
)


def w(text: str, x0: float, x1: float, y0: float = 107.0, y1: float = 120.0) -> Word:
    return Word(text, x0, y0, x1, y1)


def test_number_blank_between_so_and_the_symbol():
    b = number_blank([w("Số:", 123, 138), w("0", 148, 153), w("b", 156, 165), w("/SYT-NVY", 175, 231)])
    assert b is not None
    assert 138 <= b.x0 <= 140 and 173 <= b.x1 < 175  # just left of the slash's foot
    assert b.em == pytest.approx(56 / 4.54, rel=0.05)
    assert b.y0 < 107 and b.y1 > 120  # handwriting rises above and below the print


def test_number_blank_when_ocr_glued_the_ink_to_so():
    b = number_blank([w("Số:21?A_", 111, 169), w("/BC-SYT", 179, 233)])
    assert b is not None
    assert 120 < b.x0 < 135 and 177 <= b.x1 < 179


def test_number_blank_when_ocr_glued_the_ink_to_the_symbol():
    words = [w("Số:", 88, 105), w("4", 110, 125), w("3/GM-TB", 132, 186)]
    assert number_blank(words) is None  # where the symbol starts needs the font size
    b = number_blank(words, em=13.0)  # as measured on the image
    assert b is not None
    assert b.x0 == pytest.approx(105, abs=1) and 135 < b.x1 < 150


def test_no_number_blank_without_so_or_symbol():
    assert number_blank([w("/SYT-NVY", 158, 240)]) is None  # where the blank starts is unknown
    assert number_blank([w("Số:", 100, 115), w("12", 120, 140)]) is None
    assert number_blank([]) is None


def test_day_blank_between_ngay_and_thang():
    words = [w("Kiên", 282, 305), w("Giang,", 309, 341), w("ngày", 346, 370), w("tháng", 394, 422),
             w("10", 426, 437), w("năm", 440, 461), w("2017", 465, 489)]
    b = day_blank(words)
    assert b is not None
    assert 370 <= b.x0 <= 373 and 391 <= b.x1 <= 394
    assert b.em == pytest.approx(24 / 1.95, rel=0.01)


def test_day_blank_when_ocr_glued_the_day_to_ngay():
    b = day_blank([w("Kiên", 249, 274), w("Giang,", 278, 311), w("ngày32", 316, 354), w("tháng", 361, 390),
                   w("10", 393, 406), w("năm", 410, 431), w("2017.", 435, 462)])
    assert b is not None
    assert 336 <= b.x0 <= 346 and b.x1 <= 361


def test_no_day_blank_without_a_year():
    assert day_blank([w("ngày", 346, 370), w("tháng", 394, 422), w("10", 426, 437)]) is None


def test_born_digital_pages_are_left_alone():
    from tests.helpers import document, line, page

    doc = document([page([line("Số: /SYT-NVY", 60, 100)])])
    assert handwriting(doc).result.warnings == []


def test_an_unreadable_page_image_is_a_warning_not_a_traceback():
    from tests.helpers import document, line, page

    p = page([line("Số: /SYT-NVY", 60, 100)])
    p.source = "ocr"
    doc = document([p])  # its file does not exist
    doc.result.metadata.symbol = "SYT-NVY"
    handwriting(doc)
    assert doc.result.metadata.number is None
    assert [w.code for w in doc.result.warnings] == ["handwritten-unread"]


def test_a_number_written_into_a_printed_blank_is_read(tmp_path):
    """A page drawn here: 'Số:' and '/SYT-NVY' printed in Times, '2107' written between them with a pen."""
    import cv2
    import numpy as np
    import pymupdf

    from directives.extractors.model import Line, Page

    pdf = pymupdf.open()
    pg = pdf.new_page(width=595, height=842)
    pg.insert_text((100, 120), "Số:", fontname="tiro", fontsize=13)
    pg.insert_text((160, 120), "/SYT-NVY", fontname="tiro", fontsize=13)
    ink = np.full((60, 140), 255, np.uint8)
    x = 4
    for ch in "2107":
        cv2.putText(ink, ch, (x, 46), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX | cv2.FONT_ITALIC, 1.3, 0, 3, cv2.LINE_AA)
        x += 32
    ok, png = cv2.imencode(".png", ink)
    assert ok
    pg.insert_image(pymupdf.Rect(119, 103, 159, 124), stream=png.tobytes())
    path = tmp_path / "blank.pdf"
    pdf.save(path)
    so = pymupdf.get_text_length("Số:", fontname="tiro", fontsize=13)
    symbol = pymupdf.get_text_length("/SYT-NVY", fontname="tiro", fontsize=13)
    words = [Word("Số:", 100, 110, 100 + so, 122), Word("/SYT-NVY", 160, 110, 160 + symbol, 122)]
    page_model = Page(1, 595, 842, "ocr", [Line.of(words, 100, 110, 160 + symbol, 122, "Số: /SYT-NVY")])
    with pymupdf.open(path) as doc:
        found = read_candidates(doc[0], page_model, want_number=True, want_date=False)
    assert [(c.field, c.value) for c in found] == [("number", "2107")]
    assert found[0].confidence > 0.5


def test_month_blank_between_thang_and_nam():
    words = [w("Kiên", 282, 305), w("Giang,", 309, 341), w("ngày", 346, 370), w("tháng", 394, 422),
             w("ÓỆ", 426, 437), w("năm", 446, 467), w("2017", 471, 495)]
    b = month_blank(words)
    assert b is not None
    assert 422 <= b.x0 <= 425 and 443 <= b.x1 <= 446


def test_date_parts_keep_only_what_ocr_read_surely():
    def line(*texts_confs):
        x, out = 300.0, []
        for t, c in texts_confs:
            out.append(Word(t, x, 107, x + 8 * len(t), 120, conf=c))
            x += 8 * len(t) + 4
        return out

    sure = date_parts(line(("Kiên", .97), ("Giang,", .97), ("ngày", .97), ("tháng", .97), ("10", .97),
                           ("năm", .97), ("2017", .97)))
    assert (sure.year, sure.month, sure.day) == (2017, 10, None)  # the day left blank
    typed = date_parts(line(("ngày", .97), ("04", .95), ("tháng", .97), ("01", .97), ("năm", .97), ("2018", .96)))
    assert (typed.year, typed.month, typed.day) == (2018, 1, 4)
    # a day OCR misread (32, or digits it was unsure of) is no typed day; an unsure month is no month
    assert date_parts(line(("ngày32", .73), ("tháng", .97), ("10", .97), ("năm", .97), ("2017", .97))).day is None
    assert date_parts(line(("ngày", .97), ("22", .43), ("tháng", .97), ("10", .97), ("năm", .97), ("2017", .97))).day is None
    unsure = date_parts(line(("ngày", .97), ("tháng", .97), ("01", .38), ("năm", .97), ("2025", .97)))
    assert (unsure.year, unsure.month) == (2025, None)
    assert date_parts(line(("ngày", .97), ("tháng", .97), ("1", .74), ("năm", .89), ("2078", .65))).year is None


def test_a_day_and_a_month_read_from_the_ink_make_one_date():
    parts = DateParts(2021, None, None)
    day, month = Candidate("date", "25", 0.95, digits="25"), Candidate("month", "02", 0.91, digits="02")
    assert [(c.field, c.value, c.confidence) for c in _dated([day, month], parts)] == [("date", "2021-02-25", 0.91)]
    unread = _dated([day, Candidate("month", None, 0.0, "no ink")], parts)
    assert [(c.field, c.value) for c in unread] == [("date", None)] and "month: no ink" in unread[0].note
    printed = _dated([Candidate("date", "31", 0.99, digits="31")], DateParts(2017, 11, None))
    assert printed[0].value is None and "impossible" in printed[0].note  # 31 November


def test_ocr_reading_the_same_ink_is_a_second_witness():
    from directives.extractors.model import Line

    number = Line.of([w("Số:", 100, 115), w("19A.5/SYT-NVY", 120, 200)], 100, 107, 200, 120, "Số: 19A.5/SYT-NVY")
    assert ocr_between(number, "number") == "19a.5"
    assert ocr_agrees("19a.5", "1945")  # its digits where the ink's are, its letter a digit it misread
    assert not ocr_agrees("19a.5", "1948")  # one digit read otherwise
    assert not ocr_agrees("2d2", "239")  # … here the last
    assert not ocr_agrees("21?a_", "2154")  # as many signs as digits, or their places are unknown
    assert not ocr_agrees("0†", "07")  # one digit alone is no witness
    date = Line.of([w("ngày", 346, 370), w("@3", 374, 388), w("tháng", 394, 422)], 346, 107, 422, 120,
                   "Quảng Ngãi, ngày @3 tháng 01 năm 2025")
    assert ocr_between(date, "date").strip() == "@3" and ocr_between(None, "date") == ""


def test_a_place_named_like_a_date_word_is_not_the_date():
    words = [Word("Thăng", 282, 107, 312, 120, conf=.97), Word("Bình,", 316, 107, 341, 120, conf=.97),
             Word("ngày", 346, 107, 370, 120, conf=.97), Word("tháng", 394, 107, 422, 120, conf=.97),
             Word("10", 426, 107, 437, 120, conf=.97), Word("năm", 446, 107, 467, 120, conf=.97),
             Word("2017", 471, 107, 495, 120, conf=.97)]
    parts = date_parts(words)
    assert (parts.year, parts.month, parts.day) == (2017, 10, None)
    b = month_blank(words)
    assert b is not None and b.x0 > 422
