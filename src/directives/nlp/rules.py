"""Entities found by rules: LEGAL_REF, CAMPAIGN, DATE and PERIOD.

- LEGAL_REF: a document type followed by its number-and-symbol ("Kết luận số 21-KL/TW ngày
  25/10/2021", "Chỉ thị 03-CT/TWĐTN", "Nghị định 30/2020/NĐ-CP"), or a law by name and year
  ("Luật Thanh niên 2020"). `normalized` is a compact JSON object {"type", "number", "symbol",
  "year", "date", "name"} (null where absent; year: the one inside a state-style reference such as
  30/2020/NĐ-CP; date ISO, or the year of a law);
  the date is the one printed right after the reference, or later in the same clause after its
  issuer ("Nghị quyết số 35-NQ/TW của Bộ Chính trị khóa XII ngày 22/10/2018").
- CAMPAIGN: a quoted name that a programme word introduces ("Cuộc vận động “…”", "chương trình
  "…"", "các mô hình … như “…”, “…”"); `normalized` is that word, lower case ("cuộc vận động").
  Quotes without such a word ("biểu hiện “tự diễn biến”", a resolution's title) are not campaigns.
- DATE / PERIOD, normalized to ISO 8601: "ngày 25/10/2021" → 2021-10-25, "tháng 7 năm 2023" →
  2023-07, "năm 2024" → 2024; "giai đoạn 2023 – 2027" → 2023/2027, "(2/9/1969-2/9/2024)" →
  1969-09-02/2024-09-02.
"""

from __future__ import annotations

import json
import re

from directives.knowledge import CAMPAIGN_TRIGGERS, CITED_DOCUMENT_KINDS, PERIOD_WORDS, TYPE_NAMES
from directives.patterns import parse_reference, to_iso
from directives.schemas import Entity

# --- LEGAL_REF -----------------------------------------------------------------------------------

_TYPE_WORDS = sorted({n.capitalize() for n in TYPE_NAMES} | set(CITED_DOCUMENT_KINDS),
                     key=len, reverse=True)
_TYPES = "|".join(re.escape(t) for t in _TYPE_WORDS)
_REF = r"\d{1,5}[A-Za-z]?(?:/(?:19|20)\d{2})?[-/][A-ZĐ][A-Za-zĐđ0-9]*(?:[-/][A-ZĐ][A-Za-zĐđ0-9]*)*"
_DMY = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>(?:19|20)\d{2})"
_DMY_WORDS = r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>(?:19|20)\d{2})"
NUMBERED_REF = re.compile(
    rf"(?P<type>{_TYPES}|{_TYPES.lower()})(?:\s+số)?\s*:?\s*(?P<ref>{_REF})"
    rf"(?P<dated>\s*,?\s*ngày\s+(?:{_DMY}|{_DMY_WORDS}))?(?![\w/-])")
NAMED_LAW = re.compile(
    r"(?P<type>Bộ luật|Luật|Pháp lệnh)\s+(?P<name>[A-ZĐ][^\d.;:()“”\"\n]{1,60}?)\s+(?:năm\s+)?"
    r"(?P<year>(?:19|20)\d{2})(?!\d)")
_REF_CORE = re.compile(r"\d[A-Za-z]?(?:/(?:19|20)\d{2})?[-/][A-ZĐ]")  # what every _REF holds: a quick test
_REF_YEAR = re.compile(r"^\d+[A-Za-z]?/((?:19|20)\d{2})/")
_LATER_DATE = re.compile(rf"[^.;:“”\"\n]{{0,80}}?\bngày\s+(?:{_DMY}|{_DMY_WORDS})")


