"""A Vietnamese lexicon and syllable statistics for OCR repair, from data underthesea ships (read
from the installed package, nothing downloaded):
- the word lists Viet11K … Viet74K (≈ 74 000 words, ≈ 65 000 of two syllables or more), with
  knowledge.py's administrative words and header phrases;
- running text: the tagged VLSP 2013 test sentences of its POS model (≈ 66 000 words), for how
  often a syllable and a pair of syllables occur.

Syllables are compared by `tone_key`, so old and new tone placement agree (hoà = hòa, uỷ = ủy). The
corrector `respell_by_lexicon` changes a syllable's diacritics only when it makes nothing with
its neighbours (no word of the lexicon, no pair seen in the running text or twice in the
document) while exactly one other spelling of the same letters (same `fold`: tông → tổng) does:
"tông kết" → "tổng kết", "kê hoạch" → "kế hoạch", "đôi với" → "đối với". A common syllable
("có", "đôi") changes only on evidence from running text, not from the word list alone.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from directives.knowledge import ADMIN_WORDS, fold, header_phrases
from directives.syllables import TONES, split_tone

_TONE_DIGITS = {"sắc": "1", "huyền": "2", "hỏi": "3", "ngã": "4", "nặng": "5"}
_EDGE = ".,:;!?\"'“”()[]"
LISTS = ("Viet11K.txt", "Viet22K.txt", "Viet39K.txt", "Viet74K.txt")
RUNNING_TEXT = ("pipeline", "pos_tag", "models", "pos_crf_vlsp2013_20230303", "test_output.txt")
COMMON = 20  # a syllable standing alone this often in the running text is a word in its own right
COMMON_HERE = 4  # … or this often in the document itself


@lru_cache(maxsize=1 << 16)
def tone_key(syllable: str) -> str:
    """'Hoà' and 'hòa' → 'hoa2': lower case, the tone mark taken off wherever it sits and appended."""
    bare, tones = split_tone(syllable)
    return bare + (_TONE_DIGITS[TONES[tones[-1]]] if tones else "")


def word_key(words: list[str] | tuple[str, ...]) -> str:
    return " ".join(tone_key(w) for w in words)


def _package_texts(*paths: tuple[str, ...]) -> list[str]:
    """Data files of the installed underthesea, found without importing it (its import takes ~0.5 s)."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        return []
    root = Path(next(iter(spec.submodule_search_locations)))
    try:
        return [f.read_text(encoding="utf-8") for f in (root.joinpath(*p) for p in paths) if f.is_file()]
    except OSError:
        return []


def text_to_syllables(text: str) -> list[str]:
    """Tone keys of the alphabetic syllables of `text`; a non-word token becomes "" (a break)."""
    return [tone_key(t) if t.isalpha() else "" for t in unicodedata.normalize("NFC", text).replace("_", " ").split()]


def count_pairs(sylls: list[str]) -> Counter[tuple[str, str]]:
    return Counter((a, b) for a, b in zip(sylls, sylls[1:], strict=False) if a and b)


@lru_cache(maxsize=1)
def running_text() -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """(how often each syllable stands as a word by itself, counts of adjacent syllable pairs) of
    the running text, which is segmented into words ("nhu cầu" is one token: "nhu" alone is rare)."""
    sylls: list[str] = []
    alone: Counter[str] = Counter()
    for text in _package_texts(RUNNING_TEXT):
        for line in text.splitlines():
            token = text_to_syllables(line.split("\t")[0] if line.strip() else "")
            sylls.extend(token or [""])
            if len(token) == 1 and token[0]:
                alone[token[0]] += 1
    return alone, count_pairs(sylls)


def _lexicon_lines() -> list[str]:
    lines = [ln for text in _package_texts(*(("corpus", "data", name) for name in LISTS)) for ln in text.splitlines()]
    return lines + list(ADMIN_WORDS) + [p.casefold() for p in header_phrases()]


