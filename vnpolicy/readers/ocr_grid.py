"""Ruled tables on a scanned page: find the ruling lines in the image, build the grid.

Tesseract reads a ruled table as lines of text running across the columns ("Bộ Kế
hoạch và | Các cơ quan và địa phương | 2023" come out as one line, the second half of
each cell on the next), so a scanned task table is lost unless the cells are found in
the image first. The annexes of the scanned Nghị quyết 168/NQ-CP (pages 13-21) are
the case this module was built on: ruled tables of 5 to 6 columns, group rows
spanning all but the first column ("I | TẬP TRUNG HOÀN THIỆN THỂ CHẾ..."), a red
stamp over the title, a bottom border printed as a broken line (page 16), and a
skew of a few tenths of a degree.

:func:`find_tables` works on the rendered page (a PIL image or a 2-D array, numpy
only, no OpenCV), at about :data:`WORK_DPI`:

1. ink is what is darker than Otsu's threshold; the page is reduced by taking the
   darkest pixel of each block, so that a one-pixel rule survives;
2. runs of ink along the rows at least :data:`MIN_RUN_IN` long are candidate pieces
   of horizontal rules (letters have no such runs), and the same down the columns
   for vertical rules. The ink is first thickened by one pixel across the run, so
   that a rule that drifts by a pixel every few hundred (a skewed scan) still gives
   long runs;
3. the skew is the angle that stacks the pieces into the sharpest profile
   (one angle for the horizontal rules, one for the vertical, searched within
   :data:`MAX_SKEW_DEG`); in the *deskewed frame* every rule has one coordinate;
4. pieces at the same height (width, for vertical rules) join into a rule when the
   gap between them is short (:data:`MAX_GAP_IN`: a broken or dashed border stays
   one rule); each rule keeps its pieces, to tell how much of a stretch it covers;
5. a rule belongs to a table when it crosses at least two rules of the other
   direction (a title's underline, a margin stroke, a stamp's arc cross none);
   short pieces crossing one such rule join them; crossing rules form tables. A
   rule running on past its table at both ends, or far past one end, where most
   rules stop, is a scanner streak and leaves; a short overrun is trimmed;
6. the distinct positions of a table's rules are its row and column boundaries,
   each kept when its rules cover :data:`MIN_SUPPORT` of the table (outer ones
   added where the rules of the other direction run past the last rule: a table
   drawn without its right border). Between two neighbouring base cells there is a
   wall when a rule covers at least :data:`WALL_COVER` of the shared side; cells
   with no wall between them are one merged cell (a group row spanning five
   columns, a cell spanning two rows). Given the boxes of the words OCR read, a
   boundary that runs through words is dropped: a printed rule never does.

It takes 40-70 ms for an A4 page rendered at 300 dpi (168/NQ-CP, all 21 pages,
one core), against 2-3 s for Tesseract to read the page.

Coordinates in the result (:class:`PageTables`) are those of the image given, in
the deskewed frame; :meth:`PageTables.locate` maps an image point (the centre of an
OCR word box) to its table and cell. :func:`cell_sheet` cuts the cells out onto one
image for Tesseract, :func:`read_cells` puts the words read into the cells.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Cell", "Grid", "PageTables", "Sheet", "TableText", "cell_sheet", "find_tables",
           "read_cells"]

#: The resolution the rules are looked for at: a 300 dpi page is reduced 2 x 2 (a
#: quarter of the pixels to scan), and a one-pixel rule is still one pixel thick.
WORK_DPI = 150
#: The shortest run of ink that may be part of a rule (0.3 inch, 7.6 mm): longer
#: than any letter or dash of body text at 13-14 pt ("—" is about 0.19 inch).
MIN_RUN_IN = 0.3
#: The largest skew looked for, either way. Scans of 168/NQ-CP are within 0.5°.
MAX_SKEW_DEG = 3.0
#: Pieces of one rule further apart than this are two rules (0.5 inch): a faded
#: or dashed border stays one rule, two tables side by side stay two.
MAX_GAP_IN = 0.5
#: Collinear pieces this close (inch) are one stroke when telling a scanner streak
#: (a dashed line down the page) from a table rule.
CHAIN_GAP_IN = 1.0
#: A rule running on past its table for longer than this (inch) is a scanner streak.
STRAY_IN = 1.5
#: A band of ink thicker than this (0.1 inch) is not a rule: a black scan edge, a
#: filled shape, a photo.
MAX_THICKNESS_IN = 0.1
#: How far (inch) a rule may stop short of the rule it meets and still cross it.
CROSS_TOLERANCE_IN = 0.06
#: Two rules closer than this (inch) are one boundary (a double rule, a thick one).
MERGE_IN = 0.06
#: The narrowest row or column (inch); a boundary closer to the last is dropped.
MIN_CELL_IN = 0.12
#: Share of the table's height (width) the rules of a column (row) boundary must
#: cover together; a real boundary runs through several rows.
MIN_SUPPORT = 0.2
#: A boundary running through the middle of this many words (away from the word box's
#: edges by CROSS_MARGIN of its size) is no rule.
MIN_CROSSED_WORDS = 2
CROSS_MARGIN = 0.15
#: More rules than this in one direction is no table (the crossing test is quadratic).
MAX_RULES = 400
#: Share of a side of a cell a rule must cover to be a wall between two cells.
WALL_COVER = 0.5


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell of a grid: its top-left base cell, its span in base rows and columns, and
    its box ``(x0, y0, x1, y1)`` in the deskewed frame of the image."""

    row: int
    col: int
    rowspan: int
    colspan: int
    box: tuple[float, float, float, float]


