"""Table cells read again one by one: Tesseract's page layout runs lines across the borders of
cells side by side, so a cell whose page reading looks wrong is read on its own, each word keeping
the surer reading, and a grid's first row (the column names) keeps the labels read unsure."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

import cv2
import numpy as np

from directives.extractors.options import OcrOptions
from directives.extractors.scan_rules import Cell
from directives.extractors.tesseract import image_tsv, tsv_to_rows
from directives.syllables import is_syllable

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


def _beside(cells: list[Cell], gap: int) -> np.ndarray:
    """Which cells lie beside which (across a wall at most `gap` pixels thick, overlapping along it)."""
    x0, y0 = (np.array([c[k] for c in cells]) for k in (0, 1))
    x1, y1 = x0 + np.array([c[2] for c in cells]), y0 + np.array([c[3] for c in cells])
    over_x = np.minimum(x1[:, None], x1[None]) - np.maximum(x0[:, None], x0[None]) > 0
    over_y = np.minimum(y1[:, None], y1[None]) - np.maximum(y0[:, None], y0[None]) > 0
    gap_x = np.maximum(x0[:, None], x0[None]) - np.minimum(x1[:, None], x1[None])
    gap_y = np.maximum(y0[:, None], y0[None]) - np.minimum(y1[:, None], y1[None])
    beside = (over_y & (gap_x >= 0) & (gap_x <= gap)) | (over_x & (gap_y >= 0) & (gap_y <= gap))
    np.fill_diagonal(beside, False)
    return beside


def in_grids(cells: list[Cell], gap: int = 12) -> list[bool]:
    """For each cell: does another lie beside it (across a wall at most `gap` pixels thick, the two
    overlapping along it)? A lone box (an e-office stamp's frame, a boxed note) is no table's cell."""
    return [bool(n) for n in np.count_nonzero(_beside(cells, gap), axis=1)] if cells else []


def in_first_row(cells: list[Cell], tol: int, gap: int = 12) -> list[bool]:
    """For each cell: does it start at the top of its grid (the cells joined to it wall by wall), within
    `tol` pixels? There a table prints its column names."""
    if not cells:
        return []
    beside, top = _beside(cells, gap), [c[1] for c in cells]
    out, seen = [False] * len(cells), [False] * len(cells)
    for start in range(len(cells)):
        if seen[start]:
            continue
        seen[start], group, k = True, [start], 0
        while k < len(group):
            for j in np.flatnonzero(beside[group[k]]).tolist():
                if not seen[j]:
                    seen[j] = True
                    group.append(j)
            k += 1
        first = min(top[i] for i in group)
        for i in group:
            out[i] = len(group) > 1 and top[i] <= first + tol
    return out


SWAP_MARGIN = 30.0  # confidence (0–100) by which the page's reading of a word must beat the cell's to be kept


def _within(r: dict, x: int, y: int, w: int, h: int, slack: int = 2) -> bool:
    return (r["left"] >= x - slack and r["top"] >= y - slack and r["left"] + r["width"] <= x + w + slack
            and r["top"] + r["height"] <= y + h + slack)


def surer_of_each(cell_words: list[dict], page_words: list[dict], box: tuple[int, int, int, int]) -> list[dict]:
    """A cell's own words, each replaced by the page's reading of the same word (their boxes lie over
    each other, one to one, the page's inside the cell) when the page read it much more surely: a
    cell read well as a whole can still read one word worse than the page did ('RiữHM' for 'RHM')."""
    out = []
    for c in cell_words:
        over = [p for p in page_words if _overlap(c, p) and _within(p, *box)]
        if len(over) == 1 and over[0]["conf"] >= c["conf"] + SWAP_MARGIN \
                and sum(_overlap(o, over[0]) for o in cell_words) == 1:
            c = {**over[0], **{k: c[k] for k in ("block_num", "par_num", "line_num", "word_num")}}
        out.append(c)
    return out


ABBREVIATION = 6  # letters of a word in capitals taken as an abbreviation (STT, ĐVT, BVĐK)
_EDGE = "()[]{}.,:;-–'\"“”"


def label_word(text: str) -> bool:
    """Could a printer have set this as a column label's word: three letters or more, each part (split
    at slashes) a Vietnamese syllable or an abbreviation in capitals ('HUYỆN/TT', not 'NIei')?"""
    parts = [p.strip(_EDGE) for p in text.strip(_EDGE).split("/")]
    if sum(ch.isalpha() for ch in text) < 3 or not all(parts):
        return False
    return all(p.isalpha() and (is_syllable(p) or p.isupper() and len(p) <= ABBREVIATION) for p in parts)


def faint_labels(words: list[dict], faint: Sequence[dict], box: tuple[int, int, int, int],
                 own: np.ndarray) -> list[dict]:
    """Words Tesseract read with too little confidence to keep on a page, taken back in a cell of a
    grid's first row: there a table names its columns in short capitals, under shading or a seal,
    that Tesseract reads unsure but nearly right ('HUYỆN/TT' for 'HUYỆN/THỊ'). Only a word spelt like
    a label's (`label_word`; a continued table's first row is a body row, its junk no label), as tall
    as the cell's sure words (not a speck, a stroke or a seal's ring) and lying over none of them."""
    x, y, w, h = box
    if not words:
        return []
    usual = median(r["height"] for r in words)
    out = []
    for r in faint:
        cx, cy = r["left"] + r["width"] // 2, r["top"] + r["height"] // 2
        if not (x <= cx < x + w and y <= cy < y + h and own[cy - y, cx - x]) or not _within(r, *box):
            continue
        if not label_word(r["text"]):
            continue
        if 0.6 * usual <= r["height"] <= 1.8 * usual and not any(_overlap(r, o) for o in words):
            out.append(r)
    return out


def read_cells(grey: np.ndarray, ink: np.ndarray, cells: list[Cell], rows: list[dict], opts: OcrOptions,
               dpi: int, faint: Sequence[dict] = ()) -> list[dict]:
    """The page's words (TSV rows) with the words of each table cell read again on its own:
    Tesseract's page layout runs lines across the borders of cells side by side (a cell's words
    mixed with its neighbour's, fragments read twice). A cell's own reading replaces the page's
    words there (each cell its own blocks) when it found words with some confidence, no less than
    the page's there: a lone "7." that a cell's reading drops, the page reads in its column. Each
    word keeps the surer of the two readings (`surer_of_each`). In a grid's first row, the `faint`
    words (read below the page's confidence floor) that look like a label are taken back (`faint_labels`)."""
    out = list(rows)
    centres = [(r["left"] + r["width"] // 2, r["top"] + r["height"] // 2) for r in rows]
    stray = ink > 0  # ink outside every word's box (grown by a few pixels)
    for r in rows:
        stray[max(r["top"] - 3, 0):r["top"] + r["height"] + 3, max(r["left"] - 3, 0):r["left"] + r["width"] + 3] = False
    firsts = in_first_row(cells, dpi // 10)
    for k, ((x, y, w, h, own), grid, first) in enumerate(zip(cells, in_grids(cells), firsts, strict=True)):
        n_ink = np.count_nonzero(ink[y:y + h, x:x + w][own]) if grid else 0
        if n_ink < 12:
            continue  # a blank cell, or a lone box
        inside = [i for i, (cx, cy) in enumerate(centres)
                  if x <= cx < x + w and y <= cy < y + h and own[cy - y, cx - x]]
        words = [rows[i] for i in inside]
        share = np.count_nonzero(stray[y:y + h, x:x + w][own]) / n_ink
        if opts.read_cells == "all" or cell_doubtful(x, y, w, h, words, share):
            found, mean = _read_cell(np.where(own, grey[y:y + h, x:x + w], np.uint8(255)), opts, dpi)
            if mean >= CELL_MIN_CONF and mean >= _mean_conf(words) - 5:
                for i in inside:
                    out[i] = {}
                found = [{**r, "left": r["left"] + x, "top": r["top"] + y,
                          "block_num": (k + 1) * CELL_BLOCKS + r["block_num"]} for r in found]
                words = surer_of_each(found, words, (x, y, w, h))
                out.extend(words)
        if first:
            out.extend(faint_labels(words, faint, (x, y, w, h), own))
    return [r for r in out if r]
