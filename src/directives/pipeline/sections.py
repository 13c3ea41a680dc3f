"""sections: the numbered tree of every part, and the body text outside it.

Reads: full-width text blocks of each part not used by header/closing. Writes: `sections`
(number, level, title, text, bullets, pages, parent) and `parts[].text`.
Headings are found by their numbering (PHẦN THỨ NHẤT/Chương/Mục/Điều, A., I., 1., 1.1., 1-, 1/, a)),
read in sequence, and by their style (bold, upper case, short, alone on their line, or a "label:"
form), never by known titles. A run of numbered paragraphs (1, 2, 3 … under one heading) is a run
of headings when most of them look like headings or its first one is a heading alone on its line;
then its paragraphs without a title of their own are sections too (title "", their text). A run that
starts again at 1 under the same heading as a run of headings is a list in the last section. The
numbers that open the paragraphs right under an article with a title of its own are its clauses
(khoản), sections too. On OCR text, numbers misread are read from the sequence around them. Levels
follow the numbering styles present in the part, in the usual order of Vietnamese directives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from directives.knowledge import FAMILY_NAMES, HONORIFICS, roman_to_int
from directives.patterns import BULLET, is_upper
from directives.pipeline.document import Block, Document, join_lines
from directives.pipeline.numbering import (
    MAX_ROMAN,
    STYLE_ORDER,
    Numbering,
    int_to_roman,
    parse_numbering,
    roman_value,
)
from directives.pipeline.stage import Stage
from directives.schemas import Section

MAX_TITLE_WORDS = 30
QUOTED = re.compile(r'^[“"«][^“”"«»]+[”"»]\.?$')
LEADERS = re.compile(r"[.…_·]{4,}|…{2,}")  # dotted blanks of a form's field to fill in
DIVISIONS = ("part", "chapter", "section", "article")
MAX_LABEL_WORDS = 10  # a 'label: text' run in longer than this is a sentence with a colon in it
_DEGREES = re.compile(r"^(?:[A-ZĐ][A-Za-zĐđ0-9§]{0,4}\.\s*){1,3}")  # 'TS.BS.', 'ThS.', 'CN.' before a name


def is_ocr(b: Block) -> bool:
    for ln in b.lines:  # loops, not a generator: called for every block several times
        for w in ln.words:
            if w.conf < 1.0:
                return True
    return False


_JUNK = re.compile(r"^[.,'`‘’·:;]+\s*(?=[\dIVXLH])")  # specks OCR reads before a number: '.4. Thời gian'


def numbering(b: Block) -> Numbering | None:
    ocr = is_ocr(b)
    if ocr and (m := _JUNK.match(b.text)):
        return parse_numbering(b.text[m.end():], True)
    return parse_numbering(b.text, ocr)


def names_a_person(text: str) -> bool:
    """'Ông Nguyễn Văn An, Phó Giám đốc …', 'TS.BS. Đỗ Văn Tâm - Chủ tịch …': an entry of a list of people."""
    folded = text.casefold()
    for word in HONORIFICS:
        if folded.startswith(word + " "):
            text = text[len(word) + 1:]
            break
    else:
        text = _DEGREES.sub("", text, count=1)
    name = re.split(r"[,;(]|\s[-–]\s|\.\s", text, maxsplit=1)[0].split()
    return 2 <= len(name) <= 5 and name[0] in FAMILY_NAMES and all(w[:1].isupper() for w in name)


def heading_parts(b: Block, n: Numbering) -> tuple[str, str] | None:
    """(title, remaining text) when the numbered block `b` looks like a heading, else None."""
    style, rest = n.style, n.rest
    if (style == "alpha" and not b.bold) or (style == "letter" and not (b.bold or is_upper(rest) or upper_run(rest))):
        return None
    if not rest:
        return ("", "") if style in DIVISIONS else None
    if LEADERS.search(rest) or rest.endswith("?") or names_a_person(rest):
        return None  # a form's field to fill in ('1. Tên tổ chức: ………'), a question, a list of people
    if style == "article" and (len(rest.split()) > 12 or rest.endswith((".", ":", ";", ","))):
        return "", rest  # 'Điều 1: Thành lập Hội đồng …, gồm:': an article without a title
    if b.bold:
        words = [w for ln in b.lines for w in ln.words]
        bold_words = [w.text for w in words if w.bold]
        if len(bold_words) == len(words) or is_upper(rest) or len(words) - len(bold_words) <= 1:
            return rest, ""  # OCR weighs the strokes of every word: one light word does not end the title
        title = " ".join(bold_words)
        prefix = b.text[:len(b.text) - len(rest)].strip()
        title = title[len(prefix):].strip() if prefix and title.startswith(prefix) else title
        if title and rest.startswith(title):
            return title, rest[len(title):].strip()
    if ":" in rest[:120]:
        title, _, body = rest.partition(":")
        if QUOTED.match(body.strip()):  # '1. Chủ đề công tác: “Năm Thanh niên tình nguyện”': all title
            return rest, ""
        if body.strip() and len(title.split()) > MAX_LABEL_WORDS:
            return None
        return title.strip() + ":", body.strip()
    if style in ("part", "chapter", "section", "letter", "roman") and (run := upper_run(rest)):
        return run, rest[len(run):].strip()  # 'PHẦN IV. HOẠT ĐỘNG NHA HỌC ĐƯỜNG Phụ trách …': text run in
    short = len(rest.split()) <= MAX_TITLE_WORDS and not rest.endswith((";", ","))
    if is_upper(rest) or b.bold or short and style in ("roman", "letter", *DIVISIONS):
        return rest, ""
    if short and len(b.lines) <= 2 and not rest.endswith(".") and style.startswith("arabic"):
        return rest, ""  # no bold to go by (OCR, plain text): a short unpunctuated numbered line
    return None


def upper_run(text: str) -> str | None:
    """The capitals that open a text that goes on in lower case, when they are two words or more."""
    words = list(re.finditer(r"\S+", text))
    n = 0
    while n < len(words) and not any(c.islower() for c in words[n].group()):
        n += 1
    if n < 2 or n == len(words):
        return None
    run = text[:words[n - 1].end()]
    return run if is_upper(run) else None


def block_to_heading(b: Block) -> tuple[str, str, str] | None:
    """(number, title, remaining text) when block `b` looks like a heading on its own, else None."""
    n = numbering(b)
    parts = heading_parts(b, n) if n else None
    return (n.number, *parts) if n and parts else None


def in_body(doc: Document, i: int, b: Block) -> bool:
    """Body paragraphs, and numbered headings that a two-column stretch of the page (an unruled layout, a
    line OCR cut in two) put in its left column."""
    if b.kind != "text" or i in doc.consumed:
        return False
    left = doc.page_left.get(b.page, doc.body_left)
    return b.zone == "full" or b.zone == "left" and b.x0 > left - 12 and block_to_heading(b) is not None


def _line_pages(b: Block) -> list[int]:
    """The page of each line of a paragraph that may run over pages (y starts again at the top)."""
    pages, page = [], b.pages[0] if b.pages else b.page
    for k, ln in enumerate(b.lines):
        if k and ln.y0 < b.lines[k - 1].y0 - 40 and page in b.pages and b.pages.index(page) + 1 < len(b.pages):
            page = b.pages[b.pages.index(page) + 1]
        pages.append(page)
    return pages


_OPENS = re.compile(r"^(?:[IVXLHl|]{1,4}[.\-–]|\d{1,2}(?:\.\d{1,2}){0,3}(?:[./)]|\s*[-–])\s*)\s*\S")
_ENDS = (".", ";", ":", ",", "!", "?", ")")


def _opens_section(prev: str, text: str, ocr: bool, prev_short: bool = False) -> bool:
    """Does a line inside a paragraph open a numbered section? After a line that ends a sentence or a
    clause, or stops short of the margin, any number with its mark; else a division or roman number
    with a title in capitals."""
    n = parse_numbering(text, ocr)
    ends = prev.rstrip().endswith(_ENDS) or prev_short
    if n is None:
        return ends and ocr and re.match(r"^[IVXLHl|]{1,4}[.\-–]\s*[A-ZĐ]", text) is not None
    if n.style in (*DIVISIONS, "roman", "letter") and (is_upper(n.rest) or upper_run(n.rest)):
        return True
    return ends and (n.style in DIVISIONS or _OPENS.match(text) is not None)


def split_at_numbers(b: Block, short_end: float = float("inf")) -> list[Block]:
    """A paragraph cut before each of its lines that opens a numbered section ('…; ' / '2- Thời gian …',
    '… / PHẦN II. SỐ LIỆU'): layout joins such lines to the one above when they are not indented."""
    if b.zone != "full" or len(b.lines) < 2:
        return [b]
    pages = _line_pages(b)
    ocr = is_ocr(b)
    cuts = [k for k in range(1, len(b.lines))
            if _opens_section(b.lines[k - 1].text, b.lines[k].text, ocr, b.lines[k - 1].x1 < short_end)]
    if not cuts:
        return [b]
    out = []
    for start, end in zip([0, *cuts], [*cuts, len(b.lines)], strict=True):
        lines = b.lines[start:end]
        own = sorted(set(pages[start:end]))
        out.append(Block("text", own[0], b.zone, lines, join_lines(lines), b.region, None, own))
    return out


_LOOKALIKE = re.compile(r"^(?P<tok>[IVXLlHU|1]{1,4})(?P<rest>[.:)\-–]\s*\S.*)$", re.DOTALL)
_BARE = re.compile(r"^(?P<tok>[IVXLlHU|]{1,5})(?P<rest>\s+[A-ZĐ]\S*.*)$", re.DOTALL)


@dataclass
class _Roman:
    block: Block
    token: str
    rest: str
    value: int | None
    bare: bool  # no punctuation after the number ('VI Tổ chức thực hiện:')


def _romans(blocks: list[Block]) -> list[_Roman]:
    out = []
    for b in blocks:
        if m := _LOOKALIKE.match(b.text):
            out.append(_Roman(b, m.group("tok"), m.group("rest"), roman_value(m.group("tok")), False))
        elif b.bold and is_ocr(b) and (m := _BARE.match(b.text)) and len(b.lines) == 1:
            out.append(_Roman(b, m.group("tok"), "." + m.group("rest"), roman_value(m.group("tok")), True))
    return out


def _short_title(b: Block) -> bool:
    """A short title alone on its line (or in capitals, whatever OCR joined to it)."""
    parts = heading_parts(b, n) if (n := numbering(b)) else None
    return (parts is not None and len(parts[0].split()) <= 12
            and (len(b.lines) == 1 and parts[1] == "" or is_upper(parts[0]) and len(b.lines) <= 2))


def read_roman_lookalikes(doc: Document, blocks: list[Block]) -> None:
    """On OCR text, the part's roman heading numbers read in sequence: 'L. Mục tiêu', 'H. Nội dung',
    'HI. Tổ chức' → 'I.', 'II.', 'III.'; a number one off the expected one ('IH' where II is due, 'II'
    again where III is due: a roman sequence neither skips nor repeats); a first '1.' that is a short
    title alone on its line when the sequence goes on at II or III (I read as 1); a sequence whose
    beginning is lost ('H.', 'IH.', 'IV.' → II, III, IV); a bold number set like the roman headings before
    it, where the next is due, that repeats one of them or lost its dot ('VI Tổ chức' after VII). Each
    reading is recorded as a warning."""
    found = _romans(blocks)
    expected: int | None = None
    seen: list[_Roman] = []

    def read(r: _Roman, value: int) -> None:
        roman = int_to_roman(value)
        if roman != r.token or r.bare:
            doc.warn("ocr-heading-number", f"heading number {r.token!r} read as {roman!r}: {r.block.text[:60]!r}",
                     page=r.block.page)
            r.block.text = roman + r.rest
        seen.append(r)

    for k, r in enumerate(found):
        genuine = (r.token.isupper() and r.token.isalpha() and (roman_to_int(r.token) or 99) <= MAX_ROMAN
                   and not r.bare)
        ocr = is_ocr(r.block)
        later = [t.value for t in found[k + 1:] if t.value and not t.bare]
        if expected is None:
            if r.bare:
                continue
            one_read_as_1 = ocr and r.token == "1" and any(v in (2, 3) for v in later) and _short_title(r.block)
            if (r.value == 1 and (genuine or ocr)) or one_read_as_1:
                read(r, 1)
                expected = 2
            elif ocr and not genuine and later[:1] == [2] and r.token != "1":
                read(r, 1)  # 'IL.' where 'H.' (II) follows
                expected = 2
            elif r.value and r.value > 1 and later[:1] == [r.value + 1] and (genuine or ocr):
                read(r, r.value)  # the sequence's beginning is not on these pages
                expected = r.value + 1
            continue
        if genuine and r.value == expected:
            read(r, expected)
            expected += 1
            continue
        if not ocr or r.token == "1":
            continue
        if r.bare:
            last = seen[-1].block if seen else None
            if last is not None and last.bold and abs(r.block.x0 - last.x0) <= 8:
                read(r, expected)
                expected += 1
            continue
        if r.value == expected or (r.value is not None and abs(r.value - expected) == 1):
            read(r, expected)
            expected += 1


def letters_in_sequence(nums: dict[int, Numbering]) -> None:
    """'C.' after 'A.', 'B.' is the third lettered heading, not the roman one hundred."""
    last_letter = 0
    for k in sorted(nums):
        n = nums[k]
        if n.style == "letter":
            last_letter = n.value or 0
        elif n.style == "roman" and len(n.number) == 1 and n.number in "CDLVX":
            value = ord(n.number) - ord("A") + 1
            if last_letter and value == last_letter + 1:
                nums[k] = Numbering(n.number, "letter", value, n.punct, n.rest)
                last_letter = value


def divisions_in_sequence(blocks: list[Block], nums: dict[int, Numbering]) -> None:
    """On OCR text, a division's number between two of its style that are two apart is the one between
    ('PHẦN II.' between PHẦN II and PHẦN IV is PHẦN III: a lost stroke of 'III'); a text layer's numbers,
    and ordinals ('PHẦN THỨ HAI'), stand as printed. Parts, chapters, sections and articles run through
    the document's part. (The sections stage warns of every heading number read otherwise.)"""
    for style in DIVISIONS:
        run = [k for k in sorted(nums) if nums[k].style == style and nums[k].value is not None]
        for a, k, c in zip(run, run[1:], run[2:], strict=False):
            before, here, after = nums[a].value, nums[k].value, nums[c].value
            assert before is not None and here is not None and after is not None
            word, _, shown = nums[k].number.partition(" ")
            if after != before + 2 or here == before + 1 or " " in shown or not is_ocr(blocks[k]):
                continue
            shown = str(before + 1) if style == "article" else int_to_roman(before + 1)
            nums[k] = Numbering(f"{word} {shown}", style, before + 1, nums[k].punct, nums[k].rest)


