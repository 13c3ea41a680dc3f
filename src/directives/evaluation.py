"""`directives eval`: score an output folder against hand-labelled gold (../shared/corpus/gold format).

In the manner of GROBID's end-to-end evaluation:
- per metadata field, strict (equal after NFC and whitespace collapse) and soft (also case-,
  diacritic- and edge-punctuation-insensitive) precision, recall and F1, micro-averaged, and the
  share of documents with every field right. A gold value and a different predicted value count
  as one false positive and one false negative; a value on one side only as one of them; two
  empty values are not counted. Lists compare as multisets (order-free). Gold "?" (illegible in
  the original) is not scored.
- headings: gold `sections` against the predicted sections, number and title compared case-,
  diacritic- and punctuation-insensitively (a section without a title of its own matches the
  gold's opening sentence of it; a gold number alone matches the section of that number; past the
  number, spaces OCR lost or added and, on a long heading, a few misread letters are forgiven); a
  predicted top-level section no gold heading matches is a false positive.
- tables: gold tables whose body-row count a predicted table starting on the same page has; of
  those, the ones whose columns are the gold's: as many, and each named alike (`columns_match`);
  the same again for the gold tables on pages read by OCR (scans) alone.
- CER and WER of the predicted text against a reference text, where the gold names one
  (`text_file`, relative to the gold file).
- the same field figures again for two groups apart, from the gold's `handwritten` key: the fields
  written by hand in ink, and all the others ("typed": typed, and stamped with a rubber stamp, which
  is printed text). For each group, per field, the gold values got right, left null and wrong.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from directives.schemas import Directive, Metadata, Section
from directives.vntext import fold

FIELDS = ("regime_header", "parent_organization", "issuer", "reference", "number", "symbol", "type", "place", "date",
          "subject", "recipients", "distribution", "signer.name", "signer.title", "signer.authority")
_EDGE = " .,;:!?\"'“”‘’()-–"
GROUPS = ("typed", "handwritten")  # typed: every field the gold does not list as handwritten (stamped ones too)
HAND = "✍"  # marks a handwritten field in the per-document listing
_TOKEN = re.compile(r"\w+")


def strict_key(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, list):
        return sorted(str(strict_key(v)) for v in value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def soft_key(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, list):
        return sorted(str(soft_key(v)) for v in value)
    return " ".join(fold(unicodedata.normalize("NFC", str(value))).split()).strip(_EDGE)


def heading_key(text: str) -> str:
    """'I. MỤC ĐÍCH, YÊU CẦU' and 'I' + 'Mục đích – yêu cầu' → 'i muc dich yeu cau'."""
    return " ".join(_TOKEN.findall(fold(unicodedata.normalize("NFC", text))))


def field_value(meta: dict | Metadata, name: str) -> object:
    data: object = meta.model_dump() if isinstance(meta, Metadata) else meta
    for key in name.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data


def is_empty(value: object) -> bool:
    return value is None or value == "" or value == []


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def compare(gold: object, pred: object, key) -> Counts:
    """Counts of one field of one document under a matcher (`strict_key` or `soft_key`)."""
    if is_empty(gold) and is_empty(pred):
        return Counts()
    if is_empty(gold):
        return Counts(fp=1)
    if is_empty(pred):
        return Counts(fn=1)
    return Counts(tp=1) if key(gold) == key(pred) else Counts(fp=1, fn=1)


@dataclass
class Outcomes:
    """What became of the gold values of a field (strict): right, left null, or a different value."""

    right: int = 0
    null: int = 0
    wrong: int = 0

    def add(self, c: Counts) -> None:
        # one field of one document: tp → right; fn alone → predicted empty; fp and fn → a different value
        self.right += c.tp
        self.null += int(c.fn > 0 and c.fp == 0)
        self.wrong += int(c.fn > 0 and c.fp > 0)


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate after NFC and whitespace collapse."""
    ref = " ".join(unicodedata.normalize("NFC", reference).split())
    hyp = " ".join(unicodedata.normalize("NFC", hypothesis).split())
    return Levenshtein.distance(ref, hyp) / max(len(ref), 1)


