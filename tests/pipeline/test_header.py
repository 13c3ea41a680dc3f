"""The header stage on hand-made pages: one test per failure class seen on real scans and on
born-digital files laid out with wider fonts (issue 12)."""

from __future__ import annotations

import pytest

from directives.extractors.model import Line, Page, Word
from directives.patterns import NUMBER_LINE, is_motto, parse_reference
from directives.pipeline.document import Block
from directives.pipeline.header import (
    group_names,
    lines_to_orgs,
    org_text,
    read_header,
    subject_text,
    type_code_undoubled,
)
from directives.pipeline.layout import (
    column_start,
    date_column_start,
    join_date_pieces,
    join_wrapped_date,
    split_columns,
)
from directives.pipeline.run import run
from tests.helpers import document, line


def words_line(parts: list[tuple[str, float]], y: float, size: float = 13.0, bold: bool = False,
               conf: float = 0.95) -> Line:
    """A line of words placed where given: [(text, x0), …], 6.5 pt a character."""
    words = [Word(t, x, y, x + 6.5 * len(t), y + size, size, bold, False, conf) for t, x in parts]
    return Line.of(words, words[0].x0, y, words[-1].x1, y + size, " ".join(t for t, _ in parts))


def spaced(text: str, x0: float, y: float, **kw) -> Line:
    """`text` as words 4 pt apart from x0."""
    parts, x = [], x0
    for t in text.split():
        parts.append((t, x))
        x += 6.5 * len(t) + 4
    return words_line(parts, y, **kw)


def scan(lines: list[Line], number: int = 1) -> Page:
    return Page(number, 595.0, 842.0, "ocr", lines, [], confidence=0.9)


BODY = [line("Thực hiện công văn số 12/SYT ngày 13 tháng 10 năm 2017 của Sở Y tế về việc tập huấn", 115, 300, 530, 13),
        line("công tác điều trị một số bệnh dịch cho các đơn vị trong tỉnh theo kế hoạch năm nay", 85, 318, 530, 13)]


def metadata_of(lines: list[Line]):
    return run(document([scan(lines + BODY)])).result.metadata


def test_header_columns_merged_by_ocr_are_split_at_the_regime_header():
    # class 1: "UBND TỈNH KIÊN GIANG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" read as one line, the gutter
    # between the columns wider than the spaces between words
    merged = words_line([("UBND", 104), ("TỈNH", 141), ("KIÊN", 174), ("GIANG", 207), ("CỘNG", 262), ("HÒA", 295),
                         ("XÃ", 319), ("HỘI", 336), ("CHỦ", 359), ("NGHĨA", 382), ("VIỆT", 421), ("NAM", 452)], 56)
    assert column_start(merged.words) == 4
    meta = metadata_of([merged, spaced("SỞ Y TẾ", 150, 72), spaced("Độc lập - Tự do - Hạnh phúc", 303, 72),
                        spaced("Số: 12/SYT-NVY", 125, 94), spaced("Kiên Giang, ngày 17 tháng 10 năm 2017", 284, 98)])
    assert (meta.parent_organization, meta.issuer, meta.regime_header) == (
        "UBND TỈNH KIÊN GIANG", "SỞ Y TẾ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert (meta.reference, meta.place, meta.date) == ("12/SYT-NVY", "Kiên Giang", "2017-10-17")


def test_merged_header_columns_split_across_a_mark_or_without_a_gutter():
    # a stroke read as a mark in the gutter counts as no word, and leaves with neither column
    marked = words_line([("UBND", 104), ("TỈNH", 141), ("KIÊN", 174), ("GIANG", 207), ("ˆ", 250), ("CỘNG", 262),
                         ("HÒA", 295), ("XÃ", 319), ("HỘI", 336), ("CHỦ", 359), ("NGHĨA", 382), ("VIỆT", 421),
                         ("NAM", 452)], 56)
    assert column_start(marked.words) == 5
    page = scan([marked])
    split_columns(page)
    assert [ln.text for ln in page.lines] == ["UBND TỈNH KIÊN GIANG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    # a skewed page: no gutter wider than a space, and one word of the regime header misread
    assert column_start(spaced("THỦ TƯỚNG CHÍNH PHỦ CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", 88, 58).words) == 4
    assert column_start(spaced("ỦY BAN NHÂN DÂN CỘNG nội. XÃ HỘI CHỦ NGHĨA", 98, 34).words) == 4
    # but the state named in a title or a sentence, and a body's name ending in the Union's, stay whole
    assert column_start(spaced("CHỦ TỊCH NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 120, 300).words) is None
    assert column_start(spaced("BCH ĐOÀN TNCS HỒ CHÍ MINH", 60, 56).words) is None


def test_a_received_stamp_beside_the_subject_does_not_cut_it():
    # the "ĐẾN" stamp in the left margin, beside the subject's second line, makes a column of it
    meta = metadata_of([spaced("ỦY BAN NHÂN DÂN", 100, 46), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 255, 46),
                        spaced("TỈNH QUẢNG NGÃI", 100, 61), spaced("Độc lập - Tự do - Hạnh phúc", 309, 64),
                        spaced("Số: 07/CT-UBND", 110, 92), spaced("Quảng Ngãi, ngày 20 tháng 3 năm 2018", 309, 95),
                        spaced("CHỈ THỊ", 290, 115, bold=True),
                        spaced("ĐẾN Về việc tăng cường công tác thi hành án hành chính", 100, 132, bold=True),
                        spaced("CV ĐẾN", 20, 150), spaced("trên địa bàn tỉnh", 211, 149, bold=True),
                        spaced("Số: 2352", 20, 166), spaced("Ngày: 21/3", 20, 182)])
    assert meta.subject == "Về việc tăng cường công tác thi hành án hành chính trên địa bàn tỉnh"


def test_a_received_stamp_left_of_a_title_subject_does_not_cut_it():
    head = [spaced("THỦ TƯỚNG CHÍNH PHỦ", 95, 61, bold=True), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 270, 61),
            spaced("Độc lập - Tự do - Hạnh phúc", 320, 79), spaced("Số: 1360/QĐ-TTg", 123, 109),
            spaced("Hà Nội, ngày 26 tháng 6 năm 2025", 306, 111)]
    whole = "Về việc công nhận tỉnh Đồng Tháp hoàn thành nhiệm vụ năm 2024"
    # the stamp beside it sets the subject's first line in the header's column: its next line goes on with it
    # (and a piece of the stamp in the margin, "Đ", is neither)
    meta = metadata_of([*head, spaced("ỐNG THÔNG", 47, 143), spaced("TƯ CHÍNH PHỦ", 127, 144),
                        spaced("QUYẾT ĐỊNH", 265, 155, bold=True), spaced("Đ", 50, 171),
                        line("Tử 20.26... Về việc công nhận tỉnh Đồng Tháp", 104, 164, 290, size=13),
                        spaced("hoàn thành nhiệm vụ năm 2024", 200, 193, bold=True)])
    assert meta.subject == whole


def test_a_signature_box_printed_on_a_scan_is_no_header_text():
    # a paper copy of a signed file: the e-office box is ink, and OCR misreads its label ("Người kỹ")
    def box() -> list[Line]:
        return [spaced("Người kỹ: CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", 188, 4, size=7.0),
                spaced("Email: thongtinchinhphu@chinhphu.vn", 188, 12, size=7.0),
                spaced("Cơ quan: VĂN PHÒNG CHÍNH PHỦ", 188, 20, size=7.0)]

    meta = metadata_of([*box(), spaced("THỦ TƯỚNG CHÍNH PHỦ", 95, 61), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 270, 61),
                        spaced("Độc lập - Tự do - Hạnh phúc", 320, 79), spaced("Số: 1360/QĐ-TTg", 123, 109),
                        spaced("Hà Nội, ngày 26 tháng 6 năm 2025", 306, 111)])
    assert (meta.issuer, meta.regime_header, meta.reference) == (
        "THỦ TƯỚNG CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "1360/QĐ-TTg")
    doc = run(document([scan([*box(), spaced("THỦ TƯỚNG CHÍNH PHỦ", 95, 61), *BODY])]))
    assert [s.kind for s in doc.result.signatures] == ["stamp-text"]
    assert "CỔNG THÔNG TIN" not in doc.result.text


def test_the_same_words_in_a_sentence_are_not_a_column():
    sentence = spaced("Căn cứ Hiến pháp nước CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM năm 2013", 100, 300)
    assert column_start(sentence.words) is None


def test_so_line_misread_by_ocr_is_the_number_line_not_the_issuer():
    # class 2: "Số" read as "Só", the handwritten number as junk: the symbol is still read, the
    # number is null (never a guess), and the line does not go into the issuer
    for text in ("Só:{/ÊJ/SYT-NVY", "Sô : f /TB - HTTT", "Số¿ /SYT-NVY", "số: /QĐ-SYT"):
        assert NUMBER_LINE.match(text), text
    for text in ("SỞ Y TẾ", "Sơ đồ tổ chức"):
        assert not NUMBER_LINE.match(text) or "/" not in text, text
    assert parse_reference("Só:{/ÊJ/SYT-NVY") == (None, None, "SYT-NVY")
    meta = metadata_of([spaced("UBND TỈNH KIÊN GIANG", 104, 56), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 284, 56),
                        spaced("SỞ Y TẾ", 150, 72), spaced("Độc lập - Tự do - Hạnh phúc", 303, 72),
                        spaced("Só:{/ÊJ/SYT-NVY", 125, 94, conf=0.14)])
    assert (meta.issuer, meta.number, meta.symbol) == ("SỞ Y TẾ", None, "SYT-NVY")
    meta = metadata_of([spaced("UBND TỈNH KIÊN GIANG", 104, 56), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 284, 56),
                        spaced("SỞ Y TẾ", 150, 72), spaced("Độc lập - Tự do - Hạnh phúc", 303, 72),
                        spaced("Sé:J44Ö /SYT-NVY", 125, 94, conf=0.3)])  # the vowel of "Số" misread too
    assert (meta.issuer, meta.number, meta.symbol) == ("SỞ Y TẾ", None, "SYT-NVY")


