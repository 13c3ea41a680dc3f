"""header: the header fields of every part and the document metadata.

Reads: blocks of each part (its first two-column region, the title block under it, "Kính gửi").
Writes: parts[].type/title/subject/reference/place/date/marks; metadata fields regime_header …
recipients from part 0; marks the blocks it used in `doc.consumed`.
"""

from __future__ import annotations

import datetime as dt
import re

from rapidfuzz.distance import Levenshtein

from directives.knowledge import (
    BODY_HEADS,
    DEPARTMENTS,
    LOCALITY_PREFIXES,
    MARKS,
    PARENT_PREFIXES,
    PROVINCES_34,
    PROVINCES_63,
    RECIPIENT_LABELS,
    REGIME_HEADERS,
    WRAP_ENDINGS,
    type_from_name,
    type_from_symbol,
)
from directives.patterns import (
    BULLET,
    EDGE_MARKS,
    NUMBER_LINE,
    PARAGRAPH_OPENER,
    SUBJECT_LINE,
    SYMBOL_ONLY,
    is_noise,
    is_upper,
    parse_date_line,
    parse_reference,
    repair_phrases,
    strip_item,
    strip_label,
    symbol_by_initials,
    symbol_hyphen_restored,
    type_code_of_lookalikes,
    type_code_undoubled,
    type_code_unstroked,
)
from directives.pipeline.document import Block, Document, join_texts, size_tolerance
from directives.pipeline.stage import Stage
from directives.schemas import Metadata
from directives.vntext import fold

_REGIMES = tuple(fold(r) for r in REGIME_HEADERS)
_MARKS = {fold(m): m for m in MARKS}




def org_text(text: str) -> str | None:
    """A header line naming a body, without what a scan put at its edges (', SỞ Y TẾ' → 'SỞ Y TẾ');
    None for a line that names nothing (a stray mark or a smudge read as 'v4', '-®')."""
    core = text.strip(EDGE_MARKS)
    if sum(c.isalpha() for c in core) < 3 or not is_upper(core):
        return None
    return " ".join(_GLUED_PLACES.get(w, w) for w in core.split())


# a province's name whose space OCR lost ('VĨNHLONG'): no other word of a header spells it
_GLUED_PLACES = {p.upper().replace(" ", ""): p.upper() for p in (*PROVINCES_63, *PROVINCES_34) if " " in p}


_FOLDED = {k: tuple(dict.fromkeys(fold(p) for p in v))
           for k, v in (("locality", LOCALITY_PREFIXES), ("parent", PARENT_PREFIXES), ("body", BODY_HEADS))}


def names_locality(text: str) -> bool:
    """'TỈNH BÌNH DƯƠNG' completes the body above it; 'TỈNH ĐOÀN …', 'HUYỆN ỦY …' are bodies themselves.
    Compared without diacritics: OCR reads a header's capitals with other marks ('TRƯƠNG', 'TÍNH')."""
    key = fold(text)
    return key.startswith(_FOLDED["locality"]) and not key.startswith(_FOLDED["parent"])


def opens_body(text: str) -> bool:
    """Does a header line open a body's name (not go on with the one above)?"""
    return (fold(text) + " ").startswith(_FOLDED["body"]) and not names_locality(text)


_HEADS = sorted(((fold(h), h.strip()) for h in BODY_HEADS), key=lambda kv: -len(kv[0]))


def head_as_printed(name: str) -> str:
    """A body's name whose opening words OCR read with other marks → opened as printed ('TRƯƠNG ĐH
    DUY TÂN' → 'TRƯỜNG ĐH DUY TÂN'): the words that open a body's name are a closed list."""
    if (name + " ").startswith(BODY_HEADS):
        return name  # as printed, in either spelling ('ỦY BAN', 'UỶ BAN')
    key = fold(name) + " "
    for folded, head in _HEADS:
        if key.startswith(folded if folded.endswith(" ") else folded + " "):
            n = len(head.split())
            return " ".join([*head.split(), *name.split()[n:]])
    return name


_DEPARTMENT_KEYS = {fold(d): d for d in DEPARTMENTS}
_PROVINCES_NAMED = {fold(f"{level} {p}") for level in ("tỉnh", "thành phố", "tp") for p in (*PROVINCES_63, *PROVINCES_34)}


