"""The number line ("Số: 542/TB-UBND") read again from a crop of its own.

On a full page Tesseract often takes the number line and the place-and-date line beside it (a
little lower, in italics) for one text line, and reads the number against the wrong baseline: a
stamped "542" as "32", "/TB-UBND" as "/TH-UBND". Read alone, as one line, it reads them right. The
number is the field an archivist looks a directive up by, so its line is read twice, and each word
keeps the reading Tesseract is surer of.
"""

from __future__ import annotations

import re

import numpy as np

from directives.extractors.signer_block import row_groups
from directives.vntext import fold

PSM_LINE = 7  # the crop is one line of text
TOP_SHARE = 0.3  # the number line stands in the page's top part …
LEFT_SHARE = 0.5  # … and opens in its left half
WHOLE_GAIN = 10.0  # a re-read that cuts the line into other words replaces it when this much surer on average
NUMBER_SURE = 90.0  # a number read with less confidence than this is read once more, alone
BORDER = 20  # white pixels around a word read alone
_FIGURE = re.compile(r"^\d{1,6}[A-Z]?$")  # a number standing alone in its blank ('542', '3176B'), not 'Số:2013/SYT-'


def number_line_runs(rows: list[dict], size: tuple[int, int]) -> list[list[dict]]:
    """Runs of word rows (a line cut at wide gaps) that are a number line: they open with "Số"
    (any case, with or without its colon) in the page's top left, and hold a digit."""
    w, h = size
    out = []
    for run in row_groups(rows):
        first, key = run[0], fold(run[0]["text"])
        opens = key.rstrip(":.") == "so" or key.startswith("so:")
        if opens and first["top"] < TOP_SHARE * h and first["left"] < LEFT_SHARE * w \
                and any(c.isdigit() for r in run for c in r["text"]):
            out.append(run)
    return out


def surer_words(old: list[dict], new: list[dict]) -> list[dict]:
    """`old` with each word read as the same word of `new` where that one is read with more
    confidence (the word keeps its box), when both cut the line into as many words; else `new`
    whole if it is on average surer by `WHOLE_GAIN`, or `old`."""
    if not new:
        return old
    if len(new) == len(old):  # word for word: the page's boxes stay, where the rest of the page has them
        return [{**o, "text": n["text"], "conf": n["conf"]} if n["conf"] > o["conf"] else o
                for o, n in zip(old, new, strict=True)]
    mean_old = sum(r["conf"] for r in old) / len(old)
    mean_new = sum(r["conf"] for r in new) / len(new)
    return new if mean_new >= mean_old + WHOLE_GAIN else old


def _crop(grey: np.ndarray, box: tuple[int, int, int, int], pad: int) -> tuple[np.ndarray, int, int]:
    h, w = grey.shape
    x0, y0, x1, y1 = box
    cx0, cy0 = max(x0 - pad, 0), max(y0 - pad, 0)
    return grey[cy0:min(y1 + pad, h), cx0:min(x1 + pad, w)], cx0, cy0


def number_read_alone(grey: np.ndarray, word: dict, read) -> dict:
    """`word` (a figure alone, read with less than `NUMBER_SURE`) read once more from its own box on a white
    border: a stamped figure Tesseract misreads among the line's words ('287' → '257') it reads
    right alone. The surer of the two readings; the box stays."""
    if word["conf"] >= NUMBER_SURE or not _FIGURE.match(word["text"]):
        return word
    pad = max(word["height"] // 2, 2)
    crop, _, _ = _crop(grey, (word["left"], word["top"], word["left"] + word["width"], word["top"] + word["height"]), pad)
    framed = np.pad(crop, BORDER, constant_values=255)
    try:
        again = [r for r in read(framed) if r["text"].strip()]
    except RuntimeError:
        return word
    if len(again) != 1 or again[0]["conf"] <= word["conf"]:
        return word
    return {**word, "text": again[0]["text"], "conf": again[0]["conf"]}


def reread_number_lines(grey: np.ndarray, rows: list[dict], read) -> list[dict]:
    """`rows` with the number line's words read again from its crop (`read(crop)` → TSV rows of one
    line), each word as surely read as either reading gives it; its number, if still unsure, read
    once more alone (`number_read_alone`)."""
    h, w = grey.shape
    for run in number_line_runs(rows, (w, h)):
        box = (min(r["left"] for r in run), min(r["top"] for r in run),
               max(r["left"] + r["width"] for r in run), max(r["top"] + r["height"] for r in run))
        crop, cx0, cy0 = _crop(grey, box, max((box[3] - box[1]) // 3, 2))
        try:
            again = [r for r in read(crop) if r["text"].strip()]
        except RuntimeError:
            continue
        first = run[0]
        again = [{**r, "left": r["left"] + cx0, "top": r["top"] + cy0, "block_num": first["block_num"],
                  "par_num": first["par_num"], "line_num": first["line_num"], "word_num": first["word_num"] + k}
                 for k, r in enumerate(again)]
        chosen = [number_read_alone(grey, r, read) for r in surer_words(run, again)]
        if chosen != run:
            ids = {id(r) for r in run}
            at = next(k for k, r in enumerate(rows) if id(r) in ids)
            rows = [r for r in rows[:at] if id(r) not in ids] + chosen + [r for r in rows[at:] if id(r) not in ids]
    return rows
