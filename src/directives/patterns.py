"""Patterns that all Vietnamese directives share (number line, place-and-date line, markers).

Each parser is a small pure function from printed text to typed values; none knows any
particular document.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from directives.knowledge import (
    ARTICLE_WORDS,
    AUTHORITIES,
    COUNCILS,
    MOTTOS,
    PARAGRAPH_LABELS,
    TYPE_CODES,
    header_phrases,
)
from directives.vntext import fold

# "Số: 239/KH-SYT", "Số 347-CV/TĐTN-VP", "Số:      - KH/ĐTN", and what OCR makes of "Số": "Sô :", "Só:",
# "Sồ;" (never "Sở", "Sơ": the horn is another letter)
# "Số:" as printed and as OCR misreads its vowel ("Só:", "Sô", "Sé:", "S0:")
NUMBER_LINE = re.compile(r"^\s*S[ốôoóòỏõọồổỗộơớờởỡợö0éèẻẽẹêếềểễệ]\s*[:.;¿,]?\s*(?P<ref>.*?)\s*$", re.IGNORECASE)
# a number line whose "Số" and number were lost (handwritten): "/KH-SYT", "…/QĐ-UBND"
SYMBOL_ONLY = re.compile(r"^[\s.…_\-–]*/\s*[A-ZĐ][A-ZĐa-zđ]{0,6}\s*[-/]")
_SYMBOL_AFTER_JUNK = re.compile(r"[-–]\s*(?P<sym>[A-ZĐ][A-Za-zĐđ]{0,6}\s*/.+)$|/\s*(?P<state>[A-ZĐ].+)$")
_NUMBER = re.compile(r"^(?P<num>\d+[A-Za-zĐđ]?)\s*(?P<sep>[/\-–])\s*(?P<rest>.+)$")
# a symbol: codes of capitals (with Đ, and lower case as in 'TTr', 'CTr') joined by '-' or '/'
SYMBOL = re.compile(r"^[A-ZĐ][A-Za-zĐđ0-9]*(?:\s*[-/–]\s*[A-ZĐ][A-Za-zĐđ0-9]*)*$")
_YEAR_PART = re.compile(r"^(?:19|20)\d{2}\s*/\s*")
# "Kiên Giang, ngày 29 tháng 7 năm 2023"; the day or month may be blank, dotted or handwritten (then
# read as junk by OCR: "ngày Ơ1", "ngày£3", "tháng t Ì", or lost with the word "ngày" itself). Matched on
# the accent-free text, so that OCR's slips in the words themselves ("thẳng", "nàm") do not hide the line.
DATE_LINE = re.compile(
    r"^(?P<place>[^,]{2,60}?)\s*,[\s,]*(?:ngay|nay\b)?(?P<d>[^,]{0,8}?)thang(?P<m>[^,]{0,8}?)nam\s*(?P<y>\d{4})\b",
    re.IGNORECASE,
)
# the same line with its year unread ("tháng/(Đ hăm 2 2017"), or cut by OCR after the day ("Kiên
# Giang, ngày 2" | "hăm 2 2017"): the place stands, the date is lost
PLACE_LINE = re.compile(r"^(?P<place>[^,]{2,60}?)\s*,[\s,]*ngay\b(?:[^,]{0,12}?thang\b|[^,]{0,4}$)", re.IGNORECASE)
# what OCR reads for the digit 1 or 0 in a typed day or month ("0]" for 01)
_DIGIT_LOOKALIKES = str.maketrans({"]": "1", "[": "1", "|": "1", "l": "1", "I": "1", "O": "0", "o": "0"})
# "V/v ban hành …", "V/V:", "(V/v …)", OCR's "V/ ban hành …" (the small v lost), "Về việc …"
SUBJECT_LINE = re.compile(r"^\s*\(?\s*(?:V\s*/\s*v?(?=[\s:.])|về\s+việc\b)\s*[:.]?\s*", re.IGNORECASE)
BULLET = re.compile(r"^\s*[-+•·▪◦–—*]\s*")
SEPARATOR = re.compile(r"^[\s*\-_–—=.·•~]+$")
_LABEL_END = re.compile(r"^[\s:.]+")
_GLUED_AUTHORITY = re.compile(r"^([A-Z]{1,3})\.(\S.*)$")


def parse_reference(text: str) -> tuple[str | None, str | None, str | None]:
    """'Số: 347-CV/TĐTN-VP' → ('347-CV/TĐTN-VP', '347', 'CV/TĐTN-VP'); None where absent.

    A number left blank keeps the reference as printed ('- KH/ĐTN'); a number that cannot be read
    (handwriting read by OCR as '0Í', '43§2') gives reference and number None, never a guess.
    """
    m = NUMBER_LINE.match(text)
    ref = " ".join((m.group("ref") if m else text).split()).strip(" .,;")
    if not ref or not any(c.isalpha() for c in ref):
        return (ref or None), None, None
    n = _NUMBER.match(ref)
    if n:
        rest = (_YEAR_PART.sub("", n.group("rest")) if n.group("sep") == "/" else n.group("rest")).strip()
        if SYMBOL.match(rest):
            # written without the space a form leaves before the slash: "20 /GM-GAVI" → "20/GM-GAVI"
            return n.group("num") + ref[n.start("sep"):], n.group("num"), rest
    head = re.split(r"[-–/]", ref, maxsplit=1)[0]
    rest = ref.lstrip("-–/ .…_").strip()
    if not head.strip(" .…_") and not rest[:1].isdigit():  # blank number: printed as is
        return ref, None, rest or None
    junk = _SYMBOL_AFTER_JUNK.search(ref)
    symbol = (junk.group("sym") or junk.group("state")).strip() if junk else None
    # what follows the junk must read as a symbol ('Qp-syr' is a misread one: null, not a guess)
    return None, None, symbol if symbol and SYMBOL.match(symbol) else None


def to_iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _digits(text: str) -> str:
    """A typed day or month as digits: '0]' → '01'; anything that is not one or two digits with at
    most one look-alike ('£3', 't Ì', a handwritten day read as junk) stays as it is. A speck read as
    a dash or a dot beside it goes ('12 –' → '12')."""
    text = text.strip().strip("–—-.,:;_~").strip()
    fixed = text.translate(_DIGIT_LOOKALIKES)
    if 1 <= len(text) <= 2 and fixed.isdigit() and sum(c.isdigit() for c in text) >= len(text) - 1 \
            and any(c.isdigit() for c in text):
        return fixed
    return text


# What a scan's specks and strokes leave at the edges of a header line's words (a modifier letter is
# a stroke read as a mark): a body's name or a place has none of it at its edges.
EDGE_MARKS = " .,;:'\"“”‘’`^~_-–—*•·‹›«»®©°|\\/<>{}[]!?#%&+=@$ˆˇˊˋ˜"


def parse_date_line(text: str) -> tuple[str | None, str | None, bool]:
    """'Kiên Giang, ngày 29 tháng 7 năm 2023' → ('Kiên Giang', '2023-07-29', True).

    The last value says whether the text is a place-and-date line at all; the date is None when
    the day or month is blank (left to be handwritten) or impossible.
    """
    key = fold(text)
    m = DATE_LINE.search(key) if len(key) == len(text) else None
    if not m:
        m = PLACE_LINE.search(key) if len(key) == len(text) else None
        place = " ".join(text[m.start("place"):m.end("place")].split()).strip(EDGE_MARKS) if m else ""
        # a place names itself in capitalised words ('Kiên Giang', 'TP. Hồ Chí Minh'), a sentence does not
        named = bool(place) and len(place.split()) <= 6 and all(w[:1].isupper() for w in place.split())
        return (place, None, True) if named else (None, None, False)
    place = " ".join(text[m.start("place"):m.end("place")].split()).strip(EDGE_MARKS)
    d, mo = _digits(m.group("d") or ""), _digits(m.group("m"))
    iso = to_iso(int(m.group("y")), int(mo), int(d)) if d.isdigit() and mo.isdigit() else None
    return place or None, iso, True


def is_upper(text: str) -> bool:
    """At least 90 % of the (two or more) letters are capitals: 'KẾ HOẠCH', 'ĐOÀN TNCS HỒ CHÍ MINH'."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


