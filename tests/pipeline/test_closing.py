from directives.extractors.model import Line, Page
from directives.pipeline.closing import (
    lines_to_distribution,
    lines_to_signer,
    looks_like_name,
    restore_deputy_block,
    without_side_note,
)
from directives.pipeline.document import Block
from tests.helpers import line


def test_signer_on_behalf_wrapped_over_two_lines():
    s = lines_to_signer(["TM. BAN THƯỜNG VỤ TỈNH", "ĐOÀN", "BÍ THƯ", "Phan Đình Nhân"])
    assert (s.authority, s.on_behalf_of, s.title, s.name) == ("TM.", "BAN THƯỜNG VỤ TỈNH ĐOÀN", "BÍ THƯ",
                                                              "Phan Đình Nhân")


def test_signer_deputy_and_plain():
    s = lines_to_signer(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "(Đã ký)", "Nguyễn Trúc Giang"])
    assert (s.authority, s.on_behalf_of, s.title, s.name) == ("KT.", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Trúc Giang")
    s = lines_to_signer(["GIÁM ĐỐC", "Lê Hoàng Anh"])
    assert (s.authority, s.on_behalf_of, s.title, s.name) == (None, None, "GIÁM ĐỐC", "Lê Hoàng Anh")


def test_signer_without_name_is_null_not_a_guess():
    s = lines_to_signer(["TM. BAN CHẤP HÀNH", "BÍ THƯ"])
    assert s.name is None and s.title == "BÍ THƯ"


def test_distribution_items_and_continuations():
    lines = ["Nơi nhận:", "- Như trên;", "- Ban Tuyên giáo Tổng LĐLĐVN", "(để b/c);", "- Lưu: VT, TG-NC."]
    assert lines_to_distribution(lines) == ["Như trên", "Ban Tuyên giáo Tổng LĐLĐVN (để b/c)", "Lưu: VT, TG-NC"]
    assert lines_to_distribution(["Không có nhãn", "- Như trên;"]) == []


def test_looks_like_name():
    assert looks_like_name("Phan Đình Nhân")
    assert looks_like_name("NGUYỄN VĂN A")
    assert not looks_like_name("BÍ THƯ 2024")
    assert not looks_like_name("TM. BAN THƯỜNG VỤ")


def test_deputy_block_half_hidden_by_a_seal_is_restored():
    # KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC with "KT." and "PHÓ" under the seal and signature (KH 239/SYT)
    s = lines_to_signer(["-T GIÁM ĐỐC", "“GIÁM ĐỚC,", "Nguyễn Trúc Giang", "f"])
    assert (s.authority, s.on_behalf_of, s.title, s.name) == ("KT.", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Trúc Giang")
    assert restore_deputy_block(["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"]) == (["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"], False)
    assert restore_deputy_block(["-T BỘ TRƯỞNG", "BỘ TRƯỞNG"])[0] == ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"]
    # one title line only: nothing to infer from
    assert restore_deputy_block(["-T GIÁM ĐỐC", "Lê Hoàng Anh"])[1] is False


def test_side_notes_beside_a_brace_or_set_apart_belong_to_no_item():
    def block(text: str, x1: float | None = None) -> Block:
        ln = line(text, 95.0, 750.0, x1)
        return Block("text", 5, "left", [ln], text)

    assert without_side_note(block("- Các phòng CN, các ĐV trực thuộc }wWesse")) == "- Các phòng CN, các ĐV trực thuộc"
    assert without_side_note(block("- Như trên;")) == "- Như trên;"
    wide = line("- Các Sở (để thực hiện)", 95.0, 750.0)
    for w in wide.words[3:]:  # "(để thực hiện)" far right of the item
        w.x0, w.x1 = w.x0 + 60, w.x1 + 60
    assert without_side_note(Block("text", 1, "left", [wide], wide.text)) == "- Các Sở"


def test_signer_name_under_seal_marks_and_validated_on_scans():
    # class 4: the name is the last text line of the block; what follows it is a stroke's marks
    s = lines_to_signer(["Nguyễn Trúc Giang.", "mm"], strict=True)
    assert s.name == "Nguyễn Trúc Giang"
    # smudges read as capitalised words are no name: null, never a guess
    assert lines_to_signer(["GIÁM ĐỐC", "AM ĐÓC"], strict=True).name is None
    assert lines_to_signer(["GIÁM ĐỐC", "Tà Văn Phúc"], strict=True).name is None  # no such family name
    assert lines_to_signer(["GIÁM ĐỐC", "Tà Văn Phúc"]).name == "Tà Văn Phúc"  # a text layer is taken as printed


def test_signer_title_is_a_title_or_nothing_on_scans():
    assert lines_to_signer(["GIÁM ĐỐC Ị", "Lê Hoàng Anh"], strict=True).title == "GIÁM ĐỐC"
    assert lines_to_signer(["CHỦ TỊCH CN", "Trần Ngọc Căng"], strict=True).title == "CHỦ TỊCH"
    assert lines_to_signer(["mm"], strict=True).title is None
    assert lines_to_signer(["hiện có khó khăn, vướng mắc đề nghị"], strict=True).title is None
    # class 6: closed-vocabulary words OCR misread snap to the titles' own words
    assert lines_to_signer(["TRƯỜNG BAN", "Lê Hoàng Anh"], strict=True).title == "TRƯỞNG BAN"
    assert lines_to_signer(["GIÁM. ĐÓC", "Lê Hoàng Anh"], strict=True).title == "GIÁM ĐỐC"
    assert lines_to_signer(["PHÓ GIÁM ĐỐC SỞ NỘI VỤ", "Nguyễn Thị Ngọc Thi"], strict=True).title == "PHÓ GIÁM ĐỐC SỞ NỘI VỤ"


def test_stacked_authorities_sign_under_the_last_for_the_first():
    # class 12: TM. is the body the signer acts for, KT. how they sign
    s = lines_to_signer(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "(Đã ký)", "Nguyễn Văn A"])
    assert (s.authority, s.on_behalf_of, s.title, s.name) == ("KT.", "ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "Nguyễn Văn A")
    s = lines_to_signer(["TM. ỦY BAN NHÂN", "DÂN", "KT.CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"])  # wrapped, glued
    assert (s.authority, s.on_behalf_of, s.title) == ("KT.", "ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH")


def test_published_copy_signature_mark_before_the_name():
    # class 11: "(đã ký)" stands where the signature was; the name follows it, or shares its line
    assert lines_to_signer(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "(đã ký)", "Nguyễn Văn Hải"]).name == "Nguyễn Văn Hải"
    assert lines_to_signer(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "(Đã ký) Nguyễn Văn Hải"]).name == "Nguyễn Văn Hải"
    assert lines_to_signer(["TL. Hiệu trưởng", "Phó Hiệu trưởng", "Võ Thanh Hải", "(đã ký)"]).title == "Phó Hiệu trưởng"