def wer(reference: str, hypothesis: str) -> float:
    ref = unicodedata.normalize("NFC", reference).split()
    hyp = unicodedata.normalize("NFC", hypothesis).split()
    return Levenshtein.distance(ref, hyp) / max(len(ref), 1)


@dataclass
class DocEval:
    file: str
    gold_file: str
    strict: dict[str, Counts] = field(default_factory=dict)
    soft: dict[str, Counts] = field(default_factory=dict)
    wrong: dict[str, tuple[object, object]] = field(default_factory=dict)  # field → (gold, predicted), strict
    handwritten: frozenset[str] = frozenset()  # the gold's `handwritten` fields
    sections: Counts = field(default_factory=Counts)
    tables_gold: int = 0
    tables_matched: int = 0  # with the gold's body-row count
    tables_columns: int = 0  # … and the gold's columns
    tables_scanned: tuple[int, int, int] = (0, 0, 0)  # the same three for the gold tables on OCR-read pages
    cer: float | None = None
    wer: float | None = None

    def group(self, name: str) -> str:
        return "handwritten" if name in self.handwritten else "typed"

    def all_right(self, soft: bool = False, group: str | None = None) -> bool:
        return all(c.fp == 0 and c.fn == 0 for name, c in (self.soft if soft else self.strict).items()
                   if group is None or self.group(name) == group)


def score_metadata(file: str, gold: dict, pred: Metadata, gold_file: str = "",
                   handwritten: Iterable[str] = ()) -> DocEval:
    """Per-field strict and soft counts of one document's metadata; `handwritten`: the gold's handwritten fields."""
    d = DocEval(file, gold_file, handwritten=frozenset(handwritten))
    for name in FIELDS:
        g, p = field_value(gold, name), field_value(pred, name)
        if g == "?":
            continue
        d.strict[name], d.soft[name] = compare(g, p, strict_key), compare(g, p, soft_key)
        if d.strict[name].fp or d.strict[name].fn:
            d.wrong[name] = (g, p)
    return d


OCR_SLIP_MIN = 20  # a heading key this long (number included) may differ from the gold's by OCR's slips …
OCR_SLIP_SIMILARITY = 0.95  # … as far as this normalized edit similarity


def _alike(gold_key: str, pred_key: str) -> bool:
    """The same heading text, up to spaces OCR lost or added ('Lưuý'), and on a long heading up to the
    odd letter OCR misread ('phối NT với' for 'phối hợp với'): the headings score finds structure;
    the text's own errors are CER's and the fields' to count."""
    if gold_key.replace(" ", "") == pred_key.replace(" ", ""):
        return True
    return len(gold_key) >= OCR_SLIP_MIN and Levenshtein.normalized_similarity(gold_key, pred_key) >= OCR_SLIP_SIMILARITY


def section_matches(gold_key: str, s: Section) -> bool:
    """Does predicted section `s` print the gold heading (keys by `heading_key`)? Its number and title
    as printed; or, for a section with no title of its own (an article 'Điều 3.' or a numbered
    paragraph, which the gold gives as its opening sentence or whole), its number and the opening of
    its text; or the gold gives the number alone ('Điều 1.') and the section has that number. The
    number must be the gold's; the words after it may differ by OCR's slips (`_alike`)."""
    number = heading_key(s.number)
    if not number or not (gold_key == number or gold_key.startswith(number + " ")):
        return False
    head = heading_key(f"{s.number} {s.title}")
    if gold_key == number or _alike(gold_key, head):
        return True
    opening = heading_key(f"{s.number} {s.title} {s.text}")
    bare = gold_key.replace(" ", "")
    return opening.replace(" ", "").startswith(bare) or _alike(gold_key, opening[:len(gold_key)])


def score_sections(gold: list[str], pred: Directive) -> Counts:
    left = [heading_key(h) for h in gold]
    tp = fp = 0
    for s in pred.sections:
        k = next((k for k, g in enumerate(left) if section_matches(g, s)), None)
        if k is not None:
            left.pop(k)
            tp += 1
        elif s.level == 1:
            fp += 1
    return Counts(tp=tp, fp=fp, fn=len(left))


