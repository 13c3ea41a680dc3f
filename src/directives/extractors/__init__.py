"""Readers that turn a file into pages of the shared page model."""

from __future__ import annotations

from pathlib import Path

from directives.extractors.base import open_pdf, reader_messages
from directives.extractors.model import Line, Page, Rule, Word
from directives.extractors.pdf_text import TextLayerReader

__all__ = ["Line", "Page", "Rule", "Word", "extract_pages"]


def extract_pages(path: Path) -> list[Page]:
    """All pages of `path`, each from the best source available (today: the text layer).

    Raises an `InputError` subclass when the file cannot be opened at all; a page that fails to
    load becomes an empty page with a warning.
    """
    doc = open_pdf(path)
    reader = TextLayerReader()
    pages: list[Page] = []
    try:
        for i in range(doc.page_count):
            try:
                pages.append(reader.read_page(doc, i))
            except Exception as exc:  # a damaged page must not lose the rest of the file
                pages.append(Page(i + 1, 0.0, 0.0, "none", warnings=[f"page could not be read: {exc}"]))
    finally:
        doc.close()
    messages = reader_messages()
    if messages and pages:
        shown = "; ".join(messages[:3]) + (f" (+{len(messages) - 3} more)" if len(messages) > 3 else "")
        pages[0].warnings.append(f"damaged PDF, repaired by the reader: {shown}")
    return pages