def test_deputy_block_whose_kt_was_misread():
    s = lines_to_signer(["VT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Hà Văn Phúc"], strict=True)
    assert (s.authority, s.title, s.name) == ("KT.", "PHÓ GIÁM ĐỐC", "Hà Văn Phúc")
    s = lines_to_signer(["GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Hà Văn Phúc"], strict=True)  # "KT." written by hand, lost
    assert (s.authority, s.title) == ("KT.", "PHÓ GIÁM ĐỐC")


def test_a_name_ocr_cut_after_the_family_name():
    s = lines_to_signer(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn", "Văn Hải"], strict=True)
    assert (s.title, s.name) == ("PHÓ GIÁM ĐỐC", "Nguyễn Văn Hải")
    s = lines_to_signer(["GIÁM ĐỐC", "Trần", "Thị Lan."], strict=True)
    assert (s.title, s.name) == ("GIÁM ĐỐC", "Trần Thị Lan")
    # a word above that is no family name, or above a whole name, is not joined
    assert lines_to_signer(["GIÁM ĐỐC", "Ký", "Văn An"], strict=True).name == "Văn An"
    assert lines_to_signer(["GIÁM ĐỐC", "Văn", "Lê Văn An"], strict=True).name == "Lê Văn An"


def test_distribution_on_scans_cleaned_of_marks_and_merged_items_split():
    # class 5
    lines = ["Nơi nhận: CỔ", "- Như trên;", "- BGD SYT; Lưu: VT, bcluan.", "Nguyễn Văn Hải"]
    assert lines_to_distribution(lines, ocr=True) == ["Như trên", "BGĐ SYT", "Lưu: VT, bcluan"]
    lines = ["Nơi nhận:", "- Như Điều 3;", "„NVY%", "ˆ Lưu: VT, TCCB."]
    assert lines_to_distribution(lines, ocr=True) == ["Như Điều 3", "NVY", "Lưu: VT, TCCB"]
    lines = ["Nơi nhận:", "- Nhu trên;", "- GD, các PGĐ;", "- Lưu: VT, csthuan. ty Ý"]
    assert lines_to_distribution(lines, ocr=True) == ["Như trên", "GĐ, các PGĐ", "Lưu: VT, csthuan"]
    lines = ["Nơi nhận:", "- Website SYT; 7 -.", "- Lưu: VT."]
    assert lines_to_distribution(lines, ocr=True) == ["Website SYT", "Lưu: VT"]
    # a text layer is taken as printed: "GD" may be Giáo dục there
    assert lines_to_distribution(["Nơi nhận:", "- Sở GD;", "- Lưu: VT."]) == ["Sở GD", "Lưu: VT"]


def test_the_article_item_snapped_with_its_case_as_printed():
    lines = ["Nơi nhận:", "- Như điêu 3;", "- Lưu: VT."]
    assert lines_to_distribution(lines, ocr=True) == ["Như điều 3", "Lưu: VT"]
    lines = ["Nơi nhận:", "- Nhu Điêu 4;", "- Lưu: VT."]
    assert lines_to_distribution(lines, ocr=True) == ["Như Điều 4", "Lưu: VT"]
    lines = ["Nơi nhận:", "- Như điều 3;", "- Lưư: VT, vmthang."]  # the keep item's word misread too
    assert lines_to_distribution(lines, ocr=True) == ["Như điều 3", "Lưu: VT, vmthang"]


def test_signer_block_without_distribution_beside_it():
    # class 13: the last lines of a part, right of the centre, after the body (a schedule, a regulation)
    from directives.pipeline.run import run
    from tests.helpers import document, page

    lines = [line("Điều 5. Quy định này có hiệu lực kể từ ngày ký ban hành và áp dụng cho các đơn vị.", 70, 100, 540),
             line("Các đơn vị thực hiện nghiêm túc các nội dung của quy định này.", 70, 118, 540),
             line("TL. Hiệu trưởng", 423, 351, 540, bold=True), line("Phó Hiệu trưởng", 419, 375, 540, bold=True),
             line("Võ Thanh Hải", 437, 400, 540, bold=True), line("(đã ký)", 461, 424, 540)]
    signer = run(document([page(lines)])).result.metadata.signer
    assert (signer.authority, signer.title, signer.name) == ("TL.", "Phó Hiệu trưởng", "Võ Thanh Hải")


def test_authority_remnant_glued_to_the_title():
    s = lines_to_signer(["T-GIÁM ĐÓC", "GIÁM. ĐỐC", "Nguyễn Trúc Giang"], strict=True)
    assert (s.authority, s.title, s.name) == ("KT.", "PHÓ GIÁM ĐỐC", "Nguyễn Trúc Giang")


def test_name_words_run_together_by_ocr_are_parted_at_the_inner_capital():
    assert lines_to_signer(["GIÁM ĐỐC", "LêHoàng Anh"], strict=True).name == "Lê Hoàng Anh"
    assert lines_to_signer(["GIÁM ĐỐC", "Nguyễn VănHải"], strict=True).name == "Nguyễn Văn Hải"


def test_deputy_block_garbled_under_a_seal_on_scans():
    # the head's title again, garbled: only a deputy signs under it ("KT." lost with the seal)
    s = lines_to_signer(["› GIÁM ĐỐC", "ˆ LÁM ĐỚC", "Nguyễn Văn Hải"], strict=True)
    assert (s.authority, s.title, s.name) == ("KT.", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Hải")
    # "PHÓ" and the title's first letters, after a line of marks
    s = lines_to_signer(["V*Y. GIÁM ĐỐC", "1 Á M", "PFHÓ G Đ", "Hà Văn Phúc"], strict=True)
    assert (s.authority, s.title) == ("KT.", "PHÓ GIÁM ĐỐC")
    # a text layer is taken as printed: no guessing there
    assert lines_to_signer(["GIÁM ĐỐC", "ˆ LÁM ĐỚC", "Hà Văn Phúc"]).authority is None
    # marks under a head's title that spell neither are no deputy
    s = lines_to_signer(["GIÁM ĐỐC", "SƠ", "YTE", "Lê Hoàng Anh"], strict=True)
    assert (s.authority, s.title) == (None, "GIÁM ĐỐC")
    s = lines_to_signer(["CHỦ TỊCH", "Phạm Văn Anh"], strict=True)
    assert (s.authority, s.title, s.name) == (None, "CHỦ TỊCH", "Phạm Văn Anh")
    s = lines_to_signer(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "S4 –", "Trần Hoàng Tuấn"], strict=True)
    assert (s.authority, s.on_behalf_of, s.title) == ("KT.", "CHỦ TỊCH", "PHÓ CHỦ TỊCH")


def test_the_keep_item_and_fixed_items_cleaned_of_ocr_marks():
    from directives.pipeline.distribution import distribution_item, snap_distribution

    def item(text: str) -> str:
        return snap_distribution(distribution_item(text))

    assert item("- Lưu:.VT, kvxuyen.") == "Lưu: VT, kvxuyen"  # a mark after the colon
    assert item("Lưu: VT, .kvxuyen") == "Lưu: VT, kvxuyen"  # … after the comma
    assert item("- Lưu: VT,ntphong (02b).") == "Lưu: VT,ntphong (02b)", "spacing as printed"
    # OCR reads the comma before the drafter's initials as ';': no item opens in lower case
    assert item("- Lưu: VT; bcluan.") == "Lưu: VT, bcluan"
    assert item("- Lưu: VT;ntphong (02b).") == "Lưu: VT,ntphong (02b)"
    assert item("- Lưu: VT; KHTC.") == "Lưu: VT; KHTC", "a unit in capitals after ';': as printed"
    assert item("- Lưu: VT, csthuan, “HT”.") == "Lưu: VT, csthuan, “HT”", "a quoted unit keeps its closing quote"
    assert item("- Như thành phân;") == "Như thành phần"

def _scan_closing(signer_lines: list[tuple[str, float]], unread: list[tuple[float, float, float, float]]):
    """A scanned page whose closing has "Nơi nhận:" on the left and `signer_lines` (text, top) on the
    right, with the boxes OCR saw print in and could not read."""
    from directives.pipeline.run import run
    from tests.helpers import document, page

    lines = [line("Đề nghị các đơn vị thực hiện nghiêm túc nội dung công văn này./.", 70, 600, 540),
             line("Nơi nhận:", 70, 640, 130, bold=True), line("- Như trên;", 70, 655, 130),
             line("- Lưu: VT, NVY.", 70, 670, 150)]
    lines += [line(text, 380, top, 380 + 7.0 * len(text)) for text, top in signer_lines]
    p = page(lines)
    p.source, p.unread = "ocr", unread
    return run(document([p]))


def test_a_head_title_with_print_unread_under_it_is_a_deputy_signing():
    # "KT." written by hand and "PHÓ GIÁM ĐỐC" stamped under the printed "GIÁM ĐỐC", crossed by the seal:
    # OCR reads the head's title and sees a line of print under it that it cannot read
    doc = _scan_closing([("GIÁM ĐỐC", 640), ("Trần Văn Bình", 720)], [(380, 658, 440, 672)])
    s = doc.result.metadata.signer
    assert (s.authority, s.title, s.name) == ("KT.", "PHÓ GIÁM ĐỐC", "Trần Văn Bình")
    assert any(w.code == "ocr-repair" and w.field == "signer.title" for w in doc.result.warnings)


def test_print_unread_elsewhere_or_a_deputy_title_read_changes_nothing():
    # nothing unread under the title (the seal lies lower): the head signs
    s = _scan_closing([("GIÁM ĐỐC", 640), ("Phạm Minh Tâm", 720)], []).result.metadata.signer
    assert (s.authority, s.title) == (None, "GIÁM ĐỐC")
    # print unread far under the title, or beside it: no second title line
    s = _scan_closing([("GIÁM ĐỐC", 640), ("Phạm Minh Tâm", 720)], [(380, 690, 440, 704)]).result.metadata.signer
    assert (s.authority, s.title) == (None, "GIÁM ĐỐC")
    s = _scan_closing([("GIÁM ĐỐC", 640), ("Phạm Minh Tâm", 720)], [(480, 658, 540, 672)]).result.metadata.signer
    assert (s.authority, s.title) == (None, "GIÁM ĐỐC")
    # the deputy's title was read: it stands
    s = _scan_closing([("PHÓ GIÁM ĐỐC", 640), ("Đỗ Quang Vinh", 720)], [(380, 658, 440, 672)]).result.metadata.signer
    assert (s.authority, s.title) == (None, "PHÓ GIÁM ĐỐC")
    # another authority printed ("TL."): the line under it is another office's title, not a deputy's
    s = _scan_closing([("TL. GIÁM ĐỐC", 640), ("Đỗ Quang Vinh", 720)], [(380, 658, 440, 672)]).result.metadata.signer
    assert s.authority == "TL." and s.title != "PHÓ GIÁM ĐỐC"


def test_kt_printed_over_a_deputy_line_ocr_read_only_the_start_of():
    # "KT. GIÁM ĐỐC" read whole, and of the line under it only "PHO": the deputy signs
    s = _scan_closing([("KT. GIÁM ĐỐC", 640), ("PHO", 657), ("Vũ Thị Thu Hà", 720)], []).result.metadata.signer
    assert (s.authority, s.title, s.name) == ("KT.", "PHÓ GIÁM ĐỐC", "Vũ Thị Thu Hà")
    # a line that opens otherwise is no deputy's title
    s = _scan_closing([("GIÁM ĐỐC", 640), ("Sở", 657), ("Phạm Minh Tâm", 720)], []).result.metadata.signer
    assert (s.authority, s.title) == (None, "GIÁM ĐỐC")
    # the stamped "PHÓ" line set so tight that its box overlaps the title's: still the deputy's line,
    # and not part of the body the deputy signs for
    s = _scan_closing([("KT. GIÁM ĐỐC", 640), ("PHÓ", 652), ("Vũ Thị Thu Hà", 720)], []).result.metadata.signer
    assert (s.authority, s.title, s.on_behalf_of) == ("KT.", "PHÓ GIÁM ĐỐC", "GIÁM ĐỐC")
    # a line that far into the title is the same line read twice, no line under it
    s = _scan_closing([("GIÁM ĐỐC", 640), ("PHO", 644), ("Phạm Minh Tâm", 720)], []).result.metadata.signer
    assert (s.authority, s.title) == (None, "GIÁM ĐỐC")


def test_a_title_near_two_without_marks_and_one_with_them():
    from directives.pipeline.closing import fuzzy_title

    # folded, 'HỦ TƯỚNG' is a letter from THỦ TƯỚNG and two from THỦ TRƯỞNG; its marks tell them apart
    assert fuzzy_title("HỦ TƯỚNG") == "THỦ TƯỚNG"
    assert fuzzy_title("HỦ TRƯỞNG") is None, "a letter from THỦ TRƯỞNG, two from VỤ TRƯỞNG even with marks: no guess"
    # the head's title of a title phrase ('THỦ TƯỚNG'), then that title garbled: a deputy signed
    s = lines_to_signer(["HỦ TƯỚNG", "NỮ TƯỚNG"], strict=True)
    assert (s.authority, s.title, s.on_behalf_of) == ("KT.", "PHÓ THỦ TƯỚNG", "THỦ TƯỚNG")


def _closing_pages(second: list[Line]) -> list[Page]:
    """A letter's last page: body, then 'Nơi nhận' beside the signer block at the page's foot."""
    from tests.helpers import page

    first = [line("SỞ Y TẾ", 150, 58, 200, 13, bold=True), line("Số: 12/SYT-NVY", 120, 75, 230, 13),
             line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 300, 58, 540, 12, bold=True),
             line("Độc lập - Tự do - Hạnh phúc", 340, 73, 500, 13, bold=True),
             line("Sở Y tế đề nghị các đơn vị triển khai thực hiện các nội dung nêu trên theo đúng kế hoạch", 114, 600,
                  540, 13),
             line("và báo cáo kết quả về Sở Y tế trước ngày 30 tháng 11 năm 2017 để tổng hợp báo cáo.", 85, 617, 540, 13),
             line("Nơi nhận:", 85, 731, 140, 12, bold=True, italic=True), line("- Như trên;", 85, 744, 150, 11),
             line("- BGĐ SYT;", 85, 757, 150, 11), line("KT. GIÁM ĐỐC", 380, 731, 480, 13, bold=True),
             line("PHÓ GIÁM ĐỐC", 376, 746, 484, 13, bold=True)]
    return [page(first, 1), page(second, 2)]