def column_matches(gold: str, pred: str, least: float = 0.8) -> bool:
    """A column named alike: the same words case-, diacritic- and punctuation-insensitively, up to
    OCR's slips (normalized edit similarity `least`). A two-level name "PARENT / CHILD" also
    matches its child alone (gold files name some children without their parent)."""
    g = heading_key(gold)
    for name in (pred, pred.rsplit(" / ", 1)[-1]):
        k = heading_key(name)
        if k == g or g and Levenshtein.normalized_similarity(k, g) >= least:
            return True
    return False


def columns_match(gold: list[str], pred: list[str]) -> bool:
    """As many columns, each named alike; a gold table without names wants none."""
    if not any(c.strip() for c in gold):
        return not any(c.strip() for c in pred)
    return len(gold) == len(pred) and all(column_matches(g, p) for g, p in zip(gold, pred, strict=True))


def score_tables(gold: list[dict], pred: Directive) -> tuple[int, int, int]:
    """(gold tables, those matched by a predicted table starting on that page with as many body rows,
    those of them with the gold's columns too). A gold table takes the first such table whose
    columns match, else the first such table."""
    free = list(pred.tables)
    matched = named = 0
    for g in gold:
        same = [t for t in free if (t.pages[0] if t.pages else None) == g.get("page") and len(t.rows) == g.get("rows")]
        if not same:
            continue
        best = next((t for t in same if columns_match(g.get("columns", []), t.columns)), same[0])
        free.remove(best)
        matched += 1
        named += columns_match(g.get("columns", []), best.columns)
    return len(gold), matched, named


def on_scanned_page(gold_table: dict, pred: Directive) -> bool:
    """Does the gold table start on a page the prediction read by OCR? (A table matches only one
    starting on its page, so the scanned pages are scored apart without changing any match.)"""
    sources, page = pred.source.page_sources, gold_table.get("page")
    return isinstance(page, int) and 0 < page <= len(sources) and sources[page - 1] == "ocr"


def gold_name(source_path: str) -> str:
    """Stem shared by an input and its gold: 'x.export.pdf' and 'x.doc' both give 'x'."""
    name = Path(source_path).name
    for suffix in (".pdf", ".export", ".docx", ".doc"):
        name = name.removesuffix(suffix)
    return name


def evaluate_document(pred: Directive, gold_path: Path) -> DocEval:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    d = score_metadata(Path(pred.source.path).name, gold["document"], pred.metadata, gold_path.name,
                       gold.get("handwritten") or ())
    d.sections = score_sections(gold.get("sections", []), pred)
    d.tables_gold, d.tables_matched, d.tables_columns = score_tables(gold.get("tables", []), pred)
    d.tables_scanned = score_tables([g for g in gold.get("tables", []) if on_scanned_page(g, pred)], pred)
    if gold.get("text_file"):
        reference = (gold_path.parent / gold["text_file"]).read_text(encoding="utf-8")
        d.cer, d.wer = cer(reference, pred.text), wer(reference, pred.text)
    return d


