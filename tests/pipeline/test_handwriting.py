"""The blanks of a scan's number and date lines, found from the printed words around them."""

from __future__ import annotations

import datetime as dt

import numpy as np
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


# --- evidence elsewhere on the pages: a received or signing date, documents cited, an attachment's caption


def _line(text: str, y: float, x0: float = 80.0, conf: float = 0.95):
    """A line of OCR words made by hand, each word 6 pt a character wide."""
    from directives.extractors.model import Line

    words, x = [], x0
    for t in text.split():
        words.append(Word(t, x, y, x + 6 * len(t), y + 12, conf=conf))
        x += 6 * len(t) + 4
    return Line.of(words, x0, y, x, y + 12, text)


def _page(*lines, number: int = 1, boxes=(), signatures=()):
    from directives.extractors.model import Page

    return Page(number, 595, 842, "ocr", list(lines), boxes=list(boxes), signatures=list(signatures))


def test_a_received_stamp_or_a_signing_time_bounds_the_date():
    from directives.extractors.model import SignatureBox
    from directives.pipeline.evidence import received_by
    from directives.schemas.models import Signature

    stamp = _page(_line("CV ĐẾN", 150, x0=20), _line("Ngày: 21/3/18", 168, x0=30), _line("Số: 2352", 186, x0=30))
    assert str(received_by(stamp)) == "2018-03-21"
    assert received_by(stamp, stamps=False) is None  # what OCR read of a stamp is not the file's own time
    # the same words in the body, far from any 'ĐẾN', or a stamp's date OCR was unsure of: no bound
    assert received_by(_page(_line("CV ĐẾN", 150, x0=20), _line("Ngày: 21/3/18", 600, x0=300))) is None
    assert received_by(_page(_line("ĐẾN", 150, x0=20), _line("Ngày: 21/3/18", 168, x0=30, conf=0.4))) is None
    assert received_by(_page(_line("dẫn đến ngày 21/3/2018", 150))) is None  # 'đến' of a sentence
    box = SignatureBox([_line("Ký bởi: Ủy ban nhân dân tỉnh", 5), _line("Thời gian ký: 24/01/2025 14:23:43", 30)])
    later = SignatureBox([_line("24.01.2025 20:06:24 +07:00", 40, x0=300)])
    assert str(received_by(_page(boxes=[box, later]))) == "2025-01-24"
    sig = Signature(kind="digital", page=1, signing_time="2018-03-21T16:41:00+07:00")
    assert str(received_by(_page(signatures=[sig]))) == "2018-03-21"
    assert received_by(_page(_line("Thời gian: 14:00:00 ngày 20/10/2017", 300))) is None  # a meeting's time


def test_documents_a_page_cites_bound_its_date_from_below():
    from directives.pipeline.evidence import cited_before

    page = _page(_line("Căn cứ Quyết định số 789/QĐ-UBND ngày 12/12/2024 của UBND tỉnh", 300),
                 _line("phương (Công văn số 85/VP-TTHC ngày 08/01/2025).", 320),
                 _line("thời gian báo cáo trước ngày 25/01/2025, tuy nhiên", 340))  # a deadline: no citation
    assert str(cited_before(page)) == "2025-01-08"
    unsure = _page(_line("Công văn số 85/VP-TTHC ngày 08/01/2025", 320, conf=0.5))
    assert cited_before(unsure) is None


def test_an_attachment_caption_citing_this_document():
    from directives.pipeline.evidence import cited_self, symbol_of

    number = _line("Số: 2084/KH-SYT", 90)
    assert symbol_of(number) == "kh-syt" and symbol_of(_line("Số: 2013 / SYT- NVY", 90)) == "syt-nvy"
    caption = _page(_line("(Ban hành kèm theo Kế hoạch số 2084/KH-SYT ngày 06/11/2017 của Sở Y tế)", 60), number=5)
    assert cited_self([caption], "kh-syt") == {"number": "2084", "date": "2017-11-06"}
    garbled = _page(_line("(Ban hành kèm theo Kế hoạch số 3 '081/ /KH-SYT ngày 06/11/2017 của Sở Y", 60))
    assert cited_self([garbled], "kh-syt") == {"date": "2017-11-06"}  # the number unread, the date sure
    # another document of the same body, or without 'kèm theo': no evidence of this one
    assert cited_self([caption], "syt-nvy") == {}
    assert cited_self([_page(_line("Thực hiện Công văn số 1945/SYT-NVY ngày 10/10/2017", 60))], "syt-nvy") == {}
    other = _page(_line("(Kèm theo Kế hoạch số 2085/KH-SYT ngày 06/11/2017)", 60))
    assert cited_self([caption, other], "kh-syt") == {"date": "2017-11-06"}  # two numbers cited: neither


def test_a_later_page_citing_the_reading_confirms_or_drops_it():
    from directives.pipeline.handwriting import _checked

    found = [Candidate("number", "2084", 0.6, digits="2084"), Candidate("date", "2017-11-07", 0.9, digits="07")]
    checked = _checked(found, {"number": "2084", "date": "2017-11-06"})
    assert (checked[0].value, checked[0].confidence) == ("2084", 0.8)  # half the doubt left
    assert checked[1].value is None and "2017-11-06" in checked[1].note
    assert _checked(found, {}) == found