def test_a_closing_that_runs_over_the_page_break():
    # a wide font or a long list pushes the list's last items and the signer's name onto the next page
    from directives.pipeline.run import run
    from tests.helpers import document

    second = [line("- Website SYT;", 85, 58, 160, 11), line("- Lưu: VT, NVY.", 85, 71, 165, 11),
              line("Hà Văn Phúc", 388, 110, 470, 13, bold=True)]
    meta = run(document(_closing_pages(second))).result.metadata
    assert meta.distribution == ["Như trên", "BGĐ SYT", "Website SYT", "Lưu: VT, NVY"]
    assert (meta.signer.authority, meta.signer.title, meta.signer.name) == ("KT.", "PHÓ GIÁM ĐỐC", "Hà Văn Phúc")


def test_a_closing_finished_on_its_page_takes_nothing_from_the_next():
    from directives.pipeline.run import run
    from tests.helpers import document

    pages = _closing_pages([line("- Các đơn vị báo cáo theo mẫu đính kèm;", 85, 58, 300, 13),
                            line("Nguyễn Văn An", 388, 110, 470, 13, bold=True)])
    pages[0].lines.extend([line("- Lưu: VT, NVY.", 85, 770, 165, 11), line("Hà Văn Phúc", 388, 800, 470, 13, bold=True)])
    meta = run(document(pages)).result.metadata
    assert meta.distribution == ["Như trên", "BGĐ SYT", "Lưu: VT, NVY"]
    assert meta.signer.name == "Hà Văn Phúc"


