"""Handwritten registration number and day of a scan's first page, read where OCR left them out.

The printed words around a blank are read by OCR even when the ink in it is not: "Số:" before the
number and the symbol "/SYT-NVY" after it; "ngày" before the day, "tháng" after it, "năm" after the
month. Their word boxes say where the blank is (`number_blank`, `day_blank`, `month_blank`); the
digits in it are read from the page image (`extractors.handwriting`), where the printed slash after a
number is also found when OCR glued the symbol to the ink. The month is read from the ink too when OCR
was unsure of it (or it is handwritten); a date is then as sure as its less sure part. What OCR itself
made of the blank, when it agrees digit for digit, is a second witness (`ocr_agrees`).

The rest of the file is evidence too. A day is read again among the days possible (`_dated`): of the
month, not after the page's signing or received date (`received_by`: a digital signature's time, an
e-office box's timestamp, a received stamp 'ĐẾN … Ngày: 21/3/18'), not before a document the page
cites by number and date (`cited_before`). An attachment's caption on a later page citing this
document ('kèm theo Kế hoạch số 2084/KH-SYT ngày 06/11/2017', `cited_self`) confirms a reading that
agrees with it and drops one that does not (`_checked`).

A reading is kept only when every digit is sure (`MIN_CONFIDENCE`: the gate scripts/handwriting_eval.py
chooses on the corpus scans, at least every gate it chooses leave-one-document-out) and the value is
possible (a day of the month and year); it then carries `metadata.confidence[field]` and a
`handwritten-read` warning to check. Otherwise the field stays null with `handwritten-unread`. A number
or date OCR read unsure of (handwriting OCR misread) is read again the same way, and dropped when the
ink reads otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from directives.extractors.model import Line, Page, Word
from directives.patterns import DATE_LINE, NUMBER_LINE, SYMBOL_ONLY, to_iso
from directives.pipeline.document import Document
from directives.pipeline.evidence import (
    OCR_SURE,
    SYMBOL_START,
    cited_before,
    cited_self,
    received_by,
    symbol_of,
)
from directives.pipeline.stage import Stage
from directives.vntext import fold

MIN_CONFIDENCE = 0.607  # least sure digit's probability for a reading to be kept (see module docstring)
_HEADER = 0.45  # the number and date lines lie in the top part of the first page
_NUMBER_DIGITS = 5
# A body numbers its letters from 1 each year: five digits only at the busiest ministries. A five-digit
# reading is as often a letter, a stroke of the slash or a digit cut in two read as digits.
_FIVE_DIGITS_PRIOR = 0.8
_SO = re.compile(r"^s[oô0]\W{0,2}$")  # the word "Số:" alone, as OCR folds it
_SO_GLUED = re.compile(r"^s[oô0]\W{0,2}")  # … or glued to what follows


@dataclass(slots=True)
class BlankBox:
    """Where to look: a box in PDF points, and the printed font size there (pt)."""

    x0: float
    y0: float
    x1: float
    y1: float
    em: float
    core: tuple[float, float] = (0.0, 0.0)  # top and bottom of the printed line's words
    estimated: bool = False  # the right end computed from the font size, not seen as a word's start

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)


def _band(words: list[Word], em: float) -> tuple[float, float, tuple[float, float]]:
    """The line's height widened by half an em either way (handwriting rises above and below print),
    and the line's own top and bottom."""
    top, bottom = min(w.y0 for w in words), max(w.y1 for w in words)
    return top - 0.5 * em, bottom + 0.5 * em, (top, bottom)


def _ink():
    """The page-image readers (OpenCV, the digit model): loaded when a scan's blank is read."""
    from directives.extractors import handwriting

    return handwriting


