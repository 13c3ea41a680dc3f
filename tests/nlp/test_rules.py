"""LEGAL_REF, CAMPAIGN, DATE and PERIOD rules."""

from __future__ import annotations

import json

import pytest

from directives.nlp.rules import campaigns, dates, legal_refs


@pytest.mark.parametrize(("text", "span", "expected"), [
    ("Quán triệt Kết luận số 21-KL/TW ngày 25/10/2021 của Ban Chấp hành", "Kết luận số 21-KL/TW ngày 25/10/2021",
     {"type": "Kết luận", "number": "21", "symbol": "KL/TW", "year": None, "date": "2021-10-25", "name": None}),
    ("và Nghị quyết số 35-NQ/TW của Bộ Chính trị khóa XII ngày 22/10/2018 về", "Nghị quyết số 35-NQ/TW",
     {"type": "Nghị quyết", "number": "35", "symbol": "NQ/TW", "year": None, "date": "2018-10-22", "name": None}),
    ("thực hiện Chỉ thị 03-CT/TWĐTN của Ban Bí thư", "Chỉ thị 03-CT/TWĐTN",
     {"type": "Chỉ thị", "number": "03", "symbol": "CT/TWĐTN", "year": None, "date": None, "name": None}),
    ("phổ biến Luật Thanh niên 2020, Chiến lược", "Luật Thanh niên 2020",
     {"type": "Luật", "number": None, "symbol": None, "year": None, "date": "2020", "name": "Thanh niên"}),
    ("theo Nghị định 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ",
     "Nghị định 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020",
     {"type": "Nghị định", "number": "30", "symbol": "NĐ-CP", "year": "2020", "date": "2020-03-05", "name": None}),
])
def test_legal_references(text, span, expected):
    (ref,) = legal_refs(text, "s1")
    assert (ref.label, ref.text, ref.section_id) == ("LEGAL_REF", span, "s1")
    assert text[ref.start:ref.end] == span
    assert json.loads(ref.normalized) == expected


def test_no_reference_without_a_number_or_in_a_later_clause():
    assert legal_refs("Nghị quyết Đại hội Đoàn các cấp; Quy chế cán bộ Đoàn") == []
    (ref,) = legal_refs("Nghị quyết số 35-NQ/TW. Ngày 22/10/2018 họp")
    assert json.loads(ref.normalized)["date"] is None  # a date in the next sentence is not its date


def test_campaigns_need_a_programme_word():
    text = ("triển khai Cuộc vận động “Xây dựng giá trị hình mẫu thanh niên”; Cuộc vận động “Ứng xử văn minh”. "
            "Triển khai các mô hình tạo nguồn cây xanh như “Vườn ươm thanh niên”, “Đổi rác lấy cây”... "
            "biểu hiện “tự diễn biến”, “tự chuyển hoá” và thông qua ứng dụng \"Làm việc tốt\"; "
            "giải thưởng \"15/10\" và giải thưởng \"Thanh niên sống đẹp\"")
    got = [(e.text, e.normalized) for e in campaigns(text)]
    assert got == [("Xây dựng giá trị hình mẫu thanh niên", "cuộc vận động"), ("Ứng xử văn minh", "cuộc vận động"),
                   ("Vườn ươm thanh niên", "mô hình"), ("Đổi rác lấy cây", "mô hình"), ("15/10", "giải thưởng"),
                   ("Thanh niên sống đẹp", "giải thưởng")]
    for e in campaigns(text):
        assert text[e.start:e.end] == e.text  # the name without its quotes


@pytest.mark.parametrize(("text", "label", "span", "iso"), [
    ("ký ngày 25/10/2021 tại", "DATE", "ngày 25/10/2021", "2021-10-25"),
    ("Kiên Giang, ngày 29 tháng 7 năm 2023", "DATE", "ngày 29 tháng 7 năm 2023", "2023-07-29"),
    ("báo cáo tháng 10 năm 2017", "DATE", "tháng 10 năm 2017", "2017-10"),
    ("trong năm 2023.", "DATE", "năm 2023", "2023"),
    ("giai đoạn 2023 – 2027.", "PERIOD", "giai đoạn 2023 – 2027", "2023/2027"),
    ("nhiệm kỳ 2024 - 2029", "PERIOD", "nhiệm kỳ 2024 - 2029", "2024/2029"),
    ("Hội (1956 - 2024);", "PERIOD", "1956 - 2024", "1956/2024"),
    ("của Người (2/9/1969-2/9/2024)", "PERIOD", "2/9/1969-2/9/2024", "1969-09-02/2024-09-02"),
])
def test_dates_and_periods(text, label, span, iso):
    (e,) = dates(text)
    assert (e.label, e.text, e.normalized) == (label, span, iso)
    assert text[e.start:e.end] == span


def test_impossible_dates_and_references_are_not_dates():
    assert dates("ngày 31/02/2021") == []
    assert dates("Nghị định 30/2020/NĐ-CP") == []
    assert dates("kỷ niệm 74 năm Ngày truyền thống") == []
