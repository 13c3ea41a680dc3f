"""Tables as scans give them (hand-made page models: rules and words, no bold, OCR's source): header
rows told by what they are, column-number rows, two-level headers, merged cells, blank forms,
tables continued over pages without their header, grids drawn askew, broken or with a side cut
off, and the lettered points of a numbered item."""

from __future__ import annotations

import math

from directives.extractors.model import Line, Page, Rule, Word
from directives.pipeline.document import Grid
from directives.pipeline.grid import page_grids
from directives.pipeline.layout import layout
from directives.pipeline.normalize import normalize
from directives.pipeline.parts import parts
from directives.pipeline.table_header import column_numbers, header_columns, header_depth, misread_words
from directives.pipeline.tables import tables
from tests.helpers import document, line

TOL = 2.5


def scan_page(lines: list[Line], rules: list[Rule], number: int = 1) -> Page:
    return Page(number, 595.0, 842.0, "ocr", lines, rules)


def ruled(xs: list[float], ys: list[float], skip: dict[int, list[int]] | None = None) -> list[Rule]:
    """A full grid: a horizontal rule at each y, a vertical at each x; `skip` leaves out, for a
    vertical k, its stretch over rows [r] (a cell across two columns)."""
    skip = skip or {}
    rules = [Rule(xs[0], y, xs[-1], y) for y in ys]
    for k, x in enumerate(xs):
        cut = sorted(skip.get(k, []))
        top = ys[0]
        for r in cut:
            if ys[r] > top:
                rules.append(Rule(x, top, x, ys[r]))
            top = ys[r + 1]
        if ys[-1] > top:
            rules.append(Rule(x, top, x, ys[-1]))
    return rules


def cells(rows: list[tuple[str, ...]], xs: list[float], ys: list[float], centred: int = 0) -> list[Line]:
    """Each non-empty cell text as a line, a little inside the cell's top left corner (centred in
    the cell in the first `centred` rows, as header labels are)."""
    out = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                width = min(xs[c + 1] - xs[c] - 6, 5 * len(text))
                x0 = (xs[c] + xs[c + 1] - width) / 2 if r < centred else xs[c] + 3
                out.append(line(text, x0, ys[r] + 3, x0 + width, size=10))
    return out


def grids_of(page: Page) -> list[Grid]:
    return page_grids(page.rules, page.lines, page.number, TOL, 2)


def run_tables(pages: list[Page]):
    doc = document(pages)
    for stage in (normalize, layout, parts, tables):
        doc = stage(doc)
    return doc


XS = [60.0, 90.0, 330.0, 450.0]


def test_scan_header_row_told_by_labels_and_numbered_rows_not_by_bold():
    ys = [100.0, 120.0, 140.0, 160.0, 180.0]
    rows = [("TT", "Nội dung", "Thời gian"), ("1", "Họp giao ban", "Tháng 3"), ("2", "Tập huấn", "Tháng 4"),
            ("3", "Sơ kết", "Tháng 6")]
    (g,) = grids_of(scan_page(cells(rows, XS, ys), ruled(XS, ys)))
    assert header_depth(g, text_layer=False) == 1
    (t,) = run_tables([scan_page(cells(rows, XS, ys), ruled(XS, ys))]).result.tables
    assert t.columns == ["TT", "Nội dung", "Thời gian"] and len(t.rows) == 3


def test_numbered_boxes_and_a_title_row_across_are_not_headers():
    ys = [100.0, 130.0, 160.0]
    box = [("1.", "Tuyến (Đánh dấu X vào ô phù hợp)", "Tỉnh/Thành phố"), ("2.", "Loại hình cơ sở y tế", "Bệnh viện")]
    (g,) = grids_of(scan_page(cells(box, XS, ys), ruled(XS, ys)))
    assert header_depth(g, False) == 0
    across = [("I. Thông tin hành chính", "", ""), ("1.", "Tuyến", "Tỉnh")]
    page = scan_page(cells(across, XS, ys), ruled(XS, ys, skip={1: [0], 2: [0]}))
    (g,) = grids_of(page)
    assert g.spans[0] == [(0, 3)] and header_depth(g, False) == 0
    (t,) = run_tables([page]).result.tables
    assert t.columns == [] and t.rows[0] == ["I. Thông tin hành chính", "", ""]


