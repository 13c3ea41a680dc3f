"""Signature boxes, stamped values and signature dictionaries, on hand-made lines and corpus pages."""

from __future__ import annotations

import re
import sys

import pytest

from directives.extractors.base import open_pdf
from directives.extractors.overlay import host_of, place_values
from directives.extractors.pdf_text import TextLayerReader
from directives.extractors.signatures import (
    CUE_KEYS,
    box_fields,
    cue_fold,
    find_boxes,
    has_cue,
    is_box_opener,
    pdf_date_iso,
)
from directives.knowledge import COPY_FORMS, SIGNATURE_BOX_OPENERS
from tests.helpers import CORPUS, line, needs_corpus


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi", "Cơ quan: Tỉnh Quảng Ngãi", "Thời gian ký: 17/01/2025 17:06:30"],
         {"signer": "Ủy ban nhân dân tỉnh Quảng Ngãi", "organization": "Tỉnh Quảng Ngãi",
          "signing_time": "2025-01-17T17:06:30"}),
        # a publisher's stamp: name, e-mail (wrapped by the narrow box), time with its offset on its own line
        (["TRUNG TÂM CÔNG", "BÁO VÀ TIN HỌC", "ttcbth@quangngai.gov.v", "n", "17.01.2025 17:17:01", "+07:00"],
         {"signer": "TRUNG TÂM CÔNG BÁO VÀ TIN HỌC", "email": "ttcbth@quangngai.gov.vn",
          "signing_time": "2025-01-17T17:17:01+07:00"}),
        # labels and values wrapped over lines
        (["Người ký: Ủy ban", "nhân dân tỉnh Quảng", "Ngãi", "Cơ quan: Tỉnh Quảng", "Ngãi", "Thời gian ký:",
          "16.04.2020 07:37:07", "+07:00"],
         {"signer": "Ủy ban nhân dân tỉnh Quảng Ngãi", "organization": "Tỉnh Quảng Ngãi",
          "signing_time": "2020-04-16T07:37:07+07:00"}),
        (["Người ký: CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "Email: thongtinchinhphu@chinhphu.vn",
          "Cơ quan: VĂN PHÒNG CHÍNH PHỦ", "Thời gian ký: 27.06.2025 17:00:11 +07:00"],
         {"signer": "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "email": "thongtinchinhphu@chinhphu.vn",
          "organization": "VĂN PHÒNG CHÍNH PHỦ", "signing_time": "2025-06-27T17:00:11+07:00"}),
        # an e-office copy's signature line: form of copy; body; date; time; offset
        (["SAO Y; SỞ NỘI VỤ; 19/05/2026; 14:42:19; +07:00"],
         {"reason": "SAO Y", "signer": "SỞ NỘI VỤ", "signing_time": "2026-05-19T14:42:19+07:00"}),
        # the appearance signing software draws by default
        (["Digitally signed by Nguyen Van A", "Date: 2024.11.06 09:27:05 +07'00'"],
         {"signer": "Nguyen Van A", "signing_time": "2024-11-06T09:27:05+07:00"}),
    ],
)
def test_box_fields(lines, expected):
    assert box_fields(lines) == expected


@pytest.mark.parametrize(
    ("text", "opener"),
    [
        ("Ký bởi: Sở Tư pháp", True),
        ("Digitally signed by Nguyen Van A", True),
        ("Người ký: Ủy ban", True),
        ("Thời gian ký: 25.02.2021 15:12:01", True),
        ("06.11.2024 09:27:05 +07:00", True),
        ("17.01.2025 17:17:01", True),  # a time to the second alone on a line
        ("SAO Y; VĂN PHÒNG ỦY BAN NHÂN DÂN; 25/07/2025 10:25:14 +07:00", True),
        # document text
        ("2. Thời gian: Vào lúc 08 giờ 00 phút, ngày 09/11/2024 (sáng Thứ Bảy).", False),
        ("Cơ quan: Sở Y tế tỉnh Kiên Giang", False),
        ("Thực hiện Công văn số 2003/UBDT-VPCTMTQG ngày 01/11/2024 của", False),
        ("Hệ thống ghi nhận lúc 01/11/2024 08:00:00 các hồ sơ đã nộp trực tuyến trên Cổng dịch vụ công", False),
        ("Nơi nhận:", False),
    ],
)
def test_box_opener(text, opener):
    assert is_box_opener(text) is opener


