"""From a DOCX package to the canonical document, through the same reader as text files.

Paragraphs become lines (a soft line break starts a new line; two empty lines separate Word
paragraphs, so the text reader never re-joins them as if wrapped); statutory tables go to the table
assembler as grids whose cells are located by table, row and cell number (all 1-based) with the text
as written; other tables are read as lines of text, a cell a line. Each line is placed where a Word
user can follow it: the paragraph number and the column in the paragraph's text (Word's automatic
number written in front, as Word shows it), or the table, row and cell numbers and the column in the
cell's text.
"""

from __future__ import annotations

from collections.abc import Iterator

from nianbao.document import Document, Located, Location, Source
from nianbao.loading import InputError, LoadContext
from nianbao.plugins.assembler import CellPlace, Grid, GridCell, line_cell, template_labels
from nianbao.plugins.text.normalize import Line, normalise
from nianbao.plugins.text.places import NOWHERE, InUnit, Place
from nianbao.plugins.text.reader import read_report

from .body import BodyReader, DocParagraph, DocTable
from .numbering import Numbering
from .package import open_package, style_numbering
from .xml import W


def read_docx(data: bytes, source: Source, context: LoadContext) -> Document:
    package = open_package(data)
    body = package.document.find(W + "body")
    if body is None:
        raise InputError("word/document.xml 没有正文（w:body）")
    blocks = BodyReader(Numbering.from_root(package.numbering), style_numbering(package.styles)).read(body)

    labels = template_labels(list(context.templates))
    statutory: list[DocTable] = []
    texts: list[str] = []
    places: list[Place] = []

    def add(text: str, place: Place) -> None:
        texts.append(text)
        places.append(place)

    def gap() -> None:  # two empty lines: the reader never joins what they separate
        texts.extend(("", ""))
        places.extend((NOWHERE, NOWHERE))

    for block in blocks:
        if isinstance(block, DocParagraph):
            offset = 0  # the paragraph's characters before the line, soft line breaks included
            for line in block.lines:
                add(line, InUnit(paragraph=block.index, offset=offset))
                offset += len(line) + 1
        elif labels.is_statutory(c.text for c in block.cells):
            statutory.append(block)
            continue
        else:
            for cell in block.cells:
                if cell.text:
                    add(cell.text, InUnit(table=block.index, row=cell.row + 1, cell=cell.col + 1))
                    gap()
            continue
        gap()
    n_body = len(texts)
    for t in statutory:
        for c in t.cells:
            add(c.text, InUnit(table=t.index, row=c.row + 1, cell=c.col + 1))  # normalisation changes are located there

    lines, changes, source.traditional_converted = normalise("\n".join(texts), places)
    cell_lines = iter(lines[n_body:])
    grids = [_grid(t, cell_lines) for t in statutory]
    doc = read_report(lines[:n_body], changes, source, context, grids)
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
