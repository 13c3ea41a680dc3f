"""Vietnamese time expressions from activity-plan table cells → month numbers.

Pure helpers; their words are data in `knowledge.py`. Input is NFC-normalized, casefolded and then folded to
ASCII (diacritics removed, "đ" → "d") so that "Từ tháng 01 - 02", "TU THANG 01-02" and
"tu thang 01 – 02" are all understood the same way.
"""

from __future__ import annotations

import re
import unicodedata

from directives.knowledge import (
    HALF_WORD,
    HALF_YEAR_WORDS,
    LIST_SYMBOLS,
    LIST_WORDS,
    MONTH_WORDS,
    QUARTER_NUMERALS,
    QUARTER_WORDS,
    RANGE_SYMBOLS,
    RANGE_WORDS,
    WHOLE_YEAR_PHRASES,
    YEAR_END_WORDS,
    YEAR_WORD,
)
from directives.vntext import fold

__all__ = ["text_to_months"]

ALL_MONTHS: tuple[int, ...] = tuple(range(1, 13))


def _alt(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MONTH = _alt(MONTH_WORDS)
_NUM = r"\d{1,2}(?!\d)"
_QNUM = r"(?:" + _alt(list(QUARTER_NUMERALS)) + r")\b"

_WS_RE = re.compile(r"\s+")
_RANGE_SYM_RE = re.compile(_alt(RANGE_SYMBOLS))
_RANGE_WORD_RE = re.compile(rf"\b(?:{_alt(RANGE_WORDS)})\b")
_LIST_RE = re.compile(rf"\b(?:{_alt(LIST_WORDS)})\b|{_alt(LIST_SYMBOLS)}")
_DMY_RE = re.compile(r"(?<!\d)\d{1,2}[/.\-](\d{1,2})[/.\-]\d{4}(?!\d)")  # 15/10/2024 → 10
_MY_RE = re.compile(r"(?<![\d/])(\d{1,2})/\d{4}(?!\d)")  # 11/2023 → 11
_DM_RE = re.compile(r"(?<![\d/])\d{1,2}/(\d{1,2})(?![\d/])")  # 27/7 → 7
_YEAR_NUM_RE = re.compile(r"(?<!\d)\d{4}(?!\d)")
_YEAR_END_RE = re.compile(rf"-\s*(?:{_alt(YEAR_END_WORDS)})\b")
_WHOLE_YEAR_RE = re.compile(rf"\b(?:{_alt(WHOLE_YEAR_PHRASES)})\b")
_HALF_YEAR_RE = re.compile(
    rf"(?:(?<!\d)(\d{{1,2}})\s*(?:{_MONTH})|\b{HALF_WORD})\s+({_alt(list(HALF_YEAR_WORDS))})\s+{YEAR_WORD}\b"
)
_QUARTER_RE = re.compile(
    rf"\b(?:{_alt(QUARTER_WORDS)})\s*({_QNUM}(?:\s*[-,]\s*(?:(?:{_alt(QUARTER_WORDS)})\s*)?{_QNUM})*)"
)
_QUARTER_TOKEN_RE = re.compile(rf"{_QNUM}|[-,]")
_MONTH_RE = re.compile(rf"\b(?:{_MONTH})\s*({_NUM}(?:\s*[-,]\s*(?:(?:{_MONTH})\s*)?{_NUM})*)")
_MONTH_TOKEN_RE = re.compile(rf"{_NUM}|[-,]")


def _fold(text: str) -> str:
    """`vntext.fold` (no diacritics, đ → d, case-folded), whitespace collapsed."""
    return _WS_RE.sub(" ", fold(unicodedata.normalize("NFC", text))).strip()


def _canonical(text: str) -> str:
    """Rewrite dates to 'thang M', separators to ' - ' (range) and ' , ' (list)."""
    month = MONTH_WORDS[0]
    text = _DMY_RE.sub(lambda m: f" {month} {m.group(1)} ", text)
    text = _MY_RE.sub(lambda m: f" {m.group(1)} ", text)
    text = _DM_RE.sub(lambda m: f" {month} {m.group(1)} ", text)
    text = _YEAR_NUM_RE.sub(" ", text)
    text = _RANGE_SYM_RE.sub(" - ", text)
    text = _RANGE_WORD_RE.sub(" - ", text)
    text = _LIST_RE.sub(" , ", text)
    text = _YEAR_END_RE.sub(f" - {month} 12 ", text)
    return _WS_RE.sub(" ", text).strip()


def _expand(tokens: list[str], value: dict[str, int], top: int) -> set[int]:
    """Expand tokens like ['3', ',', '5', '-', '7'] into numbers 1..top (ranges inclusive, wrapping)."""
    out: set[int] = set()
    for piece in " ".join(tokens).split(","):
        nums = [value[t] for t in piece.split() if 1 <= value.get(t, 0) <= top]
        if len(nums) >= 2 and "-" in piece:
            start, end = nums[0], nums[-1]
            out.update(
                range(start, end + 1) if end >= start else [*range(start, top + 1), *range(1, end + 1)]
            )
        else:
            out.update(nums)
    return out


def _quarters(text: str) -> set[int]:
    out: set[int] = set()
    for match in _QUARTER_RE.finditer(text):
        for q in _expand(_QUARTER_TOKEN_RE.findall(match.group(1)), QUARTER_NUMERALS, 4):
            out.update(range(3 * q - 2, 3 * q + 1))
    return out


def _months(text: str) -> set[int]:
    out: set[int] = set()
    for match in _MONTH_RE.finditer(text):
        tokens = _MONTH_TOKEN_RE.findall(match.group(1))
        out |= _expand(tokens, {t: int(t) for t in tokens if t.isdigit()}, 12)
    return out


def _half_years(text: str) -> set[int]:
    out: set[int] = set()
    for match in _HALF_YEAR_RE.finditer(text):
        n = int(match.group(1)) if match.group(1) else 6
        if 1 <= n <= 12:
            out.update(range(1, n + 1) if HALF_YEAR_WORDS[match.group(2)] else range(13 - n, 13))
    return out


def text_to_months(text: str) -> list[int]:
    """'Tháng 01' → [1]; 'Từ tháng 01 - 02' → [1, 2]; 'Từ tháng 4 - 11' → [4..11]; 'Tháng 04 - 06' → [4,5,6];
    'Tháng 03 và tháng 07' → [3, 7]; 'Quý III' → [7, 8, 9]; 'Quý 1' / 'Quý I, II' → quarters;
    'Cả năm' / 'Quanh năm' / 'Thường xuyên' → [1..12]; 'Tháng 3, 4' → [3, 4]; 'Tháng 5 - tháng 7' → [5,6,7];
    'Từ tháng 11/2023 đến tháng 02/2024' → months wrap (11,12,1,2) sorted; '6 tháng đầu năm' → [1..6];
    '6 tháng cuối năm' → [7..12]; dates like '15/10/2024' or 'ngày 27/7' → that month; 'Trước 30/6' → [6];
    unknown/empty → []."""
    if not text:
        return []
    folded = _fold(text)
    if _WHOLE_YEAR_RE.search(folded):
        return list(ALL_MONTHS)
    months = _half_years(folded)
    canon = _canonical(folded)
    months |= _quarters(canon) | _months(canon)
    return sorted(months)
