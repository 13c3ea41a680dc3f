"""Signer blocks Tesseract passes over, read again from a crop of their own.

Under a signer's title lie the signature, often the seal, and the name. Read as part of a page,
Tesseract can take the whole block for a picture and return no word of it, not even the typed or
stamped title and name, which it reads at once from a crop with sparse-text segmentation. So the
right half beside a "Nơi nhận:" label with no title read there, and the space under a title line
(a known signer's title, in capitals) with no name-like line under it, are read again. Only
confident words are added, never over a word already read; the pipeline still decides what is a
title and what a name.
"""

from __future__ import annotations

import re

import numpy as np
from rapidfuzz.distance import Levenshtein

from directives.knowledge import AUTHORITIES, SIGNER_TITLES, TITLE_PHRASES
from directives.vntext import fold

PSM_SPARSE = 11  # sparse text: words found wherever they lie, among strokes and a seal
PSM_BLOCK = 6  # one block of text: a title a seal crosses, which sparse reading breaks into letters
MIN_CONF = 60.0  # Tesseract confidence (0–100) every word of a line read again must reach
TEXT_INK = 0.2  # share of ink in the band under a line that is a line of print (a seal's arc: 0.05)
BLOCK_STEP = 100  # block numbers apart between two crops' lines (a crop holds a few)
TITLE_CONF = 30.0  # … a title's words, when they spell a known title whole
NOISE_CONF = 10.0  # under this a word read again is not even counted against its line
BELOW_PT = 150.0  # how far under the title the name may lie (signature and seal between)
HALF_WIDTH_PT = 120.0  # the block's half width about the title's centre
ABOVE_LABEL_PT = 30.0  # the signer's block may start a little above "Nơi nhận:"
BESIDE_LABEL_PT = 200.0  # … and reach this far below it


def _title_key(text: str) -> str:
    """Folded letters and spaces only: 'KT. GIÁM ĐỐC' → 'kt giam doc'."""
    return " ".join(re.sub(r"[^a-z ]", " ", fold(text)).split())


_TITLES = tuple(sorted({_title_key(t) for t in (*SIGNER_TITLES, *TITLE_PHRASES) if len(t) > 4}, key=len, reverse=True))
_TITLE_WORDS = {w for t in _TITLES for w in t.split()}
_AUTHORITY_KEYS = {fold(a).rstrip(".") for a in AUTHORITIES}
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_]*[.,]?$")


def cut_at_gaps(words: list[dict]) -> list[list[dict]]:
    """A line's word rows (left to right) cut where a gap is wider than 1.5 times the line's height."""
    words = sorted(words, key=lambda r: r["left"])
    height = max(r["top"] + r["height"] for r in words) - min(r["top"] for r in words)
    out, run = [], [words[0]]
    for prev, r in zip(words, words[1:], strict=False):
        if r["left"] - (prev["left"] + prev["width"]) > 1.5 * height:
            out.append(run)
            run = []
        run.append(r)
    out.append(run)
    return out


def row_groups(rows: list[dict]) -> list[list[dict]]:
    """Tesseract's word rows grouped by its (block, paragraph, line) numbers and cut at wide gaps (a
    line of a single-column read runs across both columns)."""
    groups: dict[tuple[int, int, int], list[dict]] = {}
    for r in rows:
        groups.setdefault((r["block_num"], r["par_num"], r["line_num"]), []).append(r)
    return [run for g in groups.values() for run in cut_at_gaps(g)]


def _box(group: list[dict]) -> tuple[int, int, int, int]:
    return (min(r["left"] for r in group), min(r["top"] for r in group),
            max(r["left"] + r["width"] for r in group), max(r["top"] + r["height"] for r in group))


