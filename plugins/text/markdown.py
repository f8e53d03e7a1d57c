"""Markdown pipe tables in text, as grids: what converters and OCR tools make of a report's tables.

A pipe table is a run of lines with ``|`` between cells and a delimiter row (``| --- | --- |``),
with or without the outer pipes (html2text writes none, and puts a one-cell first row over a bare
``---``). Each pipe row is a grid row, each cell a cell located in its line; delimiter rows are
dropped. Converters lose merged cells, so rows come out of different lengths: they are aligned on
the right, where the values are, and each row is its own band, so that a header is trusted in a
data row only when both have the same number of cells (see :class:`~nianbao.plugins.assembler.Grid`).
A caption line just above the table (``### 第二十条第（一）项``, ``表三：…``) is the grid's caption.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nianbao.plugins.assembler import Grid, GridCell, LineSpan, line_cell

from .normalize import Line

_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PIPE = re.compile(r"(?<!\\)\|")
_CAPTION = re.compile(r"^[#\s*]*(?:表[一二三四五六七八九十\d]+|第二十条第)")
_CAPTION_GAP = 2  # blank lines allowed between a caption line and its table


def pipe_tables(lines: Sequence[Line], skip: set[int] = frozenset()) -> tuple[list[Grid], set[int]]:
    """The pipe tables in ``lines`` as grids, and the line indexes they (and their captions) occupy."""
    grids: list[Grid] = []
    used: set[int] = set()
    i = 0
    n = len(lines)
    while i < n:
        if i in skip or not _DELIMITER.match(lines[i].text) or "-" not in lines[i].text:
            i += 1
            continue
        # The header row is the line above the delimiter (a lone cell may have no pipe at all).
        start = i - 1 if i > 0 and lines[i - 1].text.strip() and i - 1 not in skip else i
        end = i + 1
        while end < n and end not in skip and _is_row(lines[end].text):
            end += 1
        rows = [k for k in range(start, end) if not _DELIMITER.match(lines[k].text)]
        if any(_PIPE.search(lines[k].text) for k in rows):  # not a setext heading underline
            caption = _caption(lines, start, skip)
            grids.append(_grid(lines, rows, caption))
            used.update(range(start, end))
            if caption is not None:
                used.add(caption)
        i = end
    return grids, used


def _is_row(text: str) -> bool:
    return bool(_PIPE.search(text)) or bool(_DELIMITER.match(text) and "-" in text)


def _caption(lines: Sequence[Line], start: int, skip: set[int]) -> int | None:
    k = start - 1
    gap = 0
    while k >= 0 and not lines[k].text.strip() and gap < _CAPTION_GAP:
        k -= 1
        gap += 1
    if k >= 0 and k not in skip and _CAPTION.match(lines[k].text) and not _PIPE.search(lines[k].text):
        return k
    return None


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
        cells.append(GridCell(stripped, LineSpan(line, start)))
    return cells


def _grid(lines: Sequence[Line], rows: list[int], caption: int | None) -> Grid:
    parsed = [_cells(lines[k]) for k in rows]
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
