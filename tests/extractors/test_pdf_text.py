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
