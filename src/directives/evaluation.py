"""Scoring predictions against hand-labelled gold (../shared/corpus/gold format).

Strict: equal after NFC and whitespace collapse. Soft: also case-, diacritic- and
edge-punctuation-insensitive. Lists compare as multisets of items.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from directives.knowledge import fold
from directives.schemas import Metadata

FIELDS = ("regime_header", "parent_organization", "issuer", "reference", "number", "symbol", "type", "place", "date",
          "subject", "recipients", "distribution", "signer.name", "signer.title", "signer.authority")
_EDGE = " .,;:!?\"'“”‘’()-–"


def strict_key(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, list):
        return sorted(strict_key(v) for v in value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def soft_key(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, list):
        return sorted(soft_key(v) for v in value)
    return " ".join(fold(str(value)).split()).strip(_EDGE)


def field_value(meta: dict | Metadata, name: str) -> object:
    data = meta.model_dump() if isinstance(meta, Metadata) else meta
    for key in name.split("."):
        data = (data or {}).get(key) if isinstance(data, dict) else None
    return data


@dataclass
class DocScore:
    file: str
    strict: dict[str, bool] = field(default_factory=dict)
    soft: dict[str, bool] = field(default_factory=dict)
    gold: dict[str, object] = field(default_factory=dict)
    pred: dict[str, object] = field(default_factory=dict)


def score_metadata(file: str, gold: dict, pred: Metadata) -> DocScore:
    """Per-field strict and soft correctness of one document's metadata."""
    s = DocScore(file)
    for name in FIELDS:
        g, p = field_value(gold, name), field_value(pred, name)
        if g == "?":  # illegible in the original: not scored
            continue
        s.gold[name], s.pred[name] = g, p
        s.strict[name] = strict_key(g) == strict_key(p)
        s.soft[name] = soft_key(g) == soft_key(p)
    return s


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def gold_for(pdf: Path, gold_dir: Path) -> Path | None:
    """The gold file of a PDF: same stem; an '.export.pdf' shares its original's gold."""
    stem = pdf.name.removesuffix(".pdf").removesuffix(".export")
    path = gold_dir / f"{stem}.json"
    return path if path.exists() else None