def test_printed_box_is_found_with_the_lines_stacked_with_it():
    header = [line("ỦY BAN NHÂN DÂN", 110, 71, size=13), line("Số: 12/TB-UBND", 113, 116, size=13),
              line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 261, 71, size=13)]
    box = [line("TRUNG TÂM CÔNG", 432, 12, size=9), line("BÁO VÀ TIN HỌC", 432, 21.5, size=9),
           line("ttcbth@quangngai.gov.vn", 432, 31, size=9), line("06.11.2024 09:27:05", 432, 40.5, size=9),
           line("+07:00", 432, 50, size=9)]
    (found,) = find_boxes(header + box)
    assert [ln.raw for ln in found] == [ln.raw for ln in box]


def test_value_is_placed_into_the_blank_it_lies_in():
    number_line = line("Số:           /TB-UBND", 113, 116, 231, size=13)
    date_line = line("Quảng Ngãi, ngày       tháng 11 năm 2024", 289, 116, 512, size=13)
    cell = line("12", 60, 300, size=13)  # a table cell: nothing over it
    body = line("Thực hiện Công văn số 2003/UBDT ngày 01/11/2024", 99, 256, 542, size=14)
    over_word = line("2003", 270, 256, size=14)  # lies on a word of the body line: not in a blank
    lines = place_values([number_line, date_line, cell, body, over_word,
                          line("542", 135, 117, 151, size=13), line("06", 389, 119, 404, size=13)])
    assert number_line.raw == "Số: 542 /TB-UBND"
    assert date_line.raw == "Quảng Ngãi, ngày 06 tháng 11 năm 2024"
    assert [ln.raw for ln in lines] == ["Số: 542 /TB-UBND", "Quảng Ngãi, ngày 06 tháng 11 năm 2024", "12",
                                        body.raw, "2003"]
    assert host_of([number_line], 60, 300, 72, 313) is None


def test_value_stamped_after_a_label_that_ends_its_line():
    # the date line wraps in the day's blank: "Thành phố Hồ Chí Minh, ngày" | "tháng 02 năm 2021"
    first = line("Thành phố Hồ Chí Minh, ngày", 326, 93, 500, size=12)
    second = line("tháng 02 năm 2021", 360, 107, 470, size=12)
    cell_row = line("Tổng cộng", 70, 400, 130, size=12)  # a figure right of a table's label cell
    lines = place_values([first, second, cell_row, line("25", 516, 94, 528, size=10.3),
                          line("1.250", 150, 400, 180, size=12)])
    assert first.raw == "Thành phố Hồ Chí Minh, ngày 25" and first.x1 == 528
    assert [ln.raw for ln in lines] == [first.raw, "tháng 02 năm 2021", "Tổng cộng", "1.250"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [("D:20241106085421+07'00'", "2024-11-06T08:54:21+07:00"), ("D:20250624185406Z", "2025-06-24T18:54:06+00:00"),
     ("D:20200416", "2020-04-16T00:00:00"), ("not a date", None), (None, None)],
)
def test_pdf_date(text, iso):
    assert pdf_date_iso(text) == iso


SIGNED_SCANS = ["QuangNgai_UBND_QD_47_hotroTet_2025_scan.pdf", "QuangNgai_UBND_TTr_24_miennhiem_2025_scan.pdf",
                "QuangNgai_UBND_BC_23_CCTTHC_2025_scan.pdf", "QuangNgai_UBND_CT_05_nopthuedientu_2020_scan.pdf",
                "QuangNgai_UBND_CT_07_thihanhan_2018_scan.pdf", "HN_UBND_CT_11_chuyendoiso_2025_scan.pdf",
                "TTg_QD_1360_nongthonmoi_DongThap_2025_scan.pdf", "VinhLong_SNV_BB_05_hopthongnhat_2026_scan.pdf"]
BOX_TEXT = re.compile(r"Ký bởi|Người ký|Cơ quan:|Thời gian ký|@|\+07:00|SAO Y", re.IGNORECASE)


