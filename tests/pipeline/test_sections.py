from directives.pipeline.layout import layout
from directives.pipeline.normalize import normalize
from directives.pipeline.numbering import parse_numbering
from directives.pipeline.parts import parts
from directives.pipeline.sections import sections
from tests.helpers import document, line, page


def _run(lines):
    doc = document([page(lines)])
    for stage in (normalize, layout, parts, sections):
        doc = stage(doc)
    return doc.result


def test_numbering_styles_give_levels_and_parents():
    result = _run([
        line("I. MỤC ĐÍCH, YÊU CẦU", 114, 100, 300, bold=True),
        line("1. Mục đích", 114, 120, 250, bold=True),
        line("- Nâng cao nhận thức của đoàn viên.", 114, 140, 400),
        line("- Tạo phong trào thi đua.", 114, 160, 350),
        line("1.1. Nội dung chi tiết", 114, 180, 300, bold=True),
        line("II. TỔ CHỨC THỰC HIỆN", 114, 200, 320, bold=True),
    ])
    got = [(s.number, s.level, s.title) for s in result.sections]
    assert got == [("I", 1, "MỤC ĐÍCH, YÊU CẦU"), ("1", 2, "Mục đích"), ("1.1", 3, "Nội dung chi tiết"),
                   ("II", 1, "TỔ CHỨC THỰC HIỆN")]
    ids = {s.number: s.id for s in result.sections}
    parents = {s.number: s.parent_id for s in result.sections}
    assert parents == {"I": None, "1": ids["I"], "1.1": ids["1"], "II": None}
    assert result.sections[1].bullets == ["Nâng cao nhận thức của đoàn viên.", "Tạo phong trào thi đua."]


def test_label_heading_without_bold_keeps_colon_and_text():
    result = _run([
        line("1. Thành phần: Lãnh đạo các đơn vị trực thuộc.", 114, 100, 500),
        line("2. Thời gian: 8 giờ ngày 10/01/2018.", 114, 130, 450),
    ])
    got = [(s.number, s.title, s.text) for s in result.sections]
    assert got == [("1", "Thành phần:", "Lãnh đạo các đơn vị trực thuộc."), ("2", "Thời gian:", "8 giờ ngày 10/01/2018.")]


def test_long_numbered_paragraph_is_not_a_heading():
    result = _run([
        line("1. " + "Các đơn vị tổ chức triển khai thực hiện nghiêm túc nội dung " * 4 + "theo kế hoạch.",
             85, 100, 540),
    ])
    assert result.sections == []
    assert result.parts[0].text.startswith("1. Các đơn vị")


def test_numbering_styles():
    parsed = [parse_numbering(f"{n}. X") or parse_numbering(f"{n}) x")
              for n in ("II", "3", "3.1", "3.1.2", "a", "Điều 1", "Phần I")]
    assert [n.style if n else None for n in parsed] == [
        "roman", "arabic", "arabic2", "arabic3", "alpha", "article", "part"]


def test_article_without_title_keeps_its_content_as_text():
    result = _run([line("Điều 1: Thành lập Hội đồng Sáng kiến cấp cơ sở năm 2017, gồm ông/ bà:", 114, 100, 500),
                   line("Điều 2: Hội đồng có nhiệm vụ tổ chức đánh giá các sáng kiến.", 114, 130, 500)])
    assert [(s.number, s.title, s.text[:16]) for s in result.sections] == [
        ("Điều 1", "", "Thành lập Hội đồ"), ("Điều 2", "", "Hội đồng có nhiệ")]


def test_ocr_roman_lookalikes_read_in_sequence_only():
    lines = [line("L. Mục tiêu", 84, 100, 200), line("H. Nội dung kế hoạch:", 84, 130, 260),
             line("HI. Tổ chức thực hiện", 84, 160, 260), line("H. Không phải số La Mã", 84, 190, 300)]
    for ln in lines:
        for w in ln.words:
            w.conf = 0.9  # read by OCR
    result = _run(lines)
    assert [(s.number, s.title) for s in result.sections] == [
        ("I", "Mục tiêu"), ("II", "Nội dung kế hoạch:"), ("III", "Tổ chức thực hiện")]
    assert sum(w.code == "ocr-heading-number" for w in result.warnings) == 3


