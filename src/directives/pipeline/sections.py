"""sections: the numbered tree of every part, and the body text outside it.

Reads: full-width text blocks of each part not used by header/closing. Writes: `sections`
(number, level, title, text, bullets, pages, parent) and `parts[].text`.
Headings are found by their numbering (Phần/Chương/Điều, I., 1., 1.1., a)) and their style
(bold, upper case, short, or a "label:" form), never by known titles. Levels follow the
numbering styles present in the part, in the usual order of Vietnamese directives.
"""

from __future__ import annotations

import re
from collections import Counter

from directives.knowledge import ROMAN_LOOKALIKES, roman_to_int
from directives.pipeline.document import Block, Document
from directives.pipeline.patterns import BULLET, is_upper
from directives.schemas import Section

HEADING = re.compile(
    r"^(?P<num>(?:Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC)\s+(?:[IVXLC]+|\d{1,2})\b|(?:Điều|ĐIỀU)\s+\d{1,3}\b"
    r"|[IVXLC]{1,6}(?=[.\-–)/])|\d{1,2}(?:\.\d{1,2}){0,3}(?=[.)/]|\s)|[a-zđ](?=\)))"
    r"(?P<punct>\s*[.:)\-–/]*)\s*(?P<rest>.*)$",
    re.DOTALL,
)
# numbering styles, outermost first
STYLE_ORDER = ("part", "chapter", "section", "roman", "article", "arabic", "arabic2", "arabic3", "arabic4", "alpha")
MAX_TITLE_WORDS = 30
QUOTED = re.compile(r'^[“"«][^“”"«»]+[”"»]\.?$')


def number_style(num: str) -> str | None:
    head = num.split()[0].casefold()
    if head == "phần":
        return "part"
    if head == "chương":
        return "chapter"
    if head == "mục":
        return "section"
    if head == "điều":
        return "article"
    if num[0].isdigit():
        return ("arabic", "arabic2", "arabic3", "arabic4")[num.count(".")]
    if num.isupper() and roman_to_int(num):
        return "roman"
    if len(num) == 1 and num.isalpha():
        return "alpha"
    return None


def block_to_heading(b: Block) -> tuple[str, str, str] | None:
    """(number, title, remaining text) when block `b` opens a section, else None."""
    m = HEADING.match(b.text)
    if not m:
        return None
    num, punct, rest = m.group("num"), m.group("punct").strip(), m.group("rest").strip()
    style = number_style(num)
    if style is None or (style == "roman" and not punct) or (style == "alpha" and not b.bold):
        return None
    if not rest and style not in ("article", "part", "chapter", "section"):
        return None
    if style == "article" and (len(rest.split()) > 12 or rest.endswith((".", ":", ";", ","))):
        return num, "", rest  # 'Điều 1: Thành lập Hội đồng …, gồm:': an article without a title
    if b.bold:
        bold_words = [w.text for ln in b.lines for w in ln.words if w.bold]
        if len(bold_words) == sum(len(ln.words) for ln in b.lines):
            return num, rest, ""
        title = " ".join(bold_words)
        prefix = m.group("num") + m.group("punct")
        title = title[len(prefix):].strip() if title.startswith(prefix.strip()) else title
        if title and rest.startswith(title):
            return num, title, rest[len(title):].strip()
    if ":" in rest[:120]:
        title, _, body = rest.partition(":")
        if QUOTED.match(body.strip()):  # '1. Chủ đề công tác: “Năm Thanh niên tình nguyện”': all title
            return num, rest, ""
        return num, title.strip() + ":", body.strip()
    short = len(rest.split()) <= MAX_TITLE_WORDS and not rest.endswith((";", ","))
    if is_upper(rest) or b.bold or short and style in ("roman", "part", "chapter", "section", "article"):
        return num, rest, ""
    if short and len(b.lines) <= 2 and not rest.endswith(".") and style.startswith("arabic"):
        return num, rest, ""  # no bold to go by (OCR, plain text): a short unpunctuated numbered line
    return None


def numbered_style(b: Block) -> str | None:
    """The numbering style a block opens with, heading or not."""
    m = HEADING.match(b.text)
    return number_style(m.group("num")) if m else None


