"""Legacy Vietnamese 8-bit encodings (TCVN3 / ABC and VNI) → Unicode.

Before Unicode, Vietnamese text was typed in fonts whose glyphs sit at Latin-1 code points: a PDF
text layer made from such a document reads "§oµn Th­êng vô" (TCVN3, .VnTime fonts) or
"Ñoaøn Thöôøng vuï" (VNI, VNI-Times fonts). The tables below cover every precomposed Vietnamese
letter, lower and upper case; `tests/extractors/test_legacy.py` round-trips each one.

- TCVN3 (TCVN 5712:1993 VN3): one byte per letter. Upper-case letters with a tone have no code in
  the ordinary fonts: they are typed with the lower-case codes in a companion font whose name ends
  in "H" (.VnTimeH, .VnArialH), so a span in such a font is converted and then upper-cased. The
  upper-case Ă Â Ê Ô Ơ Ư Đ have their own codes.
- VNI: a base letter followed by one or two mark bytes ("oa" + "ø" = "oà"), with a few single-byte
  letters (ơ ư đ and the i's); mark bytes have an upper-case form after an upper-case letter.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache

from directives.syllables import vietnamese_score
from directives.vntext import vietnamese_letters


class Encoding(StrEnum):
    TCVN3 = "TCVN3"
    VNI = "VNI"


_TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # sắc, huyền, hỏi, ngã, nặng
_BASES = "aăâeêioôơuưy"


def _letter(base: str, tone: int) -> str:
    """The precomposed letter: `base` (one of _BASES) with tone 0 (none) … 5 (nặng) in _TONES order."""
    return unicodedata.normalize("NFC", base + (_TONES[tone - 1] if tone else ""))


# --- TCVN3 ---------------------------------------------------------------------------------------

# Per base letter: the codes of (no tone, sắc, huyền, hỏi, ngã, nặng); a, e, i, o, u, y unmarked are ASCII.
_TCVN3_ROWS: dict[str, tuple[int, int, int, int, int, int]] = {
    "a": (0x61, 0xB8, 0xB5, 0xB6, 0xB7, 0xB9),
    "ă": (0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6),
    "â": (0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB),
    "e": (0x65, 0xD0, 0xCC, 0xCE, 0xCF, 0xD1),
    "ê": (0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6),
    "i": (0x69, 0xDD, 0xD7, 0xD8, 0xDC, 0xDE),
    "o": (0x6F, 0xE3, 0xDF, 0xE1, 0xE2, 0xE4),
    "ô": (0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9),
    "ơ": (0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE),
    "u": (0x75, 0xF3, 0xEF, 0xF1, 0xF2, 0xF4),
    "ư": (0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9),
    "y": (0x79, 0xFD, 0xFA, 0xFB, 0xFC, 0xFE),
}
_TCVN3_UPPER = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7, "đ": 0xAE}
# What PDF producers put in the text layer for byte 0xAD (a soft hyphen in Latin-1): ư.
_TCVN3_ALIASES = {"\u2212": "ư", "\u00ad": "ư"}


def _tcvn3_table() -> dict[str, str]:
    table: dict[str, str] = {}
    order = (0, 1, 2, 3, 4, 5)  # row columns are in _TONES order already
    for base, codes in _TCVN3_ROWS.items():
        for tone, code in zip(order, codes, strict=True):
            if code >= 0x80:
                table[chr(code)] = _letter(base, tone)
    for letter, code in _TCVN3_UPPER.items():
        table[chr(code)] = letter
    table.update(_TCVN3_ALIASES)
    return table


TCVN3_TO_UNICODE: dict[str, str] = _tcvn3_table()
_TCVN3_TRANS = str.maketrans(TCVN3_TO_UNICODE)


def tcvn3_to_unicode(text: str, upper_font: bool = False) -> str:
    """TCVN3 text (as the PDF layer gives it, Latin-1 characters) → Unicode NFC; `upper_font` for a
    span in a ".VnTimeH"-style font, whose lower-case codes print as capitals."""
    out = text.translate(_TCVN3_TRANS)
    return out.upper() if upper_font else out


# --- VNI -----------------------------------------------------------------------------------------

# Mark bytes after a base letter, lower-case form (the upper-case form follows an upper-case letter).
_VNI_TONE = {1: "ù", 2: "ø", 3: "û", 4: "õ", 5: "ï"}
_VNI_TONE_UP = {1: "Ù", 2: "Ø", 3: "Û", 4: "Õ", 5: "Ï"}
# circumflex (â ê ô) + tone and breve (ă) + tone are single mark bytes
_VNI_CIRC = {0: "â", 1: "á", 2: "à", 3: "å", 4: "ã", 5: "ä"}
_VNI_CIRC_UP = {0: "Â", 1: "Á", 2: "À", 3: "Å", 4: "Ã", 5: "Ä"}
_VNI_BREVE = {0: "ê", 1: "é", 2: "è", 3: "ú", 4: "ü", 5: "ë"}
_VNI_BREVE_UP = {0: "Ê", 1: "É", 2: "È", 3: "Ú", 4: "Ü", 5: "Ë"}
# letters that are one byte, then take the ordinary tone bytes
_VNI_SINGLE = {"ơ": "ô", "ư": "ö", "Ơ": "Ô", "Ư": "Ö", "đ": "ñ", "Đ": "Ñ"}
# the i's and ỵ are one byte each
_VNI_I = {"í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î",
          "Í": "Í", "Ì": "Ì", "Ỉ": "Æ", "Ĩ": "Ó", "Ị": "Ò", "Ỵ": "Î"}


def unicode_to_vni(letter: str) -> str:
    """The VNI byte sequence (Latin-1 characters) of one Vietnamese letter (or the letter itself)."""
    if letter in _VNI_I or letter in _VNI_SINGLE:
        return _VNI_I.get(letter) or _VNI_SINGLE[letter]
    upper = letter.isupper()
    decomposed = unicodedata.normalize("NFD", letter.lower())
    tone = next((i + 1 for i, t in enumerate(_TONES) if t in decomposed), 0)
    base = unicodedata.normalize("NFC", decomposed.replace(_TONES[tone - 1], "") if tone else decomposed)
    if base in ("ơ", "ư"):
        head = _VNI_SINGLE[base.upper() if upper else base]
        return head + ((_VNI_TONE_UP if upper else _VNI_TONE)[tone] if tone else "")
    ascii_base = {"â": "a", "ê": "e", "ô": "o", "ă": "a"}.get(base, base)
    head = ascii_base.upper() if upper else ascii_base
    if base in ("â", "ê", "ô"):
        return head + (_VNI_CIRC_UP if upper else _VNI_CIRC)[tone]
    if base == "ă":
        return head + (_VNI_BREVE_UP if upper else _VNI_BREVE)[tone]
    if base not in _BASES or not tone:
        return letter
    return head + (_VNI_TONE_UP if upper else _VNI_TONE)[tone]


def _vni_table() -> dict[str, str]:
    table = {}
    for letter in vietnamese_letters():
        code = unicode_to_vni(letter)
        if code != letter:
            table[code] = letter
    return table


VNI_TO_UNICODE: dict[str, str] = _vni_table()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, VNI_TO_UNICODE), key=len, reverse=True)))


def vni_to_unicode(text: str) -> str:
    """VNI text (Latin-1 characters as the PDF layer gives them) → Unicode NFC."""
    return _VNI_PATTERN.sub(lambda m: VNI_TO_UNICODE[m.group()], text)


# --- detection -----------------------------------------------------------------------------------

_TCVN3_FONT = re.compile(r"(^|\+)\.?Vn[A-Z]", re.IGNORECASE)  # .VnTime, .VnArialH, ABCDEF+.VnTimeH
_TCVN3_UPPER_FONT = re.compile(r"(^|\+)\.?Vn\w*?H(,|-|$)", re.IGNORECASE)
_VNI_FONT = re.compile(r"(^|\+)VNI[-_ ]", re.IGNORECASE)  # VNI-Times, VNI-Helve


@lru_cache(maxsize=1024)
def font_encoding(font: str) -> Encoding | None:
    """The legacy encoding a font's name announces, if any."""
    if _VNI_FONT.search(font):
        return Encoding.VNI
    if _TCVN3_FONT.search(font):
        return Encoding.TCVN3
    return None


@lru_cache(maxsize=1024)
def is_upper_font(font: str) -> bool:
    """A TCVN3 capitals font (".VnTimeH", ".VnArialH,Bold"): lower-case codes print as capitals."""
    return bool(_TCVN3_UPPER_FONT.search(font))


def convert(text: str, encoding: Encoding, font: str = "") -> str:
    """`text` in `encoding` → Unicode NFC (`font` tells a TCVN3 capitals font)."""
    if encoding is Encoding.TCVN3:
        return tcvn3_to_unicode(text, is_upper_font(font))
    return unicodedata.normalize("NFC", vni_to_unicode(text))


def guess_encoding(text: str, gain: float = 0.25, min_words: int = 8) -> Encoding | None:
    """The legacy encoding `text` is in, judged by its content alone (for fonts renamed or
    embedded without their name): the conversion that makes it read as Vietnamese, improving the
    syllable score by at least `gain`; None when neither does or `text` is too short to tell."""
    base, words = vietnamese_score(text)
    if words < min_words:
        return None
    best, best_score = None, base + gain
    for enc in (Encoding.TCVN3, Encoding.VNI):
        score = vietnamese_score(convert(text, enc))[0]
        if score >= best_score:
            best, best_score = enc, score
    return best
