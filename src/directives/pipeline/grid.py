"""Ruled-table geometry: drawn rules → grids → cell texts. Pure functions used by the layout stage.

Rules read off a scan are a little askew, and not all alike when the paper was curved: each row
(column) boundary is the straight line through the rules drawn at about the same place, with their
own slope, and a word belongs to the row whose boundaries pass above and below its centre at the
word's own x. Where no rule is drawn between two columns of a row, the row has one cell across them
(a merged cell: a parent header, a group title); where none is drawn between two rows in any column,
they are one row (a cell wrapped over several lines). A table whose outer rule is missing on one side
(cut off by the scan) ends where its rules end.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from operator import attrgetter

from directives.extractors.model import Line, Rule, Word
from directives.pipeline.document import Grid

LONG_RULE = 60.0  # pt: a rule this long has a slope worth trusting; a shorter one takes its table's
MIN_ROW = 6.0  # pt: an empty row lower than this is the gap of a double rule, not a row
EDGE_SHARE = 0.6  # share of the rules that must run on past the outermost one to make an open edge


def snap(values: list[float], tol: float) -> list[float]:
    """Sorted positions with values closer than `tol` merged into their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _box(r: Rule) -> tuple[float, float, float, float]:
    return min(r.x0, r.x1), min(r.y0, r.y1), max(r.x0, r.x1), max(r.y0, r.y1)


def rules_to_clusters(rules: list[Rule], tol: float) -> list[list[Rule]]:
    """Groups of rules that touch each other (each group is one candidate table)."""
    kinds = [(r, r.horizontal) for r in rules]
    kinds = [(r, h) for r, h in kinds if h or r.vertical]
    rules = [r for r, _ in kinds]
    boxes = [_box(r) for r in rules]
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, (_, h) in enumerate(kinds) if h]
    vs = sorted((i for i, (_, h) in enumerate(kinds) if not h), key=lambda j: boxes[j][0])
    vx = [boxes[j][0] for j in vs]
    # a vertical rule is at most 2 pt wide, or as wide as its slope makes it
    lean = max((boxes[j][2] - boxes[j][0] for j in vs), default=0.0) + 2.0
    for i in hs:
        hx0, hy0, hx1, hy1 = boxes[i]
        root = find(i)
        for j in vs[bisect_left(vx, hx0 - tol - lean):bisect_right(vx, hx1 + tol)]:
            vx0, vy0, vx1, vy1 = boxes[j]
            if hx0 - tol <= vx1 and vx0 - tol <= hx1 and hy0 - tol <= vy1 and vy0 - tol <= hy1 \
                    and (other := find(j)) != root:
                parent[root] = other
                root = other
    for a, b in _broken_pairs(rules, hs, True, tol) + _broken_pairs(rules, vs, False, tol):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[int, list[Rule]] = {}
    for i in range(len(rules)):
        groups.setdefault(find(i), []).append(rules[i])
    return list(groups.values())


BROKEN_GAP = 10.0  # pt: two pieces of one line with a gap this wide are one rule scanned faint


def _broken_pairs(rules: list[Rule], idx: list[int], horizontal: bool, tol: float) -> list[tuple[int, int]]:
    """Pairs of rules (indexes) that are pieces of one line: in line, one going on where the other
    stops, after a gap of at most `BROKEN_GAP`."""
    ends = {i: (r.x0, r.x1, r.y0, r.y1) if horizontal else (r.y0, r.y1, r.x0, r.x1)
            for i in idx for r in (rules[i],)}  # start, end along; across at the start, at the end
    lines: dict[int, list[tuple[float, int]]] = {}
    for i in idx:
        lines.setdefault(round(ends[i][2] / tol), []).append((ends[i][0], i))
    for members in lines.values():
        members.sort()
    out = []
    for i in idx:
        _, end, _, across = ends[i]
        line = round(across / tol)
        for n in (line - 1, line, line + 1):
            members = lines.get(n, [])
            for k in range(bisect_left(members, (end - tol, -1)), len(members)):
                start, j = members[k]
                if start > end + BROKEN_GAP:
                    break
                if j != i and abs(ends[j][2] - across) <= tol:
                    out.append((i, j))
    return out