def test_ocr_roman_sequence_neither_skips_nor_repeats():
    # KH 239/SYT as OCR read it: I → "1.", II → "IH.", III → "II."
    lines = [line("1. Mục tiêu", 84, 100, 150), line("IH. Nội dung kế hoạch:", 84, 130, 260),
             line("1. Đấu thầu mua thuốc:", 84, 160, 230), line("2. Đấu thầu mua vật tư:", 84, 190, 230),
             line("II. Tổ chức thực hiện", 84, 220, 260), line("1. Sở Y tế:", 84, 250, 150),
             line("IV. Phạm vi áp dụng:", 84, 280, 220)]
    for ln in lines:
        for w in ln.words:
            w.conf = 0.9
    result = _run(lines)
    assert [(s.number, s.title) for s in result.sections if s.level == 1] == [
        ("I", "Mục tiêu"), ("II", "Nội dung kế hoạch:"), ("III", "Tổ chức thực hiện"), ("IV", "Phạm vi áp dụng:")]
    assert [s.number for s in result.sections if s.level == 2] == ["1", "2", "1"]
    for ln in lines:  # a text layer is never re-read
        for w in ln.words:
            w.conf = 1.0
    assert [s.number for s in _run(lines).sections if s.level == 1] == ["II", "IV"]  # as printed


def _ocr(lines, conf=0.9):
    for ln in lines:
        for w in ln.words:
            w.conf = conf  # read by OCR
    return lines


def _heads(result, level=None):
    return [(s.number, s.title) for s in result.sections if level is None or s.level == level]


def test_ordinal_parts_lettered_headings_and_their_levels():
    result = _run([
        line("PHẦN THỨ NHẤT", 250, 100, 360, bold=True),
        line("I. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN", 114, 130, 400, bold=True),
        line("Các đơn vị đã triển khai đầy đủ.", 114, 150, 330),
        line("PHẦN THỨ HAI TỔNG KẾT CÁC ĐỀ ÁN", 200, 180, 420, bold=True),
        line("A. ĐỀ ÁN ĐÀO TẠO Ở NƯỚC NGOÀI", 114, 210, 380, bold=True),
        line("I. KẾT QUẢ THỰC HIỆN", 114, 240, 300, bold=True),
        line("1. Những mặt làm được", 114, 270, 280, bold=True),
        line("Đã cử 20 cán bộ đi học.", 114, 290, 300),
        line("B. ĐỀ ÁN ĐÀO TẠO SAU ĐẠI HỌC", 114, 320, 360, bold=True),
        line("C. CHÍNH SÁCH CỬ TUYỂN", 114, 350, 320, bold=True),
    ])
    got = [(s.number, s.level) for s in result.sections]
    assert got == [("PHẦN THỨ NHẤT", 1), ("I", 3), ("PHẦN THỨ HAI", 1), ("A", 2), ("I", 3), ("1", 4), ("B", 2),
                   ("C", 2)]  # C after B is the third letter, not the roman one hundred
    assert result.sections[2].title == "TỔNG KẾT CÁC ĐỀ ÁN"


def test_dash_slash_and_misread_comma_numbers():
    result = _run([
        line("1. Thành phần", 114, 100, 200, bold=True),
        line("- Lãnh đạo các đơn vị;", 114, 120, 260),
        line("2- Thời gian: 8 giờ ngày 10/01/2018.", 114, 140, 400),
        line("3/ Địa điểm: Hội trường Sở Y tế.", 114, 160, 380),
        line("4,Kinh phí: Ban tổ chức thanh toán.", 114, 180, 390),
    ])
    assert _heads(result) == [("1", "Thành phần"), ("2", "Thời gian:"), ("3", "Địa điểm:"), ("4", "Kinh phí:")]


