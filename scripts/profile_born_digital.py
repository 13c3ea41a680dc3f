"""Where a born-digital page's milliseconds go: the pipeline's parts timed one by one, in process.

    .venv/bin/python scripts/profile_born_digital.py [PATH ...] [--passes N]

The born-digital PDFs among PATHs (default: samples/ and ../shared/corpus/docs) are processed
`--passes` times after a warm-up (models and tables loaded, as in a batch worker); each part —
hashing, reading the text layer, every stage of `pipeline.STAGES`, the final validation — is
timed in CPU seconds (process time) and reported in ms per page, the best pass of each part.
Prints a Markdown table (docs/performance.md holds one).
"""

from __future__ import annotations

import argparse
import gc
import platform
import sys
import time
from collections import defaultdict
from pathlib import Path

from directives.batch.warm import warm_up
from directives.bench import split_files
from directives.extractors.read import extract_pages
from directives.pipeline.document import PipelineOptions
from directives.pipeline.entities import gc_paused
from directives.pipeline.grid import min_table_rules
from directives.pipeline.run import STAGES, file_sha256, new_document
from directives.schemas import Directive

ROOT = Path(__file__).resolve().parents[1]


def one_pass(files: list[str], options: PipelineOptions) -> dict[str, float]:
    spent: dict[str, float] = defaultdict(float)
    clock = time.process_time
    for f in files:
        path = Path(f)
        with gc_paused():
            t = clock()
            sha = file_sha256(path)
            spent["hash the file"] += clock() - t
            t = clock()
            pages = extract_pages(path, options.ocr, min_table_rules(options.layout.table_min_cols))
            spent["read the text layer (extract_pages)"] += clock() - t
            doc = new_document(path, pages, sha)
            for stage in STAGES:
                t = clock()
                doc = stage(doc, options)
                spent[f"stage {stage.name}"] += clock() - t
            t = clock()
            Directive.model_validate(doc.result.model_dump())
            spent["validate the result"] += clock() - t
            del pages, doc
    return spent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--passes", type=int, default=5)
    args = ap.parse_args(argv)
    paths = args.paths or [ROOT / "samples", ROOT.parent / "shared" / "corpus" / "docs"]
    files, pages = split_files(paths)["born-digital"]
    warm_up()
    gc.collect()
    options = PipelineOptions()
    passes = [one_pass(files, options) for _ in range(max(1, args.passes))]
    parts = list(passes[0])
    best = {p: min(x[p] for x in passes) for p in parts}
    total = sum(best.values())
    print(f"{len(files)} born-digital files, {pages} pages; {platform.machine()}, {len(__import__('os').sched_getaffinity(0))} "
          f"cores, Python {platform.python_version()}; best of {len(passes)} passes, CPU time; "
          f"load average {__import__('os').getloadavg()[0]:.1f}\n")
    print("| part | ms/page | share |\n|---|---:|---:|")
    for p in sorted(parts, key=lambda p: -best[p]):
        print(f"| {p} | {1000 * best[p] / pages:.2f} | {100 * best[p] / total:.0f} % |")
    print(f"| **total** | **{1000 * total / pages:.2f}** | → {pages / total:.0f} pages per CPU s |")
    raw = min(raw_dict_seconds(files) for _ in range(max(1, args.passes)))
    print(f"\nFor reference, PyMuPDF's own `get_text(\"dict\")` of every page (the reader's flags, nothing "
          f"else): {1000 * raw / pages:.2f} ms/page.")
    return 0


def raw_dict_seconds(files: list[str]) -> float:
    """CPU seconds of PyMuPDF's `get_text("dict")` alone over every page of `files`, with the text
    layer reader's flags: the floor of reading the text layer through this call."""
    import pymupdf

    from directives.extractors.pdf_text import _TEXT_FLAGS

    t = time.process_time()
    for f in files:
        with pymupdf.open(f) as doc:
            for page in doc:
                page.get_text("dict", flags=_TEXT_FLAGS)
    return time.process_time() - t


if __name__ == "__main__":
    sys.exit(main())
