"""closing: "Nơi nhận" (distribution) and the signer block of every part.

Reads: the part's two-column regions after its header (left: "Nơi nhận:" and its items; right:
authority, title, signature, name). Writes: metadata.distribution and metadata.signer from
part 0; marks the blocks used in `doc.consumed`.

On scans the signer block is read through seals, signatures and stamps: every line is cleaned of
what they added, a title must be a title (the closed vocabulary of `knowledge.py`) and a name a
Vietnamese personal name (a known family name first), or the field stays null with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from directives.extractors.model import Line
from directives.knowledge import (
    COMMON_FAMILY_NAMES,
    DEPUTIES,
    DISTRIBUTION_LABELS,
    FAMILY_NAMES,
    HEADS_WITH_SENIOR_DEPUTIES,
    SIGNER_TITLES,
    TITLE_PHRASES,
    header_vocabulary,
)
from directives.patterns import BULLET, is_noise, is_upper, split_authority, strip_label
from directives.pipeline.distribution import (
    JUNK,
    clean_line,
    lines_to_distribution,
    split_abbreviations_joined,
    without_side_note,
)
from directives.pipeline.document import Block, Document
from directives.pipeline.stage import Stage
from directives.schemas import Signer
from directives.syllables import is_syllable
from directives.vntext import fold

_PAREN = re.compile(r"^\(.*\)$")
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][^\d\s]*$")
_EDGE = " .,;:'\"“”‘’-_#*"
_AUTHORITY_REMNANT = re.compile(r"^[^\w\s]*[A-Z*]{1,3}[^\w\s]*$")  # "-T", "VT.", "V*Y.": KT. half hidden
_GLUED_REMNANT = re.compile(r"^([^\w\s]*[A-Z]{1,2}[-.])([A-ZĐ]\S*\s.*)$")
_TITLE_HEADS = tuple(t for t in (*SIGNER_TITLES, *TITLE_PHRASES) if not t.endswith(".") and t != "NGƯỜI")
_TITLE_WORDS: dict[str, set[str]] = {}
for _t in _TITLE_HEADS:
    for _w in _t.split():
        _TITLE_WORDS.setdefault(fold(_w), set()).add(_w)


def looks_like_name(text: str) -> bool:
    """A person's name as signed: 2–7 capitalised words, no digits, no authority word or title."""
    words = text.split()
    return (2 <= len(words) <= 7 and all(_NAME_WORD.match(w) for w in words) and split_authority(text)[0] is None
            and not text.upper().startswith(SIGNER_TITLES))


def unglue(text: str) -> str:
    """Words OCR ran together at a capital inside them ('ĐỗMinh Tâm' → 'Đỗ Minh Tâm'): no
    Vietnamese syllable has a capital after a small letter."""
    return "".join(c + " " if c.islower() and n.isupper() else c for c, n in zip(text, text[1:] + " ", strict=True))


def person_name(text: str, strict: bool) -> str | None:
    """`text` as a signer's name ('Trần Minh Khoa.' → 'Trần Minh Khoa'), or None. `strict` (OCR):
    every word a Vietnamese syllable and the first a known family name in its own spelling, so that
    a smudge read as letters ("Tà Văn Phúc" for Hà, "AM ĐÓC") is not taken for a name."""
    name = text.strip(_EDGE)
    if strict:
        name = unglue(name)
    if not looks_like_name(name) or len(name.split()) > 5:
        return None
    if not strict:
        return name
    words = name.split()
    first = words[0][:1] + words[0][1:].lower()
    if first not in FAMILY_NAMES:
        # the same letters with other marks ('Trân' for Trần): the common family name they spell, if one
        first = _FAMILY_BY_LETTERS.get(fold(first), "")
        words[0] = first if words[0][1:].islower() else first.upper()
    if first not in FAMILY_NAMES or any(not is_syllable(w.lower()) for w in words):
        return None
    return " ".join(words)


# a common family name by its letters, when no other family name has the same ones
_FAMILY_BY_LETTERS = {fold(f): f for f in COMMON_FAMILY_NAMES
                      if sum(fold(g) == fold(f) for g in FAMILY_NAMES) == 1}


