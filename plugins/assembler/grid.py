"""Cell grids as loaders hand them over: every cell with its text and its place in the source file.

A loader builds a :class:`Grid` from the table structure it reads (``<td>`` elements, Word cells,
ruled boxes on a PDF page, markdown pipe rows) and gives each cell a :class:`Place` that turns a
span of the cell's text into a final :class:`~nianbao.document.Location` (line and column for HTML
and text, table/row/cell for DOCX, page/table/row/cell for PDF). The assembler never looks at
where a grid came from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from nianbao.document import Location
from nianbao.plugins.text.normalize import Line

# A colspan/rowspan larger than any real report table is a broken or hostile page; cap it so the
# grid stays small (browsers cap colspan at 1000 and rowspan at 65534 for the same reason).
MAX_SPAN = 100


class Place(Protocol):
    def location(self, start: int = 0, end: int | None = None) -> Location:
        """Where characters ``start:end`` of the cell's text are in the source file."""


@dataclass(slots=True)
class LineSpan:
    """Cell text that is a stretch of a normalised line, from ``start`` (HTML cells, markdown pipes)."""

    line: Line
    start: int = 0

    def location(self, start: int = 0, end: int | None = None) -> Location:
        stop = len(self.line.text) if end is None else self.start + end
        return self.line.location(self.start + start, stop)


@dataclass(slots=True)
class CellPlace:
    """A Word or PDF cell: located by its table, row and cell numbers, with the text as written.

    ``line`` is the cell text after normalisation (its ``raw`` is the text as written); ``base``
    holds the coordinates.
    """

    line: Line
    base: Location
    start: int = 0

    def location(self, start: int = 0, end: int | None = None) -> Location:
        stop = len(self.line.text) if end is None else self.start + end
        text = self.line.location(self.start + start, stop).text if stop > self.start + start else ""
        return dataclasses.replace(self.base, text=text)


def line_cell(line: Line) -> tuple[str, int]:
    """A cell's text without surrounding space, and where it starts in the line."""
    stripped = line.text.strip()
    return stripped, (line.text.find(stripped) if stripped else 0)


@dataclass(slots=True)
class GridCell:
    """One cell, at the top-left grid position of its span."""

    text: str  # normalised, without surrounding space
    place: Place = field(repr=False)
    row: int = 0
    col: int = 0
    rowspan: int = 1
    colspan: int = 1

    def location(self, start: int = 0, end: int | None = None) -> Location:
        return self.place.location(start, len(self.text) if end is None else end)


