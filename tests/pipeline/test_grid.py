"""Ruled-table geometry helpers: words placed into cells, a cell's words put in reading order."""

from __future__ import annotations

import random

from directives.extractors.model import Word
from directives.pipeline.grid import Boundary, _Geometry, _place_words, words_to_text


def _words(rnd: random.Random, n: int) -> list[Word]:
    out = []
    for k in range(n):
        x, y = rnd.uniform(40, 560), rnd.uniform(60, 800)
        out.append(Word(f"w{k}", x, y, x + rnd.uniform(1, 40), y + rnd.uniform(4, 14)))
    return out


def test_words_go_into_the_cell_that_holds_their_centre_straight_or_askew():
    """`_place_words` puts every word where `_Geometry.cell` says, on straight grids (the fast path)
    and askew ones, words outside, on a boundary and at the far edges included."""
    rnd = random.Random(5)
    for askew in (0.0, 0.01):
        for _ in range(200):
            ys = sorted(rnd.sample(range(80, 780, 7), rnd.randint(2, 8)))
            xs = sorted(rnd.sample(range(60, 540, 5), rnd.randint(2, 6)))
            geo = _Geometry([Boundary(float(y), askew, 300.0) for y in ys], [Boundary(float(x), -askew, 400.0) for x in xs])
            words = _words(rnd, 30)
            words.append(Word("edge", xs[-1] - 1.0, ys[-1] - 1.0, xs[-1] + 1.0, ys[-1] + 1.0))
            words.append(Word("on", xs[0] - 2.0, ys[0], xs[0] + 2.0, ys[0]))
            cells: list[list[list[Word]]] = [[[] for _ in xs[1:]] for _ in ys[1:]]
            inside = _place_words(geo, words, cells)
            expected: list[list[list[Word]]] = [[[] for _ in xs[1:]] for _ in ys[1:]]
            for w in words:
                at = geo.cell((w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2)
                if at is not None:
                    expected[at[0]][at[1]].append(w)
            assert cells == expected
            assert inside == sum(len(c) for row in expected for c in row)
            assert askew or "edge" in [w.text for w in cells[-1][-1]]


def test_a_cells_words_are_read_line_by_line_left_to_right():
    """Lines top to bottom by the words' middles (a word whose extent holds the line's middle joins
    it), words left to right; one word is its own text."""
    assert words_to_text([Word("Một", 10, 10, 30, 20)]) == "Một"
    words = [Word("hai", 40, 11, 60, 21), Word("Ba", 10, 30, 30, 40), Word("Một", 10, 10, 30, 20),
             Word("bốn", 40, 29, 60, 39), Word("cao", 70, 5, 90, 26)]
    assert words_to_text(words) == "Một hai cao Ba bốn"
    assert words_to_text([]) == ""