@lru_cache(maxsize=256)
def _folded(label: str) -> str:
    return fold(label)


def strip_label(text: str, labels: tuple[str, ...]) -> str | None:
    """The text after a label such as 'Kính gửi' (accent-insensitive), or None without the label."""
    folded = fold(text[:40])
    for label in labels:
        if folded.startswith(_folded(label)):
            return _LABEL_END.sub("", text[len(label):], count=1).strip()
    return None


def strip_item(text: str) -> str:
    """A list item as printed without its bullet and trailing ';' '.' ',' ':'."""
    return BULLET.sub("", text, count=1).strip().rstrip(";.,:").strip()


def split_authority(text: str) -> tuple[str | None, str]:
    """'TM. BAN THƯỜNG VỤ' → ('TM.', 'BAN THƯỜNG VỤ'); (None, text) when no authority word opens it."""
    head, _, rest = text.strip().partition(" ")
    key = head.upper()
    if key in AUTHORITIES:
        return AUTHORITIES[key], rest.strip()
    glued = _GLUED_AUTHORITY.match(text.strip())  # 'KT.CHỦ TỊCH': no space after the full stop
    if glued and glued.group(1) + "." in AUTHORITIES:
        return AUTHORITIES[glued.group(1) + "."], glued.group(2).strip()
    return None, text.strip()


