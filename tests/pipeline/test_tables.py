from directives.extractors.model import Rule
from directives.pipeline.activities import activities
from directives.pipeline.document import Grid
from directives.pipeline.grid import Boundary, aligned_grids, merge_double
from directives.pipeline.layout import layout
from directives.pipeline.normalize import normalize
from directives.pipeline.parts import parts
from directives.pipeline.tables import same_columns, tables
from tests.conftest import document, line, page

XS = (80.0, 116.0, 434.0, 533.0)


def grid(ys: list[float]) -> list[Rule]:
    rules = [Rule(XS[0], y, XS[-1], y) for y in ys]
    rules += [Rule(x, ys[0], x, ys[-1]) for x in XS]
    return rules


def row(y: float, cells: tuple[str, str, str], bold: bool = False):
    return [line(t, x + 4, y, x + 4 + 5 * len(t), size=13, bold=bold) for t, x in zip(cells, XS, strict=False) if t]


def test_table_stitched_across_pages_with_split_row_and_repeated_header():
    header = ("Stt", "Tên hoạt động", "Thời gian")
    p1 = page(row(104, header, bold=True) + row(124, ("1.", "Tết trồng cây", "Tháng 02"))
              + row(144, ("2.", "Ngày cao điểm tham gia xây dựng đô", "Quý III")),
              number=1, rules=grid([100, 120, 140, 160]))
    p2 = page(row(64, header, bold=True) + row(84, ("", "thị văn minh", ""))
              + row(104, ("3.", "Hỗ trợ thanh niên khởi nghiệp", "Cả năm")),
              number=2, rules=grid([60, 80, 100, 120]))
    doc = document([p1, p2])
    for stage in (normalize, layout, parts, tables, activities):
        doc = stage(doc)
    (t,) = doc.result.tables
    assert t.columns == list(header)
    assert t.pages == [1, 2]
    assert t.rows == [["1.", "Tết trồng cây", "Tháng 02"],
                      ["2.", "Ngày cao điểm tham gia xây dựng đô thị văn minh", "Quý III"],
                      ["3.", "Hỗ trợ thanh niên khởi nghiệp", "Cả năm"]]
    acts = doc.result.activities
    assert [(a.no, a.months) for a in acts] == [(1, [2]), (2, [7, 8, 9]), (3, list(range(1, 13)))]
    assert all(a.table_id == t.id for a in acts)


def test_lone_rule_is_not_a_table():
    p = page([line("ĐOÀN TNCS HỒ CHÍ MINH", 314, 59, 508)], rules=[Rule(314, 72, 508, 72)])
    doc = tables(parts(layout(normalize(document([p])))))
    assert doc.result.tables == []


def test_scanned_table_continues_on_a_page_placed_a_little_aside_and_double_borders_are_one():
    xs = [46.2, 51.1, 86.0, 276.9, 420.8, 577.4, 582.7]
    assert [b.pos for b in merge_double([Boundary(x, 0.0, 400.0) for x in xs], 8.0)] == [46.2, 86.0, 276.9, 420.8, 582.7]
    a = Grid(1, 46.5, 100, 580.9, 700, [46.5, 82.4, 275.9, 421.5, 580.9], [["1", "x", "y", "z"]], [False])
    shifted = Grid(2, 50.9, 40, 584.5, 700, [50.9, 86.7, 279.5, 425.3, 584.5], [["2", "x", "y", "z"]], [False])
    other = Grid(2, 50.9, 40, 584.5, 700, [50.9, 120.0, 279.5, 425.3, 584.5], [["2", "x", "y", "z"]], [False])
    assert same_columns(a, shifted) and not same_columns(a, other)


def test_table_without_rules_from_aligned_columns_with_a_wrapped_first_cell():
    rows = [
        [line("- Ông: Trương Đình Nam", 85, 576, 200), line("- Bí thư ĐTN", 268, 576, 330), line("- Trưởng ban", 395, 576, 460)],
        [line("- Bà: Nguyễn Hoàng Phương", 85, 598, 200), line("- Đoàn viên", 268, 598, 330), line("- Thành viên", 395, 598, 460)],
        [line("Trang", 85, 614, 110)],  # the first cell wrapped
        [line("- Ông: Tô Đức Hiệu", 85, 636, 200), line("- UV BTV", 268, 636, 330), line("- Phó Ban", 395, 636, 450)],
        [line("2. Tiểu ban văn nghệ", 121, 660, 250)],  # ends the table
        [line("Họ tên", 85, 690, 120), line("chức vụ", 300, 690, 340), line("nhiệm vụ", 395, 690, 450)],  # other columns
    ]
    found = aligned_grids(rows, 2)
    assert len(found) == 1
    grid, taken = found[0]
    assert grid.rows == [["- Ông: Trương Đình Nam", "- Bí thư ĐTN", "- Trưởng ban"],
                         ["- Bà: Nguyễn Hoàng Phương Trang", "- Đoàn viên", "- Thành viên"],
                         ["- Ông: Tô Đức Hiệu", "- UV BTV", "- Phó Ban"]]
    assert len(taken) == 4 and grid.xs[:3] == [85, 268, 395]
    assert aligned_grids(rows[:1] + rows[4:], 2) == []  # one row is no table
