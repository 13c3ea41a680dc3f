"""Digital signatures and the signature boxes laid over signed pages.

- the text of signature boxes and publishers' stamps ("Ký bởi: …", "Cơ quan: …", "Thời gian ký:
  …", an e-mail, a time with its UTC offset), kept out of the page's lines: it is not document text;
- the values a signature's appearance lays into the blanks of a line (the number, the day), placed
  into that line;
- the signature fields of a page and their dictionaries (/M, /Reason, /ByteRange …); their
  cryptographic check is `sigcheck.py`'s.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

import numpy as np
import pymupdf

from directives.errors import DirectivesError
from directives.extractors.model import Line, SignatureBox, Stamp, Word
from directives.extractors.overlay import VALUE, holds_blank_label, host_of, is_value_line, place_word
from directives.knowledge import COPY_FORMS, SIGNATURE_BOX_LABELS, SIGNATURE_BOX_OPENERS
from directives.schemas import Signature

# --- signature-box text -------------------------------------------------------------------------

# a date and time as signature boxes print them: 06.11.2024 09:27:05 +07:00, 17/01/2025 17:06:30,
# 19/05/2026; 14:42:19; +07:00, 2024-11-06 09:27:05, 2024.11.06 09:27:05 +07'00'
TIMESTAMP = re.compile(
    r"(?:(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})|(?P<y2>\d{4})[./-](?P<m2>\d{1,2})[./-](?P<d2>\d{1,2}))"
    r"[\s;,T]*(?:lúc\s*)?(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
    r"(?:[\s;,]*(?:UTC|GMT)?\s*(?P<off>[+-]\s?\d{1,2}(?:[:']?\d{2}'?)?)(?![\d/.]))?")
OFFSET_ONLY = re.compile(r"^(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LABEL_FIELD = {label.casefold(): name for name, labels in SIGNATURE_BOX_LABELS.items() for label in labels}
# "Ký bởi:", "Cơ quan:" …; a label ending in "by" / "bởi" needs no colon ("Digitally signed by X")
LABEL = re.compile(r"(?<![\w])(?P<label>" + "|".join(sorted(map(re.escape, _LABEL_FIELD), key=len, reverse=True))
                   + r")(?:\s*:|(?<=by)\s|(?<=bởi)\s)", re.IGNORECASE)
_OPENER = re.compile(r"^\s*(?:" + "|".join(map(re.escape, SIGNATURE_BOX_OPENERS)) + r")\b", re.IGNORECASE)
_COPY_LINE = re.compile(r"^\s*(?:" + "|".join(map(re.escape, COPY_FORMS)) + r")\s*;", re.IGNORECASE)
_TIME_CUE = re.compile(r"\d:\d{2}:\d{2}")
_CUE_LABELS = (*SIGNATURE_BOX_OPENERS, *COPY_FORMS)
_LABEL_CUE = re.compile("|".join(map(re.escape, _CUE_LABELS)), re.IGNORECASE)
# Under IGNORECASE a letter matches the characters that lower-case to it, and "s" the long s too, "i"
# the dotless i and the dotted capital I (lower-cased "i" and a combining dot): in the lower-cased
# text with these read as s and i, a label's match reads the label lower-cased. A text without any
# is spared the case-insensitive search, slow in Python (`tests/extractors/test_signatures.py`).
_CUE_FOLDS = (("ſ", "s"), ("ı", "i"), ("i\u0307", "i"))
CUE_KEYS = tuple(dict.fromkeys(label.lower() for label in _CUE_LABELS))


def cue_fold(text: str) -> str:
    """`text` lower-cased, with the characters IGNORECASE takes for s and i read as s and i."""
    low = text.lower()
    for odd, usual in _CUE_FOLDS:
        if odd in low:
            low = low.replace(odd, usual)
    return low


def has_cue(text: str) -> bool:
    """A time to the second, a label only a signature box prints or a form of copy anywhere in `text`."""
    if _TIME_CUE.search(text) is not None:
        return True
    low = cue_fold(text)
    return any(k in low for k in CUE_KEYS) and _LABEL_CUE.search(text) is not None


def offset_iso(text: str | None) -> str:
    """"+07:00" from "+07:00", "+0700", "+7", "+07'00'"; "" for none."""
    if not text:
        return ""
    digits = re.sub(r"\D", "", text)
    hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "00")
    return f"{text.strip()[0]}{int(hours):02d}:{minutes}"


def timestamp_iso(match: re.Match) -> str | None:
    """ISO 8601 of a `TIMESTAMP` match (with its offset when printed), None for an impossible date."""
    g = match.groupdict()
    y, m, d = (g["y"], g["m"], g["d"]) if g["y"] else (g["y2"], g["m2"], g["d2"])
    y, m, d, hh, mm, ss = int(y), int(m), int(d), int(g["H"]), int(g["M"]), int(g["S"] or 0)
    if not (1 <= m <= 12 and 1 <= d <= 31 and hh < 24 and mm < 60 and ss < 60):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}{offset_iso(g['off'])}"


def is_box_opener(text: str) -> bool:
    """A line only a signature box prints: a signer or signing-time label, a copy's signature line
    ("SAO Y; …"), a date with a time to the second and a UTC offset, or such a time alone on a
    short line."""
    if not has_cue(text):  # rules out almost every line of a document
        return False
    if _OPENER.match(text) or _COPY_LINE.match(text):
        return True
    m = TIMESTAMP.search(text)
    return m is not None and m.group("S") is not None and (m.group("off") is not None or len(text.strip()) <= 32)


def _stacked(a: Line, b: Line, height: float, size: float) -> bool:
    """`b` goes on the box `a` belongs to: aligned with it (left edge or middle), no further than a line
    away, in a like size of type."""
    gap = max(b.y0 - a.y1, a.y0 - b.y1)
    aligned = abs(a.x0 - b.x0) <= 3.0 or abs(a.xc - b.xc) <= 3.0
    return aligned and gap <= 0.8 * height and (not size or not b.size or 0.75 * size <= b.size <= 1.3 * size)


def find_boxes(lines: list[Line]) -> list[list[Line]]:
    """The signature boxes printed among `lines`: a line only a box prints (`is_box_opener`) and the
    lines stacked with it."""
    if not has_cue("\n".join(ln.raw for ln in lines)):  # one search for the page, as a rule
        return []
    openers = [ln for ln in lines if is_box_opener(ln.raw)]
    if not openers:
        return []
    taken: set[int] = set()
    boxes = []
    for seed in openers:
        if id(seed) in taken:
            continue
        box, height, size = [seed], seed.y1 - seed.y0, seed.size
        taken.add(id(seed))
        grown = True
        while grown:
            grown = False
            for ln in lines:
                if id(ln) not in taken and any(_stacked(b, ln, height, size) for b in box):
                    box.append(ln)
                    taken.add(id(ln))
                    grown = True
        boxes.append(sorted(box, key=lambda ln: (ln.y0, ln.x0)))
    return boxes


def box_text(lines: list[str]) -> str:
    """The lines of a box as one text; an e-mail address wrapped in a narrow box is joined again
    ("ttcbth@quangngai.gov.v" + "n")."""
    out: list[str] = []
    for text in (t.strip() for t in lines):
        if out and "@" in out[-1] and re.fullmatch(r"[a-z.]{1,3}", text) and out[-1][-1:].isalnum():
            out[-1] += text
        elif text:
            out.append(text)
    return " ".join(out)


def box_fields(lines: list[str]) -> dict[str, str]:
    """Signer, organization, e-mail, signing time (ISO 8601), reason, location of a box's text: by its
    labels ("Ký bởi:", "Cơ quan:" …); unlabelled text is the signer (a publisher's stamp prints its
    name, e-mail and time), in a copy's signature line the form of copy is the reason."""
    text = box_text(lines)
    fields: dict[str, str] = {}
    if m := EMAIL.search(text):
        fields["email"] = m.group(0)
    if (m := TIMESTAMP.search(text)) and (iso := timestamp_iso(m)):
        fields["signing_time"] = iso
    marks = list(LABEL.finditer(text))
    lead = text[:marks[0].start()] if marks else text
    for k, m in enumerate(marks):
        name = _LABEL_FIELD[m.group("label").casefold()]
        value = text[m.end():marks[k + 1].start() if k + 1 < len(marks) else len(text)].strip(" ;,")
        if name in ("signing_time", "email"):
            continue  # read above, wherever they stand
        if value and name not in fields:
            fields[name] = value
    if _COPY_LINE.match(lead):
        form, _, lead = lead.partition(";")
        fields.setdefault("reason", " ".join(form.split()))
    lead = TIMESTAMP.sub(" ", EMAIL.sub(" ", lead))
    lead = " ".join(t for t in re.split(r"[\s;]+", lead) if t and not OFFSET_ONLY.match(t))
    if lead and "signer" not in fields and re.search(r"[^\W\d_]", lead):
        fields["signer"] = lead
    return fields


