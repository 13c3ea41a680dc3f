"""Vietnamese text forms: NFC, unified tone placement, search keys, split-mark repair.

Pure functions, no state. The original text of a document is never altered by these: callers store
a key *beside* it.

- `tone_normalize("Hoà thuỷ")` → "Hòa thủy": the tone mark moved to the traditional vowel (the first
  of an open oa / oe / uy, as in hòa, khỏe, thủy; the marked vowel ê ơ ô â ă ư wins; before a final
  consonant the last vowel). Old and new placements then compare equal.
- `exact_key(text)`: NFC, tone-normalized, case-folded, whitespace collapsed: an exact match that
  ignores only case and tone placement.
- `fold(text)`: accent- and case-insensitive key, character for character ("Kính gửi" → "kinh gui").
- `search_key(text)`: accent-insensitive key: no tone or vowel marks, "đ" → "d", lower case,
  whitespace collapsed ("Thanh niên TÌNH NGUYỆN" → "thanh nien tinh nguyen").
- `rejoin_split_syllables(tokens)`: words that a PDF font split at a combining mark
  ("ĐIỀ U KHO ẢN" → "ĐIỀU KHOẢN").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from directives.syllables import COMBINING, TONES, is_syllable


def _fold_table() -> dict[int, int | None]:
    table: dict[int, int | None] = {ord("đ"): ord("d"), ord("Đ"): ord("D")}
    for cp in range(0x00C0, 0x1F00):
        ch = chr(cp)
        if unicodedata.category(ch) == "Mn":
            table[cp] = None
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii():
            table[cp] = ord(base)
    return table


_FOLD = _fold_table()


def is_letter_or_digit(c: str) -> bool:
    """A letter or a digit of text; a modifier letter ('ˆ', 'ˇ': what OCR reads for a stroke) is a mark."""
    return c.isalnum() and unicodedata.category(c) != "Lm"


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Accent- and case-insensitive key: 'Kính gửi' → 'kinh gui', 'Đ' → 'd'. Remembered: the stages
    fold the same words again and again, and `str.translate` looks each character up in a dict."""
    return text.translate(_FOLD).casefold()


VOWELS = frozenset("aăâeêioôơuưy")
ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
TONE_MARKS = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # sắc, huyền, hỏi, ngã, nặng
MARKED_VOWELS = frozenset("ăâêôơư")
_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)
_END_PUNCT = ".,;:!?)]}\"'”’»…"


def marked_letters(bases: str) -> list[str]:
    """Every precomposed letter of `bases` bare and with each tone mark (in `TONE_MARKS` order), then
    the same in upper case."""
    lower = [c for b in bases for t in ("", *TONE_MARKS) if len(c := unicodedata.normalize("NFC", b + t)) == 1]
    return lower + [c.upper() for c in lower]


def vietnamese_letters() -> list[str]:
    """Every precomposed Vietnamese letter with a vowel or đ, lower case then upper case (146 in all)."""
    return marked_letters("aăâeêioôơuưyđ")


