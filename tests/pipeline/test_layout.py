from directives.pipeline.layout import body_margins, layout
from directives.pipeline.normalize import normalize
from tests.helpers import document, line, page


def test_two_column_header_read_column_by_column():
    lines = [
        line("BCH ĐOÀN TỈNH KIÊN GIANG", 94, 59, 275),
        line("ĐOÀN TNCS HỒ CHÍ MINH", 314, 59, 508, bold=True),
        line("***", 175, 76, 194),
        line("Số: 347-CV/TĐTN-VP", 124, 93, 245),
        line("Kiên Giang, ngày 29 tháng 7 năm 2023", 312, 108, 533, italic=True),
        line("V/v ban hành định hướng", 101, 110, 268, italic=True),
        line("Kính gửi: Ban Thường vụ các huyện, thành đoàn, đoàn trực thuộc.", 126, 198, 498),
        line("Đề các huyện, thành đoàn, đoàn trực thuộc có căn cứ xây dựng Chương", 114, 246, 538),
        line("trình công tác đoàn năm 2024.", 85, 264, 538),
    ]
    doc = layout(normalize(document([page(lines)])))
    texts = [(b.zone, b.text) for b in doc.blocks]
    assert texts[:6] == [
        ("left", "BCH ĐOÀN TỈNH KIÊN GIANG"), ("left", "***"), ("left", "Số: 347-CV/TĐTN-VP"),
        ("left", "V/v ban hành định hướng"), ("right", "ĐOÀN TNCS HỒ CHÍ MINH"),
        ("right", "Kiên Giang, ngày 29 tháng 7 năm 2023"),
    ]
    assert texts[6:] == [
        ("full", "Kính gửi: Ban Thường vụ các huyện, thành đoàn, đoàn trực thuộc."),
        ("full", "Đề các huyện, thành đoàn, đoàn trực thuộc có căn cứ xây dựng Chương trình công tác đoàn năm 2024."),
    ]


def test_paragraph_continues_across_pages_and_page_numbers_dropped():
    p1 = page([line("- Tiếp tục đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ", 114, 700, 538),
               line("Chí Minh. Đổi mới, nâng cao tính hiệu quả của các nội dung học tập", 85, 718, 538),
               line("1", 295, 800, 301)], number=1)
    p2 = page([line("2", 295, 30, 301),
               line("và làm theo Bác.", 85, 80, 200),
               line("- Tiếp tục tổ chức học tập, quán triệt Nghị quyết Đại hội.", 114, 100, 538)], number=2)
    doc = layout(normalize(document([p1, p2])))
    assert [b.text for b in doc.blocks] == [
        "- Tiếp tục đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh. Đổi mới, nâng cao "
        "tính hiệu quả của các nội dung học tập và làm theo Bác.",
        "- Tiếp tục tổ chức học tập, quán triệt Nghị quyết Đại hội.",
    ]
    assert doc.blocks[0].pages == [1, 2]


def test_motto_under_a_regime_header_set_left_of_the_middle_stays_in_the_right_column():
    # the header's right column starts left of the body's middle; the motto under it, alone in its row,
    # crosses that middle but lies within the regime line: it goes on in the right column
    body = "Căn cứ Nghị định số 42/2025/NĐ-CP ngày 27/02/2025 của Chính phủ quy định chức năng"
    lines = [
        line("BỘ Y TẾ", 128, 64, 187, bold=True),
        line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 248, 64, 544, bold=True),
        line("Độc lập - Tự do - Hạnh phúc", 308, 80, 483, bold=True),
        line("Số: 2093 /QĐ-BYT", 100, 111, 214),
        line("Hà Nội, ngày 24 tháng 6 năm 2025", 286, 108, 505),
        *[line(body, 120 if k % 2 == 0 else 85, 270 + 17 * k, 554) for k in range(6)],
    ]
    doc = layout(normalize(document([page(lines)])))
    header = [(b.zone, b.text) for b in doc.blocks if b.region >= 0]
    assert header == [
        ("left", "BỘ Y TẾ"), ("left", "Số: 2093 /QĐ-BYT"),
        ("right", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), ("right", "Độc lập - Tự do - Hạnh phúc"),
        ("right", "Hà Nội, ngày 24 tháng 6 năm 2025"),
    ]


