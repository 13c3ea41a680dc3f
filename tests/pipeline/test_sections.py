from directives.pipeline.layout import layout
from directives.pipeline.normalize import normalize
from directives.pipeline.parts import parts
from directives.pipeline.sections import number_style, sections
from tests.conftest import document, line, page


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


def test_number_style():
    assert [number_style(n) for n in ("II", "3", "3.1", "3.1.2", "a", "Điều 1", "Phần I")] == [
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