@lru_cache(maxsize=1)
def lexicon() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """(tone keys of the runs of two and three syllables inside the words of the lexicon,
    accent-free syllable → its spellings)."""
    runs: set[str] = set()
    syllables: set[str] = set()
    text = unicodedata.normalize("NFC", "\n".join(_lexicon_lines()).casefold()).replace("-", " ")
    for line in set(text.splitlines()):  # the lists overlap: each word once
        keys = [tone_key(s) for s in line.split()]
        syllables.update(line.split())
        for i in range(len(keys) - 1):
            runs.add(f"{keys[i]} {keys[i + 1]}")
            if i + 2 < len(keys):
                runs.add(f"{keys[i]} {keys[i + 1]} {keys[i + 2]}")
    spellings: dict[str, set[str]] = {}
    for s in syllables:
        if s.isalpha():
            spellings.setdefault(fold(s), set()).add(s)
    return frozenset(runs), {k: frozenset(v) for k, v in spellings.items()}


@lru_cache(maxsize=1)
def known_keys() -> frozenset[str]:
    """Tone keys of every syllable the lexicon spells."""
    return frozenset(tone_key(x) for v in lexicon()[1].values() for x in v)


def is_word(*syllables: str) -> bool:
    """Whether these two or three syllables stand side by side inside a word of the lexicon."""
    return word_key(syllables) in lexicon()[0]


_ABBREVIATION = re.compile(r"^[A-ZĐ]{1,5}\.(?=\w)")  # "VP.Tỉnh": an abbreviation glued to the word


def split_word(word: str) -> tuple[str, str, str]:
    """'“VP.Tinh,' → ('“VP.', 'Tinh', ','): what precedes the syllable, the syllable, what follows."""
    core = word.strip(_EDGE)
    start = word.find(core) if core else 0
    pre, post = word[:start], word[start + len(core):]
    glued = _ABBREVIATION.match(core)
    if glued:
        pre, core = pre + glued.group(0), core[glued.end():]
    return pre, core, post