def _standalone(b: Block, parts: tuple[str, str] | None) -> bool:
    """A heading alone on its line (or two): a title and nothing run in after it."""
    return parts is not None and parts[1] == "" and len(b.lines) <= 2 and len(parts[0].split()) <= 12


def _empty(k: int, nxt: int | None, parts: tuple[str, str] | None, n: Numbering, total: int) -> bool:
    """A numbered line with nothing of its own under it: the next line is the next number (or nothing)."""
    if parts is None:
        return LEADERS.search(n.rest) is not None
    return parts[1] == "" and k + 1 == (nxt if nxt is not None else total)


def accepted_headings(blocks: list[Block], nums: dict[int, Numbering]) -> dict[int, tuple[str, str, str]]:
    """Headings by block position, decided run by run, outer numbering styles first (a run's context is
    the last heading of an outer style before it)."""
    parts = {k: heading_parts(blocks[k], n) for k, n in nums.items()}
    out: dict[int, tuple[str, str, str]] = {}
    for style in STYLE_ORDER:
        runs: list[tuple[int, list[int]]] = []  # (context, members)
        for k in sorted(k for k, n in nums.items() if n.style == style):
            ctx = max((a for a in out if a < k), default=-1)
            value, prev = nums[k].value, runs[-1] if runs else None
            restart = prev is not None and value == 1 and (nums[prev[1][-1]].value or 0) >= 2
            if prev is None or prev[0] != ctx or restart:
                runs.append((ctx, [k]))
            else:
                prev[1].append(k)
        headed: set[int] = set()  # contexts that hold a run of headings of this style
        for ctx, run in runs:
            likes = sum(parts[k] is not None for k in run)
            ok = likes > 0 and (2 * likes > len(run) or _standalone(blocks[run[0]], parts[run[0]]))
            empty = sum(_empty(k, nxt, parts[k], nums[k], len(blocks)) for k, nxt in zip(run, [*run[1:], None], strict=True))
            if style.startswith("arabic") and len(run) >= 2 and 2 * empty > len(run):
                ok = False  # numbers with nothing under them: a form's fields, a list of names
            if 3 * sum("?" in blocks[k].lines[0].text for k in run if blocks[k].lines) >= len(run):
                ok = False  # a questionnaire's questions
            if style == "letter" and nums[run[0]].value != 1:
                ok = False  # lettered headings start at A
            if ok and ctx in headed and nums[run[0]].value == 1 and style.startswith("arabic"):
                ok = False  # numbers that start again under the same heading: a list in its last section
            if not ok and style == "arabic" and _clauses_of_article(blocks, nums, out, ctx, run):
                ok = True
            if ok:
                headed.add(ctx)
                for k in run:  # lettered points a), b) are headings one by one, by their bold
                    if parts[k] is not None or style != "alpha":
                        title, text = parts[k] or ("", nums[k].rest)
                        out[k] = (nums[k].number, title, text)
    return out


