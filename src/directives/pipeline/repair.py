"""repair: undo the OCR slips that the closed vocabulary of headers and closings makes certain.

Reads: words of OCR pages. Writes: their text, and a page warning listing every change (the line's
`raw` keeps what the OCR read). Two repairs only:
- stray marks glued to a word's edges ("_BI" → "BI"), and words made of stray marks only ("_");
- a run of upper-case words whose letters, without diacritics, spell a known header phrase takes
  the phrase's diacritics ("PHO GIAM ĐỌC" → "PHÓ GIÁM ĐỐC");
- else an upper-case word whose letters, without diacritics, are those of a header/closing vocabulary
  word (knowledge.py) takes the diacritics of the nearest such word ("ĐOAN" → "ĐOÀN", "ĐÓC" →
  "ĐỐC" rather than "ĐỘC"), when the rest of its line is header vocabulary too (so a "TÍN" in
  "TÍN DỤNG" stays) and it makes no word of the lexicon with a neighbour as it stands ("ĐĂNG KÝ"
  stays, though ĐẢNG is header vocabulary) while the new one does ("UBND TÌNH" → "UBND TỈNH", but
  "THÁNG 02 NĂM" is no "NAM" of "VIỆT NAM"), unless it stands alone on its line;
- a word the document itself spells otherwise, between the same two words, at least three times
  while this spelling stands there once, takes that spelling ("thiếu nhỉ năm" once among "thiếu
  nhi năm" × 5): the document is its own lexicon (but a syllable never becomes one Vietnamese lacks);
- a syllable whose diacritics make no word with its neighbours while one other spelling of the same
  letters does, by the Vietnamese lexicon and running-text statistics underthesea ships, for a word
  OCR read with less than full confidence, or by the document's own clear usage for any word
  (`lexicon.respell_by_lexicon`: "tông kết" → "tổng kết", "y tê" → "y tế", "Thành phô" among
  "Thành phố" × 8 → "Thành phố"); before that, a word that is no Vietnamese syllable takes its one
  reading that is ("Glang" → "Giang", "lựachọn" → "lựa chọn"; `lexicon.respell_invalid`), and
  before a figure, the word that stands there ("sô 05/2016" → "số 05/2016", "(Lân 2)" → "(Lần 2)";
  `number_word_before_digits`);
- a note of the closed vocabulary in brackets after a distribution item, read with its marks lost
  or a letter taken for its lookalike ("(đê b/e);" → "(để b/c);"; `distribution_notes`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from directives.knowledge import ADMIN_WORDS, DISTRIBUTION_NOTES, header_vocabulary
from directives.lexicon import (
    is_word,
    known_syllable,
    respell_by_lexicon,
    respell_invalid,
    running_text,
    same_case,
    split_word,
    tone_key,
)
from directives.patterns import is_upper, repair_phrases
from directives.pipeline.document import Document, RepairOptions
from directives.pipeline.stage import Stage
from directives.vntext import fold

EDGE_JUNK = "_~|`^¬'"
# Tesseract reads the en dash of ranges and compounds ("2016 – 2020", "y – bác sỹ") as an em dash,
# which directives hardly print: the em dash is taken for the en dash.
_TRAIL = ".,:;"
# Latin letters Vietnamese does not write, which Tesseract's model reads for its own: 'ÑVD' is "NVD"
_NOT_VIETNAMESE = str.maketrans("ÑñÇç", "NnCc")


def _plain_letters(word: str) -> str:
    """`word` with those letters plain; a word with a digit stays: a handwritten number read as
    '20Ñ' is no number, and must not become one ('20N')."""
    return word if any(c.isdigit() for c in word) else word.translate(_NOT_VIETNAMESE)
_LEADER = re.compile(r"(?<=\w)\.{4,}$|^\.{4,}(?=\w)")  # dotted leader glued to a word: "THỌ.........."


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, tuple[str, ...]]:
    return header_vocabulary()


def _marks(word: str) -> list[frozenset[str]]:
    """The diacritics on each letter: 'ĐỐC' → [{}, {circumflex, acute}, {}] (Đ counts as D)."""
    out: list[set[str]] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch) and out:
            out[-1].add(ch)
        else:
            out.append(set())
    return [frozenset(m) for m in out]


def mark_distance(a: str, b: str) -> int:
    """How many diacritics two words of the same letters differ by."""
    return sum(len(x ^ y) for x, y in zip(_marks(a), _marks(b), strict=False))


def nearest_known(word: str) -> str | None:
    """The vocabulary word `word` most likely is, None when unknown or when two are equally near."""
    candidates = _vocabulary().get(fold(word))
    if not candidates or word in candidates:
        return None
    # candidates come most used first: of two equally near, the one of more phrases wins
    ranked = sorted((mark_distance(word, c), k, c) for k, c in enumerate(candidates))
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0] and ranked[0][1] != 0:
        return None
    return ranked[0][2]


def is_known(word: str) -> bool:
    return word.rstrip(_TRAIL) in _vocabulary().get(fold(word.rstrip(_TRAIL)), ())


def repair_line(words: list[str]) -> list[str]:
    """OCR words of one line → repaired words ("" for a word of stray marks only)."""
    words, done = repair_phrases([_plain_letters(_LEADER.sub("", w.strip(EDGE_JUNK)).replace("—", "–"))
                                  for w in words])
    out = list(words)
    for i, w in enumerate(words):
        if i in done:
            continue
        core = w.rstrip(_TRAIL)
        if not core or len(core) < 2 or not is_upper(core):
            continue
        others = [x for j, x in enumerate(words) if j != i and is_upper(x)]
        if others and 2 * sum(map(is_known, others)) < len(others):
            continue
        if not others and len(core) < 3:  # an abbreviation in running text ("Ban Tuyên giáo TU"), not a header word
            continue
        known = nearest_known(core)
        if not known or makes_a_word(words, i):
            continue
        if len(words) == 1 or makes_a_word([*words[:i], known, *words[i + 1:]], i):
            out[i] = known + w[len(core):]
    return out


def makes_a_word(words: list[str], i: int) -> bool:
    """Whether words[i] makes a word of the lexicon with a neighbour, no punctuation between: "ĐĂNG KÝ"
    is no slip for "ĐẢNG" (of "ĐẢNG CỘNG SẢN"), "LỄ KỶ NIỆM" none for "LỆ" (of "ĐIỀU LỆ")."""
    for a in (i - 1, i):
        if a < 0 or a + 1 >= len(words):
            continue
        (_, x, post), (pre, y, _) = split_word(words[a]), split_word(words[a + 1])
        if not post and not pre and x.isalpha() and y.isalpha() and is_word(x, y):
            return True
    return False


# words whose marks OCR loses before a figure, and the figures they stand before ("lân" is a word,
# and "Lân" a name, but not before a count: "(Lân 2)" is "(Lần 2)", the second time)
_YEAR = re.compile(r"(?:19|20)\d\d(?!\d)")  # and "năm" (year) before a year: 'nắm 2017' is "năm 2017"
_NUMBER_WORD_SLIPS = {"sô": ("số", re.compile(r"\d")), "so": ("số", re.compile(r"\d")),
                      "lân": ("lần", re.compile(r"\d{1,2}[).,;:]*$")),
                      "nắm": ("năm", _YEAR), "nằm": ("năm", _YEAR), "nấm": ("năm", _YEAR)}


def number_word_before_digits(words: list[str]) -> dict[int, str]:
    """'sô 05/2016/TT-BYT' → 'số 05/2016/TT-BYT': before a number the word is "số" (number), whose
    marks OCR often loses; "sô" alone is a rare word and never stands before a figure. Likewise
    "(Lân 2)" → "(Lần 2)" before a count of one or two digits."""
    out = {}
    for i, w in enumerate(words[:-1]):
        pre, core, post = split_word(w)
        slip = _NUMBER_WORD_SLIPS.get(core.casefold()) if not post and core[1:].islower() else None
        if slip and slip[1].match(words[i + 1]):
            out[i] = pre + same_case(slip[0], core)
    return out


_GLUED_STOP = re.compile(r"^([^\W\d_]{2,})\.([^\W\d_]{2,})([,;:]?)$")


def stop_between_words(words: list[str]) -> dict[int, str]:
    """A full stop OCR read for a comma between two lower-case words ('huyện.thị' → 'huyện,thị';
    'huyện. thị,' → 'huyện, thị,' in an enumeration): a sentence never goes on in lower case, and
    words of two letters or more are no abbreviation ('v.v.', 'TP.')."""
    out: dict[int, str] = {}
    for i, w in enumerate(words):
        m = _GLUED_STOP.match(w)
        if m and m.group(1).islower() and m.group(2).islower() and known_syllable(m.group(1)) \
                and known_syllable(m.group(2)):
            out[i] = f"{m.group(1)},{m.group(2)}{m.group(3)}"
            continue
        core, nxt = w[:-1], words[i + 1] if i + 1 < len(words) else ""
        # with a space, only inside an enumeration: the next word is an item of its own ('thị,')
        if w.endswith(".") and len(core) >= 2 and core.isalpha() and core.islower() and known_syllable(core) \
                and nxt[-1:] in (",", ";") and nxt[:-1].isalpha() and nxt[:-1].islower() and known_syllable(nxt[:-1]):
            out[i] = core + ","
    return out


def mark_inside_word(words: list[str]) -> dict[int, str]:
    """A colon or full stop OCR read from a speck between the two syllables of one word ('tài: sản' →
    'tài sản'): no mark parts a word, and the two stand together in the lexicon. The next syllable is
    in lower case, as after a mark it need not be."""
    out: dict[int, str] = {}
    for i, w in enumerate(words[:-1]):
        core, nxt = w[:-1], words[i + 1].rstrip(",;.:")
        if w[-1:] in (":", ".") and core.isalpha() and nxt.isalpha() and nxt.islower() \
                and known_syllable(core) and known_syllable(nxt) and is_word(core.lower(), nxt):
            out[i] = core
    return out


_VOWELS = frozenset("aeiouy")


def _glued_pair(core: str) -> tuple[str, str] | None:
    """The two syllables a lower-case word that is none runs together ('kếhoạch'), when exactly one
    cut makes two syllables, the second opening with a consonant, and the two stand together in a
    word of the lexicon or in running text; None otherwise ('nguôn' is 'nguồn' misread, not
    'ngu ôn')."""
    if len(core) < 5 or not core.isalpha() or not core.islower() or known_syllable(core):
        return None
    cuts = [(core[:k], core[k:]) for k in range(2, len(core) - 1)
            if known_syllable(core[:k]) and known_syllable(core[k:])]
    if len(cuts) != 1:
        return None
    a, b = cuts[0]
    if fold(b)[0] in _VOWELS or not (_VOWELS & set(fold(a))) or not (_VOWELS & set(fold(b))):
        return None
    together = is_word(a, b) or running_text()[1][(tone_key(a), tone_key(b))] > 0
    return (a, b) if together else None


def glued_syllables(words: list[str]) -> dict[int, str]:
    """Two syllables OCR read without the space between them, parted: 'Y tếngành' → 'Y tế ngành',
    'kếhoạch' → 'kế hoạch'."""
    out: dict[int, str] = {}
    for i, w in enumerate(words):
        pre, core, post = split_word(w)
        pair = _glued_pair(core)
        if pair:
            out[i] = f"{pre}{pair[0]} {pair[1]}{post}"
    return out


_NOTES = {fold(n): n for n in DISTRIBUTION_NOTES}
_NOTE = re.compile(r"^(\([^()]*\))(\W*)$")  # the note, and what follows its bracket: "(để b/c);"
_LOOKALIKE_CHARS = {("e", "c"), ("©", "c"), ("€", "c")}  # what OCR read → what was printed, in "b/c"


def _lookalike(read: str, printed: str) -> bool:
    return len(read) == len(printed) and all(a == b or (a, b) in _LOOKALIKE_CHARS for a, b in zip(read, printed, strict=True))


def _cased(word: str, like: str) -> str:
    """`word` with its first letter in the case of `like`'s first letter ("(để" like "(Đê" → "(Để")."""
    k = next((j for j, c in enumerate(word) if c.isalpha()), None)
    up = next((c.isupper() for c in like if c.isalpha()), False)
    return word if k is None else word[:k] + (word[k].upper() if up else word[k]) + word[k + 1:]


