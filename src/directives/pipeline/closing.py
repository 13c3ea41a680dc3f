"""closing: "Nơi nhận" (distribution) and the signer block of every part.

Reads: the part's two-column regions after its header (left: "Nơi nhận:" and its items; right:
authority, title, signature, name). Writes: metadata.distribution and metadata.signer from
part 0; marks the blocks used in `doc.consumed`.
"""

from __future__ import annotations

import re

from directives.knowledge import DISTRIBUTION_LABELS, SIGNER_TITLES, fold
from directives.pipeline.document import Block, Document
from directives.pipeline.header import is_noise
from directives.pipeline.patterns import BULLET, is_upper, split_authority, strip_item, strip_label
from directives.schemas import Signer

_PAREN = re.compile(r"^\(.*\)$")
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][^\d\s]*$")


def looks_like_name(text: str) -> bool:
    """A person's name as signed: 2–7 capitalised words, no digits, no authority word or title."""
    words = text.split()
    return (2 <= len(words) <= 7 and all(_NAME_WORD.match(w) for w in words) and split_authority(text)[0] is None
            and not text.upper().startswith(SIGNER_TITLES))


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


_EDGE = " .,;:'\"“”‘’-_#*"
_AUTHORITY_REMNANT = re.compile(r"^[^\w\s]*[KTLM]{1,2}[^\w\s]*$")  # "-T", "-#T,": KT. half hidden by a stamp
DEPUTIES = {"BỘ TRƯỞNG": "THỨ TRƯỞNG"}  # who signs "KT." for the head: PHÓ + the head's title, but these


def deputy_of(title: str) -> str:
    return DEPUTIES.get(title, f"PHÓ {title}")


def restore_deputy_block(texts: list[str]) -> tuple[list[str], bool]:
    """A "KT. X / PHÓ X" block whose "KT." and "PHÓ" a seal or signature hid from OCR, read as
    "-T X / X": two lines with the same title, the first opened by a remnant of KT. → the block as
    signed; and whether it was restored. Signing for the head ("ký thay") is always by a deputy."""
    for k in range(len(texts) - 1):
        head, _, rest = texts[k].partition(" ")
        title = rest.strip(_EDGE)
        if (_AUTHORITY_REMNANT.match(head) and title.startswith(SIGNER_TITLES) and is_upper(title)
                and fold(texts[k + 1].strip(_EDGE)) == fold(title)):
            return [*texts[:k], f"KT. {title}", deputy_of(title), *texts[k + 2:]], True
    return texts, False


def lines_to_signer(texts: list[str]) -> Signer:
    """Right-column lines of the closing, top to bottom → Signer."""
    texts = [upper_prefix(t) for t in texts if not is_noise(t) and not _PAREN.match(t)]
    texts = [t for t in texts if sum(c.isalpha() for c in t) >= 2]  # a stamp or signature stroke read as "f"
    texts, _ = restore_deputy_block(texts)
    signer = Signer()
    if not texts:
        return signer
    if looks_like_name(texts[-1]) and (len(texts) >= 2 or not texts[-1].isupper()):
        signer.name = texts.pop()
    body: list[str] = []
    i = 0
    while i < len(texts):
        auth, rest = split_authority(texts[i])
        if auth is None:
            break
        signer.authority, body = auth, body or ([rest] if rest else [])  # 'TM. X' / 'KT. CHỦ TỊCH'
        i += 1
    middle = texts[i:]
    if not middle:
        return signer
    titles = [k for k, t in enumerate(middle) if t.upper().startswith(SIGNER_TITLES)]
    # no known title word: after an authority the last line is the title, without one the first
    k = titles[0] if titles else (len(middle) - 1 if signer.authority else 0)
    body += middle[:k]
    title = middle[k:k + 1]
    for line in middle[k + 1:]:  # a wrapped title goes on in capitals; stamp or signature noise does not
        if not (title and is_upper(title[0])) or is_upper(line):
            title.append(line)
        else:
            break
    signer.title = " ".join(title) or None
    if signer.authority is not None:
        signer.on_behalf_of = " ".join(body) or None
    return signer


def lines_to_distribution(texts: list[str]) -> list[str]:
    """Lines from 'Nơi nhận:' down → items; a line without a bullet continues the item above."""
    items: list[str] = []
    started = False
    for t in texts:
        rest = strip_label(t, DISTRIBUTION_LABELS)
        if rest is not None:
            started = True
            if rest:
                items.append(rest)
            continue
        if not started:
            continue
        if BULLET.match(t) or not items:
            items.append(t)
        else:
            items[-1] += " " + t
    return [s for s in (strip_item(x) for x in items) if s]


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
        else:
            tail = flow_closing(doc, items)
            left_blocks = [b for _, b in tail if b.x0 < doc.body_center]
            right_blocks = [b for _, b in tail if b.x0 >= doc.body_center]
            doc.consumed.update(i for i, _ in tail)
        if part.id == 0:
            right = [b.text for b in right_blocks]
            left = [without_side_note(b) for b in left_blocks]
            doc.result.metadata.distribution = lines_to_distribution(left)
            lines = [upper_prefix(ln.text) for b in right_blocks for ln in b.lines]
            done = restore_deputy_block(lines)[1]  # a block of several lines hides the pattern
            doc.result.metadata.signer = lines_to_signer(lines if done else right)
            if done:
                doc.warn("ocr-repair", "signer block: 'KT.' and 'PHÓ' restored (hidden by a seal or signature)",
                         field_="signer.title")
            signer = doc.result.metadata.signer
            for key in ("name", "title", "authority"):
                value = getattr(signer, key)
                source = [b for b in right_blocks if value and fold(value.split()[-1]) in fold(b.text)]
                doc.note_confidence([f"signer.{key}"], source[-1:])
            if doc.result.metadata.distribution:
                doc.note_confidence(["distribution"], left_blocks)
    return doc
