"""The blanks of a scan's number and date lines, found from the printed words around them."""

from __future__ import annotations

import pytest

from directives.extractors.model import Word
from directives.pipeline.handwriting import day_blank, number_blank


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
