"""Table cells from a page's ruling lines, read from its drawn paths with pypdfium2.

A ruled table in a PDF is text between lines, and the lines are path objects drawn in many ways:
stroked lines (LibreOffice), thin filled rectangles (Word, WPS), a rectangle round every cell,
polylines, all of it perhaps inside a form XObject under a transform, on a page stored sideways.
Every straight, axis-parallel piece of a painted path is an edge, taken into the page as shown
(:func:`~.pages.upright`). From there the lattice method of pdfplumber's table finder is followed
with its default tolerances, so the cells are the ones it finds, without pdfminer parsing every
font and character of the page only to throw them away: edges within ``SNAP`` points of one line
are moved onto it and pieces of a line less than ``JOIN`` apart joined; where a vertical and a
horizontal edge meet is a corner; a cell is the smallest rectangle from a corner to corners right
of it and below it that edges connect on all four sides; cells that share corners are one table.
A row is a line of cells with the same top; a position covered by a cell merged across columns or
from a row above is ``None``.

Curves, diagonals and clipping paths are no rulings. The work is bounded (``MAX_SEGMENTS``,
``MAX_EDGES``). A grid that could put a wrong number in a cell is refused with :class:`GridError`,
and the caller reads the page as text with an NB03: cells that overlap, rules between rows with
none between columns, text in a form XObject drawn under a transform (see :class:`Rulings`). The
caller also refuses a grid with text in its holes (``Grid.holes``), which no cell would hold.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from .pages import Matrix

Box = tuple[float, float, float, float]  # x0, top, x1, bottom on the page as shown

SNAP = 3.0  # points: edges this close across their line are one ruling (pdfplumber's snap_tolerance)
JOIN = 3.0  # points: pieces of a ruling with a gap this small are one (join_tolerance)
MIN_EDGE = 3.0  # points: shorter rulings are dropped after joining (edge_min_length)
MIN_PIECE = 1.0  # points: shorter pieces are dropped before (edge_min_length_prefilter)
MEET = 3.0  # points: a vertical and a horizontal ruling this close to touching meet (intersection_tolerance)
STRAIGHT = 0.05  # points: a piece whose ends differ this little across it is axis-parallel
MAX_SEGMENTS = 100_000  # path segments on one page; an annual report's table page has ~100
MAX_EDGES = 2_000  # rulings on one page after joining; corners are found among pairs of them
MAX_DEPTH = 8  # form XObjects nested deeper are not entered
# This many full-width rules one above another, and no cell: a table ruled only between its rows.
MIN_ROW_RULES = 3
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class GridError(Exception):
    """The page's rulings do not make a table grid that can be trusted."""


@dataclass(slots=True)
class Grid:
    """One table: its box and its rows of cells (``None`` where a merged cell covers the position)."""

    bbox: Box
    rows: list[list[Box | None]]
    holes: list[Box] = field(default_factory=list)  # parts of the box no cell covers


@dataclass(slots=True)
class Edge:
    at: float  # y of a horizontal edge, x of a vertical one
    start: float  # x0 / top
    end: float  # x1 / bottom


@dataclass(slots=True)
class Rulings:
    """The axis-parallel pieces of the paths painted on a page, in the page's upright space."""

    horizontal: list[Edge] = field(default_factory=list)
    vertical: list[Edge] = field(default_factory=list)
    # Text sits in a form XObject drawn under a transform. PDFium then gives some characters' boxes
    # in the form's own space (LibreOffice's digits, in our fixtures), so cell text read by position
    # could lose or move a number.
    displaced_text: bool = False


def find_grids(page: Any, space: Matrix) -> list[Grid]:
    """The tables drawn on a pypdfium2 page, top to bottom; raises :class:`GridError` for a page
    whose rulings make no grid that can be trusted."""
    rulings = page_rulings(page, space)
    found = grids(rulings)
    if found and rulings.displaced_text:
        raise GridError("text in a transformed form XObject")
    if not found and _stacked_rules(_merge(rulings.horizontal)) >= MIN_ROW_RULES:
        raise GridError("rules between rows but none between columns")
    return found


def grids(rulings: Rulings) -> list[Grid]:
    """Tables from the rulings: snapped, joined, cut into cells, cells grouped by shared corners."""
    horizontal, vertical = _merge(rulings.horizontal), _merge(rulings.vertical)
    if len(horizontal) + len(vertical) > MAX_EDGES:
        raise GridError(f"{len(horizontal) + len(vertical)} rulings")
    return [_grid(group) for group in _tables(_cells(horizontal, vertical))]


def page_rulings(page: Any, space: Matrix) -> Rulings:
    """Every painted path's axis-parallel pieces on a pypdfium2 page, in ``space``."""
    import pypdfium2.raw as raw

    rulings = Rulings()
    budget = MAX_SEGMENTS
    for obj, own, outer, filled_only in _paths(raw, page.raw, space, rulings):
        count = raw.FPDFPath_CountSegments(obj)
        budget -= max(count, 0)
        if budget < 0:
            raise GridError("too many path segments")
        if not (filled_only and count <= 5 and _thin_box(raw, obj, own, outer, rulings)):
            _path_edges(raw, obj, count, _compose(own, outer), rulings)
    return rulings


