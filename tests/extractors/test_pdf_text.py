"""The text-layer reader on generated PDFs: blank pages, image-only pages, split spans."""

from __future__ import annotations

import pymupdf

from directives.extractors.pdf_text import dict_to_lines, layer_is_implausible
from directives.extractors.read import extract_pages
from tests.extractors.test_legacy import _dejavu


def _pdf(tmp_path, build) -> object:
    doc = pymupdf.open()
    build(doc)
    path = tmp_path / "gen.pdf"
    doc.save(path)
    return path


def test_blank_page_is_not_a_scan(tmp_path):
    def build(doc):
        doc.new_page().insert_text((72, 72), "Trang có chữ: Kế hoạch tổ chức hoạt động", fontname="helv")
        doc.new_page()  # blank, no image

    pages = extract_pages(_pdf(tmp_path, build))
    assert [p.source for p in pages] == ["text", "text"]
    assert pages[1].lines == [] and pages[1].warnings == []


def test_image_only_page_has_no_text_source(tmp_path):
    def build(doc):
        page = doc.new_page()
        pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 40), False)
        pix.clear_with(200)
        page.insert_image(pymupdf.Rect(72, 72, 300, 300), pixmap=pix)

    (page,) = extract_pages(_pdf(tmp_path, build))
    assert page.source == "none" and page.lines == []


def test_word_split_over_two_spans_is_one_word():
    span = {"bbox": (0, 0, 10, 10), "flags": 0, "font": "Serif", "size": 14.0}
    line = {"dir": (1.0, 0.0), "bbox": (0, 0, 100, 10), "spans": [
        dict(span, text="Chương trình “", bbox=(0, 0, 60, 10)),
        dict(span, text="Giáo dục", bbox=(60, 0, 100, 10), flags=2, font="Serif-Italic"),
    ]}
    (ln,) = dict_to_lines({"blocks": [{"lines": [line]}]})
    assert [w.text for w in ln.words] == ["Chương", "trình", "“Giáo", "dục"]


def _rules(page) -> int:
    from directives.extractors.pdf_text import drawings_to_rules

    return len(drawings_to_rules(page.get_cdrawings()))


def test_segment_bound_is_never_below_the_rules_drawn(tmp_path):
    """`segment_bound` spares get_cdrawings only where it cannot find a table's worth of rules:
    on every page of the samples and the corpus, and on generated pages (a line, a box, a clip
    rectangle, a line inside a form and inside a form inside a form, an annotation, a form field),
    the bound is at least the number of rules the drawings give. The signed files' pages count their
    signature fields' appearances and are spared too."""
    from directives.extractors.pdf_text import drawn_annotations, has_widget, may_hold_rules, segment_bound
    from tests.helpers import CORPUS, ROOT

    pdfs = sorted((ROOT / "samples").glob("*.pdf")) + sorted((CORPUS / "docs").glob("*.pdf"))
    spared = 0
    for path in pdfs:
        with pymupdf.open(path) as doc:
            for page in doc:
                bound = segment_bound(page)
                assert bound is None or bound >= _rules(page), (path.name, page.number, bound)
                spared += not may_hold_rules(page, 5)
    assert spared >= 260  # 266 of 444 pages (247 before signature fields were counted): text only,
    # scans, underlines, a box around the page

    def build(doc):
        doc.new_page().insert_text((72, 72), "Kính gửi: các cơ sở Đoàn", fontname="helv")
        doc.new_page().draw_line((72, 100), (300, 100))
        doc.new_page().draw_rect(pymupdf.Rect(72, 72, 300, 200))
        page = doc.new_page()
        page.draw_line((72, 100), (300, 100))
        page.clean_contents()
        xref = page.get_contents()[0]
        doc.update_stream(xref, b"q 10 10 500 700 re W n\n" + doc.xref_stream(xref) + b"\nQ")  # a clip rectangle
        source = pymupdf.open()
        source.new_page().draw_line((72, 100), (300, 100))
        doc.new_page().show_pdf_page(pymupdf.Rect(0, 0, 595, 842), source, 0)  # a line inside a form XObject
        nested = pymupdf.open()
        nested.new_page().show_pdf_page(pymupdf.Rect(0, 0, 595, 842), source, 0)
        doc.new_page().show_pdf_page(pymupdf.Rect(0, 0, 595, 842), nested, 0)  # a form inside a form
        doc.new_page().add_line_annot((72, 100), (300, 100))  # drawn by the annotation, not the page
        field = pymupdf.Widget()
        field.field_type, field.field_name, field.rect = pymupdf.PDF_WIDGET_TYPE_TEXT, "số", pymupdf.Rect(72, 72, 300, 90)
        field.border_width, field.border_color = 1, (0, 0, 0)
        doc.new_page().add_widget(field)

    with pymupdf.open(_pdf(tmp_path, build)) as doc:
        assert [_rules(p) for p in doc] == [0, 1, 4, 1, 1, 1, 1, 4]
        # the box: "re h S", 4 + 1; the annotation's line and the field's frame ("re s" and a clip "re W n")
        # counted in their appearance streams
        assert [segment_bound(p) for p in doc] == [0, 1, 5, 1, 1, 1, 1, 5]
        assert [drawn_annotations(p) for p in doc] == [0] * 6 + [1, 1]
        assert [has_widget(p) for p in doc] == [p.first_widget is not None for p in doc] == [False] * 7 + [True]
        doc.xref_set_key(doc.pdf_catalog(), "AcroForm/NeedAppearances", "true")  # the reader draws them anew
        assert segment_bound(doc[7]) is None


