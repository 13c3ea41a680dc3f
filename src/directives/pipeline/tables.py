"""tables: page grids → tables, stitched across pages.

Reads: `table` blocks (grids from the layout stage). Writes: `tables` with header row, data rows
and pages. A grid that opens a page and has the same columns as the table that closed the
previous page continues it: its repeated header row is dropped, and a first row without a row
number (a cell split by the page break) is merged into the last row.
"""

from __future__ import annotations

from statistics import median

from directives.knowledge import ROW_NUMBER_HEADERS, fold
from directives.pipeline.document import Block, Document, Grid, TableOptions
from directives.schemas import Table

_HEADER_WORDS = tuple(fold(w) for w in ROW_NUMBER_HEADERS) + (
    "noi dung", "ten", "thoi gian", "don vi", "ghi chu", "ho va ten", "cong viec", "ngay", "chuc vu",
)


def is_header_row(row: list[str], bold: bool) -> bool:
    cells = [fold(c).strip(" .:") for c in row if c.strip()]
    if not cells:
        return False
    if bold:
        return True
    return sum(c.startswith(_HEADER_WORDS) for c in cells) >= max(1, len(cells) // 2)


def same_columns(a: Grid, b: Grid, tol: float = 4.0, max_shift: float = 20.0) -> bool:
    """The same column boundaries, allowing the whole table to sit a little left or right on the next
    page (a scanned page is rarely placed exactly as the one before)."""
    if len(a.xs) != len(b.xs):
        return False
    shift = median(y - x for x, y in zip(a.xs, b.xs, strict=True))
    return abs(shift) <= max_shift and all(abs(y - x - shift) <= tol for x, y in zip(a.xs, b.xs, strict=True))


def opens_page(blocks: list[Block], i: int) -> bool:
    """Is block i the first block of its page (the previous one is on an earlier page)?"""
    return i > 0 and blocks[i - 1].page < blocks[i].page


def title_before(doc: Document, i: int, part_start: int) -> str | None:
    """A bold or centred paragraph right above the table names it."""
    if i - 1 < part_start:
        return None
    b = doc.blocks[i - 1]
    if b.kind == "text" and b.zone == "full" and (b.bold or doc.centered(b)) and len(b.text) < 200:
        return b.text
    return None


def rows_to_table(grid: Grid) -> tuple[list[str], list[list[str]]]:
    if grid.rows and is_header_row(grid.rows[0], grid.bold_rows[0]):
        return grid.rows[0], [list(r) for r in grid.rows[1:]]
    return [], [list(r) for r in grid.rows]


def tables(doc: Document, opts: TableOptions = TableOptions()) -> Document:
    out: list[Table] = []
    last_grid: Grid | None = None
    last_index = -10
    for part in doc.result.parts:
        for i, b in doc.part_blocks(part.id):
            if b.kind != "table" or b.grid is None:
                continue
            g = b.grid
            if out and last_grid and out[-1].part == part.id and last_index == i - 1 and opens_page(doc.blocks, i) \
                    and same_columns(last_grid, g):
                table = out[-1]
                rows = [list(r) for r in g.rows]
                if rows and table.columns and [fold(c) for c in rows[0]] == [fold(c) for c in table.columns]:
                    rows = rows[1:]
                if rows and table.rows and not rows[0][0].strip():
                    table.rows[-1] = [f"{a} {c}".strip() for a, c in zip(table.rows[-1], rows[0], strict=True)]
                    rows = rows[1:]
                table.rows.extend(rows)
                table.pages.append(g.page)
            else:
                columns, rows = rows_to_table(g)
                span = doc.spans[part.id]
                out.append(Table(id=f"t{len(out) + 1}", part=part.id, title=title_before(doc, i, span.start),
                                 pages=[g.page], columns=columns, rows=rows))
            last_grid, last_index = g, i
    doc.result.tables = [t for t in out if len(t.rows) + bool(t.columns) >= opts.min_rows]
    return doc