def words_to_text(words: list[Word]) -> str:
    """Words of one cell in reading order: lines top to bottom (a word joins the line whose vertical
    extent holds its middle, or whose middle its extent holds), words left to right."""
    if len(words) == 1:
        return words[0].text
    lines: list[tuple[float, float, list[Word]]] = []  # (y0, y1, words)
    for w in sorted(words, key=_middle):
        mid = (w.y0 + w.y1) / 2
        if lines and (lines[-1][0] <= mid <= lines[-1][1] or w.y0 <= (lines[-1][0] + lines[-1][1]) / 2 <= w.y1):
            y0, y1, ws = lines[-1]
            ws.append(w)
            lines[-1] = (min(y0, w.y0), max(y1, w.y1), ws)
        else:
            lines.append((w.y0, w.y1, [w]))
    return " ".join([w.text for _, _, ws in lines for w in sorted(ws, key=_left)])


def _middle(w: Word) -> float:
    return (w.y0 + w.y1) / 2


_left = attrgetter("x0")


MIN_COLUMN = 8.0  # pt: two vertical rules closer than this are one border drawn double (or scanned thick)


@dataclass(slots=True)
class Boundary:
    """A row (or column) boundary: the straight line through the rules drawn at about one place,
    and the stretches of it that are drawn."""

    pos: float  # where it crosses the grid's middle line
    slope: float  # dy/dx of a row boundary, dx/dy of a column boundary
    mid: float  # the grid's middle along the boundary (x for a row boundary, y for a column boundary)
    drawn: list[tuple[float, float]] = field(default_factory=list)  # along the boundary

    def at(self, t: float) -> float:
        return self.pos + self.slope * (t - self.mid)

    def covers(self, lo: float, hi: float, tol: float) -> bool:
        """Is the stretch [lo, hi] drawn: its middle, or half of it?"""
        mid = (lo + hi) / 2
        if any(a - tol <= mid <= b + tol for a, b in self.drawn):
            return True
        inside = sum(max(0.0, min(b, hi) - max(a, lo)) for a, b in self.drawn)
        return hi > lo and inside >= 0.5 * (hi - lo)


def _extent(r: Rule, horizontal: bool) -> tuple[float, float]:
    return (r.x0, r.x1) if horizontal else (r.y0, r.y1)


def _slope(r: Rule, horizontal: bool) -> float:
    a, b = _extent(r, horizontal)
    return ((r.y1 - r.y0) if horizontal else (r.x1 - r.x0)) / max(b - a, 1e-6)


def _weighted_median(pairs: list[tuple[float, float]]) -> float:
    pairs = sorted(pairs)
    half, acc = sum(w for _, w in pairs) / 2, 0.0
    for v, w in pairs:
        acc += w
        if acc >= half:
            return v
    return 0.0


