"""`gc_paused`: the cyclic garbage collector off for a while, for any layer that allocates many
small objects that make no cycles (pages, words, tokens, entities)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off inside the block (on again after, if it was on): collector
    passes over objects that make no cycles are wasted work."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