def test_column_number_row_is_neither_header_nor_body():
    assert column_numbers(["1", "2", "3", "4"]) and column_numbers(["(1)", "(2)", "", "(4)"])
    assert column_numbers(["1", "2", "3", "%»S", "6", "7", "9=7/4"])  # OCR slips and formulas
    assert not column_numbers(["1", "Sở Y tế", "03"]) and not column_numbers(["2019", "34", "2", "42"])
    ys = [100.0, 120.0, 135.0, 155.0, 175.0]
    rows = [("STT", "Chỉ tiêu", "Kết quả"), ("1", "2", "3"), ("1", "Số bác sĩ/vạn dân", "6,45"),
            ("2", "Số giường bệnh", "25,86")]
    (t,) = run_tables([scan_page(cells(rows, XS, ys), ruled(XS, ys))]).result.tables
    assert t.columns == ["STT", "Chỉ tiêu", "Kết quả"]
    assert t.rows == [["1", "Số bác sĩ/vạn dân", "6,45"], ["2", "Số giường bệnh", "25,86"]]


def two_level_page() -> Page:
    """STT | Họ và tên | Năm sinh (over Nam | Nữ) | Ghi chú, the single labels running down two rows."""
    xs = [60.0, 90.0, 250.0, 300.0, 350.0, 450.0]
    ys = [100.0, 115.0, 130.0, 150.0, 170.0]
    rules = [Rule(xs[0], y, xs[-1], y) for y in (100.0, 130.0, 150.0, 170.0)]
    rules.append(Rule(xs[2], 115.0, xs[4], 115.0))  # under the parent only
    rules += [Rule(x, 100.0, x, 170.0) for k, x in enumerate(xs) if k != 3]
    rules.append(Rule(xs[3], 115.0, xs[3], 170.0))  # between the children, not through the parent
    words = [line("STT", 63, 117, 80, size=9), line("Họ và tên", 95, 117, 150, size=9),
             line("Năm sinh", 255, 102, 300, size=9), line("Nam", 255, 117, 275, size=9),
             line("Nữ", 305, 117, 320, size=9), line("Ghi chú", 355, 117, 400, size=9)]
    words += cells([("1", "Nguyễn Văn A", "1980", "", "")], xs, [130.0, 150.0])
    words += cells([("2", "Trần Thị B", "", "1985", "")], xs, [150.0, 170.0])
    del ys
    return scan_page(words, rules)


def test_two_level_header_gives_parent_slash_child_names():
    page = two_level_page()
    (g,) = grids_of(page)
    assert header_depth(g, False) == 2
    names, groups = header_columns(g, 2)
    assert names == ["STT", "Họ và tên", "Năm sinh / Nam", "Năm sinh / Nữ", "Ghi chú"]
    (t,) = run_tables([page]).result.tables
    assert t.columns == names and t.rows == [["1", "Nguyễn Văn A", "1980", "", ""], ["2", "Trần Thị B", "", "1985", ""]]


def test_columns_no_header_cell_tells_apart_are_one_and_a_parent_named_by_its_numbers():
    # a row label split in two in the body only: one column, its two cells joined
    xs = [60.0, 110.0, 250.0, 350.0]
    ys = [100.0, 120.0, 140.0, 160.0]
    rows = [("BỆNH NHÂN KHÁM", "", "BN"), ("CÁC LOẠI", "NỘI KHOA", "CA")]
    header = [line("1. ĐIỀU TRỊ NỘI TRÚ", 110, 103, 200, size=10), line("GHI CHÚ", 280, 103, 320, size=10)]
    page = scan_page(header + cells(rows, xs, ys[1:]), ruled(xs, ys, skip={1: [0, 1]}))
    (t,) = run_tables([page]).result.tables
    assert t.columns == ["1. ĐIỀU TRỊ NỘI TRÚ", "GHI CHÚ"]
    assert t.rows == [["BỆNH NHÂN KHÁM", "BN"], ["CÁC LOẠI NỘI KHOA", "CA"]]
    # "So sánh (%)" over two columns with no child labels: the numbers row names them
    xs = [60.0, 90.0, 250.0, 320.0, 390.0]
    ys = [100.0, 120.0, 135.0, 155.0, 175.0]
    rows = [("TT", "Chỉ tiêu", "So sánh (%)", ""), ("1", "2", "3=1/2", "4=1/3"), ("1", "Số bác sĩ", "102,6", "99,1"),
            ("2", "Số giường", "100,2", "98,0")]
    (t,) = run_tables([scan_page(cells(rows, xs, ys), ruled(xs, ys, skip={3: [0]}))]).result.tables
    assert t.columns == ["TT", "Chỉ tiêu", "So sánh (%) / 3=1/2", "So sánh (%) / 4=1/3"]
    assert len(t.rows) == 2