def number_blank(words: list[Word], em: float | None = None) -> BlankBox | None:
    """The blank between "Số:" and the printed "/SYMBOL" of a number line's words; None when either is
    not found (a number line whose "Số" OCR lost: where the blank starts is unknown). `em`: the font
    size, measured on the image, for a line OCR read as one word ("Số:2%/SYT-NVY")."""
    words = [w for w in words if any(c.isalnum() for c in w.text)]  # not OCR's specks ('_', '.')
    if not words:
        return None
    first = fold(words[0].text)
    if not _SO_GLUED.match(first):
        return None
    for k, w in enumerate(words):
        m = SYMBOL_START.search(w.text)
        if m is None or (k == 0 and m.start() < 2):
            continue
        suffix = " ".join([w.text[m.start():], *(v.text for v in words[k + 1:])])
        right_end = words[-1].x1
        size: float
        if m.start() == 0 and k > 0:
            slash = w.x0
            size = (right_end - slash) / _ink().printed_width(suffix)
        elif em is None:
            # the symbol is glued to the ink OCR misread: where it starts needs the font size measured
            # on the image (OCR's box of "Số:" is too rough a measure: 10 % off is half a digit here)
            return None
        else:
            size = em
            slash = right_end - _ink().printed_width(suffix) * size
        # OCR's box of "Số:" may take in a digit written close to it: the printed width decides
        left = words[0].x0 + _ink().printed_width("Số:") * size
        if _SO.match(first):
            left = min(left, words[0].x1)
        if not 0.6 * size <= slash - left <= 8 * size or not 7 <= size <= 20:
            return None
        y0, y1, core = _band(words, size)
        # the slash leans right from its foot at `slash`: a little left of it keeps the slash out
        return BlankBox(left + 0.05 * size, y0, slash - 0.05 * size, y1, size, core, not (m.start() == 0 and k > 0))
    return None


def blank_after_colon(pdf_page, words: list[Word], em: float) -> BlankBox | None:
    """The number's blank of a line whose "Số:" OCR lost (read as nothing, the ink beside it too) and
    kept only the symbol ('/SYT-NVY', perhaps with the last digit written against it): it ends where the
    symbol starts, computed from `em` (the font size measured on the image), and starts after the colon
    of "Số:", found on the image within eight ems to its left."""
    words = [w for w in words if any(c.isalnum() for c in w.text)]
    if not words or "/" not in words[0].text[:3] or pdf_page is None:
        return None
    suffix = " ".join([words[0].text[words[0].text.index("/"):], *(w.text for w in words[1:])])
    # OCR's box of the symbol may take in a digit written against its slash, never start right of it
    slash = max(words[-1].x1 - _ink().printed_width(suffix) * em, words[0].x0 + words[0].text.index("/") * 0.5 * em)
    y0, y1, core = _band(words, em)
    colon = _ink().colon_before(pdf_page, (slash - 8 * em, core[0] - 0.3 * em, slash, core[1] + 0.3 * em), em,
                                core[1])
    if colon is None or not 0.6 * em <= slash - colon <= 6 * em:
        return None
    return BlankBox(colon + 0.05 * em, y0, slash - 0.05 * em, y1, em, core, True)


# printed widths (em, Times lower case) of the date line's words around its blanks
_DATE_WORD_EM = {"ngay": 1.95, "thang": 2.22, "nam": 1.72}


def _between(words: list[Word], before: str, after: str) -> BlankBox | None:
    """The blank between the date line's words `before` and `after` (folded: "ngay", "thang", "nam");
    its em from the printed year (four digits, each half an em in Times)."""
    keys = [fold(w.text) for w in words]
    # the date's words come after the place's, which may hold the same letters ('Thăng Bình, ngày …')
    first = next((k for k, t in enumerate(keys) if "ngay" in t), 0) if before != "ngay" else 0
    start = next((k for k, t in enumerate(keys) if k >= first and before in t), None)
    if start is None and before == "ngay":
        return _after_lost_ngay(words, keys, after)
    if start is None:
        return None
    end = next((k for k, t in enumerate(keys) if k >= start and after in t
                and (k > start or t.index(after) > t.index(before))), None)
    year = next((w for w, t in zip(words, keys, strict=True) if re.fullmatch(r"(19|20)\d\d\W?", t)), None)
    if end is None or year is None:
        return None
    em = (year.x1 - year.x0) / 1.95
    sw, ew = words[start], words[end]
    # OCR's box of the word before may take in digits written close to it: its printed width decides
    left = sw.x0 + (keys[start].index(before) * 0.47 + _DATE_WORD_EM[before]) * em
    if keys[start] == before and start != end:
        left = min(left, sw.x1)
    right = ew.x1 - _DATE_WORD_EM[after] * em if keys[end] != after else ew.x0
    if not 0.6 * em <= right - left <= 6 * em or not 7 <= em <= 20:
        return None
    y0, y1, core = _band(words, em)
    return BlankBox(left + 0.1 * em, y0, right - 0.1 * em, y1, em, core, keys[end] != after)