def test_reference_is_written_without_the_space_a_form_leaves_before_the_slash():
    assert parse_reference("Số: 20 /GM-GAVI") == ("20/GM-GAVI", "20", "GM-GAVI")
    assert parse_reference("Số: 2013/ SYT- NVY") == ("2013/ SYT- NVY", "2013", "SYT- NVY")  # as printed after it


@pytest.mark.parametrize(("lines", "expected"), [
    (["UBND TỈNH KIÊN GIANG", "SỞ Y TẾ"], ["UBND TỈNH KIÊN GIANG", "SỞ Y TẾ"]),
    (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH", "SỞ TƯ PHÁP"], ["ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "SỞ TƯ PHÁP"]),
    (["ỦY BAN NHÂN DÂN", "TỈNH KIÊN GIANG"], ["ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG"]),
    (["TRƯỜNG ĐẠI HỌC", "CÔNG NGHỆ THÔNG TIN", "KHOA HỆ THỐNG THÔNG TIN"],
     ["TRƯỜNG ĐẠI HỌC CÔNG NGHỆ THÔNG TIN", "KHOA HỆ THỐNG THÔNG TIN"]),
    (["SỞ GIÁO DỤC VÀ", "ĐÀO TẠO"], ["SỞ GIÁO DỤC VÀ ĐÀO TẠO"]),
    (["THÀNH ĐOÀN HÀ", "NỘI", "BCH ĐOÀN XÃ PHÚC THỊNH"], ["THÀNH ĐOÀN HÀ NỘI", "BCH ĐOÀN XÃ PHÚC THỊNH"]),
    (["TỈNH ỦY KIÊN GIANG", "BAN TUYÊN GIÁO"], ["TỈNH ỦY KIÊN GIANG", "BAN TUYÊN GIÁO"]),
])
def test_bodies_named_over_lines(lines, expected):
    # class 3: a name wrapped over two lines is one body; a line opening with a body's word is another
    assert group_names(lines) == expected


def test_parent_and_issuer_from_ocr_lines_of_one_style():
    from directives.pipeline.document import Block

    blocks = [Block("text", 1, "left", [ln], ln.text) for ln in
              (spaced("ỦY BAN NHÂN DÂN", 123, 71), spaced("THÀNH PHỐ HỒ CHÍ MINH", 103, 89), spaced("SỞ TƯ PHÁP", 144, 103))]
    assert lines_to_orgs(blocks, styled=False) == ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "SỞ TƯ PHÁP")
    single = [Block("text", 1, "left", [ln], ln.text) for ln in (spaced("ỦY BAN NHÂN DÂN", 123, 71),
                                                                  spaced("TỈNH KIÊN GIANG", 110, 89))]
    assert lines_to_orgs(single, styled=False) == (None, "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG")


def test_marks_beside_the_header_are_no_body_and_the_motto_is_never_one():
    assert org_text("‹") is None and org_text("-®") is None and org_text("v4") is None
    assert org_text(", SỞ Y TẾ") == "SỞ Y TẾ"
    assert org_text("ˆ UBND TỈNH KIÊN GIANG") == "UBND TỈNH KIÊN GIANG"  # a stroke read as a modifier letter
    assert is_motto("lập - Tự do - Hạnh phúc") and is_motto("Độc lập —- Tự do - Hạnh phúc")
    assert not is_motto("Hạnh phúc gia đình")


