"""Header rows of a grid: how many there are, and the column names they give.

A header row is told by what it is, not by its place alone: short labels ("STT", "Nội dung",
"Thời gian" …), bold, centred or in capitals where the body is not, text over columns whose body is
numbers, over a body left blank (a form), above a body whose first column numbers the rows. Under a
cell printed across several columns (a parent), a row of child labels is a header row too, and the
columns are named "PARENT / CHILD". A row of column numbers ("1 2 3 …", "(1) (2)", "9=7/4") under
the header is neither header nor body; where a parent has no child labels, its numbers name the
columns under it. Grid columns that no header cell tells apart (a row label split in two in the
body only) are one column of the table. A first row OCR read nothing from (a shaded header) above
numbered rows is a header without names, not a body row.
"""

from __future__ import annotations

import re

from directives.knowledge import ROW_NUMBER_HEADERS, TABLE_HEADER_WORDS
from directives.pipeline.document import Grid
from directives.syllables import is_syllable
from directives.vntext import fold

_ROW_NO = re.compile(r"^[(\[]?(?:\d{1,3}|[ivxlc]{1,5}|[a-zđ])(?:[.,]\d{1,2})*[.)\]]?$")
_COL_NO = re.compile(r"^\(?(\d{1,2})\)?(?:\s*=\s*\S.*)?$")
_NUMERIC = re.compile(r"^[-+(]?[\d.,]+\s*%?\)?$")
_LABELS = tuple(fold(w) for w in TABLE_HEADER_WORDS)
_NO_LABELS = tuple(fold(w) for w in ROW_NUMBER_HEADERS)
_EDGE = " .:;,-–—_*'\"“”|"
HEADER_SCORE = 2  # a first row scoring this much is a header row


def clean(text: str) -> str:
    return " ".join(text.split()).strip(_EDGE)


def key(text: str) -> str:
    return fold(clean(text))


def is_row_number(text: str) -> bool:
    """'1', '01', '1.', 'II', '6.1', 'a)', '(3)': a cell numbering its row."""
    return bool(_ROW_NO.match(key(text).replace(" ", "")))


def is_label(text: str) -> bool:
    k = key(text)
    return k in _NO_LABELS or any(k == w or k.startswith(w + " ") for w in _LABELS)


def row_spans(grid: Grid, r: int) -> list[tuple[int, int]]:
    if r < len(grid.spans) and grid.spans[r]:
        return grid.spans[r]
    return [(c, c + 1) for c in range(len(grid.rows[r]))]


def span_of(grid: Grid, r: int, c: int) -> tuple[int, int]:
    return next(s for s in row_spans(grid, r) if s[0] <= c < s[1])


def cells(grid: Grid, r: int) -> list[tuple[int, int, str]]:
    """The row's non-empty cells: (first column, end column, text)."""
    return [(a, b, grid.rows[r][a]) for a, b in row_spans(grid, r) if clean(grid.rows[r][a])]


def column_numbers(row: list[str]) -> bool:
    """A row of column numbers: most of its cells number their own column, increasing left to right."""
    filled = [(c, clean(t)) for c, t in enumerate(row) if clean(t)]
    if len(filled) < 3:
        return False
    found = [(c, int(m.group(1))) for c, t in filled if (m := _COL_NO.match(t))]
    if len(found) < 0.7 * len(filled):
        return False
    values = [v for _, v in found]
    placed = sum(abs(v - (c + 1)) <= 2 for c, v in found)
    return all(a < b for a, b in zip(values, values[1:], strict=False)) and placed >= 0.7 * len(found)


def _upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _numeric(text: str) -> bool:
    return bool(_NUMERIC.match(clean(text)))


def _band_cells(grid: Grid, depth: int) -> list[tuple[int, str]]:
    """The header band's non-empty cells, one per column group: (first column, label)."""
    names, groups = header_columns(grid, depth)
    return [(g[0], n) for n, g in zip(names, groups, strict=True) if n]