def _after_lost_ngay(words: list[Word], keys: list[str], after: str) -> BlankBox | None:
    """The day's blank of a date line whose "ngày" OCR lost with the ink written against it ('Kiên
    Giang,' then 'tháng 10 năm 2017'): "ngày" stands a space after the place's comma, the blank after
    it up to `after`."""
    end = next((k for k, t in enumerate(keys) if after in t), None)
    year = next((w for w, t in zip(words, keys, strict=True) if re.fullmatch(r"(19|20)\d\d\W?", t)), None)
    if end is None or end == 0 or year is None or keys[end] != after or not words[end - 1].text.endswith(","):
        return None
    em = (year.x1 - year.x0) / 1.95
    left = words[end - 1].x1 + (0.25 + _DATE_WORD_EM["ngay"]) * em
    right = words[end].x0
    if not 0.6 * em <= right - left <= 6 * em or not 7 <= em <= 20:
        return None
    y0, y1, core = _band(words, em)
    return BlankBox(left + 0.1 * em, y0, right - 0.1 * em, y1, em, core)


def line_em(words: list[Word]) -> float | None:
    """The font size (pt) of a date line, from its printed year (four digits, each half an em)."""
    year = next((w for w in words if re.fullmatch(r"(19|20)\d\d\W?", fold(w.text))), None)
    return (year.x1 - year.x0) / 1.95 if year is not None else None


def day_blank(words: list[Word]) -> BlankBox | None:
    """The blank between "ngày" and "tháng" of a date line's words."""
    return _between(words, "ngay", "thang")


def month_blank(words: list[Word]) -> BlankBox | None:
    """The blank between "tháng" and "năm" of a date line's words."""
    return _between(words, "thang", "nam")