def name_over_two_lines(above: str, rest: str, strict: bool) -> str | None:
    """The whole name when OCR cut it in two lines, the family name alone above the rest ('Nguyễn' /
    'Văn Hải'); None when the line above is anything else."""
    word = above.strip(_EDGE)
    if len(word.split()) != 1 or word.isupper() or word[:1] + word[1:].lower() not in FAMILY_NAMES \
            or len(rest.split()) > 2:
        return None  # three words are a whole name already: what stands above it is something else
    return person_name(f"{word} {rest.strip(_EDGE)}", strict)


def snap_title(text: str) -> str:
    """Words of an upper-case title line OCR read with other diacritics, by the titles' own words:
    'TRƯỜNG BAN' → 'TRƯỞNG BAN', 'GIÁM ĐÓC' → 'GIÁM ĐỐC' (the school, "TRƯỜNG", is no title)."""
    if not is_upper(text):
        return text

    def snap(w: str) -> str:
        core = w.strip(".,")
        known = _TITLE_WORDS.get(fold(core), set())
        if core in known:
            return core  # "GIÁM." → "GIÁM": a title's words carry no stops
        return next(iter(known)) if len(known) == 1 and is_upper(w) else w

    return " ".join(snap(w) for w in text.split())


def title_of(text: str, strict: bool) -> str | None:
    """The title a line holds: a known title ('PHÓ ' + a head's title included), with the body words
    printed after it ('PHÓ GIÁM ĐỐC SỞ NỘI VỤ'). `strict` (OCR): only known words are kept after the
    title, so that a stamp's or signature's marks ('GIÁM ĐỐC Ị', 'CHỦ TỊCH CN') are cut off."""
    words = snap_title(text).split()
    upper = " ".join(words).upper()
    head = next((t for t in sorted(_TITLE_HEADS, key=len, reverse=True)
                 if upper == t or upper.startswith(t + " ") or upper.startswith("PHÓ " + t)), None)
    if head is None:
        return None
    if not strict:
        return " ".join(words)
    n = len(head.split()) + (1 if upper.startswith("PHÓ " + head) else 0)
    vocabulary = _vocabulary()
    for w in words[n:]:
        if w not in vocabulary.get(fold(w), ()):
            break
        n += 1
    return " ".join(words[:n])


def _vocabulary() -> dict[str, tuple[str, ...]]:
    global _VOCABULARY
    if _VOCABULARY is None:
        _VOCABULARY = header_vocabulary()
    return _VOCABULARY


_VOCABULARY: dict[str, tuple[str, ...]] | None = None


_TITLE_KEYS = {" ".join(fold(t).split()): t for t in (*_TITLE_HEADS, *(f"PHÓ {t}" for t in _TITLE_HEADS))}


