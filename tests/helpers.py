"""Shared test helpers: project paths, tiny hand-made documents, the corpus marker. Tests import
these from here (`from tests.helpers import …`); conftest.py holds only fixtures."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from directives.extractors.model import Line, Page, Rule, Word
from directives.pipeline.document import Document
from directives.pipeline.run import new_document

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEED_PDF = SAMPLES / "347-CV-TDTN-VP.pdf"
SEED_SCAN = SAMPLES / "347-CV-TDTN-VP-scan.pdf"
SHARED = Path(os.environ.get("DIRECTIVES_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
GROUNDTRUTH = Path(__file__).resolve().parent / "groundtruth"
REGEN = os.environ.get("DIRECTIVES_REGEN") == "1"


def line(text: str, x0: float, y0: float, x1: float | None = None, size: float = 14.0, bold: bool = False,
         italic: bool = False) -> Line:
    """A line of evenly spaced words from x0 to x1 (default: 6 pt per character)."""
    x1 = x0 + 6.0 * len(text) if x1 is None else x1
    words, step, pos = [], (x1 - x0) / max(len(text), 1), 0
    for tok in text.split():
        start = text.index(tok, pos)
        pos = start + len(tok)
        words.append(Word(tok, x0 + start * step, y0, x0 + pos * step, y0 + size, size, bold, italic))
    return Line.of(words, x0, y0, x1, y0 + size, text)


def page(lines: list[Line], number: int = 1, rules: list[Rule] | None = None) -> Page:
    return Page(number, 595.0, 842.0, "text", lines, rules or [])


def document(pages: list[Page]) -> Document:
    return new_document(Path("hand-made.pdf"), pages, "0" * 64)


def corpus_available() -> bool:
    return (CORPUS / "MANIFEST.tsv").exists()


needs_corpus = pytest.mark.skipif(not corpus_available(), reason="../shared/corpus not present")


def unicode_to_tcvn3(letter: str) -> tuple[str, bool]:
    """(code as a Latin-1 character, needs an upper-case "H" font) of one Vietnamese letter or ASCII: the
    inverse of the decoder's tables, to write TCVN3 test text."""
    from directives.extractors.legacy import _TCVN3_ROWS, _TCVN3_UPPER, _TONES

    if letter.isascii():
        return letter, False
    if letter in _TCVN3_UPPER:
        return chr(_TCVN3_UPPER[letter]), False
    lower = letter.lower()
    decomposed = unicodedata.normalize("NFD", lower)
    tone = next((i + 1 for i, t in enumerate(_TONES) if t in decomposed), 0)
    base = unicodedata.normalize("NFC", decomposed.replace(_TONES[tone - 1], "") if tone else decomposed)
    if base not in _TCVN3_ROWS:
        return letter, False
    return chr(_TCVN3_ROWS[base][tone]), letter != lower


def fetch(ds, path: str, method: str = "GET", **kwargs):
    """One request through Datasette's own test client (`ds.client`, async in Datasette 0.65): an
    httpx.Response."""
    import asyncio

    return asyncio.run(ds.client.request(method, path, **kwargs))