# what opens a new paragraph whatever its indentation: bullets, numbering, labels
PARAGRAPH_OPENER = re.compile(
    r"^(?:[-+•·▪◦–—*]\s|[IVXLC]{1,6}[.\-–)]\s|\d{1,2}(?:\.\d{1,2}){0,3}[.)]\s|[a-zđ]\)\s|"
    rf"(?:{'|'.join(ARTICLE_WORDS)})\s+[\dIVXLC]+|{'|'.join(PARAGRAPH_LABELS)})",
)
_MOTTOS = tuple(fold(m) for m in MOTTOS)


def is_motto(text: str) -> bool:
    """The national motto, also when OCR lost a word of it or read its dashes otherwise
    ('lập - Tự do - Hạnh phúc', 'Độc lập —- Tự do - Hạnh phúc')."""
    key = fold(text)
    return "hanh phuc" in key and ("tu do" in key or "doc lap" in key)


def is_noise(text: str) -> bool:
    """Separators and the national motto: never a field."""
    return bool(SEPARATOR.match(text)) or fold(text).replace("–", "-").startswith(_MOTTOS) or is_motto(text)


_FUNCTION_WORDS = {"VÀ", "CỦA", "&"}
_VOWEL = re.compile(r"[aeiouy]")


def initials(name: str) -> set[str]:
    """Codes a body's name abbreviates to: 'SỞ THÔNG TIN VÀ TRUYỀN THÔNG' → {'STTTT', 'TTTT'};
    'KHOA HỆ THỐNG THÔNG TIN' → {'KHTTT', 'HTTT'} (with and without the first word)."""
    words = [w for w in name.upper().replace("-", " ").split() if w not in _FUNCTION_WORDS and w[:1].isalpha()]
    # a word without a vowel is an abbreviation already and stays whole: 'TRƯỜNG ĐH DUY TÂN' → 'ĐHDT'
    parts = [w if w.isalpha() and not _VOWEL.search(fold(w)) else w[0] for w in words]
    return {"".join(parts), "".join(parts[1:])} - {""}


def _initials_of(names: list[str]) -> set[str]:
    """The initials (three letters or more) the bodies `names` may abbreviate to in a symbol."""
    return {c for n in names for c in initials(n) if len(c) >= 3}


def symbol_by_initials(symbol: str, names: list[str]) -> str:
    """An OCR'd symbol part one letter away from the initials of the issuer (or its parent) → those
    initials: 'TB - HTTIT' with 'KHOA HỆ THỐNG THÔNG TIN' → 'TB - HTTT'. Parts that are already
    initials, or near none, stay."""
    codes = _initials_of(names)

    def near(part: str, code: str) -> bool:
        return part != code and abs(len(part) - len(code)) <= 1 and Levenshtein.distance(part, code) == 1

    def fix(m: re.Match) -> str:
        part = m.group(0)
        found = [c for c in codes if near(part, c)]
        return found[0] if len(found) == 1 and part not in codes else part

    return re.sub(r"[A-ZĐ]{3,}", fix, symbol)


_COUNCIL_CODES = frozenset(c for c in COUNCILS if " " not in c)  # 'UBND', 'HĐND'


