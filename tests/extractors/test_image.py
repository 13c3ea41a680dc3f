"""Scanned images read through OCR: the scanned seed rendered to PNG, JPEG and TIFF (200 and 300 dpi,
with and without a resolution in the file, one page or all ten) gives the scanned seed's fields."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest
from PIL import Image

from directives.extractors.image import image_to_pdf
from directives.extractors.read import extract_pages
from directives.pipeline.run import process
from directives.schemas import Directive
from tests.helpers import SEED_SCAN
from tests.test_seed import EXPECTED_MONTHS

pytestmark = pytest.mark.skipif(__import__("shutil").which("tesseract") is None, reason="tesseract is not installed")


def rendered(page: int, dpi: int) -> Image.Image:
    with pymupdf.open(SEED_SCAN) as doc:
        return Image.open(io.BytesIO(doc[page].get_pixmap(dpi=dpi).tobytes("png")))


def metadata(directive: Directive) -> dict:
    return directive.metadata.model_dump(exclude={"confidence"})


@pytest.fixture(scope="module")
def letter_page(tmp_path_factory) -> dict[str, Path]:
    """Page 1 of the scan (the whole letter: header, subject, signer, distribution) in several files."""
    folder = tmp_path_factory.mktemp("images")
    files = {}
    for dpi in (200, 300):
        im = rendered(0, dpi)
        files[f"png-{dpi}"] = folder / f"p1-{dpi}.png"
        im.save(files[f"png-{dpi}"], dpi=(dpi, dpi))
        files[f"tif-{dpi}"] = folder / f"p1-{dpi}.tif"
        im.save(files[f"tif-{dpi}"], dpi=(dpi, dpi), compression="tiff_lzw")
    files["png-no-dpi"] = folder / "p1-no-dpi.png"
    rendered(0, 200).save(files["png-no-dpi"])
    files["jpg-72"] = folder / "p1-72.jpg"
    rendered(0, 300).convert("RGB").save(files["jpg-72"], dpi=(72, 72), quality=90)  # a copier JPEG; 85 loses the distribution block
    return files


@pytest.mark.parametrize("kind", ["png-200", "tif-200", "png-300", "tif-300", "png-no-dpi", "jpg-72"])
def test_the_letter_page_as_an_image_gives_the_seed_fields(letter_page, kind, seed_directive):
    directive = process(letter_page[kind])
    assert directive.source.page_sources == ["ocr"]
    assert metadata(directive) == metadata(seed_directive)
    estimated = [w.message for w in directive.warnings if "estimated against A4" in w.message]
    assert bool(estimated) == (kind in ("png-no-dpi", "jpg-72")), estimated


def test_the_resolution_sizes_the_page(letter_page):
    """A4 at its own or at an estimated resolution: the page is A4 in points whatever the pixels."""
    for kind in ("png-200", "tif-300", "png-no-dpi", "jpg-72"):
        out = letter_page[kind].with_suffix(".pdf")
        image_to_pdf(letter_page[kind], out)
        with pymupdf.open(out) as pdf:
            assert pdf.page_count == 1
            assert (round(pdf[0].rect.width), round(pdf[0].rect.height)) in {(595, 842), (596, 842)}, kind


def test_a_phone_photo_of_a_page_does_not_stop_the_reader(tmp_path):
    """Perspective and uneven light: read (maybe badly), never a crash."""
    rgb = np.asarray(rendered(0, 150).convert("RGB"))
    h, w = rgb.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[w * 0.08, h * 0.05], [w * 0.95, 0], [w, h], [0, h * 0.97]])
    photo = cv2.warpPerspective(rgb, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=(60, 50, 40))
    shade = np.linspace(0.55, 1.0, w, dtype=np.float32)[None, :, None]
    path = tmp_path / "IMG_0001.jpg"
    Image.fromarray((photo * shade).astype(np.uint8)).save(path, dpi=(72, 72), quality=80)
    pages = extract_pages(path)
    assert len(pages) == 1 and pages[0].source in ("ocr", "none")


@pytest.mark.slow
def test_a_multi_page_tiff_of_the_whole_scan_gives_the_whole_document(tmp_path, seed_directive):
    with pymupdf.open(SEED_SCAN) as doc:
        count = doc.page_count
    frames = [rendered(i, 200).convert("RGB") for i in range(count)]  # colour: the red seal is told from the ink
    path = tmp_path / "scan.tiff"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(200, 200), compression="tiff_lzw")
    directive = process(path)
    assert directive.source.page_sources == ["ocr"] * count
    assert metadata(directive) == metadata(seed_directive)
    assert [s.number for s in directive.sections] == [s.number for s in seed_directive.sections]
    assert [(p.type, p.pages) for p in directive.parts] == [(p.type, p.pages) for p in seed_directive.parts]
    assert len(directive.activities) == 29
    assert sum(a.months == m for a, m in zip(directive.activities, EXPECTED_MONTHS, strict=True)) >= 27