def is_place_only(name: str) -> bool:
    """A province named with its level and nothing before it ('TỈNH QUẢNG NGÃI'): the tail of a
    council's name whose first line OCR lost ("ỦY BAN NHÂN DÂN"), no body of its own ('TỈNH ỦY' and
    'TỈNH ĐOÀN' are)."""
    return fold(" ".join(name.replace(".", " ").split())) in _PROVINCES_NAMED


def department_completed(name: str) -> str:
    """A department's or ministry's name as the closed list (`DEPARTMENTS`) spells it, when OCR cut it
    short of its last word ('SỞ Y' → 'SỞ Y TẾ': the words read open exactly one name, and only its
    last word is missing) or read one letter more, less or other in it ('SỞ VY TẾ' → 'SỞ Y TẾ': one
    name only, of three words or more, a letter away; 'HỘ Y TẾ' is as far from BỘ Y TẾ). Else as read."""
    words = name.split()
    if len(words) < 2 or fold(name) in _DEPARTMENT_KEYS:
        return name
    longer = [d for d in DEPARTMENTS if d.split()[:len(words)] == words and len(d.split()) > len(words)]
    if len(longer) == 1 and len(longer[0].split()) == len(words) + 1:
        return longer[0]
    if len(words) < 3:
        return name
    key = fold(name)
    close = [d for k, d in _DEPARTMENT_KEYS.items() if Levenshtein.distance(key, k) <= 1]
    return close[0] if len(close) == 1 else name


def group_names(texts: list[str]) -> list[str]:
    """Left-column lines → the bodies they name, a name wrapped over lines joined: 'ỦY BAN NHÂN DÂN' /
    'THÀNH PHỐ HỒ CHÍ MINH' / 'SỞ TƯ PHÁP' → ['ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH', 'SỞ TƯ PHÁP']."""
    names: list[str] = []
    for t in texts:
        if names and (names[-1].upper().endswith(WRAP_ENDINGS) or not opens_body(t)):
            names[-1] += " " + t
        else:
            names.append(t)
    return names


def lines_to_orgs(blocks: list[Block], styled: bool = True) -> tuple[str | None, str | None]:
    """Left-column lines above the number line → (parent_organization, issuer). With `styled` (a text
    layer, whose bold and sizes are exact) a change of style separates the parent from the issuer;
    otherwise (OCR) the words that open a body's name do: the last body named is the issuer."""
    if not blocks:
        return None, None
    runs: list[list[Block]] = []
    for b in blocks:
        if runs and runs[-1][-1].bold == b.bold and abs(runs[-1][-1].size - b.size) < 0.6:
            runs[-1].append(b)
        else:
            runs.append([b])

    def join(bs: list[Block]) -> str:
        return " ".join(" ".join(x.text for x in bs).split())

    if styled and len(runs) >= 2:
        return join(runs[0]), join([b for r in runs[1:] for b in r])
    names = group_names([" ".join(b.text.split()) for b in blocks])
    if not styled:  # OCR repaired phrases line by line: 'THÀNH' / 'PHO HÀ NỘI' is one, "THÀNH PHỐ HÀ NỘI"
        names = [head_as_printed(" ".join(repair_phrases(n.split())[0])) for n in names]
    if len(names) >= 2:
        return " ".join(names[:-1]), names[-1]
    return None, names[0]


_LONE_MARK = re.compile(r"(?<=\s)[\\|¦~^`]+(?=\s)")  # a scan's stroke read as a mark between two words


_LEAD_JUNK = " ,.;:_|\\~^`"  # a speck read before the subject's first word
_GLUED_VE_VIEC = re.compile(r"^V[eềế]việc\s*")  # "Vềviệc": OCR lost the space
_VE_VIEC = re.compile(r"(?<!\w)Về việc\b")  # a title block's subject opens so, capitalised