def same_case(word: str, like: str) -> str:
    """`word` in the case of `like`: all capitals, capitalised, or lower case."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word[:1].lower() + word[1:]


def respell_by_lexicon(words: list[str], editable: list[bool] | None = None) -> dict[int, str]:
    """Index → respelled word, for the syllables of `words` (running text in reading order) whose
    diacritics make nothing with their neighbours while exactly one other spelling does (module
    doc). Neighbours count only when no punctuation stands between; a neighbour already bound in a
    word with its other neighbour ("quỹ đầu tư": "đầu tư") is not taken from it unless the three
    make one word ("chuyên đổi số" → "chuyển đổi số"). A syllable common in
    the running text, or in `words` themselves (a document's own vocabulary: "toàn tỉnh", "gói
    thầu"), or capitalised mid-sentence (a name), or respelled with fewer marks ("bà mẹ" → "ba mẹ"),
    changes only when the new pair was seen in running text. Repairs apply left to right, so a
    repaired word binds its neighbour ("Truyên thông tỉnh" → "Truyền thông", not "thông tĩnh").
    Words whose `editable` is False (read with full confidence) are context only."""
    if not words:
        return {}  # a born-digital file: the lexicon is not even loaded
    spellings = lexicon()[1]
    uni, pairs = running_text()
    parts = [split_word(w) for w in words]
    cores = [c for _, c, _ in parts]
    plain = [c.isalpha() and not (c.isupper() and len(c) > 1) for c in cores]
    linked = [i + 1 < len(words) and plain[i] and plain[i + 1] and not parts[i][2] and not parts[i + 1][0]
              for i in range(len(words))]

    def support(i: int, s: str) -> tuple[int, int]:
        """(words of the lexicon `s` makes at position i with a free neighbour, pairs seen in running text)."""
        prev = cores[i - 1] if i > 0 and linked[i - 1] else None
        nxt = cores[i + 1] if linked[i] else None
        before = cores[i - 2] if prev and i > 1 and linked[i - 2] and is_word(cores[i - 2], prev) else None
        after = cores[i + 2] if nxt and i + 2 < len(cores) and linked[i + 1] and is_word(nxt, cores[i + 2]) else None
        lex = (int(bool(prev) and (is_word(before, prev, s) if before else is_word(prev, s)))
               + int(bool(nxt) and (is_word(s, nxt, after) if after else is_word(s, nxt))))
        k = tone_key(s)
        seen = (pairs[(tone_key(prev), k)] if prev else 0) + (pairs[(k, tone_key(nxt))] if nxt else 0)
        return lex, seen

    here = Counter(tone_key(c) for c, p in zip(cores, plain, strict=True) if p)
    known = known_keys()
    todo = [i for i, c in enumerate(cores) if plain[i] and len(c) >= 2 and ((i > 0 and linked[i - 1]) or linked[i])
            and (editable is None or editable[i])]
    # syllables Vietnamese does not have ("kêt") first: they are surely misread, and their repair
    # must not be pre-empted by a neighbour's ("cam kêt" → "cam kết", not "cầm kêt")
    todo.sort(key=lambda i: tone_key(cores[i]) in known)
    out: dict[int, str] = {}
    for i in todo:
        core = cores[i]
        if any(support(i, core)):
            continue
        low = core.casefold()
        k = tone_key(low)
        strict = uni[k] >= COMMON or here[k] >= COMMON_HERE or (core[:1].isupper() and i > 0 and linked[i - 1])
        scored = sorted(((support(i, c), c) for c in spellings.get(fold(low), ()) if tone_key(c) != k), reverse=True)
        fits = [(sup, c) for sup, c in scored
                if sup[0] and (sup[1] or not (strict or _marks(c) < _marks(low)))]
        if fits and (len(fits) == 1 or fits[0][0] > fits[1][0]):
            new = same_case(fits[0][1], core)
            out[i] = parts[i][0] + new + parts[i][2]
            cores[i] = new  # words repaired later see the repaired neighbour
    return out


def _marks(syllable: str) -> int:
    """Diacritics on a syllable (đ counts): OCR drops marks far more often than it invents them."""
    return sum(unicodedata.combining(ch) > 0 for ch in unicodedata.normalize("NFD", syllable)) + syllable.count("đ")


# letters OCR takes for others, one way: what it read → what was printed
CONFUSIONS: tuple[tuple[str, str], ...] = (("l", "i"), ("ñ", "ũ"), ("đ", "d"), ("rn", "m"), ("cl", "d"))


def known_syllable(syllable: str) -> bool:
    return tone_key(syllable) in known_keys()


def repair_invalid(word: str) -> str | None:
    """A word that is no Vietnamese syllable → the one reading that is: a single OCR confusion undone
    ("Glang" → "Giang", "Lñy" → "Lũy"), or two syllables glued by a lost space that make a word
    ("lựachọn" → "lựa chọn"). None when there is no such reading or more than one."""
    low = word.casefold()
    if not word.isalpha() or len(word) < 3 or (word.isupper() and len(word) > 1) or known_syllable(low):
        return None
    found: set[str] = set()
    for wrong, right in CONFUSIONS:
        start = low.find(wrong)
        while start >= 0:
            candidate = low[:start] + right + low[start + len(wrong):]
            if known_syllable(candidate):
                found.add(candidate)
            start = low.find(wrong, start + 1)
    for k in range(1, len(low)):
        a, b = low[:k], low[k:]
        if len(a) >= 2 and len(b) >= 2 and known_syllable(a) and known_syllable(b) and is_word(a, b):
            found.add(f"{a} {b}")
    return same_case(found.pop(), word) if len(found) == 1 else None


def respell_invalid(words: list[str], editable: list[bool] | None = None) -> dict[int, str]:
    """Index → repaired word, for the words that are no Vietnamese syllable (`repair_invalid`)."""
    if not words:
        return {}
    out: dict[int, str] = {}
    for i, w in enumerate(words):
        if editable is not None and not editable[i]:
            continue
        pre, core, post = split_word(w)
        new = repair_invalid(core)
        if new:
            out[i] = pre + new + post
    return out
