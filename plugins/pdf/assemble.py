"""Page text and table grids into one line list for the text reader, and locations back onto pages.

Text lines pass through as extracted; each table row becomes one tab-separated line (merged
positions dropped), which the text reader's table code matches to the format by label. The lines
are read with global numbers; afterwards every location in the document is moved onto its page:
a text line becomes ``page`` + ``line`` on that page (columns kept), a table cell becomes ``page``
+ ``table`` + ``row`` + ``cell`` (1-based; ``cell`` is the grid position, so a merged header counts
the columns it covers).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nianbao.document import Location

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


def assemble(pages: Sequence[PageText], tables: PageTables) -> tuple[list[str], list[Origin]]:
    """The lines to read, and where each came from (None for the blank line between pages)."""
    lines: list[str] = []
    origins: list[Origin] = []
    joined_from = {p.table for parts in tables.parts.values() for p in parts if p.first_row > 1}
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
                    _emit(pending.pop(0), lines, origins)
                continue
            if line.y is not None:
                while pending and pending[0].bottom < line.y:
                    _emit(pending.pop(0), lines, origins)
            if is_furniture(line.text) and line.y is not None:
                if (first_continues and line.y < parts[0].top) or (last_continued and line.y > parts[-1].bottom):
                    continue
            lines.append(line.text)
            origins.append(TextOrigin(page.number, line.number))
        for part in pending:
            _emit(part, lines, origins)
    return lines, origins


def _continued_later(part: TablePart, tables: PageTables) -> bool:
    return any(p.table == part.table and p.page > part.page for ps in tables.parts.values() for p in ps)


def _within(y: float, part: TablePart) -> bool:
    return part.top - _SLACK <= y <= part.bottom + _SLACK


def _emit(part: TablePart, lines: list[str], origins: list[Origin]) -> None:
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
