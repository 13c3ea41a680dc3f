"""The pipeline run: `STAGES` folded over a `Document`, in order. This list is the only place where
the order is decided; each stage module declares its `STAGE` (name, reads, writes, options), and
the order is checked when this module loads (`check_order`)."""

from __future__ import annotations

from pathlib import Path

from directives.extractors.model import Page
from directives.extractors.read import extract_pages
from directives.gcpause import gc_paused
from directives.pipeline import (
    activities,
    checks,
    closing,
    entities,
    handwriting,
    header,
    layout,
    normalize,
    parts,
    repair,
    sections,
    signatures,
    tables,
)
from directives.pipeline.document import Document, PipelineOptions, file_sha256
from directives.pipeline.grid import min_table_rules
from directives.pipeline.stage import Stage, check_order
from directives.schemas import Directive, Source

STAGES: list[Stage] = [
    normalize.STAGE,
    repair.STAGE,
    layout.STAGE,
    parts.STAGE,
    header.STAGE,
    handwriting.STAGE,
    closing.STAGE,
    signatures.STAGE,
    sections.STAGE,
    tables.STAGE,
    activities.STAGE,
    entities.STAGE,
    checks.STAGE,
]
check_order(STAGES)


def new_document(path: Path, pages: list[Page], sha256: str) -> Document:
    source = Source(path=str(path), sha256=sha256, pages=len(pages), page_sources=[p.source for p in pages],
                    page_confidence=[None if p.confidence is None else round(p.confidence, 3) for p in pages])
    return Document(pages=pages, result=Directive(doc_id=sha256[:16], source=source))


def run(doc: Document, options: PipelineOptions | None = None) -> Document:
    """Fold every stage over `doc`."""
    options = options or PipelineOptions()
    for stage in STAGES:
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
