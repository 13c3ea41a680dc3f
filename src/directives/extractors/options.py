"""How scanned pages are read (`OcrOptions`): kept apart from `ocr.py`, so that the pipeline's options
load without OpenCV and PyMuPDF."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field

from directives.options import Options


class OcrOptions(Options):
    """How scanned pages are read; the defaults suit Vietnamese administrative scans."""

    lang: str = Field("vie", description="Tesseract language(s), e.g. vie or vie+eng")
    dpi: int = Field(0, ge=0, le=600, description="render resolution; 0 = the scan's own (the page image's), "
                                                  "kept within min_dpi..max_dpi")
    min_dpi: int = Field(200, ge=72, le=600, description="lowest render resolution (Tesseract misreads "
                                                         "diacritics on smaller renderings)")
    max_dpi: int = Field(300, ge=72, le=600, description="highest render resolution")
    psm: int = Field(4, ge=0, le=13, description="Tesseract page segmentation mode: 4 = one column of lines "
                                                 "of any size")
    workers: int = Field(0, ge=0, description="parallel OCR worker processes; 0 = one per core")
    in_process: bool = Field(True, description="libtesseract through its C API when loadable, else the "
                                               "tesseract binary")
    remove_ink: bool = Field(True, description="red and blue seals and signatures turned white before "
                                               "binarisation")
    deskew: bool = Field(True, description="straighten a page scanned askew")
    max_skew: float = Field(8.0, ge=0.0, le=15.0, description="degrees searched either way when deskewing")
    erase_rules: bool = Field(True, description="long horizontal and vertical lines (table rules) erased "
                                                "before OCR")
    chroma: int = Field(40, ge=0, le=255, description="max - min of R, G, B above which a pixel is ink colour")
    min_conf: float = Field(0.1, ge=0.0, le=1.0, description="words read with less confidence are dropped "
                                                             "(Tesseract gives 0 to seal remnants)")
    bold_ratio: float = Field(1.22, gt=0.0, description="a word's stroke width over the page's usual one "
                                                        "above which it is bold")
    timeout: float = Field(300.0, gt=0, description="seconds per page for tesseract")
    read_cells: Literal["doubtful", "all", "off"] = Field(
        "doubtful", description="table cells read again on their own: those whose page reading looks wrong, "
                                "all, or none")

    def worker_count(self, tasks: int) -> int:
        return max(1, min(tasks, self.workers or os.cpu_count() or 1))