def distribution_notes(words: list[str]) -> dict[int, str]:
    """The note in brackets after a distribution item, as the closed vocabulary prints it, when OCR
    read it with its marks lost or a letter taken for its lookalike: "(đê b/e);" → "(để b/c);"."""
    out: dict[int, str] = {}
    for i, w in enumerate(words):
        if not w.startswith("("):
            continue
        for n in range(1, 4):
            m = _NOTE.match(" ".join(words[i:i + n]))
            if not m:
                continue
            note = next((v for k, v in _NOTES.items() if _lookalike(fold(m.group(1)), k)), None)
            if note and len(note.split()) == n:
                new = [_cased(t, r) + (m.group(2) if k == n - 1 else "")
                       for k, (t, r) in enumerate(zip(note.split(), words[i:i + n], strict=True))]
                out.update((i + k, t) for k, t in enumerate(new) if t != words[i + k])
            break
    return out


MIN_SUPPORT = 3  # how often the document must spell the same context the other way


def _context_key(prev: str, word: str, nxt: str) -> tuple[str, str, str]:
    return prev.casefold(), fold(word), nxt.casefold()


def _syllable(word: str) -> bool:
    core = split_word(word)[1]
    return core.isalpha() and known_syllable(core)


def spelling_by_context(words: list[str]) -> dict[int, str]:
    """Index → respelling for a word whose spelling between the same two neighbours stands once while
    the text spells it there, differing in diacritics only, at least MIN_SUPPORT times."""
    variants: dict[tuple[str, str, str], Counter[str]] = {}
    for i in range(1, len(words) - 1):
        variants.setdefault(_context_key(*words[i - 1:i + 2]), Counter())[words[i]] += 1
    out: dict[int, str] = {}
    for i in range(1, len(words) - 1):
        seen = variants[_context_key(*words[i - 1:i + 2])]
        best, n = seen.most_common(1)[0]
        if seen[words[i]] == 1 and n >= MIN_SUPPORT and best.casefold() != words[i].casefold():
            if _syllable(words[i]) and not _syllable(best):
                continue  # a misreading repeated is no usage: "các điểm phục vụ" stays, though "điêm" × 3
            capitals = is_upper(words[i])  # "LẺ" where the text says "Lễ": "LỄ"
            out[i] = best if words[i][:1].isupper() == best[:1].isupper() and not capitals else same_case(best, words[i])
    return out


