"""The page model every extractor returns (text layer, OCR, later DOCX).

Plain slotted dataclasses: a page holds hundreds of words and the pipeline must run at hundreds of
pages per second, so these stay light. Coordinates are PDF points, origin top-left, y downwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from directives.schemas import Notice

if TYPE_CHECKING:
    from directives.schemas import Signature


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    conf: float = 1.0  # 0..1; 1.0 for a text layer


@dataclass(slots=True)
class Line:
    """A run of words on one baseline, as the extractor found it (one column)."""

    words: list[Word]
    x0: float
    y0: float
    x1: float
    y1: float
    text: str = ""  # normalized text (the normalize stage); extractors set the raw text
    raw: str = ""  # text exactly as extracted
    role: str = "body"  # body | artifact (page number, running header) | table
    size: float = 0.0  # largest font size
    bold: bool = False  # most characters bold
    italic: bool = False  # most characters italic

    @classmethod
    def of(cls, words: list[Word], x0: float, y0: float, x1: float, y1: float, raw: str) -> Line:
        """A line with its style summarised from its words (character-weighted majority)."""
        chars = bold = italic = 0
        size = 0.0
        for w in words:
            n = len(w.text)
            chars += n
            if w.bold:
                bold += n
            if w.italic:
                italic += n
            if w.size > size:
                size = w.size
        return cls(words, x0, y0, x1, y1, raw, raw, "body", size, chars > 0 and bold >= 0.6 * chars,
                   chars > 0 and italic >= 0.6 * chars)

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class Rule:
    """A drawn line segment (or a thin filled rectangle) that may belong to a table grid. A
    horizontal rule runs from (x0, y0) on the left to (x1, y1) on the right, a vertical one from
    the top to the bottom; a rule scanned askew keeps its slope (up to 1 in 15, 4°)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        dx = self.x1 - self.x0
        return dx > 2.0 and abs(self.y1 - self.y0) <= max(2.0, dx / 15)

    @property
    def vertical(self) -> bool:
        dy = self.y1 - self.y0
        return dy > 2.0 and abs(self.x1 - self.x0) <= max(2.0, dy / 15)


@dataclass(slots=True)
class SignatureBox:
    """Text that a digital signature's appearance or a publisher's stamp lays over the page ("Ký bởi:
    …", "Cơ quan: …", "Thời gian ký: …", an e-mail, a time with its UTC offset): not document text."""

    lines: list[Line]
    field: str | None = None  # the signature field whose appearance draws it; None: printed on the page

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (min(ln.x0 for ln in self.lines), min(ln.y0 for ln in self.lines),
                max(ln.x1 for ln in self.lines), max(ln.y1 for ln in self.lines))

    @property
    def text(self) -> str:
        return "\n".join(ln.raw for ln in self.lines)


@dataclass(slots=True)
class Stamp:
    """A value an e-office system laid into a blank of a document line when it signed (the number
    after "Số:", the day after "ngày"): `word` is placed into the line it sits on (`host`, None while
    that line is not known: on a scan, until OCR has read the page)."""

    word: Word
    field: str | None = None  # the signature field whose appearance draws it; None: in the page content
    host: Line | None = None


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    source: str  # "text" | "ocr" | "none"
    lines: list[Line] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    confidence: float | None = None  # mean OCR confidence, None for a text layer
    warnings: list[Notice] = field(default_factory=list)  # codes from errors.WARNING_CODES
    boxes: list[SignatureBox] = field(default_factory=list)  # kept out of `lines`
    stamps: list[Stamp] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)  # the digital signatures whose field is on this page
    # (x0, y0, x1, y1) in points: print under a signer's title that OCR saw and could not read
    unread: list[tuple[float, float, float, float]] = field(default_factory=list)

    @property
    def words(self) -> list[Word]:
        return [w for ln in self.lines for w in ln.words]

    def warn(self, code: str, message: str, *, first: bool = False) -> None:
        """Add a warning about this page (`first`: before the others)."""
        self.warnings.insert(0 if first else len(self.warnings), Notice.of(code, message, page=self.number))

    def warned(self, code: str) -> bool:
        return any(w.code == code for w in self.warnings)