def rules_to_boundaries(rules: list[Rule], horizontal: bool, mid: float, tol: float) -> list[Boundary]:
    """Rules of one direction grouped into boundaries by where they cross the grid's middle line
    (`mid`): a long rule along its own slope, a short one along its table's. Pieces of one rule
    broken or bent by the scan (side by side, not overlapping) join even a little further apart."""
    if not rules:
        return []
    spans = [_extent(r, horizontal) for r in rules]
    slopes = [_slope(r, horizontal) for r in rules]
    lengths = [b - a for a, b in spans]
    trusted = [(s, n) for s, n in zip(slopes, lengths, strict=True) if n >= LONG_RULE]
    common = _weighted_median(trusted or list(zip(slopes, lengths, strict=True)))
    items = []
    for r, (a, b), s, n in zip(rules, spans, slopes, lengths, strict=True):
        s = s if n >= LONG_RULE else common
        centre = (r.y0 + r.y1) / 2 if horizontal else (r.x0 + r.x1) / 2
        items.append((centre + s * (mid - (a + b) / 2), s, n, (a, b)))
    items.sort()
    groups: list[list[tuple[float, float, float, tuple[float, float]]]] = []
    for it in items:
        if groups and it[0] - groups[-1][-1][0] <= tol:
            groups[-1].append(it)
        else:
            groups.append([it])
    out: list[Boundary] = []
    for g in groups:
        weight = sum(n for _, _, n, _ in g) or 1.0
        bound = Boundary(sum(p * n for p, _, n, _ in g) / weight, sum(s * n for _, s, n, _ in g) / weight, mid,
                         _union([e for *_, e in g]))
        if out and bound.pos - out[-1].pos <= 2 * tol and _overlap(out[-1].drawn, bound.drawn) <= 0.2 * min(
                _length(out[-1].drawn), _length(bound.drawn)):
            prev = out[-1]
            wa, wb = _length(prev.drawn), _length(bound.drawn)
            out[-1] = Boundary((prev.pos * wa + bound.pos * wb) / (wa + wb or 1.0), (prev.slope * wa + bound.slope * wb) / (wa + wb or 1.0),
                               mid, _union(prev.drawn + bound.drawn))
        else:
            out.append(bound)
    return out