def split_boxes(lines: list[Line], fields: list[SignatureField]) -> tuple[list[Line], list[SignatureBox]]:
    """`lines` without the signature boxes printed among them (`find_boxes`), and those boxes (with
    the signature field they lie in, if any)."""
    found = find_boxes(lines)
    if not found:
        return lines, []
    boxes = [SignatureBox(box, f.name if (f := field_of(box[0], fields)) else None) for box in found]
    gone = {id(ln) for box in found for ln in box}
    return [ln for ln in lines if id(ln) not in gone], boxes


def split_widget_lines(lines: list[Line], drawn: list[Line], fields: list[SignatureField]
                       ) -> tuple[list[Line], list[SignatureBox], list[Stamp]]:
    """Sort the lines the form fields' appearances draw (`drawn`): those of a signature field are its
    box, except values laid into a blank of a page line (placed there, as `Stamp`s) and, in a field
    that draws nothing else, values with no line to go into yet (a scan: OCR reads the line); those
    of other fields are page text (added to `lines`)."""
    by_field: dict[str, list[Line]] = {}
    for ln in drawn:
        field = field_of(ln, fields)
        if field is None:
            lines.append(ln)
        else:
            by_field.setdefault(field.name, []).append(ln)
    boxes, stamps = [], []
    for name, found in by_field.items():
        only_values = all(is_value_line(ln) for ln in found)
        rest = []
        for ln in found:
            host = host_of(lines, ln.x0, ln.y0, ln.x1, ln.y1, in_blank=False) if is_value_line(ln) else None
            if host is not None:
                place_word(ln.words[0], host)
            if host is not None or only_values:
                stamps.append(Stamp(ln.words[0], name, host))
            else:
                rest.append(ln)
        if rest:
            boxes.append(SignatureBox(sorted(rest, key=lambda ln: (ln.y0, ln.x0)), name))
    return lines, boxes, stamps