def test_run_in_paragraphs_of_a_run_opened_by_a_heading_alone_on_its_line():
    # a giấy mời: '1. Thành phần' stands alone, '2.'/'3.' run their label into the sentence
    result = _run([
        line("1. Thành phần", 114, 100, 200, bold=True),
        line("- Lãnh đạo Sở Y tế;", 114, 120, 250),
        line("2. Thời gian buổi sáng ngày 09/01/2018, bắt đầu lúc 08 giờ.", 114, 140, 520),
        line("3. Địa điểm Hội trường lớn Sở Y tế.", 114, 160, 400),
    ])
    assert [(s.number, s.title, s.text[:11]) for s in result.sections] == [
        ("1", "Thành phần", "- Lãnh đạo "), ("2", "", "Thời gian b"), ("3", "", "Địa điểm Hộ")]


def test_numbered_lists_are_not_headings():
    result = _run([
        line("Điều 1. Thành lập Đoàn kiểm tra gồm các ông, bà có tên sau:", 114, 100, 500, bold=False),
        line("1. Ông Nguyễn Văn An, Phó Giám đốc Sở Y tế, Trưởng đoàn;", 114, 120, 500),
        line("2. Ông Lâm Tường Minh, Phó Giám đốc Trung tâm, Phó trưởng đoàn;", 114, 140, 520),
        line("3. Bà Trần Thị Huệ, Chuyên viên, Thư ký.", 114, 160, 400),
        line("Điều 2. Đoàn có nhiệm vụ kiểm tra các đơn vị.", 114, 190, 450),
        line("1. Một đơn xin tham dự.", 114, 210, 300),
        line("2. Danh sách đội bóng.", 114, 230, 300),
        line("3. Giấy khám sức khỏe.", 114, 250, 300),
    ])
    assert [s.number for s in result.sections] == ["Điều 1", "Điều 2"]
    assert "1. Ông Nguyễn Văn An" in result.sections[0].text


def test_numbers_that_start_again_under_the_same_heading_are_a_list():
    result = _run([
        line("1. Chứng từ thanh toán chi phí đi lại:", 114, 100, 350, bold=True),
        line("Vé tàu, vé xe và hóa đơn thuê xe.", 114, 120, 330),
        line("2. Lưu ý:", 114, 140, 170, bold=True),
        line("Các thông tin bắt buộc ghi trong hoá đơn:", 114, 160, 360, bold=True),
        line("1. Ngày tháng năm xuất hoá đơn: (ghi đầy đủ)", 130, 180, 420),
        line("2. Tên người mua hàng: (người trực tiếp mua)", 130, 200, 420),
        line("3. Đơn vị: Sở Y tế Kiên Giang", 130, 220, 360),
    ])
    assert _heads(result) == [("1", "Chứng từ thanh toán chi phí đi lại:"), ("2", "Lưu ý:")]
    assert "3. Đơn vị" in result.sections[1].text


def test_form_fields_are_not_headings():
    result = _run([
        line("1. Tên tổ chức: ………………………… (Ghi chữ in hoa)", 114, 100, 450),
        line("2. Người đại diện: ……………… Chức vụ: ………", 114, 120, 450),
        line("3. Địa chỉ: ……………………………………", 114, 140, 450),
        line("1. Đội bóng đăng ký màu trang phục thi", 114, 180, 360),
        line("2. Trưởng đoàn:", 114, 200, 200),
        line("3. Huấn luyện viên:", 114, 220, 220),
        line("4. Danh sách cầu thủ", 114, 240, 240),
        line("Chúng tôi cam kết tuân thủ Điều lệ Giải.", 114, 260, 360),
    ])
    assert result.sections == []


