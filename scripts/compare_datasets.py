"""Compare the datasets of two output folders as values: every CSV, Parquet file and workbook sheet.

    python scripts/compare_datasets.py OLD_OUT NEW_OUT

For each dataset file of `directives run` (OUT/<dataset>.csv, OUT/parquet/<dataset>.parquet, the
sheets of OUT/datasets.xlsx) it prints one line: "same bytes", "same values" (the bytes differ,
e.g. other compression or metadata, but every column name and cell is equal) or what differs (the
first few cells). CSV cells are read as text (nothing inferred, empty is empty), Parquet columns with
their types, workbook cells as openpyxl reads them (dates as dates). Exit 0 when every file holds
the same values, 1 otherwise. The JSON outputs are compared by scripts/compare_outputs.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import openpyxl
import pandas as pd

XLSX = "datasets.xlsx"


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def read_parquet(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path)


def read_sheets(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(c for c in row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def sheet_layout(path: Path) -> dict[str, tuple]:
    """Per sheet what the workbook shows besides its values: frozen cell, filter range, widths,
    number formats of the second row."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        widths = tuple(round(d.width, 2) for _, d in sorted(ws.column_dimensions.items()))
        formats = tuple(c.number_format for c in ws[2]) if ws.max_row >= 2 else ()
        out[ws.title] = (ws.freeze_panes, ws.auto_filter.ref, widths, formats)
    return out


def frame_differences(old: pd.DataFrame, new: pd.DataFrame, limit: int = 3) -> list[str]:
    if list(old.columns) != list(new.columns):
        return [f"columns {list(old.columns)} → {list(new.columns)}"]
    if len(old) != len(new):
        return [f"{len(old)} rows → {len(new)}"]
    out = []
    for col in old.columns:
        if str(old[col].dtype) != str(new[col].dtype):
            out.append(f"{col}: type {old[col].dtype} → {new[col].dtype}")
        a, b = old[col].astype(object), new[col].astype(object)
        same = (a == b) | (a.isna() & b.isna())
        for i in same.index[~same.to_numpy(dtype=bool)][:limit]:
            out.append(f"{col} row {i}: {a[i]!r} → {b[i]!r}")
    return out[:limit * 4]


def row_differences(old: list[tuple], new: list[tuple], limit: int = 3) -> list[str]:
    if len(old) != len(new):
        return [f"{len(old)} rows → {len(new)}"]
    return [f"row {i + 1}: {a!r} → {b!r}" for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b][:limit]


def verdict(old: Path, new: Path, differences: list[str]) -> str:
    if differences:
        return "DIFFERENT: " + "; ".join(differences)
    return "same bytes" if old.read_bytes() == new.read_bytes() else "same values (bytes differ)"


def compare(old_out: Path, new_out: Path) -> list[tuple[str, str]]:
    """(file, verdict) for every dataset file either folder holds."""
    results = []
    for sub, pattern, read in (("", "*.csv", read_csv), ("parquet", "*.parquet", read_parquet)):
        names = sorted({p.name for out in (old_out, new_out) for p in (out / sub).glob(pattern)})
        for name in names:
            a, b = old_out / sub / name, new_out / sub / name
            if not (a.is_file() and b.is_file()):
                results.append((f"{sub}/{name}".lstrip("/"), "DIFFERENT: only in " + ("new" if b.is_file() else "old")))
                continue
            results.append((f"{sub}/{name}".lstrip("/"), verdict(a, b, frame_differences(read(a), read(b)))))
    a, b = old_out / XLSX, new_out / XLSX
    if a.is_file() and b.is_file():
        old_sheets, new_sheets = read_sheets(a), read_sheets(b)
        old_layout, new_layout = sheet_layout(a), sheet_layout(b)
        for title in dict.fromkeys([*old_sheets, *new_sheets]):
            if title not in old_sheets or title not in new_sheets:
                results.append((f"{XLSX}[{title}]", "DIFFERENT: sheet only in " + ("new" if title in new_sheets else "old")))
                continue
            diffs = row_differences(old_sheets[title], new_sheets[title])
            if old_layout[title] != new_layout[title]:
                diffs.append(f"layout {old_layout[title]} → {new_layout[title]}")
            results.append((f"{XLSX}[{title}]", "DIFFERENT: " + "; ".join(diffs) if diffs else "same values"))
        if a.read_bytes() == b.read_bytes():
            results.append((XLSX, "same bytes"))
    elif a.is_file() or b.is_file():
        results.append((XLSX, "DIFFERENT: only in " + ("new" if b.is_file() else "old")))
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    args = ap.parse_args(argv)
    results = compare(args.old, args.new)
    for file, what in results:
        print(f"{file}: {what}")
    different = sum(what.startswith("DIFFERENT") for _, what in results)
    print(f"{len(results)} files compared, {different} with other values")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
