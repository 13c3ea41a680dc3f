"""`process`: one file → a validated Directive, the garbage collector paused meanwhile."""

from __future__ import annotations

import gc
from contextlib import contextmanager

import directives.pipeline.run as pipeline
from directives.extractors.model import Page, Word
from tests.helpers import SEED_PDF


def _count(kind: type) -> int:
    return sum(isinstance(o, kind) for o in gc.get_objects())


def test_pages_are_freed_before_the_collector_resumes(monkeypatch):
    """The file's pages and words are gone when the pause ends: else the first allocation after it
    sets off a collection that goes over every one of them (≈ 0.4 ms a page)."""
    seen: list[tuple[int, int]] = []
    paused = pipeline.gc_paused

    @contextmanager
    def watched():
        with paused():
            yield
            seen.append((_count(Page), _count(Word)))

    before = (_count(Page), _count(Word))
    monkeypatch.setattr(pipeline, "gc_paused", watched)
    directive = pipeline.process(SEED_PDF)
    assert directive.source.pages == 10
    assert seen == [before]
