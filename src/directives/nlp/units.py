"""The pieces of a document the NLP reads, each with the id its entities' offsets refer to.

An entity's `section_id` names one of these units and its `start`/`end` are character offsets
into that unit's text, so `unit_text(directive, e.section_id)[e.start:e.end] == e.text`:

- a section: id = the section's id, text = its title, a line break, then its text;
- a part's body text outside numbered sections: id = "p<part id>", text = `parts[i].text`;
- a table: id = the table's id, text = the header row then each data row, one per line, cells
  joined by " | " (as in `Directive.text`);
- the header and closing: id = "metadata", text = issuer, parent organisation, place, signer's
  body, title and name, one per line (those present, in that order).
"""

from __future__ import annotations

from dataclasses import dataclass

from directives.schemas import Directive, Section, Table

METADATA = "metadata"


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    kind: str  # "section" | "part" | "table" | "metadata"
    text: str


def section_text(section: Section) -> str:
    return f"{section.title}\n{section.text}" if section.text else section.title


def table_text(table: Table) -> str:
    rows = ([table.columns] if table.columns else []) + table.rows
    return "\n".join(" | ".join(row) for row in rows)


def metadata_text(directive: Directive) -> str:
    m, s = directive.metadata, directive.metadata.signer
    fields = (m.issuer, m.parent_organization, m.place, s.on_behalf_of, s.title, s.name)
    return "\n".join(f for f in fields if f)


def units(directive: Directive) -> list[Unit]:
    """Every unit of `directive` with text, in document order of kind: sections, parts, tables,
    metadata."""
    out = [Unit(s.id, "section", section_text(s)) for s in directive.sections]
    out += [Unit(f"p{p.id}", "part", p.text) for p in directive.parts if p.text]
    out += [Unit(t.id, "table", table_text(t)) for t in directive.tables]
    meta = metadata_text(directive)
    if meta:
        out.append(Unit(METADATA, "metadata", meta))
    return out


def unit_text(directive: Directive, unit_id: str) -> str:
    """The text an entity's offsets refer to (see the module docstring)."""
    for u in units(directive):
        if u.id == unit_id:
            return u.text
    raise KeyError(unit_id)
