from directives.pipeline.closing import (
    lines_to_distribution,
    lines_to_signer,
    looks_like_name,
    restore_deputy_block,
    without_side_note,
)
from directives.pipeline.document import Block
from tests.conftest import line


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