def _clauses_of_article(blocks: list[Block], nums: dict[int, Numbering], heads: dict[int, tuple[str, str, str]],
                        ctx: int, run: list[int]) -> bool:
    """Is `run` the numbered clauses (khoản) of the article heading `ctx`: an article with a title of
    its own ('Điều 2. Tổ chức thực hiện', no sentence run in, none that announces a list with a colon),
    the clauses opening the paragraph right after it, counted from 1 without a gap? Clauses are the
    article's parts however long their sentences; a list of people or a form's fields is none."""
    if ctx not in heads or nums[ctx].style != "article" or run[0] != ctx + 1:
        return False
    _, title, text = heads[ctx]
    if not title or text or title.rstrip().endswith(":"):
        return False
    if [nums[k].value for k in run] != list(range(1, len(run) + 1)):
        return False
    return not any(names_a_person(nums[k].rest) or LEADERS.search(nums[k].rest) for k in run)


def wrapped_titles(doc: Document, blocks: list[Block], nums: dict[int, Numbering],
                   heads: dict[int, tuple[str, str, str]]) -> set[int]:
    """Capital titles that run over the next lines (a line filled to the margin, then more capitals,
    unnumbered) made whole; the blocks taken into a title."""
    right = 2 * doc.body_center - doc.body_left
    wide = right - 0.2 * (right - doc.body_left)
    taken: set[int] = set()
    for k, (num, title, text) in list(heads.items()):
        if text or not (is_upper(title) or not title) or nums[k].style not in ("part", "chapter", "section", "letter",
                                                                             "roman"):
            continue
        j, last = k + 1, blocks[k]
        while (j < len(blocks) and j not in nums and (last.lines[-1].x1 >= wide or not title) and last.lines
               and is_upper(blocks[j].text) and len(blocks[j].lines) <= 2 and j - k <= 3):
            title, last = f"{title} {blocks[j].text}".strip(), blocks[j]  # 'PHẦN THỨ HAI' / 'TỔNG KẾT …'
            taken.add(j)
            j += 1
        heads[k] = (num, title, text)
    return taken