def _paths(raw: Any, page: Any, space: Matrix, rulings: Rulings) -> Iterator[tuple[Any, Matrix, Matrix, bool]]:
    """Painted path objects of the page and of the forms it shows: each with its own matrix, the matrix
    from its container into ``space``, and whether it is filled and not stroked."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    fs = raw.FS_MATRIX()
    stack = [(page, space, 0, False)]
    while stack:
        parent, outer, depth, moved = stack.pop()
        if depth == 0:
            objects = [raw.FPDFPage_GetObject(parent, i) for i in range(raw.FPDFPage_CountObjects(parent))]
        else:
            objects = [raw.FPDFFormObj_GetObject(parent, i) for i in range(raw.FPDFFormObj_CountObjects(parent))]
        for obj in objects:
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_TEXT and moved:
                rulings.displaced_text = True
            if kind == raw.FPDF_PAGEOBJ_PATH:
                if not raw.FPDFPath_GetDrawMode(obj, fill, stroke):
                    continue
                if fill.value == raw.FPDF_FILLMODE_NONE and not stroke.value:
                    continue  # a path that only clips paints nothing
            elif kind != raw.FPDF_PAGEOBJ_FORM or depth >= MAX_DEPTH:
                continue
            if not raw.FPDFPageObj_GetMatrix(obj, fs):
                continue
            own = (fs.a, fs.b, fs.c, fs.d, fs.e, fs.f)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                yield obj, own, outer, fill.value != raw.FPDF_FILLMODE_NONE and not stroke.value
            else:
                stack.append((obj, _compose(own, outer), depth + 1, moved or own != _IDENTITY))


def _thin_box(raw: Any, obj: Any, own: Matrix, outer: Matrix, rulings: Rulings) -> bool:
    """The sides of a filled path less than ``MIN_PIECE`` thick: a rule drawn as a filled rectangle.

    Word and WPS draw every piece of every border so; the path's box (one call, in its container's
    space) gives the same sides as its four corners would (twenty calls). False for anything else.
    """
    if not (_upright(own) and _upright(outer)):
        return False
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return False
    a, b, c, d, e, f = outer
    p0 = (a * left.value + c * bottom.value + e, b * left.value + d * bottom.value + f)
    p1 = (a * right.value + c * top.value + e, b * right.value + d * top.value + f)
    x0, x1 = sorted((p0[0], p1[0]))
    y0, y1 = sorted((p0[1], p1[1]))
    if x1 - x0 < MIN_PIECE <= y1 - y0:
        rulings.vertical += [Edge(x0, y0, y1), Edge(x1, y0, y1)]
    elif y1 - y0 < MIN_PIECE <= x1 - x0:
        rulings.horizontal += [Edge(y0, x0, x1), Edge(y1, x0, x1)]
    else:
        return y1 - y0 < MIN_PIECE  # a dot is no ruling; a box is drawn point by point
    return True


def _upright(m: Matrix) -> bool:
    """Whether the matrix keeps axis-parallel lines axis-parallel."""
    return (m[1] == 0 and m[2] == 0) or (m[0] == 0 and m[3] == 0)


def _path_edges(raw: Any, obj: Any, count: int, matrix: Matrix, rulings: Rulings) -> None:
    a, b, c, d, e, f = matrix
    px, py = ctypes.c_float(), ctypes.c_float()
    start = previous = None
    for i in range(count):
        segment = raw.FPDFPath_GetPathSegment(obj, i)
        if not segment or not raw.FPDFPathSegment_GetPoint(segment, px, py):
            start = previous = None
            continue
        x, y = px.value, py.value
        point = (a * x + c * y + e, b * x + d * y + f)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == raw.FPDF_SEGMENT_LINETO and previous is not None:
            _add(previous, point, rulings)
        # a Bezier segment (three points: two controls and the end) is a curve, no ruling
        previous = point
        if raw.FPDFPathSegment_GetClose(segment) and start is not None:
            _add(point, start, rulings)
            previous = start


def _add(p: tuple[float, float], q: tuple[float, float], rulings: Rulings) -> None:
    dx, dy = abs(q[0] - p[0]), abs(q[1] - p[1])
    if dy <= STRAIGHT and dx >= MIN_PIECE:
        rulings.horizontal.append(Edge((p[1] + q[1]) / 2, min(p[0], q[0]), max(p[0], q[0])))
    elif dx <= STRAIGHT and dy >= MIN_PIECE:
        rulings.vertical.append(Edge((p[0] + q[0]) / 2, min(p[1], q[1]), max(p[1], q[1])))


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """``inner`` then ``outer``."""
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _merge(edges: list[Edge]) -> list[Edge]:
    """Snap edges onto the mean of each cluster of lines, then join the pieces along each line."""
    if not edges:
        return []
    # Clusters chain: a value within SNAP of the previous distinct value joins its cluster.
    values = sorted({e.at for e in edges})
    cluster_of: dict[float, int] = {}
    n = 0
    for i, v in enumerate(values):
        if i and v > values[i - 1] + SNAP:
            n += 1
        cluster_of[v] = n
    members: dict[int, list[Edge]] = {}
    for e in edges:
        members.setdefault(cluster_of[e.at], []).append(e)
    merged: list[Edge] = []
    for group in members.values():
        at = sum(e.at for e in group) / len(group)
        line: list[Edge] = []
        for e in sorted(group, key=lambda e: e.start):
            if line and e.start <= line[-1].end + JOIN:
                line[-1].end = max(line[-1].end, e.end)
            else:
                line.append(Edge(at, e.start, e.end))
        merged.extend(x for x in line if x.end - x.start >= MIN_EDGE)
    return merged


def _stacked_rules(horizontal: list[Edge]) -> int:
    """The largest number of horizontal rulings that start and end together (within ``SNAP``)."""
    best = 0
    for rule in horizontal:
        same = sum(1 for r in horizontal if abs(r.start - rule.start) <= SNAP and abs(r.end - rule.end) <= SNAP)
        best = max(best, same)
    return best


def _cells(horizontal: list[Edge], vertical: list[Edge]) -> list[Box]:
    """Every corner's smallest closed cell to its right and below."""
    # corner (x, y) -> ids of the vertical and of the horizontal rulings through it
    corners: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    for iv, v in enumerate(vertical):
        for ih, h in enumerate(horizontal):
            if v.start <= h.at + MEET and v.end >= h.at - MEET and h.start - MEET <= v.at <= h.end + MEET:
                through = corners.setdefault((v.at, h.at), (set(), set()))
                through[0].add(iv)
                through[1].add(ih)
    below: dict[float, list[tuple[float, float]]] = {}  # x -> corners on that vertical, top down
    right: dict[float, list[tuple[float, float]]] = {}  # y -> corners on that horizontal, left to right
    for point in sorted(corners):
        below.setdefault(point[0], []).append(point)
    for point in sorted(corners, key=lambda p: (p[1], p[0])):
        right.setdefault(point[1], []).append(point)

    def vertical_link(p: tuple[float, float], q: tuple[float, float]) -> bool:
        return not corners[p][0].isdisjoint(corners[q][0])

    def horizontal_link(p: tuple[float, float], q: tuple[float, float]) -> bool:
        return not corners[p][1].isdisjoint(corners[q][1])

    cells: list[Box] = []
    for point in sorted(corners):
        x, y = point
        downs = [p for p in below[x] if p[1] > y]
        acrosses = [p for p in right[y] if p[0] > x]
        cell = None
        for down in downs:
            if not vertical_link(point, down):
                continue
            for across in acrosses:
                if not horizontal_link(point, across):
                    continue
                corner = (across[0], down[1])
                if corner in corners and vertical_link(corner, across) and horizontal_link(corner, down):
                    cell = (x, y, across[0], down[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


def _tables(cells: list[Box]) -> list[list[Box]]:
    """Cells grouped into tables: cells sharing a corner are in one table; lone cells are no table."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = owner.setdefault(corner, i)
            parent[root(i)] = root(j)
    groups: dict[int, list[Box]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(root(i), []).append(cell)
    tables = [g for g in groups.values() if len(g) > 1]
    return sorted(tables, key=lambda g: min((c[1], c[0]) for c in g))


def _grid(cells: list[Box]) -> Grid:
    xs = sorted({c[0] for c in cells})
    rows = []
    for _, line in groupby(sorted(cells, key=lambda c: (c[1], c[0])), key=lambda c: c[1]):
        by_x = {c[0]: c for c in line}
        rows.append([by_x.get(x) for x in xs])
    bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
    return Grid(bbox, rows, _holes(cells))


def _holes(cells: list[Box]) -> list[Box]:
    """Pieces of the table's box no cell covers; raises :class:`GridError` where cells overlap."""
    xs = sorted({x for c in cells for x in (c[0], c[2])})
    ys = sorted({y for c in cells for y in (c[1], c[3])})
    col = {x: i for i, x in enumerate(xs)}
    row = {y: i for i, y in enumerate(ys)}
    covered = [[False] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for x0, top, x1, bottom in cells:
        for r in range(row[top], row[bottom]):
            for k in range(col[x0], col[x1]):
                if covered[r][k]:
                    raise GridError("cells overlap")
                covered[r][k] = True
    return [
        (xs[k], ys[r], xs[k + 1], ys[r + 1])
        for r in range(len(ys) - 1)
        for k in range(len(xs) - 1)
        if not covered[r][k]
    ]