def _union(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _length(spans: list[tuple[float, float]]) -> float:
    return sum(b - a for a, b in spans)


def _overlap(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> float:
    return sum(max(0.0, min(y, q) - max(x, p)) for x, y in a for p, q in b)


def merge_double(bounds: list[Boundary], gap: float) -> list[Boundary]:
    """Column boundaries closer than `gap` made one (a border drawn double, or scanned thick): the
    outer one kept at the table's edges, the mean inside."""
    groups: list[list[Boundary]] = []
    for b in bounds:
        if groups and b.pos - groups[-1][-1].pos < gap:
            groups[-1].append(b)
        else:
            groups.append([b])
    out = []
    for k, g in enumerate(groups):
        if len(g) == 1:
            out.append(g[0])
            continue
        keep = g[0] if k == 0 else g[-1] if k == len(groups) - 1 else None
        pos = keep.pos if keep else sum(b.pos for b in g) / len(g)
        slope = keep.slope if keep else sum(b.slope for b in g) / len(g)
        out.append(Boundary(pos, slope, g[0].mid, _union([s for b in g for s in b.drawn])))
    return out


def _open_edge(across: list[Boundary], outer: Boundary, ends: list[float], beyond: float, first: bool) -> Boundary | None:
    """A boundary where the rules across stop, when most of them run on past the outermost rule
    along them (`ends`: where each stops on that side): the table's side cut off, or its rule lost."""
    past = [e for e, b in zip(ends, across, strict=True) if (outer.at(b.pos) - e if first else e - outer.at(b.pos)) > beyond]
    if len(across) < 2 or len(past) < max(2, EDGE_SHARE * len(across)):
        return None
    past.sort()
    return Boundary(past[len(past) // 2], outer.slope, outer.mid, [])


def _frame(rows: list[Boundary], cols: list[Boundary]) -> tuple[list[Boundary], list[Boundary]]:
    """Boundaries with the open edges added."""
    if len(rows) >= 2 and cols:
        left = _open_edge(rows, cols[0], [b.drawn[0][0] if b.drawn else cols[0].pos for b in rows], 2 * MIN_COLUMN, True)
        right = _open_edge(rows, cols[-1], [b.drawn[-1][1] if b.drawn else cols[-1].pos for b in rows], 2 * MIN_COLUMN, False)
        cols = ([left] if left else []) + cols + ([right] if right else [])
    if len(cols) >= 2 and rows:
        top = _open_edge(cols, rows[0], [b.drawn[0][0] if b.drawn else rows[0].pos for b in cols], MIN_COLUMN, True)
        bottom = _open_edge(cols, rows[-1], [b.drawn[-1][1] if b.drawn else rows[-1].pos for b in cols], MIN_COLUMN, False)
        rows = ([top] if top else []) + rows + ([bottom] if bottom else [])
    return rows, cols


def _inside_frame(v: Rule, rows: list[Boundary], tol: float) -> bool:
    """Does vertical rule `v` lie mostly between the outer horizontal rules (a stroke of a seal or of
    the page's edge touching the table stands mostly outside it)?"""
    x = (v.x0 + v.x1) / 2
    top, bottom = rows[0].at(x) - tol, rows[-1].at(x) + tol
    inside = max(0.0, min(v.y1, bottom) - max(v.y0, top))
    return inside >= 0.5 * (v.y1 - v.y0) or (v.y1 - v.y0) - inside <= 3 * tol


class _Geometry:
    """Where the boundaries of one grid are, at any point."""

    def __init__(self, rows: list[Boundary], cols: list[Boundary]):
        self.rows, self.cols = rows, cols
        self.straight = all(b.slope == 0 for b in rows + cols)
        self.ys, self.xs = [b.pos for b in rows], [b.pos for b in cols]

    def ys_at(self, x: float) -> list[float]:
        return self.ys if self.straight else [b.at(x) for b in self.rows]

    def xs_at(self, y: float) -> list[float]:
        return self.xs if self.straight else [b.at(y) for b in self.cols]

    def cell(self, x: float, y: float) -> tuple[int, int] | None:
        xs, ys = (self.xs, self.ys) if self.straight else (self.xs_at(y), self.ys_at(x))
        if not (xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]):
            return None
        return min(bisect_left(ys, y, 1) - 1, len(ys) - 2), min(bisect_left(xs, x, 1) - 1, len(xs) - 2)

    def row_drawn(self, k: int, c: int, tol: float) -> bool:
        """Is row boundary k drawn over column c?"""
        b = self.rows[k]
        lo, hi = self.cols[c].at(b.pos), self.cols[c + 1].at(b.pos)
        return b.covers(lo, hi, tol)

    def col_drawn(self, k: int, r: int, tol: float) -> bool:
        """Is column boundary k drawn over row r?"""
        b = self.cols[k]
        return b.covers(self.rows[r].at(b.pos), self.rows[r + 1].at(b.pos), tol)

    def span_mid(self, c0: int, c1: int, r0: int, r1: int) -> tuple[float, float]:
        """Centre x and width of columns [c0, c1) halfway down rows [r0, r1)."""
        y = (self.rows[r0].pos + self.rows[r1].pos) / 2
        a, b = self.cols[c0].at(y), self.cols[c1].at(y)
        return (a + b) / 2, b - a


def _place_words(geo: _Geometry, words: list[Word], cells: list[list[list[Word]]]) -> int:
    """Each word into the cell of `cells` (rows × columns) that holds its centre (`_Geometry.cell`);
    how many found one."""
    inside = 0
    if not geo.straight:
        for w in words:
            at = geo.cell((w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2)
            if at is not None:
                cells[at[0]][at[1]].append(w)
                inside += 1
        return inside
    xs, ys = geo.xs, geo.ys  # the same cell as `_Geometry.cell`, without a call a word
    left, right, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
    last_row, last_col = len(ys) - 2, len(xs) - 2
    for w in words:
        x, y = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
        if left <= x <= right and top <= y <= bottom:
            r, c = bisect_left(ys, y, 1) - 1, bisect_left(xs, x, 1) - 1
            cells[r if r < last_row else last_row][c if c < last_col else last_col].append(w)
            inside += 1
    return inside


def _spans(drawn: list[bool]) -> list[tuple[int, int]]:
    """Runs of columns with no rule between them, from whether each inner boundary is drawn."""
    out, start = [], 0
    for k, d in enumerate(drawn, 1):
        if d:
            out.append((start, k))
            start = k
    out.append((start, len(drawn) + 1))
    return out


def _centred(words: list[Word], mid: float, width: float) -> bool | None:
    """Is the text centred in its cell (None when it fills the cell and says nothing)?"""
    if not words or width <= 0:
        return None
    x0, x1 = min(w.x0 for w in words), max(w.x1 for w in words)
    if x1 - x0 > 0.8 * width:
        return None
    return abs((x0 + x1) / 2 - mid) <= 0.12 * width + 2.0


def cluster_to_grid(cluster: list[Rule], lines: list[Line], page: int, tol: float) -> tuple[Grid, set[int]] | None:
    """Build a grid from one rule cluster; returns it and the indices of the lines it consumed."""
    hs = [r for r in cluster if r.horizontal]
    vs = [r for r in cluster if r.vertical]
    if len(hs) < 2 or len(vs) < 2:
        return None
    bx0, by0, bx1, by1 = (min(r.x0 for r in hs), min(min(r.y0, r.y1) for r in hs), max(r.x1 for r in hs),
                          max(max(r.y0, r.y1) for r in hs))
    rows_b = rules_to_boundaries(hs, True, (bx0 + bx1) / 2, tol)
    if len(rows_b) < 2:
        return None
    vs = [v for v in vs if _inside_frame(v, rows_b, tol)]
    cols_b = merge_double(rules_to_boundaries(vs, False, (by0 + by1) / 2, tol), MIN_COLUMN)
    rows_b, cols_b = _frame(rows_b, cols_b)
    if len(rows_b) < 2 or len(cols_b) < 2:
        return None
    geo = _Geometry(rows_b, cols_b)
    nrows, ncols = len(rows_b) - 1, len(cols_b) - 1
    corners = [(c.at(r.at(c.pos)), r.at(c.pos)) for r in (rows_b[0], rows_b[-1]) for c in (cols_b[0], cols_b[-1])]
    x0, x1 = min(x for x, _ in corners), max(x for x, _ in corners)
    y0, y1 = min(y for _, y in corners), max(y for _, y in corners)
    cells: list[list[list[Word]]] = [[[] for _ in range(ncols)] for _ in range(nrows)]
    used: set[int] = set()
    for li, ln in enumerate(lines):
        if ln.x1 < x0 or ln.x0 > x1 or ln.y1 < y0 or ln.y0 > y1:
            continue
        inside = _place_words(geo, ln.words, cells)
        if inside == len(ln.words):
            used.add(li)
            ln.role = "table"
    # fine rows with no rule drawn between them in any column are one row (a cell wrapped over lines)
    groups: list[list[int]] = []
    for r in range(nrows):
        if groups and not any(geo.row_drawn(r, c, tol) for c in range(ncols)):
            groups[-1].append(r)
        else:
            groups.append([r])
    rows: list[list[str]] = []
    bold_rows: list[bool] = []
    spans: list[list[tuple[int, int]]] = []
    centred: list[float] = []
    kept: list[list[int]] = []
    for g in groups:
        words = [[w for r in g for w in cells[r][c]] for c in range(ncols)]
        if not any(words) and rows_b[g[-1] + 1].pos - rows_b[g[0]].pos < MIN_ROW:
            continue
        runs = _spans([any(geo.col_drawn(k, r, tol) for r in g) for k in range(1, ncols)])
        texts = [""] * ncols
        votes = []
        for c0, c1 in runs:
            ws = [w for c in range(c0, c1) for w in words[c]]
            texts[c0] = words_to_text(ws)
            votes.append(_centred(ws, *geo.span_mid(c0, c1, g[0], g[-1] + 1)))
        counted = [v for v in votes if v is not None]
        all_words = [w for ws in words for w in ws]
        rows.append(texts)
        bold_rows.append(bool(all_words) and sum(w.bold for w in all_words) >= 0.6 * len(all_words))
        spans.append(runs)
        centred.append(sum(counted) / len(counted) if counted else 0.0)
        kept.append(g)
    if not rows or not any(any(t for t in row) for row in rows):
        return None
    open_below = [[not geo.row_drawn(b[0], c, tol) for c in range(ncols)] for b in kept[1:]]
    xs = [b.pos for b in cols_b]
    return Grid(page, x0, y0, x1, y1, xs, rows, bold_rows, spans, open_below, centred), used


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
    whose `min_cols` or more pieces start at the same x, row after row ("- Ông: Phạm Quốc Bảo |
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
