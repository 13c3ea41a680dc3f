"""The reader registry: which file formats this version reads, and which reader reads a file.

A file is read by the first reader whose `sniff` recognises its content (a .doc that is really RTF
or HTML goes to the Word reader as what it is, a PNG named .pdf to the image reader); a file no
reader recognises goes to the reader of its suffix, which says precisely what is wrong with it
(e.g. "an HTML page: no %PDF- signature"). The run's input walk (`batch.inputs`), `--help`, the
README's list and `bench` take the formats from `READERS`. A new format is one module with a class
that fulfils `base.Reader`, added here, and its tests.
"""

from __future__ import annotations

import os
from pathlib import Path

from directives.errors import EmptyFileError, InputError, UnsupportedFormatError
from directives.extractors.base import PDF_MAGIC, Reader
from directives.extractors.image import ImageReader
from directives.extractors.model import Page
from directives.extractors.office import OfficeReader
from directives.extractors.options import OcrOptions

HEAD_BYTES = 2048


class PdfReader:
    """PDF files: the text layer where it reads as Vietnamese, OCR for the other pages (`read_pdf`)."""

    name = "PDF"
    suffixes = (".pdf",)

    def sniff(self, path: Path, head: bytes) -> bool:
        return PDF_MAGIC in head[:1024]

    def read(self, path: Path, ocr: OcrOptions | None, min_rules: int) -> list[Page]:
        from directives.extractors.read import (
            read_pdf,  # (PyMuPDF and the page readers: not for listing formats)
        )

        return read_pdf(path, ocr, min_rules)


READERS: tuple[Reader, ...] = (PdfReader(), OfficeReader(), ImageReader())


def suffixes() -> tuple[str, ...]:
    """Every file-name suffix a run reads (lower case, with the dot)."""
    return tuple(s for r in READERS for s in r.suffixes)


def formats_text() -> str:
    """The formats as one phrase: "PDF (.pdf), Word (.docx, .doc, …), image (.png, …)"."""
    return ", ".join(f"{r.name} ({', '.join(r.suffixes)})" for r in READERS)


def reader_by_suffix(path: str | Path) -> Reader | None:
    suffix = os.path.splitext(os.path.basename(path))[1].lower()
    return next((r for r in READERS if suffix in r.suffixes), None)


def reader_for(path: Path) -> Reader:
    """The reader for `path`: by content first, else by suffix. Raises `EmptyFileError`, or
    `UnsupportedFormatError` when neither tells a reader."""
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from exc
    if not head:
        raise EmptyFileError("empty file (0 bytes)")
    for reader in READERS:
        if reader.sniff(path, head):
            return reader
    by_suffix = reader_by_suffix(path)
    if by_suffix is None:
        raise UnsupportedFormatError(f"unsupported format ({path.suffix.lower() or 'no suffix'}): this version "
                                     f"reads {formats_text()}")
    return by_suffix
