"""signatures: the file's digital signatures and signature boxes into `result.signatures`; warnings on
the fields whose value an e-office system stamped when it signed.

Reads: pages (signatures, boxes, stamps: `extractors/signatures.py`), the metadata from header.
Writes: `result.signatures`, warnings:
- `from-signature-stamp` (info): number, reference or date read from a value a signature's
  appearance laid into the blank of its line;
- `date-differs-from-signing-time`: the printed date is not the day the signature that stamped it
  was made (the printed date is kept);
- `signature-unreadable`, `signature-invalid`, `modified-after-signing`.
"""

from __future__ import annotations

import re

from directives.extractors.model import Page, SignatureBox, Stamp
from directives.extractors.signatures import box_fields, box_signature
from directives.pipeline.document import Document
from directives.pipeline.stage import Stage
from directives.schemas import Signature
from directives.vntext import fold

_REFERENCE_LINE = re.compile(r"^\s*so\b")  # folded "Số:"
_DATE_WORDS = {"ngay": 2, "thang": 1, "nam": 0}  # the word before a value → its place in an ISO date
_DATE_PART = {"ngay": "day", "thang": "month", "nam": "year"}


def _with_box(sig: Signature, box: SignatureBox) -> None:
    """A digital signature completed from its box: the box's text, and what the certificate and the
    dictionary did not give."""
    sig.text = box.text
    for name, value in box_fields([ln.raw for ln in box.lines]).items():
        if getattr(sig, name) is None:
            setattr(sig, name, value)


def collect(pages: list[Page]) -> list[Signature]:
    """Every digital signature of the file, its box's text joined to it, and every box with no
    signature behind it as a `stamp-text` signature; by page, top to bottom."""
    every = [s for p in pages for s in p.signatures]
    digital = {s.field: s for s in reversed(every)}  # by field name: the first of a name
    out: list[tuple[int, float, Signature]] = [(s.page or 0, s.box[1] if s.box else -1.0, s) for s in every]
    for page in pages:
        for box in page.boxes:
            sig = digital.get(box.field) if box.field else None
            if sig is not None and sig.text is None:
                _with_box(sig, box)
            else:
                out.append((page.number, box.bbox[1], box_signature(box, page.number)))
    return [s for _, _, s in sorted(out, key=lambda t: (t[0], t[1]))]


def stamped_fields(stamp: Stamp) -> list[str]:
    """The metadata fields a stamped value may have given: number and reference on the "Số:" line; the
    day, month or year of the date by the word before it ("ngày 06")."""
    host = stamp.host
    if host is None:
        return []
    if _REFERENCE_LINE.match(fold(host.words[0].text if host.words else "")):
        return ["number", "reference"]
    k = next((i for i, w in enumerate(host.words) if w is stamp.word), -1)
    if k > 0 and fold(host.words[k - 1].text).strip(",.") in _DATE_WORDS:
        return ["date:" + fold(host.words[k - 1].text).strip(",.")]
    return []


def _warn_stamps(doc: Document, signatures: dict[str, Signature]) -> None:
    meta = doc.result.metadata
    for page in doc.pages:
        for stamp in page.stamps:
            if stamp.field is None:
                continue
            value = stamp.word.text
            source = f"the appearance of signature field {stamp.field!r} on page {page.number}"
            for name in stamped_fields(stamp):
                if name == "number" and meta.number == value:
                    doc.warn("from-signature-stamp", f"number {value} read from {source}", page=page.number,
                             field_="number", severity="info")
                elif name == "reference" and meta.reference and meta.reference.startswith(value):
                    doc.warn("from-signature-stamp", f"reference {meta.reference}: its number read from {source}",
                             page=page.number, field_="reference", severity="info")
                elif name.startswith("date:") and meta.date and value.isdigit():
                    place = _DATE_WORDS[name[5:]]
                    if int(meta.date.split("-")[place]) != int(value):
                        continue
                    doc.warn("from-signature-stamp", f"date {meta.date}: its {_DATE_PART[name[5:]]} {value} read from {source}",
                             page=page.number, field_="date", severity="info")
                    _check_signing_day(doc, signatures.get(stamp.field), page.number)


def _check_signing_day(doc: Document, sig: Signature | None, page: int) -> None:
    """Warn when the printed date is not the day the stamping signature was made."""
    date = doc.result.metadata.date
    if sig is None or not sig.signing_time or not date or sig.signing_time[:10] == date:
        return
    if any(w.code == "date-differs-from-signing-time" for w in doc.result.warnings):
        return
    doc.warn("date-differs-from-signing-time", f"the printed date {date} is not the day signature "
             f"{sig.field!r}, which stamped it, was made ({sig.signing_time}); the printed date is kept",
             page=page, field_="date")


def _warn_signatures(doc: Document, signatures: list[Signature]) -> None:
    for sig in signatures:
        if sig.kind != "digital":
            continue
        where = f"signature {sig.field!r} on page {sig.page}"
        if sig.error:
            doc.warn("signature-unreadable", f"{where} could not be checked: {sig.error}", page=sig.page,
                     field_="signatures")
        elif sig.intact is False or sig.valid is False:
            what = "the signed bytes were changed" if sig.intact is False else "the signature does not match its key"
            doc.warn("signature-invalid", f"{where} does not hold: {what}", page=sig.page, field_="signatures")
        elif sig.modified_after_signing and not sig.later_changes_signed:
            doc.warn("modified-after-signing", f"{where}: the file was changed after it was signed, and no later "
                     "signature covers the change", page=sig.page, field_="signatures")


def signatures(doc: Document) -> Document:
    found = collect(doc.pages)
    doc.result.signatures = found
    _warn_signatures(doc, found)
    _warn_stamps(doc, {s.field: s for s in found if s.kind == "digital" and s.field})
    return doc


STAGE = Stage("signatures", signatures, reads=("pages", "metadata", "warnings"), writes=("signatures", "metadata", "warnings"))
