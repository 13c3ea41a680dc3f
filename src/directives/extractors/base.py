"""What every reader shares: opening a PDF safely, and the reader interface (`Reader`, the contract
of the registry in `registry.py`)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from directives.errors import CorruptPdfError, EmptyFileError, EncryptedPdfError, InputError, NotAPdfError
from directives.extractors.model import Page

if TYPE_CHECKING:
    import pymupdf

    from directives.extractors.options import OcrOptions

PDF_MAGIC = b"%PDF-"


@functools.cache
def mupdf():
    """PyMuPDF, imported on first use (≈ 0.1 s: a run's own process, which reads no file, and the
    reader registry do without it), told to keep its messages: MuPDF prints repair messages on
    stdout by default; we collect them as warnings instead."""
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    return pymupdf


class Reader(Protocol):
    """One file format: recognised by its content, read into pages of the shared page model.

    `name` and `suffixes` are what the run's input walk, `--help`, the README and `bench` show;
    `sniff` decides by the first bytes (and, for containers, a look inside), so a file named for
    one format that holds another is read as what it is. `read` raises an `InputError` subclass
    for a file it cannot read."""

    @property
    def name(self) -> str: ...  # e.g. "PDF", "Word", "image"

    @property
    def suffixes(self) -> tuple[str, ...]: ...  # lower case, with the dot; the first is the format's usual one

    def sniff(self, path: Path, head: bytes) -> bool: ...

    def read(self, path: Path, ocr: OcrOptions | None, min_rules: int) -> list[Page]: ...


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
    pymupdf = mupdf()
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
    text = mupdf().TOOLS.mupdf_warnings(reset=True)
    return list(dict.fromkeys(m.strip() for m in text.splitlines() if m.strip()))
