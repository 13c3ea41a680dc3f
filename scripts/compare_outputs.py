"""Compare the JSON outputs of two runs, field by field, and list the differences by kind.

    python scripts/compare_outputs.py OLD_OUT NEW_OUT [--allow warnings] [--ignore source.path]

OLD_OUT and NEW_OUT are output folders of `directives run` (their json/ subfolders are read; a folder
of *.json files works too). Documents are matched by file name (the doc_id). A difference's kind is
its path with list indices dropped ("warnings[].code", "metadata.signer.name") and how it differs:
changed, only-old, only-new, or a list of another length. Each kind is listed with its count and
one example. `--allow PREFIX` (repeatable) names kinds that are expected (e.g. `--allow warnings`):
the exit code is 0 when every difference is allowed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

Diff = tuple[str, str, str]  # (kind, path, example)


def json_files(folder: Path) -> dict[str, Path]:
    base = folder / "json" if (folder / "json").is_dir() else folder
    return {p.name: p for p in sorted(base.glob("*.json"))}


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 90 else text[:87] + "…"


def diff_values(old: object, new: object, path: str = "", kind: str = "") -> list[Diff]:
    """Every place where `old` and `new` differ: (kind, exact path, example)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[Diff] = []
        for key in dict.fromkeys([*old, *new]):
            sub, subkind = f"{path}.{key}" if path else key, f"{kind}.{key}" if kind else key
            if key not in new:
                out.append((f"{subkind}: only-old", sub, _short(old[key])))
            elif key not in old:
                out.append((f"{subkind}: only-new", sub, _short(new[key])))
            else:
                out.extend(diff_values(old[key], new[key], sub, subkind))
        return out
    if isinstance(old, list) and isinstance(new, list):
        out = []
        if len(old) != len(new):
            out.append((f"{kind}: length", path, f"{len(old)} → {len(new)}"))
        for k, (a, b) in enumerate(zip(old, new, strict=False)):
            out.extend(diff_values(a, b, f"{path}[{k}]", f"{kind}[]"))
        return out
    if old != new:
        return [(f"{kind}: changed", path, f"{_short(old)} → {_short(new)}")]
    return []


def compare(old_dir: Path, new_dir: Path, ignore: tuple[str, ...] = ()) -> list[Diff]:
    old, new = json_files(old_dir), json_files(new_dir)
    out: list[Diff] = []
    for name in sorted(set(old) | set(new)):
        if name not in new:
            out.append(("document: only-old", name, ""))
        elif name not in old:
            out.append(("document: only-new", name, ""))
        else:
            a = json.loads(old[name].read_text(encoding="utf-8"))
            b = json.loads(new[name].read_text(encoding="utf-8"))
            out.extend((k, f"{name}:{p}", e) for k, p, e in diff_values(a, b)
                       if not any(k.startswith(i) for i in ignore))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--allow", action="append", default=[], help="kinds (by prefix) that may differ")
    ap.add_argument("--ignore", action="append", default=[], help="kinds (by prefix) not compared at all")
    args = ap.parse_args(argv)
    diffs = compare(args.old, args.new, tuple(args.ignore))
    by_kind: dict[str, list[Diff]] = defaultdict(list)
    for d in diffs:
        by_kind[d[0]].append(d)
    n_docs = len(set(json_files(args.old)) | set(json_files(args.new)))
    print(f"{n_docs} documents, {len(diffs)} differences in {len(by_kind)} kinds")
    unexpected = 0
    for kind, items in sorted(by_kind.items()):
        allowed = any(kind.startswith(a) for a in args.allow)
        unexpected += 0 if allowed else len(items)
        _, path, example = items[0]
        print(f"  {'allowed ' if allowed else 'UNEXPECTED'} {len(items):5d}  {kind}    e.g. {path}: {example}")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