def test_blank_form_keeps_its_empty_rows_and_a_double_rule_makes_no_row():
    ys = [100.0, 102.5 + TOL, 125.0, 145.0, 165.0, 185.0]  # a double top rule 5 pt apart
    rows = [("", "", ""), ("STT", "Họ và tên", "Chức vụ")]
    page = scan_page(cells(rows, XS, ys), ruled(XS, ys))
    (t,) = run_tables([page]).result.tables
    assert t.columns == ["STT", "Họ và tên", "Chức vụ"]
    assert t.rows == [["", "", ""]] * 3


def table_page(number: int, top: float, rows: list[tuple[str, ...]], shift: float = 0.0) -> Page:
    xs = [x + shift for x in XS]
    ys = [top + 20.0 * k for k in range(len(rows) + 1)]
    return scan_page(cells(rows, xs, ys), ruled(xs, ys), number)


def test_table_continues_over_a_page_without_its_header_and_a_split_row_is_merged():
    p1 = table_page(1, 600.0, [("STT", "Nội dung", "Thời gian"), ("1", "Họp giao ban quý I", "Tháng 3"),
                               ("2", "Kiểm tra công tác phòng chống", "Tháng 4")])
    p2 = table_page(2, 60.0, [("", "dịch bệnh mùa mưa", ""), ("3", "Sơ kết 6 tháng", "Tháng 6")], shift=4.0)
    (t,) = run_tables([p1, p2]).result.tables
    assert t.pages == [1, 2] and t.columns == ["STT", "Nội dung", "Thời gian"]
    assert t.rows == [["1", "Họp giao ban quý I", "Tháng 3"],
                      ["2", "Kiểm tra công tác phòng chống dịch bệnh mùa mưa", "Tháng 4"],
                      ["3", "Sơ kết 6 tháng", "Tháng 6"]]


def test_a_header_of_its_own_on_the_next_page_starts_a_new_table():
    p1 = table_page(1, 600.0, [("STT", "Nội dung", "Thời gian"), ("1", "Họp giao ban", "Tháng 3")])
    p2 = table_page(2, 60.0, [("TT", "Họ và tên", "Đơn vị"), ("1", "Nguyễn Văn A", "Sở Y tế"), ("2", "Lê B", "BV")])
    a, b = run_tables([p1, p2]).result.tables
    assert a.pages == [1] and b.pages == [2] and b.columns == ["TT", "Họ và tên", "Đơn vị"]


def test_repeated_header_misread_by_ocr_is_still_dropped_by_its_cells():
    p1 = table_page(1, 600.0, [("TT", "Chỉ tiêu", "Kế hoạch"), ("1", "Số bác sĩ", "6,45")])
    p2 = table_page(2, 60.0, [("Tĩ", "CHÍ ï TIỂU", "£ hoạch"), ("2", "Số giường", "25,86")])
    (t,) = run_tables([p1, p2]).result.tables
    assert t.rows == [["1", "Số bác sĩ", "6,45"], ["2", "Số giường", "25,86"]]


def rotate(x: float, y: float, deg: float, cx: float = 300.0, cy: float = 200.0) -> tuple[float, float]:
    a = math.radians(deg)
    return cx + (x - cx) * math.cos(a) - (y - cy) * math.sin(a), cy + (x - cx) * math.sin(a) + (y - cy) * math.cos(a)