def test_place_kept_when_the_handwritten_day_cut_the_date_line():
    # class 8: OCR cut "Kiên Giang, ngày [17] tháng 10 năm 2017" where the ink was erased
    page = scan([spaced("Kiên Giang, ngày", 279, 113), spaced("tháng 10 năm 2017", 397, 113)])
    join_date_pieces(page)
    assert [ln.text for ln in page.lines] == ["Kiên Giang, ngày tháng 10 năm 2017"]
    meta = metadata_of([spaced("UBND TỈNH KIÊN GIANG", 104, 56), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 284, 56),
                        spaced("SỞ Y TẾ", 150, 72), spaced("Độc lập - Tự do - Hạnh phúc", 303, 72),
                        spaced("Kiên Giang, ngày", 279, 98), spaced("tháng 10 năm 2017", 397, 98)])
    assert (meta.place, meta.date) == ("Kiên Giang", None)
    # a day stamped into a blank so wide that OCR cut the line after the day
    page = scan([spaced("Kiên Giang, ngày 23", 291, 93), spaced("tháng 10 năm 2017", 429, 93)])
    join_date_pieces(page)
    assert [ln.text for ln in page.lines] == ["Kiên Giang, ngày 23 tháng 10 năm 2017"]
    page = scan([spaced("Báo cáo số 23", 91, 93), spaced("tháng 10 năm 2017", 429, 93)])
    join_date_pieces(page)
    assert len(page.lines) == 2, "a figure after another word than 'ngày'"
    # the stamped day cut off on both sides, and a number stamped in the blank after "Số:"
    page = scan([spaced("Kiên Giang, ngày", 291, 93), spaced("10", 402, 94), spaced("tháng 10 năm 2017", 429, 93)])
    join_date_pieces(page)
    assert [ln.text for ln in page.lines] == ["Kiên Giang, ngày 10 tháng 10 năm 2017"]
    page = scan([spaced("Số:", 125, 87), spaced("02 /SYT-NVD", 153, 87)])
    join_date_pieces(page)
    assert [ln.text for ln in page.lines] == ["Số: 02 /SYT-NVD"]
    page = scan([spaced("Số:", 125, 87), spaced("02", 150, 87), spaced("/SYT-NVD", 175, 87)])
    join_date_pieces(page)
    assert [ln.text for ln in page.lines] == ["Số: 02 /SYT-NVD"]
    page = scan([spaced("Số: 12/SYT", 125, 87), spaced("2017", 300, 87)])
    join_date_pieces(page)
    assert len(page.lines) == 2, "a whole number line and a figure beside it"


def test_wrapped_header_lines_of_a_wide_font_are_joined():
    # class 10: the regime header and the date line wrapped, the wrap landing in either column
    lines = [line("TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT", 60, 20, 295, 12), line("NAM", 162, 35, 193, 12),
             line("CÔNG ĐOÀN GIÁO DỤC VIỆT", 53, 48, 301, 12, bold=True), line("NAM", 53, 62, 84, 12, bold=True),
             line("Số: 172/CĐN-TGNC", 109, 95, 246, 13.5),
             line("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT", 321, 20, 560, 12, bold=True),
             line("NAM", 425, 34, 456, 12, bold=True), line("Độc lập - Tự do - Hạnh phúc", 335, 47, 546, 13, bold=True),
             line("Hà Nội, ngày 9 tháng 8 năm", 320, 79, 561, 13.5), line("2013", 423, 94, 458, 13.5),
             line("Thực hiện kế hoạch của Ban Thường vụ về công tác tuyên truyền kết quả", 70, 300, 540),
             line("Đại hội, Ban Thường vụ đề nghị các đơn vị triển khai các nội dung sau:", 70, 318, 540)]
    meta = run(document([Page(1, 595.0, 842.0, "text", lines, [])])).result.metadata
    assert (meta.parent_organization, meta.issuer) == ("TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", "CÔNG ĐOÀN GIÁO DỤC VIỆT NAM")
    assert (meta.regime_header, meta.place, meta.date) == ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Hà Nội", "2013-08-09")


def test_a_title_block_stands_apart_from_its_subject_and_a_regulation_is_typed():
    # class 7: "QUYẾT ĐỊNH" and its "Về việc …" subject in one paragraph lost the subject; ĐIỀU LỆ had no type
    for title, expected in (("QUYẾT ĐỊNH", "Quyết định"), ("ĐIỀU LỆ", "Điều lệ")):
        meta = metadata_of([spaced("UBND TỈNH KIÊN GIANG", 104, 56), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 284, 56),
                            spaced("SỞ Y TẾ", 150, 72, bold=True), spaced("Độc lập - Tự do - Hạnh phúc", 303, 72),
                            spaced("Số: 12/QĐ-SYT", 125, 94), spaced("Kiên Giang, ngày 17 tháng 10 năm 2017", 284, 98),
                            spaced(title, 270, 140, bold=True),
                            spaced("Về việc thành lập Đoàn kiểm tra năm 2017", 190, 156, bold=True)])
        assert (meta.type, meta.subject) == (expected, "Về việc thành lập Đoàn kiểm tra năm 2017")


def test_a_cong_van_subject_under_the_number_with_its_label_lost():
    # class 7: a V/v line whose label OCR misread still gives the subject, and so the type
    meta = metadata_of([spaced("UBND TỈNH KIÊN GIANG", 104, 56), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 284, 56),
                        spaced("SỞ Y TẾ", 150, 72), spaced("Độc lập - Tự do - Hạnh phúc", 303, 72),
                        spaced("Số: 02 /SYT-GAVI", 122, 112), spaced("Kiên Giang, ngày 6 tháng 3 năm 2018", 323, 111),
                        spaced("-W/\\- bàn giao tài sản kết thúc Dự án", 92, 130)])
    assert (meta.type, meta.subject, meta.reference) == ("Công văn", "bàn giao tài sản kết thúc Dự án", "02/SYT-GAVI")


@pytest.mark.parametrize(("text", "expected"), [
    ("V/v cung cấp số liệu năm 2017.", "cung cấp số liệu năm 2017"),
    ("(V/v quản lý hoạt động giáo viên chủ nhiệm và tư vấn)", "quản lý hoạt động giáo viên chủ nhiệm và tư vấn"),
    ("Về việc thành lập Hội đồng", "Về việc thành lập Hội đồng"),
    ("về việc triển khai nộp thuế", "Về việc triển khai nộp thuế"),
    ("thực hiện kết luận \\ Hội nghị", "thực hiện kết luận Hội nghị"),
    ("Tổ chức đêm nhạc gây quỹ “Xuân yêu thương”", "Tổ chức đêm nhạc gây quỹ “Xuân yêu thương”"),
    ("“Tháng hành động”", "Tháng hành động"),
    ("và việc họp thống nhất một số nội dung", "Về việc họp thống nhất một số nội dung"),  # OCR's slip in "Về"
    (",Vềviệc triển khai nộp thuế điện tử", "Về việc triển khai nộp thuế điện tử"),  # a speck before, a space lost
    # a received stamp's or a publisher's stamp's words read into the title's line
    ("ĐỀN TH Về việc công nhận tỉnh hoàn thành nhiệm vụ", "Về việc công nhận tỉnh hoàn thành nhiệm vụ"),
    ("TRUNG TÂM CÔNG BÁO & TIN HỌC 0.NGÃI Về việc tăng cường", "Về việc tăng cường"),
    ("Quy định chế độ báo cáo Về việc thực hiện", "Quy định chế độ báo cáo Về việc thực hiện"),  # words of its own
    ("việc làm cho thanh niên", "việc làm cho thanh niên"),
])
def test_subject_text(text, expected):
    assert subject_text(text) == expected


