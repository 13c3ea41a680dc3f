"""Handwritten number and day of the corpus scans: what the reader gives, and the confidence gate
chosen leave-one-document-out.

    .venv/bin/python scripts/handwriting_eval.py [--cache DIR] [--target 1.0] [--show]

For every scan with a gold file, the first page's blanks are read as the pipeline reads them
(`pipeline.handwriting.read_candidates`, before the gate, with the file's later pages for an
attachment's caption), for the fields the gold lists as handwritten. Each document in turn is left out; on the others the lowest gate whose precision is at
least `--target` is chosen (the highest gate seen when none reaches it) and applied to the one left
out (`--target` 1.0 by default: the lowest gate with no wrong reading there). Printed: right / wrong /
null per field at the shipped gate and leave-one-out, the gates chosen, and the reading's CPU time
(clips rendered and classified; OCR excluded). Pages come from dev_eval's cache (OCR is slow); not
used by the pipeline or tests.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from dev_eval import SHARED, cached_pages  # noqa: E402

from directives.pipeline.document import PipelineOptions  # noqa: E402
from directives.pipeline.handwriting import MIN_CONFIDENCE, read_candidates  # noqa: E402


def gold_value(gold: dict, field: str) -> str | None:
    return gold["document"].get(field)


def collect(cache: Path) -> tuple[list[dict], float, int]:
    rows, cpu, scans = [], 0.0, 0
    options = PipelineOptions()
    for g in sorted((SHARED / "corpus" / "gold").glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        hand = set(gold.get("handwritten") or ())
        pdfs = sorted((SHARED / "corpus" / "docs").glob(f"{g.stem}*.pdf"))
        if not pdfs or not hand & {"number", "date"}:
            continue
        pages = cached_pages(pdfs[0], cache, options)
        if not pages or pages[0].source != "ocr":
            continue
        scans += 1
        t0 = time.process_time()
        with pymupdf.open(pdfs[0]) as pdf:
            found = read_candidates(pdf[0], pages[0], "number" in hand, "date" in hand, later=pages[1:])
        cpu += time.process_time() - t0
        got = {c.field: c for c in found}
        for field in ("number", "date"):
            if field in hand:
                c = got.get(field)
                rows.append({"doc": g.stem, "field": field, "gold": gold_value(gold, field),
                             "value": c.value if c else None, "confidence": c.confidence if c else 0.0,
                             "note": c.note if c else "not read"})
    return rows, cpu, scans


def score(rows: list[dict], gate: float) -> tuple[int, int, int]:
    right = sum(1 for r in rows if r["value"] is not None and r["confidence"] >= gate and r["value"] == r["gold"])
    wrong = sum(1 for r in rows if r["value"] is not None and r["confidence"] >= gate and r["value"] != r["gold"])
    return right, wrong, len(rows) - right - wrong


def choose_gate(rows: list[dict], target: float) -> float:
    gates = sorted({r["confidence"] for r in rows if r["value"] is not None} | {1.0})
    for gate in gates:
        right, wrong, _ = score(rows, gate)
        if right + wrong == 0 or right / (right + wrong) >= target:
            return gate
    return 1.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/directives-pages"))
    ap.add_argument("--target", type=float, default=1.0,
                    help="precision the gate must give on the other documents (1.0: no wrong reading there;"
                         " with some 30 readings a 95 %% target would let one wrong in 20 decide)")
    ap.add_argument("--show", action="store_true", help="print every reading")
    args = ap.parse_args(argv)
    rows, cpu, scans = collect(args.cache)
    if args.show:
        for r in rows:
            print(f"{r['doc'][:40]:40} {r['field']:6} gold {r['gold']!s:12} read {r['value']!s:12} {r['confidence']:.3f} {r['note']}")
    docs = sorted({r["doc"] for r in rows})
    loo: list[dict] = []
    gates = []
    for d in docs:
        gate = choose_gate([r for r in rows if r["doc"] != d], args.target)
        gates.append(gate)
        loo += [{**r, "confidence": r["confidence"] if r["confidence"] >= gate else -1.0}
                for r in rows if r["doc"] == d]
    print(f"{scans} scans with a handwritten number or date; reading CPU {cpu:.2f} s "
          f"({cpu / max(scans, 1):.3f} s a scan)")
    for name, rs, gate in (("shipped gate", rows, MIN_CONFIDENCE), ("leave-one-document-out", loo, 0.0)):
        for field in ("number", "date", None):
            sel = [r for r in rs if field is None or r["field"] == field]
            right, wrong, null = score(sel, gate)
            prec = right / (right + wrong) if right + wrong else float("nan")
            print(f"{name:24} {field or 'both':6}: {right} right, {wrong} wrong, {null} null of {len(sel)}"
                  f" (precision {prec:.1%}, recall {right / max(len(sel), 1):.1%})")
    print(f"gates chosen leave-one-out: min {min(gates):.3f}, median {sorted(gates)[len(gates) // 2]:.3f}, "
          f"max {max(gates):.3f}; shipped {MIN_CONFIDENCE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
