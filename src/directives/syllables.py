"""Is a word a well-formed Vietnamese syllable? Spelling rules as data, no dictionary.

A syllable is onset + rhyme + at most one tone mark: `nghiêng` = ngh + iêng, `quyết` = qu + yêt
(sắc). Rhymes ending in a stop (c, ch, p, t) take only the sắc or nặng tone. This rejects the junk
of a bad OCR layer ("CQNG", "VT", "S:3I") and legacy-encoded text ("luyÖn"), while real Vietnamese
text scores high, and most of its syllables carry a diacritic (a tone or a vowel mark), which plain
ASCII junk such as "CONG HOA XA HOI" lacks. Used to judge a text layer; reusable by the NLP stage.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

TONES = {"\u0300": "huyền", "\u0301": "sắc", "\u0303": "ngã", "\u0309": "hỏi", "\u0323": "nặng"}
ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
          "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


OPEN_RHYMES = _set(
    "a ai ao au ay âu ây e eo ê êu i ia iu iêu o oa oai oao oay oe oeo oi ô ôi ơ ơi u ua uây uê ui "
    "uôi uy uya uyu uơ ư ưa ưi ưu ươi ươu y yêu"
)
CLOSED_NUCLEI = _set("a ă â e ê i o ô ơ u ư y oa oă oe oo uâ uê uy iê yê uyê uô ươ")
CODAS = ("ch", "nh", "ng", "c", "m", "n", "p", "t")
STOPS = ("c", "ch", "p", "t")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")  # the combining blocks


def _split_tone(text: str) -> tuple[str, list[str]]:
    decomposed = unicodedata.normalize("NFD", text)
    tones = [ch for ch in decomposed if ch in TONES]
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONES))
    return bare, tones


@lru_cache(maxsize=4096)
def _char_tone(ch: str) -> tuple[str, str]:
    bare, tones = _split_tone(ch)
    return bare, "".join(tones)


def split_tone(word: str) -> tuple[str, list[str]]:
    """`word` lower-cased without its tone marks (vowel marks ă â ê ô ơ ư đ kept) and the marks.
    Character by character (memoized) when the word holds no combining mark: the same result as
    decomposing and recomposing the whole word, five times faster."""
    low = word.lower()
    if COMBINING.search(low):
        return _split_tone(low)
    parts = [_char_tone(ch) for ch in low]
    return "".join(b for b, _ in parts), [t for _, marks in parts for t in marks]


def rhyme_ok(rhyme: str, tone: str | None) -> bool:
    if rhyme in OPEN_RHYMES:
        return True
    for coda in CODAS:
        if rhyme.endswith(coda) and rhyme[: -len(coda)] in CLOSED_NUCLEI:
            return tone in (None, "sắc", "nặng") if coda in STOPS else True
    return False


def spelled(bare: str, tone: str | None) -> bool:
    """The spelling rules on a lower-case syllable without its tone mark, and the tone's name."""
    if not bare or len(bare) > 7:
        return False
    for onset in ONSETS:
        if bare.startswith(onset):
            rest = bare[len(onset):]
            if onset == "gi" and not rest:  # gì, gỉ
                return True
            if rest and rhyme_ok(rest, tone) and not (onset == "qu" and rest[0] in "uư"):
                return True
    return False


@cache
def spellings() -> dict[str, tuple[bool, bool]]:
    """Every toneless syllable the rules allow (an onset, then an open rhyme or a nucleus and a
    coda) → (allowed without a tone or with sắc or nặng, allowed with huyền, hỏi or ngã): the
    rules only tell these two groups of tones apart."""
    rhymes = OPEN_RHYMES | {n + c for n in CLOSED_NUCLEI for c in CODAS} | {""}
    out: dict[str, tuple[bool, bool]] = {}
    for bare in {onset + rhyme for onset in ONSETS for rhyme in rhymes}:
        plain, marked = spelled(bare, None), spelled(bare, "huyền")
        if plain or marked:
            out[bare] = (plain, marked)
    return out


_PLAIN_TONES = ("\u0301", "\u0323")  # sắc, nặng: allowed where no tone is


@lru_cache(maxsize=1 << 16)  # a page repeats its words; measured 8 ms a page without
def is_syllable(word: str) -> bool:
    """True when `word` (letters only, any case) is spelled like a Vietnamese syllable (`spelled`,
    looked up in the table of every allowed spelling)."""
    bare, tones = split_tone(word)
    if len(tones) > 1 or (allowed := spellings().get(bare)) is None:
        return False
    return allowed[0] if not tones or tones[0] in _PLAIN_TONES else allowed[1]


@lru_cache(maxsize=1 << 16)
def has_diacritic(word: str) -> bool:
    """A tone mark, a vowel mark (ă â ê ô ơ ư) or đ."""
    return not unicodedata.normalize("NFD", word.lower()).isascii()


def text_words(text: str) -> list[str]:
    """The runs of letters of `text` (digits and punctuation split words and are dropped)."""
    return _WORD.findall(unicodedata.normalize("NFC", text))


@lru_cache(maxsize=1 << 16)
def _token_counts(token: str) -> tuple[int, int, int]:
    """Words (`text_words`), valid syllables and words with a diacritic of one run of non-space."""
    words = text_words(token)
    return len(words), sum(map(is_syllable, words)), sum(map(has_diacritic, words))


def vietnamese_score(text: str) -> tuple[float, int]:
    """How Vietnamese `text` reads (0..1) and how many words that is measured on: the share of
    words that are valid syllables, scaled down when fewer than 35 % of them carry a diacritic
    (Vietnamese prose has 60–80 %). Counted run by run of non-space, each distinct run once (a
    page repeats its words; no word spans white space, and NFC composes nothing across it)."""
    counts = list(map(_token_counts, text.split()))
    n, valid, marked = map(sum, zip(*counts, strict=True)) if counts else (0, 0, 0)
    if not n:
        return 0.0, 0
    return round(valid / n * min(1.0, marked / n / 0.35), 3), n