def subject_text(text: str) -> str | None:
    """A subject as printed, without its label ("V/v"; "Về việc" stays, as titles print it), quotes,
    closing full stop, and marks a scan's strokes left between words."""
    text = " ".join(_LONE_MARK.sub(" ", text).split()).lstrip(_LEAD_JUNK)
    text = _GLUED_VE_VIEC.sub("Về việc ", text, count=1)
    opening = _VE_VIEC.search(text)
    before = text[:opening.start()].split() if opening else []
    if opening and before and len(before) <= 12 and all(not w[:1].islower() for w in before):
        text = text[opening.start():]  # a stamp's words read into the title's line ("ĐẾN TH Về việc …")
    if SUBJECT_LINE.match(text) and not fold(text).startswith("ve viec"):
        text = SUBJECT_LINE.sub("", text, count=1)
    text = text.strip()
    first, _, rest = text.partition(" ")
    if fold(rest).startswith("viec ") and len(fold(first)) == 2 and fold(first)[0] == "v" and fold(first) != "ve":
        text = f"Về {rest}"  # OCR's 'và việc', 'vẻ việc': no subject opens otherwise than "Về việc"
    if fold(text).startswith("ve viec") and text[0].islower():
        text = text[0].upper() + text[1:]  # a title's subject opens "Về việc": a scan's 'v' is a small V
    if text.endswith(")") and "(" not in text:
        text = text[:-1].rstrip()  # '(V/v …)': the label and the subject in brackets
    if len(text) > 1 and text[0] in '"“' and text[-1] in '"”' and not any(q in text[1:-1] for q in '"“”'):
        text = text[1:-1].strip()  # quoted whole; a quoted name inside keeps its quotes
    if text.endswith(".") and not text.endswith(("./.", "..", "v.v.")):
        text = text[:-1].rstrip()
    return text or None


def header_tail(doc: Document, items: list[tuple[int, Block]], after: int) -> list[tuple[int, Block]]:
    """Header lines that a skewed scan or a long date line set apart from the two-column region: the
    place-and-date line, the number line, a "V/v" subject and its narrow continuation lines, just
    under the region and before any title, "Kính gửi" or body text."""
    out: list[tuple[int, Block]] = []
    subject = False
    for bid, b in items:
        if bid <= after:
            continue
        if b.kind != "text" or len(b.lines) > 4:
            break
        text = b.text
        narrow = max(ln.x1 for ln in b.lines) < doc.body_center + 0.25 * (doc.body_center - doc.body_left)
        if parse_date_line(text)[2] or NUMBER_LINE.match(text) and "/" in text:
            out.append((bid, b))
        elif SUBJECT_LINE.match(text) and narrow and not b.upper:
            out.append((bid, b))
            subject = True
        elif subject and narrow and not PARAGRAPH_OPENER.match(text) and strip_label(text, RECIPIENT_LABELS) is None:
            out.append((bid, b))
        else:
            break
    return out


def title_block(items: list[tuple[int, Block]], after: int, region: list[tuple[int, Block]]) -> tuple[int, str] | None:
    """The first full-width block after the header that is a document-type title ('KẾ HOẠCH', 'PHỤ LỤC II');
    or a line of the header's columns that is nothing but a type name (a title the scan's layout
    put beside the regime header)."""
    for bid, b in region:
        if b.upper and type_from_name(b.text):
            return bid, type_from_name(b.text) or ""
    for bid, b in [(i, b) for i, b in items if i > after][:6]:
        if b.kind != "text" or b.zone != "full":
            continue
        words = b.text.split()
        for n in (len(words), len(words) - 1, 2, 3):
            if 0 < n <= len(words) and b.upper and type_from_name(" ".join(words[:n])):
                return bid, type_from_name(" ".join(words[:n])) or ""
    return None


def subject_blocks(doc: Document, items: list[tuple[int, Block]], after: int) -> list[int]:
    """Centred lines under a title block: the subject (stops at a change of style)."""
    out: list[int] = []
    for bid, b in items:
        if bid <= after or b.kind != "text":
            continue
        if b.zone != "full":
            if out and stamp_beside(doc, doc.blocks[out[-1]], b):
                out.append(bid)
                if len(out) == 3:
                    break
            continue
        if is_noise(b.text):
            if out:
                break
            continue
        if out and margin_piece(doc, b):
            continue
        if strip_label(b.text, RECIPIENT_LABELS) is not None or PARAGRAPH_OPENER.match(b.text):
            break
        first = doc.blocks[out[0]] if out else b
        # a bold line as wide as the text under a bold first line goes on with it (a long subject)
        # a long subject set bold across the full width wraps into more lines than a short one; a
        # paragraph under the title is not bold (on a scan, where OCR guesses the weight, it stays out)
        long_bold = b.bold and len(b.lines) <= 6 and doc.pages[b.page - 1].source == "text"
        wide_bold = bool(out) and b.bold and first.bold and (len(b.lines) <= 2 or long_bold) \
            and abs(_xc(b) - doc.body_center) <= 25
        if not doc.centered(b) and not wide_bold and (out or len(b.lines) > 3 and not lines_centred(doc, b)
                                                      and not long_bold or b.text.endswith((":", ";"))):
            break  # the first block under the title is the subject even when it fills the width
        if out:
            pg = doc.pages[b.page - 1]
            tol = size_tolerance(pg)
            # OCR tells bold by stroke width, line by line: on a scan a centred line right under the
            # subject's last one goes on with it whatever its weight
            weight_kept = first.bold == b.bold or (pg.source == "ocr" and close_below(doc.blocks[out[-1]], b))
            if not weight_kept or abs(first.size - b.size) > tol or (b.upper and not first.upper):
                break
        out.append(bid)
        if len(out) == 3:
            break
    return out


