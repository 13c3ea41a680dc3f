"""The pipeline: one module per stage, folded over a `Document` in the order of `STAGES`.

Every stage is a callable `Document → Document` (some take their options model as a second
argument). This list is the only place where the order is decided.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from directives.extractors import extract_pages
from directives.extractors.model import Page
from directives.pipeline.activities import activities
from directives.pipeline.checks import checks
from directives.pipeline.closing import closing
from directives.pipeline.document import Document, PipelineOptions
from directives.pipeline.entities import entities, gc_paused
from directives.pipeline.grid import min_table_rules
from directives.pipeline.handwriting import handwriting
from directives.pipeline.header import header
from directives.pipeline.layout import layout
from directives.pipeline.normalize import normalize
from directives.pipeline.parts import parts
from directives.pipeline.repair import repair
from directives.pipeline.sections import sections
from directives.pipeline.signatures import signatures
from directives.pipeline.tables import tables
from directives.schemas import Directive, Source

Stage = Callable[[Document, PipelineOptions], Document]

STAGES: list[tuple[str, Stage]] = [
    ("normalize", lambda d, o: normalize(d)),
    ("repair", lambda d, o: repair(d, o.repair)),
    ("layout", lambda d, o: layout(d, o.layout)),
    ("parts", lambda d, o: parts(d)),
    ("header", lambda d, o: header(d)),
    ("handwriting", lambda d, o: handwriting(d)),
    ("closing", lambda d, o: closing(d)),
    ("signatures", lambda d, o: signatures(d)),
    ("sections", lambda d, o: sections(d)),
    ("tables", lambda d, o: tables(d, o.tables)),
    ("activities", lambda d, o: activities(d)),
    ("entities", lambda d, o: entities(d)),
    ("checks", lambda d, o: checks(d)),
]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def new_document(path: Path, pages: list[Page], sha256: str) -> Document:
    source = Source(path=str(path), sha256=sha256, pages=len(pages), page_sources=[p.source for p in pages],
                    page_confidence=[None if p.confidence is None else round(p.confidence, 3) for p in pages])
    return Document(pages=pages, result=Directive(doc_id=sha256[:16], source=source))


def run(doc: Document, options: PipelineOptions | None = None) -> Document:
    """Fold every stage over `doc`."""
    options = options or PipelineOptions()
    for _, stage in STAGES:
        doc = stage(doc, options)
    return doc


def process(path: Path, options: PipelineOptions | None = None) -> Directive:
    """One file → validated `Directive`. Raises a `DirectivesError` for unreadable input.

    The cyclic garbage collector is paused meanwhile: a file's pages, words and entities make no
    cycles that outlive it, and its passes over them cost ≈ 3 % of a born-digital file's time. They
    are freed before the pause ends, or the first allocation after it would set off a collection
    that goes over all of them once more (measured: 0.4 ms a page)."""
    options = options or PipelineOptions()
    sha = file_sha256(path)
    with gc_paused():
        pages = extract_pages(path, options.ocr, min_table_rules(options.layout.table_min_cols))
        doc = run(new_document(path, pages, sha), options)
        result = Directive.model_validate(doc.result.model_dump())
        del pages, doc  # freed now: the collection the pause has put off need not look at them
    return result