def test_short_title_centred_under_the_header_is_the_pages_own_not_the_right_columns():
    # "CHỈ THỊ", short and centred on the body under the header, crosses the middle by less than a
    # column line may: still the title block's first line, not the right column's
    lines = [
        line("UỶ BAN NHÂN DÂN", 100, 45, 221, bold=True),
        line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 258, 47, 526, bold=True),
        line("TỈNH QUẢNG NGÃI", 100, 60, 221, bold=True),
        line("Độc lập - Tự do - Hạnh phúc", 313, 63, 471, bold=True),
        line("Số: 05/CT-UBND", 103, 85, 216),
        line("Quảng Ngãi, ngày 15 tháng 4 năm 2020", 327, 90, 537),
        line("CHỈ THỊ", 288, 119, 338, bold=True),
        line("Về việc triển khai thực hiện mở rộng nộp thuế điện tử", 148, 134, 470, bold=True),
        line("đối với cá nhân kinh doanh trên địa bàn tỉnh", 139, 150, 480, bold=True),
        *[line("Thực hiện Quyết định số 2545/QĐ-TTg ngày 30/12/2016 của Thủ tướng Chính phủ phê duyệt",
               84, 190 + 17 * k, 537) for k in range(5)],
    ]
    doc = layout(normalize(document([page(lines)])))
    zones = {b.text: b.zone for b in doc.blocks}
    assert zones["Quảng Ngãi, ngày 15 tháng 4 năm 2020"] == "right"
    assert zones["CHỈ THỊ"] == "full"


def _short_paragraphs_and_a_hung_list(source: str = "text"):
    """A decision's preamble ("Căn cứ …;" two lines each: as many indented first lines as lines at the
    edge) and a recipients list hung under "Kính gửi:" (more wide lines than either)."""
    lines = []
    for k in range(3):
        lines += [line("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về", 114, 100 + 40 * k, 540),
                  line("công tác văn thư và các văn bản hướng dẫn thi hành;", 85, 118 + 40 * k, 400)]
    lines += [line(f"- Trung tâm Y tế huyện số {k}, Bệnh viện đa khoa khu vực và các phòng khám;", 199, 260 + 16 * k, 540)
              for k in range(8)]
    p = page(lines)
    p.source = source
    return p


def test_body_margins_of_a_text_layer_are_the_shared_left_edge_and_halfway_to_the_right():
    # the edge is the leftmost x several lines share, not the commonest (the list's or the indent's);
    # the centre is halfway from it to where justified lines end
    assert body_margins([_short_paragraphs_and_a_hung_list()]) == (85, 312)


def test_body_margins_of_a_short_letter_under_a_long_list_of_recipients():
    # two lines of the letter's own at the edge, nine of the list hung under "Kính gửi:"
    lines = [line(f"- Trung tâm Y tế huyện số {k}, Bệnh viện đa khoa khu vực và các phòng khám;", 199, 100 + 16 * k, 540)
             for k in range(9)]
    lines += [line("Sở Y tế đề nghị các đơn vị báo cáo tình hình thực hiện về Sở trước ngày 30 tháng 11 năm", 114, 260, 540),
              line("2017 để tổng hợp, báo cáo Ủy ban nhân dân tỉnh theo đúng thời gian quy định hiện hành.", 85, 278, 540),
              line("Sở Y tế đề nghị các đơn vị nghiêm túc triển khai thực hiện các nội dung nêu trên và", 114, 300, 540),
              line("phối hợp chặt chẽ với các cơ quan liên quan trong quá trình tổ chức thực hiện./.", 85, 318, 540)]
    assert body_margins([page(lines)]) == (85, 312)


def test_body_margins_of_a_scan_stay_the_commonest_edge():
    # OCR's line edges jitter: a scan keeps the commonest edge and centre
    assert body_margins([_short_paragraphs_and_a_hung_list("ocr")]) == (199, 370)
