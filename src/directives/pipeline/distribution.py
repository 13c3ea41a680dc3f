"""distribution: the "Nơi nhận" list of a closing, item by item, and the cleaning of a closing's lines.

Reads the left column's lines from "Nơi nhận:" down (closing.py finds them). On scans, items are
cleaned of the marks OCR read around them, merged items are split, fixed items and abbreviations
snap to how they are printed, and an abbreviation OCR cut in two is joined when the document spells
it whole elsewhere.
"""

from __future__ import annotations

import re
from collections import Counter

from directives.knowledge import DISTRIBUTION_LABELS, DISTRIBUTION_WORDS, SIGNATURE_MARKS
from directives.patterns import BULLET, strip_item, strip_label
from directives.pipeline.document import Block
from directives.vntext import fold, is_letter_or_digit

JUNK = " .,;:'\"“”‘’„‚`^ˆ~˜_-–—*•·‹›«»®©°|\\/<>{}[]!?#%&+=@$"
_SIGNATURE_MARKS = tuple(sorted({fold(m) for m in SIGNATURE_MARKS}, key=len, reverse=True))


def clean_line(text: str) -> str:
    """A signer-block line without a published copy's signature mark ("(Đã ký)") and without the
    marks a seal or a stroke left at its edges; "" when nothing of it is text."""
    text = text.strip()
    key = fold(text).lstrip("([ ")
    for mark in _SIGNATURE_MARKS:
        if key.startswith(mark):
            rest = key[len(mark):]
            if not rest or not rest[0].isalpha():  # "ký" must not eat "kỹ thuật"
                text = text[len(text) - len(rest):].lstrip(" )]")
                break
    core = text.strip(JUNK)
    return core if sum(c.isalpha() for c in core) >= 2 else ""


_LABEL_REST_JUNK = re.compile(r"^[^\w(]*$")


def split_item(text: str) -> list[str]:
    """One line holding two items OCR read as one ('BGD SYT; Lưu: VT, ntlan') → the items; an item
    ending in ';' is complete, and "Lưu" opens the list's last item."""
    out = [text]
    m = re.search(r";\s*(?=(?:[-+•]\s*)?Lưu\b)", text)
    if m:
        out = [text[:m.start() + 1], text[m.end():]]
    return out


def distribution_item(text: str) -> str:
    """An item without its bullet, closing mark and the marks OCR read around it ('„NVY%' → 'NVY');
    the "Lưu" item ends at its full stop ('Lưu: VT, ntlan. ty Ý' → 'Lưu: VT, ntlan')."""
    item = strip_item(text.strip(JUNK.replace("(", "").replace(")", "")))
    if fold(item).startswith("luu"):
        word = re.match(r"\w+", item)
        if word and fold(word.group()) == "luu" and word.group() not in ("Lưu", "LƯU"):
            item = "Lưu" + item[word.end():]  # the keep item's word read with other marks ('Lưư', 'Luu')
        item = re.split(r"\.\s", item, maxsplit=1)[0].rstrip(".")
        # its form is "Lưu: VT, <unit>": marks OCR read after the colon or the comma go
        item = _LUU_COLON.sub(r"\1: ", item, count=1)
        item = _LUU_COMMA.sub(r",\1", item)
        item = _LUU_VT.sub(r"\1VT", item, count=1)  # VT (văn thư) read with a lookalike ('VI', 'V1')
        # a ';' ends an item, and no item opens in lower case: before the drafter's initials it is a ','
        item = re.sub(r";(?=\s*[^\W\d_])", lambda m: "," if item[m.end():].lstrip()[:1].islower() else ";", item)
    # "Website SYT; 7 -.": a tail after the item's own ';' with no word in it is a mark
    m = re.search(r";[^;\w]*(?:\d\W*)?$", item)
    if m:
        item = item[:m.start()]
    item = item.strip(JUNK.replace("(", "").replace(")", "")).strip()
    return item + "”" if item.count("“") > item.count("”") and "”" in text[text.rfind("“"):] else item


_LUU_COLON = re.compile(r"^(Lưu)\s*:[^\w(]*")
_LUU_VT = re.compile(r"^(Lưu:?\s*)(?:V[I1lĨỊ|]|W[T1I])(?=[\s,;.]|$)")
_LUU_COMMA = re.compile(r"(?<=\w),(\s*)[^\w\s(“\"']+\s*(?=[\w(“\"'])")
_DISTRIBUTION_KEYS = {fold(w): w for w in DISTRIBUTION_WORDS}


_AS_ARTICLE = re.compile(r"nhu dieu (\d{1,2})$")


def snap_distribution(item: str) -> str:
    """A fixed item or abbreviation OCR read without its marks, as printed: 'Nhu trên' → 'Như trên',
    'BGD SYT' → 'BGĐ SYT'."""
    key = fold(item)
    if key in _DISTRIBUTION_KEYS:
        return _DISTRIBUTION_KEYS[key]
    article = _AS_ARTICLE.match(key)
    if article:  # "Như Điều 3" (or "điều"): the addressees of a decision's last article
        return f"Như {'Điều' if item.split()[1][:1].isupper() else 'điều'} {article.group(1)}"
    words = item.split()
    out = [w2 if (w2 := _DISTRIBUTION_KEYS.get(fold(w.rstrip(",;")))) and w.rstrip(",;").isupper() and w2.isupper()
           else w for w in words]
    if len(out) > 1 and fold(" ".join(out[:2])) == fold(DISTRIBUTION_WORDS[0]):
        out[:2] = DISTRIBUTION_WORDS[0].split()
    for k, w in enumerate(words):
        if out[k] != w and w.endswith((",", ";")):
            out[k] += w[-1]
    return " ".join(out)