def test_recipients_beside_the_label_and_over_lines():
    meta = metadata_of([spaced("UBND TỈNH KIÊN GIANG", 104, 56), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 284, 56),
                        spaced("SỞ Y TẾ", 150, 72), spaced("Độc lập - Tự do - Hạnh phúc", 303, 72),
                        spaced("Số: 12/SYT-NVY", 125, 94), spaced("Kiên Giang, ngày 17 tháng 10 năm 2017", 284, 98),
                        spaced("V/v tập huấn công tác điều trị", 108, 113),
                        spaced("Kính gửi:", 157, 173),
                        spaced("- Giám đốc các bệnh viện đa khoa công lập và ngoài công", 219, 185),
                        spaced("lập trong tỉnh;", 219, 202),
                        spaced("- Giám đốc Trung tâm Y tế có giường bệnh.", 219, 216)])
    assert meta.recipients == ["Giám đốc các bệnh viện đa khoa công lập và ngoài công lập trong tỉnh",
                               "Giám đốc Trung tâm Y tế có giường bệnh"]


def test_a_form_blank_after_kinh_gui_is_no_recipient():
    head = [spaced("BỘ Y TẾ", 104, 56), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 284, 56),
            spaced("Số: 12/BYT-KCB", 125, 94), spaced("Hà Nội, ngày 17 tháng 10 năm 2017", 284, 98),
            spaced("V/v tập huấn", 108, 113)]
    assert metadata_of([*head, spaced("Kính gửi: ……………………7……………………………", 157, 173)]).recipients == []
    assert metadata_of([*head, spaced("Kính gửi: Sở Y tế các tỉnh.", 157, 173)]).recipients == ["Sở Y tế các tỉnh"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Kiên Giang, ngày 02 thẳng 01 năm 2018", ("Kiên Giang", "2018-01-02", True)),  # OCR's slip in "tháng"
    ("_. Kiên Giang, ngày 17 tháng 10 năm 2017", ("Kiên Giang", "2017-10-17", True)),  # specks before the place
    ("Kiên Giang, ngày 2", ("Kiên Giang", None, True)),  # OCR cut the line after the day: the place stands
    ("Sở Y tế, ngày làm việc", (None, None, False)),
    (". Kiên Giang, ngày 0] tháng 02 năm 2018", ("Kiên Giang", "2018-02-01", True)),  # "]" read for the 1
    ("Kiến Giang, 19a) 10 thang 2 nàm 2015", ("Kiến Giang", None, True)),  # a handwritten day: no date
    ("Kiên Giang, ngày 1 tháng I năm 2018", ("Kiên Giang", None, True)),  # a lone look-alike is no month
    ("Hà Nội, , ngày.#† tị tháng 7 năm 2025", ("Hà Nội", None, True)),  # a stroke read as a second comma
    ("Kiên Giang, ngày 2 tháng/(Đ hăm 2 2017", ("Kiên Giang", None, True)),  # the year unread: the place stands
    ("Trong đó, ngày làm việc tháng này", (None, None, False)),  # a sentence is no place
])
def test_date_lines_as_ocr_reads_them(text, expected):
    from directives.patterns import parse_date_line

    assert parse_date_line(text) == expected


def test_scan_slips_in_the_regime_header_and_the_place():
    from directives.pipeline.header import place_as_named, regime_of

    assert regime_of("CỘNG HÒA XÃ HỘI CHỦ NGHĨA YIỆT NAM", ocr=True) == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert regime_of("CỘNG HÒA XÃ HỘI CHỦ NGHĨA YIỆT NAM", ocr=False) is None  # a text layer is as printed
    assert regime_of("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", ocr=True) == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert regime_of("CÔNG ĐOÀN GIÁO DỤC VIỆT NAM", ocr=True) is None
    assert place_as_named("Kiến Giang", ["UBND TỈNH KIÊN GIANG", "SỞ Y TẾ"]) == "Kiên Giang"
    assert place_as_named("Thành phố Hồ Chí Minh", ["ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"]) == "Thành phố Hồ Chí Minh"
    assert place_as_named("Rạch Giá", ["UBND TỈNH KIÊN GIANG"]) == "Rạch Giá"


def test_a_year_no_directive_can_have_is_no_date():
    meta = metadata_of([spaced("UBND TỈNH KIÊN GIANG", 104, 56), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 284, 56),
                        spaced("SỞ Y TẾ", 150, 72), spaced("Độc lập - Tự do - Hạnh phúc", 303, 72),
                        spaced("Số: 12/SYT-VP", 125, 94), spaced("Kiên Giang, ngày 5 tháng 1 năm 2078", 284, 98)])
    assert (meta.place, meta.date) == ("Kiên Giang", None)


def test_an_attachment_from_another_body_is_a_part_of_its_own():
    # class 9: after the letter, the PDF carries the incoming document it forwards, with its own header
    letter = [spaced("UBND TỈNH KIÊN GIANG", 104, 56), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 284, 56),
              spaced("SỞ Y TẾ", 150, 72), spaced("Độc lập - Tự do - Hạnh phúc", 303, 72),
              spaced("Số: 12/SYT-VP", 125, 94), spaced("Kiên Giang, ngày 5 tháng 4 năm 2018", 284, 98),
              spaced("V/v triển khai hệ thống thông tin", 108, 113), *BODY]
    attachment = [spaced("BỘ Y TẾ", 130, 56), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 284, 56),
                  spaced("Độc lập - Tự do - Hạnh phúc", 303, 72), spaced("Số: 6110/QĐ-BYT", 110, 94),
                  spaced("Hà Nội, ngày 29 tháng 12 năm 2017", 290, 98), spaced("QUYẾT ĐỊNH", 270, 140, bold=True),
                  *BODY]
    result = run(document([scan(letter), scan(attachment, number=2)])).result
    assert [(p.pages, p.type, p.reference) for p in result.parts] == [
        ([1], "Công văn", "12/SYT-VP"), ([2], "Quyết định", "6110/QĐ-BYT")]
    meta = result.metadata
    assert (meta.issuer, meta.reference, meta.place, meta.date) == ("SỞ Y TẾ", "12/SYT-VP", "Kiên Giang", "2018-04-05")