def test_ocr_part_and_article_words_as_misread():
    result = _run(_ocr([
        line("PHẢN I. THÔNG TIN TỔNG QUÁT", 84, 100, 300, bold=True),
        line("- Dân số của tỉnh", 100, 120, 250),
        line("PHẢN H. SỐ LIỆU TẠI CÁC CƠ SỞ", 84, 140, 320, bold=True),
        line("- Nhân lực", 100, 160, 200),
        line("PHÀN IV. HOẠT ĐỘNG NHA HỌC ĐƯỜNG Phụ trách chương trình (Họ tên)", 84, 180, 540),
    ]))
    assert _heads(result) == [("PHẦN I", "THÔNG TIN TỔNG QUÁT"), ("PHẦN II", "SỐ LIỆU TẠI CÁC CƠ SỞ"),
                              ("PHẦN IV", "HOẠT ĐỘNG NHA HỌC ĐƯỜNG")]
    assert result.sections[2].text == "Phụ trách chương trình (Họ tên)"
    assert sum(w.code == "ocr-heading-number" for w in result.warnings) == 3  # each number read otherwise
    articles = _run(_ocr([line("Điêu 1. Thành lập Đoàn kiểm tra.", 84, 100, 400),
                          line("Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", 84, 130, 450)]))
    assert [s.number for s in articles.sections] == ["Điều 1", "Điều 2"]
    plain = _run([line("PHẢN I. THÔNG TIN TỔNG QUÁT", 84, 100, 300, bold=True)])  # a text layer: as printed
    assert plain.sections == []


def test_ocr_roman_sequence_whose_beginning_is_lost():
    # the first page is not in the text: 'II.' is read 'H.', 'III.' 'IH.'; a long '1.' paragraph is not 'I.'
    lines = _ocr([
        line("H. NỘI DUNG", 84, 100, 200, bold=True),
        line("1. Rà soát, kiện toàn tổ chức bộ máy, chức năng nhiệm vụ, bố trí bảo đảm 100% UBND xã,", 84, 120, 540),
        line("phường có công chức, viên chức có bằng chuyên môn về công nghệ thông tin thực hiện.", 84, 136, 540),
        line("IH. TỔ CHỨC THỰC HIỆN", 84, 160, 260, bold=True),
        line("1. Giao Sở Khoa học và Công nghệ", 84, 180, 300, bold=True),
        line("IV. NGUỒN LỰC VÀ KINH PHÍ", 84, 200, 300, bold=True),
    ])
    result = _run(lines)
    assert _heads(result, level=1) == [("II", "NỘI DUNG"), ("III", "TỔ CHỨC THỰC HIỆN"), ("IV", "NGUỒN LỰC VÀ KINH PHÍ")]


def test_ocr_bold_roman_heading_that_lost_its_dot():
    lines = _ocr([
        line("VI. Danh sách Đoàn kiểm tra:", 132, 100, 320, bold=True),
        line("Đính kèm Quyết định.", 100, 120, 250),
        line("VII. Kinh phí", 132, 140, 220, bold=True),
        line("VI Tổ chức thực hiện:", 132, 170, 280, bold=True),
        line("1. Các đơn vị:", 132, 190, 220, bold=True),
        line("- Tổ chức tự kiểm tra.", 100, 210, 250),
    ])
    result = _run(lines)
    assert _heads(result, level=1) == [("VI", "Danh sách Đoàn kiểm tra:"), ("VII", "Kinh phí"),
                                       ("VIII", "Tổ chức thực hiện:")]
    assert _heads(result, level=2) == [("1", "Các đơn vị:")]


def test_ocr_speck_before_a_number():
    lines = _ocr([
        line("1. Ghi các thành phần trên Biên bản:", 130, 100, 380, bold=True),
        line("- Đại diện Lãnh đạo.", 100, 120, 250),
        line("2. Ký tên, đóng dấu:", 130, 140, 260, bold=True),
        line("- Lãnh đạo ký tên.", 100, 160, 250),
        line(".4. Thời gian hoàn thành: Sau khi ký.", 92, 180, 380),
    ])
    assert [s.number for s in _run(lines).sections] == ["1", "2", "4"]


