import unicodedata

import pytest

from directives.pipeline.timeexpr import text_to_months

ALL = list(range(1, 13))

# The 29 "Thời gian" cells of the seed document's appendix (347-CV-TDTN-VP), exactly as printed.
APPENDIX_CELLS: list[tuple[str, list[int]]] = [
    ("Tháng 01", [1]),
    ("Từ tháng 01 - 02", [1, 2]),
    ("Từ tháng 01 - 02", [1, 2]),
    ("Từ tháng 01 - 02", [1, 2]),
    ("Từ tháng 01 - 02", [1, 2]),
    ("Từ tháng 01 - 02", [1, 2]),
    ("Tháng 02", [2]),
    ("Từ tháng 02 - 03", [2, 3]),
    ("Từ tháng 02 - 05", [2, 3, 4, 5]),
    ("Tháng 03", [3]),
    ("Tháng 03", [3]),
    ("Tháng 03", [3]),
    ("Tháng 03 và tháng 07", [3, 7]),
    ("Từ tháng 04 - 05", [4, 5]),
    ("Từ tháng 4 - 11", [4, 5, 6, 7, 8, 9, 10, 11]),
    ("Tháng 04 - 06", [4, 5, 6]),
    ("Tháng 05", [5]),
    ("Từ tháng 05 - 10", [5, 6, 7, 8, 9, 10]),
    ("Tháng 06", [6]),
    ("Quý III", [7, 8, 9]),
    ("Từ tháng 05 - 08", [5, 6, 7, 8]),
    ("Từ tháng 06 - 09", [6, 7, 8, 9]),
    ("Từ tháng 06 - 08", [6, 7, 8]),
    ("Tháng 07", [7]),
    ("Từ tháng 09 - 11", [9, 10, 11]),
    ("Tháng 10", [10]),
    ("Tháng 10", [10]),
    ("Cả năm", ALL),
    ("Cả năm", ALL),
]


def test_appendix_has_29_cells():
    assert len(APPENDIX_CELLS) == 29


@pytest.mark.parametrize(
    ("text", "expected"), APPENDIX_CELLS, ids=[f"appendix-{i:02d}" for i in range(1, 30)]
)
def test_appendix_cells(text, expected):
    assert text_to_months(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # documented examples
        ("Tháng 01", [1]),
        ("Từ tháng 01 - 02", [1, 2]),
        ("Từ tháng 4 - 11", list(range(4, 12))),
        ("Tháng 04 - 06", [4, 5, 6]),
        ("Tháng 03 và tháng 07", [3, 7]),
        ("Quý III", [7, 8, 9]),
        ("Quý 1", [1, 2, 3]),
        ("Quý I, II", [1, 2, 3, 4, 5, 6]),
        ("Quý IV", [10, 11, 12]),
        ("Quý 2 và quý 4", [4, 5, 6, 10, 11, 12]),
        ("Cả năm", ALL),
        ("Quanh năm", ALL),
        ("Thường xuyên", ALL),
        ("Tháng 3, 4", [3, 4]),
        ("Tháng 5 - tháng 7", [5, 6, 7]),
        ("Từ tháng 11/2023 đến tháng 02/2024", [1, 2, 11, 12]),
        ("6 tháng đầu năm", [1, 2, 3, 4, 5, 6]),
        ("6 tháng cuối năm", [7, 8, 9, 10, 11, 12]),
        ("15/10/2024", [10]),
        ("ngày 27/7", [7]),
        ("Trước 30/6", [6]),
        # missing diacritics / case
        ("tu thang 01 - 02", [1, 2]),
        ("THÁNG 3", [3]),
        ("TỪ THÁNG 05 - 08", [5, 6, 7, 8]),
        ("quy iii", [7, 8, 9]),
        ("ca nam", ALL),
        # range separators
        ("Từ tháng 4 – 6", [4, 5, 6]),
        ("Từ tháng 4 — 6", [4, 5, 6]),
        ("Từ tháng 4-6", [4, 5, 6]),
        ("Từ tháng 4 đến tháng 6", [4, 5, 6]),
        ("Tháng 4 -> 6", [4, 5, 6]),
        # list separators
        ("Tháng 3; tháng 9", [3, 9]),
        ("Tháng 1, 5 và 9", [1, 5, 9]),
        # wrap across the year end
        ("Từ tháng 11 - 02", [1, 2, 11, 12]),
        ("Tháng 12 - 1", [1, 12]),
        # invalid month numbers ignored
        ("Tháng 3 và tháng 13", [3]),
        ("Tháng 0", []),
        # mixed / misc
        ("Quý I và tháng 7", [1, 2, 3, 7]),
        ("Từ 01/3 đến 30/6/2024", [3, 4, 5, 6]),
        ("Tháng 9 năm 2024", [9]),
        ("Từ tháng 10 đến hết năm", [10, 11, 12]),
        # decomposed (NFD) input
        (unicodedata.normalize("NFD", "Từ tháng 01 - 02"), [1, 2]),
    ],
)
def test_text_to_months(text, expected):
    assert text_to_months(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "Không", "Tháng 13", "Theo kế hoạch", "Quy định số 12"])
def test_text_to_months_negative(text):
    assert text_to_months(text) == []