def _iso(m: re.Match[str]) -> str | None:
    if m.group("d"):
        return to_iso(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return to_iso(int(m.group("y2")), int(m.group("m2")), int(m.group("d2")))


def _ref_json(type_: str, number: str | None, symbol: str | None, date: str | None,
              name: str | None = None, year: str | None = None) -> str:
    return json.dumps({"type": type_, "number": number, "symbol": symbol, "year": year, "date": date,
                       "name": name}, ensure_ascii=False, separators=(",", ":"))


def legal_refs(text: str, unit: str | None = None) -> list[Entity]:
    """LEGAL_REF entities of `text` (see the module docstring)."""
    out: list[Entity] = []
    for m in NUMBERED_REF.finditer(text) if _REF_CORE.search(text) else ():
        _, number, symbol = parse_reference(m.group("ref"))
        if number is None:
            continue
        date = _iso(m) if m.group("dated") else None
        if date is None:
            later = _LATER_DATE.match(text, m.end())
            if later and not NUMBERED_REF.search(later.group()):
                date = _iso(later)
        type_ = m.group("type").capitalize()
        year = _REF_YEAR.search(m.group("ref"))
        out.append(Entity(label="LEGAL_REF", text=m.group(),
                          normalized=_ref_json(type_, number, symbol, date, year=year and year.group(1)),
                          section_id=unit, start=m.start(), end=m.end()))
    for m in NAMED_LAW.finditer(text):
        name = m.group("name").strip()
        out.append(Entity(label="LEGAL_REF", text=m.group(), section_id=unit, start=m.start(), end=m.end(),
                          normalized=_ref_json(m.group("type"), None, None, m.group("year"), name)))
    return out


# --- CAMPAIGN ------------------------------------------------------------------------------------

_TRIGGER = "|".join(re.escape(t) for t in sorted(CAMPAIGN_TRIGGERS, key=len, reverse=True))
_QUOTED = re.compile(r"“(?P<a>[^“”\n]{2,200})”|\"(?P<b>[^\"\n]{2,200})\"")
# the programme word, then at most a few words (no quote, no sentence end) before the quote
_INTRO = re.compile(rf"(?:^|[^\w])(?P<kind>{_TRIGGER})(?P<gap>[^“”\".;!?\n]{{0,25}})$", re.IGNORECASE)
# "… các mô hình tạo nguồn cây xanh như “…”": a programme word earlier in the clause, then "như"
_AS_IN = re.compile(rf"(?:^|[^\w])(?P<kind>{_TRIGGER})[^“”\".;!?\n]{{0,120}}\bnhư:?\s*$", re.IGNORECASE)
# between two names of one list: a comma, a semicolon, "và", "hoặc" (and the programme word again)
_CHAIN = re.compile(rf"^\s*(?:[,;]\s*|\s+(?:và|hoặc)\s+)(?:(?:{_TRIGGER})\s*)?$", re.IGNORECASE)


def campaigns(text: str, unit: str | None = None) -> list[Entity]:
    """CAMPAIGN entities of `text`: quoted names introduced by a programme word (module docstring)."""
    out: list[Entity] = []
    prev_end, prev_kind = -1, None
    for m in _QUOTED.finditer(text):
        inner = "a" if m.group("a") is not None else "b"
        name = m.group(inner)
        before = text[max(0, m.start() - 160):m.start()]
        kind = None
        intro = _INTRO.search(before) or _AS_IN.search(before)
        if intro:
            kind = intro.group("kind").lower()
        elif prev_kind and _CHAIN.match(text[prev_end:m.start()]):
            kind = prev_kind
        prev_end, prev_kind = m.end(), kind
        if kind and name.strip() and any(ch.isalnum() for ch in name):
            out.append(Entity(label="CAMPAIGN", text=name, normalized=kind, section_id=unit,
                              start=m.start(inner), end=m.end(inner)))
    return out


# --- DATE / PERIOD -------------------------------------------------------------------------------

_DASH = r"\s*[-–—]\s*"
_PERIOD_WORDS = "(?:" + "|".join(PERIOD_WORDS) + ")"
_PERIOD_START = "".join(sorted({w[0] for w in PERIOD_WORDS}))  # a period's first letter (or its year's)
_DAY_RANGE = re.compile(
    r"(?P<d1>\d{1,2})/(?P<m1>\d{1,2})/(?P<y1>(?:19|20)\d{2})" + _DASH
    + r"(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>(?:19|20)\d{2})(?![\d/])")
_YEAR_RANGE = re.compile(
    rf"(?=[{_PERIOD_START}12])(?:(?P<word>{_PERIOD_WORDS})\s+|(?<=\())"
    rf"(?P<y1>(?:19|20)\d{{2}}){_DASH}(?P<y2>(?:19|20)\d{{2}})(?![\d/])",
    re.IGNORECASE)
_YEAR_PAIR = re.compile(rf"(?:19|20)\d{{2}}{_DASH}(?:19|20)\d{{2}}")  # what every _YEAR_RANGE holds
_DIGIT = re.compile(r"\d")
# each opens with a look-ahead at the first letter a match can have: a quick test at every position
_DAY = re.compile(rf"(?=[\dn])(?<![\d/])(?:ngày\s+)?(?:{_DMY}|ngày\s+{_DMY_WORDS})(?![\d/])", re.IGNORECASE)
_MONTH = re.compile(r"(?=t)\btháng\s+(?P<m>\d{1,2})(?:\s+năm\s+|\s*/\s*)(?P<y>(?:19|20)\d{2})(?!\d)", re.IGNORECASE)
_YEAR = re.compile(r"(?=n)\bnăm\s+(?P<y>(?:19|20)\d{2})(?![\d/])", re.IGNORECASE)


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in taken)


def dates(text: str, unit: str | None = None) -> list[Entity]:
    """DATE and PERIOD entities of `text`, normalized to ISO 8601 (module docstring)."""
    out: list[Entity] = []
    taken: list[tuple[int, int]] = []

    def add(label: str, m: re.Match[str], normalized: str | None) -> None:
        if normalized and not _overlaps(m.start(), m.end(), taken):
            taken.append((m.start(), m.end()))
            out.append(Entity(label=label, text=m.group(), normalized=normalized, section_id=unit,
                              start=m.start(), end=m.end()))

    if not _DIGIT.search(text):  # every date and period has a number
        return out
    for m in _DAY_RANGE.finditer(text):
        a = to_iso(int(m.group("y1")), int(m.group("m1")), int(m.group("d1")))
        b = to_iso(int(m.group("y2")), int(m.group("m2")), int(m.group("d2")))
        add("PERIOD", m, f"{a}/{b}" if a and b and a < b else None)
    for m in _YEAR_RANGE.finditer(text) if _YEAR_PAIR.search(text) else ():
        y1, y2 = m.group("y1"), m.group("y2")
        add("PERIOD", m, f"{y1}/{y2}" if y1 < y2 else None)
    for m in _DAY.finditer(text):
        add("DATE", m, _iso(m))
    for m in _MONTH.finditer(text):
        month = int(m.group("m"))
        add("DATE", m, f"{m.group('y')}-{month:02d}" if 1 <= month <= 12 else None)
    for m in _YEAR.finditer(text):
        add("DATE", m, m.group("y"))
    out.sort(key=lambda e: e.start or 0)
    return out
