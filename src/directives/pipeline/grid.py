"""Ruled-table geometry: drawn rules → grids → cell texts. Pure functions used by the layout stage."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from directives.extractors.model import Line, Rule, Word
from directives.pipeline.document import Grid


def snap(values: list[float], tol: float) -> list[float]:
    """Sorted positions with values closer than `tol` merged into their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _touch(a: Rule, b: Rule, tol: float) -> bool:
    return a.x0 - tol <= b.x1 and b.x0 - tol <= a.x1 and a.y0 - tol <= b.y1 and b.y0 - tol <= a.y1


def rules_to_clusters(rules: list[Rule], tol: float) -> list[list[Rule]]:
    """Groups of rules that touch each other (each group is one candidate table)."""
    rules = [r for r in rules if r.horizontal or r.vertical]
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, r in enumerate(rules) if r.horizontal]
    vs = sorted((i for i, r in enumerate(rules) if r.vertical), key=lambda j: rules[j].x0)
    vx = [rules[j].x0 for j in vs]
    for i in hs:
        h = rules[i]
        root = find(i)
        # a vertical rule is at most 2 pt wide: only those starting within the horizontal's reach can touch it
        for j in vs[bisect_left(vx, h.x0 - tol - 2.0):bisect_right(vx, h.x1 + tol)]:
            if _touch(h, rules[j], tol) and (other := find(j)) != root:
                parent[root] = other
                root = other
    groups: dict[int, list[Rule]] = {}
    for i in range(len(rules)):
        groups.setdefault(find(i), []).append(rules[i])
    return list(groups.values())


def _covered(rules: list[Rule], pos: float, lo: float, hi: float, vertical: bool, tol: float) -> bool:
    """Is the segment [lo, hi] at `pos` drawn (mostly) by one of `rules`?"""
    mid = (lo + hi) / 2
    for r in rules:
        if vertical and r.vertical and abs(r.x0 - pos) <= tol and r.y0 - tol <= mid <= r.y1 + tol:
            return True
        if not vertical and r.horizontal and abs(r.y0 - pos) <= tol and r.x0 - tol <= mid <= r.x1 + tol:
            return True
    return False


def words_to_text(words: list[Word]) -> str:
    """Words of one cell in reading order: lines top to bottom (a word joins the line whose vertical
    extent holds its middle, or whose middle its extent holds), words left to right."""
    lines: list[tuple[float, float, list[Word]]] = []  # (y0, y1, words)
    for w in sorted(words, key=lambda w: (w.y0 + w.y1) / 2):
        mid = (w.y0 + w.y1) / 2
        if lines and (lines[-1][0] <= mid <= lines[-1][1] or w.y0 <= (lines[-1][0] + lines[-1][1]) / 2 <= w.y1):
            y0, y1, ws = lines[-1]
            lines[-1] = (min(y0, w.y0), max(y1, w.y1), [*ws, w])
        else:
            lines.append((w.y0, w.y1, [w]))
    return " ".join(w.text for _, _, ws in lines for w in sorted(ws, key=lambda w: w.x0))


MIN_COLUMN = 8.0  # pt: two vertical rules closer than this are one border drawn double (or scanned thick)


def merge_close(xs: list[float], gap: float) -> list[float]:
    """Sorted positions with neighbours closer than `gap` merged: the outer one kept at the table's
    edges (a double border), the mean inside."""
    out: list[list[float]] = []
    for x in xs:
        if out and x - out[-1][-1] < gap:
            out[-1].append(x)
        else:
            out.append([x])
    merged = [sum(g) / len(g) for g in out]
    if len(out) >= 2:
        merged[0], merged[-1] = out[0][0], out[-1][-1]
    return merged


