"""checks: consistency warnings and the document status.

Reads: metadata, parts, activities, pages. Writes: warnings and `status`:
- an attachment dated differently from the document it is attached to;
- an activity naming a year other than its plan's (year ranges such as "2024 - 2029" excepted);
- a mandatory metadata field not found;
- pages without usable text.
Status: failed when no page had text; partial when pages were lost or a mandatory field is
missing; ok otherwise.
"""

from __future__ import annotations

import re

from directives.pipeline.document import Document
from directives.pipeline.stage import Stage
from directives.schemas import Status

MANDATORY = ("issuer", "type", "date")
_YEAR = re.compile(r"(?<![\d/])((?:19|20)\d{2})(?![\d/])")
_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*[-–—]\s*(?:19|20)\d{2}")


def stray_years(text: str, year: int) -> list[int]:
    """Years in `text` other than `year`, ignoring ranges like '(1956 - 2024)' and 'nhiệm kỳ 2024 - 2029'."""
    text = _YEAR_RANGE.sub(" ", text)
    return [y for y in map(int, _YEAR.findall(text)) if y != year]


def page_ranges(pages: list[int]) -> str:
    """[1, 2, 3, 5] → '1–3, 5'."""
    out: list[str] = []
    for p in pages:
        if out and out[-1].split("–")[-1] == str(p - 1):
            out[-1] = f"{out[-1].split('–')[0]}–{p}"
        else:
            out.append(str(p))
    return ", ".join(out)


def checks(doc: Document) -> Document:
    r = doc.result
    main = r.parts[0] if r.parts else None
    for part in r.parts[1:]:
        if main and main.date and part.date and part.date != main.date:
            doc.warn("attachment-date-mismatch",
                     f"part {part.id} ({part.type or 'attachment'}) is dated {part.date}, "
                     f"the document {main.date}", part=part.id, page=part.pages[0] if part.pages else None)
    for a in r.activities:
        if a.year and (years := stray_years(a.name, a.year)):
            doc.warn("activity-year-mismatch",
                     f"activity {a.no} of table {a.table_id} names {', '.join(map(str, years))} "
                     f"in a {a.year} plan: {a.name!r}", field_="activities")
    missing = [f for f in MANDATORY if not getattr(r.metadata, f)]
    if not r.metadata.signer.name:
        missing.append("signer.name")
    for f in missing:
        doc.warn("missing-field", f"{f} not found", field_=f)
    lost = [p.number for p in doc.pages if p.source == "none"]
    for p in doc.pages:
        for w in p.warnings:
            doc.warn(w.code, w.message, page=p.number)
    if lost:
        doc.warn("no-text", f"no usable text on {len(lost)} of {len(doc.pages)} page(s) ({page_ranges(lost)}): "
                 "no text layer, and OCR was unavailable or read nothing (see the page warnings)")
    if not lost and not any(p.lines for p in doc.pages):  # blank pages only (e.g. a repaired, truncated file)
        doc.warn("no-text", f"no text on any of the {len(doc.pages)} page(s): blank or damaged pages")
        r.status = Status.failed
    elif len(lost) == len(doc.pages):
        r.status = Status.failed
    elif lost or missing:
        r.status = Status.partial
    else:
        r.status = Status.ok
    return doc


STAGE = Stage("checks", checks, reads=("metadata", "parts", "activities", "pages"), writes=("warnings", "status"))
