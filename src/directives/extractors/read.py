"""Read a PDF into pages: the text layer, OCR for scanned pages and for text layers that do not read as Vietnamese."""

from __future__ import annotations

from pathlib import Path

from directives.errors import DirectivesError
from directives.extractors.base import open_pdf, reader_messages
from directives.extractors.model import Line, Page
from directives.extractors.options import OcrOptions
from directives.extractors.overlay import bridge, holds_word, host_of, place_word
from directives.extractors.pdf_text import IMPLAUSIBLE, TextLayerReader
from directives.extractors.sigcheck import check_signatures
from directives.syllables import vietnamese_score

__all__ = ["extract_pages", "needs_ocr", "read_pdf"]


def needs_ocr(page: Page) -> bool:
    """A scanned page (images, no text layer) or a text layer that does not read as Vietnamese."""
    scanned = page.source == "none" and page.width > 0  # width 0: the page could not be loaded
    return scanned or (page.source == "text" and page.warned("text-layer-implausible"))


def page_score(page: Page) -> float:
    return vietnamese_score(" ".join(ln.raw for ln in page.lines))[0]


def merge_ocr(page: Page, found: Page | Exception) -> Page:
    """The page to keep once OCR has run: the OCR page, unless OCR failed or read a text layer
    worse than the layer itself; what happened is said in the page's warnings. The OCR page keeps
    the text layer's signatures and boxes (`with_signature_text`)."""
    if isinstance(found, Exception):
        reason = found.reason if isinstance(found, DirectivesError) else f"{type(found).__name__}: {found}"
        page.warn("ocr-failed", f"OCR failed: {reason}")
        return page
    if page.source == "text":
        if not found.lines or page_score(found) <= page_score(page):
            page.warn("ocr-not-better", "OCR of this page read no better; text layer kept")
            return page
        found.warn("text-layer-replaced", f"{IMPLAUSIBLE}; page read by OCR instead", first=True)
    return with_signature_text(found, page)


def with_signature_text(found: Page, layer: Page) -> Page:
    """The OCR page `found` with what the text layer `layer` read of signatures: its signatures and
    boxes; the OCR lines that read a box printed in the page (not in a signature's appearance, which
    OCR does not see) dropped; the stamped values placed into the OCR lines they lie on (unless OCR
    read them there too)."""
    found.signatures, found.boxes = layer.signatures, layer.boxes
    if layer.boxes:
        found.lines = [ln for ln in found.lines if not any(_inside(ln, box.bbox) for box in layer.boxes)]
    for stamp in layer.stamps:
        word = stamp.word
        stamp.host = host_of(found.lines, word.x0, word.y0, word.x1, word.y1, in_blank=False)
        if stamp.host is None:
            stamp.host = bridge(found.lines, word)
        elif not holds_word(stamp.host, word):
            place_word(word, stamp.host)
    found.stamps = layer.stamps
    return found


def _inside(line: Line, box: tuple[float, float, float, float], margin: float = 3.0) -> bool:
    x0, y0, x1, y1 = box
    return x0 - margin <= line.xc <= x1 + margin and y0 - margin <= (line.y0 + line.y1) / 2 <= y1 + margin


def extract_pages(path: Path, ocr: OcrOptions | None = None, min_rules: int = 4) -> list[Page]:
    """All pages of `path`, read by the reader its content calls for (`registry.reader_for`: PDF, Word,
    image). Raises an `InputError` subclass for a file no reader can read."""
    from directives.extractors.registry import reader_for  # its readers build on `read_pdf` below

    return reader_for(path).read(path, ocr, min_rules)


def _ocr(path: Path, todo: list[int], ocr: OcrOptions | None) -> dict:
    """OCR of pages `todo` (the OCR libraries loaded only when a page needs them)."""
    if not todo:
        return {}
    from directives.extractors.ocr import ocr_pages

    return ocr_pages(path, todo, ocr)


def read_pdf(path: Path, ocr: OcrOptions | None = None, min_rules: int = 4) -> list[Page]:
    """All pages of the PDF `path`, each from the best source available: the text layer when it reads as
    Vietnamese, OCR for scanned pages and implausible text layers (in worker processes). A page's
    drawn rules are read only when it can draw `min_rules` segments (what a ruled table needs).
    Signature boxes are kept apart from the lines, values stamped into blanks placed into their
    lines, and the file's digital signatures read and checked (`signatures.py`).

    Raises an `InputError` subclass when the file cannot be opened at all; a page that fails to
    load becomes an empty page with a warning. Without tesseract, scanned pages stay source "none"
    with a warning naming the packages to install.
    """
    doc = open_pdf(path)
    reader = TextLayerReader(min_rules)
    pages: list[Page] = []
    try:
        for i in range(doc.page_count):
            try:
                pages.append(reader.read_page(doc, i))
            except Exception as exc:  # a damaged page must not lose the rest of the file
                pages.append(lost := Page(i + 1, 0.0, 0.0, "none"))
                lost.warn("page-unreadable", f"page could not be read: {exc}")
    finally:
        doc.close()
    messages = reader_messages()
    signatures = [sig for p in pages for sig in p.signatures]
    if signatures:
        check_signatures(signatures, path.read_bytes())
    todo = [i for i, p in enumerate(pages) if needs_ocr(p)]
    try:
        found = _ocr(path, todo, ocr)
    except DirectivesError as exc:  # tesseract or its language data missing
        for i in todo:
            pages[i].warn("ocr-unavailable", f"page not read by OCR: {exc.reason}")
        found = {}
    for i, result in found.items():
        pages[i] = merge_ocr(pages[i], result)
    if messages and pages:
        shown = "; ".join(messages[:3]) + (f" (+{len(messages) - 3} more)" if len(messages) > 3 else "")
        pages[0].warn("pdf-repaired", f"damaged PDF, repaired by the reader: {shown}")
    return pages