def centred(text: str, y: float, centre: float = 307.5, **kw) -> Line:
    width = sum(6.5 * len(t) + 4 for t in text.split()) - 4
    return spaced(text, centre - width / 2, y, **kw)


def test_a_scans_subject_goes_on_over_a_line_ocr_weighed_otherwise():
    # OCR calls one line of a two-line subject bold and the other not, and reads the V of "Về việc"
    # small: the subject is still both lines, opening "Về việc"
    meta = metadata_of([spaced("UỶ BAN NHÂN DÂN", 104, 56, bold=True),
                        spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 284, 56),
                        spaced("TỈNH QUẢNG NGÃI", 104, 72, bold=True), spaced("Độc lập - Tự do - Hạnh phúc", 303, 72),
                        spaced("Số: 05/CT-UBND", 110, 94), spaced("Quảng Ngãi, ngày 15 tháng 4 năm 2020", 300, 98),
                        centred("CHỈ THỊ", 140, bold=True),
                        centred("về việc triển khai nộp thuế điện tử", 156),
                        centred("đối với cá nhân kinh doanh trên địa bàn tỉnh", 172, bold=True)])
    assert (meta.type, meta.subject) == \
        ("Chỉ thị", "Về việc triển khai nộp thuế điện tử đối với cá nhân kinh doanh trên địa bàn tỉnh")


# --- read_header on hand-made blocks ------------------------------------------------------------

def _blocks(left: list[str], right: list[str], ocr: bool = False, conf: float = 0.95):
    """A Document whose first page is a two-column header: `left` and `right` lines as blocks."""
    lines = [line(t, 60, 40 + 18 * k) for k, t in enumerate(left)] + \
        [line(t, 320, 40 + 18 * k) for k, t in enumerate(right)]
    for ln in lines:
        for w in ln.words:
            w.conf = conf
    pg = Page(1, 595.0, 842.0, "ocr" if ocr else "text", lines, [], confidence=conf if ocr else None)
    doc = document([pg])
    zones = ["left"] * len(left) + ["right"] * len(right)
    blocks = [Block("text", 1, z, [ln], ln.text, region=0) for z, ln in zip(zones, lines, strict=True)]
    doc.blocks = blocks
    return doc, list(enumerate(blocks))


HEAD_LEFT = ["UBND TỈNH KIÊN GIANG", "SỞ Y TẾ", "Số: 239/KH-SYT"]
HEAD_RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
              "Kiên Giang, ngày 5 tháng 3 năm 2018"]


def test_read_header_reads_both_columns():
    doc, top = _blocks(HEAD_LEFT, HEAD_RIGHT)
    meta = read_header(doc, top)
    assert (meta.regime_header, meta.parent_organization, meta.issuer) == (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND TỈNH KIÊN GIANG", "SỞ Y TẾ")
    assert (meta.reference, meta.number, meta.symbol) == ("239/KH-SYT", "239", "KH-SYT")
    assert (meta.place, meta.date) == ("Kiên Giang", "2018-03-05")
    assert meta.confidence == {} and doc.result.warnings == []  # a text layer: no OCR confidence


def test_read_header_subject_after_the_number_and_recipients_stop_it():
    left = [*HEAD_LEFT, "V/v tổ chức hội nghị tổng kết", "công tác năm 2017", "Kính gửi: Các phòng"]
    doc, top = _blocks(left, HEAD_RIGHT)
    meta = read_header(doc, top)
    assert meta.subject == "tổ chức hội nghị tổng kết công tác năm 2017"
    assert meta.issuer == "SỞ Y TẾ"


def test_read_header_blank_number_born_digital_keeps_the_reference():
    doc, top = _blocks(["ĐOÀN XÃ PHÚC THỊNH", "Số:     -KH/ĐTN"], HEAD_RIGHT)
    meta = read_header(doc, top)
    assert (meta.reference, meta.number, meta.symbol) == ("-KH/ĐTN", None, "KH/ĐTN")
    assert [(w.code, w.field) for w in doc.result.warnings] == [("number-blank", "number")]


def test_read_header_handwritten_number_on_a_scan_is_null_not_a_guess():
    doc, top = _blocks(["SỞ Y TẾ", "Số:     /KH-SYT"], HEAD_RIGHT, ocr=True)
    meta = read_header(doc, top)
    assert (meta.reference, meta.number) == (None, None)
    assert [w.code for w in doc.result.warnings] == ["number-unreadable"]


def test_read_header_blank_day_and_impossible_year_give_no_date():
    doc, top = _blocks(HEAD_LEFT, [HEAD_RIGHT[0], "Kiên Giang, ngày    tháng 3 năm 2018"])
    meta = read_header(doc, top)
    assert (meta.place, meta.date) == ("Kiên Giang", None)
    assert [w.code for w in doc.result.warnings] == ["date-unreadable"]
    doc, top = _blocks(HEAD_LEFT, [HEAD_RIGHT[0], "Kiên Giang, ngày 5 tháng 3 năm 2078"], ocr=True)
    meta = read_header(doc, top)
    assert meta.date is None
    assert [w.code for w in doc.result.warnings] == ["date-implausible", "date-unreadable"]


def test_read_header_on_a_scan_notes_the_ocr_confidence_of_each_field():
    doc, top = _blocks(HEAD_LEFT, HEAD_RIGHT, ocr=True, conf=0.8)
    meta = read_header(doc, top)
    assert meta.issuer == "SỞ Y TẾ" and meta.number == "239"
    assert meta.confidence["issuer"] == meta.confidence["number"] == meta.confidence["date"] == 0.8


@pytest.mark.parametrize(("symbol", "expected"), [
    ("QĐĐ-UBND", "QĐ-UBND"),  # a letter read twice: the doubled code is none of Decree 30's
    ("KHH-SYT", "KH-SYT"),
    ("QĐ-UBND", "QĐ-UBND"),  # already a code
    ("SYT-NVY", "SYT-NVY"),  # a công văn's symbol has no type code: nothing to undo
    ("TTTT-CNTT", "TTTT-CNTT"),  # doubled letters of its own, and no code they would make
])
def test_type_code_read_with_a_letter_twice(symbol, expected):
    assert type_code_undoubled(symbol) == expected


def test_a_subject_over_four_centred_lines_and_an_appendix_laid_out_otherwise():
    # class 14: a decision's "Về việc …" wraps over four centred lines, the first as wide as the body,
    # and the issuing authority ('BỘ TRƯỞNG BỘ Y TẾ') follows in capitals with no paragraph's gap;
    # many appendix pages with other margins must not move the letter's centre
    from tests.helpers import page

    subject = ["Về việc công bố thủ tục hành chính mới ban hành và bị bãi bỏ lĩnh vực phòng bệnh",
               "quy định tại Nghị định số 148/2025/NĐ-CP ngày 12/6/2025 của Chính phủ và",
               "Thông tư số 19/2025/TT-BYT ngày 15/6/2025 của Bộ trưởng Bộ Y tế",
               "thuộc phạm vi chức năng quản lý của Bộ Y tế"]
    widths = [470.0, 461.0, 414.0, 275.0]
    first = [line("BỘ Y TẾ", 128, 64, 187, bold=True), line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 248, 64, 544, bold=True),
             line("Độc lập - Tự do - Hạnh phúc", 308, 80, 483, bold=True), line("Số: 2093/QĐ-BYT", 100, 111, 214),
             line("Hà Nội, ngày 24 tháng 6 năm 2025", 286, 108, 505), line("QUYẾT ĐỊNH", 273, 144, 366, bold=True)]
    first += [line(t, 320 - w / 2, 166 + 16 * k, 320 + w / 2, bold=True) for k, (t, w) in enumerate(zip(subject, widths, strict=True))]
    first += [line("BỘ TRƯỞNG BỘ Y TẾ", 245, 242, 394, bold=True)]
    first += [line("Căn cứ Nghị định số 42/2025/NĐ-CP ngày 27/02/2025 của Chính phủ quy định chức năng,", 120, 270 + 16 * k, 554)
              if k % 2 == 0 else line("nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Y tế và các đơn vị trực thuộc;", 85, 270 + 16 * k, 554)
              for k in range(10)]
    appendix = [page([line(f"Thủ tục hành chính số {k} về cấp giấy phép hoạt động trong lĩnh vực phòng bệnh", 150, 80 + 16 * k, 560)
                      for k in range(30)], number=n) for n in range(2, 8)]
    meta = run(document([page(first), *appendix])).result.metadata
    assert meta.type == "Quyết định"
    assert meta.subject == " ".join(subject)