def _is_mark(c: str) -> bool:
    """A character that is neither a letter nor a digit (modifier letters such as 'ˆ' count as marks),
    nor a bracket or quote that opens an item's own text."""
    return bool(c) and c not in "(\"“'" and not is_letter_or_digit(c)


def lines_to_distribution(texts: list[str], ocr: bool = False) -> list[str]:
    """Lines from 'Nơi nhận:' down → items. A line without a bullet continues the item above unless
    that item is complete (ends in ';'); the list ends with the item that ends in a full stop (the
    "Lưu" item). With `ocr`, items are cleaned of stray marks and snapped to the fixed ones."""
    items: list[str] = []
    started = False
    for t in texts:
        rest = strip_label(t, DISTRIBUTION_LABELS)
        if rest is not None:
            started = True
            if rest and not (ocr and (_LABEL_REST_JUNK.match(rest) or not BULLET.match(rest))):
                items.append(rest)
            continue
        if not started:
            continue
        if ocr and not items and not clean_line(t):
            continue  # a mark above the first item
        # on a scan a bullet may be read as another mark ('„NVY', 'ˆ Lưu'), and "Lưu" opens the last item
        opens = ocr and (_is_mark(t[:1]) or fold(t.strip(JUNK)).startswith("luu"))
        closed = items and items[-1].rstrip().endswith(";") and ocr
        if BULLET.match(t) or not items or closed or opens:
            items.extend(split_item(t) if ocr else [t])
        else:
            items[-1] += " " + t
        if ocr and fold(strip_item(items[-1].strip(JUNK))).startswith("luu") and re.search(r"\.(\s|$)", t):
            break
    if not ocr:
        return [s for s in (strip_item(x) for x in items) if s]
    out = []
    for x in items:
        item = distribution_item(x)
        if sum(c.isalpha() for c in item) >= 3 or item.upper() == item and len(item) >= 2 and item.isalpha():
            out.append(snap_distribution(item))
    # marks OCR read as words: too short to name anyone, or opening in lower case as no item does ('th Á')
    return [x for x in out if sum(c.isalpha() for c in x) >= 2 and not (len(x) <= 3 and not x.isupper())
            and not (x[:1].islower() and sum(c.isalpha() for c in x) < 6)]


_CAPITALS = re.compile(r"[A-ZĐ]{2,}")


_LIST_ABBREVIATIONS = frozenset(w for w in DISTRIBUTION_WORDS if w.isupper())  # 'BGĐ', 'PGĐ'


def glued_abbreviations(word: str, known: Counter[str]) -> list[str]:
    """Two abbreviations OCR read without the space between them, parted ('BGĐSYT' → 'BGĐ', 'SYT'):
    the word in capitals is not spelt elsewhere, and exactly one cut makes an abbreviation of lists
    ('BGĐ') or one the document spells elsewhere, then one it spells elsewhere, both of three letters
    or more. Else [word]."""
    if not (word.isalpha() and word.isupper()) or word in known or word in _LIST_ABBREVIATIONS:
        return [word]
    cuts = [k for k in range(3, len(word) - 2)  # three letters a side: 'HĐ' + 'ND' may be anything
            if (word[:k] in known or word[:k] in _LIST_ABBREVIATIONS) and word[k:] in known]
    return [word[:cuts[0]], word[cuts[0]:]] if len(cuts) == 1 else [word]


def split_abbreviations_joined(items: list[str], text: str) -> list[str]:
    """Items with an abbreviation OCR cut in two ('Website SY T') joined again when the document
    spells it whole elsewhere (its number 'SYT-NVY', another item 'BGĐ SYT') and neither piece alone;
    and two abbreviations OCR glued parted (`glued_abbreviations`)."""
    known = Counter(_CAPITALS.findall(text))
    known.subtract(_CAPITALS.findall(" ".join(items)))  # spelt elsewhere than in the list itself
    known = +known
    out = []
    for item in items:
        words = [p for w in item.split() for p in glued_abbreviations(w, known)]
        k = 0
        while k < len(words) - 1:
            a, b = words[k], words[k + 1].rstrip(",;")
            if a.isalpha() and b.isalpha() and a.isupper() and b.isupper() and min(len(a), len(b)) <= 2 \
                    and a + b in known and a not in known and b not in known:
                words[k:k + 2] = [a + words[k + 1]]
                continue
            k += 1
        out.append(" ".join(words))
    return out


_BRACE = ("}", "]")  # a brace drawn beside several items, read by OCR as a character


def without_side_note(b: Block) -> str:
    """A one-line item without a '(…)' note set apart by a wide gap, or what follows a brace: a note
    beside a brace or rule annotates several items and belongs to none of them."""
    if len(b.lines) != 1:
        return b.text
    words = b.lines[0].words
    for k in range(1, len(words)):
        if words[k].text.startswith(_BRACE) or (words[k].x0 - words[k - 1].x1 > 2 * max(b.size, 1.0)
                                                and words[k].text.startswith("(")):
            return " ".join(w.text for w in words[:k])
    return b.text