def test_a_long_item_wrapped_over_three_lines_in_the_list_run_over_the_page():
    from directives.pipeline.run import run
    from tests.helpers import document

    second = [line("- VPCP: BTCN, các PCN, các Trợ lý TTg,", 85, 58, 290, 11),
              line("TGĐ Cổng TTĐT, các Vụ: KTTH, CN,", 85, 71, 285, 11), line("KGVX, QHĐP;", 85, 84, 160, 11),
              line("- Lưu: VT, NN (3).", 85, 110, 180, 11), line("Hà Văn Phúc", 388, 130, 470, 13, bold=True)]
    meta = run(document(_closing_pages(second))).result.metadata
    assert meta.distribution == ["Như trên", "BGĐ SYT", "VPCP: BTCN, các PCN, các Trợ lý TTg, TGĐ Cổng TTĐT, các Vụ: "
                                 "KTTH, CN, KGVX, QHĐP", "Lưu: VT, NN (3)"]
    assert meta.signer.name == "Hà Văn Phúc"


def test_scan_list_repairs_an_abbreviation_cut_in_two_and_the_keep_items_vt():
    from directives.pipeline.distribution import split_abbreviations_joined

    items = lines_to_distribution(["Nơi nhận:", "- Như trên;", "- Website SY T;", "- Lưu: VI, ntphong."], ocr=True)
    assert items == ["Như trên", "Website SY T", "Lưu: VT, ntphong"]
    text = "SỞ Y TẾ Số: 12/SYT-NVY V/v … Nơi nhận: - Như trên; - Website SY T; - Lưu: VI, ntphong."
    assert split_abbreviations_joined(items, text) == ["Như trên", "Website SYT", "Lưu: VT, ntphong"]
    # spelt nowhere else whole, or a piece known alone: left as read
    assert split_abbreviations_joined(["Website SY T"], "Website SY T") == ["Website SY T"]
    assert split_abbreviations_joined(["Sở GD ĐT"], "Sở GD ĐT GDĐT GD") == ["Sở GD ĐT"]