def test_a_province_name_ocr_glued_is_parted():
    assert org_text("UBND TỈNH BÌNHDƯƠNG") == "UBND TỈNH BÌNH DƯƠNG"
    assert org_text("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI") == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    assert org_text("SỞ GIÁODỤC") == "SỞ GIÁODỤC", "only places of knowledge.py are parted"


def _born_digital_header(left: list[str], title: list[tuple[str, bool]]) -> list[Line]:
    """A Decree 30 header on a text page: `left` column lines under the issuer, then the title block."""
    lines = [line("UBND TỈNH KIÊN GIANG", 105, 58, 245, 13), line("SỞ Y TẾ", 150, 73, 200, 13, bold=True),
             line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 300, 58, 540, 12, bold=True),
             line("Độc lập - Tự do - Hạnh phúc", 340, 73, 500, 13, bold=True),
             line("Kiên Giang, ngày 06 tháng 11 năm 2017", 320, 100, 530, 13, italic=True)]
    lines += [line(t, 90, 88 + 15 * k, 245, 13) for k, t in enumerate(left)]
    y = 150.0
    for text, bold in title:
        width = min(6.2 * len(text), 455)
        lines.append(line(text, 85 + (455 - width) / 2, y, 85 + (455 + width) / 2, 13, bold=bold))
        y += 16
    lines += [line("Thực hiện kế hoạch công tác năm của ngành, Sở Y tế đề nghị các đơn vị triển khai", 114, y + 10,
                   540, 13),
              line("các nội dung sau đây theo đúng thời gian quy định và báo cáo kết quả thực hiện.", 85, y + 27, 540, 13)]
    return lines


def _header_then(number: str, title: list[tuple[str, bool]], under: list[Line], shift: float, bodies: int = 1,
                 left: list[str] | None = None) -> list[Line]:
    """`_born_digital_header` with `under` set between the title and the body, the body moved down by
    `shift` and repeated `bodies` times (a page's margins need enough body lines)."""
    lines = _born_digital_header([number, *(left or [])], title)
    body = [ln for ln in lines if ln.y0 > 150]
    return [ln for ln in lines if ln.y0 <= 150] + under + [
        line(ln.text, ln.x0, ln.y0 + shift + 40 * k, ln.x1, 13) for k in range(bodies) for ln in body]


def test_a_subject_wrapped_inside_a_symbol_keeps_the_symbol_whole():
    # a narrow left column breaks "QĐ-TTg" after its hyphen: the next line goes on without a space
    from tests.helpers import page

    left = ["Số: 2107/SYT-NVY", "V/v báo cáo 5 năm thực hiện", "Quyết định số 14/2013/QĐ-", "TTg (Lần 2)"]
    meta = run(document([page(_born_digital_header(left, []))])).result.metadata
    assert meta.subject == "báo cáo 5 năm thực hiện Quyết định số 14/2013/QĐ-TTg (Lần 2)"


def test_a_long_bold_subject_filling_the_width_under_the_title():
    # four lines set bold across the full width (a wide font wraps a long subject): no line is short
    # of the margins, as a centred subject's are, yet they are the subject, not a paragraph
    from tests.helpers import page

    subject = ["Về việc công bố thủ tục hành chính mới ban hành và bị bãi bỏ lĩnh vực phòng bệnh quy",
               "định tại Nghị định số 148/2025/NĐ-CP ngày 12/6/2025 của Chính phủ và Thông tư số 19/2025/",
               "TT-BYT ngày 15/6/2025 của Bộ trưởng Bộ Y tế thuộc phạm vi chức năng quản lý nhà nước",
               "của Bộ Y tế trong lĩnh vực y tế dự phòng và các lĩnh vực có liên quan khác của ngành"]
    lines = _header_then("Số: 2093/QĐ-SYT", [("QUYẾT ĐỊNH", True)],
                         [line(text, 85, 168 + 15 * k, 540, 13, bold=True) for k, text in enumerate(subject)], 80)
    meta = run(document([page(lines)])).result.metadata
    assert meta.type == "Quyết định"
    assert meta.subject == " ".join(subject).replace("19/2025/ TT-BYT", "19/2025/TT-BYT")  # wrapped after '/'
    assert "số 148/2025/NĐ-CP" in meta.subject


def test_a_paragraph_filling_the_width_under_the_title_is_no_subject():
    # the same lines not bold: the body's first paragraph, under a title that has no subject
    from tests.helpers import page

    lines = _header_then("Số: 12/TB-SYT", [("THÔNG BÁO", True)], [line(t, 85, 168 + 15 * k, 540, 13) for k, t in enumerate([
        "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về việc tăng cường công tác phòng chống dịch bệnh",
        "trên địa bàn, Sở Y tế thông báo đến các đơn vị trực thuộc nội dung cụ thể như sau đây để các",
        "đơn vị biết và tổ chức triển khai thực hiện nghiêm túc, đúng tiến độ, đúng quy định hiện hành",
        "của Nhà nước và của ngành y tế trong toàn tỉnh, đồng thời báo cáo kết quả về Sở Y tế đúng hạn"])], 80)
    assert run(document([page(lines)])).result.metadata.subject is None