@needs_corpus
@pytest.mark.corpus
@pytest.mark.parametrize("name", SIGNED_SCANS)
def test_signed_scan_text_layer_is_only_boxes_and_the_page_is_a_scan(name):
    doc = open_pdf(CORPUS / "docs" / name)
    try:
        page = TextLayerReader().read_page(doc, 0)
    finally:
        doc.close()
    assert page.source == "none" and page.lines == []  # OCRed like any scan
    assert page.boxes and all(BOX_TEXT.search(b.text) for b in page.boxes)


@needs_corpus
@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "number_line", "date_line"),
    [("QuangNgai_UBND_TB_542_hoinghiMTQG_2024.pdf", "Số: 542 /TB-UBND", "Quảng Ngãi, ngày 06 tháng 11 năm 2024"),
     ("VinhLong_SNV_BC_293_tongketdaotao_2026.pdf", "Số: 293 /BC-SNV", "Vĩnh Long, ngày 09 tháng 4 năm 2026"),
     ("BYT_QD_2093_TTHC_phongbenh_2025.pdf", "Số: 2093 /QĐ-BYT", "Hà Nội, ngày 24 tháng 6 năm 2025")],
)
def test_stamped_number_and_date_are_in_their_lines(name, number_line, date_line):
    doc = open_pdf(CORPUS / "docs" / name)
    try:
        page = TextLayerReader().read_page(doc, 0)
    finally:
        doc.close()
    raws = [ln.raw for ln in page.lines]
    assert number_line in raws and date_line in raws
    assert not any(BOX_TEXT.search(r) for r in raws)
    assert all(st.host is not None and st.field for st in page.stamps)


_CUE_LABELS = (*SIGNATURE_BOX_OPENERS, *COPY_FORMS)


def test_cue_keys_rule_out_only_texts_without_a_label():
    """`has_cue` skips the case-insensitive search when the folded text (`cue_fold`) holds no key:
    sound when every label holds a key and every character of a key is matched, under IGNORECASE,
    only by characters that fold to it."""
    assert all(any(k in label.lower() for k in CUE_KEYS) for label in _CUE_LABELS)
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    for ch in set("".join(CUE_KEYS)):
        matched = re.compile(re.escape(ch), re.IGNORECASE).findall(everything)
        assert {cue_fold(c) for c in matched} == {ch}, ch


@pytest.mark.parametrize("text", [
    "Ký bởi: Sở Nội vụ", "KÝ BỞI", "được KÝ bởi", "ĐƯỢC KÝ BỞI", "DIGITALLY SIGNED BY X", "ſigned by X",
    "Signed by X", "SIGNATURE NOT VERIFIED", "sao lục; SỞ", "TRÍCH SAO", "ſao y", "lúc 17:06:30", "Thời gian ký",
    "DıGITALLY SIGNED BY", "Dİgitally signed by", "SİGNATURE VALİD", "Thời gıan ký",
    "đăng ký học", "Kính gửi: các đơn vị", "", "Người kí", "Ký  bởi", "Chữ ký số", "ngày 12/3 lúc 9:30",
])
def test_has_cue_is_the_case_insensitive_search(text):
    """The same answer as one IGNORECASE search for a time to the second or a label."""
    search = re.compile(r"\d:\d{2}:\d{2}|" + "|".join(map(re.escape, _CUE_LABELS)), re.IGNORECASE)
    assert has_cue(text) == (search.search(text) is not None)


def test_appearance_read_only_for_fields_over_a_number_or_date_line(monkeypatch):
    # a signature's image over the signer's title or name has no value to place: no OCR run for it
    import directives.extractors.signatures as sig
    from directives.extractors.model import Word

    asked = []

    def appearance(page, field, lang="vie"):
        asked.append(field.name)
        return Word("542", 140, 117, 152, 129) if field.name == "number" else None

    monkeypatch.setattr(sig, "appearance_value", appearance)
    number_line = line("Số:           /TB-UBND", 113, 116, 231, size=13)
    title = line("CHỦ TỊCH", 380, 676, 450, size=13)
    fields = [sig.SignatureField("number", (126, 103, 324, 132)), sig.SignatureField("signer", (370, 660, 550, 760))]
    stamps: list = []
    sig.stamp_images(None, fields, [number_line, title], stamps, [])
    assert asked == ["number"]
    assert number_line.raw == "Số: 542 /TB-UBND" and [s.field for s in stamps] == ["number"]