def consistent_headings(body: list[tuple[int, Block]]) -> dict[int, tuple[str, str, str]]:
    """Headings by block id; a style whose numbered blocks are mostly plain paragraphs has none."""
    heads = {i: h for i, b in body if (h := block_to_heading(b))}
    total = Counter(numbered_style(b) for _, b in body)
    kept = Counter(number_style(h[0]) for h in heads.values())
    return {i: h for i, h in heads.items() if 2 * kept[number_style(h[0])] >= total[number_style(h[0])]}


def in_body(doc: Document, i: int, b: Block) -> bool:
    """Body paragraphs, and headings printed in the left column of an unruled layout in the body."""
    if b.kind != "text" or i in doc.consumed:
        return False
    return b.zone == "full" or b.zone == "left" and b.x0 > doc.body_left + 8 and block_to_heading(b) is not None


_LOOKALIKE = re.compile(r"^(?P<tok>[IVXLlHU|1]{1,4})(?P<rest>[.:)\-–]\s*\S.*)$", re.DOTALL)


def _roman_value(token: str) -> int | None:
    """The number a heading token stands for as printed, or as an OCR look-alike ('H' → 2)."""
    if token in ROMAN_LOOKALIKES:
        return roman_to_int(ROMAN_LOOKALIKES[token])
    return roman_to_int(token) if token.isupper() and token.isalpha() else None


def _int_to_roman(n: int) -> str:
    out = ""
    for v, r in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + r, n - v
    return out


def read_roman_lookalikes(doc: Document, body: list[tuple[int, Block]]) -> None:
    """On OCR text, the part's roman heading numbers read in sequence: 'L. Mục tiêu', 'H. Nội dung',
    'HI. Tổ chức' → 'I.', 'II.', 'III.'; a number one off the expected one ('IH' where II is due,
    'II' again where III is due: a roman sequence neither skips nor repeats); a first '1.' when the
    sequence goes on at II or III (I read as 1). Each reading is recorded as a warning."""
    found = [(b, m) for _, b in body if (m := _LOOKALIKE.match(b.text))]
    expected = 1
    for k, (b, m) in enumerate(found):
        token = m.group("tok")
        value = _roman_value(token)
        if token.isupper() and token.isalpha() and roman_to_int(token) == expected:
            expected += 1
            continue
        ocr = any(w.conf < 1.0 for ln in b.lines for w in ln.words)
        if not ocr:
            continue
        later = [_roman_value(t.group("tok")) for _, t in found[k + 1:]]
        first_as_one = token == "1" and expected == 1 and any(v in (2, 3) for v in later if v)
        if value == expected or (value is not None and abs(value - expected) == 1 and expected > 1) or first_as_one:
            roman = _int_to_roman(expected)
            doc.warn("ocr-heading-number", f"heading number {token!r} read as {roman!r}: {b.text[:60]!r}",
                     page=b.page)
            b.text = roman + m.group("rest")
            expected += 1


def sections(doc: Document) -> Document:
    out: list[Section] = []
    for part in doc.result.parts:
        body = [(i, b) for i, b in doc.part_blocks(part.id) if in_body(doc, i, b)]
        read_roman_lookalikes(doc, body)
        heads = consistent_headings(body)
        styles = {number_style(h[0]) for h in heads.values()}
        levels = {s: n + 1 for n, s in enumerate(s for s in STYLE_ORDER if s in styles)}
        stack: list[Section] = []
        preamble: list[str] = []
        current: Section | None = None
        for i, b in body:
            if i in heads:
                num, title, rest = heads[i]
                level = levels[number_style(num)]
                while stack and stack[-1].level >= level:
                    stack.pop()
                current = Section(id=f"p{part.id}-s{len(out) + 1}", parent_id=stack[-1].id if stack else None,
                                  part=part.id, number=num, level=level, title=title, text=rest,
                                  pages=list(b.pages))
                out.append(current)
                stack.append(current)
                continue
            if current is None:
                preamble.append(b.text)
                continue
            current.text = f"{current.text}\n{b.text}" if current.text else b.text
            if BULLET.match(b.text):
                current.bullets.append(BULLET.sub("", b.text, count=1).strip())
            current.pages = sorted(set(current.pages) | set(b.pages))
        part.text = "\n".join(preamble)
    doc.result.sections = out
    return doc