def box_signature(box: SignatureBox, page: int) -> Signature:
    """A box with no signature dictionary behind it, as a `stamp-text` signature."""
    fields = box_fields([ln.raw for ln in box.lines])
    return Signature(kind="stamp-text", field=box.field, page=page, box=[round(v, 1) for v in box.bbox],
                     text=box.text, **fields)


# --- signature fields ---------------------------------------------------------------------------


@dataclass(slots=True)
class SignatureField:
    name: str
    rect: tuple[float, float, float, float]  # page coordinates; an invisible signature's is empty

    def holds_point(self, x: float, y: float, margin: float = 2.0) -> bool:
        x0, y0, x1, y1 = self.rect
        return x0 - margin <= x <= x1 + margin and y0 - margin <= y <= y1 + margin

    def holds(self, line: Line) -> bool:
        return self.holds_point(line.xc, (line.y0 + line.y1) / 2)

    def share_of(self, line: Line) -> float:
        """How much of `line`'s box lies inside the field (0..1)."""
        x0, y0, x1, y1 = self.rect
        w, h = min(x1, line.x1) - max(x0, line.x0), min(y1, line.y1) - max(y0, line.y0)
        area = max(line.x1 - line.x0, 0.1) * max(line.y1 - line.y0, 0.1)
        return max(w, 0.0) * max(h, 0.0) / area


def field_of(line: Line, fields: list[SignatureField]) -> SignatureField | None:
    """The field that holds `line` (its middle inside); of fields laid over one another, the one that
    holds most of it (a seal's box overlapping the publisher's stamp beside it)."""
    holding = [f for f in fields if f.holds(line)]
    return max(holding, key=lambda f: f.share_of(line)) if len(holding) > 1 else (holding[0] if holding else None)


