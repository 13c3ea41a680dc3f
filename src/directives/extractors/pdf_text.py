"""Read a PDF's text layer with PyMuPDF into the shared page model.

Words come from `get_text("dict")` spans (fonts, sizes, bold/italic); a span's words get boxes
interpolated by character position, which is exact enough for column and cell assignment and
three times faster than per-character boxes. Drawn line segments and thin rectangles become
`Rule`s for table geometry.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

import pymupdf

from directives.extractors.legacy import Encoding, convert, font_encoding, guess_encoding
from directives.extractors.model import Line, Page, Rule, SignatureBox, Stamp, Word
from directives.extractors.overlay import place_values
from directives.extractors.signatures import (
    page_signatures,
    split_boxes,
    split_widget_lines,
    split_widget_text,
    stamp_images,
)
from directives.syllables import is_syllable, text_words, vietnamese_score
from directives.vntext import ALPHABET, marked_letters, rejoin_split_syllables

_FLAG_ITALIC = 2
_FLAG_BOLD = 16
_TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_PRESERVE_LIGATURES | pymupdf.TEXT_MEDIABOX_CLIP
_THIN = 2.0  # a filled rectangle thinner than this (pt) is a drawn rule


@lru_cache(maxsize=1024)
def _style(flags: int, font: str) -> tuple[bool, bool]:
    """Bold and italic, from a span's flags or its font's name."""
    return (bool(flags & _FLAG_BOLD) or "Bold" in font or "bold" in font,
            bool(flags & _FLAG_ITALIC) or "Italic" in font or "Oblique" in font)


def span_to_words(span: dict) -> list[Word]:
    """Split one PyMuPDF span into words with interpolated boxes."""
    text = span["text"]
    n = len(text)
    if not n or text.isspace():
        return []
    x0, y0, x1, y1 = span["bbox"]
    step = (x1 - x0) / n
    bold, italic = _style(span["flags"], span["font"])
    size = round(span["size"], 2)
    words = []
    pos = 0
    if text.isprintable():  # no white space but the ASCII space: words where split(" ") puts them
        for token in text.split(" "):
            if token:
                words.append(Word(token, x0 + pos * step, y0, x0 + (pos + len(token)) * step, y1, size, bold, italic))
            pos += len(token) + 1
        return words
    for token in text.split():
        start = text.index(token, pos)
        pos = start + len(token)
        words.append(Word(token, x0 + start * step, y0, x0 + pos * step, y1, size, bold, italic))
    return words


def dict_to_lines(page_dict: dict) -> list[Line]:
    """Lines of a `get_text("dict")` result, in the order PyMuPDF found them."""
    lines: list[Line] = []
    for block in page_dict["blocks"]:
        for ln in block.get("lines", ()):
            if ln["dir"][0] < 0.9:  # rotated text (stamps, margins): not part of the reading flow
                continue
            spans = ln["spans"]
            if len(spans) == 1:  # most lines: one font
                words = span_to_words(spans[0])
                raw = spans[0]["text"]
            else:
                words = []
                glue = False  # previous span ended inside a word (no trailing space)
                for span in spans:
                    text = span["text"]
                    new = span_to_words(span)
                    if new and words and glue and not text[:1].isspace():
                        first = new.pop(0)  # “ + Giáo: one word split over two fonts
                        last = words[-1]
                        last.text += first.text
                        last.x1, last.y1 = first.x1, max(last.y1, first.y1)
                    words.extend(new)
                    if text.strip():
                        glue = not text[-1:].isspace()
                raw = "".join([s["text"] for s in spans])
            if not words:
                continue
            raw = raw.strip()
            x0, y0, x1, y1 = ln["bbox"]
            lines.append(Line.of(words, x0, y0, x1, y1, raw))
    return lines


_SPACED = bytes.maketrans(b"\t\n\r\f\x00", b"     ")  # PDF white space → spaces
# a path's straight segments: "l", "h" (closing it), four per rectangle ...
_SEGMENT_OPS = ((b" l ", 1), (b" h ", 1), (b" re ", 4))
# ... one more when "s", "b" or "b*" close the path as they paint it (they may touch what follows)
_CLOSE_PAINT = re.compile(rb" (?:s|b\*?)(?=[ /\[<(%])")
_CLIP_RECTANGLE = re.compile(rb" re +W\*? +n ")  # a clip path: not drawn
_DRAWN = re.compile(rb"/([^\s()<>\[\]{}/%]+)\s*Do(?![^\s()<>\[\]{}/%])")  # a form or an image drawn
_MAX_NESTING = 8


def path_segments(data: bytes) -> int:
    """At most how many straight segments the paths of a content stream hold (four per
    rectangle), but for clip rectangles ("re W n"), which are not drawn. Counted with
    `bytes.count` on the stream with its white space made spaces: a Python loop over its tokens
    would cost as much as reading the drawings. A path operator never touches the token after it
    (its operands are numbers, an operator follows); a token inside a string can only add to the
    count."""
    spaced = b" " + data.translate(_SPACED) + b" "
    total = sum(n * spaced.count(op) for op, n in _SEGMENT_OPS) + len(_CLOSE_PAINT.findall(spaced))
    return total - 4 * len(_CLIP_RECTANGLE.findall(spaced)) if total else 0


def path_segments_floor(data: bytes, enough: int | None = None) -> int:
    """At most `path_segments(data)`, and cheaper: four for each "re" beyond as many as the stream
    has "W" bytes (every clip rectangle has one), then its "l" and "h" segments ("s", "b" are not
    counted); the count stops once it reaches `enough`. A page whose floor reaches a table's worth
    of rules has its drawings read without counting the rest."""
    spaced = b" " + data.translate(_SPACED) + b" "
    total = 4 * max(0, spaced.count(b" re ") - data.count(b"W"))
    for op in (b" l ", b" h "):
        if enough is not None and total >= enough:
            break
        total += spaced.count(op)
    return total


class _Unbounded(Exception):
    """`segment_bound` cannot tell (an XObject it cannot find, forms nested too deep)."""


def _stream_segments(doc: pymupdf.Document, data: bytes, owner: int, depth: int) -> int:
    total = path_segments(data)
    if b"Do" in data:
        for name in _DRAWN.findall(data):  # looked up in the stream's own resources
            kind, ref = doc.xref_get_key(owner, "Resources/XObject/" + name.decode("latin-1"))
            if kind != "xref" or depth >= _MAX_NESTING:
                raise _Unbounded  # inherited resources, an odd name: not looked into
            xref = int(ref.split()[0])
            subtype = doc.xref_get_key(xref, "Subtype")[1]
            if subtype == "/Form":
                total += _stream_segments(doc, doc.xref_stream(xref) or b"", xref, depth + 1)
            elif subtype != "/Image":
                raise _Unbounded
    return total


def _appearance_segments(doc: pymupdf.Document, xref: int, kind: int) -> int:
    """`path_segments` of what an annotation or form field draws: its normal appearance stream (and
    the forms it draws). `_Unbounded` when it has none that is one stream (appearance states, or none:
    MuPDF may make one)."""
    found, ref = doc.xref_get_key(xref, "AP/N")
    if found == "xref":
        stream = int(ref.split()[0])
        return _stream_segments(doc, doc.xref_stream(stream) or b"", stream, 1)
    raise _Unbounded


def _pdf_page(page: pymupdf.Page):
    mupdf = pymupdf.mupdf
    return page.this if isinstance(page.this, mupdf.PdfPage) else mupdf.pdf_page_from_fz_page(page.this)


def has_widget(page: pymupdf.Page) -> bool:
    """`page.first_widget is not None`, without the widget's properties PyMuPDF reads for it (≈ 1 ms)."""
    pdf = _pdf_page(page)
    return bool(pdf.m_internal) and bool(pymupdf.mupdf.pdf_first_widget(pdf).m_internal)


