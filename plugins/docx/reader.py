"""From a DOCX package to the canonical document, through the same reader as text files.

Paragraphs become lines (a soft line break starts a new line; two empty lines separate Word
paragraphs, so the text reader never re-joins them as if wrapped); statutory tables go to the table
assembler as grids whose cells are located by table, row and cell number (all 1-based) with the text
as written; other tables are read as lines of text. Locations of lines are then moved from the
virtual line numbers to what a Word user can follow: the paragraph number, or the table, row and
cell numbers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from nianbao.document import Document, Located, Location, Source
from nianbao.loading import InputError, LoadContext
from nianbao.plugins.assembler import CellPlace, Grid, GridCell, format_labels, line_cell
from nianbao.plugins.text.normalize import Line, normalise
from nianbao.plugins.text.reader import read_report

from .body import BodyReader, DocParagraph, DocTable
from .numbering import Numbering
from .package import open_package, style_numbering
from .xml import W

Origin = tuple[int | None, int | None, int | None, int | None]  # paragraph, table, row, cell


def read_docx(data: bytes, source: Source, context: LoadContext) -> Document:
    package = open_package(data)
    body = package.document.find(W + "body")
    if body is None:
        raise InputError("word/document.xml 没有正文（w:body）")
    blocks = BodyReader(Numbering.from_root(package.numbering), style_numbering(package.styles)).read(body)

    labels = format_labels(list(context.formats))
    statutory: list[DocTable] = []
    texts: list[str] = []
    origins: list[Origin | None] = []

    def add(text: str, origin: Origin) -> None:
        texts.append(text)
        origins.append(origin)

    for block in blocks:
        if isinstance(block, DocParagraph):
            for line in block.lines:
                add(line, (block.index, None, None, None))
        elif labels.is_statutory(c.text for c in block.cells):
            statutory.append(block)
            continue
        else:
            for cell in block.cells:
                if cell.text:
                    add(cell.text, (None, block.index, cell.row + 1, cell.col + 1))
                    texts.extend(("", ""))
                    origins.extend((None, None))
            continue
        texts.extend(("", ""))
        origins.extend((None, None))
    n_body = len(texts)
    for t in statutory:
        for c in t.cells:
            add(c.text, (None, t.index, c.row + 1, c.col + 1))  # normalisation changes are located there

    lines, changes, source.traditional_converted = normalise("\n".join(texts))
    cell_lines = iter(lines[n_body:])
    grids = [_grid(t, cell_lines) for t in statutory]
    doc = read_report(lines[:n_body], changes, source, context, grids)
    relocate(doc, origins)
    for name, value in package.core.items():
        doc.meta.properties[name] = Located(value, Location(text=value))
    return doc


def _grid(table: DocTable, lines: Iterator[Line]) -> Grid:
    """A statutory Word table as a grid, each cell located by its table, row and cell numbers."""
    cells = []
    for c in table.cells:
        line = next(lines)
        text, start = line_cell(line)
        place = CellPlace(line, Location(table=table.index, row=c.row + 1, cell=c.col + 1), start)
        cells.append(GridCell(text, place, c.row, c.col, c.rowspan, c.colspan))

    def position(r: int, c: int) -> Location:
        return Location(text="", table=table.index, row=r + 1, cell=c + 1)

    return Grid(cells, table.n_rows, table.n_cols, position=position)


def relocate(doc: Document, origins: list[Origin | None]) -> None:
    """Replace virtual line numbers by paragraph or table/row/cell numbers in every location."""
    seen: set[int] = set()

    def fix(loc: Location) -> None:
        if id(loc) in seen or loc.line is None:
            return
        seen.add(id(loc))
        origin = origins[loc.line - 1] if 0 < loc.line <= len(origins) else None
        # A DOCX location is a paragraph or a table cell (document model): a column without its line is
        # not one, and the schema refuses it (``nianbao parse --validate``, a .json input).
        loc.line = loc.end_line = loc.column = loc.end_column = None
        if origin is not None:
            loc.paragraph, loc.table, loc.row, loc.cell = origin

    def walk(obj: Any) -> None:
        if isinstance(obj, Location):
            fix(obj)
        elif dataclasses.is_dataclass(obj):
            for f in dataclasses.fields(obj):
                walk(getattr(obj, f.name))
        elif isinstance(obj, dict):
            for v in obj.values():
                walk(v)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)

    walk(doc)