def test_a_date_line_wrapped_in_a_narrow_column_is_one_line():
    # a wide font wraps "…, ngày 02 tháng 01 năm" / "2018": the year stands under it, beside the
    # left column's V/v lines, in another region than the line it ends
    from tests.helpers import page

    lines = [line("UBND TỈNH KIÊN GIANG", 126, 57, 250, 11), line("SỞ Y TẾ", 168, 70, 210, 11, bold=True),
             line("Số: 02/SYT-NVD", 145, 85, 235, 11),
             line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 313, 57, 552, 11, bold=True),
             line("Độc lập - Tự do - Hạnh phúc", 336, 70, 520, 11, bold=True),
             line("Kiên Giang, ngày 02 tháng 01 năm", 310, 91, 540, 12),
             line("V/v báo cáo tồn kho năm 2017 các", 86, 97, 280, 11),
             line("loại thuốc phải kiểm soát đặc", 96, 110, 270, 11), line("2018", 410, 104, 440, 12),
             line("biệt theo quy định hiện hành", 90, 122, 275, 11)]
    body = [line("Thực hiện kế hoạch công tác năm của ngành, Sở Y tế đề nghị các đơn vị triển khai", 114, 200, 540, 13),
            line("các nội dung sau đây theo đúng thời gian quy định và báo cáo kết quả thực hiện.", 85, 217, 540, 13)]
    p = page(lines + body)
    join_wrapped_date(p)
    assert "Kiên Giang, ngày 02 tháng 01 năm 2018" in [ln.text for ln in p.lines] and "2018" not in [ln.text for ln in p.lines]
    meta = run(document([page(lines + body)])).result.metadata
    assert (meta.place, meta.date, meta.reference) == ("Kiên Giang", "2018-01-02", "02/SYT-NVD")
    assert meta.subject == "báo cáo tồn kho năm 2017 các loại thuốc phải kiểm soát đặc biệt theo quy định hiện hành"


def test_a_date_line_wrapped_before_its_month():
    from tests.helpers import page

    p = page([line("Thành phố Hồ Chí Minh, ngày 25 tháng", 280, 105, 540, 12), line("02 năm 2021", 368, 121, 451, 12)])
    join_wrapped_date(p)
    assert [ln.text for ln in p.lines] == ["Thành phố Hồ Chí Minh, ngày 25 tháng 02 năm 2021"]


def test_the_left_columns_words_read_into_the_date_line_are_cut_at_the_gutter():
    # a wide font wraps the issuer ("… XÃ PHÚC" / "THỊNH") and OCR reads its line with the date line
    merged = words_line([("XÃ", 186), ("PHÚC", 209), ("Phúc", 276), ("Thịnh,", 314), ("ngày", 360), ("05", 396),
                         ("tháng", 417), ("01", 459), ("năm", 480), ("2025", 511)], 71)
    assert date_column_start(merged.words) == 2
    plain = words_line([("Kiên", 300), ("Giang,", 333), ("ngày", 376), ("10", 410), ("tháng", 429), ("10", 470),
                        ("năm", 489), ("2017", 518)], 71)
    assert date_column_start(plain.words) is None
    # a narrow gutter, but the two parts stand on different baselines: two rows OCR read as one
    words = words_line([("Thông", 91), ("tư", 133), ("số", 150), ("05/2016/TT-BYT", 167)], 114).words + \
        words_line([("Kiên", 277), ("Giang,", 312), ("ngày", 360), ("10", 395), ("tháng", 416), ("10", 458), ("năm", 479),
                    ("2017", 510)], 107).words
    assert date_column_start(words) == 4


def test_a_line_under_a_date_line_that_is_whole_is_left_alone():
    from tests.helpers import page

    p = page([line("Kiên Giang, ngày 02 tháng 01 năm 2018", 300, 91, 540, 12), line("2019", 410, 104, 440, 12)])
    join_wrapped_date(p)
    assert [ln.text for ln in p.lines] == ["Kiên Giang, ngày 02 tháng 01 năm 2018", "2019"]


def test_recipients_set_in_two_cells_the_first_item_beside_the_label():
    # "Kính gửi:" in a cell of its own, the items in the next: the first item shares the label's line
    # (its bullet glued to the label, 'gửi:-') and its continuation line stands under the bullet
    from tests.helpers import page

    to = [line("Kính gửi:- Phòng Nghiệp vụ Y, phòng TCCB và phòng KHTC Sở", 141, 180, 540, 13),
          line("Y tế;", 199, 196, 230, 13), line("- Các đơn vị trực thuộc tuyến tỉnh;", 199, 212, 420, 13),
          line("- Các Phòng Y tế huyện/thị/thành phố trong tỉnh.", 199, 228, 500, 13)]
    lines = _header_then("Số: 12/SYT-NVY", [], to, 110, left=["V/v kết luận Hội nghị tổng kết"])
    meta = run(document([page(lines)])).result.metadata
    assert meta.recipients == ["Phòng Nghiệp vụ Y, phòng TCCB và phòng KHTC Sở Y tế", "Các đơn vị trực thuộc tuyến tỉnh",
                               "Các Phòng Y tế huyện/thị/thành phố trong tỉnh"]


def test_a_long_centred_subject_whose_lines_nearly_fill_the_width():
    # centred lines that fall just short of the left edge are one subject, not paragraphs apart
    from tests.helpers import page

    subject = ["Về việc công bố thủ tục hành chính mới ban hành và bị bãi bỏ lĩnh vực phòng",
               "bệnh quy định tại Nghị định số 148/2025/NĐ-CP ngày 12/6/2025 của Chính phủ",
               "và Thông tư số 19/2025/TT-BYT ngày 15/6/2025 của Bộ trưởng Bộ Y tế thuộc",
               "phạm vi chức năng quản lý nhà nước của Bộ Y tế"]
    under = [line(text, x0, 168 + 15 * k, 625 - x0, 13, bold=True)
             for k, (text, x0) in enumerate(zip(subject, (88, 95, 92, 190), strict=True))]
    lines = _header_then("Số: 2093/QĐ-BYT", [("QUYẾT ĐỊNH", True)], under, 80, bodies=3)
    assert run(document([page(lines)])).result.metadata.subject == " ".join(subject)


