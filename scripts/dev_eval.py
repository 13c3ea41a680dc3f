"""Development loop for the pipeline's stages: the dev set scored in seconds, not minutes.

    .venv/bin/python scripts/dev_eval.py [NAME_PART ...] [--cache DIR] [--show FIELD] [--json OUT]

Pages (the extractors' output, OCR included) are cached per file in `--cache` (default
/tmp/directives-pages), keyed by the file's sha256, the OCR options and a digest of the extractors'
source, so a change to the stages reruns in seconds while a change to the readers re-reads. The
report is `directives eval`'s, with the handwritten fields apart. Not used by the pipeline or tests.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from directives.evaluation import (
    Counts,
    DocEval,
    Report,
    evaluate_document,
    gold_name,
    report_json,
    report_markdown,
)
from directives.extractors.read import extract_pages
from directives.pipeline.document import PipelineOptions
from directives.pipeline.grid import min_table_rules
from directives.pipeline.run import file_sha256, new_document, run
from directives.schemas import Directive

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


# Never imported when one file's pages are read (the handwriting stage, the batch converter):
# editing them keeps the cache.
NOT_PAGE_READING = {"handwriting.py", "digits.py", "office_batch.py"}


def extractor_digest() -> str:
    h = hashlib.sha256()
    for f in sorted((ROOT / "src" / "directives" / "extractors").glob("*.py")):
        if f.name not in NOT_PAGE_READING:
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def cached_pages(path: Path, cache: Path, options: PipelineOptions):
    key = f"{file_sha256(path)[:16]}-{extractor_digest()}.pkl"
    target = cache / key
    if target.exists():
        return pickle.loads(target.read_bytes())
    pages = extract_pages(path, options.ocr.model_copy(update={"workers": 1}),
                          min_table_rules(options.layout.table_min_cols))
    cache.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(pages))
    tmp.replace(target)
    return pages


def process_cached(path: Path, cache: Path) -> Directive:
    options = PipelineOptions()
    pages = copy.deepcopy(cached_pages(path, cache, options))
    doc = run(new_document(path, pages, file_sha256(path)), options)
    return Directive.model_validate(doc.result.model_dump())


def inputs() -> list[tuple[Path, Path]]:
    """(input, gold) pairs of the dev set."""
    out = []
    for folder, gold in ((ROOT / "samples", ROOT / "tests" / "groundtruth" / "gold"),
                         (SHARED / "corpus" / "docs", SHARED / "corpus" / "gold")):
        for p in sorted(folder.glob("*.pdf")):
            g = gold / f"{gold_name(str(p))}.json"
            if g.exists():
                out.append((p, g))
    return out


def _one(args: tuple[Path, Path, Path, Path | None]) -> tuple[DocEval, bool]:
    """The document's scores, and whether it is a scan (a page of it read by OCR)."""
    path, gold, cache, dump = args
    pred = process_cached(path, cache)
    if dump is not None:
        dump.mkdir(parents=True, exist_ok=True)
        (dump / f"{path.stem}.json").write_text(pred.model_dump_json(indent=1), encoding="utf-8")
    return evaluate_document(pred, gold), "ocr" in pred.source.page_sources


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="only inputs whose name contains one of these")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/directives-pages"))
    ap.add_argument("--dump", type=Path, help="write each prediction's JSON here")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, help="also write the report as JSON")
    args = ap.parse_args(argv)
    todo = [(p, g, args.cache, args.dump) for p, g in inputs() if not args.names or any(n in p.name for n in args.names)]
    with ProcessPoolExecutor(args.jobs) as pool:
        scored = sorted(pool.map(_one, todo), key=lambda ds: ds[0].file)
    report = Report([d for d, _ in scored], [])
    scans = Counts()
    for d, scan in scored:
        if scan:
            scans.add(d.sections)
    print(report_markdown(report))
    # Issue 12 asks for the headings on the scans; tables are split by OCR-read page in the report itself.
    print(f"\nHeadings on scans (a page read by OCR): {scans.tp} of {scans.tp + scans.fn} gold headings found, "
          f"{scans.fp} extra")
    if args.json:
        data = json.loads(report_json(report))
        data["sections_scanned"] = {"tp": scans.tp, "fp": scans.fp, "fn": scans.fn, "recall": scans.recall}
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