def symbol_hyphen_restored(symbol: str, names: list[str]) -> str:
    """A symbol part whose hyphen OCR lost, parted again where exactly one cut makes the issuer's (or
    its parent's) initials and a unit's code ('SYTNVD' with SỞ Y TẾ → 'SYT-NVD'), or a type code of
    Decree 30 and a council's or the issuer's initials ('CTUBND' → 'CT-UBND'). Else as read."""
    codes = {fold(c).upper() for c in _initials_of(names)} | _COUNCIL_CODES

    def part(m: re.Match) -> str:
        run = m.group(0)
        key = fold(run).upper()
        cuts = [k for k in range(2, len(run) - 1)
                if key[:k] in codes and k >= 3 or run[:k] in TYPE_CODES and key[k:] in codes]
        return f"{run[:cuts[0]]}-{run[cuts[0]:]}" if len(cuts) == 1 and key not in codes else run

    return re.sub(r"[A-ZĐ]{5,}", part, symbol)


def type_code_undoubled(symbol: str) -> str:
    """A symbol whose type code OCR read with a letter twice → the code: 'QĐĐ-UBND' → 'QĐ-UBND'
    (the doubled form is no code of Decree 30; the single one is). Anything else stays."""
    m = re.match(r"[A-ZĐ]+", symbol)
    if not m or m.group(0) in TYPE_CODES:
        return symbol
    code = m.group(0)
    single = {code[:i] + code[i + 1:] for i in range(1, len(code)) if code[i] == code[i - 1]}
    found = [c for c in single if c in TYPE_CODES]
    return found[0] + symbol[m.end():] if len(found) == 1 else symbol


# what OCR reads a type code's capital as, and the capitals it may stand for ('C1-UBND' is CT-UBND)
_CODE_LOOKALIKES = {"1": "TIL", "0": "OĐD", "8": "B", "5": "S", "2": "Z"}


_STROKES = "Il1|"  # what OCR reads a stray stroke beside a letter as


def type_code_unstroked(symbol: str) -> str:
    """A symbol whose type code OCR read with a stroke more ('TTIr-UBND') → the code, when dropping
    one stroke-like character makes exactly one code of Decree 30 ('TTr'). Anything else stays."""
    m = re.match(r"[A-ZĐa-z0-9|]+(?=\s*[-/])", symbol)
    if not m or m.group(0) in TYPE_CODES:
        return symbol
    part = m.group(0)
    found = {part[:i] + part[i + 1:] for i, c in enumerate(part) if c in _STROKES} & set(TYPE_CODES)
    return next(iter(found)) + symbol[m.end():] if len(found) == 1 else symbol


def type_code_of_lookalikes(symbol: str) -> str:
    """A symbol whose type code OCR read with a digit for a capital → the code, when exactly one
    reading is a code of Decree 30: 'C1-UBND' → 'CT-UBND'. Anything else stays."""
    m = re.match(r"[A-ZĐ0-9]+(?=[-/])", symbol)
    if not m or m.group(0) in TYPE_CODES or m.group(0).isdigit() or not any(c.isdigit() for c in m.group(0)):
        return symbol
    readings = [""]
    for c in m.group(0):
        readings = [r + x for r in readings for x in _CODE_LOOKALIKES.get(c, c)]
    found = [r for r in readings if r in TYPE_CODES]
    return found[0] + symbol[m.end():] if len(found) == 1 else symbol


_PHRASE_TRAIL = ".,:;"  # what may follow a phrase's last word


@lru_cache(maxsize=1)
def _phrases() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Accent-free words of a phrase of two words or more → the phrase's words (ambiguous keys left out)."""
    out: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for p in header_phrases():
        words = tuple(p.split())
        if len(words) >= 2:
            out.setdefault(tuple(fold(w) for w in words), set()).add(words)
    return {k: next(iter(v)) for k, v in out.items() if len(v) == 1}


def repair_phrases(words: list[str]) -> tuple[list[str], set[int]]:
    """Known header phrases spelled without (or with wrong) diacritics → the phrase; and which words
    were matched."""
    out, done = list(words), set[int]()
    longest = max((len(k) for k in _phrases()), default=0)
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 1, -1):
            span = [w.rstrip(_PHRASE_TRAIL) for w in words[i:i + n]]
            known = _phrases().get(tuple(fold(w) for w in span)) if all(is_upper(w) or len(w) == 1 for w in span) else None
            if known:
                for k, word in enumerate(known):
                    out[i + k] = word + words[i + k][len(span[k]):]
                done.update(range(i, i + n))
                i += n
                break
        else:
            i += 1
    return out, done