@dataclass(slots=True)
class Grid:
    """One ruled table: the boundaries of its base rows and columns, and its cells."""

    xs: list[float]  # column boundaries, left to right (len = columns + 1)
    ys: list[float]  # row boundaries, top to bottom (len = rows + 1)
    cells: list[Cell] = field(default_factory=list)
    #: (row, col) of each base cell -> index in ``cells`` of the cell covering it
    owner: dict[tuple[int, int], int] = field(default_factory=dict)
    #: the thickest rule of the table, in pixels
    rule_width: float = 0.0

    @property
    def rows(self) -> int:
        return len(self.ys) - 1

    @property
    def cols(self) -> int:
        return len(self.xs) - 1

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def cell_at(self, x: float, y: float, margin: float = 0.0) -> Cell | None:
        """The cell holding the deskewed point ``(x, y)``, or None outside the table
        (``margin``: how far outside the outer border still counts as inside)."""
        import bisect

        x0, y0, x1, y1 = self.box
        if not (x0 - margin <= x <= x1 + margin and y0 - margin <= y <= y1 + margin):
            return None
        j = min(max(bisect.bisect_right(self.xs, x) - 1, 0), self.cols - 1)
        i = min(max(bisect.bisect_right(self.ys, y) - 1, 0), self.rows - 1)
        return self.cells[self.owner[(i, j)]]


@dataclass(slots=True)
class PageTables:
    """The ruled tables found on one page image."""

    width: int  # of the image given
    height: int
    tables: list[Grid] = field(default_factory=list)
    #: the skew of the horizontal rules (dy/dx) and of the vertical ones (dx/dy)
    skew_h: float = 0.0
    skew_v: float = 0.0
    #: the image was reduced this many times to find the rules
    factor: int = 1

    def deskew(self, x: float, y: float) -> tuple[float, float]:
        """An image point in the deskewed frame the grids are in."""
        return (x - y * self.skew_v, y - x * self.skew_h)

    def image_point(self, x: float, y: float) -> tuple[float, float]:
        """A deskewed point back in the image (the inverse of :meth:`deskew`)."""
        det = 1.0 - self.skew_h * self.skew_v
        return ((x + y * self.skew_v) / det, (y + x * self.skew_h) / det)

    def locate(self, x: float, y: float, margin: float = 0.0) -> tuple[int, Cell] | None:
        """``(table index, cell)`` of the image point ``(x, y)``, or None."""
        dx, dy = self.deskew(x, y)
        for k, grid in enumerate(self.tables):
            cell = grid.cell_at(dx, dy, margin)
            if cell is not None:
                return k, cell
        return None

    def vertical_extent(self, k: int) -> tuple[float, float]:
        """Top and bottom of table ``k`` in the image (pixels), skew included."""
        x0, y0, x1, y1 = self.tables[k].box
        ys = [self.image_point(x, y)[1] for x in (x0, x1) for y in (y0, y1)]
        return (min(ys), max(ys))


# -- rules ------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)  # compared by identity
class _Rule:
    """A horizontal (or, transposed, vertical) rule in the deskewed frame: its position
    across, its extent along, its pieces along (merged runs) and its thickness."""

    pos: float
    start: float
    end: float
    pieces: list[tuple[float, float]]
    thickness: float
    core: bool = False  # crosses two rules of a table (not only a piece hanging off one)

    def cover(self, a: float, b: float) -> float:
        """The share of ``[a, b]`` covered by the rule's pieces."""
        if b <= a:
            return 1.0
        got = 0.0
        for s, e in self.pieces:
            got += max(0.0, min(b, e) - max(a, s))
        return got / (b - a)


def _otsu(hist: Any) -> int:
    """Otsu's threshold of a 256-bin grey histogram."""
    import numpy as np

    total = hist.sum()
    if total == 0:
        return 128
    levels = np.arange(256, dtype=np.float64)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    w1 = total - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (m0[-1] * w0 - m0 * total) ** 2 / (w0 * w1)
    between[~np.isfinite(between)] = 0
    return int(np.argmax(between))


