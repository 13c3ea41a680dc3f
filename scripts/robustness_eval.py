"""How the scan fields hold when the same pages are scanned a little differently.

    .venv/bin/python scripts/robustness_eval.py [--variants skew,lowres,noisy,dark] [--pages 3]
                                               [--work DIR] [--json OUT] [NAME_PART ...]

The rules were written from the corpus scans; documents never seen differ first in how they were
scanned. This re-renders the first pages of every corpus scan that has gold at 200 dpi, then
derives variants: a skew of 1°, a coarser scan (120 dpi brought back to 200), JPEG noise, and a
darker copy. Each variant goes through the pipeline (pages cached per file, as in dev_eval) and is
scored against the gold. The report gives, per variant, the typed fields right, null and wrong,
and every field that the plain re-render gets right and the variant does not: the rules that
hold only for the scans they were written from. Not used by the pipeline or tests.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dev_eval import SHARED, process_cached  # noqa: E402

from directives.evaluation import evaluate_document, gold_name  # noqa: E402

DPI = 200
VARIANTS = ("base", "skew", "lowres", "noisy", "dark")


def perturb(img: Image.Image, variant: str, seed: int) -> Image.Image:
    """One page image as another scanner (or another hand on the same scanner) would give it."""
    if variant == "skew":
        return img.rotate(1.0, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(255, 255, 255))
    if variant == "lowres":
        small = img.resize((int(img.width * 0.6), int(img.height * 0.6)), Image.Resampling.BILINEAR)
        return small.resize(img.size, Image.Resampling.BILINEAR)
    if variant == "noisy":
        rng = np.random.default_rng(seed)
        a = np.asarray(img.filter(ImageFilter.GaussianBlur(0.6)), dtype=np.float32)
        a = np.clip(a + rng.normal(0, 10, a.shape), 0, 255).astype(np.uint8)
        buf = io.BytesIO()
        Image.fromarray(a).save(buf, "JPEG", quality=35)
        return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    if variant == "dark":
        a = np.asarray(img, dtype=np.float32) / 255.0
        return Image.fromarray((np.clip(a ** 1.8 * 0.92, 0, 1) * 255).astype(np.uint8))
    return img


def make_variant(src: Path, out: Path, variant: str, pages: int) -> None:
    if out.exists():
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with pymupdf.open(src) as doc, pymupdf.open() as new:
        for k, page in enumerate(doc):
            if k >= pages:
                break
            pix = page.get_pixmap(dpi=DPI, colorspace=pymupdf.csRGB, alpha=False)
            img = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
            img = perturb(img, variant, seed=k)
            buf = io.BytesIO()
            img.save(buf, "PNG", optimize=False)
            p = new.new_page(width=page.rect.width, height=page.rect.height)
            p.insert_image(p.rect, stream=buf.getvalue())
        tmp = out.with_suffix(".tmp")
        new.save(tmp, deflate=True)
        tmp.replace(out)


def scans_with_gold() -> list[tuple[Path, Path]]:
    rows = csv.DictReader((SHARED / "corpus" / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t")
    out = []
    for r in rows:
        src = SHARED / "corpus" / "docs" / r["filename"]
        gold = SHARED / "corpus" / "gold" / f"{gold_name(r['filename'])}.json"
        if src.suffix == ".pdf" and src.exists() and gold.exists():
            with pymupdf.open(src) as d:
                if all(len(pg.get_text().strip()) < 200 for pg in d):
                    out.append((src, gold))
    return out


def _one(args: tuple[Path, Path, Path, str, int, Path]) -> tuple[str, str, dict[str, str], dict[str, object]]:
    src, gold, work, variant, pages, cache = args
    path = work / variant / src.name
    make_variant(src, path, variant, pages)
    d = evaluate_document(process_cached(path, cache), gold)
    fields = {}
    for f, c in d.strict.items():
        if d.group(f) != "typed" or not (c.tp or c.fn):
            continue  # handwritten fields are scored apart; a value the gold lacks is no gold field
        fields[f] = "right" if c.tp else "null" if not c.fp else "wrong"
    return variant, src.name, fields, {f: d.wrong[f][1] for f in fields if f in d.wrong}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*")
    ap.add_argument("--variants", default=",".join(VARIANTS[1:]))
    ap.add_argument("--pages", type=int, default=3, help="pages kept from the start of each scan")
    ap.add_argument("--work", type=Path, default=Path("/tmp/robustness"))
    ap.add_argument("--cache", type=Path, default=Path("/tmp/robustness/pages"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    variants = ["base", *[v for v in args.variants.split(",") if v and v != "base"]]
    docs = [(s, g) for s, g in scans_with_gold() if not args.names or any(n in s.name for n in args.names)]
    todo = [(s, g, args.work, v, args.pages, args.cache) for v in variants for s, g in docs]
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(_one, todo))
    table: dict[str, dict[str, dict[str, str]]] = {}
    values: dict[tuple[str, str, str], object] = {}
    for variant, name, fields, predicted in results:
        table.setdefault(variant, {})[name] = fields
        values.update({(variant, name, f): v for f, v in predicted.items()})
    print(f"{len(docs)} corpus scans, first {args.pages} pages re-rendered at {DPI} dpi\n")
    print("| variant | right | null | wrong | lost against base | gained |")
    print("|---|---|---|---|---|---|")
    losses: dict[str, list[str]] = {}
    for v in variants:
        c = Counter(state for fields in table[v].values() for state in fields.values())
        lost = [f"{n[:40]}:{f}→{table[v][n].get(f, 'absent')} {str(values.get((v, n, f), ''))[:110]}"
                for n, fs in table["base"].items() for f, s in fs.items()
                if s == "right" and table[v][n].get(f) != "right"]
        gained = [1 for n, fs in table[v].items() for f, s in fs.items()
                  if s == "right" and table["base"][n].get(f) != "right"]
        losses[v] = lost
        print(f"| {v} | {c['right']} | {c['null']} | {c['wrong']} | {len(lost) if v != 'base' else ''} "
              f"| {len(gained) if v != 'base' else ''} |")
    for v in variants[1:]:
        print(f"\n## lost in {v} ({len(losses[v])})")
        by_field = Counter(x.split(":", 1)[1].split("→")[0] for x in losses[v])
        print("by field:", dict(by_field.most_common()))
        for x in losses[v]:
            print("  ", x)
    if args.json:
        args.json.write_text(json.dumps({"states": table, "predicted": [[*k, v] for k, v in values.items()]},
                                        ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