def test_a_line_that_opens_a_number_inside_a_paragraph_starts_a_section():
    result = _run([
        line("1. Thành phần:", 110, 100, 220, bold=True),
        line("- Đại diện Lãnh đạo Phòng Y tế huyện, thị xã, thành phố trong tỉnh, Trung tâm Y tế;", 77, 118, 540),
        line("2- Thời gian: 01 ngày, bắt đầu lúc 07 giờ 30 phút ngày 20/11/2017.", 77, 134, 520),
    ])
    assert [(s.number, s.title) for s in result.sections] == [("1", "Thành phần:"), ("2", "Thời gian:")]


def test_capital_title_that_runs_over_lines_is_whole():
    result = _run([
        line("A. THÔNG TIN CHUNG", 90, 100, 240, bold=True),
        line("Tên đơn vị: Sở Y tế.", 90, 120, 250),
        line("B. NHẬN THỨC VÀ THỰC HIỆN CÁC QUY ĐỊNH CỦA THÔNG TƯ", 88, 140, 492, bold=True),
        line("02/2009/TT-BYT TRONG TRƯỜNG HỢP NGƯỜI CHẾT DO NGUYÊN", 106, 156, 513, bold=True),
        line("NHÂN THÔNG THƯỜNG", 105, 172, 256, bold=True),
        line("Khoanh tròn những ý lựa chọn.", 105, 190, 279),
    ])
    assert _heads(result) == [("A", "THÔNG TIN CHUNG"), ("B", "NHẬN THỨC VÀ THỰC HIỆN CÁC QUY ĐỊNH CỦA THÔNG TƯ "
                                                             "02/2009/TT-BYT TRONG TRƯỜNG HỢP NGƯỜI CHẾT DO NGUYÊN "
                                                             "NHÂN THÔNG THƯỜNG")]
    assert result.sections[1].text == "Khoanh tròn những ý lựa chọn."


def test_heading_that_a_two_column_stretch_put_in_its_left_column():
    # OCR cut a line in two at the top of the page; the rows under it stay in that two-column stretch
    result = _run([
        line("tử vong trẻ em dưới 1 tuổi là", 85, 100, 260),
        line("tỷ suất tử vong trẻ em dưới 5 tuổi là", 330, 100, 540),
        line("2.2. Tổ chức bộ máy và nhân lực y tế", 85, 120, 290, bold=True),
        line("Các đơn vị y tế tuyến tỉnh gồm có một bệnh viện đa khoa tỉnh và các trung tâm chuyên ngành.",
             85, 140, 540),
    ])
    assert _heads(result) == [("2.2", "Tổ chức bộ máy và nhân lực y tế")]


def test_ocr_first_roman_number_misread_before_the_second():
    lines = _ocr([
        line("IL. MỤC TIÊU, YÊU CẦU", 84, 100, 260, bold=True),
        line("- Bảo đảm cung cấp đầy đủ thông tin.", 100, 120, 330),
        line("H. NỘI DUNG", 84, 140, 200, bold=True),
        line("Để hỗ trợ các xã, phường nâng cao hiệu quả.", 100, 160, 360),
    ])
    assert _heads(_run(lines)) == [("I", "MỤC TIÊU, YÊU CẦU"), ("II", "NỘI DUNG")]