def margin_piece(doc: Document, b: Block) -> bool:
    """A few characters in the left margin beside a subject ("ẾN", "Đ"): a stamp's piece, neither the
    subject's end nor its next line."""
    return doc.pages[b.page - 1].source == "ocr" and b.x0 < doc.body_left - 10 and len(b.text.split()) <= 2 \
        and len(b.text) <= 6


def stamp_beside(doc: Document, last: Block, b: Block) -> bool:
    """A scan's subject line set in a column by a stamp printed beside it in the margin (a received
    stamp, "ĐẾN …"): centred on the body, right under the subject's last line, in its case."""
    return doc.pages[b.page - 1].source == "ocr" and len(b.lines) == 1 and doc.centered(b) \
        and close_below(last, b) and not b.upper and not is_noise(b.text) and b.text[:1].islower()


def lines_centred(doc: Document, b: Block, tol: float = 25.0, most: int = 6) -> bool:
    """Every line of `b` centred on the body, some short of its left margin: a title's subject
    wrapped over several lines, not a paragraph (whose last line ends short at the left)."""
    return len(b.lines) <= most and all(abs(ln.xc - doc.body_center) <= tol for ln in b.lines) \
        and any(ln.x0 > doc.body_left + 10 for ln in b.lines)


def _xc(b: Block) -> float:
    return (min(ln.x0 for ln in b.lines) + max(ln.x1 for ln in b.lines)) / 2


def rule_under(items: list[tuple[int, Block]], last: int) -> list[int]:
    """The separator line ('-----', '***') printed right under the title block, if any."""
    nxt = next(((i, b) for i, b in items if i > last), None)
    return [nxt[0]] if nxt and nxt[1].kind == "text" and is_noise(nxt[1].text) else []


def item_of(b: Block) -> tuple[str, bool]:
    """A recipient item's text from its block, up to the line that closes it (';' or '.'), and whether
    that is the whole block: the body text after the list's last item may share its paragraph."""
    for k, ln in enumerate(b.lines[:-1]):
        if ln.text.rstrip().endswith((";", ".")) and not BULLET.match(b.lines[k + 1].text):
            return join_texts(x.text for x in b.lines[:k + 1]), False
    return b.text, True


def close_below(a: Block, b: Block) -> bool:
    """Is `b` the next line under `a` (same page, no paragraph's gap between them)?"""
    return a.page == b.page and b.y0 - a.lines[-1].y1 <= 1.2 * max(a.lines[-1].height, 1.0)