def test_a_page_with_a_ruled_table_has_its_rules_read(tmp_path):
    """A 3 × 2 grid drawn line by line: its 7 segments are read and the layout finds the table."""
    from directives.extractors.pdf_text import may_hold_rules

    def build(doc):
        page = doc.new_page()
        for y in (100, 130, 160):
            page.draw_line((72, y), (372, y))
        for x in (72, 222, 372):
            page.draw_line((x, 100), (x, 160))
        for k, (x, y) in enumerate(((80, 120), (230, 120), (80, 150), (230, 150))):
            page.insert_text((x, y), f"Ô {k + 1}", fontname="helv")

    path = _pdf(tmp_path, build)
    with pymupdf.open(path) as doc:
        assert may_hold_rules(doc[0], 5)
    (page,) = extract_pages(path, min_rules=5)
    assert len(page.rules) == 6


def test_plausibility_counts_every_character_outside_the_vietnamese_set():
    """The regular expression of the other characters agrees with the set, character by character
    (its class is built from the set: every character escaped, "]" "^" "-" "\\" included)."""
    import random
    import unicodedata

    from directives.extractors.pdf_text import _GOOD, text_plausibility_of

    rnd = random.Random(7)
    alphabet = sorted(_GOOD) + [chr(c) for c in range(0x2100)] + list("§oµn Th­êng vô\n\t")
    for _ in range(300):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 80)))
        kept = text.replace(" ", "")
        if not kept or kept != unicodedata.normalize("NFC", kept):
            continue
        expected = 1.0 - sum(ch not in _GOOD for ch in kept) / len(kept)
        assert abs(text_plausibility_of(text) - expected) < 1e-12, text
    assert text_plausibility_of("§oµn Th­êng vô") < 0.9 < text_plausibility_of("Đoàn Thường vụ")


def test_path_segments_of_content_streams():
    """Segments counted by operator: lines, closing "h", rectangles (4), a closing paint ("s"
    touching a name after it); clip rectangles ("re W n", any white space) count nothing."""
    from directives.extractors.pdf_text import path_segments

    assert path_segments(b"BT /F1 12 Tf (Kinh gui) Tj ET") == 0
    assert path_segments(b"0 0 m 100 0 l S") == 1
    assert path_segments(b"0 0 m 100 0 l 100 50 l h S") == 3
    assert path_segments(b"10 10 80 20 re f") == 4
    assert path_segments(b"0 0 m 10 0 l 10 10 l s/GS0 gs") == 3
    assert path_segments(b"q 0 0 595 842 re W n 0 0 m 10 0 l S Q") == 1
    assert path_segments(b"q 0 0 595 842 re\r\nW*\r\nn\r\n10 10 80 20 re\r\nf Q") == 4


