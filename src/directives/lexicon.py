"""A Vietnamese lexicon and syllable statistics for OCR repair, from data underthesea ships (read
from the installed package, nothing downloaded):
- the word lists Viet11K … Viet74K (≈ 74 000 words, ≈ 65 000 of two syllables or more), with
  knowledge.py's administrative words and header phrases;
- running text: the tagged VLSP 2013 test sentences of its POS model (≈ 66 000 words), for how
  often a syllable and a pair of syllables occur.

Syllables are compared by `tone_key`, so old and new tone placement agree (hoà = hòa, uỷ = ủy). The
corrector `respell_by_lexicon` changes a syllable's diacritics only when it makes nothing with
its neighbours (no word of the lexicon, no pair seen in the running text) while exactly one other
spelling of the same letters (same `fold`: tông → tổng) does: "tông kết" → "tổng kết", "kê hoạch"
→ "kế hoạch", "đôi với" → "đối với". What may vouch for the other spelling:
- for a word OCR read with less than full confidence, the lexicon; a common syllable ("có",
  "đôi") or a capitalised one (a name?) changes only if running text, or the document elsewhere,
  also sets the new spelling beside that neighbour, or if the word made is one of administrative
  Vietnamese (knowledge.ADMIN_WORDS: "Công TTĐT" → "Cổng TTĐT", an abbreviation beside a word);
- for any word, the document itself: the new spelling stands beside that neighbour elsewhere in
  the text, at least twice and more than twice as often as the spelling read ("Thành phô" among
  "Thành phố" × 8). Not when the other neighbour is astray too ("chuyên đôi số", a misprint:
  mending "đôi" alone would not make it right);
- for a syllable Vietnamese does not have ("tôt"), running text or the document alone, when they
  point at one reading only ("hoàn thành tôt nhiệm vụ" → "tốt").
Words joined by slashes are read piece by piece ("huyện/thị/thành phô": "thành" is a neighbour),
and a letter standing alone may be one OCR takes it for (`LOOKALIKES`: "V tế" → "Y tế"). Words in
capitals are read beside capitals only ("TIÊM CHÚNG" → "TIÊM CHỦNG", but "DA đã": "DA" is "dự án"),
unless they spell no syllable ("TTĐT"), and strictly, as common syllables are: a title or a name.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from directives.knowledge import ADMIN_WORDS, header_phrases
from directives.syllables import TONES, is_syllable, split_tone
from directives.vntext import fold

_TONE_DIGITS = {"sắc": "1", "huyền": "2", "hỏi": "3", "ngã": "4", "nặng": "5"}
_EDGE = ".,:;!?\"'“”()[]/"
LISTS = ("Viet11K.txt", "Viet22K.txt", "Viet39K.txt", "Viet74K.txt")
RUNNING_TEXT = ("pipeline", "pos_tag", "models", "pos_crf_vlsp2013_20230303", "test_output.txt")
COMMON = 20  # a syllable standing alone this often in the running text is a word in its own right
COMMON_HERE = 4  # … or this often in the document itself
NUMBER = "#"  # the key of a figure in running text: "lần 2", "năm 2018"
READING_SEEN = 2  # … and this often in running text, for one of the readings of a syllable Vietnamese lacks
PASSES = 3  # the text is read again beside each repair, this many times in all
DOCUMENT_SUPPORT = 2  # a spelling the document itself uses this often beside the same neighbour


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
    """Tone keys of the alphabetic syllables of `text`, NUMBER for a figure; any other token becomes
    "" (a break)."""
    return [tone_key(t) if t.isalpha() else NUMBER if t.isdigit() else ""
            for t in unicodedata.normalize("NFC", text).replace("_", " ").split()]


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
def admin_runs() -> frozenset[str]:
    """Tone keys of the pairs of syllables inside knowledge.ADMIN_WORDS."""
    return frozenset(word_key(w.split()[k:k + 2]) for w in ADMIN_WORDS for k in range(len(w.split()) - 1))


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


def pieces(words: list[str]) -> tuple[list[str], list[int]]:
    """Words cut after each slash, each piece read as a word of its own ("huyện/thị/thành phô":
    "thành" is the neighbour of "phô"); (pieces, the index of the word each came from). The pieces
    of a word join back into it."""
    out: list[str] = []
    owner: list[int] = []
    for i, w in enumerate(words):
        parts = w.split("/")
        out.extend([p + "/" for p in parts[:-1]] + [parts[-1]])
        owner.extend([i] * len(parts))
    return out, owner


def respell_by_lexicon(words: list[str], editable: list[bool] | None = None) -> dict[int, str]:
    """Index → respelled word, for the syllables of `words` (running text in reading order) whose
    diacritics make nothing with their neighbours while one other spelling does (`_Reader`), read
    piece by piece across slashes (`pieces`). Words whose `editable` is False (read with full
    confidence) change only on the document's own evidence."""
    if not words:
        return {}  # a born-digital file: the lexicon is not even loaded
    texts, owner = pieces(words)
    per_word = Counter(owner)
    whole = [per_word[o] == 1 for o in owner]  # a piece of "anh/chị" is context only: its pieces are alternatives
    found = _Reader(texts, None if editable is None else [editable[o] for o in owner], whole).respell()
    return {owner[k]: new for k, new in found.items()}  # only whole words are respelled