def drawn_annotations(page: pymupdf.Page) -> int:
    """How many annotations and form fields MuPDF's own lists hold for `page` (what it draws)."""
    mupdf = pymupdf.mupdf
    pdf = _pdf_page(page)
    if not pdf.m_internal:
        return 0
    n = 0
    for first, following in ((mupdf.pdf_first_annot, mupdf.pdf_next_annot), (mupdf.pdf_first_widget, mupdf.pdf_next_widget)):
        annot = first(pdf)
        while annot.m_internal:
            n += 1
            annot = following(annot)
    return n


def segment_bound(page: pymupdf.Page, contents: bytes | None = None) -> int | None:
    """At most how many straight segments `get_cdrawings` can find on `page` (a rectangle counts
    four): `path_segments` of its content stream, of the appearance streams of its annotations and
    form fields (`get_cdrawings` draws them too) and of the forms they draw. None when it cannot
    be told: an XObject that is not in the stream's own resources, an annotation with no appearance
    stream of its own or that /Annots does not list as MuPDF loaded it, a form whose appearances the
    reader is told to make anew. `contents`: the page's `read_contents()`, when already read."""
    doc = page.parent
    try:
        total = _stream_segments(doc, page.read_contents() if contents is None else contents, page.xref, 0)
        if drawn := drawn_annotations(page):
            if doc.xref_get_key(doc.pdf_catalog(), "AcroForm/NeedAppearances")[1] == "true":
                return None
            listed = [(xref, kind) for xref, kind, *_ in page.annot_xrefs() if kind != pymupdf.PDF_ANNOT_LINK]
            if len(listed) != drawn:
                return None  # not the annotations MuPDF draws, one for one
            for xref, kind in listed:
                total += _appearance_segments(doc, xref, kind)
        return total
    except _Unbounded:
        return None