def header_score(grid: Grid, text_layer: bool, depth: int = 1) -> int:
    """How much the top `depth` rows look like header rows, against the rows under them."""
    rows = grid.rows
    first = _band_cells(grid, depth)
    start = depth + numbers_row(grid, depth)
    body = range(start, len(rows))
    n = max(len(body), 1)
    score = 0
    if first and first[0][0] == 0 and key(first[0][1]) in _NO_LABELS:
        score += 2
    labels = sum(is_label(t) for _, t in first)
    score += 2 if labels >= max(2, len(first) / 2) else 1 if labels else 0
    firsts = [rows[r][0] for r in body if clean(rows[r][0])]
    numbered = len(firsts) >= 2 and sum(map(is_row_number, firsts)) >= 0.6 * len(firsts)
    if depth > 1:
        score += 1  # child labels under a parent: what a header is drawn like
    elif first and first[0][0] == 0 and is_row_number(first[0][1]):
        score -= 3 if numbered else 2
    if numbered and not (first and first[0][0] == 0 and is_row_number(first[0][1])):
        score += 2
    bold_body = sum(grid.bold_rows[r] for r in body)
    if any(grid.bold_rows[:depth]):
        if text_layer and bold_body < len(body):
            score += 2 if bold_body < 0.5 * n else 1
        elif bold_body < 0.5 * n:
            score += 1
    if grid.centred and max(grid.centred[:depth]) >= 0.6 and sum(grid.centred[r] for r in body) < 0.5 * n:
        score += 1
    if all(_upper(t) for _, t in first) and sum(_upper(" ".join(rows[r])) for r in body) < 0.5 * n:
        score += 1
    for a, t in first:
        column = [rows[r][a] for r in body if clean(rows[r][a])]
        if len(column) >= 2 and sum(map(_numeric, column)) >= 0.6 * len(column) and not _numeric(t):
            score += 1
            break
    if body and not any(clean(t) for r in body for t in rows[r][1:]):
        score += 2  # a form: a header over blank rows
    if numbers_row(grid, depth):
        score += 3
    return score


UNREAD = 3  # letters and digits in a row OCR read nothing from but specks


def unread_header(grid: Grid) -> bool:
    """Is the grid's first row a header OCR could not read (a shaded band, white on dark): nothing
    but specks in it, above rows numbered in their first column?"""
    rows = grid.rows
    if len(rows) < 3 or sum(ch.isalnum() for t in rows[0] for ch in t) > UNREAD:
        return False
    firsts = [rows[r][0] for r in range(1, len(rows)) if clean(rows[r][0])]
    return len(firsts) >= 2 and sum(map(is_row_number, firsts)) >= 0.6 * len(firsts)


CHILD_WORDS = 8  # a child label is short


def child_row(grid: Grid, r: int) -> bool:
    """Is row r a row of child labels under a parent cell of the row above: two or more short
    labels under one cell across several columns, and text nowhere else but in a cell running down
    from the row above (no rule between them)?"""
    if r < 1 or r >= len(grid.rows) or column_numbers(grid.rows[r]):
        return False
    ncols = len(grid.rows[r])
    below = cells(grid, r)
    if not below or below[0][0] == 0 and is_row_number(below[0][2]):
        return False
    parents = [(a, b) for a, b in row_spans(grid, r - 1) if 1 < b - a < ncols]
    under = [c for c, _, t in below if any(a <= c < b for a, b in parents) and len(t.split()) <= CHILD_WORDS]
    running = grid.open_below[r - 1] if r - 1 < len(grid.open_below) else [False] * ncols
    rest = [c for c, _, _ in below if c not in under]
    return any(sum(a <= c < b for c in under) >= 2 for a, b in parents) and all(running[c] for c in rest)