def test_scan_list_drops_marks_read_as_a_short_lower_case_item():
    items = lines_to_distribution(["Nơi nhận:", "th Á", "- Như trên;", "- BGĐ SYT;", "- Lưu: VT, csthuan."], ocr=True)
    assert items == ["Như trên", "BGĐ SYT", "Lưu: VT, csthuan"]
    # an item in capitals, or one long enough to name someone, stays
    items = lines_to_distribution(["Nơi nhận:", "- VP;", "- các đơn vị trực thuộc;", "- Lưu: VT."], ocr=True)
    assert items == ["VP", "các đơn vị trực thuộc", "Lưu: VT"]


def test_scan_list_parts_two_abbreviations_ocr_glued():
    from directives.pipeline.distribution import split_abbreviations_joined

    text = "SỞ Y TẾ Số: 12/SYT-NVY V/v … Nơi nhận: - Như trên; - BGĐSYT; - Website SYT; - Lưu: VT."
    items = ["Như trên", "BGĐSYT", "Website SYT", "Lưu: VT"]
    assert split_abbreviations_joined(items, text) == ["Như trên", "BGĐ SYT", "Website SYT", "Lưu: VT"]
    # an abbreviation the document spells elsewhere whole, or one no cut makes two known ones of: as read
    assert split_abbreviations_joined(["BGĐSYT"], "Số: 12/BGĐSYT BGĐSYT SYT") == ["BGĐSYT"]
    assert split_abbreviations_joined(["UBMTTQ"], "SYT-NVY UBMTTQ") == ["UBMTTQ"]
    assert split_abbreviations_joined(["HĐND tỉnh"], "HĐ ND") == ["HĐND tỉnh"]


