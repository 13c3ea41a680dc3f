"""What every reader shares: opening a PDF safely, and the reader interface."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import pymupdf

from directives.errors import CorruptPdfError, EmptyFileError, EncryptedPdfError, InputError, NotAPdfError
from directives.extractors.model import Page

PDF_MAGIC = b"%PDF-"

# MuPDF prints repair messages on stdout by default; we collect them as warnings instead.
pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)


class Reader(Protocol):
    """A reader turns one page of an open document into the shared page model."""

    def read_page(self, doc: pymupdf.Document, index: int) -> Page: ...


def open_pdf(path: Path) -> pymupdf.Document:
    """Open `path` as a PDF or raise a precise `InputError` (never a library exception)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from exc
    if not head:
        raise EmptyFileError("empty file (0 bytes)")
    if PDF_MAGIC not in head:
        kind = "an HTML page" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "not a PDF"
        raise NotAPdfError(f"{kind}: no %PDF- signature in the first 1 KiB")
    pymupdf.TOOLS.reset_mupdf_warnings()
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for broken files
        raise CorruptPdfError(f"corrupt PDF: {exc}") from exc
    if doc.needs_pass:
        doc.close()
        raise EncryptedPdfError("password-protected PDF: cannot be read without its password")
    if doc.page_count == 0:
        doc.close()
        raise CorruptPdfError("corrupt or truncated PDF: no readable page")
    return doc


def reader_messages() -> list[str]:
    """Distinct MuPDF warnings since the last `open_pdf` (e.g. a damaged file it repaired)."""
    text = pymupdf.TOOLS.mupdf_warnings(reset=True)
    return list(dict.fromkeys(m.strip() for m in text.splitlines() if m.strip()))