def _ink(grey: Any, factor: int) -> Any:
    """Boolean ink mask of a grey image, reduced ``factor`` times (darkest pixel wins)."""
    import numpy as np

    if factor > 1:
        h, w = (grey.shape[0] // factor) * factor, (grey.shape[1] // factor) * factor
        # strided views, not a reshape: numpy's min over two axes of a 4-D view is
        # ten times slower
        small = grey[0:h:factor, 0:w:factor]
        for dy in range(factor):
            for dx in range(factor):
                if dy or dx:
                    small = np.minimum(small, grey[dy:h:factor, dx:w:factor])
        grey = small
    t = _otsu(np.bincount(grey.ravel(), minlength=256))
    # A page with almost no ink puts Otsu's cut inside the paper's noise; scans of
    # black print on white paper are well served by a cut between 100 and 200.
    return grey < min(max(t, 100), 200)


def _long_runs(mask: Any, min_len: int) -> tuple[Any, Any, Any]:
    """Runs of true along each row at least ``min_len`` long: (row, start, end) arrays."""
    import numpy as np

    h, w = mask.shape
    # Thicken by one pixel across the runs: a rule drifting by a pixel (skew) or
    # with a ragged edge gives long runs in the thickened rows.
    thick = mask.copy()
    thick[1:] |= mask[:-1]
    thick[:-1] |= mask[1:]
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = thick
    d = np.diff(padded, axis=1).ravel()
    at = np.flatnonzero(d)  # run starts (+1) and ends (-1) alternate, row by row
    starts, ends = at[0::2], at[1::2]
    keep = (ends - starts) >= min_len
    starts, ends = starts[keep], ends[keep]
    rows, starts = np.divmod(starts, w + 1)
    return rows, starts, ends - rows * (w + 1)


def _skew(rows: Any, starts: Any, ends: Any, max_deg: float) -> float:
    """The slope (d row / d column) that stacks the runs into the sharpest profile.

    Each run is sampled every :data:`_SAMPLE` pixels along: a run as long as the
    whole rule (a straight rule, thickened) must weigh by its length and spread
    when turned, which a run's midpoint alone would not.
    """
    import numpy as np

    if len(rows) < 2:
        return 0.0
    counts = np.maximum(1, (ends - starts) // _SAMPLE)
    idx = np.repeat(np.arange(len(rows)), counts)
    offset = np.arange(len(idx)) - np.repeat(np.cumsum(counts) - counts, counts)
    xs = starts[idx] + offset * _SAMPLE + _SAMPLE / 2
    ys = rows[idx].astype(np.float64)

    def score(slope: float) -> float:
        y = ys - xs * slope
        hist = np.bincount(np.round(y - y.min()).astype(np.int64))
        return float((hist.astype(np.float64) ** 2).sum())

    best = 0.0
    step = 0.25
    lo, hi = -max_deg, max_deg
    # coarse to fine: 0.25 degree, then 0.05, then 0.01 around the best
    for _ in range(3):
        angles = np.arange(lo, hi + step / 2, step)
        scores = [score(math.tan(math.radians(a))) for a in angles]
        best = float(angles[int(np.argmax(scores))])
        lo, hi, step = best - step, best + step, step / 5
    return math.tan(math.radians(best))


#: Step (working pixels) at which runs are sampled for the skew search.
_SAMPLE = 8


def _rules(rows: Any, starts: Any, ends: Any, slope: float, cross_slope: float, *,
           max_gap: float, max_thickness: float, min_len: float) -> list[_Rule]:
    """Join runs into rules in the deskewed frame.

    A run at ``row`` covering ``[start, end)`` sits at ``row - mid * slope`` across
    and ``start - row * cross_slope`` along.
    """
    import numpy as np

    if len(rows) == 0:
        return []
    mid = (starts + ends) / 2.0
    pos = rows - mid * slope
    s = starts - rows * cross_slope
    e = ends - rows * cross_slope
    order = np.argsort(pos, kind="stable")
    pos, s, e = pos[order], s[order], e[order]
    # bands: runs whose positions across follow each other within 1.5 px
    breaks = np.flatnonzero(np.diff(pos) > 1.5) + 1
    out: list[_Rule] = []
    for band in np.split(np.arange(len(pos)), breaks):
        bp, bs, be = pos[band], s[band], e[band]
        by = np.argsort(bs, kind="stable")
        bp, bs, be = bp[by], bs[by], be[by]
        # pieces along (gaps under 3 px closed), then rules (gaps under max_gap)
        group_start = 0
        cur_end = be[0]
        for k in range(1, len(bs) + 1):
            if k < len(bs) and bs[k] <= cur_end + max_gap:
                cur_end = max(cur_end, be[k])
                continue
            gs, ge, gp = bs[group_start:k], be[group_start:k], bp[group_start:k]
            rule = _one_rule(gs, ge, gp, max_thickness, min_len)
            if rule is not None:
                out.append(rule)
            if k < len(bs):
                group_start, cur_end = k, be[k]
    return out


def _one_rule(s: Any, e: Any, p: Any, max_thickness: float, min_len: float) -> _Rule | None:
    import numpy as np

    # less the pixel _long_runs thickened the ink by on either side
    thickness = max(1.0, float(p.max() - p.min()) - 1.0)
    if thickness > max_thickness:
        return None
    pieces: list[tuple[float, float]] = []
    for a, b in zip(s.tolist(), e.tolist(), strict=True):
        if pieces and a <= pieces[-1][1] + 3:
            pieces[-1] = (pieces[-1][0], max(pieces[-1][1], b))
        else:
            pieces.append((a, b))
    start, end = pieces[0][0], max(b for _, b in pieces)
    if end - start < min_len:
        return None
    w = (e - s).astype(np.float64)
    return _Rule(float((p * w).sum() / w.sum()), float(start), float(end), pieces, thickness)


def _crosses(h: _Rule, v: _Rule, tol: float) -> bool:
    return h.start - tol <= v.pos <= h.end + tol and v.start - tol <= h.pos <= v.end + tol


# -- tables -----------------------------------------------------------------------------


def _tables_of(hs: list[_Rule], vs: list[_Rule], tol: float) -> list[tuple[list[_Rule], list[_Rule]]]:
    """Group the rules into tables: rules crossing at least two rules of the other
    direction, plus shorter ones crossing one of those; crossing rules are one table."""
    cross = [[_crosses(h, v, tol) for v in vs] for h in hs]
    alive_h = set(range(len(hs)))
    alive_v = set(range(len(vs)))
    changed = True
    while changed:  # drop rules crossing fewer than two live rules, until stable
        changed = False
        for i in list(alive_h):
            if sum(cross[i][j] for j in alive_v) < 2:
                alive_h.discard(i)
                changed = True
        for j in list(alive_v):
            if sum(cross[i][j] for i in alive_h) < 2:
                alive_v.discard(j)
                changed = True
    core_h, core_v = set(alive_h), set(alive_v)
    for k, h in enumerate(hs):
        h.core = k in core_h
    for k, v in enumerate(vs):
        v.core = k in core_v
    # pieces of a broken rule: they cross one live rule
    alive_h |= {i for i in range(len(hs)) if any(cross[i][j] for j in core_v)}
    alive_v |= {j for j in range(len(vs)) if any(cross[i][j] for i in core_h)}
    # connected components over crossings
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(a: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i in alive_h:
        for j in alive_v:
            if cross[i][j]:
                parent[find(("h", i))] = find(("v", j))
    groups: dict[tuple[str, int], tuple[list[_Rule], list[_Rule]]] = {}
    for i in alive_h:
        groups.setdefault(find(("h", i)), ([], []))[0].append(hs[i])
    for j in alive_v:
        groups.setdefault(find(("v", j)), ([], []))[1].append(vs[j])
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _boundaries(rules: list[_Rule], crossing: list[_Rule], merge: float,
                min_cell: float) -> list[float]:
    """The row (or column) boundaries of a table from its rules of one direction.

    Distinct positions (within ``merge``) of the rules that cross two others, each
    kept when its rules cover at least :data:`MIN_SUPPORT` of the table's extent (a
    stretch of a scanner streak crossing one row is not a column); plus an outer
    boundary where most ``crossing`` rules run on past the outermost rule (a table
    drawn without that border), at the median of their ends.
    """
    span = max(r.pos for r in crossing) - min(r.pos for r in crossing)
    clusters: list[list[_Rule]] = []
    for r in sorted((r for r in rules if r.core), key=lambda r: r.pos):
        if clusters and r.pos - clusters[-1][-1].pos <= merge:
            clusters[-1].append(r)
        else:
            clusters.append([r])
    out = [sum(r.pos for r in c) / len(c) for c in clusters
           if sum(r.end - r.start for r in c) >= MIN_SUPPORT * span]
    if not out:
        return out
    need = max(2, (len(crossing) + 1) // 2)
    before = sorted(r.start for r in crossing if r.start < out[0] - min_cell)
    if len(before) >= need:
        out.insert(0, before[len(before) // 2])
    after = sorted(r.end for r in crossing if r.end > out[-1] + min_cell)
    if len(after) >= need:
        out.append(after[len(after) // 2])
    kept: list[float] = []
    for p in out:
        if kept and p - kept[-1] < min_cell:
            continue  # a stray piece next to a real rule
        kept.append(p)
    return kept


def _chains(rules: list[_Rule], merge: float, gap: float) -> dict[int, list[_Rule]]:
    """id(rule) -> the collinear chain it is part of: rules at one position (within
    ``merge``) following each other end to end with gaps under ``gap`` (a dashed streak)."""
    out: dict[int, list[_Rule]] = {}
    by_pos = sorted(rules, key=lambda r: r.pos)
    k = 0
    while k < len(by_pos):
        m = k + 1
        while m < len(by_pos) and by_pos[m].pos - by_pos[m - 1].pos <= merge:
            m += 1
        chain: list[_Rule] = []
        for r in sorted(by_pos[k:m], key=lambda r: r.start):
            # end to end: a piece running beside the rule (a stamp's arc) is no continuation
            last = max(c.end for c in chain) if chain else 0.0
            if chain and -merge <= r.start - last <= gap:
                chain.append(r)
                continue
            chain = [r]
            out[id(r)] = chain
        for r in by_pos[k:m]:
            out.setdefault(id(r), [r])
        k = m
    # every member maps to its chain's final list
    for chain in {id(c): c for c in out.values()}.values():
        for r in chain:
            out[id(r)] = chain
    return out


def _outside(chain: list[_Rule], lo: float, hi: float) -> float:
    """Length of the chain's ink outside ``[lo, hi]``."""
    return sum(max(0.0, min(e, lo) - s) + max(0.0, e - max(s, hi))
               for r in chain for s, e in r.pieces)


def _stray(rules: list[_Rule], crossing: list[_Rule], chains: dict[int, list[_Rule]],
           reach: float, stray_len: float) -> list[_Rule]:
    """Rules that are no part of the table the ``crossing`` rules span: those that,
    with the collinear pieces they line up with, run on past both ends of the table,
    or past one end for more than ``stray_len``, where most rules of their direction
    stop (a scanner streak down the whole page: 168/NQ-CP page 14). A rule running
    on past one end for less (a
    stamp's stroke touching the top border, a dashed line the scan drew along the
    bottom border and a little beyond: pages 13, 18) is trimmed to the table."""
    lo = min(r.pos for r in crossing) - reach
    hi = max(r.pos for r in crossing) + reach
    early = [r for r in rules if min(c.start for c in chains.get(id(r), [r])) < lo]
    late = [r for r in rules if max(c.end for c in chains.get(id(r), [r])) > hi]
    out: list[_Rule] = []
    few_early, few_late = 2 * len(early) < len(rules), 2 * len(late) < len(rules)
    if few_early and few_late:
        # running on at both ends: a streak across the page, even where it meets a
        # border (168/NQ-CP page 18 has one through the last row, page 16 one along
        # the bottom border; that border comes back from the other rules' ends)
        out.extend(r for r in early if r in late)
    for side, few in ((early, few_early), (late, few_late)):
        if not few:
            continue  # most rules run on: the border on that side is missing
        for r in side:
            if r in out:
                continue
            if _outside(chains.get(id(r), [r]), lo, hi) > stray_len:
                if r not in out:
                    out.append(r)
            else:
                _trim(r, lo, hi)
    return out


def _trim(rule: _Rule, lo: float, hi: float) -> None:
    pieces = [(max(s, lo), min(e, hi)) for s, e in rule.pieces if min(e, hi) > max(s, lo)]
    if pieces:
        rule.pieces = pieces
        rule.start, rule.end = pieces[0][0], max(e for _, e in pieces)


Box = tuple[float, float, float, float]


def _crossed(xs: list[float], ys: list[float], right: list[list[bool]],
             below: list[list[bool]], words: list[Box]) -> tuple[set[int], set[int]]:
    """Interior boundaries (indices into ``xs``, ``ys``) that run, as walls, through
    the middle of at least :data:`MIN_CROSSED_WORDS` words: a printed rule never does,
    a scanner streak does (168/NQ-CP page 18: one through the second line of a row)."""
    import bisect

    nr, nc = len(ys) - 1, len(xs) - 1
    hits_x: dict[int, int] = {}
    hits_y: dict[int, int] = {}
    for x0, y0, x1, y1 in words:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if not (xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]):
            continue
        i = min(bisect.bisect_right(ys, cy) - 1, nr - 1)
        j = min(bisect.bisect_right(xs, cx) - 1, nc - 1)
        my, mx = CROSS_MARGIN * (y1 - y0), CROSS_MARGIN * (x1 - x0)
        for k in range(1, nr):
            if y0 + my < ys[k] < y1 - my and below[k - 1][j]:
                hits_y[k] = hits_y.get(k, 0) + 1
        for k in range(1, nc):
            if x0 + mx < xs[k] < x1 - mx and right[i][k - 1]:
                hits_x[k] = hits_x.get(k, 0) + 1
    return ({k for k, n in hits_x.items() if n >= MIN_CROSSED_WORDS},
            {k for k, n in hits_y.items() if n >= MIN_CROSSED_WORDS})


def _grid(hs: list[_Rule], vs: list[_Rule], dpi: float, words: list[Box]) -> Grid | None:
    merge = MERGE_IN * dpi
    min_cell = MIN_CELL_IN * dpi
    tol = CROSS_TOLERANCE_IN * dpi
    xs = _boundaries(vs, hs, merge, min_cell)
    ys = _boundaries(hs, vs, merge, min_cell)

    def wall(rules: list[_Rule], at: float, a: float, b: float) -> bool:
        # the side of a cell between two crossing rules, less the rules' own ink
        a, b = a + tol, b - tol
        if b <= a:
            return True
        cover = sum(r.cover(a, b) for r in rules if abs(r.pos - at) <= merge + 1)
        return cover >= WALL_COVER

    for _ in range(3):
        # at least two columns, and two rows or three columns: a frame around the
        # page, or around a paragraph, split by one rule is no table
        if len(xs) < 3 or len(ys) < 2 or (len(ys) < 3 and len(xs) < 4):
            return None
        nr, nc = len(ys) - 1, len(xs) - 1
        # walls between (i, j) and (i, j+1): the vertical rules at xs[j+1]
        right = [[wall(vs, xs[j + 1], ys[i], ys[i + 1]) for j in range(nc - 1)] for i in range(nr)]
        below = [[wall(hs, ys[i + 1], xs[j], xs[j + 1]) for j in range(nc)] for i in range(nr - 1)]
        drop_x, drop_y = _crossed(xs, ys, right, below, words) if words else (set(), set())
        if not drop_x and not drop_y:
            break
        xs = [x for k, x in enumerate(xs) if k not in drop_x]
        ys = [y for k, y in enumerate(ys) if k not in drop_y]
    parent = list(range(nr * nc))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i in range(nr):
        for j in range(nc):
            if j < nc - 1 and not right[i][j]:
                parent[find(i * nc + j)] = find(i * nc + j + 1)
            if i < nr - 1 and not below[i][j]:
                parent[find(i * nc + j)] = find((i + 1) * nc + j)
    members: dict[int, list[tuple[int, int]]] = {}
    for i in range(nr):
        for j in range(nc):
            members.setdefault(find(i * nc + j), []).append((i, j))
    grid = Grid(xs, ys, rule_width=max(r.thickness for r in hs + vs))
    for group in sorted(members.values()):
        i0, i1 = min(i for i, _ in group), max(i for i, _ in group)
        j0, j1 = min(j for _, j in group), max(j for _, j in group)
        if len(group) != (i1 - i0 + 1) * (j1 - j0 + 1):
            # not a rectangle: a broken rule let two cells leak into each other
            # around a corner; keep the base cells apart rather than guess
            spans = [(i, j, 1, 1) for i, j in group]
        else:
            spans = [(i0, j0, i1 - i0 + 1, j1 - j0 + 1)]
        for i, j, rs, cs in spans:
            cell = Cell(i, j, rs, cs, (xs[j], ys[i], xs[j + cs], ys[i + rs]))
            for a in range(i, i + rs):
                for b in range(j, j + cs):
                    grid.owner[(a, b)] = len(grid.cells)
            grid.cells.append(cell)
    return grid


def find_tables(image: Any, dpi: float, words: Sequence[Box] = ()) -> PageTables:
    """The ruled tables of a page image (PIL image or 2-D array, grey or not) rendered
    at ``dpi``. A page without rules gives no tables.

    ``words``: boxes ``(x0, y0, x1, y1)`` (image pixels) of words read with confidence
    on the page, when known: a boundary running through them is dropped (a scanner
    streak is no rule).
    """
    import numpy as np

    if hasattr(image, "convert"):
        grey = np.asarray(image.convert("L"))
    else:
        grey = np.asarray(image)
        if grey.ndim == 3:
            grey = grey.mean(axis=2)
        if grey.dtype != np.uint8:
            grey = np.clip(grey, 0, 255).astype(np.uint8)
    height, width = grey.shape[:2]
    factor = max(1, round(dpi / WORK_DPI))
    wdpi = dpi / factor
    result = PageTables(width, height, factor=factor)
    if height < 8 * factor or width < 8 * factor:
        return result
    ink = _ink(grey, factor)
    min_run = max(8, int(MIN_RUN_IN * wdpi))
    hr, hs_, he = _long_runs(ink, min_run)
    vr, vs_, ve = _long_runs(np.ascontiguousarray(ink.T), min_run)
    slope_h = _skew(hr, hs_, he, MAX_SKEW_DEG)
    slope_v = _skew(vr, vs_, ve, MAX_SKEW_DEG)
    result.skew_h, result.skew_v = slope_h, slope_v
    kw = {"max_gap": MAX_GAP_IN * wdpi, "max_thickness": MAX_THICKNESS_IN * wdpi,
          "min_len": min_run}
    # a vertical rule x = x0 + y * slope_v: the frame takes x - y * slope_v
    hrules = _rules(hr, hs_, he, slope_h, slope_v, **kw)
    vrules = _rules(vr, vs_, ve, slope_v, slope_h, **kw)
    if len(hrules) > MAX_RULES or len(vrules) > MAX_RULES:
        return result  # graph paper, a hatched drawing: nothing to read as cells
    tol = CROSS_TOLERANCE_IN * wdpi
    reach = 2 * tol
    groups = _tables_of(hrules, vrules, tol)
    merge = MERGE_IN * wdpi
    hchains = _chains(hrules, merge, CHAIN_GAP_IN * wdpi)
    vchains = _chains(vrules, merge, CHAIN_GAP_IN * wdpi)
    for _ in range(4):  # dropping a stray rule may leave another one stray
        stray_len = STRAY_IN * wdpi
        stray = [r for hs, vs in groups for r in _stray(hs, vs, hchains, reach, stray_len)
                 + _stray(vs, hs, vchains, reach, stray_len)]
        if not stray:
            break
        hrules = [r for r in hrules if r not in stray]
        vrules = [r for r in vrules if r not in stray]
        groups = _tables_of(hrules, vrules, tol)
    f = float(factor)
    boxes: list[Box] = []
    for x0, y0, x1, y1 in words:
        cx, cy = result.deskew((x0 + x1) / 2, (y0 + y1) / 2)
        hw, hh = (x1 - x0) / 2, (y1 - y0) / 2
        boxes.append(((cx - hw) / f, (cy - hh) / f, (cx + hw) / f, (cy + hh) / f))
    grids = []
    for hs, vs in groups:
        grid = _grid(hs, vs, wdpi, boxes)
        if grid is not None:
            grids.append(grid)
    grids.sort(key=lambda g: (g.ys[0], g.xs[0]))
    for g in grids:  # back to the image's pixels
        g.xs = [x * f for x in g.xs]
        g.ys = [y * f for y in g.ys]
        g.rule_width *= f
        g.cells = [Cell(c.row, c.col, c.rowspan, c.colspan, (c.box[0] * f, c.box[1] * f,
                                                                c.box[2] * f, c.box[3] * f))
                   for c in g.cells]
    result.tables = grids
    return result


# -- words into cells ------------------------------------------------------------------


@dataclass(slots=True)
class TableText:
    """The text of one table found on a page: rows of cell texts (a merged cell's text
    in its top-left base cell, "" in the others, as pdfplumber gives them; rows with no
    text dropped), and the table's top and bottom in the image (pixels)."""

    rows: list[list[str]]
    top: float
    bottom: float


#: Characters that are the residue of a rule read as text ("|", "—").
_RULE_CHARS = frozenset("|¦!Il[]{}()—–-_=~.,:;'\"`‘’“”*^")


def _keep(text: str, conf: float) -> bool:
    """Whether an OCR token inside a cell is text, not a rule or a speck read as text.

    Tesseract reads the rules beside and below a cell's text as "|", "—", "_" (with low
    confidence); a real "-" (a row label in 168/NQ-CP's Phụ lục I) reads with
    confidence, and so does "%".
    """
    if 0 <= conf < 10:
        return False  # not a printed word at any confidence Tesseract gives one
    if any(c.isalnum() for c in text) or "%" in text:
        return True
    if set(text) <= set("|¦"):
        return False
    return conf >= 60 and not set(text) <= _RULE_CHARS - set("-–")


#: Rule residue glued to a word in a cell ("_—26—", "|Lập"): stripped from its ends.
_GLUED = "_—|¦“”‘’`~="


def _unglue(text: str) -> str:
    """A cell token without the rule residue at its ends, when it has letters or digits."""
    core = text.strip(_GLUED)
    return core if any(c.isalnum() for c in core) else text


def _cell_text(items: list[tuple[str, float, float, float, float]]) -> str:
    """Words ``(text, x, y_centre, top, bottom)`` of one cell (deskewed) -> its lines,
    top to bottom, words left to right, lines joined by "\\n"."""
    lines: list[list[tuple[str, float, float, float, float]]] = []
    for item in sorted(items, key=lambda w: w[2]):
        if lines:
            line = lines[-1]
            top = min(w[3] for w in line)
            bottom = max(w[4] for w in line)
            # same line: the word's centre lies within the line's height
            if top <= item[2] <= bottom:
                line.append(item)
                continue
        lines.append([item])
    return "\n".join(" ".join(w[0] for w in sorted(line, key=lambda w: w[1])) for line in lines)


@dataclass(slots=True)
class Sheet:
    """The cells of a page's tables cut out and stacked one under the other, each with a
    white margin, to be read by Tesseract in one run: a line of text is then a line of
    one cell, and Tesseract no longer reads across columns whose lines do not line up
    (168/NQ-CP page 15: "Bộ Kế hoạch và / Đầu tư" beside "Các cơ quan và địa phương /
    liên quan" came out of the page as "Đồ S ha và | Các cơ quan và đa phương")."""

    image: Any
    #: for each cell placed: (table index, cell index, top, bottom) in the sheet
    places: list[tuple[int, int, float, float]]


#: White margin (inch) around each cell on a :class:`Sheet`.
SHEET_GAP_IN = 0.12
#: A cell with fewer dark pixels than this share of its area is empty.
EMPTY_INK = 0.002


def cell_sheet(image: Any, found: PageTables) -> Sheet | None:
    """The :class:`Sheet` of the non-empty cells of the tables ``found`` in ``image``, or
    None when there is no cell with ink. Each cell is cut inside its rules (the rule
    width and a little more), so that no rule is read as "|" or "_"."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(image.convert("L"))
    h, w = grey.shape
    dpi_factor = found.factor
    gap = int(SHEET_GAP_IN * WORK_DPI * dpi_factor)
    crops: list[tuple[int, int, Any]] = []
    for k, grid in enumerate(found.tables):
        # half the rule and a pixel: a glyph touching the rule (a "g" over the bottom
        # border, 168/NQ-CP page 16) loses as little as can be
        inset = grid.rule_width / 2 + dpi_factor
        for idx, cell in enumerate(grid.cells):
            x0, y0, x1, y1 = cell.box
            corners = [found.image_point(x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
            # the axis-aligned box inside the (slightly skewed) cell
            left = max(corners[0][0], corners[2][0]) + inset
            right = min(corners[1][0], corners[3][0]) - inset
            top = max(corners[0][1], corners[1][1]) + inset
            bottom = min(corners[2][1], corners[3][1]) - inset
            ia, ib = max(0, int(left)), min(w, int(right))
            ja, jb = max(0, int(top)), min(h, int(bottom))
            if ib - ia < 4 or jb - ja < 4:
                continue
            crop = grey[ja:jb, ia:ib]
            if (crop < 128).mean() < EMPTY_INK:
                continue
            crops.append((k, idx, crop))
    if not crops:
        return None
    width = max(c.shape[1] for _, _, c in crops) + 2 * gap
    height = sum(c.shape[0] + gap for _, _, c in crops) + gap
    sheet = np.full((height, width), 255, dtype=np.uint8)
    places: list[tuple[int, int, float, float]] = []
    y = gap
    for k, idx, crop in crops:
        ch, cw = crop.shape
        sheet[y:y + ch, gap:gap + cw] = crop
        places.append((k, idx, float(y), float(y + ch)))
        y += ch + gap
    return Sheet(Image.fromarray(sheet), places)


Word = tuple[str, float, Box]


def read_cells(found: PageTables, words: Sequence[Word], sheet: Sheet | None = None,
               sheet_words: Sequence[Word] = ()) -> tuple[list[TableText], list[int]]:
    """Put OCR words ``(text, confidence 0-100, box in image pixels)`` into the cells of
    the tables ``found``. With a ``sheet`` and the words read on it, a cell's text is
    the sheet's, else (no sheet, or nothing read there) the page's words inside it. Returns the tables that hold
    text in at least two cells, and the indices of the page words outside them."""
    ntab = len(found.tables)
    per_table: list[dict[int, list[tuple[str, float, float, float, float]]]] = [{} for _ in range(ntab)]
    inside: list[list[int]] = [[] for _ in range(ntab)]
    outside: list[int] = []
    for n, (text, conf, (x0, y0, x1, y1)) in enumerate(words):
        hit = found.locate((x0 + x1) / 2, (y0 + y1) / 2)
        if hit is None:
            outside.append(n)
            continue
        k, cell = hit
        inside[k].append(n)
        text = _unglue(text)
        if not _keep(text, conf):
            continue
        dx, dy = found.deskew((x0 + x1) / 2, (y0 + y1) / 2)
        half = (y1 - y0) / 2
        idx = found.tables[k].owner[(cell.row, cell.col)]
        per_table[k].setdefault(idx, []).append((text, dx, dy, dy - half, dy + half))
    on_sheet: list[dict[int, list[tuple[str, float, float, float, float]]]] = [{} for _ in range(ntab)]
    if sheet is not None:
        import bisect

        tops = [p[2] for p in sheet.places]
        for raw, conf, (x0, y0, x1, y1) in sheet_words:
            text = _unglue(raw)
            if not _keep(text, conf):
                continue
            cy = (y0 + y1) / 2
            at = bisect.bisect_right(tops, cy) - 1
            if at < 0 or cy > sheet.places[at][3]:
                continue  # in a margin: a speck
            k, idx = sheet.places[at][0], sheet.places[at][1]
            on_sheet[k].setdefault(idx, []).append((text, (x0 + x1) / 2, cy, y0, y1))
    out: list[TableText] = []
    for k, grid in enumerate(found.tables):
        texts = {idx: _cell_text(items) for idx, items in per_table[k].items()}
        if sheet is not None:
            # the sheet's reading of a cell, unless it read nothing there (a lone "1" in
            # a wide empty cell can read as "|"); a cell left off the sheet is empty
            placed = {idx for t, idx, _, _ in sheet.places if t == k}
            texts = {idx: t for idx, t in texts.items() if idx in placed}
            texts.update((idx, t) for idx, t in
                         ((idx, _cell_text(items)) for idx, items in on_sheet[k].items())
                         if t.strip())
        if sum(bool(t.strip()) for t in texts.values()) < 2:
            outside.extend(inside[k])  # a frame around some text, not a table
            continue
        rows = [["" for _ in range(grid.cols)] for _ in range(grid.rows)]
        for idx, t in texts.items():
            cell = grid.cells[idx]
            rows[cell.row][cell.col] = t
        top, bottom = found.vertical_extent(k)
        out.append(TableText([r for r in rows if any(c.strip() for c in r)], top, bottom))
    outside.sort()
    return out, outside