def test_grid_drawn_askew_is_read_row_by_row():
    """A table scanned 1.5° askew: at its right end a rule is 10 pt lower than at its left, more than
    half a row; every word still lands in its own row and column."""
    xs, ys, deg = [60.0, 90.0, 330.0, 450.0], [100.0, 116.0, 132.0, 148.0, 164.0], 1.5
    rules = []
    for y in ys:
        (ax, ay), (bx, by) = rotate(xs[0], y, deg), rotate(xs[-1], y, deg)
        rules.append(Rule(ax, ay, bx, by))
    for x in xs:
        (ax, ay), (bx, by) = rotate(x, ys[0], deg), rotate(x, ys[-1], deg)
        rules.append(Rule(ax, ay, bx, by))
    rows = [("TT", "Nội dung", "Kết quả"), ("1", "Khám bệnh", "4.500"), ("2", "Điều trị nội trú", "230"),
            ("3", "Tiêm chủng", "99,5")]
    words = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            x, y = rotate(xs[c + 1] - 4 - 5 * len(text), ys[r] + 4, deg)  # right-aligned: far from the centre
            words.append(Line.of([Word(text, x, y, x + 5 * len(text), y + 8, 8.0)], x, y, x + 5 * len(text), y + 8, text))
    (t,) = run_tables([scan_page(words, rules)]).result.tables
    assert t.columns == ["TT", "Nội dung", "Kết quả"]
    assert t.rows == [["1", "Khám bệnh", "4.500"], ["2", "Điều trị nội trú", "230"], ["3", "Tiêm chủng", "99,5"]]


def test_broken_rules_and_a_side_cut_off_still_make_the_grid():
    """A faint scan: each horizontal rule in two pieces with a gap, a vertical broken too, and no rule
    on the right side (cut off by the scan): the columns and rows are all there."""
    xs, ys = [60.0, 90.0, 330.0, 450.0], [100.0, 120.0, 140.0, 160.0]
    rules = []
    for y in ys:
        rules += [Rule(60.0, y, 200.0, y + 0.4), Rule(206.0, y + 0.4, 520.0, y + 1.0)]  # runs on to 520
    rules += [Rule(60.0, 100.0, 60.0, 160.0), Rule(90.0, 100.0, 90.0, 127.0), Rule(90.0, 131.0, 90.0, 160.0),
              Rule(330.0, 100.0, 330.0, 160.0), Rule(450.0, 100.0, 450.0, 160.0)]
    rows = [("TT", "Nội dung", "Thời gian", "Ghi chú"), ("1", "Họp", "Tháng 3", "Hội trường"), ("2", "Kiểm tra", "Tháng 4", "")]
    words = cells(rows, [*xs, 520.0], ys)
    (g,) = grids_of(scan_page(words, rules))
    assert len(g.xs) == 5 and g.rows[1] == ["1", "Họp", "Tháng 3", "Hội trường"]
    (t,) = run_tables([scan_page(words, rules)]).result.tables
    assert t.columns == ["TT", "Nội dung", "Thời gian", "Ghi chú"] and len(t.rows) == 2


def test_sub_points_of_a_numbered_item_are_its_row():
    ys = [100.0, 120.0, 140.0, 160.0, 180.0]
    rows = [("STT", "Nội dung công việc", "Có"), ("1", "Thời gian quàn ướp", ""), ("", "a) Không quá 48 giờ", ""),
            ("", "b) Không quá 7 ngày", "")]
    rules = [Rule(XS[0], y, XS[-1], y) for y in ys[:2] + ys[-1:]]
    rules += [Rule(XS[1], y, XS[-1], y) for y in ys[2:4]]  # no rule under the item's number
    rules += [Rule(x, ys[0], x, ys[-1]) for x in XS]
    (t,) = run_tables([scan_page(cells(rows, XS, ys), rules)]).result.tables
    assert t.rows == [["1", "Thời gian quàn ướp a) Không quá 48 giờ b) Không quá 7 ngày", ""]]


def test_a_row_cut_by_the_page_break_in_a_table_without_numbers_is_merged():
    p1 = table_page(1, 600.0, [("Đặc điểm", "Đảm bảo", "Ghi chú"), ("Vị trí đảm bảo quy định", "", ""),
                               ("Nước sử dụng cho các hoạt động phục vụ hoạt", "", "")])
    p2 = table_page(2, 60.0, [("động mai táng tại nghĩa trang", "", ""), ("Chất thải phát sinh", "", ""),
                              ("a) chôn lấp", "", "")])
    (t,) = run_tables([p1, p2]).result.tables
    assert [r[0] for r in t.rows] == ["Vị trí đảm bảo quy định",
                                      "Nước sử dụng cho các hoạt động phục vụ hoạt động mai táng tại nghĩa trang",
                                      "Chất thải phát sinh", "a) chôn lấp"]