def _capitals_line(text: str, least: int) -> bool:
    """A short line (up to 8 words) of at least `least` letters, 80 % of them capitals."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= least and sum(c.isupper() for c in letters) >= 0.8 * len(letters) \
        and len(text.split()) <= 8


def is_title_text(text: str) -> bool:
    """A signer's title line in capitals ('PHÓ GIÁM ĐỐC', 'KT. GIÁM ĐỐC', 'CHỦ TỊCH')."""
    if not _capitals_line(text, 5):
        return False
    key = f" {_title_key(text)} "
    return any(f" {t} " in key for t in _TITLES)


def near_title_text(text: str) -> bool:
    """A title line, or one a letter away from a title as OCR reads it under a seal ('GIÁM ĐÓ'), as
    the pipeline snaps it."""
    if is_title_text(text):
        return True
    return _capitals_line(text, 6) and any(Levenshtein.distance(_title_key(text), t) <= 1 for t in _TITLES)


def looks_like_name_text(text: str) -> bool:
    """Two to five capitalised words with lower case in them: a name as it is signed."""
    words = text.split()
    return 2 <= len(words) <= 5 and all(_NAME_WORD.match(w) and w[0].isupper() for w in words) \
        and any(c.islower() for c in text)


def titles_without_name(rows: list[dict], px_pt: float) -> list[tuple[int, int, int, int]]:
    """Boxes (image pixels) of the title lines in `rows` with no name-like line under them."""
    groups = [(_box(g), " ".join(r["text"] for r in g)) for g in row_groups(rows)]
    out = []
    for (x0, y0, x1, y1), text in groups:
        if not is_title_text(text):
            continue
        xc = (x0 + x1) / 2
        below = [t for (a0, b0, a1, _b1), t in groups
                 if y1 <= b0 <= y1 + BELOW_PT * px_pt and abs((a0 + a1) / 2 - xc) <= HALF_WIDTH_PT * px_pt]
        if not any(looks_like_name_text(t) for t in below):
            out.append((x0, y0, x1, y1))
    return out


def _inside_any(x: float, y: float, rows: list[dict]) -> bool:
    return any(r["left"] <= x <= r["left"] + r["width"] and r["top"] <= y <= r["top"] + r["height"] for r in rows)


def blocks_beside_distribution(rows: list[dict], width: int, px_pt: float) -> list[tuple[int, int, int, int]]:
    """Crops (image pixels) of the right half beside a "Nơi nhận:" label where no title was read:
    the signer's block stands there, and a seal over it can hide all of it from a page read."""
    groups = [(_box(g), " ".join(r["text"] for r in g)) for g in row_groups(rows)]
    out = []
    for (x0, y0, _x1, _y1), text in groups:
        if not fold(text).startswith(("noi nhan", "noi gui")) or x0 > width / 2:
            continue
        top, bottom = y0 - ABOVE_LABEL_PT * px_pt, y0 + BESIDE_LABEL_PT * px_pt
        right = [t for (a0, b0, _a1, _b1), t in groups if a0 > width / 2 and top <= b0 <= bottom]
        if not any(is_title_text(t) for t in right):
            out.append((int(width / 2), int(max(top, 0)), width, int(bottom)))
    return out


def _read_crop(grey: np.ndarray, box: tuple[int, int, int, int], rows: list[dict], read, psm: int = PSM_SPARSE
               ) -> list[dict]:
    """The words of the crop `box` (page pixels) read with segmentation `psm` that hold a letter or
    digit, not over a word of `rows`, as rows of their own."""
    h, w = grey.shape
    cx0, cy0, cx1, cy1 = max(box[0], 0), max(box[1], 0), min(box[2], w), min(box[3], h)
    found = [r for r in read(grey[cy0:cy1, cx0:cx1], psm) if r["conf"] >= NOISE_CONF and any(c.isalnum() for c in r["text"])]
    out = []
    for r in found:
        r = {**r, "left": r["left"] + cx0, "top": r["top"] + cy0}
        if not _inside_any(r["left"] + r["width"] / 2, r["top"] + r["height"] / 2, rows):
            out.append(r)
    return out


