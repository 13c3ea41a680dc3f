"""Text laid over a line's blanks, placed into that line by where it sits on the page.

E-office systems fill the blanks of a signed document ("Số:      /TB-UBND", "ngày      tháng 11")
when they sign it: the number and the day are drawn at the very end of the page (often in a
signature field's appearance), so a reader that follows the content stream finds them after the
body. What a person sees is one line, "Số: 542 /TB-UBND"; this module rebuilds it.
"""

from __future__ import annotations

import re

from directives.extractors.model import Line, Word
from directives.knowledge import DATE_LINE_WORDS
from directives.vntext import fold

# a value that fills a blank: a number, a day or a month, a short date
VALUE = re.compile(r"^\d{1,6}(?:[./-]\d{1,4}){0,2}$")


def is_value_line(line: Line) -> bool:
    """A line that is one value alone ("542", "06"): what fills a blank of another line."""
    return len(line.words) == 1 and VALUE.match(line.words[0].text) is not None


def host_of(lines: list[Line], x0: float, y0: float, x1: float, y1: float, in_blank: bool = True) -> Line | None:
    """The line of `lines` (of two words or more) the box lies on: the box overlaps the line's height
    by half its own (or the line's) height at least, and its middle falls inside the line; with
    `in_blank`, between two words (interpolated word boxes are a little off: the middle, not the
    whole box, must be clear). A value a signature's appearance lays on a line belongs to it
    wherever it falls. A scan of the page's lines: values to place are few."""
    xc, height = (x0 + x1) / 2, y1 - y0
    best, best_overlap = None, 0.0
    for ln in lines:
        overlap = min(y1, ln.y1) - max(y0, ln.y0)
        if overlap <= 0 or overlap < 0.5 * min(height, ln.y1 - ln.y0) or not ln.x0 < xc < ln.x1:
            continue
        if len(ln.words) < 2 or in_blank and any(w.x0 < xc < w.x1 for w in ln.words):
            continue
        if overlap > best_overlap:
            best, best_overlap = ln, overlap
    return best


def place_word(word: Word, host: Line) -> None:
    """Insert `word` into `host` at its position; the line's text is rebuilt with single spaces."""
    xc = (word.x0 + word.x1) / 2
    k = sum(1 for w in host.words if (w.x0 + w.x1) / 2 < xc)
    host.words.insert(k, word)
    host.raw = host.text = " ".join(w.text for w in host.words)


def holds_word(host: Line, word: Word) -> bool:
    """`host` already shows `word` where it lies (the scan shows what the appearance also draws)."""
    xc = (word.x0 + word.x1) / 2
    return any(w.text == word.text and w.x0 - 2 <= xc <= w.x1 + 2 for w in host.words)


_BLANK_LABELS = ("so:", "so", *DATE_LINE_WORDS)  # folded: the words a blank for a value follows


def holds_blank_label(line: Line) -> bool:
    """`line` has a word a blank for a value follows ("Số:", "ngày", "tháng"): a number or date line."""
    return any(fold(w.text) in _BLANK_LABELS for w in line.words)


def label_line_before(lines: list[Line], value: Line) -> Line | None:
    """The line on `value`'s row that ends, within four heights left of it, in a blank's label ("…,
    ngày" when the date line wraps in its blank): the value fills the blank at that line's end. Only
    after a label: a figure beside another line (a table's cell) is left alone."""
    height = value.y1 - value.y0
    row = [ln for ln in lines if ln is not value and ln.words and ln.x1 <= value.x0 + 1
           and min(value.y1, ln.y1) - max(value.y0, ln.y0) >= 0.5 * min(height, ln.y1 - ln.y0)
           and value.x0 - ln.x1 <= 4 * height]
    host = max(row, key=lambda ln: ln.x1, default=None)
    return host if host is not None and fold(host.words[-1].text) in _BLANK_LABELS else None


def place_values(lines: list[Line]) -> list[Line]:
    """`lines` with every value line that lies in a blank of another line placed into that line, or at
    the end of a line that ends in the blank's label."""
    values = [ln for ln in lines if len(ln.words) == 1 and is_value_line(ln)]
    if not values:
        return lines
    placed: set[int] = set()
    for ln in values:
        host = host_of(lines, ln.x0, ln.y0, ln.x1, ln.y1) or label_line_before(lines, ln)
        if host is not None:
            place_word(ln.words[0], host)
            host.x1 = max(host.x1, ln.x1)
            placed.add(id(ln))
    return [ln for ln in lines if id(ln) not in placed] if placed else lines


def bridge(lines: list[Line], word: Word) -> Line | None:
    """The line `word` goes into when it lies in no line but between two on its row: OCR cuts a line
    at a wide blank ("Quảng Ngãi, ngày" | "tháng 11 năm 2024"), and the value stamped into that blank
    joins the two again (the right one is taken out of `lines`); or at the end or start of the one
    line beside it. None when no line stands within four heights of it."""
    xc, height = (word.x0 + word.x1) / 2, word.y1 - word.y0
    row = [ln for ln in lines if min(word.y1, ln.y1) - max(word.y0, ln.y0) >= 0.5 * min(height, ln.y1 - ln.y0)]
    left = max((ln for ln in row if ln.x1 <= xc and word.x0 - ln.x1 <= 4 * height), key=lambda ln: ln.x1, default=None)
    right = min((ln for ln in row if ln.x0 >= xc and ln.x0 - word.x1 <= 4 * height), key=lambda ln: ln.x0,
                default=None)
    host = left or right
    if host is None:
        return None
    place_word(word, host)
    if left is not None and right is not None:
        left.words.extend(right.words)
        left.raw = left.text = " ".join(w.text for w in left.words)
        left.x1, left.y0, left.y1 = right.x1, min(left.y0, right.y0), max(left.y1, right.y1)
        lines.remove(right)
    host.x0, host.x1 = min(host.x0, word.x0), max(host.x1, word.x1)
    return host
