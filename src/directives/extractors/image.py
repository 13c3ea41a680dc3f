"""Scanned images (PNG, JPEG, TIFF with one or more pages, BMP, WebP) read like a scanned PDF.

Each image (each frame of a TIFF) becomes one page of a temporary image-only PDF, sized so that
the image has its resolution on it; the PDF reader then sends every page to OCR, which renders the
page at that resolution (kept within OCR's min..max dpi). The resolution is the file's own when it
is plausible for a page of paper, else estimated by taking the image's long side for the long side
of A4 (a copier's JPEG often says 72 or nothing; MuPDF reads "nothing" as 96). A folder of
one-image-per-page scans stays one document per file.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from directives.errors import CorruptImageError, InputError
from directives.extractors.base import mupdf
from directives.extractors.model import Page
from directives.extractors.options import OcrOptions

if TYPE_CHECKING:
    import pymupdf

A4_LONG_IN = 297 / 25.4  # inches
DPI_RANGE = (72.0, 1200.0)  # a scanner's or copier's settings
PAGE_LONG_IN = (5.0, 17.0)  # the long side of a sheet, A6 (5.8 in) … A3 (16.5 in)

# content signature → format; WebP is decoded by Pillow (MuPDF does not read it)
MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"),
         (b"BM", "bmp"))


def image_kind(head: bytes) -> str | None:
    """The image format the first bytes announce, or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return next((kind for magic, kind in MAGIC if head.startswith(magic)), None)


def page_dpi(width_px: int, height_px: int, declared: float | None) -> tuple[float, bool]:
    """The resolution of a scanned page image and whether it was estimated (the declared one is not
    plausible: outside `DPI_RANGE`, or it makes a sheet smaller than A6 or larger than A3)."""
    long_px = max(width_px, height_px)
    if declared and DPI_RANGE[0] <= declared <= DPI_RANGE[1] and \
            PAGE_LONG_IN[0] <= long_px / declared <= PAGE_LONG_IN[1]:
        return declared, False
    return long_px / A4_LONG_IN, True


def _open_image(path: Path, kind: str | None) -> pymupdf.Document:
    pymupdf = mupdf()
    try:
        if kind == "webp":
            import io

            from PIL import Image  # Pillow comes with pdfplumber

            with Image.open(path) as im:
                buf = io.BytesIO()
                dpi = im.info.get("dpi")
                im.save(buf, "PNG", **({"dpi": dpi} if dpi else {}))
            return pymupdf.open(stream=buf.getvalue(), filetype="png")
        return pymupdf.open(path, filetype=kind or None)
    except Exception as exc:  # MuPDF and Pillow raise several types for a damaged image
        raise CorruptImageError(f"damaged or unreadable image: {exc}") from exc


def image_to_pdf(path: Path, out: Path) -> list[str]:
    """Write the pages of the image file `path` into the PDF `out`; the warnings of each page (a
    resolution estimated). Raises `CorruptImageError` for a file that is not a readable image."""
    with path.open("rb") as fh:
        kind = image_kind(fh.read(16))
    if kind is None:
        raise CorruptImageError(f"not an image: no PNG, JPEG, TIFF, BMP or WebP signature ({path.suffix or 'no suffix'})")
    src = _open_image(path, kind)
    pymupdf = mupdf()
    warnings: list[str] = []
    try:
        conv = pymupdf.open("pdf", src.convert_to_pdf())
        pdf = pymupdf.open()
        for page in conv:
            images = page.get_images()
            if not images:
                raise CorruptImageError(f"image page {page.number + 1} holds no picture")
            xref = images[0][0]
            w, h = images[0][2], images[0][3]
            declared = w * 72.0 / page.rect.width if page.rect.width else None
            dpi, estimated = page_dpi(w, h, declared)
            target = pdf.new_page(width=w * 72.0 / dpi, height=h * 72.0 / dpi)
            target.insert_image(target.rect, stream=conv.extract_image(xref)["image"])
            warnings.append(f"image resolution estimated against A4: {dpi:.0f} dpi (the file says "
                            f"{declared or 0:.0f})" if estimated else "")
        pdf.save(out, deflate=True)
    except InputError:
        raise
    except Exception as exc:
        raise CorruptImageError(f"damaged or unreadable image: {exc}") from exc
    finally:
        src.close()
    return warnings


class ImageReader:
    """Scanned page images, through the OCR path of a scanned PDF (`image_to_pdf`)."""

    name = "image"
    suffixes = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")

    def sniff(self, path: Path, head: bytes) -> bool:
        return image_kind(head) is not None

    def read(self, path: Path, ocr: OcrOptions | None, min_rules: int) -> list[Page]:
        from directives.extractors.read import read_pdf

        with tempfile.TemporaryDirectory(prefix="directives-image-") as tmp:
            pdf = Path(tmp) / "pages.pdf"
            notes = image_to_pdf(path, pdf)
            pages = read_pdf(pdf, ocr, min_rules)
        for page, note in zip(pages, notes, strict=False):
            if note:
                page.warn("image-dpi-estimated", note)
        return pages