@lru_cache(maxsize=1)
def _admin_phrases() -> dict[str, dict[tuple[str, ...], tuple[tuple[str, ...], ...]]]:
    """knowledge.ADMIN_WORDS of three syllables or more, by their letters without diacritics, indexed
    by their first word's."""
    out: dict[str, dict[tuple[str, ...], list[tuple[str, ...]]]] = {}
    for phrase in ADMIN_WORDS:
        words = tuple(phrase.split())
        if len(words) >= 3:
            key = tuple(fold(w) for w in words)
            out.setdefault(key[0], {}).setdefault(key, []).append(words)
    return {first: {k: tuple(v) for k, v in by_key.items()} for first, by_key in out.items()}


def admin_phrases(words: list[str], editable: list[bool] | None = None) -> dict[int, str]:
    """Index → respelling for the words of a phrase of administrative Vietnamese (three syllables or
    more: "ủy ban nhân dân", "chuyển đổi số") that OCR read with other diacritics ("Uy ban nhân dân",
    "chuyến đối số"): those letters spell nothing else, so the phrase's marks are certain. Words not
    `editable` (read with full confidence) stay: a misprint is printed text ("chuyên đổi số")."""
    phrases = _admin_phrases()
    parts = [split_word(w) for w in words]
    keys = [fold(core) for _, core, _ in parts]
    out: dict[int, str] = {}
    for i, first in enumerate(keys):
        for key, spellings in phrases.get(first, {}).items():
            n = len(key)
            if tuple(keys[i:i + n]) != key or any(parts[k][2] for k in range(i, i + n - 1)):
                continue  # a comma inside the run: two phrases, not one
            if tuple(parts[k][1].casefold() for k in range(i, i + n)) in spellings:
                continue
            changed = [k for k, w in zip(range(i, i + n), spellings[0], strict=True) if parts[k][1].casefold() != w]
            if editable is not None and not all(editable[k] for k in changed):
                continue
            for k in changed:
                out[k] = parts[k][0] + same_case(spellings[0][k - i], parts[k][1]) + parts[k][2]
    return out


