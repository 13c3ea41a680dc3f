"""The working document that the stages fold over, and the options of every stage."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field

from directives.extractors.model import Line, Page
from directives.extractors.options import OcrOptions
from directives.options import Options
from directives.patterns import is_upper
from directives.schemas import Directive, Notice


def file_sha256(path: Path) -> str:
    """The file's SHA-256 (hex): its identity (doc_id = the first 16 digits). Here, not in `run`,
    so that a batch plans its files without importing the stages."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


@dataclass(slots=True)
class Grid:
    """A ruled table on one page: cell texts by row, as drawn. A cell printed across several columns
    (no rule between them in that row) has its text in the first of them and appears in `spans`."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    xs: list[float]  # column boundaries
    rows: list[list[str]]
    bold_rows: list[bool]
    spans: list[list[tuple[int, int]]] = field(default_factory=list)  # per row: [first, last) columns of each cell
    open_below: list[list[bool]] = field(default_factory=list)  # per row but the last, per column: no rule below
    centred: list[float] = field(default_factory=list)  # per row: share of its texts centred in their cells


@dataclass(slots=True)
class Block:
    """A paragraph (one or more lines) or a table, in reading order."""

    kind: str  # "text" | "table"
    page: int
    zone: str  # "full" | "left" | "right": left/right inside a two-column region
    lines: list[Line] = field(default_factory=list)
    text: str = ""
    region: int = -1  # id of the two-column region (header, closing) or -1
    grid: Grid | None = None
    pages: list[int] = field(default_factory=list)  # every page the paragraph runs over

    @property
    def x0(self) -> float:
        return min(ln.x0 for ln in self.lines) if self.lines else (self.grid.x0 if self.grid else 0.0)

    @property
    def y0(self) -> float:
        return self.lines[0].y0 if self.lines else (self.grid.y0 if self.grid else 0.0)

    @property
    def bold(self) -> bool:
        return bool(self.lines) and all(ln.bold for ln in self.lines)

    @property
    def italic(self) -> bool:
        return bool(self.lines) and all(ln.italic for ln in self.lines)

    @property
    def size(self) -> float:
        return max((ln.size for ln in self.lines), default=0.0)

    @property
    def upper(self) -> bool:
        return is_upper(self.text)


@dataclass(slots=True)
class PartSpan:
    """Where one document of the file starts and ends in the block list."""

    start: int
    end: int  # exclusive


@dataclass
class Document:
    """Everything a stage may read or write. Stages return the same object, filled further."""

    pages: list[Page]
    result: Directive
    blocks: list[Block] = field(default_factory=list)
    spans: list[PartSpan] = field(default_factory=list)
    body_left: float = 0.0  # x where body lines start (from layout)
    body_center: float = 0.0  # horizontal centre of the body text (from layout)
    page_left: dict[int, float] = field(default_factory=dict)  # page number → x where its body lines start
    consumed: set[int] = field(default_factory=set)  # block ids used by header/closing, not body

    def warn(self, code: str, message: str, *, page: int | None = None, part: int | None = None,
             field_: str | None = None, severity: str | None = None) -> None:
        self.result.warnings.append(Notice.of(code, message, severity=severity, page=page, part=part, field=field_))

    def part_blocks(self, part: int) -> list[tuple[int, Block]]:
        """(block id, block) of one part, in reading order."""
        span = self.spans[part]
        return list(enumerate(self.blocks[span.start:span.end], span.start))

    def ocr_confidence(self, blocks: list[Block]) -> float | None:
        """The lowest OCR confidence of the words of `blocks` (a field is as sure as its least sure
        word); None when none of them was read by OCR."""
        confs = [w.conf for b in blocks if self.pages[b.page - 1].source == "ocr" for ln in b.lines for w in ln.words]
        return round(min(confs), 3) if confs else None

    def note_confidence(self, fields: list[str], blocks: list[Block]) -> None:
        """Record in the metadata how sure OCR was of the words `fields` were read from."""
        conf = self.ocr_confidence(blocks)
        if conf is not None:
            self.result.metadata.confidence.update(dict.fromkeys(fields, conf))

    def centered(self, block: Block, tol: float = 25.0) -> bool:
        xc = (min(ln.x0 for ln in block.lines) + max(ln.x1 for ln in block.lines)) / 2
        return abs(xc - self.body_center) <= tol and block.x0 > self.body_left + 10


class LayoutOptions(Options):
    """How lines become blocks (pipeline/layout.py)."""

    column_tolerance: float = Field(0.04, description="share of the page width a line of a column may cross "
                                                      "the middle by")
    artifact_margin: float = Field(0.08, description="top and bottom share of the page where page numbers live")
    running_header_min_pages: int = Field(3, description="pages a line must repeat on to be a running header")
    rule_snap: float = Field(2.5, description="pt: drawn rules closer than this are one table boundary")
    table_min_cols: int = Field(2, description="columns a ruled grid needs to be a table")


class RepairOptions(Options):
    """OCR spelling repair (pipeline/repair.py); header vocabulary and stray marks are always on."""

    context: bool = Field(True, description="respell a word the document spells otherwise in the same "
                                            "context, 3+ times")
    lexicon: bool = Field(True, description="respell diacritics by the Vietnamese lexicon (lexicon.py)")
    lexicon_below: float = Field(0.965, ge=0.0, le=1.01, description=(
        "the lexicon respells words OCR read with less confidence than this (the document's own clear usage "
        "of another spelling beside the same neighbour respells a word whatever its confidence)"))


class TableOptions(Options):
    """Which grids become tables (pipeline/tables.py)."""

    min_rows: int = Field(1, description="a table with fewer rows (header included) is dropped")


class EntityOptions(Options):
    """The NLP stage (pipeline/entities.py)."""

    use_ner: bool = Field(True, description="underthesea NER for the sentences whose capitalised runs the "
                                            "rules cannot explain")


class PipelineOptions(Options):
    """The options of every stage, by the name a stage declares (`Stage.options`)."""

    layout: LayoutOptions = Field(LayoutOptions(), description="lines into blocks")
    tables: TableOptions = Field(TableOptions(), description="grids into tables")
    repair: RepairOptions = Field(RepairOptions(), description="OCR spelling repair")
    entities: EntityOptions = Field(EntityOptions(), description="named entities")
    ocr: OcrOptions = Field(OcrOptions(), description="how scanned pages are read (workers = 1 when a batch "
                                                      "runs files in parallel)")


def size_tolerance(page: Page) -> float:
    """Font sizes of a text layer are exact; sizes estimated from OCR line heights are not a style."""
    return 0.6 if page.source == "text" else float("inf")


_WRAPPED_AT_HYPHEN = re.compile(r"\w[-/]$")


def join_texts(texts: Iterable[str]) -> str:
    """Lines of one paragraph → its text. A line that ends in a hyphen or slash right after a letter
    or digit was wrapped inside a compound ('QĐ-' / 'TTg', 'Y-' / 'Dược', '19/2025/' / 'TT-BYT'):
    Vietnamese breaks a line between syllables, never inside one, so the mark is the compound's
    and the next line follows it without a space."""
    out = ""
    for t in texts:
        glue = "" if not out or (_WRAPPED_AT_HYPHEN.search(out) and t[:1].isalnum()) else " "
        out += glue + t
    return out


def join_lines(lines: list[Line]) -> str:
    return join_texts(ln.text for ln in lines)