def test_a_stroke_in_the_header_alone_makes_no_column():
    xs = [60.0, 90.0, 300.0, 320.0, 450.0]
    ys = [100.0, 120.0, 140.0, 160.0]
    rows = [("TT", "Tên doanh nghiệp", "", "Địa chỉ"), ("1", "Công ty A", "", "Số 5 Lê Lợi"), ("2", "Công ty B", "", "Số 7")]
    (t,) = run_tables([scan_page(cells(rows, xs, ys), ruled(xs, ys, skip={2: [1, 2]}))]).result.tables
    assert t.columns == ["TT", "Tên doanh nghiệp", "Địa chỉ"] and t.rows[0] == ["1", "Công ty A", "Số 5 Lê Lợi"]


def test_a_header_repeated_over_pages_keeps_the_better_reading_of_each_cell():
    """The header drawn again on the next page is a second reading of the same cells: a word OCR ran
    together or a stray digit in one reading gives way to the other, and a good reading stays."""
    p1 = table_page(1, 600.0, [("TT", "Chỉ tiêu ước thựục hiện", "So sánh (%4)"), ("1", "Số bác sĩ", "106"),
                               ("2", "Số giường", "100")])
    p2 = table_page(2, 60.0, [("TT", "Chỉ tiêu ước thực hiện", "So sánh (%)"), ("3", "Số xã", "117")])
    (t,) = run_tables([p1, p2]).result.tables
    assert t.columns == ["TT", "Chỉ tiêu ước thực hiện", "So sánh (%)"] and len(t.rows) == 3
    (t,) = run_tables([table_page(1, 600.0, [("TT", "Chỉ tiêu", "So sánh (%)"), ("1", "Số bác sĩ", "106")]),
                       table_page(2, 60.0, [("TT", "Chỉ tiêu", "So sánh (%4)"), ("2", "Số xã", "117")])]).result.tables
    assert t.columns == ["TT", "Chỉ tiêu", "So sánh (%)"]


def test_misread_words_of_a_label():
    assert misread_words("Ước thực hiện 2017") == 0 and misread_words("So sánh (%)") == 0
    assert misread_words("STT") == misread_words("9=7/4") == misread_words("Huyện/thị") == 0
    assert misread_words("Ướcthựục hiện 2017") == 1 and misread_words("So sánh (%4)") == 1


def test_ocr_noise_across_the_grids_edge_does_not_cut_it_from_its_continuation():
    """A speck OCR read as words across the table's right border, beside its rows, is no text between
    the table and its continuation on the next page."""
    p1 = table_page(1, 600.0, [("STT", "Nội dung", "Thời gian"), ("1", "Họp giao ban quý I", "Tháng 3"),
                               ("2", "Kiểm tra", "Tháng 4")])
    p1.lines.append(line("c– cả", 440.0, 624.0, 470.0, size=8))
    p2 = table_page(2, 60.0, [("3", "Sơ kết 6 tháng", "Tháng 6")])
    (t,) = run_tables([p1, p2]).result.tables
    assert t.pages == [1, 2] and [r[0] for r in t.rows] == ["1", "2", "3"]


def test_a_header_ocr_could_not_read_is_no_body_row_on_either_page():
    """A shaded header OCR read nothing from (a speck at most) above numbered rows, drawn again on
    the next page: neither is a body row; the table has no names rather than wrong ones."""
    p1 = table_page(1, 600.0, [("", "", ""), ("1", "10001", "TTYT huyện A"), ("2", "10002", "TTYT huyện B"),
                               ("", "", "ng")])
    p2 = table_page(2, 60.0, [("", "Su", ""), ("4", "10004", "TTYT huyện D"), ("5", "10005", "TTYT huyện E")])
    (t,) = run_tables([p1, p2]).result.tables
    assert t.columns == [] and t.pages == [1, 2]
    assert [r[0] for r in t.rows] == ["1", "2", "", "4", "5"]
    (t,) = run_tables([table_page(1, 600.0, [("", "", ""), ("Khám bệnh", "4.500", ""), ("Tiêm chủng", "230", "")])]
                      ).result.tables
    assert len(t.rows) == 3  # without numbered rows below, a blank first row stays a row
