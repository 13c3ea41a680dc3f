"""The text-layer reader on generated PDFs: blank pages, image-only pages, split spans."""

from __future__ import annotations

import pymupdf

from directives.extractors import extract_pages
from directives.extractors.pdf_text import dict_to_lines


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


def test_pages_that_paint_nothing_have_no_drawings(tmp_path):
    """`page_paints` spares get_cdrawings only where it finds nothing: every page of the samples
    and the corpus (half of them text only) and generated pages with a line, a box, a form."""
    from directives.extractors.pdf_text import page_paints
    from tests.conftest import CORPUS, ROOT

    pdfs = sorted((ROOT / "samples").glob("*.pdf")) + sorted((CORPUS / "docs").glob("*.pdf"))
    spared = 0
    for path in pdfs:
        with pymupdf.open(path) as doc:
            for page in doc:
                if not page_paints(page):
                    spared += 1
                    assert page.get_cdrawings() == [], (path.name, page.number)
    assert spared >= 10

    def build(doc):
        doc.new_page().insert_text((72, 72), "Kính gửi: các cơ sở Đoàn", fontname="helv")
        doc.new_page().draw_line((72, 100), (300, 100))
        doc.new_page().draw_rect(pymupdf.Rect(72, 72, 300, 200))
        source = pymupdf.open()
        source.new_page().draw_line((72, 100), (300, 100))
        doc.new_page().show_pdf_page(pymupdf.Rect(0, 0, 595, 842), source, 0)  # a line inside a form XObject
        doc.new_page().add_line_annot((72, 100), (300, 100))  # drawn by the annotation, not the page
        field = pymupdf.Widget()
        field.field_type, field.field_name, field.rect = pymupdf.PDF_WIDGET_TYPE_TEXT, "số", pymupdf.Rect(72, 72, 300, 90)
        field.border_width, field.border_color = 1, (0, 0, 0)
        doc.new_page().add_widget(field)

    with pymupdf.open(_pdf(tmp_path, build)) as doc:
        assert [page_paints(p) for p in doc] == [False, True, True, True, True, True]
        assert [bool(p.get_cdrawings()) for p in doc] == [False, True, True, True, True, True]


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
