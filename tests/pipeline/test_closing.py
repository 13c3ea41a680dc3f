from directives.pipeline.closing import lines_to_distribution, lines_to_signer, looks_like_name


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