def recipients_of(doc: Document, items: list[tuple[int, Block]]) -> list[str]:
    """'Kính gửi: X.' → [X]; 'Kính gửi:' followed by '- A;' '- B.' → [A, B].

    Lines of the other column of the label's region are skipped; a line under an unfinished item
    (no ';' or '.' yet) continues it when it hangs past the bullet or opens in lower case.
    """
    for k, (bid, b) in enumerate(items):
        rest = strip_label(b.text, RECIPIENT_LABELS) if b.kind == "text" else None
        if rest is None:
            continue
        doc.consumed.add(bid)
        found = [rest] if rest else []
        if rest.endswith(".") and not BULLET.match(rest):
            return [f for f in [strip_item(rest)] if names_someone(f)]  # one recipient, closed by a full stop
        bullet_x = bullet_x_of(b) if rest and BULLET.match(rest) else None
        last = b
        for bid2, nxt in items[k + 1:]:
            if b.region >= 0 and nxt.region == b.region and nxt.zone != b.zone \
                    and (nxt.page != b.page or nxt.y0 < b.y0 - 0.5 * b.lines[0].height):
                continue  # the other column above the label: the regime header, the date
            if nxt.kind != "text":
                break
            unfinished = bool(found) and not found[-1].rstrip().endswith((";", "."))
            if BULLET.match(nxt.text):
                text, whole = item_of(nxt)
                found.append(text)
                bullet_x = nxt.x0
            elif unfinished and (bullet_x is not None and nxt.x0 >= bullet_x - 3 or nxt.text[:1].islower()) \
                    and not PARAGRAPH_OPENER.match(nxt.text) and close_below(last, nxt) and nxt.bold == last.bold:
                text, whole = item_of(nxt)
                found[-1] = join_texts([found[-1], text])  # the item goes on on the next line, hanging or not
            else:
                break
            last = nxt
            if whole:
                doc.consumed.add(bid2)
            if found[-1].rstrip().endswith(".") or not whole:
                break
        return [f for f in (strip_item(x) for x in found) if names_someone(f)]
    return []


def bullet_x_of(b: Block) -> float | None:
    """Where the first item's bullet stands on the label's line: its own word ('Kính gửi: - A;'), or
    glued to the label when the label and the items stand in two cells side by side ('gửi:-'),
    placed a character's width early (the characters' widths are not known)."""
    for w in b.lines[0].words:
        if BULLET.fullmatch(w.text):
            return w.x0
        k = w.text.find(":")
        if 0 <= k < len(w.text) - 1 and BULLET.fullmatch(w.text[k + 1:]):
            return w.x0 + (w.x1 - w.x0) * k / len(w.text)
    return None


def names_someone(item: str) -> bool:
    """A recipient has words: a form's blank ("Kính gửi: ………………") has only leaders and OCR specks."""
    return sum(c.isalpha() for c in item) >= 2


def header(doc: Document) -> Document:
    for part in doc.result.parts:
        items = doc.part_blocks(part.id)
        if not items:
            continue
        first_region = items[0][1].region
        region = [(i, b) for i, b in items if first_region >= 0 and b.region == first_region]
        if region:
            region += header_tail(doc, items, max(i for i, _ in region))
        top = region or [(i, b) for i, b in items[:8] if b.kind == "text"]
        fields = read_header(doc, top)
        after = max((i for i, _ in region), default=items[0][0] - 1)
        title = title_block(items, after, region)
        if title:
            doc.consumed.add(title[0])
            part.title = doc.blocks[title[0]].text
            after = max(after, title[0])
        subj_ids = subject_blocks(doc, items, after) if title else []
        doc.consumed.update(subj_ids)
        if title:
            doc.consumed.update(rule_under(items, max([title[0], *subj_ids])))
        doc.consumed.update(i for i, _ in region)
        under = join_texts(doc.blocks[i].text for i in subj_ids)
        if fields.subject and fold(fields.subject).startswith("ve viec") and under[:1].islower():
            # a title's subject that a stamp beside it set in the header's column goes on under it
            fields.subject = subject_text(f"{fields.subject} {under}")
        part.subject = fields.subject or subject_text(under)
        part.type = (title[1] if title else None) or type_from_symbol(fields.symbol) \
            or ("Công văn" if fields.subject else None)
        part.reference, part.place, part.date = fields.reference, fields.place, fields.date
        part.marks = [m for _, b in top if (m := _MARKS.get(fold(b.text).strip(" .:")))]
        if part.id == 0:
            fields.type, fields.subject = part.type, part.subject
            fields.recipients = recipients_of(doc, items)
            doc.result.metadata = fields
            if title:
                doc.note_confidence(["type"], [doc.blocks[title[0]]])
            if subj_ids and fields.subject:
                doc.note_confidence(["subject"], [doc.blocks[i] for i in subj_ids])
    return doc


_REGIME_WORDS = tuple(fold(r).split() for r in REGIME_HEADERS)


def _regime_prefix(text: str) -> bool:
    """The first words, not all, of a regime header: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT'."""
    words = fold(text).split()
    return bool(words) and any(len(words) < len(r) and r[:len(words)] == words for r in _REGIME_WORDS)


