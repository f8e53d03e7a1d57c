"""Page text and table grids into the line list for the reader and the grids for the table assembler.

Text lines pass through as extracted. A table that prints the format's labels (all its parts, when
a page broke it) becomes one :class:`~nianbao.plugins.assembler.Grid` whose cells are located by
``page`` + ``table`` + ``row`` + ``cell`` (1-based; ``cell`` is the position in the page's grid, so
a merged header counts the columns it covers); its cell texts are normalised as lines of their own
after the page text. Any other table becomes one tab-separated line a row. Each line is placed on its
page as it is built (``page`` + ``line`` on that page + ``column`` on the line; a cell's text, and each
cell of a row of another table, at its page, table, row and cell + ``column`` in the cell's text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nianbao.document import Location
from nianbao.plugins.assembler import CellPlace, Grid, GridCell, TemplateLabels, line_cell
from nianbao.plugins.assembler.doubts import is_value
from nianbao.plugins.text.normalize import Line
from nianbao.plugins.text.places import NOWHERE, InUnit, Place, Stretch

from .grids import PageTables, TablePart, is_furniture
from .pages import PageText

_SLACK = 2.0


@dataclass(slots=True, frozen=True)
class RowPlace(Place):
    """A row of a table read as text: its cells joined by tabs, each character located in its cell."""

    page: int
    table: int
    row: int
    spans: tuple[tuple[int, int, int], ...]  # (start, end, 1-based grid column) in the joined line

    def location(self, raw: str, start: int, end: int) -> Location:
        first = self._cell(start).location(raw, start, max(start, end))
        if end - 1 <= start:
            return first
        return first.ends_like(self._cell(end - 1).location(raw, end - 1, end), raw[start:end])

    def stretches(self, start: int, end: int) -> list[Stretch]:
        out: list[Stretch] = []
        for n, (a, _, _) in enumerate(self.spans):
            stop = self.spans[n + 1][0] if n + 1 < len(self.spans) else end  # a tab goes with the cell before it
            if a < end and stop > start:
                out += self._cell(a).stretches(max(a, start), min(stop, end))
        return out

    def _cell(self, at: int) -> Place:
        """The cell holding character ``at`` of the line, its columns counted from its own first."""
        a, column = next(((a, c) for a, _, c in reversed(self.spans) if a <= at), (0, None))
        if column is None:
            return NOWHERE
        return InUnit(page=self.page, table=self.table, row=self.row, cell=column, offset=-a)


def statutory_parts(tables: PageTables, labels: TemplateLabels) -> list[list[TablePart]]:
    """The parts of each table that prints the format's labels, a table's parts in page order."""
    by_table: dict[int, list[TablePart]] = {}
    for number in sorted(tables.parts):
        for part in tables.parts[number]:
            by_table.setdefault(part.table, []).append(part)
    return [
        parts
        for parts in by_table.values()
        if labels.is_statutory(c for p in parts for row in p.rows for c in row.cells if c)
    ]


def cell_texts(statutory: Sequence[list[TablePart]]) -> tuple[list[str], list[Place]]:
    """The text of every cell of the statutory tables, one line each, and where each is."""
    texts: list[str] = []
    places: list[Place] = []
    for parts in statutory:
        for part in parts:
            for n, row in enumerate(part.rows):
                for column, text in enumerate(row.cells, start=1):
                    if text is not None:
                        texts.append(text)
                        places.append(InUnit(page=row.page, table=part.table, row=part.first_row + n, cell=column))
    return texts, places


def grids(statutory: Sequence[list[TablePart]], lines: Sequence[Line]) -> list[Grid]:
    """The statutory tables as grids, over the normalised cell lines (in :func:`cell_texts` order).

    The parts of a broken table are stacked. Where a page's grid is narrower, its rows are aligned
    on the right, where the values are; each part is a band of the grid, so that columns are
    compared only between parts of the same width.
    """
    out: list[Grid] = []
    cell_lines = iter(lines)
    for parts in statutory:
        width = max(len(row.cells) for p in parts for row in p.rows)
        rows: list[list[GridCell | None]] = []
        outside: list[int] = []
        bands: list[tuple[int, int]] = []
        where: list[tuple[TablePart, int, int]] = []  # per grid row: part, row number in the table, shift
        for part in parts:
            if part.rows:
                bands.append((len(rows), max(len(row.cells) for row in part.rows)))
            for n, row in enumerate(part.rows):
                shift = width - len(row.cells)
                cells: list[GridCell | None] = [None] * shift
                for column, text in enumerate(row.cells, start=1):
                    if text is None:
                        cells.append(None)
                        continue
                    line = next(cell_lines)
                    base = Location(page=row.page, table=part.table, row=part.first_row + n, cell=column)
                    stripped, start = line_cell(line)
                    cells.append(GridCell(stripped, CellPlace(line, base, start)))
                rows.append(cells)
                outside.append(shift)
                where.append((part, part.first_row + n, shift))
        out.append(
            Grid.from_gaps(
                rows,
                is_value,
                outside,
                parts=[first for first, _ in bands[1:]],
                position=_positions(where),
                bands=bands if len(bands) > 1 else [],
            )
        )
    return out


def _positions(where: list[tuple[TablePart, int, int]]):  # noqa: ANN202
    def position(r: int, c: int) -> Location:
        part, row, shift = where[r]
        return Location(page=part.page, table=part.table, row=row, cell=c + 1 - shift)

    return position


def assemble(
    pages: Sequence[PageText], tables: PageTables, skip: Sequence[list[TablePart]] = ()
) -> tuple[list[str], list[Place]]:
    """The lines to read, and where each is (nowhere, for the blank line between pages).

    Tables in ``skip`` (read as grids) are left out, with the page text inside them.
    """
    lines: list[str] = []
    places: list[Place] = []
    joined_from = {p.table for parts in tables.parts.values() for p in parts if p.first_row > 1}
    skipped = {id(p) for parts in skip for p in parts}
    for page in pages:
        if lines:
            lines.append("")
            places.append(NOWHERE)
        parts = tables.parts.get(page.number, [])
        pending = list(parts)
        # Page numbers between the parts of a broken table would read as a stray cell.
        first_continues = bool(parts) and parts[0].first_row > 1
        last_continued = bool(parts) and parts[-1].table in joined_from and _continued_later(parts[-1], tables)
        for line in page.lines:
            inside = line.y is not None and any(_within(line.y, p) for p in parts)
            if inside:
                while pending and (line.y is None or pending[0].top <= line.y + _SLACK):
                    _emit(pending.pop(0), lines, places, skipped)
                continue
            if line.y is not None:
                while pending and pending[0].bottom < line.y:
                    _emit(pending.pop(0), lines, places, skipped)
            if is_furniture(line.text) and line.y is not None:
                if (first_continues and line.y < parts[0].top) or (last_continued and line.y > parts[-1].bottom):
                    continue
            lines.append(line.text)
            places.append(InUnit(page=page.number, line=line.number))
        for part in pending:
            _emit(part, lines, places, skipped)
    return lines, places


def _continued_later(part: TablePart, tables: PageTables) -> bool:
    return any(p.table == part.table and p.page > part.page for ps in tables.parts.values() for p in ps)


def _within(y: float, part: TablePart) -> bool:
    return part.top - _SLACK <= y <= part.bottom + _SLACK


def _emit(part: TablePart, lines: list[str], places: list[Place], skipped: set[int]) -> None:
    if id(part) in skipped:
        return
    for n, row in enumerate(part.rows):
        pieces: list[str] = []
        spans: list[tuple[int, int, int]] = []
        pos = 0
        for column, text in enumerate(row.cells, start=1):
            if text is None:
                continue
            if pieces:
                pos += 1  # the tab
            spans.append((pos, pos + len(text), column))
            pieces.append(text)
            pos += len(text)
        lines.append("\t".join(pieces))
        places.append(RowPlace(row.page, part.table, part.first_row + n, tuple(spans)))
