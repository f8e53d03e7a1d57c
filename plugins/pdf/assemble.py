"""Page text and table grids into the line list for the reader and the grids for the table assembler.

Text lines pass through as extracted. A table that prints the format's labels (all its parts, when
a page broke it) becomes one :class:`~nianbao.plugins.assembler.Grid` whose cells are located by
``page`` + ``table`` + ``row`` + ``cell`` (1-based; ``cell`` is the position in the page's grid, so
a merged header counts the columns it covers); its cell texts are normalised as lines of their own
after the page text. Any other table becomes one tab-separated line a row. The lines are read with
global numbers; afterwards every location of a line is moved onto its page (``page`` + ``line`` on
that page, columns kept; a row of another table to its page, table, row and cell).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nianbao.document import Location
from nianbao.plugins.assembler import CellPlace, FormatLabels, Grid, GridCell, line_cell
from nianbao.plugins.assembler.doubts import is_value
from nianbao.plugins.text.normalize import Line

from .grids import PageTables, TablePart, is_furniture
from .pages import PageText

_SLACK = 2.0


@dataclass(slots=True, frozen=True)
class TextOrigin:
    page: int
    line: int


@dataclass(slots=True, frozen=True)
class CellOrigin:
    page: int
    table: int
    row: int
    spans: tuple[tuple[int, int, int], ...]  # (start, end, 1-based grid column) in the joined line


Origin = TextOrigin | CellOrigin | None


def statutory_parts(tables: PageTables, labels: FormatLabels) -> list[list[TablePart]]:
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


def cell_texts(statutory: Sequence[list[TablePart]]) -> tuple[list[str], list[Origin]]:
    """The text of every cell of the statutory tables, one line each, and where each came from."""
    texts: list[str] = []
    origins: list[Origin] = []
    for parts in statutory:
        for part in parts:
            for n, row in enumerate(part.rows):
                for column, text in enumerate(row.cells, start=1):
                    if text is not None:
                        texts.append(text)
                        origins.append(CellOrigin(row.page, part.table, part.first_row + n, ((0, len(text), column),)))
    return texts, origins


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
) -> tuple[list[str], list[Origin]]:
    """The lines to read, and where each came from (None for the blank line between pages).

    Tables in ``skip`` (read as grids) are left out, with the page text inside them.
    """
    lines: list[str] = []
    origins: list[Origin] = []
    joined_from = {p.table for parts in tables.parts.values() for p in parts if p.first_row > 1}
    skipped = {id(p) for parts in skip for p in parts}
    for page in pages:
        if lines:
            lines.append("")
            origins.append(None)
        parts = tables.parts.get(page.number, [])
        pending = list(parts)
        # Page numbers between the parts of a broken table would read as a stray cell.
        first_continues = bool(parts) and parts[0].first_row > 1
        last_continued = bool(parts) and parts[-1].table in joined_from and _continued_later(parts[-1], tables)
        for line in page.lines:
            inside = line.y is not None and any(_within(line.y, p) for p in parts)
            if inside:
                while pending and (line.y is None or pending[0].top <= line.y + _SLACK):
                    _emit(pending.pop(0), lines, origins, skipped)
                continue
            if line.y is not None:
                while pending and pending[0].bottom < line.y:
                    _emit(pending.pop(0), lines, origins, skipped)
            if is_furniture(line.text) and line.y is not None:
                if (first_continues and line.y < parts[0].top) or (last_continued and line.y > parts[-1].bottom):
                    continue
            lines.append(line.text)
            origins.append(TextOrigin(page.number, line.number))
        for part in pending:
            _emit(part, lines, origins, skipped)
    return lines, origins


def _continued_later(part: TablePart, tables: PageTables) -> bool:
    return any(p.table == part.table and p.page > part.page for ps in tables.parts.values() for p in ps)


def _within(y: float, part: TablePart) -> bool:
    return part.top - _SLACK <= y <= part.bottom + _SLACK


def _emit(part: TablePart, lines: list[str], origins: list[Origin], skipped: set[int]) -> None:
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
        origins.append(CellOrigin(row.page, part.table, part.first_row + n, tuple(spans)))


def relocate(document: Any, origins: Sequence[Origin]) -> None:
    """Move every location of ``document`` from global line numbers onto pages."""
    seen: set[int] = set()
    for loc in _locations(document):
        if id(loc) in seen or loc.line is None:
            continue
        seen.add(id(loc))
        _relocate(loc, origins)


def _relocate(loc: Location, origins: Sequence[Origin]) -> None:
    origin = _origin(origins, loc.line)
    end = _origin(origins, loc.end_line)
    if isinstance(origin, CellOrigin):
        column = (loc.column or 1) - 1
        cell = next((c for s, e, c in origin.spans if s <= column < max(e, s + 1)), None)
        if cell is None:
            cell = next((c for s, _, c in origin.spans if s >= column), origin.spans[-1][2] if origin.spans else None)
        loc.page, loc.table, loc.row, loc.cell = origin.page, origin.table, origin.row, cell
        loc.line = loc.column = loc.end_line = loc.end_column = None
        return
    if origin is None:  # the blank line between pages: nothing is ever located there alone
        loc.line = loc.column = loc.end_line = loc.end_column = None
        return
    loc.page, loc.line = origin.page, origin.line
    if isinstance(end, TextOrigin) and end.page == origin.page:
        loc.end_line = end.line
    else:
        loc.end_line = loc.end_column = None


def _origin(origins: Sequence[Origin], line: int | None) -> Origin:
    if line is None or not 1 <= line <= len(origins):
        return None
    return origins[line - 1]


def _locations(obj: Any):  # noqa: ANN202 - a generator of Location
    if isinstance(obj, Location):
        yield obj
    elif isinstance(obj, list):
        for item in obj:
            yield from _locations(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _locations(item)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if value is not None and not isinstance(value, (str, int, float, bool)):
                yield from _locations(value)