def test_group_rows_of_a_form_grid_go_on_with_the_roman_headings():
    from directives.pipeline.document import Block, Grid
    from directives.pipeline.sections import body_blocks

    doc = document([page([line("I. Thông tin hành chính", 46, 100, 200, bold=True)])])
    for stage in (normalize, layout, parts):
        doc = stage(doc)
    grid = Grid(1, 40, 130, 550, 300, [40, 80, 300, 550],
                [["1", "Tên cơ sở", ""], ["", "II. Lượng nước sử dụng", ""], ["2", "Nước cấp (m3)", "120"],
                 ["", "I. Không phải nhóm tiếp theo", ""], ["", "III.Chất thải rắn y tế", ""]],
                [False, True, False, True, True])
    doc.blocks.append(Block("table", 1, "full", grid=grid, pages=[1]))
    doc.spans[0].end = len(doc.blocks)
    assert [b.text for b in body_blocks(doc, 0)] == ["I. Thông tin hành chính", "II. Lượng nước sử dụng",
                                                       "III.Chất thải rắn y tế"]


def test_a_form_grid_opening_with_its_first_group_row_starts_the_roman_headings():
    from directives.pipeline.document import Block, Grid
    from directives.pipeline.sections import body_blocks

    doc = document([page([line("PHIẾU CUNG CẤP THÔNG TIN", 46, 100, 200, bold=True)])])
    for stage in (normalize, layout, parts):
        doc = stage(doc)
    rows = [["", "I. Thông tin hành chính", ""], ["1", "Tên cơ sở", ""], ["", "II. Lượng nước sử dụng", ""],
            ["2", "Nước cấp (m3)", "120"]]
    doc.blocks.append(Block("table", 1, "full", grid=Grid(1, 40, 130, 550, 300, [40, 80, 300, 550], rows,
                                                           [True, False, True, False]), pages=[1]))
    doc.spans[0].end = len(doc.blocks)
    assert [b.text for b in body_blocks(doc, 0)][-2:] == ["I. Thông tin hành chính", "II. Lượng nước sử dụng"]
    # an 'I.' row further down a grid, with no roman heading before it, is no heading
    doc.blocks[-1].grid.rows = [rows[1], *rows[:1], *rows[2:]]
    doc.blocks[-1].grid.bold_rows = [False, True, True, False]
    assert "I. Thông tin hành chính" not in [b.text for b in body_blocks(doc, 0)]


def test_lists_of_people_rules_and_questions_are_not_headings():
    people = _run([
        line("Điều 1. Thành lập Hội đồng Sáng kiến cấp cơ sở năm 2017, gồm các ông, bà:", 84, 100, 520),
        line("1. TS.BS. Hà Văn Phúc, Phó Giám đốc Sở Y tế - Chủ tịch Hội đồng", 84, 120, 480),
        line("2. ThS.DS. Đỗ Thiện Tùng, Trưởng phòng Tổ chức cán bộ", 84, 140, 430),
        line("3. Bà Lý Ánh Loan, Trưởng khoa Điều trị", 84, 160, 360),
        line("Điều 2. Hội đồng có nhiệm vụ tổ chức đánh giá các sáng kiến.", 84, 190, 480),
    ])
    assert [s.number for s in people.sections] == ["Điều 1", "Điều 2"]
    rules = _run([
        line("VIII. NHỮNG QUY ĐỊNH CỦA BAN TỔ CHỨC:", 117, 100, 340, bold=True),
        line("1. Các đội tham dự giải phải tự túc kinh phí ăn ở và đi lại trong suốt quá trình thi đấu, lệ phí: "
             "1.500.000 đồng.", 84, 120, 540),
        line("2. Các đội đến trễ quá 10 phút so với thời gian quy định sẽ bị xử thua 03 bàn.", 84, 140, 540),
        line("3. Khu vực kỹ thuật chỉ dành cho các thành viên trong danh sách đã đăng ký với Ban tổ chức gồm: "
             "Trưởng đoàn, Huấn luyện viên.", 84, 160, 540),
        line("4. Khiếu nại: Chỉ có trưởng đoàn mới có quyền khiếu nại bằng văn bản.", 84, 180, 540),
        line("5. Điều lệ này có hiệu lực từ ngày ký.", 84, 200, 330),
    ])
    assert _heads(rules) == [("VIII", "NHỮNG QUY ĐỊNH CỦA BAN TỔ CHỨC:")]
    survey = _run([
        line("A. NHẬN THỨC VÀ THỰC HIỆN CÁC QUY ĐỊNH", 88, 100, 380, bold=True),
        line("1. Theo anh/chị thông tư quy định lĩnh vực nào sau đây:", 88, 120, 420),
        line("2. Anh/chị đã nghe nói đến các bệnh truyền nhiễm nhóm A chưa?", 88, 140, 460),
        line("3. Đơn vị anh/chị có thực hiện quan trắc môi trường định kỳ không?", 88, 160, 470),
    ])
    assert _heads(survey) == [("A", "NHẬN THỨC VÀ THỰC HIỆN CÁC QUY ĐỊNH")]