def fuzzy_title(text: str) -> str | None:
    """A title line a seal or stroke garbled ('<{ GIÁM Đ C', 'PHÓ GIÁM C') → the one known title within
    a few letters of it, or None when no title or two are that near."""
    if not is_upper(text) or len(text.split()) > 6:
        return None
    key = " ".join(re.sub(r"[^a-z ]", " ", fold(text)).split())
    if len(key) < 6:
        return None
    ranked = sorted((Levenshtein.distance(key, k), t) for k, t in _TITLE_KEYS.items())
    best, title = ranked[0]
    if best == 0 or best > max(1, len(key) // 5):
        return None
    if len(ranked) > 1 and ranked[1][0] <= best + 1:
        # near two titles without marks ('HỦ TƯỚNG': THỦ TƯỚNG, THỦ TRƯỞNG); with its marks it may
        # still be near one only
        marked = " ".join(text.strip(JUNK).upper().split())
        exact = sorted((Levenshtein.distance(marked, t), t) for _, t in ranked[:4])
        if exact[0][0] > max(1, len(key) // 5) or exact[1][0] <= exact[0][0] + 1:
            return None
        title = exact[0][1]
    return title


def upper_prefix(text: str) -> str:
    """An upper-case line without what a stamp or signature added after it in OCR:
    'GIÁM ĐỐC hy Z ĐI :' → 'GIÁM ĐỐC'. Other lines are returned as they are."""
    words = text.split()
    if not words or not is_upper(words[0]):
        return text
    keep = []
    for w in words:
        if not (is_upper(w) or w.isupper() and w.isalpha() or w.rstrip(".").isupper() and w.endswith(".")):
            break
        keep.append(w)
    return " ".join(keep)


def deputy_of(title: str) -> str:
    return DEPUTIES.get(title, f"PHÓ {title}")


def _letters(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalpha())


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def garbled_title_again(text: str, title: str) -> bool:
    """`text` is `title` again as OCR garbles it under a seal ('ˆ LÁM ĐỚC' for GIÁM ĐỐC): within a
    third of its letters."""
    got, want = _letters(text), _letters(title)
    return len(got) >= 4 and Levenshtein.distance(got, want) <= max(1, len(want) // 3)


def garbled_deputy(text: str, title: str) -> bool:
    """`text` is "PHÓ " + `title` as OCR garbles it under a seal ('PFHÓ G Đ', 'PHÓ G'): a first word
    within one letter of PHÓ, then letters of the title, in its order."""
    first, _, rest = text.strip(_EDGE).partition(" ")
    head, tail = _letters(first), _letters(rest)
    return (2 <= len(head) <= 4 and Levenshtein.distance(head, "pho") <= 1 and first[:1].isupper()
            and bool(tail) and _is_subsequence(tail, _letters(title)))


def _junk(text: str) -> bool:
    return sum(c.isalpha() for c in text) <= 3


def restore_deputy_block(texts: list[str], fuzzy: bool = False) -> tuple[list[str], bool]:
    """A "KT. X / PHÓ X" block whose "KT." (and "PHÓ") a seal or signature hid from OCR: a line X
    after a remnant of "KT." ("-T X", "VT. X") or X alone, then "PHÓ X" or X again → the block as
    signed; and whether it was restored. Only a deputy signs under the head's title ("ký thay").
    `fuzzy` (OCR): the line under X may be X or "PHÓ X" garbled (`garbled_title_again`,
    `garbled_deputy`), after at most one line of marks."""
    for k in range(len(texts) - 1):
        glued = _GLUED_REMNANT.match(texts[k])  # "T-GIÁM ĐỐC": the remnant glued to the title
        head, _, rest = (glued.group(1), "", glued.group(2)) if glued else texts[k].partition(" ")
        remnant = _AUTHORITY_REMNANT.match(head) is not None and split_authority(texts[k])[0] is None
        title = rest.strip(_EDGE) if remnant else texts[k].strip(_EDGE)
        if not title.startswith(_TITLE_HEADS) or not is_upper(title) or title.startswith("PHÓ "):
            continue
        below = fold(texts[k + 1].strip(_EDGE))
        if below == fold(deputy_of(title)) or remnant and below == fold(title):
            return [*texts[:k], f"KT. {title}", deputy_of(title), *texts[k + 2:]], True
        if not fuzzy or split_authority(title)[0] is not None:  # "KT. X / PHÓ X" as printed: nothing lost
            continue
        skip = 1 if k + 2 < len(texts) and _junk(texts[k + 1]) else 0
        under = texts[k + 1 + skip]
        if garbled_title_again(under, title) or garbled_deputy(under, title):
            return [*texts[:k], f"KT. {title}", deputy_of(title), *texts[k + 2 + skip:]], True
    return texts, False


@dataclass
class _Authority:
    word: str
    body: list[str]


def lines_to_signer(texts: list[str], strict: bool = False) -> Signer:
    """Right-column lines of the closing, top to bottom → Signer. `strict` for OCR lines: a title must
    be a known title and a name a Vietnamese personal name, else they stay null.

    Several authority lines stack ('TM. ỦY BAN NHÂN DÂN' / 'KT. CHỦ TỊCH' / 'PHÓ CHỦ TỊCH'): the signer
    signs under the last ("KT."), on behalf of the body of the first ('ỦY BAN NHÂN DÂN')."""
    texts = [clean_line(upper_prefix(t)) for t in texts if not is_noise(t) and not _PAREN.match(t.strip())]
    texts = [snap_title(t) for t in texts if t]
    if strict:
        texts = [fuzzy_title(t) or t for t in texts]
    texts, _ = restore_deputy_block(texts, fuzzy=strict)
    signer = Signer()
    for k in range(len(texts) - 1, -1, -1):  # the name is the last line; on a scan, marks may follow it
        whole = name_over_two_lines(texts[k - 1], texts[k], strict) if k >= 1 else None
        if whole:
            k -= 1
        name = whole or person_name(texts[k], strict)
        if name and (k >= 1 or not texts[k].isupper()):
            signer.name = name
            texts = texts[:k]
            break
        if not strict or title_of(texts[k], strict) or split_authority(texts[k])[0]:
            break
    authorities: list[_Authority] = []
    rest: list[str] = []
    for t in texts:
        word, body = split_authority(t)
        if word is not None and not rest:
            authorities.append(_Authority(word, [body] if body else []))
        elif authorities and not rest and title_of(t, strict) is None and is_upper(t):
            authorities[-1].body.append(t)  # a body's name wrapped over two lines
        else:
            rest.append(t)
    if authorities:
        signer.authority = authorities[-1].word
        signer.on_behalf_of = " ".join(authorities[0].body) or None
    titled = [(k, title) for k, t in enumerate(rest) if (title := title_of(t, strict))]
    if titled:
        k, title = titled[0]
        parts = [title]
        for line in rest[k + 1:]:  # a wrapped title goes on in capitals
            if strict or not is_upper(line) or title_of(line, strict):
                break
            parts.append(line)
        signer.title = " ".join(parts)
    elif rest and not strict:
        # no known title word: after an authority the last line is the title, without one the first
        signer.title = rest[-1] if signer.authority else rest[0]
    return signer


def closing_region(items: list[tuple[int, Block]]) -> int | None:
    """Id of the region that holds 'Nơi nhận' in its left column; when the part has no 'Nơi nhận' at
    all, the last region that is not the header; None when 'Nơi nhận' stands in the flow."""
    labels = [b for _, b in items if strip_label(b.text, DISTRIBUTION_LABELS) is not None]
    if labels:
        return labels[0].region if labels[0].zone == "left" and labels[0].region >= 0 else None
    header_region = items[0][1].region if items[0][1].region >= 0 else None
    candidates = [b.region for _, b in items if b.region >= 0 and b.region != header_region]
    return candidates[-1] if candidates else None


def flow_closing(doc: Document, items: list[tuple[int, Block]]) -> list[tuple[int, Block]]:
    """Closing blocks when 'Nơi nhận' is not beside the signer in one region: from the signer lines
    right of centre just above the label (the signer block may start higher) to the end of its page."""
    start = next((k for k, (_, b) in enumerate(items) if strip_label(b.text, DISTRIBUTION_LABELS) is not None),
                 None)
    if start is None:
        return []
    page = items[start][1].page
    while start > 0 and items[start - 1][1].kind == "text" and items[start - 1][1].x0 >= doc.body_center \
            and items[start - 1][1].page == page:
        start -= 1
    return [(i, b) for i, b in items[start:] if b.page == page]


def closing_after_region(doc: Document, items: list[tuple[int, Block]], region: int) -> list[tuple[int, Block, str]]:
    """Closing lines under the two-column region that holds "Nơi nhận", on its page: a long item (or
    one with a brace note) crosses the centre and ends the region early, and the signer's name often
    stands alone far below. Items go on at the label's indent; the signer's lines stand right of
    the centre."""
    ids = [i for i, b in items if b.region == region]
    label = next((b for _, b in items if b.region == region and strip_label(b.text, DISTRIBUTION_LABELS) is not None),
                 None)
    if not ids or label is None:
        return []
    out: list[tuple[int, Block, str]] = []
    last = max(ids)
    left = [b for _, b in items if b.region == region and b.zone == "left"]
    right = [b for _, b in items if b.region == region and b.zone == "right"]
    for i, b in items:
        if i <= last:
            continue
        if b.kind != "text" or not b.lines:
            break
        if b.page != label.page and not (b.page == label.page + 1 and runs_over(
                left + [x for _, x, s in out if s == "left"], right + [x for _, x, s in out if s == "right"])):
            break
        bullet = BULLET.match(b.text) is not None
        if b.x0 >= doc.body_center - 20:
            out.append((i, b, "right"))
        elif abs(b.x0 - label.x0) <= 12 and (
                len(b.lines) <= 2 and (bullet or b.lines[0].x1 < doc.body_center)
                or len(b.lines) <= 4 and bullet and max(ln.x1 for ln in b.lines) < doc.body_center):
            out.append((i, b, "left"))
        else:
            break
    return out


def runs_over(left: list[Block], right: list[Block]) -> bool:
    """The closing goes on over the page break: its list has not reached the item that closes it with
    a full stop, or its signer block has no name yet."""
    last = left[-1].lines[-1].text.rstrip() if left and left[-1].lines else ""
    return not last.endswith(".") or lines_to_signer([ln.text for b in right for ln in b.lines]).name is None


def signer_tail(doc: Document, items: list[tuple[int, Block]]) -> list[tuple[int, Block]]:
    """A signer block with no "Nơi nhận" beside it (after a schedule table, at the end of an attached
    regulation): the part's last lines, right of the centre, when they hold an authority, a title or
    a name."""
    tail: list[tuple[int, Block]] = []
    for bid, b in reversed(items):
        if b.kind != "text" or not b.lines or min(ln.x0 for ln in b.lines) < doc.body_center - 20:
            break
        tail.insert(0, (bid, b))
    if not tail or len(tail) > 8:
        return []
    lines = [ln.text for _, b in tail for ln in b.lines]
    strict = any(doc.pages[b.page - 1].source == "ocr" for _, b in tail)
    signer = lines_to_signer(lines, strict)
    return tail if signer.authority or signer.name or (signer.title and title_of(signer.title, True)) else []


def _xc(b: Block) -> float:
    return (min(ln.x0 for ln in b.lines) + max(ln.x1 for ln in b.lines)) / 2 if b.lines else b.x0


def closing(doc: Document) -> Document:
    for part in doc.result.parts:
        items = doc.part_blocks(part.id)
        if not items:
            continue
        region = closing_region(items)
        if region is not None:
            left_blocks = [b for _, b in items if b.region == region and b.zone == "left"]
            right_blocks = [b for _, b in items if b.region == region and b.zone == "right"]
            doc.consumed.update(i for i, b in items if b.region == region)
            for i, b, side in closing_after_region(doc, items, region):
                (left_blocks if side == "left" else right_blocks).append(b)
                doc.consumed.add(i)
        else:
            tail = flow_closing(doc, items) or signer_tail(doc, items)
            right = [(_xc(b) >= doc.body_center) for _, b in tail]
            left_blocks = [b for (_, b), r in zip(tail, right, strict=True) if not r]
            right_blocks = [b for (_, b), r in zip(tail, right, strict=True) if r]
            doc.consumed.update(i for i, _ in tail)
        if part.id == 0:
            read_closing(doc, left_blocks, right_blocks)
    return doc


def unread_under(doc: Document, b: Block, k: int) -> bool:
    """OCR saw print right under line `k` of `b` and could not read it (`Page.unread`)."""
    ln = b.lines[k]
    width = ln.x1 - ln.x0
    return any(ln.y1 - 0.3 * ln.height <= y0 <= ln.y1 + ln.height and min(x1, ln.x1) - max(x0, ln.x0) >= 0.5 * width
               for x0, y0, x1, _y1 in doc.pages[b.page - 1].unread)


def hidden_deputy(doc: Document, right_blocks: list[Block], signer: Signer) -> str | None:
    """The head's title X when a scan's signer block reads "X" or "KT. X" as its last title line and
    OCR saw a line of print under it that it could not read: the deputy's "PHÓ X", stamped under the
    head's printed title and crossed by the seal, with "KT." written by hand. Only a deputy signs
    under the head's title with a second title line (Decree 30, "ký thay"); None otherwise."""
    if signer.authority not in (None, "KT.") or signer.title and signer.title.startswith("PHÓ "):
        return None
    lines = [(b, k) for b in right_blocks for k in range(len(b.lines))]
    for n in range(len(lines) - 1, -1, -1):
        b, k = lines[n]
        text = snap_title(clean_line(upper_prefix(b.lines[k].text)))
        word, rest = split_authority(text)
        title = title_of(rest if word else text, True)
        if title is None:
            continue
        if title.startswith("PHÓ ") or word not in (None, "KT.") or not (
                unread_under(doc, b, k) or n + 1 < len(lines) and opens_like_deputy(b.lines[k], *lines[n + 1])):
            return None
        return title
    return None


def implied_deputy(signer: Signer) -> str | None:
    """The deputy's title when a scan's block reads "KT. X" and no title under it: only a deputy signs
    "KT." for the head (Decree 30, "ký thay"), as "PHÓ X" — not for heads whose deputies may sign with
    a longer title (`HEADS_WITH_SENIOR_DEPUTIES`), where the line lost could be "PHÓ X THƯỜNG TRỰC"."""
    head = signer.on_behalf_of
    if signer.authority != "KT." or signer.title or not head or head in HEADS_WITH_SENIOR_DEPUTIES:
        return None
    known = head in SIGNER_TITLES or head in TITLE_PHRASES
    return deputy_of(head) if known and not head.startswith(("PHÓ ", "KT.", "TM.")) else None


def opens_like_deputy(title: Line, b: Block, k: int) -> bool:
    """Line `k` of `b`, right under `title`, opens with what OCR made of "PHÓ" ('PHO', 'PHỎ') and
    reads as no title: the deputy's title line, the rest of it lost under the seal."""
    ln = b.lines[k]
    first = ln.text.split()[0] if ln.text.split() else ""
    # a stamped line can sit so close that its box overlaps the title's a little
    return (-0.3 * title.height <= ln.y0 - title.y1 <= 1.5 * title.height and first[:1].isupper()
            and Levenshtein.distance(_letters(first), "pho") <= 1 and len(_letters(first)) <= 4)


def read_closing(doc: Document, left_blocks: list[Block], right_blocks: list[Block]) -> None:
    """metadata.distribution and metadata.signer from the closing's two columns."""
    ocr = any(doc.pages[b.page - 1].source == "ocr" for b in left_blocks + right_blocks)
    left = [without_side_note(b) for b in left_blocks]
    items = lines_to_distribution(left, ocr)
    doc.result.metadata.distribution = split_abbreviations_joined(items, doc.result.text) if ocr else items
    lines = [ln.text for b in right_blocks for ln in b.lines]
    restored = restore_deputy_block([snap_title(clean_line(upper_prefix(t))) for t in lines], fuzzy=ocr)[1]
    signer = doc.result.metadata.signer = lines_to_signer(lines, strict=ocr)
    head = hidden_deputy(doc, right_blocks, signer) if ocr and not restored else None
    if head:
        signer.authority, signer.title = "KT.", deputy_of(head)
        if signer.on_behalf_of is None or signer.on_behalf_of.startswith(f"{head} "):
            signer.on_behalf_of = head  # 'GIÁM ĐỐC PHÓ': the deputy's lost line read into the head's
    if restored or head:
        doc.warn("ocr-repair", "signer block: 'KT.' and 'PHÓ' restored (hidden by a seal or signature)",
                 field_="signer.title")
    elif ocr and (deputy := implied_deputy(signer)):
        signer.title = deputy
        doc.warn("ocr-repair", f"signer title {deputy!r}: the deputy's, under 'KT. {signer.on_behalf_of}' "
                 "(its line not legible)", field_="signer.title")
    if ocr and right_blocks:
        for key in ("name", "title"):
            if getattr(signer, key) is None:
                doc.warn("signer-unreadable", f"signer {key} not legible under the seal, signature or stamp",
                         page=right_blocks[0].page, field_=f"signer.{key}")
    for key in ("name", "title", "authority"):
        value = getattr(signer, key)
        source = [b for b in right_blocks if value and fold(value.split()[-1]) in fold(b.text)]
        doc.note_confidence([f"signer.{key}"], source[-1:])
    if doc.result.metadata.distribution:
        doc.note_confidence(["distribution"], left_blocks)


STAGE = Stage("closing", closing, reads=("pages", "blocks", "spans", "body", "consumed", "parts"), writes=("metadata", "consumed", "warnings"))
