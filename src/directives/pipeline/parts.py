"""parts: split the file into the documents it holds (cover letter, PHỤ LỤC, ĐỊNH HƯỚNG …).

Reads: blocks. Writes: `doc.spans` (block ranges) and one `Part` per document with its pages.
A new part starts at the top of a page (not the first) that opens with a header region holding a
regime header, a number line or a place-and-date line, or with a document-type title such as
"PHỤ LỤC".
"""

from __future__ import annotations

from directives.knowledge import REGIME_HEADERS, type_from_name
from directives.patterns import NUMBER_LINE, parse_date_line
from directives.pipeline.document import Block, Document, PartSpan
from directives.pipeline.stage import Stage
from directives.schemas import Part
from directives.vntext import fold

_REGIMES = tuple(fold(r) for r in REGIME_HEADERS)


def is_header_line(text: str) -> bool:
    """A line that only a document's header carries."""
    f = fold(text)
    return f.startswith(_REGIMES) or bool(NUMBER_LINE.match(text) and "/" in text) or parse_date_line(text)[2]


def starts_part(blocks: list[Block], i: int) -> bool:
    """Does block i open a new document? Only the first blocks of a page (not page 1) can."""
    b = blocks[i]
    if i == 0 or blocks[i - 1].page == b.page or b.page == blocks[0].page:
        return False
    if b.kind != "text":
        return False
    if b.region >= 0:
        region = [x for x in blocks[i:] if x.region == b.region]
        return any(is_header_line(x.text) for x in region)
    return b.upper and b.bold and type_from_name(b.text) is not None


def parts(doc: Document) -> Document:
    starts = [0] + [i for i in range(1, len(doc.blocks)) if starts_part(doc.blocks, i)]
    ends = starts[1:] + [len(doc.blocks)]
    doc.spans = [PartSpan(s, e) for s, e in zip(starts, ends, strict=True)]
    doc.result.parts = []
    for n, span in enumerate(doc.spans):
        pages = sorted({p for b in doc.blocks[span.start:span.end] for p in b.pages})
        doc.result.parts.append(Part(id=n, pages=pages))
    if not doc.spans:
        doc.spans = [PartSpan(0, 0)]
        doc.result.parts = [Part(id=0)]
    return doc


STAGE = Stage("parts", parts, reads=("blocks",), writes=("spans", "parts"))
