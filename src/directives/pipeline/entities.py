"""entities: word segmentation, named entities and keywords (the NLP stage).

Reads: sections, parts' text, tables, metadata. Writes: `sections[].segmented` (underthesea word
segmentation, syllables of a word joined by "_"), `sections[].keywords`, and `entities` (label,
text, normalized, section_id = the unit the offsets refer to, start, end: see `nlp/units.py`).

Labels: LEGAL_REF, CAMPAIGN, DATE, PERIOD (rules, `nlp/rules.py`), ORG, LOC, PER (rules and a
gazetteer over the segmented words, underthesea NER only for the sentences holding a capitalised
run the rules cannot explain: `nlp/names.py`); the header and closing give ORG (issuer, parent
body, signer's body), LOC (place) and PER (signer) by their field. Overlaps are settled by
priority CAMPAIGN > LEGAL_REF > ORG > PER > LOC (a name inside a quoted campaign or inside an
organisation's name is not an entity of its own); DATE and PERIOD may lie inside any of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from directives.gcpause import gc_paused
from directives.nlp.gazetteer import is_known_name, place, province_unit
from directives.nlp.keywords import keywords
from directives.nlp.names import Found, Ner, is_org_name, line_names, ner_names, to_entities, underthesea_ner
from directives.nlp.rules import campaigns, dates, legal_refs
from directives.nlp.segment import PIECES, Token, segment_texts, segmented
from directives.nlp.segment_model import segment_model
from directives.nlp.units import METADATA, Unit, metadata_text, units
from directives.pipeline.document import Document, EntityOptions
from directives.pipeline.stage import Stage
from directives.schemas import Directive, Entity
from directives.syllables import is_syllable

_PRIORITY = {"CAMPAIGN": 0, "LEGAL_REF": 1, "ORG": 2, "PER": 3, "LOC": 4}
_NESTABLE = frozenset({"DATE", "PERIOD"})
_SENTENCE = re.compile(r"[^.;!?\n]+[.;!?]?")


def _lines(tokens: list[Token], text: str) -> list[list[Token]]:
    """`tokens` grouped by the line (or table cell) of `text` they are on."""
    groups: list[list[Token]] = []
    piece_end = -1
    for tok in tokens:
        if tok.start > piece_end:
            groups.append([])
            m = PIECES.match(text, tok.start)
            piece_end = m.end() if m else len(text)
        groups[-1].append(tok)
    return groups


def foreign_syllable(syllable: str) -> bool:
    """A run of letters not spelled like a Vietnamese syllable ("Jong"), and no acronym ("MTTQ")."""
    return syllable.isalpha() and not syllable.isupper() and not is_syllable(syllable)


def worth_ner(run: list[Token], covered: Sequence[Entity]) -> bool:
    """NER pays for a capitalised run the rules left unexplained only when it holds a name that is
    not Vietnamese ("Kim Jong Un"), outside the spans rules already read ("Luật Thanh niên" in a
    LEGAL_REF). Vietnamese words ("Tết Giáp Thìn", "Cung Văn hóa Hữu nghị"), acronyms ("CĐGD",
    "MTTQ") and places the gazetteer knows are left to the rules: what NER would find there, the
    rules would not accept (measured: on the dev set NER ran on 9 runs of this kind and added
    nothing, for ≈ 40 % of the pipeline's time on those files)."""
    start, end = run[0].start, run[-1].end
    if any((e.start or 0) < end and start < (e.end or 0) for e in covered):
        return False
    return any(not is_known_name(t.text) and any(map(foreign_syllable, t.text.split())) for t in run)


def unit_names(unit: Unit, tokens: list[Token], ner: Ner | None, covered: Sequence[Entity] = ()) -> list[Entity]:
    """ORG / LOC / PER of a unit; NER (when given) on the sentences of the capitalised runs the
    rules left unexplained, when `worth_ner`."""
    found: list[Found] = []
    todo: set[tuple[int, int]] = set()
    for line in _lines(tokens, unit.text):
        got, unexplained = line_names(line)
        found.extend(got)
        for start, end in unexplained:
            if not worth_ner([t for t in line if start <= t.start and t.end <= end], list(covered)):
                continue
            for m in _SENTENCE.finditer(unit.text):
                if m.start() <= start < m.end():
                    todo.add((m.start(), m.end()))
    if ner is not None:
        for a, b in sorted(todo):
            found.extend(ner_names(unit.text[a:b], a, ner))
    return to_entities(found, unit.text, unit.id)


def metadata_entities(directive: Directive) -> list[Entity]:
    """The header and closing's names by their field, offsets into the metadata unit's text."""
    m, s = directive.metadata, directive.metadata.signer
    text = metadata_text(directive)
    out: list[Entity] = []
    pos = 0
    for value, label in ((m.issuer, "ORG"), (m.parent_organization, "ORG"), (m.place, "LOC"),
                         (s.on_behalf_of, "ORG"), (s.title, None), (s.name, "PER")):
        if not value:
            continue
        start = text.index(value, pos)
        pos = start + len(value)
        if label == "ORG" and not is_org_name(value):
            continue  # a header line that is no organisation's name (or an organ without its body)
        if label:
            norm = province_unit(value) if label == "LOC" and place(value) else None
            out.append(Entity(label=label, text=value, normalized=norm, section_id=METADATA, start=start,
                              end=pos))
    return out


def resolve(found: list[Entity]) -> list[Entity]:
    """Drop an entity that overlaps one of higher priority (DATE and PERIOD are never dropped, and
    never drop others); duplicates of one span and label are kept once."""
    kept: list[Entity] = []
    ranked = sorted(found, key=lambda e: (_PRIORITY.get(e.label, 9), (e.start or 0) - (e.end or 0)))
    for e in ranked:
        if e.label not in _NESTABLE and any(
                k.label not in _NESTABLE and k.section_id == e.section_id and (e.start or 0) < (k.end or 0)
                and (k.start or 0) < (e.end or 0) for k in kept):
            continue
        if any(k.label == e.label and k.start == e.start and k.end == e.end and k.section_id == e.section_id
               for k in kept):
            continue
        kept.append(e)
    return kept


def directive_entities(directive: Directive, ner: Ner | None = None) -> tuple[list[Entity], dict[str, list[Token]]]:
    """Every entity of `directive` (document order) and the words of each unit it segmented."""
    found: list[Entity] = []
    words: dict[str, list[Token]] = {}
    order = {}
    todo = units(directive)
    segmented_units = iter(segment_texts([u.text for u in todo if u.kind != "metadata"]))
    for n, unit in enumerate(todo):
        order[unit.id] = n
        if unit.kind == "metadata":
            found.extend(metadata_entities(directive))
            continue
        tokens = next(segmented_units)
        words[unit.id] = tokens
        unit_found = legal_refs(unit.text, unit.id) + campaigns(unit.text, unit.id) + dates(unit.text, unit.id)
        unit_found += unit_names(unit, tokens, ner, [e for e in unit_found if e.label not in _NESTABLE])
        found.extend(resolve(unit_found))
    found.sort(key=lambda e: (order[e.section_id or ""], e.start or 0, e.end or 0))
    return found, words


def load_models() -> None:
    """Load the word segmentation and NER models now (once per process; a worker that processes
    many files pays this once: ≈ 1 s CPU), instead of on the first document."""
    segment_model()
    underthesea_ner()("Hà Nội")


def entities(doc: Document, options: EntityOptions | None = None) -> Document:
    """Segment every section, find entities and keywords (module docstring)."""
    d = doc.result
    with gc_paused():
        found, words = directive_entities(d, underthesea_ner() if (options or EntityOptions()).use_ner else None)
    d.entities = found
    for section in d.sections:
        section.segmented = segmented(words.get(section.id, []))
    for section, keys in zip(d.sections, keywords([s.segmented.split() for s in d.sections]), strict=True):
        section.keywords = keys
    return doc


STAGE = Stage("entities", entities, reads=("sections", "parts", "tables", "metadata"), writes=("sections", "entities"), options="entities")