def test_body_names_read_with_other_marks_on_scans():
    # OCR reads a header's capitals with other marks: the words that open a body's name and a
    # council's level are closed lists, and a name wrapped over lines is repaired as one phrase
    from directives.pipeline.header import head_as_printed

    assert head_as_printed("TRƯƠNG ĐH DUY TÂN") == "TRƯỜNG ĐH DUY TÂN"
    assert head_as_printed("UỶ BAN NHÂN DÂN TỈNH") == "UỶ BAN NHÂN DÂN TỈNH"  # either spelling, as printed
    assert head_as_printed("TRẦN VĂN AN") == "TRẦN VĂN AN"
    blocks = [Block("text", 1, "left", [spaced(t, 100, 56 + 15 * k)]) for k, t in enumerate(
        ["BỘ GIÁO DỤC VÀ ĐÀO TẠO", "TRƯƠNG ĐH DUY TÂN"])]
    for b in blocks:
        b.text = b.lines[0].text
    assert lines_to_orgs(blocks, styled=False) == ("BỘ GIÁO DỤC VÀ ĐÀO TẠO", "TRƯỜNG ĐH DUY TÂN")
    blocks = [Block("text", 1, "left", [spaced(t, 100, 56 + 15 * k)]) for k, t in enumerate(
        ["ỦY BAN NHÂN DÂN THÀNH", "PHO HÀ NỘI"])]
    for b in blocks:
        b.text = b.lines[0].text
    assert lines_to_orgs(blocks, styled=False) == (None, "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI")
    meta = metadata_of([spaced("ỦY BAN NHÂN DÂN TÍNH QUẢNG NGÃI", 60, 56), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 300, 56),
                        spaced("Độc lập - Tự do - Hạnh phúc", 330, 72), spaced("Số: 12/UBND-KT", 110, 80),
                        spaced("Quảng Ngãi, ngày 17 tháng 10 năm 2024", 300, 98)])
    assert meta.issuer == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"


def test_header_columns_merged_with_the_regime_headers_first_word_misread():
    # "CỘNG" read "GỘNG": the rest of the regime header still tells where the right column starts
    merged = words_line([("ỦY", 86), ("BAN", 108), ("NHÂN", 134), ("DÂN", 167), ("THÀNH", 194), ("PHỐ", 234),
                         ("GỘNG", 270), ("HÒA", 303), ("XÃ", 330), ("HỘI", 348), ("CHỦ", 372), ("NGHĨA", 396),
                         ("VIỆT", 437), ("NAM", 468)], 56)
    assert column_start(merged.words) == 6
    plain = words_line([("THÀNH", 86), ("ĐOÀN", 130), ("TP", 166), ("HỒ", 184), ("CHÍ", 204), ("MINH", 228)], 56)
    assert column_start(plain.words) is None


def test_a_title_whose_space_ocr_lost_is_still_its_type():
    from directives.knowledge import type_from_name

    assert (type_from_name("TỜTRÌNH"), type_from_name("KẾ HOẠCH"), type_from_name("TỜ TRÌNH")) == \
        ("Tờ trình", "Kế hoạch", "Tờ trình")
    assert type_from_name("TRÌNHTỜ") is None
    meta = metadata_of([spaced("ỦY BAN NHÂN DÂN TỈNH", 90, 55), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 284, 55),
                        spaced("QUẢNG NGÃI", 132, 73), spaced("Độc lập - Tự do - Hạnh phúc", 317, 73),
                        spaced("Số: 24/TTr-UBND", 122, 86), spaced("Quảng Ngãi, ngày 07 tháng 02 năm 2025", 275, 105),
                        spaced("TỜTRÌNH", 270, 148, bold=True),
                        spaced("Về việc miễn nhiệm chức danh Ủy viên", 180, 162, bold=True)])
    assert (meta.type, meta.subject) == ("Tờ trình", "Về việc miễn nhiệm chức danh Ủy viên")


def test_a_department_name_ocr_cut_short_of_its_last_word():
    # 'SỞ Y' opens one name of the closed list of departments, short of its last word: 'SỞ Y TẾ'
    from directives.pipeline.header import department_completed

    assert department_completed("SỞ Y") == "SỞ Y TẾ"
    assert department_completed("BỘ TÀI NGUYÊN VÀ MÔI") == "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG"
    # two names open so ('BỘ CÔNG AN', 'BỘ CÔNG THƯƠNG'), or more than a word is missing: as read
    assert department_completed("BỘ CÔNG") == "BỘ CÔNG"
    assert department_completed("SỞ GIÁO DỤC") == "SỞ GIÁO DỤC"
    assert department_completed("SỞ NÔNG NGHIỆP VÀ") == "SỞ NÔNG NGHIỆP VÀ"
    # a whole name, or a body not on the list, is left alone
    assert department_completed("SỞ Y TẾ") == "SỞ Y TẾ"
    assert department_completed("PHÒNG Y") == "PHÒNG Y"
    # a letter more, less or other, when one name only is that near
    assert department_completed("SỞ VY TẾ") == "SỞ Y TẾ"
    assert department_completed("SỞ TƯ PHÁ") == "SỞ TƯ PHÁP"
    assert department_completed("HỘ Y TẾ") == "HỘ Y TẾ", "a letter from SỞ Y TẾ and from BỘ Y TẾ"
    assert department_completed("BỘ Y TẾ") == "BỘ Y TẾ"
    assert department_completed("SỞ Y TẾ NVY") == "SỞ Y TẾ NVY"
    meta = metadata_of([spaced("UBND TỈNH KIÊN GIANG", 104, 56), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 262, 56),
                        spaced("SỞ Y", 150, 72), spaced("Độc lập - Tự do - Hạnh phúc", 303, 72),
                        spaced("Số: 12/SYT-NVY", 125, 94), spaced("Kiên Giang, ngày 17 tháng 10 năm 2017", 284, 98)])
    assert (meta.parent_organization, meta.issuer) == ("UBND TỈNH KIÊN GIANG", "SỞ Y TẾ")


def test_an_issuer_read_only_as_its_place_is_null():
    # "ỦY BAN NHÂN DÂN" lost on a scan, "TỈNH QUẢNG NGÃI" read: a place, no body's name
    from directives.pipeline.header import is_place_only

    assert is_place_only("TỈNH QUẢNG NGÃI") and is_place_only("THÀNH PHỐ HÀ NỘI") and is_place_only("TP. HỒ CHÍ MINH")
    assert not is_place_only("TỈNH ĐOÀN QUẢNG NGÃI") and not is_place_only("UBND TỈNH QUẢNG NGÃI")
    doc = run(document([scan([spaced("TỈNH QUẢNG NGÃI", 90, 56), spaced("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 300, 56),
                               spaced("Độc lập - Tự do - Hạnh phúc", 330, 72), spaced("Số: 12/UBND-KT", 110, 80),
                               spaced("Quảng Ngãi, ngày 17 tháng 10 năm 2024", 300, 98), *BODY])]))
    assert doc.result.metadata.issuer is None
    assert any(w.code == "issuer-unreadable" for w in doc.result.warnings)