def _title_words(run: list[dict]) -> list[dict]:
    """The words of `run` from its first title word to its last ('#Ro GIÁM ĐỐC' → 'GIÁM ĐỐC')."""
    keep = [i for i, r in enumerate(run) if fold(r["text"].strip(".,:;'\"")) in _TITLE_WORDS]
    if not keep:
        return []
    start = keep[0]
    if start and run[start - 1]["conf"] >= MIN_CONF and fold(run[start - 1]["text"]).rstrip(".") in _AUTHORITY_KEYS:
        start -= 1  # 'KT. GIÁM ĐỐC': the authority before the title stays with it
    return run[start:keep[-1] + 1]


def _confident(run: list[dict]) -> list[dict]:
    """A line read again, or nothing when a word of it is doubtful; but a title keeps its confident
    words before doubtful marks after it (a seal's or a stroke's: 'GIÁM ĐỐC ị'), and a title spelt
    out whole is kept with less confidence (`TITLE_CONF`): marks seldom spell a title."""
    k = next((i for i, r in enumerate(run) if r["conf"] < MIN_CONF), len(run))
    if k == len(run):
        return run
    head = run[:k]
    if head and is_title_text(" ".join(r["text"] for r in head)):
        return head
    title = _title_words(run)
    if title and min(r["conf"] for r in title) >= TITLE_CONF and is_title_text(" ".join(r["text"] for r in title)):
        return title
    return []


def _as_lines(found: list[dict], block: int) -> list[dict]:
    """Words read from a crop grouped into lines by height and cut at wide gaps, each line a block of
    its own. A line with a doubtful word goes whole (`_confident`): a name short of its first word
    ('Minh Tâm' for 'Đỗ Minh Tâm') or a title of its 'PHÓ' would be wrong, not missing."""
    lines: list[list[dict]] = []
    for r in sorted(found, key=lambda r: (r["top"], r["left"])):
        mid = r["top"] + r["height"] / 2
        home = next((ln for ln in lines if abs(mid - (ln[0]["top"] + ln[0]["height"] / 2)) < 0.5 * ln[0]["height"]), None)
        if home is None:
            lines.append(home := [])
        home.append(r)
    runs = [run for ln in lines for run in map(_confident, cut_at_gaps(ln))
            if run and any(sum(c.isalpha() for c in r["text"]) >= 2 for r in run)]
    out: list[dict] = []
    for k, run in enumerate(runs):
        out.extend({**r, "block_num": block + k, "par_num": 1, "line_num": 1, "word_num": i + 1} for i, r in enumerate(run))
    return out


def _unread_print(ink: np.ndarray, read: list[dict], y0: float, y1: float, x0: float, x1: float) -> bool:
    """Ink as dense as a line of text in the box, where no word of `read` lies."""
    if any(x0 < r["left"] + r["width"] / 2 < x1 and y0 < r["top"] + r["height"] / 2 < y1 for r in read):
        return False
    band = ink[max(int(y0), 0):max(int(y1), 0), max(int(x0), 0):max(int(x1), 0)]
    return band.size > 0 and float((band > 0).mean()) >= TEXT_INK


def cut_short(line: list[dict], ink: np.ndarray, read: list[dict]) -> bool:
    """A line read again that may lack part of itself, so that alone it would be wrong, not missing:
    unread print (no word of `read` there) right before its first word ('Hoàng Anh' for 'Lê Hoàng
    Anh'); a name of fewer than three words (most signers' names have three or four: the first may
    be the lost one). Print unread under a title is kept apart (`unread_under_titles`)."""
    x0, y0, x1, y1 = _box(line)
    h = y1 - y0
    text = " ".join(r["text"] for r in line)
    if _unread_print(ink, read, y0, y1, x0 - 1.2 * h, x0 - 0.25 * h):
        return True
    return looks_like_name_text(text) and len(text.split()) < 3


