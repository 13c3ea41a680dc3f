"""Acceptance of the foundation issue on the seed letter 347-CV/TĐTN-VP (born-digital PDF)."""

from __future__ import annotations

import pytest

from tests.helpers import SHARED

SEED_TEXT = SHARED / "seed" / "000_12ba76813e760e73.txt"


def test_metadata_exact(seed_directive):
    m = seed_directive.metadata
    assert m.regime_header == "ĐOÀN TNCS HỒ CHÍ MINH"
    assert m.parent_organization is None
    assert m.issuer == "BCH ĐOÀN TỈNH KIÊN GIANG"
    assert (m.reference, m.number, m.symbol) == ("347-CV/TĐTN-VP", "347", "CV/TĐTN-VP")
    assert m.type == "Công văn"
    assert (m.place, m.date) == ("Kiên Giang", "2023-07-29")
    assert m.subject == "ban hành định hướng công tác đoàn và phong trào thanh thiếu nhi năm 2024"
    assert m.recipients == ["Ban Thường vụ các huyện, thành đoàn, đoàn trực thuộc"]
    assert m.distribution == ["Như trên", "TT Tỉnh đoàn", "Các phòng, ban, đơn vị SN Tỉnh đoàn", "Lưu: VP"]
    s = m.signer
    assert (s.name, s.title, s.authority, s.on_behalf_of) == ("Phan Đình Nhân", "BÍ THƯ", "TM.",
                                                             "BAN THƯỜNG VỤ TỈNH ĐOÀN")


def test_parts(seed_directive):
    parts = seed_directive.parts
    assert [p.type for p in parts] == ["Công văn", "Phụ lục", "Định hướng"]
    assert [p.date for p in parts] == ["2023-07-29", "2023-07-09", "2023-07-29"]
    assert [p.pages for p in parts] == [[1], [2, 3], [4, 5, 6, 7, 8, 9, 10]]
    assert parts[1].subject == "Một số hoạt động lớn dự kiến tổ chức trong năm 2024"
    assert parts[2].subject == "Một số nhiệm vụ trọng tâm công tác Đoàn và phong trào thanh thiếu nhi năm 2024"
    assert parts[0].text.startswith("Đề các huyện, thành đoàn, đoàn trực thuộc có căn cứ")


def test_orientation_sections(seed_directive):
    secs = seed_directive.sections
    assert [s.number for s in secs] == ["1", "2", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "4"]
    assert [s.level for s in secs] == [1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1]
    by_number = {s.number: s for s in secs}
    assert all(by_number[n].parent_id == by_number["3"].id for n in by_number if n.startswith("3."))
    assert by_number["1"].title == "Chủ đề công tác: “Năm Thanh niên tình nguyện”"
    assert by_number["3.4"].title == ("Công tác phụ trách Đội Thiếu niên Tiền phong Hồ Chí Minh và bảo vệ, chăm sóc, "
                                      "giáo dục thiếu niên, nhi đồng")
    assert by_number["4"].title == "Một số hoạt động lớn dự kiến tổ chức trong năm 2024 (có phụ lục kèm theo)"
    counts = [len(by_number[n].bullets) for n in ("2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8")]
    assert counts == [5, 6, 7, 7, 5, 2, 4, 4, 3]
    assert all(s.part == 2 for s in secs)


def test_bullets_are_whole_paragraphs_across_pages(seed_directive):
    s31 = next(s for s in seed_directive.sections if s.number == "3.1")
    assert s31.pages == [4, 5]
    first = s31.bullets[0]
    assert first.startswith("Tiếp tục đẩy mạnh học tập và làm theo tư tưởng")
    assert first.endswith("chuyên đề về tư tưởng, đạo đức, phong cách Hồ Chí Minh.")
    assert "“Nhớ về Bác - Lòng ta trong sáng hơn”" in first  # italic run glued to its quotes


EXPECTED_MONTHS = [
    [1], [1, 2], [1, 2], [1, 2], [1, 2], [1, 2], [2], [2, 3], [2, 3, 4, 5], [3], [3], [3], [3, 7], [4, 5],
    list(range(4, 12)), [4, 5, 6], [5], list(range(5, 11)), [6], [7, 8, 9], [5, 6, 7, 8], [6, 7, 8, 9],
    [6, 7, 8], [7], [9, 10, 11], [10], [10], list(range(1, 13)), list(range(1, 13)),
]


def test_activities(seed_directive):
    acts = seed_directive.activities
    assert [a.no for a in acts] == list(range(1, 30))
    assert [a.months for a in acts] == EXPECTED_MONTHS
    assert {a.year for a in acts} == {2024}
    assert acts[22].name == "Ngày cao điểm Chiến sĩ tình nguyện tham gia xây dựng đô thị văn minh"  # split by page
    assert acts[0].name == ("Kỷ niệm 74 năm Ngày truyền thống Học sinh - Sinh viên và Hội sinh viên Việt Nam.")
    assert acts[12].time_text == "Tháng 03 và tháng 07"


def test_appendix_table_stitched(seed_directive):
    (table,) = seed_directive.tables
    assert table.columns == ["Stt", "Tên hoạt động", "Thời gian"]
    assert table.pages == [2, 3]
    assert len(table.rows) == 29  # the repeated header row on page 3 is dropped
    assert table.title == "Một số hoạt động lớn dự kiến tổ chức trong năm 2024"


def test_activity_names_match_seed_text(seed_directive):
    """Every activity name is printed in the original text exactly as extracted."""
    if not SEED_TEXT.exists():
        pytest.skip("../shared/seed not present")
    text = " ".join(SEED_TEXT.read_text(encoding="utf-8").split())
    for a in seed_directive.activities:
        assert a.name in text, a.name


def test_warnings(seed_directive):
    codes = sorted(w.code for w in seed_directive.warnings)
    assert codes == ["activity-year-mismatch", "attachment-date-mismatch"]
    mismatch = next(w for w in seed_directive.warnings if w.code == "activity-year-mismatch")
    assert "2023" in mismatch.message and "Tết Trung thu 2023" in mismatch.message
    assert seed_directive.status == "ok"