def _completes(head: Block, text: str) -> bool:
    """Does `text`, printed under `head`, finish the regime header or the date line `head` starts?"""
    joined = f"{head.text} {text}"
    if _regime_prefix(head.text):
        return fold(joined).startswith(_REGIMES) or _regime_prefix(joined)
    _, head_iso, head_ok = parse_date_line(head.text)
    _, iso, ok = parse_date_line(joined)
    # a date line cut before its year names only its place: joined, it gives the date too
    return "thang" in fold(head.text) and ok and (not head_ok or head_iso is None and iso is not None)


def rejoin_wrapped(blocks: list[Block]) -> list[Block]:
    """Header lines a narrow column (or a wider font) wrapped, joined again: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA
    VIỆT' + 'NAM', 'Hà Nội, ngày 9 tháng 8 năm' + '2013'. The rest of the line is the nearest line
    below it, in either column (a tab-aligned header wraps to the left margin)."""
    out = list(blocks)
    for head in blocks:
        if head not in out or not (_regime_prefix(head.text) or "thang" in fold(head.text)):
            continue
        merged = head
        while True:
            height = max(merged.lines[-1].height, 1.0)
            below = [c for c in out if c is not merged and c.page == merged.page and c.lines
                     and 0 <= c.y0 - merged.lines[-1].y1 <= 1.6 * height]
            nxt = next((c for c in sorted(below, key=lambda c: (c.zone != merged.zone, c.y0, abs(c.x0 - merged.x0)))
                        if _completes(merged, c.text)), None)
            if nxt is None:
                break
            joined = Block("text", merged.page, merged.zone, [*merged.lines, *nxt.lines], f"{merged.text} {nxt.text}",
                           merged.region, pages=merged.pages)
            out[out.index(merged)] = joined
            out.remove(nxt)
            merged = joined
    return out


def regime_of(text: str, ocr: bool) -> str | None:
    """The regime header a line is: as printed, or on a scan with a letter or two OCR misread in its
    words ('… CHỦ NGHĨA YIỆT NAM'), the header's own words put back."""
    if fold(text).startswith(_REGIMES):
        return text
    words = text.split()
    if not ocr or not is_upper(text):
        return None
    for regime in REGIME_HEADERS:
        known = regime.split()
        if len(known) == len(words):
            keys = [(fold(w), fold(k)) for w, k in zip(words, known, strict=True)]
            if sum(Levenshtein.distance(a, b) for a, b in keys) <= 2 and sum(a != b for a, b in keys) <= 1:
                return " ".join(w if a == b else k for w, k, (a, b) in zip(words, known, keys, strict=True))
    return None


def place_as_named(place: str, names: list[str]) -> str:
    """A scan's place spelled as the header's body names it ('Kiến Giang' under 'UBND TỈNH KIÊN GIANG'
    → 'Kiên Giang'): the place of a directive is the locality its issuer is named after."""
    key = fold(place).split()
    for name in names:
        words = name.split()
        for i in range(len(words) - len(key) + 1):
            span = words[i:i + len(key)]
            if [fold(w) for w in span] == key:
                if " ".join(span).lower() == place.lower():
                    return place  # the same words: the date line's own capitals stand
                return " ".join(w.capitalize() for w in span) if is_upper(" ".join(span)) else " ".join(span)
    return place


_GARBLED_LABEL = re.compile(r"^\S{0,6}/\S{0,3}\s+(?=\w)")  # "V/v" read as "-W/\\-", "V/y"


def unlabelled_subject(b: Block) -> bool:
    """A left-column line under the number line that is running text, not a body's name: the subject
    whose "V/v" is missing or was misread ('Về Chương trình …', '-W/\\- bàn giao tài sản …')."""
    return not b.upper and sum(c.isalpha() for c in b.text) >= 8