@dataclass
class Report:
    docs: list[DocEval]
    unmatched: list[str]  # predictions without gold
    strict: dict[str, Counts] = field(default_factory=dict)
    soft: dict[str, Counts] = field(default_factory=dict)
    # per group ("typed", "handwritten"), per field: the counts of the documents where the field is in that group
    group_strict: dict[str, dict[str, Counts]] = field(default_factory=dict)
    group_soft: dict[str, dict[str, Counts]] = field(default_factory=dict)
    outcomes: dict[str, dict[str, Outcomes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for g in GROUPS:
            self.group_strict[g] = {name: Counts() for name in FIELDS}
            self.group_soft[g] = {name: Counts() for name in FIELDS}
            self.outcomes[g] = {name: Outcomes() for name in FIELDS}
        for name in FIELDS:
            self.strict[name], self.soft[name] = Counts(), Counts()
            for d in self.docs:
                if name in d.strict:
                    g = d.group(name)
                    for c in (self.strict[name], self.group_strict[g][name]):
                        c.add(d.strict[name])
                    for c in (self.soft[name], self.group_soft[g][name]):
                        c.add(d.soft[name])
                    self.outcomes[g][name].add(d.strict[name])

    def micro(self, soft: bool = False, group: str | None = None) -> Counts:
        total = Counts()
        per_field = self.soft if soft else self.strict
        if group is not None:
            per_field = (self.group_soft if soft else self.group_strict)[group]
        for c in per_field.values():
            total.add(c)
        return total

    def group_outcomes(self, group: str) -> Outcomes:
        total = Outcomes()
        for o in self.outcomes[group].values():
            total.right, total.null, total.wrong = total.right + o.right, total.null + o.null, total.wrong + o.wrong
        return total

    def group_fields(self, group: str) -> list[str]:
        """The fields scored at least once in a group, in FIELDS order."""
        return [n for n in FIELDS if any(d.group(n) == group for d in self.docs if n in d.strict)]

    def all_right_share(self, soft: bool = False, group: str | None = None) -> float:
        return sum(d.all_right(soft, group) for d in self.docs) / len(self.docs) if self.docs else 0.0

    def sections(self) -> Counts:
        total = Counts()
        for d in self.docs:
            total.add(d.sections)
        return total


def evaluate(gold_dirs: list[Path], pred_dir: Path) -> Report:
    """Every prediction in `pred_dir/json` that has a gold file in one of `gold_dirs`."""
    docs, unmatched = [], []
    for path in sorted((pred_dir / "json").glob("*.json")):
        pred = Directive.model_validate_json(path.read_text(encoding="utf-8"))
        name = gold_name(pred.source.path)
        gold = next((g / f"{name}.json" for g in gold_dirs if (g / f"{name}.json").exists()), None)
        if gold is None:
            unmatched.append(Path(pred.source.path).name)
            continue
        docs.append(evaluate_document(pred, gold))
    docs.sort(key=lambda d: d.file)
    return Report(docs, unmatched)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _short(value: object, width: int = 48) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 2] + "…" + text[-1]


def _figures(s: Counts, f: Counts) -> str:
    return (f"{_pct(s.precision)} | {_pct(s.recall)} | {_pct(s.f1)} | "
            f"{_pct(f.precision)} | {_pct(f.recall)} | {_pct(f.f1)} |")


_GROUP_TITLES = {
    "typed": "Typed and stamped fields (every field the gold does not list as handwritten; a rubber stamp is print):",
    "handwritten": f"Handwritten fields (the gold's `handwritten`, marked {HAND} in the listing below):",
}


def group_markdown(r: Report, group: str) -> list[str]:
    """One group's per-field table: gold values right, left null (predicted empty) and wrong, then P/R/F1."""
    out = [_GROUP_TITLES[group], "",
           "| field | n | right | null | wrong | strict P | strict R | strict F1 | soft P | soft R | soft F1 |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    names = r.group_fields(group)
    if not names:
        return [*out[:2], "(none scored)"]
    rows = [(n, r.group_strict[group][n], r.group_soft[group][n], r.outcomes[group][n]) for n in names]
    rows.append(("**micro**", r.micro(group=group), r.micro(True, group), r.group_outcomes(group)))
    for name, s, f, o in rows:
        out.append(f"| {name} | {s.tp + s.fn} | {o.right} | {o.null} | {o.wrong} | {_figures(s, f)}")
    return out


def report_markdown(r: Report) -> str:
    out = [f"Documents scored: {len(r.docs)}" + (f" (without gold, not scored: {len(r.unmatched)})" if r.unmatched else ""),
           "", "All fields:", "",
           "| field | n | strict P | strict R | strict F1 | soft P | soft R | soft F1 |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    rows = [(name, r.strict[name], r.soft[name]) for name in FIELDS] + [("**micro**", r.micro(), r.micro(True))]
    for name, s, f in rows:
        out.append(f"| {name} | {s.tp + s.fn} | {_figures(s, f)}")
    for group in GROUPS:
        out += ["", *group_markdown(r, group)]
    out += ["", "n: gold values scored (right + null + wrong); null: predicted empty; wrong: a different value "
                "(strict). A predicted value where the gold has none lowers precision only."]
    sec = r.sections()
    tg, tm = sum(d.tables_gold for d in r.docs), sum(d.tables_matched for d in r.docs)
    tc = sum(d.tables_columns for d in r.docs)
    sg, sm, sc = (sum(d.tables_scanned[k] for d in r.docs) for k in range(3))
    out += ["", f"Documents with every field right: strict {_pct(r.all_right_share())} %, "
                f"soft {_pct(r.all_right_share(True))} %; every typed and stamped field right: strict "
                f"{_pct(r.all_right_share(group='typed'))} %, soft {_pct(r.all_right_share(True, 'typed'))} %",
            f"Headings: P {_pct(sec.precision)} R {_pct(sec.recall)} F1 {_pct(sec.f1)} "
            f"({sec.tp} of {sec.tp + sec.fn} gold headings found, {sec.fp} extra)",
            f"Tables with the gold row count: {tm} of {tg}; of them with the gold columns (count and names): {tc}",
            f"Tables on scanned pages (read by OCR) with the gold row count: {sm} of {sg}; of them with the gold "
            f"columns: {sc}"]
    with_text = [f"| {d.file} | {100 * d.cer:.2f} | {100 * d.wer:.2f} |" for d in r.docs
                 if d.cer is not None and d.wer is not None]
    if with_text:
        out += ["", "| document | CER % | WER % |", "|---|---:|---:|", *with_text]
    out += ["", "| document | strict right | wrong (field: gold → predicted) |", "|---|---:|---|"]
    for d in r.docs:
        right = sum(c.tp for c in d.strict.values())
        scored = sum(1 for c in d.strict.values() if c.tp or c.fp or c.fn)
        wrong = "; ".join(f"{HAND if k in d.handwritten else ''}{k}: {_short(g)} → {_short(p)}"
                          for k, (g, p) in d.wrong.items())
        out.append(f"| {d.file} | {right}/{scored} | {wrong.replace('|', '/')} |")
    return "\n".join(out)


def report_json(r: Report) -> str:
    def counts(c: Counts) -> dict[str, float]:
        return {"tp": c.tp, "fp": c.fp, "fn": c.fn, "precision": c.precision, "recall": c.recall, "f1": c.f1}

    def group(g: str) -> dict:
        return {
            "fields": {name: {"strict": counts(r.group_strict[g][name]), "soft": counts(r.group_soft[g][name]),
                              "outcomes": asdict(r.outcomes[g][name])} for name in r.group_fields(g)},
            "micro": {"strict": counts(r.micro(group=g)), "soft": counts(r.micro(True, g)),
                      "outcomes": asdict(r.group_outcomes(g))},
            "all_right": {"strict": r.all_right_share(group=g), "soft": r.all_right_share(True, g)},
        }

    data = {
        "documents": len(r.docs),
        "unmatched": r.unmatched,
        "fields": {name: {"strict": counts(r.strict[name]), "soft": counts(r.soft[name])} for name in FIELDS},
        "micro": {"strict": counts(r.micro()), "soft": counts(r.micro(True))},
        "all_right": {"strict": r.all_right_share(), "soft": r.all_right_share(True)},
        "groups": {g: group(g) for g in GROUPS},
        "sections": counts(r.sections()),
        "tables": {"gold": sum(d.tables_gold for d in r.docs), "matched": sum(d.tables_matched for d in r.docs),
                   "columns": sum(d.tables_columns for d in r.docs),
                   "scanned": dict(zip(("gold", "matched", "columns"),
                                       (sum(d.tables_scanned[k] for d in r.docs) for k in range(3)), strict=True))},
        "per_document": [
            {"file": d.file, "gold": d.gold_file, "cer": d.cer, "wer": d.wer, "sections": asdict(d.sections),
             "handwritten": sorted(d.handwritten),
             "wrong": {k: {"gold": g, "predicted": p, "handwritten": k in d.handwritten}
                       for k, (g, p) in d.wrong.items()},
             "strict_right": sum(c.tp for c in d.strict.values())}
            for d in r.docs
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
