"""layout: lines → blocks in reading order.

Reads: pages (lines, rules). Writes: `result.text` (the whole text in reading order) and `doc.blocks`: ruled tables as `table` blocks; two-column
regions (issuer | regime header and date, "Nơi nhận" | signer) as one block per line, the left
column before the right; everything else as paragraphs re-joined across lines and pages. Page
numbers and running headers are marked `artifact` and dropped.
"""

from __future__ import annotations

import copy
import re
import statistics
from collections import Counter
from operator import attrgetter

from directives.extractors.model import Line, Page, SignatureBox, Word
from directives.extractors.signatures import find_boxes
from directives.knowledge import (
    DATE_LINE_WORDS,
    MOTTOS,
    REGIME_HEADERS,
    SIGNATURE_BOX_OPENERS,
    type_from_name,
)
from directives.patterns import PARAGRAPH_OPENER, SEPARATOR, is_upper
from directives.pipeline.document import Block, Document, LayoutOptions, join_lines, size_tolerance
from directives.pipeline.grid import aligned_grids, page_grids
from directives.pipeline.stage import Stage
from directives.vntext import fold, is_letter_or_digit

_PAGE_NUMBER = re.compile(r"^(?:trang\s*)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?(?:\s*/\s*\d{1,4})?$", re.IGNORECASE)
RECIPIENT_LINE = re.compile(r"^Kính gửi\b", re.IGNORECASE)
_TERMINAL = (".", ":", ";", "!", "?", "”", '"')