def read_header(doc: Document, top: list[tuple[int, Block]]) -> Metadata:
    """Fields of one header region (left: bodies, number, V/v; right: regime header, date)."""
    meta = Metadata()
    blocks = rejoin_wrapped([b for _, b in top])
    left = [b for b in blocks if b.zone in ("left", "full") and not is_noise(b.text)]
    right = [b for b in blocks if b.zone in ("right", "full") and not is_noise(b.text)]
    used: dict[tuple[str, ...], list[Block]] = {}  # fields → the blocks they were read from
    for b in right + left:
        if meta.regime_header is None and (regime := regime_of(b.text, ocr=doc.pages[b.page - 1].source == "ocr")):
            meta.regime_header = regime
            used[("regime_header",)] = [b]
        place, iso, ok = parse_date_line(b.text)
        if ok and iso and not 1945 <= int(iso[:4]) <= dt.date.today().year + 1:
            doc.warn("date-implausible", f"date line names a year no directive can have: {b.text!r}",
                     page=b.page, field_="date")
            iso = None  # a year OCR misread ("2078")
        if ok and meta.place is None:
            meta.place, meta.date = place, iso
            used[("place", "date")] = [b]
            if iso is None:
                doc.warn("date-unreadable", f"date line without a legible day or month: {b.text!r}",
                         page=b.page, field_="date")
    orgs: list[Block] = []
    number_seen = False
    subject: list[str] = []
    for b in left:
        text = b.text
        if fold(text).startswith(_REGIMES) or parse_date_line(text)[2] or fold(text) in _MARKS:
            continue
        if not number_seen and (NUMBER_LINE.match(text) and ("/" in text or "-" in text) or SYMBOL_ONLY.match(text)):
            meta.reference, meta.number, meta.symbol = parse_reference(text)
            used[("reference", "number", "symbol")] = [b]
            number_seen = True
            if meta.number is None and doc.pages[b.page - 1].source == "ocr":
                meta.reference = None  # a scan's number is written in by hand: erased with the ink, not blank
            if meta.number is None:
                doc.warn("number-unreadable" if meta.reference is None else "number-blank",
                         f"number line without a legible number: {text!r}", page=b.page, field_="number")
            continue
        if strip_label(text, RECIPIENT_LABELS) is not None:
            break
        if subject and margin_piece(doc, b):
            continue
        if subject or SUBJECT_LINE.match(text) or number_seen and unlabelled_subject(b):
            subject.append(text)
            used.setdefault(("subject",), []).append(b)
            continue
        if not number_seen and not subject and (name := org_text(text)) is not None:
            b.text = name
            orgs.append(b)
    styled = all(doc.pages[b.page - 1].source == "text" for b in orgs)
    meta.parent_organization, meta.issuer = lines_to_orgs(orgs, styled)
    if meta.issuer and not styled and is_place_only(meta.issuer):
        doc.warn("issuer-unreadable", f"issuer read only as its place {meta.issuer!r}", page=orgs[-1].page,
                 field_="issuer")
        meta.issuer = None
    if meta.issuer and not styled and (whole := department_completed(meta.issuer)) != meta.issuer:
        doc.warn("ocr-repair", f"issuer {meta.issuer!r} read as {whole!r}: the one department or ministry "
                 "it was read for", page=orgs[-1].page, field_="issuer")
        meta.issuer = whole
    if meta.place and not styled:
        meta.place = place_as_named(meta.place, [n for n in (meta.parent_organization, meta.issuer) if n])
    number_block = used.get(("reference", "number", "symbol"), [None])[0]
    if meta.symbol and number_block and doc.pages[number_block.page - 1].source == "ocr":
        fixed = symbol_by_initials(meta.symbol, [n for n in (meta.issuer, meta.parent_organization) if n])
        fixed = type_code_unstroked(type_code_of_lookalikes(type_code_undoubled(fixed)))
        fixed = symbol_hyphen_restored(fixed, [n for n in (meta.issuer, meta.parent_organization) if n])
        if fixed != meta.symbol:
            doc.warn("ocr-repair", f"symbol {meta.symbol!r} read as {fixed!r}: the issuer's initials or a "
                     "type code", page=number_block.page, field_="symbol")
            if meta.reference:
                meta.reference = meta.reference.replace(meta.symbol, fixed)
            meta.symbol = fixed
    if subject:
        text = " ".join(join_texts(t.strip() for t in subject).split())
        text = SUBJECT_LINE.sub("", text, count=1) if SUBJECT_LINE.match(text) else _GARBLED_LABEL.sub("", text, count=1)
        meta.subject = subject_text(text)
    used[("parent_organization", "issuer")] = orgs
    for names, blocks in used.items():
        conf = doc.ocr_confidence(blocks)
        if conf is not None:
            meta.confidence.update({n: conf for n in names if getattr(meta, n) is not None})
    return meta


STAGE = Stage("header", header, reads=("pages", "blocks", "spans", "body", "parts"), writes=("parts", "metadata", "consumed", "warnings"))