def test_lettered_points_are_headings_one_by_one():
    result = _run([
        line("1. Phòng chống dịch", 114, 100, 260, bold=True),
        line("a) Cúm A H5N1", 130, 120, 230, bold=True),
        line("Theo dõi chặt chẽ các ổ dịch.", 114, 140, 330),
        line("b) Dịch hạch", 130, 160, 220),
        line("c) Đậu mùa", 130, 180, 220),
    ])
    assert _heads(result) == [("1", "Phòng chống dịch"), ("a", "Cúm A H5N1")]


def test_part_title_on_the_lines_under_its_number():
    result = _run([
        line("PHẦN THỨ HAI", 260, 100, 350, bold=True),
        line("TỔNG KẾT CÁC ĐỀ ÁN VỀ ĐÀO TẠO", 200, 118, 420, bold=True, size=15),
        line("NHÂN LỰC Ở NƯỚC NGOÀI", 230, 136, 390, bold=True, size=16),
        line("Tỉnh đã triển khai hai đề án đào tạo nhân lực ở nước ngoài.", 84, 160, 460),
    ])
    assert _heads(result) == [("PHẦN THỨ HAI", "TỔNG KẾT CÁC ĐỀ ÁN VỀ ĐÀO TẠO NHÂN LỰC Ở NƯỚC NGOÀI")]


def test_ocr_first_heading_read_as_1_with_the_next_heading_joined_to_it():
    lines = _ocr([
        line("1. QUY ĐỊNH CHUNG", 84, 100, 230, bold=True),
        line("1.Phạm vi điều chỉnh", 84, 118, 240, bold=True),
        line("Quyết định này hướng dẫn xây dựng hệ thống thông tin.", 84, 136, 440),
        line("II. HƯỚNG DẪN CHỨC NĂNG HỆ THỐNG", 84, 160, 360, bold=True),
        line("1. Quản lý công tác dân số", 84, 180, 300, bold=True),
        line("Hệ thống quản lý thông tin nhân khẩu.", 84, 198, 380),
        line("II. HẠ TẦNG KỸ THUẬT", 84, 220, 280, bold=True),
        line("IV. TỔ CHỨC THỰC HIỆN", 84, 240, 280, bold=True),
    ])
    result = _run(lines)
    assert _heads(result, level=1) == [("I", "QUY ĐỊNH CHUNG"), ("II", "HƯỚNG DẪN CHỨC NĂNG HỆ THỐNG"),
                                       ("III", "HẠ TẦNG KỸ THUẬT"), ("IV", "TỔ CHỨC THỰC HIỆN")]
    assert _heads(result, level=2) == [("1", "Phạm vi điều chỉnh"), ("1", "Quản lý công tác dân số")]


