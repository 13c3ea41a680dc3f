"""normalize: Unicode NFC, invisible characters and whitespace.

Reads: pages[].lines[].words. Writes: each word's text and each line's `text` in normalized form;
`line.raw` keeps the text exactly as extracted.
"""

from __future__ import annotations

import re
import unicodedata
from operator import attrgetter

from directives.pipeline.document import Document
from directives.pipeline.stage import Stage

_TEXT = attrgetter("text")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2009\u202f\u3000\t"), " ")
# look-alike slashes (OCR reads the slash of "V/v" as a fraction slash) become "/"
_SLASHES = dict.fromkeys(map(ord, "\u2044\u2215\uff0f"), "/")
_SPECIAL = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\u00a0\u2002\u2003\u2009\u202f\u3000\t"
                      "\u2044\u2215\uff0f]")


def clean_text(text: str) -> str:
    """NFC, no soft hyphens or zero-width characters, one kind of slash, single spaces, trimmed."""
    if _SPECIAL.search(text):
        text = text.translate(_INVISIBLE).translate(_SPACES).translate(_SLASHES)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())  # single spaces, trimmed (str.split's white space is regex \s)


def normalize(doc: Document) -> Document:
    """NFC and whitespace for every word and line; empty words are dropped."""
    for page in doc.pages:
        for line in page.lines:
            joined = " ".join(map(_TEXT, line.words))
            if clean_text(joined) != joined:  # rare: fix word by word
                for w in line.words:
                    w.text = clean_text(w.text)
                line.words = [w for w in line.words if w.text]
                joined = " ".join(map(_TEXT, line.words))
            line.text = joined
        page.lines = [ln for ln in page.lines if ln.text]
    return doc


STAGE = Stage("normalize", normalize, reads=("pages",), writes=("pages",))
