"""Heading numbers as printed, and as OCR misreads them: 'PHẦN THỨ HAI', 'Chương I', 'Điều 3.', 'II.',
'A.', '2.1.', '3-', '1/', '1,Khen', 'a)'. Used by the sections stage, which decides from the sequence
and the style of the numbered paragraphs which of them are headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from directives.knowledge import (
    ORDINALS,
    ROMAN_CHAR_LOOKALIKES,
    ROMAN_LOOKALIKES,
    roman_to_int,
    type_from_name,
)
from directives.vntext import fold

# numbering styles, outermost first
STYLE_ORDER = ("part", "chapter", "section", "letter", "roman", "article", "arabic", "arabic2", "arabic3",
               "arabic4", "alpha")
_DIVISIONS = {"phan": ("part", "Phần"), "phaan": ("part", "Phần"), "chuong": ("chapter", "Chương"),
              "muc": ("section", "Mục"), "dieu": ("article", "Điều")}
_DIVISION = re.compile(r"^(?P<word>pha{1,2}n|chuong|muc|dieu)\s+"
                       r"(?P<tok>thu\s+[a-z]+\b|\d{1,3}(?!\d|[.,/]\d)|[ivxlchu|]{1,6}(?![\w]))")
_PUNCT = re.compile(r"\s*[.:\-–)]*")
_ROMAN = re.compile(r"^(?P<tok>[IVXLC]{1,6})(?P<punct>[.\-–)/]+)")
_LETTER = re.compile(r"^(?P<tok>[A-ZĐ])(?P<punct>\.)(?=\s*[^\W\d_])")
# '1.', '2.1.', '3)', '1/', '2- Thời gian', '1,Khen' (a comma OCR made of the dot), '2 Trưởng đoàn'
_ARABIC = re.compile(r"^(?P<tok>\d{1,2}(?:\.\d{1,2}){0,3})"
                     r"(?P<punct>\.(?!\d)|\)|/(?![\d/])|\s*[-–](?=\s*[^\W\d_])|,(?=[^\W\d_])|,(?=\s[A-ZĐ])|(?=\s+[A-ZĐ“\"(]))")
_ALPHA = re.compile(r"^(?P<tok>[a-zđ])(?P<punct>\))")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_ROMAN = 39  # a heading numbered higher than XXXIX is a misreading
_ALPHABET = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese order of lettered items: a) b) c) d) đ) e)


@dataclass(frozen=True, slots=True)
class Numbering:
    number: str  # 'Phần II', 'Điều 3', 'II', 'A', '2.1', 'a'
    style: str  # one of STYLE_ORDER
    value: int | None  # place in its sequence: II → 2, 2.1 → 1, B → 2, THỨ HAI → 2
    punct: str  # what follows the number as printed: '.', '-', ')', ''
    rest: str  # the text after the number


def roman_value(token: str) -> int | None:
    """The number a roman token stands for, as printed or as an OCR look-alike ('H' → 2, 'VHI' → 8,
    'IL' → 2: headings are not numbered in the forties)."""
    if token in ROMAN_LOOKALIKES:
        return roman_to_int(ROMAN_LOOKALIKES[token])
    strict = roman_to_int(token) if token.isupper() and token.isalpha() else None
    if (strict is not None and strict <= MAX_ROMAN) or token.isdigit():
        return strict
    mapped = "".join(ROMAN_CHAR_LOOKALIKES.get(c, c) for c in token)
    value = roman_to_int(mapped) if mapped != token and mapped.isalpha() and mapped.isupper() else None
    return value if value is not None and value <= MAX_ROMAN else strict


def int_to_roman(n: int) -> str:
    out = ""
    for v, r in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                 (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + r, n - v
    return out


def _names_a_document(text: str) -> bool:
    """`text` opens with a document type's name ('Quyết định này', 'Luật Tổ chức …')."""
    words = text.split()
    return any(type_from_name(" ".join(words[:n])) is not None for n in (1, 2, 3))


def _division(text: str, ocr: bool) -> Numbering | None:
    """'PHẦN THỨ NHẤT …', 'Chương II', 'Điều 3.' (on OCR text also 'PHẢN H.', 'Điêu 2.')."""
    folded = fold(text[:40])
    m = _DIVISION.match(folded)
    if not m or len(folded) != len(text[:40]):
        return None
    word = text[:m.end("word")]
    style, canonical = _DIVISIONS[m.group("word")]
    if not word[0].isupper() or (not ocr and word.casefold() != canonical.casefold()):
        return None  # the word as printed; on OCR text also as misread ('PHẢN', 'Điêu')
    tok = text[m.start("tok"):m.end("tok")]
    value: int | None
    if tok.isdigit():
        value, shown = int(tok), tok
    elif m.group("tok").startswith("thu"):
        value, shown = ORDINALS.get(m.group("tok").split()[1]), tok
        if value is None or style == "article":
            return None
    else:
        value = roman_value(tok) if ocr else (roman_to_int(tok) if tok.isupper() and tok.isalpha() else None)
        if value is None or style == "article":
            return None
        shown = int_to_roman(value)
    word = canonical.upper() if word.isupper() else canonical
    punct = _PUNCT.match(text, m.end("tok"))
    assert punct is not None  # the pattern matches the empty string
    rest = text[punct.end():].strip()
    if rest[:1].islower():
        return None  # '… khoản 2' / 'Điều 3 của Thông tư này': a reference that ends a wrapped line
    if style == "article" and not ocr and not punct.group().strip() and _names_a_document(rest):
        # '… tại' / 'Điều 1 Quyết định này': the same reference, the document named next (a text
        # layer prints an article's own heading 'Điều 3.'; OCR may lose that full stop)
        return None
    return Numbering(f"{word} {shown}", style, value, punct.group().strip(), rest)


def parse_numbering(text: str, ocr: bool = False) -> Numbering | None:
    """The number a paragraph opens with, or None. `ocr`: the text was read by OCR (look-alikes)."""
    if not text or not (text[0].isalnum()):
        return None
    if (n := _division(text, ocr)) is not None:
        return n
    for style, pattern in (("roman", _ROMAN), ("letter", _LETTER), ("arabic", _ARABIC), ("alpha", _ALPHA)):
        m = pattern.match(text)
        if not m:
            continue
        tok, rest = m.group("tok"), text[m.end():].strip()
        if style != "alpha" and rest[:1].islower():
            return None  # a number that ends a wrapped line: '… trong 3 tháng'
        if style == "roman":
            value = roman_to_int(tok)
        elif style == "letter":
            value = _LETTERS.index(tok) + 1 if tok in _LETTERS else None
        elif style == "arabic":
            style = ("arabic", "arabic2", "arabic3", "arabic4")[tok.count(".")]
            value = int(tok.split(".")[-1])
        else:
            value = _ALPHABET.index(tok) + 1 if tok in _ALPHABET else None
        return Numbering(tok, style, value, m.group("punct").strip(), rest)
    return None