def cluster_to_grid(cluster: list[Rule], lines: list[Line], page: int, tol: float) -> tuple[Grid, set[int]] | None:
    """Build a grid from one rule cluster; returns it and the indices of the lines it consumed."""
    ys = snap([r.y0 for r in cluster if r.horizontal], tol)
    xs = merge_close(snap([r.x0 for r in cluster if r.vertical], tol), MIN_COLUMN)
    if len(ys) < 2 or len(xs) < 2:
        return None
    x0, x1, y0, y1 = xs[0], xs[-1], ys[0], ys[-1]
    ncols, nrows = len(xs) - 1, len(ys) - 1
    cells: list[list[list[Word]]] = [[[] for _ in range(ncols)] for _ in range(nrows)]
    used: set[int] = set()
    for li, ln in enumerate(lines):
        if ln.x1 < x0 or ln.x0 > x1 or ln.y1 < y0 or ln.y0 > y1:
            continue
        inside = 0
        for w in ln.words:
            cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
            if not (x0 <= cx <= x1 and y0 <= cy <= y1):
                continue
            r = min(bisect_left(ys, cy, 1) - 1, nrows - 1)  # the first row whose bottom is at or below cy
            c = min(bisect_left(xs, cx, 1) - 1, ncols - 1)
            cells[r][c].append(w)
            inside += 1
        if inside == len(ln.words):
            used.add(li)
            ln.role = "table"
    # rows separated by no drawn horizontal rule are one row (a cell wrapped over several lines)
    merged: list[list[list[Word]]] = []
    bold_rows: list[bool] = []
    for r in range(nrows):
        if merged and not any(_covered(cluster, ys[r], xs[c], xs[c + 1], False, tol) for c in range(ncols)):
            for c in range(ncols):
                merged[-1][c].extend(cells[r][c])
            continue
        merged.append(cells[r])
    rows: list[list[str]] = []
    for row in merged:
        texts = [words_to_text(ws) for ws in row]
        if not any(texts):
            continue
        rows.append(texts)
        ws = [w for cell in row for w in cell]
        bold_rows.append(bool(ws) and sum(w.bold for w in ws) >= 0.6 * len(ws))
    if not rows:
        return None
    return Grid(page, x0, y0, x1, y1, xs, rows, bold_rows), used


def min_table_rules(min_cols: int) -> int:
    """Drawn segments a ruled table of `min_cols` columns has at least: a vertical rule at each edge
    of its columns, two horizontal ones (a page with fewer has its drawings not read)."""
    return max(1, min_cols) + 3


def page_grids(rules: list[Rule], lines: list[Line], page: int, tol: float,
               min_cols: int) -> list[Grid]:
    """Every ruled table on a page; the lines it takes get the role `table`."""
    grids: list[Grid] = []
    if len(rules) < min_table_rules(min_cols):
        return grids
    roles = [ln.role for ln in lines]
    for cluster in rules_to_clusters(rules, tol):
        nh = sum(r.horizontal for r in cluster)
        nv = sum(r.vertical for r in cluster)
        if nh < 2 or nv < 2:
            continue
        built = cluster_to_grid(cluster, lines, page, tol)
        if built is None:
            continue
        grid, consumed = built
        if len(grid.xs) - 1 < min_cols:  # a boxed paragraph, not a table: its lines stay as they were
            for i in consumed:
                lines[i].role = roles[i]
            continue
        grids.append(grid)
    grids.sort(key=lambda g: g.y0)
    return grids


def _starts(row: list[Line]) -> list[float]:
    return [ln.x0 for ln in sorted(row, key=lambda ln: ln.x0)]


def _fits(row: list[Line], starts: list[float], tol: float) -> bool:
    xs = _starts(row)
    return len(xs) == len(starts) and all(abs(a - b) <= tol for a, b in zip(xs, starts, strict=True))


def aligned_grids(rows: list[list[Line]], page: int, min_cols: int = 3, min_rows: int = 2,
                  tol: float = 3.0) -> list[tuple[Grid, list[list[Line]]]]:
    """Tables drawn without rules: runs of `min_rows` or more visual rows (`layout.lines_to_rows`)
    whose `min_cols` or more pieces start at the same x, row after row ("- Ông: Trương Đình Nam |
    - Bí thư ĐTN | - Trưởng ban"). A one-piece row starting at the first column's x inside a run is
    the first cell wrapped onto a second line. Each grid comes with the rows it took."""
    out: list[tuple[Grid, list[list[Line]]]] = []
    run: list[list[Line]] = []
    starts: list[float] = []

    def close() -> None:
        table_rows = [r for r in run if len(r) == len(starts)]
        if len(table_rows) >= min_rows:
            x1 = max(ln.x1 for r in run for ln in r)
            cells: list[list[str]] = []
            for r in run:
                texts = [ln.text for ln in sorted(r, key=lambda ln: ln.x0)]
                if len(texts) == len(starts):
                    cells.append(texts)
                else:  # wrapped first cell
                    cells[-1][0] = f"{cells[-1][0]} {texts[0]}"
            bold = [all(ln.bold for ln in r) for r in table_rows]
            grid = Grid(page, starts[0], run[0][0].y0, x1, max(ln.y1 for ln in run[-1]), [*starts, x1], cells, bold)
            out.append((grid, list(run)))

    for row in rows:
        if run and _fits(row, starts, tol) or run and len(row) == 1 and abs(row[0].x0 - starts[0]) <= tol and len(run[-1]) == len(starts):
            run.append(row)
        else:
            if run:
                if len(run[-1]) != len(starts):  # a one-piece row that turned out to end the run
                    run.pop()
                close()
            run, starts = ([row], _starts(row)) if len(row) >= min_cols else ([], [])
    if run:
        if len(run[-1]) != len(starts):
            run.pop()
        close()
    return out