def pdf_date_iso(text: str | None) -> str | None:
    """ISO 8601 of a PDF date "D:20241106085421+07'00'" (Z: +00:00); None when it does not parse."""
    m = re.match(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(Z|[+-]\d{2}'?\d{0,2}'?)?", text or "")
    if not m:
        return None
    y, mo, d, hh, mi, ss, tz = m.groups()
    out = f"{y}-{mo or '01'}-{d or '01'}T{hh or '00'}:{mi or '00'}:{ss or '00'}"
    if tz == "Z":
        return out + "+00:00"
    return out + offset_iso(tz) if tz else out


def _key(doc: pymupdf.Document, xref: int, key: str) -> str | None:
    kind, value = doc.xref_get_key(xref, key)
    if kind == "null":
        return None
    if kind == "name":
        return value.lstrip("/")
    return value or None


_REF = re.compile(r"(\d+) \d+ R")


def _inherited(doc: pymupdf.Document, xref: int, key: str) -> tuple[str, str]:
    """A field's key, from the widget or the field above it (a widget may be a kid of its field)."""
    for _ in range(4):
        kind, value = doc.xref_get_key(xref, key)
        if kind != "null":
            return kind, value
        kind, parent = doc.xref_get_key(xref, "Parent")
        if kind != "xref":
            break
        xref = int(parent.split()[0])
    return "null", "null"


def signature_widgets(page: pymupdf.Page) -> list[tuple[str, pymupdf.Rect, int | None]]:
    """(field name, rectangle in page coordinates, xref of the signature dictionary or None when
    unsigned) of each signature widget of `page`, read from its /Annots (a dozen dictionary look-ups:
    `page.widgets()` reads every property of every widget, ten times as long)."""
    doc = page.parent
    kind, annots = doc.xref_get_key(page.xref, "Annots")
    if kind == "xref":
        annots = doc.xref_object(int(annots.split()[0]), compressed=True)
    elif kind != "array":
        return []
    out = []
    for ref in _REF.findall(annots):
        xref = int(ref)
        if doc.xref_get_key(xref, "Subtype")[1] != "/Widget" or _inherited(doc, xref, "FT")[1] != "/Sig":
            continue
        try:
            x0, y0, x1, y1 = (float(v) for v in doc.xref_get_key(xref, "Rect")[1].strip("[]").split())
        except ValueError:
            x0 = y0 = x1 = y1 = 0.0
        rect = (pymupdf.Rect(x0, y0, x1, y1) * page.transformation_matrix).normalize()
        kind, name = _inherited(doc, xref, "T")
        kind_v, value = _inherited(doc, xref, "V")
        out.append((name if kind == "string" else "", rect, int(value.split()[0]) if kind_v == "xref" else None))
    return out


def page_signatures(page: pymupdf.Page) -> tuple[list[SignatureField], list[Signature]]:
    """The signature fields of `page`, and a `Signature` for each one that is signed (its dictionary
    read; the cryptographic check comes later: `sigcheck.check_signatures`)."""
    fields, signatures = [], []
    doc = page.parent
    for name, rect, value in signature_widgets(page):
        field = SignatureField(name, (rect.x0, rect.y0, rect.x1, rect.y1))
        fields.append(field)
        if value is None:
            continue  # an empty signature field: nothing signed
        xref = value
        visible = rect.width > 0.5 and rect.height > 0.5 and rect.intersects(page.rect)
        sig = Signature(kind="digital", field=field.name, page=page.number + 1,
                        box=[round(v, 1) for v in field.rect] if visible else None,
                        signing_time=pdf_date_iso(_key(doc, xref, "M")), reason=_key(doc, xref, "Reason"),
                        location=_key(doc, xref, "Location"), subfilter=_key(doc, xref, "SubFilter"))
        if signer := _key(doc, xref, "Name"):
            sig.signer = signer
        if sig.reason and (email := EMAIL.search(sig.reason)):  # "BỘ Y TẾ<byt@moh.gov.vn> đã ký lên văn bản này!"
            sig.email = email.group(0)
        try:
            sig.byte_range = [int(v) for v in (_key(doc, xref, "ByteRange") or "").strip("[]").split()]
        except ValueError:
            sig.error = "unreadable /ByteRange"
        signatures.append(sig)
    return fields, signatures


STAMP_MAX_HEIGHT = 40.0  # pt: a field this low can only hold a value stamped into a line (a seal is larger)
_APPEARANCE_DPI = 300


def appearance_value(page: pymupdf.Page, field: SignatureField, lang: str = "vie") -> Word | None:
    """The value a low signature field draws only as an image (no text): its appearance rendered and
    read by OCR as one line of digits (coloured ink kept: stamps are often red); a `Word` where its
    ink lies, or None unless OCR reads one value (a number, a day) alone. The tesseract binary is
    run, not libtesseract: loaded in this process, it would make OCR workers start by spawning."""
    x0, y0, x1, y1 = field.rect
    if not 4.0 < y1 - y0 <= STAMP_MAX_HEIGHT or x1 - x0 <= 4.0:
        return None
    import cv2  # here: a file with no such field loads no image or OCR library

    from directives.extractors.ocr import render, tsv_to_rows
    from directives.extractors.tesseract import check_available, digits_tsv

    rgb = render(page, _APPEARANCE_DPI, (pymupdf.mupdf.fz_run_page_widgets,), field.rect)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    ink = cv2.findNonZero((grey < 160).astype(np.uint8))
    if ink is None:
        return None
    try:
        check_available(lang)
        rows = tsv_to_rows(digits_tsv(cv2.copyMakeBorder(grey, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255),
                                      lang, _APPEARANCE_DPI, 30.0))
    except (DirectivesError, RuntimeError, OSError):
        return None
    text = "".join(r["text"] for r in rows)
    if len(rows) != 1 or not VALUE.match(text):
        return None
    ix, iy, iw, ih = cv2.boundingRect(ink)
    scale = 72 / _APPEARANCE_DPI
    return Word(text, x0 + ix * scale, y0 + iy * scale, x0 + (ix + iw) * scale, y0 + (iy + ih) * scale,
                conf=max(0.0, min(1.0, rows[0]["conf"] / 100)))


def stamp_images(page: pymupdf.Page, fields: list[SignatureField], lines: list[Line],
                 stamps: list[Stamp], boxes: list[SignatureBox]) -> None:
    """Values that low signature fields draw only as images, read by OCR (`appearance_value`) and
    placed into the line they lie on (in place: `lines` and `stamps`). On a page with text lines only
    fields that lie on a number or date line are read (`holds_blank_label`); on a page without (a
    scan) every low field is."""
    drawn = {s.field for s in stamps} | {b.field for b in boxes}
    for field in fields:
        if field.name in drawn:
            continue
        x0, y0, x1, y1 = field.rect
        host = host_of(lines, x0, y0, x1, y1, in_blank=False) if lines else None
        if lines and (host is None or not holds_blank_label(host)):
            continue  # a signature's image over a title or a name: no value to place (and no OCR run)
        word = appearance_value(page, field)
        if word is None:
            continue
        host = host_of(lines, word.x0, word.y0, word.x1, word.y1, in_blank=False) if lines else None
        if host is not None:
            place_word(word, host)
        stamps.append(Stamp(word, field.name, host))


def _run_to_dict(page: pymupdf.Page, runs: tuple, flags: int) -> dict:
    """`get_text("dict")` of what `runs` (MuPDF's page content, annotation and widget runners) draw."""
    mupdf = pymupdf.mupdf
    fz = page.this.super() if isinstance(page.this, mupdf.PdfPage) else page.this
    stext = mupdf.FzStextPage(mupdf.fz_bound_page(fz))
    dev = mupdf.fz_new_stext_device(stext, mupdf.FzStextOptions(flags))
    for run in runs:
        run(fz, dev, mupdf.FzMatrix(), mupdf.FzCookie())
    mupdf.fz_close_device(dev)
    textpage = pymupdf.TextPage(stext)
    textpage.parent = weakref.proxy(page)
    return textpage.extractDICT()


def split_widget_text(page: pymupdf.Page, flags: int) -> tuple[dict, dict]:
    """The page's text as `get_text("dict")` gives it, in two parts: page content and annotations, and
    the form fields' appearances (where signature fields draw their boxes and stamped values). Together
    they cost what one reading of the page does."""
    mupdf = pymupdf.mupdf
    rotation = page.rotation
    if rotation:
        page.set_rotation(0)  # as `get_textpage` does: coordinates of the unrotated page
    try:
        return (_run_to_dict(page, (mupdf.fz_run_page_contents, mupdf.fz_run_page_annots), flags),
                _run_to_dict(page, (mupdf.fz_run_page_widgets,), flags))
    finally:
        if rotation:
            page.set_rotation(rotation)
