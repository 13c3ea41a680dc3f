"""tables: page grids → tables, stitched across pages.

Reads: `table` blocks (grids from the layout stage). Writes: `tables` with header row, data rows
and pages. Header rows and column names come from `table_header`; body rows are the grid's rows,
but for the lettered points of a numbered item ("1 | … | a) … | b) …"), which are its row.

A grid that opens a page right after a table that closed the previous one (footnotes below it, a
running header repeated above it, specks and OCR noise read across the grid's edge beside its rows,
do not count) continues it when its frame is the table's (the same columns, or at least the same
outer edges, the page sitting a little aside) and it brings no header of its own: a header drawn
again (the same header cells, its words alike even as OCR misread them) is dropped, and each column
keeps the better of its two readings; a clear header of other words starts a new table. Its columns go
into the table's by position. A first row whose text goes on in lower case, without a first cell
or where the last row's text stops mid-sentence, is the rest of that row, cut by the page break: it
is merged into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from rapidfuzz.distance import Levenshtein

from directives.pipeline.document import Block, Document, Grid, TableOptions
from directives.pipeline.stage import Stage
from directives.pipeline.table_header import (
    better_reading,
    child_row,
    clean,
    column_numbers,
    header_columns,
    header_depth,
    header_score,
    is_row_number,
    key,
    merge_columns,
    numbers_row,
    unread_header,
)
from directives.schemas import Table

_POINT = re.compile(r"^[a-zđ][.)]\s")  # "a) ", "b. ": a lettered point of an item
OWN_HEADER = 4  # a continuing grid whose first row scores this much as a header starts a table of its own


def same_columns(a: Grid, b: Grid, tol: float = 4.0, max_shift: float = 20.0) -> bool:
    """The same column boundaries, allowing the whole table to sit a little left or right on the next
    page (a scanned page is rarely placed exactly as the one before)."""
    if len(a.xs) != len(b.xs):
        return False
    shift = median(y - x for x, y in zip(a.xs, b.xs, strict=True))
    return abs(shift) <= max_shift and all(abs(y - x - shift) <= tol for x, y in zip(a.xs, b.xs, strict=True))


def same_frame(a: Grid, b: Grid, max_shift: float = 20.0) -> bool:
    """The same outer edges (the inner columns may differ), allowing the same shift as `same_columns`."""
    left, right = b.xs[0] - a.xs[0], b.xs[-1] - a.xs[-1]
    width = a.xs[-1] - a.xs[0]
    return abs(left) <= max_shift and abs(right) <= max_shift and abs(left - right) <= max(6.0, 0.02 * width)


TOP_MARGIN = 0.1  # share of the page's height where a running header stands above a continued table
FOOT = 0.85  # share of the page's height below which footnotes stand under a table that goes on


def follows(doc: Document, i: int, last: int) -> bool:
    """Does table block i open its page right after block `last` closed the previous one? Lines
    between them in the previous page's foot (footnotes) or the next page's top margin (a running
    header OCR read differently on each page, so not dropped as one), and specks, do not count."""
    blocks = doc.blocks
    if last >= i or blocks[last].page != blocks[i].page - 1:
        return False

    def top_lines(page: int) -> list[str]:
        pg = doc.pages[page - 1]
        return [ln.text for ln in pg.lines if ln.y0 <= TOP_MARGIN * pg.height]

    def aside(b: Block) -> bool:
        if b.kind != "text" or not b.lines or b.page - 1 >= len(doc.pages):
            return False
        if sum(ch.isalnum() for ch in b.text) < 3:
            return True  # a speck OCR read beside the table
        height = doc.pages[b.page - 1].height
        if b.page == blocks[last].page:
            return min(ln.y0 for ln in b.lines) >= FOOT * height or beside_rows(b, blocks[last].grid)
        return b.page == blocks[i].page and max(ln.y0 for ln in b.lines) <= TOP_MARGIN * height and any(
            similar(b.text, t, 0.7) for t in top_lines(b.page - 1))  # the same words atop the page before

    return all(aside(b) for b in blocks[last + 1:i])


def beside_rows(b: Block, grid: Grid | None) -> bool:
    """Is text block `b` read within the grid's rows, across its edge (OCR noise at a border, a
    stroke beside a cell), not under the table?"""
    return grid is not None and all(grid.y0 <= (ln.y0 + ln.y1) / 2 <= grid.y1 and ln.x0 <= grid.x1 and ln.x1 >= grid.x0
                                    for ln in b.lines)


def title_before(doc: Document, i: int, part_start: int) -> str | None:
    """A bold or centred paragraph right above the table names it."""
    if i - 1 < part_start:
        return None
    b = doc.blocks[i - 1]
    if b.kind == "text" and b.zone == "full" and (b.bold or doc.centered(b)) and len(b.text) < 200:
        return b.text
    return None


def similar(a: str, b: str, least: float = 0.8) -> bool:
    ka, kb = " ".join(key(a).split()), " ".join(key(b).split())
    return ka == kb or Levenshtein.normalized_similarity(ka, kb) >= least


@dataclass
class Piece:
    """One grid read as a table: its columns, the grid columns each takes, and its body rows."""

    columns: list[str]
    groups: list[list[int]]
    rows: list[list[str]]
    depth: int  # header rows


def _opens_point(row: list[str]) -> bool:
    return bool(_POINT.match(next((t.strip() for t in row[1:] if t.strip()), "")))


def numbered_bands(grid: Grid, start: int) -> list[list[int]]:
    """Body rows grouped into items: the rows beside one number cell running down (no rule under it
    in the first column), when all but the first are lettered points of the item ("1 | Thời gian
    quàn ướp | a) … | b) …"), are the item's row; so are the child labels of a two-level header row
    inside the table."""
    runs: list[list[int]] = []
    for r in range(start, len(grid.rows)):
        if runs and runs[-1][-1] < len(grid.open_below) and grid.open_below[runs[-1][-1]][0] and r == runs[-1][-1] + 1:
            runs[-1].append(r)
        else:
            runs.append([r])
    bands: list[list[int]] = []
    for run in runs:
        numbers = [clean(grid.rows[r][0]) for r in run if clean(grid.rows[r][0])]
        if len(run) > 1 and len(numbers) <= 1 and all(map(is_row_number, numbers)) \
                and all(_opens_point(grid.rows[r]) for r in run[1:]):
            bands.append(run)
            continue
        for r in run:
            if bands and not clean(grid.rows[r][0]) and child_row(grid, r):
                bands[-1].append(r)  # the child labels of a header inside the table: one row with it
            else:
                bands.append([r])
    return bands


def grid_to_piece(grid: Grid, text_layer: bool) -> Piece:
    depth = header_depth(grid, text_layer)
    if depth:
        columns, groups = header_columns(grid, depth)
        start = depth + numbers_row(grid, depth)
    else:
        columns, groups = [], [[c] for c in range(len(grid.rows[0]))]
        start = 1 if len(grid.rows) > 1 and column_numbers(grid.rows[0]) or unread_header(grid) else 0
        depth = int(unread_header(grid))
    return Piece(columns, groups, body_rows(grid, start, groups), depth)


def body_rows(grid: Grid, start: int, groups: list[list[int]]) -> list[list[str]]:
    """Rows from `start` on, as table rows: grid columns merged by `groups`, sub-rows into their item."""
    rows = []
    for band in numbered_bands(grid, start):
        cells = [merge_columns(grid.rows[r], groups) for r in band]
        rows.append([" ".join(t for t in col if t) for col in zip(*cells, strict=True)])
    return rows


@dataclass
class Open:
    """The table being built and what a continuation is checked against."""

    table: Table
    grid: Grid  # its first grid
    groups: list[list[int]]
    depth: int  # header rows of its first grid
    block: int  # index of its last block


def _same_header(grid: Grid, open_: Open) -> bool:
    """The header of the table's first grid drawn again: the same columns and header cells, and text
    alike even as OCR misread it (a header of other words is another table's)."""
    first, depth = open_.grid, open_.depth
    if not depth or len(grid.rows) <= depth or not same_columns(first, grid):
        return False
    if any(r >= len(grid.spans) or r >= len(first.spans) or grid.spans[r] != first.spans[r] for r in range(depth)):
        return False
    words = [" ".join(t for r in g.rows[:depth] for t in r) for g in (first, grid)]
    return similar(words[0], words[1], least=0.6)


def reread_header(open_: Open, grid: Grid) -> None:
    """The header drawn again on the next page is a second reading of the same cells: each column
    keeps the reading with fewer misread words (`better_reading`)."""
    names, _ = header_columns(grid, open_.depth)
    table = open_.table
    if len(names) == len(table.columns):
        table.columns = [better_reading(a, b) if similar(a, b, 0.5) else a
                         for a, b in zip(table.columns, names, strict=True)]


def _repeated_rows(grid: Grid, open_: Open, text_layer: bool) -> int | None:
    """Rows at the top of `grid` that repeat the table's header (0: none, None: a header of its own)."""
    table = open_.table
    if not table.columns:
        if header_depth(grid, text_layer):
            return None
        return 1 if open_.depth and unread_header(grid) else 0  # the unread header drawn again
    if _same_header(grid, open_):
        return open_.depth + numbers_row(grid, open_.depth)
    depth = header_depth(grid, text_layer)
    if depth:
        names, _ = header_columns(grid, depth)
        if similar(" ".join(names), " ".join(table.columns)):
            return depth + numbers_row(grid, depth)
    for n in (1, 2, 3):  # a repeated header not scored as one (OCR noise): its text is the table's
        if n < len(grid.rows) and similar(" ".join(t for r in grid.rows[:n] for t in r), " ".join(table.columns)):
            return n + numbers_row(grid, n)
    if depth and header_score(grid, text_layer, depth) >= OWN_HEADER:
        return None
    return 1 if column_numbers(grid.rows[0]) else 0


def _map_columns(grid: Grid, into: Open) -> list[list[int]]:
    """For each column of the open table, the grid columns of `grid` that fall in it (by position)."""
    base = into.grid
    shift = grid.xs[0] - base.xs[0]
    ranges = [(base.xs[g[0]], base.xs[g[-1] + 1]) for g in into.groups]
    out: list[list[int]] = [[] for _ in ranges]
    for c in range(len(grid.xs) - 1):
        a, b = grid.xs[c] - shift, grid.xs[c + 1] - shift
        best = max(range(len(ranges)), key=lambda k: min(b, ranges[k][1]) - max(a, ranges[k][0]))
        out[best].append(c)
    return out


def split_row(row: list[str], last: list[str]) -> bool:
    """The rest of the row `last` cut by the page break: its text goes on in lower case, in a row
    without a first cell (no number of its own) or where the last row's text stops mid-sentence."""
    at = next((c for c, t in enumerate(row) if t.strip()), None)
    if at is None or at >= len(last) or not row[at].strip()[:1].islower():
        return False
    before = last[at].strip()
    return at > 0 or bool(before) and not before.endswith((".", ";", ":", "!", "?"))


def _extend(open_: Open, grid: Grid, skip: int, index: int) -> None:
    table = open_.table
    groups = open_.groups if same_columns(open_.grid, grid) else _map_columns(grid, open_)
    rows = body_rows(grid, skip, groups)
    if rows and table.rows and split_row(rows[0], table.rows[-1]):
        table.rows[-1] = [f"{a} {c}".strip() for a, c in zip(table.rows[-1], rows[0], strict=True)]
        rows = rows[1:]
    table.rows.extend(rows)
    if grid.page not in table.pages:
        table.pages.append(grid.page)
    open_.block = index


def tables(doc: Document, opts: TableOptions = TableOptions()) -> Document:
    out: list[Table] = []
    current: Open | None = None
    for part in doc.result.parts:
        for i, b in doc.part_blocks(part.id):
            if b.kind != "table" or b.grid is None:
                continue
            g = b.grid
            text_layer = doc.pages[g.page - 1].source == "text" if g.page - 1 < len(doc.pages) else True
            if current and current.table.part == part.id and follows(doc, i, current.block) \
                    and (same_columns(current.grid, g) or same_frame(current.grid, g)):
                skip = _repeated_rows(g, current, text_layer)
                if skip is not None:
                    if skip and _same_header(g, current):
                        reread_header(current, g)
                    _extend(current, g, skip, i)
                    continue
            piece = grid_to_piece(g, text_layer)
            span = doc.spans[part.id]
            table = Table(id=f"t{len(out) + 1}", part=part.id, title=title_before(doc, i, span.start),
                          pages=[g.page], columns=piece.columns, rows=piece.rows)
            out.append(table)
            current = Open(table, g, piece.groups, piece.depth, i)
    doc.result.tables = [t for t in out if len(t.rows) + bool(t.columns) >= opts.min_rows]
    return doc


STAGE = Stage("tables", tables, reads=("pages", "blocks", "spans", "body", "parts"), writes=("tables",), options="tables")
