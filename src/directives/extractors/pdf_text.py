"""Read a PDF's text layer with PyMuPDF into the shared page model.

Words come from `get_text("dict")` spans (fonts, sizes, bold/italic); a span's words get boxes
interpolated by character position, which is exact enough for column and cell assignment and
three times faster than per-character boxes. Drawn line segments and thin rectangles become
`Rule`s for table geometry.
"""

from __future__ import annotations

import re
import unicodedata

import pymupdf

from directives.extractors.model import Line, Page, Rule, Word

_FLAG_ITALIC = 2
_FLAG_BOLD = 16
_TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_PRESERVE_LIGATURES | pymupdf.TEXT_MEDIABOX_CLIP
_SPACE = re.compile(r"\S+")
_THIN = 2.0  # a filled rectangle thinner than this (pt) is a drawn rule


def span_to_words(span: dict) -> list[Word]:
    """Split one PyMuPDF span into words with interpolated boxes."""
    text = span["text"]
    x0, y0, x1, y1 = span["bbox"]
    n = len(text)
    if not n or not text.strip():
        return []
    step = (x1 - x0) / n
    flags = span["flags"]
    font = span.get("font", "")
    bold = bool(flags & _FLAG_BOLD) or "Bold" in font or "bold" in font
    italic = bool(flags & _FLAG_ITALIC) or "Italic" in font or "Oblique" in font
    size = round(span["size"], 2)
    return [
        Word(m.group(), x0 + m.start() * step, y0, x0 + m.end() * step, y1, size, bold, italic)
        for m in _SPACE.finditer(text)
    ]


def dict_to_lines(page_dict: dict) -> list[Line]:
    """Lines of a `get_text("dict")` result, in the order PyMuPDF found them."""
    lines: list[Line] = []
    for block in page_dict["blocks"]:
        for ln in block.get("lines", ()):
            if ln["dir"][0] < 0.9:  # rotated text (stamps, margins): not part of the reading flow
                continue
            words: list[Word] = []
            glue = False  # previous span ended inside a word (no trailing space)
            for span in ln["spans"]:
                new = span_to_words(span)
                if new and words and glue and not span["text"][:1].isspace():
                    first = new.pop(0)  # “ + Giáo: one word split over two fonts
                    last = words[-1]
                    last.text += first.text
                    last.x1, last.y1 = first.x1, max(last.y1, first.y1)
                words.extend(new)
                if span["text"].strip():
                    glue = not span["text"][-1:].isspace()
            if not words:
                continue
            raw = "".join(s["text"] for s in ln["spans"]).strip()
            x0, y0, x1, y1 = ln["bbox"]
            lines.append(Line(words, x0, y0, x1, y1, text=raw, raw=raw))
    return lines


def drawings_to_rules(drawings: list[dict]) -> list[Rule]:
    """Straight segments and thin rectangles; each rectangle's edges when it is a cell box."""
    rules: list[Rule] = []
    for d in drawings:
        for item in d["items"]:
            op = item[0]
            if op == "l":
                p, q = item[1], item[2]
                r = Rule(min(p.x, q.x), min(p.y, q.y), max(p.x, q.x), max(p.y, q.y))
                if r.horizontal or r.vertical:
                    rules.append(r)
            elif op == "re":
                rect = item[1]
                if rect.height <= _THIN or rect.width <= _THIN:
                    ym = (rect.y0 + rect.y1) / 2
                    xm = (rect.x0 + rect.x1) / 2
                    if rect.width > rect.height:
                        rules.append(Rule(rect.x0, ym, rect.x1, ym))
                    else:
                        rules.append(Rule(xm, rect.y0, xm, rect.y1))
                elif d.get("color") is not None:  # stroked box: its four edges
                    rules.extend(
                        (
                            Rule(rect.x0, rect.y0, rect.x1, rect.y0),
                            Rule(rect.x0, rect.y1, rect.x1, rect.y1),
                            Rule(rect.x0, rect.y0, rect.x0, rect.y1),
                            Rule(rect.x1, rect.y0, rect.x1, rect.y1),
                        )
                    )
    return rules


def text_plausibility(lines: list[Line]) -> float:
    """Share of letters that are Latin/Vietnamese letters (0..1); legacy fonts and junk score low."""
    total = good = 0
    for ln in lines:
        for ch in ln.raw:
            if ch.isspace():
                continue
            total += 1
            if ch.isascii() or unicodedata.name(ch, "").startswith("LATIN"):
                good += 1
    return good / total if total else 0.0


class TextLayerReader:
    """Reads one page's text layer; the OCR reader of a later stage returns the same `Page`."""

    min_chars: int = 20

    def read_page(self, doc: pymupdf.Document, index: int) -> Page:
        page = doc[index]
        rect = page.rect
        lines = dict_to_lines(page.get_text("dict", flags=_TEXT_FLAGS))
        rules = drawings_to_rules(page.get_drawings())
        chars = sum(len(ln.raw) for ln in lines)
        result = Page(index + 1, rect.width, rect.height, "text", lines, rules)
        if chars < self.min_chars:
            result.source = "none"
            result.lines = []
        elif text_plausibility(lines) < 0.9:
            result.warnings.append("text layer does not look like Vietnamese text (legacy font or junk OCR layer)")
        return result