def _date_rejoined(lines: list[Line]) -> list[Line]:
    """A place-and-date line OCR cut in two where the day is left blank ('Kiên Giang, ngày' + 'tháng
    10 năm 2017', side by side) joined again."""
    out: list[Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        if prev is not None and fold(prev.raw).rstrip(" .,").endswith("ngay") and fold(ln.raw).startswith("thang") \
                and abs(ln.y0 - prev.y0) <= 0.5 * (ln.y1 - ln.y0) and ln.x0 > prev.x1:
            out[-1] = Line(prev.words + ln.words, prev.x0, min(prev.y0, ln.y0), ln.x1, max(prev.y1, ln.y1),
                           f"{prev.raw} {ln.raw}", f"{prev.raw} {ln.raw}")
            continue
        out.append(ln)
    return out


@dataclass(slots=True)
class DateParts:
    """What OCR read of a date line: the year (sure, plausible), the month when printed and read sure,
    the day when OCR read a clean and sure one (typed, not left blank)."""

    year: int | None
    month: int | None
    day: int | None


def _sure_number(words: list[Word], lo: int, hi: int) -> int | None:
    """The number `words` spell when they are one to two clean digits OCR was sure of, in lo..hi."""
    text = "".join(w.text for w in words).strip(".,")
    if not words or not re.fullmatch(r"\d{1,2}", text) or any(w.conf < OCR_SURE for w in words):
        return None
    return int(text) if lo <= int(text) <= hi else None


def date_parts(words: list[Word]) -> DateParts:
    """The parts of a place-and-date line OCR read surely; a word holding two keys ('ngày32tháng') keeps
    neither part."""
    keys = [fold(w.text) for w in words]

    def at(key: str, after: int) -> int | None:
        return next((k for k, t in enumerate(keys) if k > after and key in t), None)

    year = None
    for w, t in zip(words, keys, strict=True):
        if re.fullmatch(r"(19|20)\d\d\W?", t) and w.conf >= OCR_SURE \
                and 1945 <= int(t[:4]) <= dt.date.today().year + 1:
            year = int(t[:4])
    d = at("ngay", -1)
    m = at("thang", d if d is not None else -1)  # after the place's words ('Thăng Bình, ngày …')
    n = at("nam", m if m is not None else -1)
    month = _sure_number(words[m + 1:n], 1, 12) if m is not None and n is not None else None
    day = _sure_number(words[d + 1:m], 1, 31) if d is not None and m is not None and d < m else None
    return DateParts(year, month, day)


def header_lines(page: Page) -> tuple[Line | None, Line | None]:
    """The number line and the place-and-date line of a first page (the top part only)."""
    number = date = None
    top = [ln for ln in page.lines if ln.y0 <= page.height * _HEADER]
    for ln in _date_rejoined(sorted(top, key=lambda ln: (round(ln.y0 / 4), ln.x0))):
        t = ln.raw or ln.text
        if number is None and ln.x0 < page.width / 2 and (
                NUMBER_LINE.match(t) and ("/" in t or "-" in t) or SYMBOL_ONLY.match(t)):
            number = ln
        elif date is None and DATE_LINE.search(fold(t)):
            date = ln
    return number, date


def year_on_image(pdf_page, words: list[Word]) -> int | None:
    """The printed year of a date line OCR read unsure of, read again by the digit reader in its box on
    the image: its four digits when every one is sure and at most one differs from OCR's (OCR's unsure
    '2078' where the image reads 2018 sure is 2018; where they differ more, there is no year)."""
    year = next((w for w in words if re.fullmatch(r"(19|20)\d\d\W?", fold(w.text))), None)
    if year is None or pdf_page is None:
        return None
    digits = fold(year.text)[:4]
    em = (year.x1 - year.x0) / 1.95
    read = _ink().read_blank(pdf_page, (year.x0 - 0.1 * em, year.y0 - 0.3 * em, year.x1 + 0.1 * em, year.y1 + 0.3 * em),
                             em, 4, (year.y0, year.y1))
    if read.text is None or len(read.text) != 4 or read.confidence < OCR_SURE \
            or sum(a != b for a, b in zip(read.text, digits, strict=True)) > 1:
        return None
    return int(read.text) if 1945 <= int(read.text) <= dt.date.today().year + 1 else None


@dataclass(slots=True)
class Candidate:
    """A value read from the ink of one blank, before the confidence gate; value None when nothing
    possible was read (`note` says why)."""

    field: str  # "number" | "date"
    value: str | None
    confidence: float
    note: str = ""
    digits: str | None = None  # what the ink read as, possible or not
    read: object = None  # the ink's reading (extractors.handwriting.Read), for a day or month's constraints
    witnessed: bool = False  # OCR read the same digits in the blank


def read_candidates(pdf_page, page: Page, want_number: bool, want_date: bool,
                    recheck_day: bool = False, later: list[Page] | tuple[Page, ...] = ()) -> list[Candidate]:
    """Read the blanks of a first page (`pdf_page` its pymupdf page, `page` its OCR words): the number
    when `want_number`, the day when `want_date` and the printed line gives month and year (and the
    day OCR read is no clean number, unless `recheck_day`: OCR was unsure of it). `later`: the file's
    other pages, where an attachment may cite this document's number and date (`cited_self`)."""
    number_line, date_line = header_lines(page)
    todo: list[tuple[str, BlankBox | None, int]] = []
    if want_number and number_line is not None:
        blank = number_blank(number_line.words)
        if blank is None and number_line.words:
            last = number_line.words[-1]
            em = _ink().printed_em(pdf_page, (max(last.x0, last.x1 - 3 * (last.y1 - last.y0)), last.y0 - 2, last.x1 + 2, last.y1 + 2))
            if not (em and 7 <= em <= 20) and date_line is not None:
                em = line_em(date_line.words)  # the header's lines are set in one size, near enough
            blank = number_blank(number_line.words, em) if em and 7 <= em <= 20 else None
            if blank is None and em and 7 <= em <= 20:
                blank = blank_after_colon(pdf_page, number_line.words, em)
        todo.append(("number", blank, _NUMBER_DIGITS))
    parts = date_parts(date_line.words) if date_line is not None else DateParts(None, None, None)
    if want_date and date_line is not None and parts.year is None:
        parts.year = year_on_image(pdf_page, date_line.words)
    if want_date and date_line is not None and parts.year is not None and (recheck_day or parts.day is None):
        todo.append(("date", day_blank(date_line.words), 2))
        if parts.month is None:  # written by hand too, or printed and misread: read from the ink
            todo.append(("month", month_blank(date_line.words), 2))
    out = []
    for field, blank, digits in todo:
        if blank is None:
            out.append(Candidate(field, None, 0.0, "the blank was not found"))
            continue
        read = _ink().read_blank(pdf_page, blank.box, blank.em, digits, blank.core, blank.estimated)
        value, note = read.text, read.note
        conf = read.confidence
        seen = ocr_between(number_line if field == "number" else date_line, field)
        witnessed = value is not None and ocr_agrees(seen, value)
        if witnessed and field == "number":
            conf, note = witness(conf), f"OCR read {seen!r} there"
        elif witnessed:
            note = f"OCR read {seen!r} there"
        if value is not None and field == "number" and value.startswith("0") and len(value) > 2:
            value, note = None, f"read as {value!r}: a number does not start with 0"
        if value is not None and field == "number" and len(value) == 5:
            conf, note = round(conf * _FIVE_DIGITS_PRIOR, 3), "five digits: rare"
        out.append(Candidate(field, value, conf, note, read.text, read, witnessed))
    if not out:
        return out
    upper, signed = received_by(page), received_by(page, stamps=False)
    lower = cited_before(page)
    cited = cited_self(later, symbol_of(number_line))
    return _checked(_dated(out, parts, lower, upper, signed), cited)


def witness(conf: float) -> float:
    """A reading's sureness when a second witness (OCR, a page citing it) agrees: half its doubt."""
    return round(1 - (1 - conf) / 2, 3)


_OCR_BLANK = {"number": re.compile(r"^\W*s\w\W*(.*?)/\s*[a-z]"), "date": re.compile(r"ngay(.*?)thang"),
              "month": re.compile(r"thang(.*?)nam")}


def ocr_between(line: Line | None, field: str) -> str:
    """What OCR read in a blank (folded), handwriting misread as it mostly is: "Số:21?A_/BC-SYT" → '21?a_'."""
    m = _OCR_BLANK[field].search(fold(line.raw or line.text)) if line is not None else None
    return m.group(1) if m else ""


def ocr_agrees(seen: str, digits: str) -> bool:
    """OCR, reading the same ink its own way, found as many signs as the ink reads digits, and at least
    two of them digits, each the digit read at its place ('19a.5' and '1945'): a second witness."""
    signs = [c for c in seen if c.isalnum()]
    if len(signs) != len(digits) or sum(c.isdigit() for c in signs) < 2:
        return False
    return all(c == d for c, d in zip(signs, digits, strict=True) if c.isdigit())


def _dated(found: list[Candidate], parts: DateParts, lower: dt.date | None = None,
           upper: dt.date | None = None, signed: dt.date | None = None) -> list[Candidate]:
    """The day's candidate made a date of the printed (or read) month and the printed year; the month's
    candidate folded into it (the date as sure as its least sure part). The day is read again among the
    days possible: of the month, not before `lower` (a document the page cites), not after `upper` (a
    received or signing date on the page); see `extractors.handwriting.best_allowed`. Only the calendar
    and `signed` (a signing time the file itself holds) may move the ink's reading to another day; a
    reading ruled out only by what OCR read (a stamp's date, a cited one) is dropped, not moved."""
    day = next((c for c in found if c.field == "date"), None)
    month = next((c for c in found if c.field == "month"), None)
    out = [c for c in found if c.field == "number"]
    if day is None:
        return out
    if month is not None:
        if month.value is None or day.value is None:
            why = "; ".join(f"{c.field}: {c.note}" for c in (day, month) if c.value is None)
            out.append(Candidate("date", None, 0.0, why, day.digits))
            return out
        m_text, m_conf = _constrained(month, lambda t: 1 <= int(t) <= 12)
        m: int | None = int(m_text) if m_text is not None else None
        conf = m_conf
    else:
        m, conf = parts.month, 1.0
    if day.value is None or m is None or parts.year is None or not 1 <= m <= 12:
        out.append(Candidate("date", None, 0.0, day.note or f"month {m!r} impossible", day.digits))
        return out
    year, month_no = parts.year, m

    def possible(t: str) -> bool:
        iso = to_iso(year, month_no, int(t))
        return iso is not None and (lower is None or iso >= lower.isoformat()) \
            and (upper is None or iso <= upper.isoformat())

    d_text, d_conf = _constrained(day, possible)
    if d_text is None:
        bounds = f" between {lower} and {upper}" if lower or upper else ""
        out.append(Candidate("date", None, 0.0, f"day {day.value!r} impossible in month {m}{bounds}", day.digits))
        return out
    note = day.note
    if d_text != day.value:
        own = to_iso(year, month_no, int(day.value))
        if own is not None and (signed is None or own <= signed.isoformat()):
            out.append(Candidate("date", None, 0.0, f"read as {own}, outside {lower} … {upper} read on the page",
                                 day.digits))
            return out
        note = f"the ink's likeliest {day.value!r} impossible: {d_text!r} the likeliest possible"
    iso = to_iso(year, month_no, int(d_text))
    out.append(Candidate("date", iso, round(min(conf, d_conf), 3), note, day.digits))
    return out


def _constrained(c: Candidate, allowed) -> tuple[str | None, float]:
    """A day or month candidate's likeliest allowed reading and its sureness, OCR's agreement counted."""
    read = c.read
    if read is None or not getattr(read, "digits", None):  # a candidate made by hand (tests): as read
        text = c.value if c.value is not None and allowed(c.value) else None
        return text, c.confidence if text is not None else 0.0
    text, conf = _ink().best_allowed(read, allowed)
    return text, witness(conf) if c.witnessed and text == c.value else conf


def _checked(found: list[Candidate], cited: dict[str, str]) -> list[Candidate]:
    """Candidates against what a later page cites of this document (`cited_self`): a reading the
    citation repeats is surer (a second witness), one it contradicts is no reading."""
    out = []
    for c in found:
        seen = cited.get(c.field)
        if c.value is None or seen is None:
            out.append(c)
        elif c.value == seen:
            out.append(Candidate(c.field, c.value, witness(c.confidence), f"cited as {seen!r} on a later page",
                                 c.digits, c.read, c.witnessed))
        else:
            out.append(Candidate(c.field, None, 0.0, f"read as {c.value!r}, a later page cites {seen!r}", c.digits))
    return out


def handwriting(doc: Document, min_confidence: float = MIN_CONFIDENCE) -> Document:
    """Read the number and the day of a scanned first page where OCR left them null, or read them
    with low confidence (handwriting OCR misreads: '22005' for 2005)."""
    meta = doc.result.metadata
    if not doc.pages or doc.pages[0].source != "ocr":
        return doc
    ocr_read = {f: getattr(meta, f) for f in ("number", "date")
                if getattr(meta, f) is not None and meta.confidence.get(f, 1.0) < OCR_SURE}
    want_number = meta.symbol is not None and (meta.number is None or "number" in ocr_read)
    want_date = meta.date is None or "date" in ocr_read
    if not (want_number or want_date):
        return doc
    try:
        with pymupdf.open(Path(doc.result.source.path)) as pdf:
            found = read_candidates(pdf[0], doc.pages[0], want_number, want_date, "date" in ocr_read, doc.pages[1:])
    except (RuntimeError, ValueError, OSError) as exc:  # pymupdf's errors are RuntimeErrors
        doc.warn("handwritten-unread", f"page image not readable: {exc}", page=1)
        return doc
    for c in found:
        before = ocr_read.get(c.field)
        if c.field == "number" and before is not None and c.digits and before.startswith(c.digits) \
                and len(c.digits) < len(before):
            # OCR's digits begin with what the ink read: the blank's end (estimated) cut the last ones off
            doc.warn("handwritten-unread", f"number: the ink read as {c.digits!r}, the start of OCR's {before!r}",
                     page=1, field_="number")
            continue
        if c.value is None or c.confidence < min_confidence:
            why = c.note or f"read as {c.value!r}, not sure enough ({c.confidence:.2f})"
            if before is not None and c.digits is not None and c.value != before:
                # the ink reads otherwise, if unsure: OCR's unsure reading is not confirmed
                _set(doc, c.field, None, None)
                why += f"; OCR's reading {before!r} (confidence {meta.confidence.get(c.field, 0):.2f}) dropped"
            doc.warn("handwritten-unread", f"{c.field}: {why}", page=1, field_=c.field)
            continue
        _set(doc, c.field, c.value, c.confidence)
        also = "" if before is None else f" (OCR read {before!r})"
        doc.warn("handwritten-read", f"{c.field} {c.value!r} read from handwriting (sure {c.confidence:.2f}){also}:"
                 " check it", page=1, field_=c.field)
    return doc


def _set(doc: Document, field: str, value: str | None, confidence: float | None) -> None:
    meta = doc.result.metadata
    names = ("number", "reference") if field == "number" else ("date",)
    if field == "number":
        meta.number = value
        meta.reference = f"{value}/{meta.symbol}" if value is not None else None
    else:
        meta.date = value
    for n in names:
        if confidence is None:
            meta.confidence.pop(n, None)
        else:
            meta.confidence[n] = confidence


STAGE = Stage("handwriting", handwriting, reads=("pages", "source", "metadata"), writes=("metadata", "warnings"))
