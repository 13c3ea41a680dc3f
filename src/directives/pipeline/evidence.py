"""What the rest of a scanned file says of its own number and date, beside the ink of their blanks:
the latest day the first page can be dated (a signing time, a received stamp: `received_by`), the
earliest (a document it cites: `cited_before`), and what a later page's attachment caption cites of
this document (`cited_self`). Used by the handwriting stage to constrain and confirm what it reads.
"""

from __future__ import annotations

import datetime as dt
import re

from directives.extractors.model import Line, Page
from directives.patterns import to_iso
from directives.vntext import fold

OCR_SURE = 0.8  # an OCR word this sure is read as printed
SYMBOL_START = re.compile(r"/\s*[A-ZĐ]")  # where a number line's symbol starts ('/SYT-NVY')

_SIGNED_AT = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\W{0,3}\d{1,2}:\d{2}:\d{2}")
_RECEIVED = re.compile(r"^\W*ĐẾN\W*$")  # the printed word of a received stamp ('CÔNG VĂN ĐẾN')
_STAMP_DAY = re.compile(r"ngay\W{0,3}(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})\b")
# a document's date after "ngày": 06/11/2017, or in words 04 tháng 01 năm 2018 (folded)
_DAY_MONTH_YEAR = (r"ngay\W{0,2}(?:(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})"
                   r"|(?P<dw>\d{1,2})\s+thang\s+(?P<mw>\d{1,2})\s+nam\s+(?P<yw>\d{4}))\b")
_CITED_DATE = re.compile(r"\bso\W{0,2}\d[\w.]*\s*/\s*[\w/ -]{2,30}?\W{0,3}" + _DAY_MONTH_YEAR)
_CITED_SELF = re.compile(r"kem theo\b.{0,40}?\bso\W{0,2}(?P<n>[^/]{0,12}?)\s*/[\s/]*(?P<s>[\w -]{2,30}?)\W{0,3}"
                         + _DAY_MONTH_YEAR)


def _cited(m: re.Match) -> tuple[dt.date | None, int, int]:
    """The date a citation's match names, and where it stands in the folded line."""
    k = "" if m.group("d") is not None else "w"
    return _date(m.group("d" + k), m.group("m" + k), m.group("y" + k)), m.start("d" + k), m.end("y" + k)


def _date(d: str, m: str, y: str) -> dt.date | None:
    year = int(y) + (2000 if len(y) == 2 else 0)
    iso = to_iso(year, int(m), int(d))
    return dt.date.fromisoformat(iso) if iso and 1945 <= year <= dt.date.today().year + 1 else None


def _sure_text(line: Line, start: int, end: int) -> bool:
    """Whether OCR was sure of every word of `line` that overlaps characters start..end of its folded text."""
    pos, sure = 0, True
    text = fold(line.raw or line.text)
    for w in line.words:
        word = fold(w.text)
        at = text.find(word, pos)
        if at < 0:
            return False
        pos = at + len(word)
        if at < end and pos > start and w.conf < OCR_SURE:
            sure = False
    return sure


def received_by(page: Page, stamps: bool = True) -> dt.date | None:
    """The latest day a first page's date can be: the earliest signing or received date on the page,
    from its digital signatures' signing times, the timestamps of the e-office signature and copy boxes
    ('Thời gian ký: 24/01/2025 14:23:43', seconds and all) and a received stamp OCR read ('ĐẾN' and
    near it 'Ngày: 21/3/18', unless not `stamps`); None when the page has none of them."""
    found: list[dt.date] = []
    for sig in page.signatures:
        iso = re.match(r"(\d{4})-(\d\d)-(\d\d)", sig.signing_time or "")
        if iso and (d := _date(*reversed(iso.groups()))) is not None:
            found.append(d)
    for box in page.boxes:
        for stamp in _SIGNED_AT.finditer(box.text):
            if (d := _date(*stamp.groups())) is not None:
                found.append(d)
    received = [w for w in page.words if _RECEIVED.match(w.text) and w.conf >= OCR_SURE] if stamps else []
    for ln in page.lines if received else ():
        if not any(-4 * (s.y1 - s.y0) <= ln.y0 - s.y0 <= 4 * (s.y1 - s.y0) and ln.x0 < s.x1 + 200 and ln.x1 > s.x0 - 100
                   for s in received):
            continue
        raw = ln.raw or ln.text
        m = _STAMP_DAY.search(fold(raw))
        if m and _sure_text(ln, m.start(1), m.end(3)) and (d := _date(*m.groups())) is not None:
            found.append(d)
    return min(found) if found else None


def cited_before(page: Page) -> dt.date | None:
    """The earliest day a first page's date can be: the latest date of a document it cites by number
    ('Công văn số 85/VP-TTHC ngày 08/01/2025'), OCR sure of the date; None without one."""
    found = []
    for ln in page.lines:
        raw = ln.raw or ln.text
        for m in _CITED_DATE.finditer(fold(raw)):
            d, start, end = _cited(m)
            if d is not None and _sure_text(ln, start, end):
                found.append(d)
    return max(found) if found else None


def symbol_of(number_line: Line | None) -> str | None:
    """The printed symbol of a number line, folded, without spaces ('/SYT- NVY' → 'syt-nvy')."""
    if number_line is None:
        return None
    raw = number_line.raw or number_line.text
    m = SYMBOL_START.search(raw)
    sym = re.sub(r"[^a-z0-9đ-]", "", fold(raw[m.start() + 1:])) if m else ""
    return sym if len(sym) >= 2 else None


def cited_self(later: list[Page] | tuple[Page, ...], symbol: str | None) -> dict[str, str]:
    """What a later page of the file cites of this document: its attachment's caption '(Kèm theo Kế
    hoạch số 2084/KH-SYT ngày 06/11/2017 …)' with the same symbol. "number" when OCR was sure of its
    digits, "date" (ISO) when sure of the date; an empty dict without such a caption, or when two
    captions disagree."""
    if symbol is None:
        return {}
    seen: dict[str, set[str]] = {"number": set(), "date": set()}
    for page in later:
        for ln in page.lines:
            raw = ln.raw or ln.text
            for m in _CITED_SELF.finditer(fold(raw)):
                if re.sub(r"[^a-z0-9đ-]", "", m.group("s")) != symbol:
                    continue
                if re.fullmatch(r"\d{1,5}", m.group("n")) and _sure_text(ln, m.start("n"), m.end("n")):
                    seen["number"].add(m.group("n"))
                d, start, end = _cited(m)
                if d is not None and _sure_text(ln, start, end):
                    seen["date"].add(d.isoformat())
    return {f: next(iter(v)) for f, v in seen.items() if len(v) == 1}
