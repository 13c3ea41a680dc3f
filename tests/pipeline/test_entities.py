"""The NLP stage on the seed: acceptance entities, precision against a hand-checked list, offsets."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from directives.nlp.units import unit_text
from directives.pipeline.entities import metadata_entities, resolve
from directives.schemas import Entity

# Every entity of the seed letter, written by reading its text (tests/groundtruth/347-CV-TDTN-VP.txt
# and ../shared/seed): (unit, label, text). A unit is a section id, "p0" (the cover letter's text),
# "t1" (the activity table) or "metadata". Not in the list, on purpose: "Việt Nam" in "Ứng dụng
# Thanh niên Việt Nam" (an app's name, not a place), "Làm việc tốt" (an app, not a campaign),
# "tự diễn biến" / "tự chuyển hoá" (quoted terms, not campaigns), the quoted title of Resolution 35,
# "Ban Thường vụ" alone (the districts' committees, unnamed), "Đoàn", "Hội", "Đội" alone.
GOLD: frozenset[tuple[str, str, str]] = frozenset({
    ("p0", "ORG", "Ban Thường vụ Tỉnh đoàn"), ("p0", "DATE", "năm 2024"),
    ("metadata", "ORG", "BCH ĐOÀN TỈNH KIÊN GIANG"), ("metadata", "LOC", "Kiên Giang"),
    ("metadata", "ORG", "BAN THƯỜNG VỤ TỈNH ĐOÀN"), ("metadata", "PER", "Phan Đình Nhân"),
    ("p2-s1", "CAMPAIGN", "Năm Thanh niên tình nguyện"),
    ("p2-s2", "ORG", "Đoàn tỉnh Kiên Giang"), ("p2-s2", "LEGAL_REF", "Luật Thanh niên 2020"),
    ("p2-s2", "LOC", "Việt Nam"), ("p2-s2", "PERIOD", "giai đoạn 2021 – 2030"),
    ("p2-s2", "ORG", "Hội Liên hiệp Thanh niên Việt Nam"),
    ("p2-s2", "ORG", "Hội Liên hiệp Thanh niên Việt Nam tỉnh Kiên Giang"), ("p2-s2", "PERIOD", "nhiệm kỳ 2024 - 2029"),
    ("p2-s4", "PER", "Hồ Chí Minh"), ("p2-s4", "CAMPAIGN", "Nhớ về Bác - Lòng ta trong sáng hơn"),
    ("p2-s4", "PERIOD", "1969-2024"), ("p2-s4", "PERIOD", "2/9/1969-2/9/2024"),
    ("p2-s4", "CAMPAIGN", "Nhật ký điện tử thanh niên làm theo lời Bác"), ("p2-s4", "ORG", "Đoàn tỉnh Kiên Giang"),
    ("p2-s4", "ORG", "Hội Liên hiệp Thanh niên Việt Nam"),
    ("p2-s4", "CAMPAIGN", "Khát vọng cống hiến - Lẽ sống thanh niên"),
    ("p2-s4", "CAMPAIGN", "Giáo dục lý tưởng cách mạng, đạo đức, lối sống văn hóa cho thanh niên, thiếu niên, "
                          "nhi đồng trên không gian mạng giai đoạn 2022 - 2030"),
    ("p2-s4", "PERIOD", "giai đoạn 2022 - 2030"),
    ("p2-s4", "CAMPAIGN", "Xây dựng giá trị hình mẫu thanh niên Việt Nam thời kỳ mới"),
    ("p2-s4", "CAMPAIGN", "Ứng xử văn minh trên không gian mạng"),
    ("p2-s4", "CAMPAIGN", "Mỗi ngày một tin tốt, mỗi tuần một câu chuyện đẹp"),
    ("p2-s5", "CAMPAIGN", "3 liên kết"), ("p2-s5", "CAMPAIGN", "Sáng - Xanh - Sạch - Đẹp - Văn minh - An toàn"),
    ("p2-s5", "CAMPAIGN", "Vì một Việt Nam xanh"), ("p2-s5", "CAMPAIGN", "Chống rác thải nhựa"),
    ("p2-s5", "CAMPAIGN", "Hãy làm sạch biển"), ("p2-s5", "CAMPAIGN", "Vườn ươm thanh niên"),
    ("p2-s5", "CAMPAIGN", "Đổi rác lấy cây"), ("p2-s5", "CAMPAIGN", "Vườn cây sinh kế"),
    ("p2-s5", "CAMPAIGN", "Thanh niên với văn hóa giao thông"),
    ("p2-s5", "CAMPAIGN", "An toàn giao thông - Hành động của Thanh niên"),
    ("p2-s5", "CAMPAIGN", "Mỗi thanh niên một ý tưởng, sáng kiến"),
    ("p2-s6", "CAMPAIGN", "Sinh viên 5 tốt"), ("p2-s6", "CAMPAIGN", "Học sinh 3 rèn luyện"),
    ("p2-s6", "CAMPAIGN", "Học sinh 3 tốt"), ("p2-s6", "CAMPAIGN", "Mỗi xã một sản phẩm"),
    ("p2-s7", "ORG", "Đội Thiếu niên Tiền phong Hồ Chí Minh"), ("p2-s7", "ORG", "Đội TNTP Hồ Chí Minh"),
    ("p2-s7", "CAMPAIGN", "Thiếu nhi Việt Nam thi đua làm theo 5 điều Bác Hồ dạy"),
    ("p2-s7", "CAMPAIGN", "Mỗi tuần một câu chuyện đẹp, một cuốn sách hay, một tấm gương sáng"),
    ("p2-s7", "CAMPAIGN", "Rèn luyện đội viên"), ("p2-s7", "CAMPAIGN", "Thiếu nhi Việt Nam học tập tốt, rèn luyện chăm"),
    ("p2-s7", "CAMPAIGN", "Tuổi trẻ Việt Nam - Rèn đức, luyện tài, dẫn dắt tương lai"),
    ("p2-s7", "CAMPAIGN", "Vi đàn em thân yêu"), ("p2-s7", "PERIOD", "giai đoạn 2023 – 2027"),
    ("p2-s8", "LOC", "Kiên Giang"), ("p2-s8", "LOC", "Campuchia"),
    ("p2-s9", "PERIOD", "giai đoạn 2023 – 2027"), ("p2-s9", "CAMPAIGN", "1 + 2"), ("p2-s9", "CAMPAIGN", "3 chủ động"),
    ("p2-s9", "CAMPAIGN", "Chi đoàn mạnh"), ("p2-s9", "ORG", "Ủy ban Hội Liên hiệp thanh niên Việt Nam"),
    ("p2-s10", "LEGAL_REF", "Kết luận số 21-KL/TW ngày 25/10/2021"), ("p2-s10", "DATE", "ngày 25/10/2021"),
    ("p2-s10", "ORG", "Ban Chấp hành Trung ương"), ("p2-s10", "LEGAL_REF", "Nghị quyết số 35-NQ/TW"),
    ("p2-s10", "ORG", "Bộ Chính trị"), ("p2-s10", "DATE", "ngày 22/10/2018"),
    ("p2-s10", "CAMPAIGN", "Đoàn viên phấn đấu trở thành đảng viên Đảng Cộng sản Việt Nam"),
    ("p2-s10", "LEGAL_REF", "Chỉ thị 03-CT/TWĐTN"), ("p2-s10", "ORG", "Ban Bí thư Trung ương Đoàn"),
    ("p2-s11", "ORG", "Đoàn tỉnh Kiên Giang"), ("p2-s11", "PERIOD", "nhiệm kỳ 2022 – 2027"),
    ("p2-s12", "DATE", "năm 2024"),
    ("t1", "ORG", "Hội sinh viên Việt Nam"), ("t1", "CAMPAIGN", "Tết Quân - Dân"),
    ("t1", "CAMPAIGN", "Xuân biên giới, Tết hai đảo"), ("t1", "CAMPAIGN", "Tháng 3 biên giới"),
    ("t1", "CAMPAIGN", "Dự án khởi nghiệp sáng tạo thanh niên nông thôn"), ("t1", "CAMPAIGN", "Hãy làm sạch biển"),
    ("t1", "CAMPAIGN", "Tuổi trẻ sáng tạo"), ("t1", "CAMPAIGN", "15/10"), ("t1", "CAMPAIGN", "Thanh niên sống đẹp"),
    ("t1", "ORG", "Đoàn TNCS Hồ Chí Minh"), ("t1", "ORG", "Đội TNTP Hồ Chí Minh"), ("t1", "LOC", "Kiên Giang"),
    ("t1", "ORG", "Hội Liên hiệp Thanh niên Việt Nam tỉnh Kiên Giang"),
    ("t1", "ORG", "Hội Liên hiệp Thanh niên Việt Nam"), ("t1", "PERIOD", "nhiệm kỳ 2024 - 2029"),
    ("t1", "PERIOD", "1956 - 2024"), ("t1", "DATE", "năm 2024"), ("t1", "DATE", "27/7"),
})


def key(e: Entity) -> tuple[str, str, str]:
    return (e.section_id or "", e.label, e.text)


def test_seed_legal_references(seed_directive):
    refs = {json.loads(e.normalized)["symbol"]: json.loads(e.normalized)
            for e in seed_directive.entities if e.label == "LEGAL_REF" and json.loads(e.normalized)["symbol"]}
    assert refs["KL/TW"] == {"type": "Kết luận", "number": "21", "symbol": "KL/TW", "year": None,
                             "date": "2021-10-25", "name": None}
    assert refs["NQ/TW"]["type"] == "Nghị quyết" and refs["NQ/TW"]["number"] == "35"
    assert refs["NQ/TW"]["date"] == "2018-10-22"  # printed after its issuer, later in the clause
    assert refs["CT/TWĐTN"] | {"date": None} == {"type": "Chỉ thị", "number": "03", "symbol": "CT/TWĐTN",
                                                 "year": None, "date": None, "name": None}


def test_seed_has_at_least_20_campaigns(seed_directive):
    names = [e.text for e in seed_directive.entities if e.label == "CAMPAIGN"]
    assert len(names) >= 20
    assert "Xây dựng giá trị hình mẫu thanh niên Việt Nam thời kỳ mới" in names
    assert "Mỗi xã một sản phẩm" in names
    assert "tự diễn biến" not in names and "Làm việc tốt" not in names


def test_seed_entity_precision_against_hand_checked_list(seed_directive):
    predicted = [key(e) for e in seed_directive.entities]
    wrong = [k for k in predicted if k not in GOLD]
    precision = 1 - len(wrong) / len(predicted)
    recall = len(GOLD & set(predicted)) / len(GOLD)
    assert precision >= 0.9, wrong
    assert recall >= 0.8, sorted(GOLD - set(predicted))
    labels = Counter(label for _, label, _ in predicted)
    assert {"PER", "ORG", "LOC", "LEGAL_REF", "CAMPAIGN", "DATE", "PERIOD"} <= set(labels)


def test_seed_dates_and_periods_are_iso(seed_directive):
    norm = {(e.label, e.text): e.normalized for e in seed_directive.entities if e.label in ("DATE", "PERIOD")}
    assert norm[("PERIOD", "giai đoạn 2023 – 2027")] == "2023/2027"
    assert norm[("PERIOD", "2/9/1969-2/9/2024")] == "1969-09-02/2024-09-02"
    assert norm[("DATE", "ngày 25/10/2021")] == "2021-10-25"
    assert norm[("DATE", "năm 2024")] == "2024"


def test_every_entity_offset_points_at_its_text(seed_directive):
    for e in seed_directive.entities:
        assert unit_text(seed_directive, e.section_id)[e.start:e.end] == e.text, e


def test_sections_are_segmented_with_keywords(seed_directive):
    s = next(s for s in seed_directive.sections if s.id == "p2-s10")
    assert "Ban_Chấp_hành_Trung_ương" in s.segmented.split()
    # the words cover the title and text exactly: every character, none added
    assert "".join(s.segmented.split()).replace("_", "") == "".join((s.title + s.text).split())
    assert 1 <= len(s.keywords) <= 5 and all(k == k.lower() for k in s.keywords)
    assert all(s.keywords for s in seed_directive.sections if s.text)


def test_resolve_prefers_campaign_over_org_and_keeps_dates():
    inside = [Entity(label="CAMPAIGN", text="x", section_id="s", start=0, end=40),
              Entity(label="ORG", text="y", section_id="s", start=10, end=20),
              Entity(label="DATE", text="z", section_id="s", start=30, end=35),
              Entity(label="ORG", text="y", section_id="t", start=10, end=20)]
    assert [e.label + (e.section_id or "") for e in resolve(inside)] == ["CAMPAIGNs", "ORGt", "DATEs"]


def test_metadata_entities_by_field(seed_directive):
    got = [(e.label, e.text) for e in metadata_entities(seed_directive)]
    assert got == [("ORG", "BCH ĐOÀN TỈNH KIÊN GIANG"), ("LOC", "Kiên Giang"), ("ORG", "BAN THƯỜNG VỤ TỈNH ĐOÀN"),
                   ("PER", "Phan Đình Nhân")]


@pytest.mark.parametrize("label", ["LEGAL_REF", "CAMPAIGN"])
def test_entities_are_in_document_order_per_unit(seed_directive, label):
    starts = [(e.section_id, e.start) for e in seed_directive.entities if e.label == label]
    by_unit: dict[str | None, list[int]] = {}
    for unit, start in starts:
        by_unit.setdefault(unit, []).append(start or 0)
    assert all(v == sorted(v) for v in by_unit.values())


def test_ner_runs_only_for_runs_with_unknown_words():
    from directives.nlp.segment import segment
    from directives.pipeline.entities import worth_ner

    def run(text):
        return segment(text)

    assert not worth_ner(run("Tết Giáp Thìn"), [])
    assert not worth_ner(run("Hành trình Tuổi trẻ Kiên Giang"), [])
    assert worth_ner(run("Ông Kim Jong Un"), [])
    # Vietnamese words the dictionary lacks as one word, and acronyms: NER's finds there would not
    # pass the rules
    assert not worth_ner(run("Cung Văn hóa Hữu nghị Việt Xô"), [])
    assert not worth_ner(run("UB MTTQ Việt Nam"), [])
    assert not worth_ner(run("CĐGD Việt Nam"), [])
    assert worth_ner(run("Tổng thống Barack Obama"), [])
    covered = [Entity(label="LEGAL_REF", text="Luật Xyz Abc", start=0, end=12)]
    assert not worth_ner(run("Luật Xyz Abc"), covered)  # already read by a rule


def test_seed_needs_no_ner(seed_directive, monkeypatch):
    import sys

    from directives.pipeline.entities import directive_entities

    stage = sys.modules["directives.pipeline.entities"]
    calls = []
    monkeypatch.setattr(stage, "ner_names", lambda s, o, n: calls.append(s) or [])
    found, _ = directive_entities(seed_directive, ner=lambda s: [])
    assert calls == [] and len(found) == len(seed_directive.entities)