def test_path_segments_floor_is_never_above_the_count():
    """The cheap floor counts lines, closings and rectangles, less one rectangle per "W": never
    more than `path_segments`, on streams of random operators and white space (clip rectangles,
    closing paints, "W" alone, operators run together), and on the examples above."""
    import random

    from directives.extractors.pdf_text import path_segments, path_segments_floor

    assert path_segments_floor(b"BT /F1 12 Tf (Kinh gui) Tj ET") == 0
    assert path_segments_floor(b"0 0 m 100 0 l 100 50 l h S") == 3
    assert path_segments_floor(b"10 10 80 20 re f") == 4
    assert path_segments_floor(b"q 0 0 595 842 re\r\nW*\r\nn\r\n10 10 80 20 re\r\nf Q") == 4
    assert path_segments_floor(b"q 0 0 595 842 re W n 0 0 m 10 0 l S Q") == 1
    assert path_segments_floor(b"0 0 m 10 0 l 10 10 l s/GS0 gs") == 2  # the closing "s" not counted
    tokens = [b"1", b"re", b"W", b"W*", b"n", b"l", b"h", b"s", b"b", b"b*", b"f", b"S", b"m", b"/W", b"(re)", b"Q"]
    rnd = random.Random(11)
    for _ in range(3000):
        parts = [rnd.choice(tokens) for _ in range(rnd.randint(0, 30))]
        data = b"".join(part + rnd.choice([b" ", b"  ", b"\r\n", b"\t", b"\n", b""]) for part in parts)
        floor = path_segments_floor(data)
        assert 0 <= floor <= path_segments(data), data
        assert path_segments_floor(data, 4) == floor or 4 <= path_segments_floor(data, 4) <= floor, data


def test_span_to_words_on_single_and_other_white_space():
    """Words and their interpolated boxes the same whether a span's spaces are single, run together,
    at its ends, or other white space (a tab, a no-break space, a line break)."""
    from directives.extractors.pdf_text import span_to_words

    def span(text):
        return {"text": text, "bbox": (10.0, 20.0, 10.0 + 3 * len(text), 30.0), "flags": 16, "font": "Times", "size": 12.004}

    words = span_to_words(span("  Kính  gửi: Sở "))
    assert [(w.text, w.x0, w.x1) for w in words] == [("Kính", 16.0, 28.0), ("gửi:", 34.0, 46.0), ("Sở", 49.0, 55.0)]
    assert all(w.bold and not w.italic and w.size == 12.0 and w.y0 == 20.0 and w.y1 == 30.0 for w in words)
    for other in ("\t", "\u00a0", "\n"):
        assert [(w.text, w.x0, w.x1) for w in span_to_words(span(f" Kính{other}gửi Sở"))] == [
            ("Kính", 13.0, 25.0), ("gửi", 28.0, 37.0), ("Sở", 40.0, 46.0)]
    assert span_to_words(span("   ")) == [] == span_to_words(span(""))


def test_a_page_of_abbreviations_without_a_scan_under_it_keeps_its_text_layer(tmp_path):
    # few well-formed syllables ("UBND", "PCVP", "KTĐT") look like a junk OCR layer; a junk OCR layer
    # lies over its scan, and a born-digital page with none keeps its text (OCR would only read it worse)
    doc = pymupdf.open()
    page = doc.new_page()
    items = ["- UBND xã, phường;", "- Đài PT &TH HN, Báo HNM, KTĐT;", "- VPUB: CVP, các PCVP, các ĐV;",
             "- Sở KHĐT, Sở TTTT, Sở GDĐT;", "- BCĐ CĐS TP, BQL KCN&CX;", "- Lưu: VT, ĐMPTV."]
    for k, text in enumerate(items):
        page.insert_text((72, 72 + 16 * k), text, fontname="dv", fontfile=_dejavu(), fontsize=11)
    path = tmp_path / "abbreviations.pdf"
    doc.save(path)
    (got,) = extract_pages(path)
    assert got.source == "text" and not got.warned("text-layer-implausible")
    assert got.lines[1].text == "- Đài PT &TH HN, Báo HNM, KTĐT;"
    lines = list(got.lines)
    assert layer_is_implausible(lines) and not layer_is_implausible(lines, over_image=lambda: False)


def test_whether_a_layer_lies_over_an_image_is_asked_only_when_its_characters_do_not_decide():
    """Characters outside the Vietnamese set decide alone (no question about images); otherwise the
    image is asked about once, and a Vietnamese layer over an image is plausible."""
    from tests.helpers import line

    asked: list[bool] = []

    def over_image() -> bool:
        asked.append(True)
        return True

    legacy = [line("§oµn Th­êng vô Ban ChÊp hµnh tØnh", 72, 72)]
    assert layer_is_implausible(legacy, over_image=over_image) and asked == []
    prose = [line("Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Kiên Giang tổ chức các hoạt động tình nguyện "
                  "trong dịp hè năm nay cho đoàn viên thanh niên trên địa bàn", 72, 90)]
    assert not layer_is_implausible(prose, over_image=over_image) and asked == [True]
