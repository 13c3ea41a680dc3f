"""Table cells read again one by one: Tesseract's page layout runs lines across the borders of
cells side by side, so a cell whose page reading looks wrong is read on its own."""

from __future__ import annotations

from statistics import median

import cv2
import numpy as np

from directives.extractors.options import OcrOptions
from directives.extractors.scan_rules import Cell
from directives.extractors.tesseract import image_tsv, tsv_to_rows

CELL_PAD = 8  # px of white around a cell's crop: Tesseract reads text touching the image's edge badly
CELL_BLOCKS = 1000  # block numbers of a cell's words start at (cell index + 1) × this
CELL_PSMS = (6, 7)  # Tesseract page segmentation tried on a cell: a block of text, then a single line
CELL_MIN_CONF = 50.0  # mean confidence (0–100) under which a cell's own reading is not taken


def _read_cell(crop: np.ndarray, opts: OcrOptions, dpi: int) -> tuple[list[dict], float]:
    """One cell's words (TSV rows in the crop's pixels) and their mean confidence: read as a block
    of text, else as a single line. (Reading it again twice as large when unsure was tried: on the
    dev set as many cells came out worse as better.)"""
    image = cv2.copyMakeBorder(crop, CELL_PAD, CELL_PAD, CELL_PAD, CELL_PAD, cv2.BORDER_CONSTANT, value=255)
    found: list[dict] = []
    for psm in CELL_PSMS:
        try:
            found = [r for r in tsv_to_rows(image_tsv(image, opts.lang, psm, dpi, opts.timeout, opts.in_process))
                     if r["conf"] >= 100 * opts.min_conf]
        except RuntimeError:
            found = []
        if found:
            break
    found = [{**r, "left": r["left"] - CELL_PAD, "top": r["top"] - CELL_PAD} for r in found]
    return found, _mean_conf(found)


def _mean_conf(rows: list[dict]) -> float:
    return sum(r["conf"] for r in rows) / len(rows) if rows else 0.0


CELL_DOUBT_CONF = 80.0  # mean confidence (0–100) of a cell's page words under which it is read again
CELL_STRAY = 0.2  # share of a cell's ink outside its page words' boxes above which it is read again


def _overlap(a: dict, b: dict) -> bool:
    """Do two word boxes lie over each other (not the few pixels where a descender meets the marks of
    the line under it): across by 30 % of the narrower, down by 30 % of the lower one?"""
    across = min(a["left"] + a["width"], b["left"] + b["width"]) - max(a["left"], b["left"])
    down = min(a["top"] + a["height"], b["top"] + b["height"]) - max(a["top"], b["top"])
    return across > 0.3 * min(a["width"], b["width"]) and down > 0.3 * min(a["height"], b["height"])


def cell_doubtful(x: int, y: int, w: int, h: int, words: list[dict], stray: float = 0.0) -> bool:
    """Does the page's reading of a cell (its words, TSV rows whose centres lie in it) look wrong?
    No words on its ink, much of its ink outside the words (`stray`: text the page's layout did not
    read), little confidence, a word running over the cell's border (words of the
    cells beside it read as one), a word of letters less than half as tall as the cell's others, or
    two words lying over each other: the page's layout, running lines across side-by-side cells,
    reads fragments twice ('PHỤ TRÁ TRÁCH CHƯƠNG ƠNG TRI TRÌNH', the tops of letters as a line)."""
    if not words or stray > CELL_STRAY or _mean_conf(words) < CELL_DOUBT_CONF:
        return True
    slack = 2
    for r in words:
        if (r["left"] < x - slack or r["top"] < y - slack or r["left"] + r["width"] > x + w + slack
                or r["top"] + r["height"] > y + h + slack):
            return True
    usual = median(r["height"] for r in words)
    if any(r["height"] < 0.5 * usual and sum(c.isalpha() for c in r["text"]) >= 2 for r in words):
        return True
    return any(_overlap(a, b) for i, a in enumerate(words) for b in words[i + 1:])


def in_grids(cells: list[Cell], gap: int = 12) -> list[bool]:
    """For each cell: does another lie beside it (across a wall at most `gap` pixels thick, the two
    overlapping along it)? A lone box (an e-office stamp's frame, a boxed note) is no table's cell."""
    if not cells:
        return []
    x0, y0 = (np.array([c[k] for c in cells]) for k in (0, 1))
    x1, y1 = x0 + np.array([c[2] for c in cells]), y0 + np.array([c[3] for c in cells])
    over_x = np.minimum(x1[:, None], x1[None]) - np.maximum(x0[:, None], x0[None]) > 0
    over_y = np.minimum(y1[:, None], y1[None]) - np.maximum(y0[:, None], y0[None]) > 0
    gap_x = np.maximum(x0[:, None], x0[None]) - np.minimum(x1[:, None], x1[None])
    gap_y = np.maximum(y0[:, None], y0[None]) - np.minimum(y1[:, None], y1[None])
    beside = (over_y & (gap_x >= 0) & (gap_x <= gap)) | (over_x & (gap_y >= 0) & (gap_y <= gap))
    np.fill_diagonal(beside, False)
    return beside.any(axis=1).tolist()


def read_cells(grey: np.ndarray, ink: np.ndarray, cells: list[Cell], rows: list[dict], opts: OcrOptions,
               dpi: int) -> list[dict]:
    """The page's words (TSV rows) with the words of each table cell read again on its own:
    Tesseract's page layout runs lines across the borders of cells side by side (a cell's words
    mixed with its neighbour's, fragments read twice). A cell's own reading replaces the page's
    words there (each cell its own blocks) when it found words with some confidence, no less than
    the page's there: a lone "7." that a cell's reading drops, the page reads in its column."""
    out = list(rows)
    centres = [(r["left"] + r["width"] // 2, r["top"] + r["height"] // 2) for r in rows]
    stray = ink > 0  # ink outside every word's box (grown by a few pixels)
    for r in rows:
        stray[max(r["top"] - 3, 0):r["top"] + r["height"] + 3, max(r["left"] - 3, 0):r["left"] + r["width"] + 3] = False
    for k, ((x, y, w, h, own), grid) in enumerate(zip(cells, in_grids(cells), strict=True)):
        n_ink = np.count_nonzero(ink[y:y + h, x:x + w][own]) if grid else 0
        if n_ink < 12:
            continue  # a blank cell, or a lone box
        inside = [i for i, (cx, cy) in enumerate(centres)
                  if x <= cx < x + w and y <= cy < y + h and own[cy - y, cx - x]]
        share = np.count_nonzero(stray[y:y + h, x:x + w][own]) / n_ink
        if opts.read_cells == "doubtful" and not cell_doubtful(x, y, w, h, [rows[i] for i in inside], share):
            continue
        found, mean = _read_cell(np.where(own, grey[y:y + h, x:x + w], np.uint8(255)), opts, dpi)
        if mean < CELL_MIN_CONF or mean < _mean_conf([rows[i] for i in inside]) - 5:
            continue
        for i in inside:
            out[i] = {}
        out.extend({**r, "left": r["left"] + x, "top": r["top"] + y, "block_num": (k + 1) * CELL_BLOCKS + r["block_num"]}
                   for r in found)
    return [r for r in out if r]