def mark_artifacts(pages: list[Page], opts: LayoutOptions) -> None:
    """Page numbers in the margins, and lines repeated in the margins of most pages."""
    seen: Counter[str] = Counter()
    margin_lines: list[tuple[Line, str]] = []
    for page in pages:
        top, bottom = page.height * opts.artifact_margin, page.height * (1 - opts.artifact_margin)
        keys = set()
        for ln in page.lines:
            if ln.y1 <= top or ln.y0 >= bottom:
                if _PAGE_NUMBER.match(ln.text):
                    ln.role = "artifact"
                    continue
                key = re.sub(r"\d+", "#", ln.text.casefold())
                margin_lines.append((ln, key))
                keys.add(key)
        seen.update(keys)
    need = max(opts.running_header_min_pages, (len(pages) + 1) // 2)
    for ln, key in margin_lines:
        if seen[key] >= need:
            ln.role = "artifact"


_COLUMN_STARTS = tuple(dict.fromkeys(tuple(fold(p).split()[:n]) for p, n in
                                     [*((r, 3) for r in REGIME_HEADERS), *((m, 2) for m in MOTTOS)]))


# the state's regime header: a body's name never ends where it begins, though the Youth Union's
# and the Party's do ("BCH ĐOÀN TNCS HỒ CHÍ MINH"), and "NƯỚC CỘNG HÒA …" names the state itself
_PHRASES = tuple(dict.fromkeys(tuple(fold(r).split()) for r in REGIME_HEADERS if fold(r).startswith("cong hoa")))


# the capitals a regime header's or the motto's first word opens with ("CỘNG", "ĐOÀN", "Độc"), and
# D for Đ: OCR may lose its bar
_OPENING_LETTERS = frozenset(c for p in (*REGIME_HEADERS, *MOTTOS) for c in (p[:1].upper(), fold(p[:1]).upper()))


# the keys a regime header's or the motto's first word reads as: a line has its right column start
# only at such a word (`_phrase_read` and `_COLUMN_STARTS` both look for one first)
_FIRST_KEYS = frozenset(p[0] for p in (*_PHRASES, *_COLUMN_STARTS))


_TEXT = attrgetter("text")


def _key(w: Word) -> str:
    return fold(w.text).strip(".,:;")


def _has_text(w: Word) -> bool:
    """A word, not a mark: modifier letters ('ˆ', a stroke's reading) count as marks."""
    return any(is_letter_or_digit(c) for c in w.text)


def _phrase_read(keys: list[str], words: list[Word], at: list[int], before: int) -> bool:
    """Whether the words at `at` read the state's whole regime header in capitals, one word misread
    at most ('CỘNG nội. XÃ HỘI CHỦ NGHĨA', 'GỘNG HÒA XÃ HỘI CHỦ NGHĨA'), after the word at `before`."""
    if keys[before] == "nuoc":
        return False
    for phrase in _PHRASES:
        n = min(len(phrase), 6)
        if len(at) < n or keys[at[0]] != phrase[0] and tuple(keys[k] for k in at[1:n]) != phrase[1:n]:
            continue
        same = sum(keys[k] == w for k, w in zip(at[:n], phrase[:n], strict=True))
        if n >= 5 and same >= n - 1 and sum(is_upper(words[k].text) for k in at[:n]) >= n - 1:
            return True
    return False


def column_start(words: list[Word]) -> int | None:
    """Index of the word (not the first) where a regime header or the motto begins inside a line:
    OCR reads the two header columns as one line when they stand close ('UBND TỈNH KIÊN GIANG CỘNG
    HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'). The right column's first words are a closed vocabulary, printed
    in capitals (the regime header) or capitalised (the motto), unlike the same words in a sentence.
    They open the right column after the columns' gutter; a stroke read as a mark ('ˆ', ']') counts
    as no word, and a whole regime header in capitals needs no gutter (on a skewed page OCR sets the
    columns closer)."""
    inner = "".join(map(_TEXT, words[1:-1]))
    if not any(c in inner for c in _OPENING_LETTERS) or not any(w.text[:1] in _OPENING_LETTERS for w in words[1:-1]):
        return None  # (most lines: no word opens a regime header or the motto)
    if not any(w.text[:1].isupper() and _key(w) in _FIRST_KEYS for w in words[1:-1]):
        return None  # the right column starts at a capitalised word that opens one of them
    keys = [_key(w) for w in words]
    gaps = sorted(b.x0 - a.x1 for a, b in zip(words, words[1:], strict=False))
    usual = gaps[len(gaps) // 2]
    height = max(w.y1 - w.y0 for w in words)
    real = [k for k, w in enumerate(words) if _has_text(w)]
    for j, i in enumerate(real):
        if j == 0 or i >= len(words) - 1 or not words[i].text[:1].isupper():
            continue
        before, at = real[j - 1], real[j:j + 6]
        if _phrase_read(keys, words, at, before):
            return i
        if words[i].x0 - words[before].x1 < max(2 * usual, 0.4 * height):
            continue  # the columns' gutter: wider than the line's usual space between words
        for start in _COLUMN_STARTS:
            n = len(start)
            if tuple(keys[k] for k in at[:n]) == start and (n == 2 or all(is_upper(words[k].text) for k in at[:n])):
                return i
    return None


_DATE_HINT = re.compile(r",\s*ng", re.IGNORECASE)  # "…, ngày": a place-and-date line may be in the line


def date_column_start(words: list[Word]) -> int | None:
    """Index of the word where a place-and-date line begins inside a line that the left header
    column's words open ('XÃ PHÚC  Phúc Thịnh, ngày 05 …'): its place is a few words before
    ", ngày", after the widest gap there, when that gap is the columns' gutter."""
    k = next((k for k in range(2, len(words)) if fold(words[k].text).startswith("ngay")
              and words[k - 1].text.endswith(",")), None)
    if k is None:
        return None
    gaps = sorted(b.x0 - a.x1 for a, b in zip(words, words[1:], strict=False))
    usual = gaps[len(gaps) // 2]
    height = max(w.y1 - w.y0 for w in words)
    j = max(range(max(1, k - 5), k), key=lambda j: words[j].x0 - words[j - 1].x1)
    gap = words[j].x0 - words[j - 1].x1
    # a narrower gutter will do when the two parts stand on different baselines (two rows read as one)
    shift = abs(statistics.median(w.y1 for w in words[:j]) - statistics.median(w.y1 for w in words[j:]))
    return j if gap >= max(3 * usual, 1.2 * height) or gap >= max(2 * usual, 0.6 * height) and shift >= 0.3 * height \
        else None


def split_columns(page: Page) -> None:
    """Lines that hold the left header column and the start of the right one, cut in two, in place."""
    out: list[Line] = []
    for ln in page.lines:
        cut = None
        if len(ln.words) >= 3:
            cut = column_start(ln.words)
            if cut is None and _DATE_HINT.search(ln.text):
                cut = date_column_start(ln.words)
        if cut is None:
            out.append(ln)
            continue
        left = ln.words[:cut]
        while left and not _has_text(left[-1]):
            left = left[:-1]  # a mark in the gutter belongs to neither column
        for part in (left, ln.words[cut:]):
            piece = Line.of(part, min(w.x0 for w in part), min(w.y0 for w in part), max(w.x1 for w in part),
                            max(w.y1 for w in part), " ".join(w.text for w in part))
            piece.role = ln.role
            out.append(piece)
    page.lines = out


_OPENERS = tuple((fold(o), o) for o in SIGNATURE_BOX_OPENERS)


def _opener_spelt(ln: Line) -> Line:
    """`ln` with a signature box's label as printed where OCR read it with other marks ("Người kỹ:")."""
    lead = len(ln.raw) - len(ln.raw.lstrip(" .,:;'\"|_-"))
    key = fold(ln.raw[lead:])
    for folded, label in _OPENERS:
        if key.startswith(folded) and not ln.raw[lead:].startswith(label):
            spelt = copy.copy(ln)
            spelt.raw = label + ln.raw[lead + len(label):]
            return spelt
    return ln


def mark_printed_boxes(page: Page) -> None:
    """A signature box or a publisher's stamp printed on a scanned page ("Người ký: …", "Thời gian
    ký: …", a time to the second with its UTC offset), as a paper copy of a signed file shows it:
    its lines are no document text (role artifact) and, when the file's text layer gave no box, the
    page's boxes (a `stamp-text` signature)."""
    body = [ln for ln in page.lines if ln.role == "body"]
    spelt = [_opener_spelt(ln) for ln in body]
    found = find_boxes(spelt)
    if not found:
        return
    own = {id(s): ln for s, ln in zip(spelt, body, strict=True)}
    boxes = [[own[id(s)] for s in box] for box in found]
    for box in boxes:
        for ln in box:
            ln.role = "artifact"
    if not page.boxes:
        page.boxes.extend(SignatureBox(box) for box in boxes)


def mark_specks(page: Page) -> None:
    """OCR lines that are a seal's, stroke's or smudge's marks, not text: no letter or digit at all,
    or a few characters of a fraction of the page's usual line height ('„', 'KH' at 4 pt). They are
    left out (role artifact), or they would join the text around them into false columns."""
    heights = sorted(ln.height for ln in page.lines if len(ln.text) > 3)
    usual = heights[len(heights) // 2] if heights else 0.0
    for ln in page.lines:
        if not any(c.isalnum() for c in ln.text) or len(ln.text) <= 3 and ln.height < 0.5 * usual:
            ln.role = "artifact"




HEADER_SHARE = 0.3  # a number line stands in the page's top part


def _value_piece(line: Line) -> bool:
    """A piece that is one value alone: a day or a number OCR cut from its line ('10', '02')."""
    return len(line.words) == 1 and fold(line.words[0].text).strip(".,").isdigit()


def _continues(a: Line, b: Line, top: float) -> bool:
    """`b` is the piece of `a`'s line that OCR cut off at a blank: the date line after "ngày" (or the
    day written or stamped in its blank), the number line after "Số:" (or its number), above `top`
    (in the header: a table's "Số" cell beside a figure stays apart)."""
    last = fold(a.words[-1].text).strip(".,")
    first = fold(b.words[0].text)
    after_day = len(a.words) >= 2 and last.isdigit() and len(last) <= 2 and fold(a.words[-2].text) == "ngay"
    if last in DATE_LINE_WORDS or after_day:
        return first.startswith(("thang", "nam")) or last == "ngay" and _value_piece(b)
    number = a.y1 < top and fold(a.words[0].text).rstrip(":") == "so" \
        and (len(a.words) == 1 or len(a.words) == 2 and last.isdigit())
    return number and (first[:1].isdigit() and len(a.words) == 1 or first.startswith("/"))


def join_date_pieces(page: Page) -> None:
    """The date or number line OCR cut at a wide blank, one line again, in place: 'Kiên Giang, ngày'
    | 'tháng 10 năm 2017' (the day written by hand in the blank, erased with the ink), 'Kiên Giang,
    ngày' | '23' | 'tháng 10 năm 2017' or 'Kiên Giang, ngày 23' | 'tháng …' (a day stamped in a blank
    so wide that OCR cut the line around it), 'Số:' | '02 /SYT-NVD' (a number stamped so)."""
    lines = page.lines
    i = len(lines) - 1
    while i > 0:
        a, b = lines[i - 1], lines[i]
        if not a.words or not b.words or b.x0 <= a.x1 or not _continues(a, b, HEADER_SHARE * page.height) \
                or abs((a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2) > 0.6 * max(a.height, b.height):
            i -= 1
            continue
        words = a.words + b.words
        joined = Line.of(words, a.x0, min(a.y0, b.y0), b.x1, max(a.y1, b.y1), " ".join(w.text for w in words))
        joined.text, joined.role = f"{a.text} {b.text}", a.role
        lines[i - 1:i + 1] = [joined]
        i = min(i, len(lines) - 1)  # the joined line may go on with the next piece


_DATE_WORDS = frozenset(("ngay", "thang", "nam"))
_DATE_CUT = re.compile(r"\bngay\b[^a-z]*(?:thang[^a-z]*)?(?:nam)?$")
_DATE_REST = re.compile(r"^(?:(?:thang|nam)\b|\d{4}\b|\d{1,2}\s+nam\b)")


def join_wrapped_date(page: Page) -> None:
    """A place-and-date line wrapped in a narrow column ('Kiên Giang, ngày 02 tháng 01 năm' / '2018')
    → one line, in place: the rest is short, right under it and within its width."""
    lines = page.lines
    for i in range(len(lines) - 1, -1, -1):
        a = lines[i]
        tail = [fold(w.text) for w in a.words[-2:]]  # (the cheap test first: most lines end otherwise)
        if not tail or not (tail[-1] in _DATE_WORDS or tail[-1].isdigit() and tail[0] in _DATE_WORDS) \
                or not _DATE_CUT.search(fold(a.text)):
            continue
        below = [(k, b) for k, b in enumerate(lines) if b.words and len(b.words) <= 4 and a.x0 - 5 <= b.x0
                 and b.x1 <= a.x1 + 5 and 0 <= b.y0 - a.y1 <= 0.8 * a.height and _DATE_REST.match(fold(b.text))]
        if len(below) != 1:
            continue
        k, b = below[0]
        joined = Line.of(a.words + b.words, min(a.x0, b.x0), a.y0, max(a.x1, b.x1), b.y1, f"{a.text} {b.text}")
        joined.role = a.role
        lines[i] = joined
        del lines[k]


LEAD_PAGES = 3  # the letter's margins are measured on its first pages, as few as hold …
LEAD_MIN_LINES = 8  # … this many full-width lines


def body_pages(pages: list[Page]) -> list[Page]:
    """The pages whose text body sets the letter's margins: the first ones, where the header, the
    letter and mostly its closing stand, as few as hold enough of it; else all. A long appendix laid
    out otherwise (a table of procedures over 170 pages) must not move the letter's centre."""
    wide = 0
    for k, p in enumerate(pages[:LEAD_PAGES]):
        wide += sum(1 for ln in p.lines if ln.x1 - ln.x0 > 0.5 * p.width)
        if wide >= LEAD_MIN_LINES:
            return pages[:k + 1]
    return pages


def body_margins(pages: list[Page], least: int = 1) -> tuple[float, float] | None:
    """(left edge, horizontal centre) of the text body: the most common of its lines wider than half
    the page; None with fewer than `least` such lines."""
    wide = [ln for p in pages for ln in p.lines if ln.x1 - ln.x0 > 0.5 * p.width]
    if len(wide) < max(least, 1):
        return None
    edges = Counter(round(ln.x0) for ln in wide)
    left, most = edges.most_common(1)[0]
    if all(p.source == "text" for p in pages):
        # short paragraphs ("Căn cứ …;" one or two lines each) have as many indented first lines as
        # lines at the edge, and a long list hung under "Kính gửi:" more: the edge is the leftmost
        # x that two wide lines or more share (a text layer's lines start exactly where they were set)
        left = min((x for x, n in edges.items() if n >= 2), default=left)
        # and the centre lies halfway to the right edge, where justified lines end, not on the mid
        # of the indented first lines
        right = Counter(round(ln.x1) for ln in wide).most_common(1)[0][0]
        return left, round((left + right) / 2)
    return left, Counter(round(ln.xc) for ln in wide).most_common(1)[0][0]


def lines_to_rows(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into visual rows (vertical overlap), top to bottom. A line under another one of
    the row (overlapping it across) starts the next row, even when a skewed scan makes it overlap a
    line of the other column vertically."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: (ln.y0, ln.x0)):
        mid = (ln.y0 + ln.y1) / 2
        if rows and any(o.y0 <= mid <= o.y1 or ln.y0 <= (o.y0 + o.y1) / 2 <= ln.y1 for o in rows[-1]) \
                and not any(o.x0 < ln.x1 and ln.x0 < o.x1 for o in rows[-1]):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return rows


def _side(ln: Line, center: float, tol: float) -> str:
    # a line across the centre is full width, unless it stands mostly right of it: the right header
    # column's long place-and-date line where the text body is not centred on the page; a short line
    # centred on the body ('CHỈ THỊ', 'QUYẾT ĐỊNH' under the header) is the page's own title
    if ln.x0 < center - tol and ln.x1 > center + tol and ln.xc < center + 2.5 * tol:
        return "full"
    if abs(ln.xc - center) <= tol / 4 and ln.x0 < center < ln.x1:
        return "full"
    return "left" if ln.xc < center else "right"


def row_sides(row: list[Line], center: float, tol: float) -> list[str]:
    """Side of every line of a row; lines standing apart in one row are columns, whatever their width."""
    ordered = sorted(row, key=lambda ln: ln.x0)
    apart = len(row) >= 2 and all(a.x1 < b.x0 for a, b in zip(ordered, ordered[1:], strict=False))
    return [("left" if ln.xc < center else "right") if apart else _side(ln, center, tol) for ln in row]


def rows_sides(rows: list[list[Line]], center: float, tol: float) -> list[list[str]]:
    """`row_sides` of every row; a lone line the centre test calls full width stays in the right
    column when it lies within the right-column line of the row above (the motto centred under a
    regime header set left of the page's middle), as the column's own continuation does."""
    out = [row_sides(row, center, tol) for row in rows]
    for i in range(1, len(rows)):
        if out[i] != ["full"]:
            continue
        ln = rows[i][0]
        above = [a for a, side in zip(rows[i - 1], out[i - 1], strict=True) if side == "right"]
        if len(out[i - 1]) >= 2 and any(a.x0 - tol / 2 <= ln.x0 and ln.x1 <= a.x1 + tol / 2 for a in above):
            out[i] = ["right"]
    return out


def rows_to_regions(rows: list[list[Line]], center: float, tol: float
                    ) -> list[tuple[str, list[list[Line]], list[list[str]]]]:
    """Runs of rows: ("columns", rows, their sides) for a two-column region, ("full", [row], its
    sides) for the rest."""
    row_side_lists = rows_sides(rows, center, tol)
    sides = [set(x) for x in row_side_lists]
    out: list[tuple[str, list[list[Line]], list[list[str]]]] = []
    i = 0
    while i < len(rows):
        if "full" in sides[i]:
            out.append(("full", [rows[i]], [row_side_lists[i]]))
            i += 1
            continue
        j = i
        while j < len(rows) and "full" not in sides[j]:
            j += 1
        run = rows[i:j]
        if any(len(s) == 2 for s in sides[i:j]):
            out.append(("columns", run, row_side_lists[i:j]))
        else:
            out.extend(("full", [r], [row_side_lists[k]]) for k, r in zip(range(i, j), run, strict=True))
        i = j
    return out


def same_style(a: Line, b: Line, size_tol: float) -> bool:
    return a.bold == b.bold and abs(a.size - b.size) <= size_tol


def is_type_title(text: str) -> bool:
    """A line that is nothing but a document type's name in capitals: 'QUYẾT ĐỊNH', 'GIẤY MỜI'."""
    return len(text) <= 24 and is_upper(text) and type_from_name(text) is not None


def starts_paragraph(prev: Line, ln: Line, left: float, center: float, size_tol: float = 0.6) -> bool:
    """Does `ln` open a new paragraph after `prev` (same page, full width zone)?"""
    if PARAGRAPH_OPENER.match(ln.text) or SEPARATOR.match(ln.text) or SEPARATOR.match(prev.text):
        return True
    if is_type_title(prev.text) or is_type_title(ln.text):
        return True  # 'QUYẾT ĐỊNH' stands alone above its subject, whatever their styles
    if not same_style(prev, ln, size_tol):
        return True
    if RECIPIENT_LINE.match(prev.text) and ln.x0 <= prev.x0 + 20:
        return True  # recipients go on under the text after "Kính gửi:", not under the label
    if ln.y0 - prev.y1 > 1.0 * max(prev.height, 1.0):
        return True
    # centred lines short of the left edge; a long subject's lines fall barely short of it
    centered = abs(ln.xc - center) < 12 and (ln.x0 > left + 20 or ln.x0 > left + 4 and prev.x0 > left + 4)
    if centered and abs(prev.xc - center) < 12:
        # a title line, then its subject; a subject, then the authority that issues ('BỘ TRƯỞNG BỘ Y TẾ')
        return is_upper(prev.text) != is_upper(ln.text)
    if ln.x0 > left + 8:
        return True
    return prev.text.endswith(_TERMINAL) and prev.x1 < center + (center - left) * 0.7


def _paragraphs(lines: list[Line], page: int, left: float, center: float, size_tol: float) -> list[Block]:
    blocks: list[Block] = []
    for ln in lines:
        if blocks and not starts_paragraph(blocks[-1].lines[-1], ln, left, center, size_tol):
            blocks[-1].lines.append(ln)
        else:
            blocks.append(Block("text", page, "full", [ln], pages=[page]))
    return blocks


def page_to_blocks(page: Page, left: float, center: float, opts: LayoutOptions, region_base: int) -> list[Block]:
    """Reading order of one page: tables, two-column regions and paragraphs, top to bottom."""
    grids = page_grids(page.rules, page.lines, page.number, opts.rule_snap, opts.table_min_cols)
    live = [ln for ln in page.lines if ln.role == "body"]
    if page.source == "text":  # tables without rules; on scans OCR's split lines would make false ones
        for grid, taken in aligned_grids(lines_to_rows(live), page.number, max(3, opts.table_min_cols)):
            grids.append(grid)
            for ln in (ln for row in taken for ln in row):
                ln.role = "table"
        live = [ln for ln in live if ln.role == "body"]
    tol = opts.column_tolerance * page.width
    items: list[tuple[float, list[Block]]] = [(g.y0, [Block("table", page.number, "full", grid=g,
                                                                  pages=[page.number])]) for g in grids]
    pending: list[Line] = []
    pending_y = 0.0
    region = region_base

    def flush() -> None:
        nonlocal pending
        if pending:
            items.append((pending_y, _paragraphs(pending, page.number, left, center, size_tolerance(page))))
            pending = []

    tops = [g.y0 for g in grids]
    for kind, rows, row_side_lists in rows_to_regions(lines_to_rows(live), center, tol):
        if pending and any(pending_y < t <= rows[0][0].y0 for t in tops):
            flush()  # text above a table and text below it are not one run
        if kind == "full":
            if not pending:
                pending_y = rows[0][0].y0
            pending.extend(sorted(rows[0], key=lambda ln: ln.x0))
            continue
        flush()
        region += 1
        blocks = []
        for side in ("left", "right"):
            for row, row_side in zip(rows, row_side_lists, strict=True):
                for ln, s in sorted(zip(row, row_side, strict=True), key=lambda p: p[0].x0):
                    if s == side:
                        blocks.append(Block("text", page.number, side, [ln], region=region, pages=[page.number]))
        items.append((rows[0][0].y0, blocks))
    flush()
    items.sort(key=lambda it: it[0])
    return [b for _, bs in items for b in bs]


def continues(prev: Block, nxt: Block, left: float, size_tol: float = 0.6) -> bool:
    """Does the first paragraph of a page continue the last one of the previous page?"""
    if prev.kind != "text" or nxt.kind != "text" or prev.zone != "full" or nxt.zone != "full":
        return False
    a, b = prev.lines[-1], nxt.lines[0]
    if PARAGRAPH_OPENER.match(b.text) or not same_style(a, b, size_tol):
        return False
    return b.x0 <= left + 8 and not a.text.endswith((".", "!", "?"))


def blocks_to_text(blocks: list[Block]) -> str:
    """Reading-order text: a paragraph per line, a table row per line with its cells joined by ' | '."""
    out: list[str] = []
    for b in blocks:
        if b.grid is not None:
            out.extend(" | ".join(row) for row in b.grid.rows)
        else:
            out.append(b.text)
    return "\n".join(out)


def layout(doc: Document, opts: LayoutOptions | None = None) -> Document:
    opts = opts or LayoutOptions()
    pages = [p for p in doc.pages if p.lines]
    for page in pages:
        if page.source == "ocr":
            mark_specks(page)
            mark_printed_boxes(page)
        split_columns(page)
        join_date_pieces(page)
        join_wrapped_date(page)
    mark_artifacts(pages, opts)
    fallback = (0.0, pages[0].width / 2 if pages else 0.0)
    left, center = body_margins(pages) or fallback
    blocks: list[Block] = []
    prev_tol = 0.0
    for page in pages:
        # a page laid out otherwise (an attachment, an appendix) keeps its own margins, where they can
        # be told: a text layer's lines start where they were set, a scan's where OCR cut them
        own = body_margins([page], LEAD_MIN_LINES) if page.source == "text" else None
        page_left, page_center = own or (left, center)
        doc.page_left[page.number] = page_left
        page_blocks = page_to_blocks(page, page_left, page_center, opts, 1000 * page.number)
        tol, prev_tol = max(prev_tol, size_tolerance(page)), size_tolerance(page)
        if blocks and page_blocks and continues(blocks[-1], page_blocks[0], page_left, tol):
            blocks[-1].lines.extend(page_blocks[0].lines)
            blocks[-1].pages.append(page.number)
            page_blocks = page_blocks[1:]
        blocks.extend(page_blocks)
    for b in blocks:
        if b.kind == "text":
            b.text = join_lines(b.lines)
    doc.blocks = blocks
    doc.result.text = blocks_to_text(blocks)
    # the letter's own margins, for the header and the closing
    doc.body_left, doc.body_center = body_margins(body_pages(pages)) or fallback
    return doc


STAGE = Stage("layout", layout, reads=("pages",), writes=("pages", "blocks", "body", "text"), options="layout")