def nfc(text: str) -> str:
    """Unicode NFC (precomposed letters), a no-op for ASCII."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def tone_index(bare: str) -> int | None:
    """Index in `bare` (a lower-case syllable without its tone, vowel marks kept) of the vowel that
    carries the tone in the traditional placement, or None when it has no vowel."""
    start = 0
    if bare[:2] in ("qu", "gi") and len(bare) > 2 and bare[2] in VOWELS:
        start = 2  # the u of qu and the i of gi belong to the onset: quý, già
    while start < len(bare) and bare[start] not in VOWELS:
        start += 1
    if start == len(bare):
        return None
    end = start
    while end < len(bare) and bare[end] in VOWELS:
        end += 1
    cluster = range(start, end)
    marked = [i for i in cluster if bare[i] in MARKED_VOWELS]
    if marked:
        return marked[-1]  # người, thuở, tiếng
    if end < len(bare):
        return end - 1  # a final consonant: hoàng, toán
    if len(cluster) >= 3:
        return start + 1  # ngoài, khuỷu
    return start  # hòa, thủy, khỏe, mùa


@lru_cache(maxsize=65536)
def _tone_normalize_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in TONES]
    if len(tones) != 1:
        return word
    bare = unicodedata.normalize("NFC", decomposed.replace(tones[0], ""))
    if not is_syllable(bare):
        return word
    index = tone_index(bare.lower())
    if index is None:
        return word
    return unicodedata.normalize("NFC", bare[: index + 1] + tones[0] + bare[index + 1:])


def tone_normalize(text: str) -> str:
    """NFC text with every syllable's tone mark on its traditional vowel (hoà → hòa, thuỷ → thủy,
    Uỷ ban → Ủy ban); case, spacing and non-syllables are left as they are."""
    text = nfc(text)
    if text.isascii():
        return text
    return _LETTERS.sub(lambda m: _tone_normalize_word(m.group()), text)


@lru_cache(maxsize=65536)
def exact_key(text: str) -> str:
    """Case- and tone-placement-insensitive key that keeps every diacritic: "Hoà Bình" → "hòa bình"
    (word by word: names are looked up by many groupings of the same words)."""
    return " ".join(map(_word_key, text.split()))


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return tone_normalize(word).casefold()


def search_key(text: str) -> str:
    """Accent-insensitive search key: "Thanh niên TÌNH NGUYỆN, Đoàn" → "thanh nien tinh nguyen, doan".
    Tone and vowel marks dropped (so old and new tone placements agree), đ → d, lower case,
    whitespace collapsed; punctuation and digits kept."""
    return " ".join(fold(nfc(text)).split())


# --- split marks ---------------------------------------------------------------------------------

def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) == "Mn"


def _core(token: str) -> tuple[str, str, str]:
    """(leading punctuation, letters and marks, trailing punctuation) of a token."""
    i, j = 0, len(token)
    while i < j and not (token[i].isalpha() or _is_mark(token[i])):
        i += 1
    while j > i and not (token[j - 1].isalpha() or _is_mark(token[j - 1])):
        j -= 1
    return token[:i], token[i:j], token[j:]


def _place_marks(letters: str, marks: str) -> str | None:
    """`letters` with `marks` (a tone and/or vowel marks) put where they belong, when the result is
    a Vietnamese syllable; None otherwise."""
    tone = [m for m in marks if m in TONES]
    other = "".join(m for m in marks if m not in TONES)
    if len(tone) > 1:
        return None
    word = unicodedata.normalize("NFC", letters)
    if other:  # a vowel mark (circumflex, breve, horn) goes on the last vowel that can take it
        for i in range(len(word) - 1, -1, -1):
            cand = unicodedata.normalize("NFC", word[: i + 1] + other + word[i + 1:])
            if len(cand) == len(word) and cand[i].lower() in MARKED_VOWELS:
                word = cand
                break
        else:
            return None
    if tone:
        index = tone_index(word.lower())
        if index is None or any(ch in TONES for ch in unicodedata.normalize("NFD", word)):
            return None
        word = unicodedata.normalize("NFC", word[: index + 1] + tone[0] + word[index + 1:])
    return word if _syllable(word) else None


def _syllable(word: str) -> bool:
    """A run of letters (no lone combining mark) spelled like a syllable (`syllables.is_syllable`)."""
    return word.isalpha() and is_syllable(word)


def _same_case(a: str, b: str) -> bool:
    """`b` may continue `a` inside one word: both upper case, or `b` lower case."""
    return (a.isupper() and b.isupper()) or b.islower()


@lru_cache(maxsize=65536)
def _merged(a: str, b: str, loose: bool) -> str | None:
    """The single syllable that tokens `a` and `b` were split from, or None (memoized: a line's
    pairs of tokens recur across a document)."""
    lead_a, core_a, tail_a = _core(a)
    lead_b, core_b, tail_b = _core(b)
    if tail_a or lead_b or not core_a or not core_b or tail_b.strip(_END_PUNCT):
        return None
    marks = ""
    while core_b and _is_mark(core_b[0]):  # "KHO ̉AN": a mark that lost its letter
        marks += core_b[0]
        core_b = core_b[1:]
    if marks:
        word = _place_marks(core_a + core_b, marks) if core_b.isalpha() or not core_b else None
        return lead_a + word + tail_b if word else None
    if not (core_a.isalpha() and core_b.isalpha() and _same_case(core_a, core_b)):
        return None
    word = unicodedata.normalize("NFC", core_a + core_b)
    if not _syllable(word) or word.isascii():
        return None
    if any(not _syllable(c) and not c.isascii() for c in (core_a, core_b)):
        return lead_a + word + tail_b  # "ĐIỀ U": a fragment with a diacritic that is no syllable
    if loose and _loose_fragment(core_a, core_b):
        return lead_a + word + tail_b  # "KHO ẢN" on a line that shows split marks
    return None


@lru_cache(maxsize=65536)
def _fragment(token: str) -> bool:
    """`token` may be a piece of a split syllable: it starts with a combining mark, or its letters
    hold a diacritic and spell no syllable ("ĐIỀ"). Outside the loose pass, `_merged` joins only a
    pair with such a piece in it."""
    if token[:1] and _is_mark(token[0]):
        return True
    core = _core(token)[1]
    return not core.isascii() and not _syllable(core)


def _loose_fragment(a: str, b: str) -> bool:
    """`b` looks like the tail of `a`'s syllable: `a` ends in a vowel and has no tone, `b` starts
    with a vowel carrying a tone or vowel mark."""
    first = unicodedata.normalize("NFD", b[0].lower())
    return (a[-1].lower() in VOWELS and not any(ch in TONES for ch in unicodedata.normalize("NFD", a))
            and first[0] in VOWELS and len(first) > 1)


def _strip_lone_marks(tokens: list[str]) -> tuple[list[str], bool]:
    """Tokens made only of combining marks are glued to the front of the next token."""
    out: list[str] = []
    pending = ""
    found = False
    for tok in tokens:
        if tok and all(_is_mark(ch) for ch in tok):
            pending += tok
            found = True
            continue
        out.append(pending + tok)
        pending = ""
    if pending:
        if out:
            out[-1] = nfc(out[-1] + pending)
        else:
            out.append(pending)
    return out, found


def rejoin_split_syllables(tokens: list[str]) -> list[tuple[int, str]]:
    """Whitespace tokens of a line → (how many input tokens, text) for each output word, where
    tokens split inside a syllable are joined again ("ĐIỀ", "U" → "ĐIỀU"; "KHO", "̉AN" → "KHOẢN").

    A pair is joined when the second starts with a combining mark, or when their concatenation is a
    syllable with a diacritic and one of them is not a syllable ("ĐIỀ"). On a line where that
    happened, a vowel-led marked syllable after a toneless open one is joined too ("KHO ẢN").
    """
    if any(COMBINING.search(tok) for tok in tokens):
        glued, lone = _strip_lone_marks(tokens)
        sizes = _group_sizes(tokens, len(glued))
        loose = lone or any(tok[:1] and _is_mark(tok[0]) for tok in glued)
    else:  # no combining mark on the line: nothing to glue, nothing starts with a mark
        glued, sizes, loose = tokens, [1] * len(tokens), False
    suspect = [_fragment(tok) for tok in glued]
    for _ in range(2):  # a second pass may join loosely once the first showed split marks
        out: list[tuple[int, str]] = []
        i = 0
        while i < len(glued):
            if i + 1 < len(glued) and (loose or suspect[i] or suspect[i + 1]):
                joined = _merged(glued[i], glued[i + 1], loose)
                if joined is not None:
                    out.append((sizes[i] + sizes[i + 1], joined))
                    i += 2
                    continue
            out.append((sizes[i], nfc(glued[i])))
            i += 1
        changed = any(n > 1 for n, _ in out)
        if loose or not changed:
            return out
        loose = True
    return out


def _group_sizes(tokens: list[str], n: int) -> list[int]:
    """How many original tokens each glued token stands for (lone marks count with the next)."""
    sizes: list[int] = []
    pending = 0
    for tok in tokens:
        if tok and all(_is_mark(ch) for ch in tok):
            pending += 1
            continue
        sizes.append(1 + pending)
        pending = 0
    if pending:
        if sizes:
            sizes[-1] += pending
        else:
            sizes.append(pending)
    return sizes[:n]