def grid_headings(b: Block, last_roman: int) -> list[Block]:
    """Rows of a form's grid that head a group of its questions: one bold cell, short, whose roman number
    goes on from the part's last one ('II. Lượng nước sử dụng' after a body 'I. Thông tin hành chính'),
    or a grid's first row 'I.' (the form's first group inside its grid)."""
    out: list[Block] = []
    if b.grid is None:
        return out
    for k, (row, bold) in enumerate(zip(b.grid.rows, b.grid.bold_rows, strict=True)):
        cells = [c.strip() for c in row if c.strip()]
        n = parse_numbering(cells[0]) if len(cells) == 1 and bold and len(cells[0].split()) <= 12 else None
        if n and n.style == "roman" and n.value == last_roman + 1 and (last_roman or k == 0):
            out.append(Block("text", b.page, "full", [], cells[0], pages=[b.page]))
            last_roman += 1
    return out


def body_blocks(doc: Document, part: int) -> list[Block]:
    """The part's body paragraphs (cut where a line opens a number) and the headings of its form grids."""
    out: list[Block] = []
    last_roman = 0
    short_end = doc.body_center + 0.5 * (doc.body_center - doc.body_left)  # a line that stops before ends
    for i, b in doc.part_blocks(part):
        if b.kind == "table" and i not in doc.consumed:
            out.extend(rows := grid_headings(b, last_roman))
            last_roman += len(rows)
        elif in_body(doc, i, b):
            for piece in split_at_numbers(b, short_end):
                if (n := numbering(piece)) and n.style == "roman" and n.value:
                    last_roman = n.value
                out.append(piece)
    return out