def test_ocr_division_number_read_from_the_two_around_it():
    """'PHẢN II.' between PHẦN II and PHẦN IV is PHẦN III (OCR lost a stroke), 'Điều 7.' between
    Điều 1 and Điều 3 is Điều 2; a repeat with no neighbour two apart, and a text layer, stand as printed."""
    def parts_lines():
        return [line("PHẦN I. THÔNG TIN HÀNH CHÍNH", 74, 100, 268, bold=True),
                line("Đánh dấu X vào ô trống.", 74, 130, 300),
                line("PHẢN II. LƯỢNG NƯỚC SỬ DỤNG", 74, 160, 262, bold=True),
                line("Cách tính: tổng lượng nước cấp.", 74, 190, 330),
                line("PHẢN II. CHẤT THẢI RẮN Y TẾ", 74, 220, 250, bold=True),
                line("Cách tính: tổng lượng chất thải.", 74, 250, 330),
                line("PHẢN IV. NƯỚC THẢI Y TẾ", 74, 280, 223, bold=True),
                line("PHẢN IV. PHỤ LỤC", 74, 310, 200, bold=True)]
    result = _run(_ocr(parts_lines()))
    assert [s.number for s in result.sections] == ["PHẦN I", "PHẦN II", "PHẦN III", "PHẦN IV", "PHẦN IV"]
    assert any("'PHẦN III'" in w.message for w in result.warnings if w.code == "ocr-heading-number")
    printed = parts_lines()
    for ln in printed:  # a text layer spells the word right
        ln.words[0].text, ln.text = "PHẦN", ln.text.replace("PHẢN", "PHẦN")
    assert [s.number for s in _run(printed).sections] == ["PHẦN I", "PHẦN II", "PHẦN II", "PHẦN IV", "PHẦN IV"]
    articles = _run(_ocr([line("Điều 1. Thành lập Đoàn kiểm tra.", 84, 100, 400),
                          line("Điều 7. Đoàn có nhiệm vụ kiểm tra.", 84, 130, 400),
                          line("Điều 3. Quyết định này có hiệu lực kể từ ngày ký.", 84, 160, 480)]))
    assert [s.number for s in articles.sections] == ["Điều 1", "Điều 2", "Điều 3"]


def test_numbered_clauses_of_a_titled_article_are_its_sections():
    """'Điều 2. Tổ chức thực hiện' then '1. Sở Tài chính chịu trách nhiệm …; …': the article's clauses
    (khoản), sections whatever their length; a titled article's numbered list of people is no clause."""
    clause = "chịu trách nhiệm toàn diện về nội dung đề xuất, đảm bảo mức và nguồn kinh phí theo quy định; " * 2
    result = _run(_ocr([
        line("Điều 1. Bố trí kinh phí từ nguồn dự phòng ngân sách tỉnh năm 2025 để thực hiện hỗ trợ quà Tết.",
             84, 100, 520),
        line("Điều 2. Tổ chức thực hiện", 120, 130, 284),
        line("1. Sở Tài chính " + clause, 120, 160, 520),
        line("2. Sở Lao động - Thương binh và Xã hội " + clause, 120, 190, 520),
        line("Điều 3. Quyết định này có hiệu lực thi hành kể từ ngày ký.", 120, 220, 480),
    ]))
    assert [(s.number, s.level, s.title) for s in result.sections] == [
        ("Điều 1", 1, ""), ("Điều 2", 1, "Tổ chức thực hiện"), ("1", 2, ""), ("2", 2, ""), ("Điều 3", 1, "")]
    assert result.sections[2].text.startswith("Sở Tài chính chịu trách nhiệm")
    people = _run(_ocr([
        line("Điều 1. Thành phần Hội đồng", 120, 100, 284),
        line("1. Ông Nguyễn Văn An, Giám đốc Sở Y tế, Chủ tịch Hội đồng, chịu trách nhiệm chung về mọi mặt "
             "hoạt động của Hội đồng;", 120, 130, 520),
        line("2. Bà Lê Thị Bình, Phó Giám đốc Sở Y tế, Phó Chủ tịch Hội đồng, giúp Chủ tịch điều hành các "
             "công việc thường xuyên;", 120, 160, 520),
        line("Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.", 120, 190, 480),
    ]))
    assert [s.number for s in people.sections] == ["Điều 1", "Điều 2"]