def respell_ocr_words(doc: Document, respell, below: float | None = None) -> list[str]:
    """Apply `respell` (word texts → index → new text) over the OCR words of the whole document in
    reading order, to words read with confidence under `below` if given; the changes made."""
    refs = [w for p in doc.pages if p.source == "ocr" for ln in p.lines for w in ln.words]
    changes = []
    texts = [w.text for w in refs]
    found = respell(texts) if below is None else respell(texts, [w.conf < below for w in refs])
    for i, new in found.items():
        changes.append(f"{refs[i].text}→{new}")
        refs[i].text = new
    return changes


def _listing(changes: list[str], limit: int = 40) -> str:
    shown = Counter(changes).most_common(limit)
    more = len(changes) - sum(n for _, n in shown)
    return ", ".join(c if n == 1 else f"{c} ×{n}" for c, n in shown) + (f" (+{more} more)" if more else "")


def repair(doc: Document, options: RepairOptions | None = None) -> Document:
    options = options or RepairOptions()
    for page in doc.pages:
        if page.source != "ocr":
            continue
        changes: list[str] = []
        for line in page.lines:
            new = repair_line([w.text for w in line.words])
            for w, t in zip(line.words, new, strict=True):
                if t != w.text:
                    changes.append(f"{w.text}→{t or '∅'}")
                    w.text = t
            line.words = [w for w in line.words if w.text] or line.words
        if changes:
            page.warn("ocr-repair", "OCR repaired from the header vocabulary: " + ", ".join(changes))
    context = respell_ocr_words(doc, spelling_by_context) if options.context else []
    if context:
        doc.warn("ocr-repair", "OCR spelling repaired from the document's own usage: " + _listing(context))
    lexical = respell_ocr_words(doc, number_word_before_digits) if options.lexicon else []
    lexical += respell_ocr_words(doc, distribution_notes) if options.lexicon else []
    lexical += respell_ocr_words(doc, stop_between_words) if options.lexicon else []
    lexical += respell_ocr_words(doc, mark_inside_word) if options.lexicon else []
    lexical += respell_ocr_words(doc, admin_phrases, options.lexicon_below) if options.lexicon else []
    lexical += respell_ocr_words(doc, respell_invalid, options.lexicon_below) if options.lexicon else []
    lexical += respell_ocr_words(doc, respell_by_lexicon, options.lexicon_below) if options.lexicon else []
    # last: the words it parts are two from here on, which the respellers above read one by one
    lexical += respell_ocr_words(doc, glued_syllables) if options.lexicon else []
    if lexical:
        doc.warn("ocr-repair", f"OCR diacritics repaired by the lexicon ({len(lexical)} words): " + _listing(lexical))
    for page in doc.pages:
        if page.source == "ocr":
            for line in page.lines:
                line.text = " ".join(w.text for w in line.words)
    return doc


STAGE = Stage("repair", repair, reads=("pages",), writes=("pages", "warnings"), options="repair")