def may_hold_rules(page: pymupdf.Page, n: int) -> bool:
    """Can `get_cdrawings` find `n` straight segments or more on `page` (`segment_bound`)? Reading
    the drawings costs 1 to 3 ms a page (8 % of a born-digital page's instructions), and most
    pages draw nothing, or an underline or two beside their text, or a box: fewer segments than a
    ruled table needs. A page whose own stream's `path_segments_floor` reaches `n` is not counted
    further (every term `segment_bound` adds to it is ≥ 0)."""
    contents = page.read_contents()
    if path_segments_floor(contents, n) >= n:
        return True
    bound = segment_bound(page, contents)
    return bound is None or bound >= n


def drawings_to_rules(drawings: list[dict]) -> list[Rule]:
    """Straight segments and thin rectangles of `get_cdrawings()`; a stroked box gives its edges."""
    rules: list[Rule] = []
    for d in drawings:
        for item in d["items"]:
            op = item[0]
            if op == "l":
                (ax, ay), (bx, by) = item[1], item[2]
                r = Rule(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
                if r.horizontal or r.vertical:
                    rules.append(r)
            elif op == "re":
                x0, y0, x1, y1 = item[1]
                w, h = x1 - x0, y1 - y0
                if h <= _THIN or w <= _THIN:
                    if w > h:
                        rules.append(Rule(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2))
                    else:
                        rules.append(Rule((x0 + x1) / 2, y0, (x0 + x1) / 2, y1))
                elif d.get("color") is not None:
                    rules.extend((Rule(x0, y0, x1, y0), Rule(x0, y1, x1, y1), Rule(x0, y0, x0, y1), Rule(x1, y0, x1, y1)))
    return rules


# letters of the alphabet (and f j w z) bare or with a tone mark as one character, ASCII, punctuation
_GOOD = frozenset(marked_letters(ALPHABET + "fjwz")) | frozenset(map(chr, range(32, 127))) | frozenset("“”‘’–—…•·°№§")
# any other character (a regular expression counts them ten times faster than str.translate deletes the rest)
_NOT_GOOD = re.compile("[^" + "".join(sorted(map(re.escape, _GOOD))) + "]")


def text_plausibility_of(text: str) -> float:
    """Share of the characters of `text` that belong to Vietnamese text (0..1)."""
    text = unicodedata.normalize("NFC", text[:4000]).replace(" ", "")
    if not text:
        return 0.0
    return 1.0 - len(_NOT_GOOD.findall(text)) / len(text)


def text_plausibility(lines: list[Line]) -> float:
    """Share of characters that belong to Vietnamese text (0..1); legacy fonts and junk score low."""
    return text_plausibility_of("".join(ln.raw for ln in lines))


def layer_is_implausible(lines: list[Line], min_score: float = 0.7, min_words: int = 20,
                         over_image: Callable[[], bool] = lambda: True) -> bool:
    """True when a text layer does not read as Vietnamese: characters outside the Vietnamese set
    (legacy TCVN3 / VNI fonts) or, on a page with enough words, too few well-formed syllables with
    diacritics (a junk OCR layer such as "CQNG HOA XA HO! CHU NGHIA"). A junk OCR layer lies over
    the scan it was read from (`over_image`): without one, few syllables are a list of
    abbreviations ("UBND, HĐND, VPUB: CVP, PCVP"), which OCR would only read worse. Whether there
    is an image is asked first: it costs a fifth of the syllables' score, and most pages have none."""
    if not lines:
        return False
    if text_plausibility(lines) < 0.9:
        return True
    if not over_image():
        return False
    score, words = vietnamese_score(" ".join(ln.raw for ln in lines))
    return words >= min_words and score < min_score


IMPLAUSIBLE = "text layer does not look like Vietnamese text (legacy font or junk OCR layer)"
CONVERTED = "text layer converted to Unicode from"
REJOINED = "words split at their diacritics by the PDF font rejoined"


def convert_legacy_spans(page_dict: dict) -> Counter[Encoding]:
    """Convert, in place, the spans of a `get_text("dict")` result whose font announces a legacy
    encoding (.VnTime → TCVN3, VNI-Times → VNI); when the page still does not read as Vietnamese,
    spans in other fonts whose text converts into Vietnamese are converted too (a renamed font).
    Returns how many spans were converted from each encoding."""
    done: Counter[Encoding] = Counter()
    rest: list[dict] = []
    for block in page_dict["blocks"]:
        for ln in block.get("lines", ()):
            for span in ln["spans"]:
                enc = font_encoding(span["font"])
                if enc is None:
                    rest.append(span)
                    continue
                new = convert(span["text"], enc, span["font"])
                if new != span["text"]:
                    span["text"] = new
                    done[enc] += 1
    if rest and text_plausibility_of("".join(s["text"] for s in rest)) < 0.9:
        enc = guess_encoding(" ".join(s["text"] for s in rest))
        if enc is not None:
            for span in rest:  # spans already in Unicode Vietnamese are left alone
                if text_plausibility_of(span["text"]) < 1.0 and "Symbol" not in span["font"]:
                    span["text"] = convert(span["text"], enc, span["font"])
                    done[enc] += 1
    return done


@lru_cache(maxsize=65536)
def word_needs_rejoin(text: str) -> bool:
    """A word that starts with a combining mark, or holds a non-syllable with a diacritic."""
    if unicodedata.combining(text[0]):
        return True
    return any(not is_syllable(t) for t in text_words(text) if not t.isascii())


def lines_to_rejoin(lines: list[Line]) -> list[Line]:
    """The lines that may need `rejoin_split_words`: those with a word that `word_needs_rejoin`
    (each distinct word of the page checked once)."""
    words = set(" ".join([ln.raw for ln in lines]).split())
    suspect = {w for w in words if not w.isascii() and word_needs_rejoin(w)}
    return [ln for ln in lines if not suspect.isdisjoint(ln.raw.split())] if suspect else []


def rejoin_split_words(line: Line) -> bool:
    """Join, in place, the words of `line` that a PDF font split at a diacritic ("ĐIỀ U" → "ĐIỀU");
    True when something was joined (`lines_to_rejoin` tells which lines are worth the try)."""
    groups = rejoin_split_syllables([w.text for w in line.words])
    if all(n == 1 for n, _ in groups):
        return False
    words: list[Word] = []
    i = 0
    for n, text in groups:
        first, last = line.words[i], line.words[i + n - 1]
        words.append(Word(text, first.x0, min(w.y0 for w in line.words[i:i + n]), last.x1,
                          max(w.y1 for w in line.words[i:i + n]), first.size, first.bold, first.italic))
        i += n
    line.words = words
    line.raw = line.text = " ".join(w.text for w in words)
    return True


class TextLayerReader:
    """Reads one page's text layer; the OCR reader (`ocr.py`) returns the same `Page`."""

    min_chars: int = 20

    def __init__(self, min_rules: int = 4) -> None:
        self.min_rules = min_rules  # a page that cannot draw this many segments has its drawings not read

    def read_page(self, doc: pymupdf.Document, index: int) -> Page:
        page = doc[index]
        rect = page.rect
        fields, signatures = page_signatures(page) if has_widget(page) else ([], [])
        if fields:  # the signature fields' appearances are read apart: boxes and stamped values
            page_dict, drawn_dict = split_widget_text(page, _TEXT_FLAGS)
        else:
            page_dict, drawn_dict = page.get_text("dict", flags=_TEXT_FLAGS), None
        converted = convert_legacy_spans(page_dict)
        lines = dict_to_lines(page_dict)
        boxes: list[SignatureBox] = []
        stamps: list[Stamp] = []
        if drawn_dict is not None:
            converted.update(convert_legacy_spans(drawn_dict))
            lines, boxes, stamps = split_widget_lines(lines, dict_to_lines(drawn_dict), fields)
            stamp_images(page, fields, lines, stamps, boxes)
        lines, printed = split_boxes(lines, fields)
        boxes.extend(printed)
        lines = place_values(lines)
        rejoined = sum(rejoin_split_words(ln) for ln in lines_to_rejoin(lines))
        rules = drawings_to_rules(page.get_cdrawings()) if may_hold_rules(page, self.min_rules) else []
        if fields:  # the frames and strokes of signature appearances are no table rules
            rules = [r for r in rules if not any(f.holds_point((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2) for f in fields)]
        chars = sum(len(ln.raw) for ln in lines)
        result = Page(index + 1, rect.width, rect.height, "text", lines, rules, boxes=boxes, stamps=stamps,
                      signatures=signatures)
        for enc, n in sorted(converted.items()):
            result.warn("legacy-encoding", f"{CONVERTED} {enc} ({n} spans in legacy fonts)")
        if rejoined:
            result.warn("words-rejoined", f"{REJOINED} ({rejoined} lines)")
        if chars < self.min_chars and page.get_images():
            result.source = "none"  # an image with (almost) no text on it (but signature boxes): a scan
            result.lines = []
        else:
            if chars and layer_is_implausible(lines, over_image=lambda: bool(page.get_images())):
                result.warn("text-layer-implausible", IMPLAUSIBLE)
            unplaced = [st for st in stamps if st.host is None]
            if unplaced:  # no line of this text layer to go into: shown where they are drawn
                lines.extend(Line.of([st.word], st.word.x0, st.word.y0, st.word.x1, st.word.y1, st.word.text)
                             for st in unplaced)
                result.stamps = [st for st in stamps if st.host is not None]
        return result