class _Reader:
    """The syllables of a text (module doc) with what vouches for each spelling:
    - the lexicon: words it makes with a free neighbour (`is_word`);
    - running text: how often it stands beside that neighbour there (a figure counts: "lần 2");
    - the document: how often it stands beside that neighbour elsewhere in the same text.
    Neighbours count only when no punctuation stands between; a neighbour already bound in a word
    with its other neighbour ("quỹ đầu tư": "đầu tư") is not taken from it unless the three make
    one word ("chuyên đổi số" → "chuyển đổi số"), or unless the syllable is none Vietnamese has
    ("Quyêt định số": "định số" is a word, yet "quyêt" is surely "quyết")."""

    def __init__(self, words: list[str], editable: list[bool] | None, whole: list[bool]) -> None:
        self.whole = whole
        self.parts = [split_word(w) for w in words]
        self.cores = [c for _, c, _ in self.parts]
        self.editable = editable
        self.plain = [c.isalpha() for c in self.cores]
        caps = [c.isupper() and len(c) > 1 for c in self.cores]
        keys = [tone_key(c) if p else NUMBER if c.isdigit() else "" for c, p in zip(self.cores, self.plain, strict=True)]
        # capitals stand beside capitals, but an abbreviation beside anything ("Cổng TTĐT"); a figure is
        # a neighbour on the right only ("lần 2"): a word after a figure is often a new cell
        abbreviation = [c and not is_syllable(w) for c, w in zip(caps, self.cores, strict=True)]
        self.linked = [i + 1 < len(words) and self.plain[i] and bool(keys[i + 1])
                       and (caps[i] == caps[i + 1] or abbreviation[i] or abbreviation[i + 1])
                       and not self.parts[i][2] and not self.parts[i + 1][0] for i in range(len(words))]
        self.here = Counter(k for k, p in zip(keys, self.plain, strict=True) if p)
        self.doc = Counter((keys[i], keys[i + 1]) for i in range(len(words)) if self.linked[i])

    def _key(self, i: int) -> str:
        return tone_key(self.cores[i]) if self.plain[i] else NUMBER

    def neighbours(self, i: int) -> tuple[int | None, int | None]:
        return (i - 1 if i > 0 and self.linked[i - 1] else None), (i + 1 if self.linked[i] else None)

    def _pair(self, a: int, b: int) -> bool:
        """Whether the neighbouring words a and b make a word of the lexicon (or its start)."""
        lo, hi = min(a, b), max(a, b)
        return (lo >= 0 and hi < len(self.cores) and self.linked[lo] and self.plain[lo] and self.plain[hi]
                and is_word(self.cores[lo], self.cores[hi]))

    def _bound(self, n: int, step: int, deep: bool) -> bool:
        """Whether word n makes a word with its neighbour on side `step` (±1); if `deep`, with a neighbour
        not itself taken by its own other neighbour ("tham dự thi đấu": "dự" is taken, "thi" is free)."""
        if not self._pair(n, n + step):
            return False
        if not deep or not self._pair(n + step, n + 2 * step):
            return True
        a, b = sorted((n, n + 2 * step))
        return is_word(*self.cores[a:b + 1])  # "Bộ Y tế": one word of three

    def support(self, i: int, s: str, bound: bool = True, deep: bool = False) -> tuple[int, int]:
        """(words of the lexicon `s` makes at position i with a free neighbour, pairs seen in running text)."""
        cores, plain = self.cores, self.plain
        prev, nxt = self.neighbours(i)
        before = prev - 1 if bound and prev is not None and self._bound(prev, -1, deep) else None
        after = nxt + 1 if bound and nxt is not None and self._bound(nxt, 1, deep) else None
        lex = 0
        if prev is not None and plain[prev]:
            lex += is_word(cores[before], cores[prev], s) if before is not None else is_word(cores[prev], s)
        if nxt is not None and plain[nxt]:
            lex += is_word(s, cores[nxt], cores[after]) if after is not None else is_word(s, cores[nxt])
        pairs = running_text()[1]
        k = tone_key(s)
        seen = (pairs[(self._key(prev), k)] if prev is not None else 0) + (pairs[(k, self._key(nxt))] if nxt is not None else 0)
        return lex, seen

    def in_document(self, i: int, s: str) -> int:
        """How often `s` stands beside the neighbours of position i elsewhere in the text."""
        prev, nxt = self.neighbours(i)
        k, own = tone_key(s), tone_key(self.cores[i])
        n = self.doc[(self._key(prev), k)] - (k == own) if prev is not None else 0
        n += self.doc[(k, self._key(nxt))] - (k == own) if nxt is not None else 0
        return max(n, 0)  # (a neighbour repaired since: its pair was not counted)

    def respell(self) -> dict[int, str]:
        cores, plain, linked = self.cores, self.plain, self.linked
        known = known_keys()
        todo = [i for i, c in enumerate(cores)
                if plain[i] and self.whole[i] and (len(c) >= 2 or c.casefold() in LOOKALIKES)
                and ((i > 0 and linked[i - 1]) or linked[i])]
        # syllables Vietnamese does not have ("kêt") first: they are surely misread, and their repair
        # must not be pre-empted by a neighbour's ("cam kêt" → "cam kết", not "cầm kêt")
        todo.sort(key=lambda i: tone_key(cores[i]) in known)
        out: dict[int, str] = {}
        for _ in range(PASSES):
            changed = set()
            for i in todo:
                new = self.respell_one(i, tone_key(cores[i]) in known)
                if new:
                    out[i] = self.parts[i][0] + new + self.parts[i][2]
                    cores[i] = new  # words repaired later see the repaired neighbour
                    changed.add(i)
            # once more for the words beside a repair, which may now fit ("Y tê yêu câu": "yêu cầu")
            near = {j + d for j in changed for d in (-2, -1, 1, 2)}
            todo = [i for i in todo if i in near and i not in out]
        return out

    def astray(self, i: int, s: str) -> bool:
        """Whether a neighbour of position i, free of any word, would make one with `s` under another
        spelling ("hướng dẫn chuyên đôi số": "chuyển đổi"): the phrase is off in two places, misprinted
        or misread, and one repair would not make it right."""
        uni = running_text()[0]
        for n, step in zip(self.neighbours(i), (-1, 1), strict=True):
            if n is None or not self.plain[n] or self._pair(n, n + step) or uni[tone_key(self.cores[n])] >= COMMON:
                continue
            pair = (lambda x: (x, s)) if step < 0 else (lambda x: (s, x))
            if is_word(*pair(self.cores[n])):
                continue
            if any(is_word(*pair(x)) for x in lexicon()[1].get(fold(self.cores[n]), ())):
                return True
        return False

    def administrative(self, i: int, s: str) -> bool:
        """Whether `s` makes a word of administrative Vietnamese (knowledge.ADMIN_WORDS) with a neighbour:
        words chosen by hand, evidence enough even for a common syllable ("Công TTĐT" → "Cổng TTĐT")."""
        prev, nxt = self.neighbours(i)
        return ((prev is not None and word_key((self.cores[prev], s)) in admin_runs())
                or (nxt is not None and word_key((s, self.cores[nxt])) in admin_runs()))

    def respell_one(self, i: int, valid: bool) -> str | None:
        core = self.cores[i]
        if any(self.support(i, core, deep=True)):
            return None  # binding judged deeper for the reading as it stands: "tham dự thi đấu" stays
        low = core.casefold()
        k = tone_key(low)
        editable = self.editable is None or self.editable[i]
        uni = running_text()[0]
        prev = i - 1 if i > 0 and self.linked[i - 1] else None
        strict = (uni[k] >= COMMON or self.here[k] >= COMMON_HERE or (core[:1].isupper() and prev is not None)
                  or (core.isupper() and len(core) > 1))  # a title or a name in capitals
        ours = self.in_document(i, low)
        fits = []
        readings = lexicon()[1].get(fold(LOOKALIKES.get(low, low)), ())
        for c in readings:
            if tone_key(c) == k:
                continue
            lex, seen = self.support(i, c, bound=valid)
            here = self.in_document(i, c)
            # the document's usage: this spelling beside these neighbours elsewhere, more often than the
            # reading as it stands if it is a word common enough to stand beside anything ("được của")
            favoured = here > 2 * ours
            by_document = lex and here >= DOCUMENT_SUPPORT and favoured and not self.astray(i, c)
            used = here and (favoured or uni[tone_key(c)] < COMMON)
            # OCR drops marks far more often than it adds them (of a syllable Vietnamese lacks, đ for d
            # is a slip of the letter: "suy dinh đưỡng" → "dưỡng")
            fewer = _marks(c, valid) < _marks(low, valid)
            by_lexicon = editable and lex and (seen or used or self.administrative(i, c) or not (strict or fewer))
            # a syllable Vietnamese does not have is surely misread: which reading, running text or the
            # document may tell without a word of the lexicon ("hoàn thành tôt nhiệm vụ" → "tốt")
            by_reading = editable and not valid and (seen >= READING_SEEN or (here and favoured))
            if by_document or by_lexicon or by_reading:
                fits.append(((by_document, lex, seen, here), c))
        fits.sort(reverse=True)
        if not fits or (len(fits) > 1 and (fits[0][0] == fits[1][0] or not fits[0][0][1])):
            return None  # two readings, or readings none of which makes a word: "ô trỗng" (trống? trong?)
        return same_case(fits[0][1], core)


def _marks(syllable: str, dd: bool = True) -> int:
    """Diacritics on a syllable (đ counts if `dd`): OCR drops marks far more often than it invents them."""
    return sum(unicodedata.combining(ch) > 0 for ch in unicodedata.normalize("NFD", syllable)) + dd * syllable.count("đ")


# a letter standing alone that OCR reads for another: "V tế" is "Y tế" (Y less its stem)
LOOKALIKES = {"v": "y"}
# letters OCR takes for others, one way: what it read → what was printed
CONFUSIONS: tuple[tuple[str, str], ...] = (("l", "i"), ("ñ", "ũ"), ("rn", "m"), ("cl", "d"))


def known_syllable(syllable: str) -> bool:
    return tone_key(syllable) in known_keys()


def repair_invalid(word: str) -> str | None:
    """A word that is no Vietnamese syllable → the one reading that is: a single OCR confusion undone
    ("Glang" → "Giang", "Lñy" → "Lũy"), or two syllables glued by a lost space that make a word
    ("lựachọn" → "lựa chọn"). None when there is no such reading or more than one. (Đ read for D
    is no confusion here: it differs as marks do, and the context corrector weighs it against them.)"""
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