def unread_under_titles(rows: list[dict], ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (image pixels) right under a title line of `rows` that hold ink as dense as print where
    no word was read: a line OCR could not read there ('KT. GIÁM ĐỐC' over the deputy's 'PHÓ GIÁM
    ĐỐC', stamped and crossed by the seal). The pipeline decides what that line can be."""
    out = []
    for line in row_groups(rows):
        if not near_title_text(" ".join(r["text"] for r in line)):
            continue
        x0, y0, x1, y1 = _box(line)
        h = y1 - y0
        box = (x0, int(y1 + 0.25 * h), x1, int(y1 + 1.25 * h))
        if _unread_print(ink, rows, box[1], box[3], box[0], box[2]):
            out.append(box)
    return out


def _whole_lines(new: list[dict], ink: np.ndarray, rows: list[dict]) -> list[dict]:
    """The lines of `new` not `cut_short`, judged against every word read (`rows` and `new`)."""
    read = rows + new
    return [r for ln in row_groups(new) if not cut_short(ln, ink, read) for r in ln]


def _covers(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Boxes on one line (half the lower one's height in common) that overlap across."""
    return a[0] < b[2] and b[0] < a[2] and min(a[3], b[3]) - max(a[1], b[1]) >= 0.5 * min(a[3] - a[1], b[3] - b[1])


def with_block_titles(sparse: list[dict], again: list[dict]) -> list[dict]:
    """`sparse` (a crop's sparse reading) with the title lines of the crop read as one block (`again`)
    in place of the fragments they cover: block reading keeps a title a seal crosses whole ('GIÁ' |
    'ĐỌC' → 'GIÁM ĐỐC'), sparse reading the name under a signature ('Trần Văn Bình', where block
    reading gives 'Trần Văn cổ'). A title over a name or a title read sparsely is not taken."""
    groups = row_groups(sparse)
    out: list[dict] = []
    for g in row_groups(again):
        x0, y0, x1, y1 = _box(g)
        if not is_title_text(" ".join(r["text"] for r in g)):
            continue
        under = [h for h in groups if _covers((x0, y0, x1, y1), _box(h))]
        if any(looks_like_name_text(t) or is_title_text(t) for t in (" ".join(r["text"] for r in h) for h in under)):
            continue
        groups = [h for h in groups if not any(h is u for u in under)]
        out.extend(g)
    return sorted([r for h in groups for r in h] + out, key=lambda r: (r["top"], r["left"]))


def _has_title(rows: list[dict]) -> bool:
    return any(is_title_text(" ".join(r["text"] for r in g)) for g in row_groups(rows))


def reread_signer_blocks(grey: np.ndarray, ink: np.ndarray, rows: list[dict], dpi: int, read) -> list[dict]:
    """`rows` with the words read again from signer blocks a page read missed: beside a "Nơi nhận:"
    with no title to its right, and under a title with no name under it. `ink` is the page's ink mask
    (255 = ink); `read(crop)` returns a crop's TSV rows (sparse segmentation)."""
    px_pt = dpi / 72.0
    h, w = grey.shape
    block = max((r["block_num"] for r in rows), default=0) + 1
    for box in blocks_beside_distribution(rows, w, px_pt):
        new = _as_lines(_read_crop(grey, box, rows, read), block)
        if not _has_title(new):
            new = with_block_titles(new, _as_lines(_read_crop(grey, box, rows, read, PSM_BLOCK), block + BLOCK_STEP // 2))
        rows = rows + _whole_lines(new, ink, rows)
        block += BLOCK_STEP
    for x0, _y0, x1, y1 in titles_without_name(rows, px_pt):
        xc = (x0 + x1) / 2
        box = (int(xc - HALF_WIDTH_PT * px_pt), int(y1 + 2 * px_pt), int(xc + HALF_WIDTH_PT * px_pt),
               int(y1 + BELOW_PT * px_pt))
        rows = rows + _whole_lines(_as_lines(_read_crop(grey, box, rows, read), block), ink, rows)
        block += BLOCK_STEP
    return rows