@dataclass(slots=True)
class Grid:
    """A table as rows and columns of cells, a merged cell only at the top-left position of its span.

    ``caption`` is a caption printed just above the table, outside it (a markdown ``表三：…`` line).
    ``position`` locates a grid position no cell starts at (covered by a merge), for the blank cell
    a reader puts there; None leaves it to the covering cell. ``bands`` are the first rows of parts
    whose columns need not line up with the rest (the pages of a PDF table whose page grids differ
    in width): a header read in one band is trusted in the rows of another only when both have the
    same width.
    """

    cells: list[GridCell]
    n_rows: int
    n_cols: int
    caption: GridCell | None = None
    bands: list[tuple[int, int]] = field(default_factory=list)  # (first row, width of the part's own grid)
    position: Callable[[int, int], Location] | None = field(default=None, repr=False)
    _covering: list[list[GridCell | None]] | None = field(default=None, repr=False)

    def covering(self) -> list[list[GridCell | None]]:
        """Each grid position holds the cell covering it (None where a row is shorter than the grid)."""
        if self._covering is None:
            out: list[list[GridCell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
            for cell in self.cells:
                for r in range(cell.row, min(cell.row + cell.rowspan, self.n_rows)):
                    for c in range(cell.col, min(cell.col + cell.colspan, self.n_cols)):
                        out[r][c] = cell
            self._covering = out
        return self._covering

    def band(self, r: int) -> tuple[int, int] | None:
        """The part row ``r`` belongs to: (its first row, its width); None when the grid is one part."""
        found = None
        for band in self.bands:
            if band[0] <= r:
                found = band
        return found

    def location_at(self, r: int, c: int) -> Location | None:
        if self.position is not None:
            return self.position(r, c)
        cell = self.covering()[r][c]
        return cell.location() if cell is not None else None

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[GridCell]], **kwargs: object) -> Grid:
        """Place cells given row by row with their spans, as HTML and Word list them.

        A cell goes to the first position of its row not covered by a rowspan from above; a rowspan
        reaching past the last row is cut there, as browsers do.
        """
        taken: list[set[int]] = [set() for _ in rows]
        cells: list[GridCell] = []
        width = 0
        for r, row in enumerate(rows):
            c = 0
            for cell in row:
                while c in taken[r]:
                    c += 1
                if c >= MAX_SPAN:
                    break  # pushed past any real table's width by rowspans above (6,000 columns once): not placed
                cell.row, cell.col = r, c
                cell.rowspan = min(max(cell.rowspan, 1), MAX_SPAN, len(rows) - r)
                cell.colspan = min(max(cell.colspan, 1), MAX_SPAN - c)
                for dr in range(cell.rowspan):
                    taken[r + dr].update(range(c, c + cell.colspan))
                cells.append(cell)
                c += cell.colspan
            width = max(width, c, max(taken[r], default=-1) + 1)
        return cls(cells, len(rows), width, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def from_gaps(
        cls,
        rows: Sequence[Sequence[GridCell | None]],
        is_value: Callable[[str], bool],
        outside: Sequence[int] = (),
        parts: Sequence[int] = (),
        **kwargs: object,
    ) -> Grid:
        """Rows of a ruled table where a merged cell leaves ``None`` at the positions it covers (PDF).

        ``outside[r]`` leading positions of row ``r`` are no part of the table (a narrower page's
        grid, aligned on the right); ``parts`` are the rows where another page's grid starts, which
        nothing above runs into. Where a gap is covered from is not given, so it is read as a
        person reads the ruling: a number never runs down into the next row, nor a row's label into
        a row without values (a header or caption row); in a row of values, a
        gap after a label of the same row continues that label (``一、本年新收…`` across the label
        columns) and any other gap continues the cell above (a group label running down); in a
        header row, a gap continues the cell to its left only where the row above spans both
        columns (a group label over its leaves), else the cell above (a leaf over two header rows).
        """
        n_rows = len(rows)
        n_cols = max((len(r) for r in rows), default=0)
        grid: list[list[GridCell | None]] = [[None] * n_cols for _ in range(n_rows)]
        cells: list[GridCell] = []
        with_values = [any(c is not None and is_value(c.text) for c in row) for row in rows]
        for r, row in enumerate(rows):
            values = with_values[r]
            first = outside[r] if r < len(outside) else 0
            for c in range(first, n_cols):
                cell = row[c] if c < len(row) else None
                if cell is not None:
                    cell.row, cell.col, cell.rowspan, cell.colspan = r, c, 1, 1
                    grid[r][c] = cell
                    cells.append(cell)
                    continue
                left = grid[r][c - 1] if c > first else None
                above = grid[r - 1][c] if r and r not in parts else None
                if above is not None and (is_value(above.text) or (with_values[above.row] and not values)):
                    above = None  # numbers never run down, nor a row label into a header or caption row
                if left is not None and left.row == r and (above is None or _spans_left(grid, r, c, values)):
                    owner = left
                else:
                    owner = above or left
                if owner is None:
                    continue
                grid[r][c] = owner
                owner.colspan = max(owner.colspan, c - owner.col + 1)
                owner.rowspan = max(owner.rowspan, r - owner.row + 1)
        return cls(cells, n_rows, n_cols, _covering=grid, **kwargs)  # type: ignore[arg-type]


def _spans_left(grid: list[list[GridCell | None]], r: int, c: int, values: bool) -> bool:
    if values:
        return True
    return r == 0 or (grid[r - 1][c] is not None and grid[r - 1][c] is grid[r - 1][c - 1])


def span(value: str | None) -> int:
    """A ``rowspan``/``colspan`` attribute as a number, 1 when missing or broken, capped."""
    try:
        n = int((value or "1").strip())
    except ValueError:
        return 1
    return min(max(n, 1), MAX_SPAN)