def test_a_common_family_name_read_with_other_marks_on_scans():
    # "Trần" read "Trân": the letters of one of the common family names, and of no other family name
    assert lines_to_signer(["CHỦ TỊCH", "Trân Ngọc Căng"], strict=True).name == "Trần Ngọc Căng"
    assert lines_to_signer(["CHỦ TỊCH", "Nguyên Văn Hải"], strict=True).name == "Nguyễn Văn Hải"
    # a rarer one ("Tạ") is never guessed from a smudge ("Tà" for Hà)
    assert lines_to_signer(["GIÁM ĐỐC", "Tà Văn Phúc"], strict=True).name is None


def test_a_deputy_signing_for_the_head_whose_own_title_was_not_legible():
    # "KT. GIÁM ĐỐC" read, the deputy's title under it lost to the seal: only "PHÓ GIÁM ĐỐC" signs so
    doc = _scan_closing([("KT. GIÁM ĐỐC", 640), ("Đỗ Quang Vinh", 720)], [])
    s = doc.result.metadata.signer
    assert (s.authority, s.on_behalf_of, s.title, s.name) == ("KT.", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Đỗ Quang Vinh")
    assert any(w.code == "ocr-repair" and w.field == "signer.title" for w in doc.result.warnings)
    # a chairman's deputy may sign "PHÓ CHỦ TỊCH THƯỜNG TRỰC": no title rather than a short one
    s = _scan_closing([("KT. CHỦ TỊCH", 640), ("Đỗ Quang Vinh", 720)], []).result.metadata.signer
    assert (s.authority, s.title) == ("KT.", None)
    # another authority ("TL."): the signer's own title cannot be told
    s = _scan_closing([("TL. GIÁM ĐỐC", 640), ("Đỗ Quang Vinh", 720)], []).result.metadata.signer
    assert (s.authority, s.title) == ("TL.", None)