def test_the_day_read_again_among_the_days_possible():
    from directives.extractors.handwriting import Read

    def read(*dists):
        digits = []
        for d in dists:
            q = np.zeros(10, np.float32)
            for k, v in d.items():
                q[k] = v
            digits.append((q, 1.0))
        return digits

    ink = Read("29", 0.6, ink=True, digits=read({2: 0.95, 1: 0.05}, {9: 0.6, 0: 0.3, 1: 0.1}))
    day = Candidate("date", "29", 0.6, digits="29", read=ink)
    received = _dated([day], DateParts(2018, 3, None), upper=dt.date(2018, 3, 21), signed=dt.date(2018, 3, 21))
    assert received[0].value == "2018-03-20" and "'29' impossible" in received[0].note
    assert _dated([day], DateParts(2018, 3, None))[0].value == "2018-03-29"  # no bound: as the ink reads
    # a document cited on the page dated the 25th: the 20th is impossible too
    none = _dated([day], DateParts(2018, 3, None), lower=dt.date(2018, 3, 25), upper=dt.date(2018, 3, 21))
    assert none[0].value is None and "between" in none[0].note


def test_the_number_blank_when_ocr_lost_so():
    import pymupdf

    from directives.pipeline.handwriting import blank_after_colon

    with pymupdf.open() as pdf:
        page = pdf.new_page(width=595, height=842)
        page.insert_text((100, 100), "So:", fontname="tiro", fontsize=13)
        page.insert_text((160, 100), "/SYT-NVY", fontname="tiro", fontsize=13)
        x0, y0, x1, y1, *_ = next(t for t in page.get_text("words") if t[4].startswith("/"))
        colon_end = next(t for t in page.get_text("words") if t[4] == "So:")[2]
        b = blank_after_colon(page, [Word("/SYT-NVY", x0, y0, x1, y1, conf=0.9)], 13.0)
        assert b is not None and b.estimated  # the slash is computed: the reader looks for it on the image
        assert colon_end - 1 <= b.x0 <= colon_end + 2 and 157 <= b.x1 <= 160 + 0.25 * 13  # near the slash
        # no colon on the image (a symbol alone): no blank
        blank = pdf.new_page(width=595, height=842)
        blank.insert_text((160, 100), "/SYT-NVY", fontname="tiro", fontsize=13)
        assert blank_after_colon(blank, [Word("/SYT-NVY", x0, y0, x1, y1, conf=0.9)], 13.0) is None


def test_an_unsure_printed_year_is_read_again_on_the_image():
    import pymupdf

    from directives.pipeline.handwriting import year_on_image

    with pymupdf.open() as pdf:
        page = pdf.new_page(width=595, height=842)
        page.insert_text((400, 100), "2017", fontname="tiro", fontsize=14)
        x0, y0, x1, y1, *_ = next(t for t in page.get_text("words") if t[4] == "2017")
        assert year_on_image(page, [Word("2017", x0, y0, x1, y1, conf=0.4)]) == 2017
        assert year_on_image(page, [Word("2077", x0, y0, x1, y1, conf=0.65)]) == 2017  # one digit misread by OCR
        assert year_on_image(page, [Word("2078", x0, y0, x1, y1, conf=0.65)]) is None  # two: which is right?
        assert year_on_image(page, [Word("năm", x0 - 30, y0, x0 - 5, y1)]) is None  # no year on the line


def test_day_blank_when_ocr_lost_ngay_with_the_ink_against_it():
    words = [w("Kiên", 287, 313), w("Giang,", 318, 354), w("tháng", 409, 437), w("10", 444, 457),
             w("năm", 460, 484), w("2017", 488, 516)]
    b = day_blank(words)
    em = 28 / 1.95
    assert b is not None and b.x0 == pytest.approx(354 + 2.3 * em, abs=0.5) and 405 <= b.x1 < 409
    # no comma before 'tháng' (the place's end is not seen): where "ngày" stood is unknown
    assert day_blank([w("Giang", 318, 354), *words[2:]]) is None


def test_a_date_cited_in_words():
    from directives.pipeline.evidence import cited_before, cited_self

    page = _page(_line("Thực hiện Công văn số 04/SYT-GAVI ngày 04 tháng 01 năm 2018 của Sở Y tế", 300))
    assert str(cited_before(page)) == "2018-01-04"
    caption = _page(_line("(Kèm theo công văn số 02/SYT-GAVI ngày 06 tháng 3 năm 2018 của Ban QLDA)", 60), number=2)
    assert cited_self([caption], "syt-gavi") == {"number": "02", "date": "2018-03-06"}


def test_only_the_calendar_and_a_signing_time_move_a_reading():
    from directives.extractors.handwriting import Read

    q9, q0 = np.zeros(10, np.float32), np.zeros(10, np.float32)
    q9[[2, 1]] = (0.95, 0.05)
    q0[[9, 0, 1]] = (0.6, 0.3, 0.1)
    day = Candidate("date", "29", 0.6, digits="29", read=Read("29", 0.6, ink=True, digits=[(q9, 1.0), (q0, 1.0)]))
    parts = DateParts(2018, 3, None)
    # a received stamp's date OCR read (the 21st) rules the 29th out: no reading, not the 20th
    stamp = _dated([day], parts, upper=dt.date(2018, 3, 21))
    assert stamp[0].value is None and "2018-03-29" in stamp[0].note
    # the file's own signing time on the 21st: the 29th moved to the likeliest day possible
    assert _dated([day], parts, upper=dt.date(2018, 3, 21), signed=dt.date(2018, 3, 21))[0].value == "2018-03-20"
