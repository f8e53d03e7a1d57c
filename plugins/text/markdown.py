"""Markdown pipe tables in text, as grids: what converters and OCR tools make of a report's tables.

A pipe table is a run of lines with ``|`` between cells and a delimiter row (``| --- | --- |``),
with or without the outer pipes (html2text writes none, and puts a one-cell first row over a bare
``---``). A table nested in another and written on one line (markitdown) is left to the text reader. Each pipe row is a grid row, each cell a cell located in its line; delimiter rows are
dropped. Converters lose merged cells, so rows come out of different lengths: they are aligned on
the right, where the values are, and each row is its own band, so that a header is trusted in a
data row only when both have the same number of cells (see :class:`~nianbao.plugins.assembler.Grid`).
A caption line just above the table (``### 第二十条第（一）项``, ``表三：…``) is the grid's caption;
a line without pipes between two rows continues the cell a line break cut (``对外公`` / ``开总数量``),
unless it is a note (``注：…``), which stays text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nianbao.document import Location
from nianbao.lazypattern import lazy
from nianbao.plugins.assembler import Grid, GridCell, LineSpan, TemplateLabels, line_cell

from .labels import MARKDOWN_ESCAPE, key
from .normalize import Line

_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PIPE = lazy(r"(?<!\\)\|")
_DELIMITER_CELL = lazy(r":?-{3,}:?")
_CAPTION = lazy(r"^[#\s*]*(?:表[一二三四五六七八九十\d]+|第二十条第)")
_CAPTION_GAP = 2  # blank lines allowed between a caption line and its table
_NOTE = lazy(r"^\s*(?:注|备注|说明)\s*[:：]")


def pipe_tables(
    lines: Sequence[Line], labels: TemplateLabels, skip: set[int] = frozenset()
) -> tuple[list[Grid], set[int]]:
    """The statutory pipe tables in ``lines`` as grids, and the line indexes they and their
    captions occupy. A pipe table that prints no format labels (a page layout a converter turned
    into one) stays text."""
    grids: list[Grid] = []
    used: set[int] = set()
    i = 0
    n = len(lines)
    while i < n:
        if i in skip or not _is_delimiter(lines[i].text):
            i += 1
            continue
        # The header row is the line above the delimiter (a lone cell may have no pipe at all).
        start = i - 1 if i > 0 and lines[i - 1].text.strip() and i - 1 not in skip else i
        rows: list[list[int]] = [[start]] if start < i else []
        end = i + 1
        while end < n and end not in skip:
            text = lines[end].text
            if _is_delimiter(text):
                pass
            elif _PIPE.search(text):
                rows.append([end])
            elif text.strip() and rows and end + 1 < n and _PIPE.search(lines[end + 1].text):
                if not _NOTE.match(text):
                    rows[-1].append(end)  # a cell broken over lines (``对外公`` / ``开总数量``)
                end += 1
                continue  # a note line (``注：…``) inside the table stays text
            else:
                break
            end += 1
        if any(_PIPE.search(lines[k].text) for row in rows for k in row):  # not a setext heading underline
            caption = _caption(lines, start, skip, labels)
            grid = _grid(lines, rows, caption)
            # A row holding ``---`` cells is a table nested in this one, written on one line (markitdown):
            # its rows cannot be counted off, so it is read as text, cell after cell.
            nested = any(_DELIMITER_CELL.fullmatch(c.text) for c in grid.cells)
            if not nested and labels.is_statutory(c.text for c in grid.cells):
                grids.append(grid)
                used.update(k for row in rows for k in row)
                used.update(k for k in range(start, end) if _is_delimiter(lines[k].text))
                if caption is not None:
                    used.add(caption)
        i = end
    return grids, used


def _is_delimiter(text: str) -> bool:
    return "-" in text and bool(_DELIMITER.match(text))


def _caption(lines: Sequence[Line], start: int, skip: set[int], labels: TemplateLabels) -> int | None:
    """The line just above a table that names it (``表三：…``, ``### 第二十条第（一）项``), or a format
    label over it (``**行政复议**`` over the sub-table of that column group)."""
    k = start - 1
    gap = 0
    while k >= 0 and not lines[k].text.strip() and gap < _CAPTION_GAP:
        k -= 1
        gap += 1
    if k < 0 or k in skip or _PIPE.search(lines[k].text):
        return None
    text = lines[k].text
    return k if _CAPTION.match(text) or key(text) in labels.printed else None


def _cells(line: Line) -> list[GridCell]:
    text = line.text
    bounds = [m.start() for m in _PIPE.finditer(text)]
    edges = [-1, *bounds, len(text)]
    pieces = [(edges[j] + 1, edges[j + 1]) for j in range(len(edges) - 1)]
    if pieces and not text[pieces[0][0] : pieces[0][1]].strip() and bounds:
        pieces = pieces[1:]  # before a leading pipe
    if pieces and not text[pieces[-1][0] : pieces[-1][1]].strip() and bounds:
        pieces = pieces[:-1]  # after a trailing pipe
    cells = []
    for a, b in pieces:
        piece = text[a:b]
        stripped = piece.strip()
        start = a + (piece.find(stripped) if stripped else 0)
        dropped = {m.start() for m in MARKDOWN_ESCAPE.finditer(stripped)} if "\\" in stripped else None
        if dropped:  # the cell as rendered: ``1\.属于国家秘密`` reads ``1.属于国家秘密``
            kept = [i for i in range(len(stripped)) if i not in dropped]
            cells.append(GridCell("".join(stripped[i] for i in kept), _Unescaped(LineSpan(line, start), kept)))
        else:
            cells.append(GridCell(stripped, LineSpan(line, start)))
    return cells


@dataclass(slots=True)
class _Unescaped:
    """The place of a cell whose text dropped markdown escapes: ``kept[i]`` is where its character
    ``i`` stands in the cell as written."""

    written: LineSpan
    kept: list[int]

    def location(self, start: int = 0, end: int | None = None) -> Location:
        end = len(self.kept) if end is None else end
        if end <= start:
            at = self.kept[start] if start < len(self.kept) else (self.kept[-1] + 1 if self.kept else 0)
            return self.written.location(at, at)
        return self.written.location(self.kept[start], self.kept[end - 1] + 1)


def _row(lines: Sequence[Line], indexes: list[int]) -> list[GridCell]:
    """The cells of a row written over several lines: the last cell of a line and the first of the
    next are one cell broken by a line break."""
    cells = _cells(lines[indexes[0]])
    for k in indexes[1:]:
        more = _cells(lines[k])
        if cells and more:
            last, first = cells[-1], more.pop(0)
            cells[-1] = GridCell(last.text + first.text, _Joined(last, len(last.text), first))
        cells.extend(more)
    return cells


@dataclass(slots=True)
class _Joined:
    """The place of a cell broken over two lines: its first part, then the rest on the next line."""

    head: GridCell
    split: int
    tail: GridCell

    def location(self, start: int = 0, end: int | None = None) -> Location:
        end = self.split + len(self.tail.text) if end is None else end
        if end <= self.split:
            return self.head.location(start, end)
        if start >= self.split:
            return self.tail.location(start - self.split, end - self.split)
        loc = self.head.location(start, self.split)
        rest = self.tail.location(0, end - self.split)
        return loc.ends_like(rest, f"{loc.text}\n{rest.text}")


def _grid(lines: Sequence[Line], rows: list[list[int]], caption: int | None) -> Grid:
    parsed = [_row(lines, indexes) for indexes in rows]
    width = max(len(cells) for cells in parsed)
    placed: list[GridCell] = []
    bands: list[tuple[int, int]] = []
    for r, cells in enumerate(parsed):
        shift = width - len(cells)
        for c, cell in enumerate(cells):
            cell.row, cell.col = r, shift + c
            placed.append(cell)
        bands.append((r, len(cells)))
    head = None
    if caption is not None:
        text, start = line_cell(lines[caption])
        head = GridCell(text, LineSpan(lines[caption], start))
    return Grid(placed, len(parsed), width, caption=head, bands=bands)
