"""spaCy Docs of a processed document, one per section, for users' own spaCy components.

Built from what the pipeline stored, without re-running any model: the words are the section's
`segmented` words (underthesea segmentation, a multi-syllable word is one spaCy token), the text is
exactly the section's unit text (title, line break, text), and the entities of that section are
spans: all of them in `doc.spans["entities"]` (DATE inside a LEGAL_REF included), the
non-overlapping ones in `doc.ents`. `spacy.blank("vi")` is configured without pyvi (its default
tokenizer needs it); the Docs are built directly from the words.

    from directives.nlp.docs import section_docs
    for doc in section_docs(directive):
        print(doc.user_data["section_id"], [(e.text, e.label_) for e in doc.ents])
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from directives.nlp.segment import locate
from directives.nlp.units import section_text
from directives.schemas import Directive, Entity, Section

_PIECE = re.compile(r"\s+|\S+")

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@lru_cache(maxsize=1)
def blank_vi() -> Language:
    """A blank Vietnamese spaCy pipeline that does not need pyvi."""
    import spacy

    return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})


def words_and_spaces(text: str, words: list[str]) -> tuple[list[str], list[bool]]:
    """spaCy words and their trailing-space flags whose concatenation is exactly `text`: the given
    words where they are found in order, any other characters (line breaks, punctuation the words
    miss) as tokens of their own; a single space after a token is its trailing space."""
    out: list[str] = []
    spaces: list[bool] = []

    def gap(chunk: str) -> None:
        while chunk:
            if chunk[0] == " " and out and not spaces[-1]:
                spaces[-1] = True
                chunk = chunk[1:]
                continue
            piece = _PIECE.match(chunk).group()  # type: ignore[union-attr]
            out.append(piece)
            spaces.append(False)
            chunk = chunk[len(piece):]

    pos = 0
    for tok in locate(words, text):
        if tok.start < pos or text[tok.start:tok.end] != tok.text:
            continue
        gap(text[pos:tok.start])
        out.append(tok.text)
        spaces.append(False)
        pos = tok.end
    gap(text[pos:])
    return out, spaces


def section_doc(section: Section, entities: list[Entity]) -> Doc:
    """The spaCy Doc of one section with its entities as spans (module docstring)."""
    from spacy.tokens import Doc
    from spacy.util import filter_spans

    text = section_text(section)
    stored = [w.replace("_", " ") for w in section.segmented.split()]
    words, spaces = words_and_spaces(text, stored)
    doc = Doc(blank_vi().vocab, words=words, spaces=spaces)
    doc.user_data["section_id"] = section.id
    spans = []
    for e in entities:
        if e.section_id == section.id and e.start is not None and e.end is not None:
            span = doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
    doc.spans["entities"] = spans
    doc.ents = filter_spans(spans)
    return doc


def section_docs(directive: Directive) -> list[Doc]:
    """One spaCy Doc per section of `directive`, in order (module docstring)."""
    return [section_doc(s, directive.entities) for s in directive.sections]
