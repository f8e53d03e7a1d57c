"""HTML tables as rectangular grids: rowspan and colspan expanded, each cell kept once at its origin."""

from __future__ import annotations

from dataclasses import dataclass, field

# A colspan/rowspan larger than any real report table is a broken or hostile page; cap it so the
# grid stays small (browsers cap colspan at 1000 and rowspan at 65534 for the same reason).
MAX_SPAN = 100


@dataclass(slots=True)
class GridCell:
    """One ``<td>``/``<th>``: its text, the stream index of each character, and where it sits."""

    text: str
    pos: list[int] = field(repr=False)
    row: int = 0
    column: int = 0
    rowspan: int = 1
    colspan: int = 1


def span(value: str | None) -> int:
    try:
        n = int((value or "1").strip())
    except ValueError:
        return 1
    return min(max(n, 1), MAX_SPAN)


def place(rows: list[list[GridCell]]) -> list[list[GridCell | None]]:
    """Place the cells of each row in a grid; return the grid (covered positions hold the origin cell).

    Sets each cell's ``row`` and ``column``. A rowspan reaching past the last row is cut there, as
    browsers do; the grid is at most ``MAX_SPAN`` columns wide (rowspans of 100 over 60 cells a row once
    made it 6,000 wide and took 8 s), cells beyond that are not placed.
    """
    grid: list[list[GridCell | None]] = [[] for _ in rows]
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            cell.row, cell.column = r, c
            if c >= MAX_SPAN:
                continue  # pushed past any real table's width by the spans above: kept as text, not placed
            cell.colspan = min(cell.colspan, MAX_SPAN - c)
            for dr in range(min(cell.rowspan, len(rows) - r)):
                line = grid[r + dr]
                need = c + cell.colspan
                if len(line) < need:
                    line.extend([None] * (need - len(line)))
                for dc in range(cell.colspan):
                    if line[c + dc] is None:
                        line[c + dc] = cell
            c += cell.colspan
    width = max((len(line) for line in grid), default=0)
    for line in grid:
        line.extend([None] * (width - len(line)))
    return grid
