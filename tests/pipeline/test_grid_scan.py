"""A faint, broken grid on a page image (a scan's crop drawn by hand): its rules are read off the
image before the clean-up erases them, and still make the grid, every row and column."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from directives.extractors.ocr import OcrOptions, prepare
from directives.pipeline.grid import page_grids
from tests.helpers import line

DPI = 200
XS = [100, 250, 800, 1100]  # px
YS = [200 + 60 * k for k in range(6)]
PT = 72.0 / DPI


def faint_grid(level: int, gaps: bool) -> np.ndarray:
    """Black text in a grid drawn in grey `level`; with `gaps`, every row rule broken in three places
    (2 pt holes), one where it meets a column, and a column rule broken halfway down."""
    img = np.full((800, 1300, 3), 255, np.uint8)
    for y in YS:
        cv2.line(img, (XS[0], y), (XS[-1], y), (level,) * 3, 2)
    for x in XS:
        cv2.line(img, (x, YS[0]), (x, YS[-1]), (level,) * 3, 2)
    if gaps:
        for k, y in enumerate(YS):
            for x in (170 + 40 * k, 520 + 30 * k, 950 - 20 * k):
                img[y - 3:y + 4, x:x + 6] = 255
        img[YS[2] - 3:YS[2] + 4, XS[1] - 3:XS[1] + 4] = 255  # a junction lost
        img[YS[2] + 27:YS[2] + 33, XS[2] - 3:XS[2] + 4] = 255  # a column rule in two pieces
    for r in range(5):
        cv2.putText(img, str(r + 1), (XS[0] + 20, YS[r] + 40), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
        cv2.putText(img, "Noi dung", (XS[1] + 20, YS[r] + 40), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    return img


def cell_lines() -> list:
    """What OCR would read in the cells (the test is of the rules, not of Tesseract)."""
    out = []
    for r in range(5):
        out.append(line(str(r + 1), (XS[0] + 20) * PT, (YS[r] + 15) * PT, (XS[0] + 40) * PT, size=8))
        out.append(line("Nội dung", (XS[1] + 20) * PT, (YS[r] + 15) * PT, (XS[1] + 180) * PT, size=8))
        out.append(line(f"Tháng {r + 3}", (XS[2] + 20) * PT, (YS[r] + 15) * PT, (XS[2] + 160) * PT, size=8))
    return out


@pytest.mark.parametrize("level", [0, 150])
@pytest.mark.parametrize("gaps", [False, True])
def test_a_faint_broken_grid_is_found_with_every_row_and_column(level, gaps):
    grey, _, _, rules, _ = prepare(faint_grid(level, gaps), OcrOptions(), DPI)
    (grid,) = page_grids(rules, cell_lines(), 1, 2.5, 2)
    assert [round(x / PT) for x in grid.xs] == pytest.approx(XS, abs=3)
    assert grid.rows == [[str(r + 1), "Nội dung", f"Tháng {r + 3}"] for r in range(5)]
    rule_pixels = grey[YS[0] - 1:YS[0] + 2, XS[1] + 5:XS[-1] - 5]
    assert (rule_pixels == 255).mean() > 0.99  # found, then erased before OCR (a piece under 15 mm may stay)