def header_depth(grid: Grid, text_layer: bool) -> int:
    """Header rows at the top of the grid (0: none; a one-row grid has none). Rows of child labels
    under a parent cell count with the row above; a label cell running down beside them (no rule
    under it) is read with its column."""
    if len(grid.rows) < 2 or column_numbers(grid.rows[0]):
        return 0
    depth = 1
    while depth < min(3, len(grid.rows) - 1) and child_row(grid, depth):
        depth += 1
    if len(_band_cells(grid, depth)) < 2 or header_score(grid, text_layer, depth) < HEADER_SCORE:
        return 0
    return depth


def numbers_row(grid: Grid, depth: int) -> bool:
    return 0 < depth < len(grid.rows) and column_numbers(grid.rows[depth])


def header_columns(grid: Grid, depth: int) -> tuple[list[str], list[list[int]]]:
    """Column names from the `depth` header rows, and the grid columns each table column takes."""
    ncols = len(grid.rows[0])
    numbers = grid.rows[depth] if numbers_row(grid, depth) else None
    paths: list[list[tuple[tuple[int, int], str]]] = []
    for c in range(ncols):
        path: list[tuple[tuple[int, int], str]] = []
        for r in range(depth):
            span = span_of(grid, r, c)
            text = clean(grid.rows[r][span[0]])
            if not text:
                continue
            joined = r > 0 and r - 1 < len(grid.open_below) and grid.open_below[r - 1][c]
            if path and joined and path[-1][0] == span:  # one cell down two grid rows: one label
                path[-1] = (span, f"{path[-1][1]} {text}")
            elif not path or path[-1][1] != text:
                path.append((span, text))
        paths.append(path)
    body = range(depth, len(grid.rows))
    groups: list[list[int]] = []
    for c in range(ncols):
        same = bool(groups) and [s for s, _ in paths[c]] == [s for s, _ in paths[groups[-1][-1]]] and bool(paths[c])
        if same and numbers is not None and clean(numbers[c]) and clean(numbers[groups[-1][-1]]):
            same = False  # the numbers row tells them apart
        if groups and not paths[c] and len(body) > 0 and all(span_of(grid, r, c)[0] < c for r in body):
            same = True  # no label and no rule under the header: a stroke in the header is no column
        if same:
            groups[-1].append(c)
        else:
            groups.append([c])
    names = []
    for g in groups:
        parts = [t for _, t in paths[g[0]]]
        shared = len(g) == 1 and any(b - a > 1 for (a, b), _ in paths[g[0]][-1:])
        if numbers is not None and shared and clean(numbers[g[0]]):
            parts.append(clean(numbers[g[0]]))
        names.append(" / ".join(parts))
    return names, groups


_NUMBER_WORD = re.compile(r"^(?:\d+(?:[.,/=]\d+)*|%)$")
_WORD_EDGE = "()[]{}.,:;-–'\"“”"
ABBREVIATION = 6  # letters of a label word in capitals read as an abbreviation (STT, ĐVT, TTYT)


def misread_words(label: str) -> int:
    """Words of a column label that no printer would print: neither a Vietnamese syllable, an
    abbreviation in capitals, a number or column formula ("2017", "9=7/4", "(%)"), nor words joined by
    a slash. OCR's slips make them ("Ướcthựục", "(%4)")."""
    bad = 0
    for token in label.split():
        for part in token.strip(_WORD_EDGE).split("/"):
            part = part.strip(_WORD_EDGE)
            if not part or _NUMBER_WORD.match(part) or part.isalpha() and (
                    is_syllable(part) or part.isupper() and len(part) <= ABBREVIATION):
                continue
            bad += 1
    return bad


def better_reading(first: str, second: str) -> str:
    """Of two OCR readings of one header cell (a header repeated over pages), the one with fewer
    misread words; the first on a tie."""
    return second if misread_words(second) < misread_words(first) else first


def merge_columns(row: list[str], groups: list[list[int]]) -> list[str]:
    return [" ".join(t for c in g if (t := row[c].strip())) for g in groups]