def sections(doc: Document) -> Document:
    out: list[Section] = []
    for part in doc.result.parts:
        blocks = body_blocks(doc, part.id)
        read_roman_lookalikes(doc, blocks)
        nums = {k: n for k, b in enumerate(blocks) if (n := numbering(b))}
        letters_in_sequence(nums)
        divisions_in_sequence(blocks, nums)
        heads = accepted_headings(blocks, nums)
        for k in heads:
            if nums[k].number not in blocks[k].text:  # 'PHẢN H.' → 'PHẦN II', 'Điêu 2.' → 'Điều 2'
                doc.warn("ocr-heading-number", f"heading number read as {nums[k].number!r}: {blocks[k].text[:60]!r}",
                         page=blocks[k].page)
        styles = {nums[k].style for k in heads}
        levels = {s: n + 1 for n, s in enumerate(s for s in STYLE_ORDER if s in styles)}
        taken = wrapped_titles(doc, blocks, nums, heads)
        stack: list[Section] = []
        preamble: list[str] = []
        current: Section | None = None
        for k, b in enumerate(blocks):
            if k in taken:
                continue
            if k in heads:
                num, title, rest = heads[k]
                level = levels[nums[k].style]
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


STAGE = Stage("sections", sections, reads=("blocks", "spans", "consumed", "body", "parts"), writes=("sections", "parts", "warnings"))
