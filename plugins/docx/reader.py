"""From a DOCX package to the canonical document, through the same reader as text files.

Paragraphs become lines (a soft line break starts a new line; two empty lines separate Word
paragraphs, so the text reader never re-joins them as if wrapped); statutory tables are read from
their grids by :class:`~.tables.GridTables`; other tables are read as lines of text. Locations are
then moved from the virtual line numbers to what a Word user can follow: the paragraph number, or
the table, row and cell numbers (all 1-based), plus the text as written.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from nianbao.document import Document, Located, Location, Source
from nianbao.loading import InputError, LoadContext
from nianbao.plugins.text.labels import key
from nianbao.plugins.text.normalize import normalise
from nianbao.plugins.text.reader import read_report

from .body import BodyReader, DocParagraph, DocTable
from .numbering import Numbering
from .package import open_package, style_numbering
from .tables import GridTables, format_label_keys
from .xml import W

# A statutory table prints several of the format's labels; a layout table (a signature block,
# a portal header) does not.
_MIN_LABELS = 2

Origin = tuple[int | None, int | None, int | None, int | None]  # paragraph, table, row, cell


def read_docx(data: bytes, source: Source, context: LoadContext) -> Document:
    package = open_package(data)
    body = package.document.find(W + "body")
    if body is None:
        raise InputError("word/document.xml 没有正文（w:body）")
    blocks = BodyReader(Numbering.from_root(package.numbering), style_numbering(package.styles)).read(body)

    label_keys = format_label_keys(list(context.formats))
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
        elif sum(1 for c in block.cells if c.text and key(c.text) in label_keys) >= _MIN_LABELS:
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
    cells = [c for t in statutory for c in t.cells]
    for t in statutory:
        for c in t.cells:
            add(c.text, (None, t.index, c.row + 1, c.col + 1))

    lines, changes, source.traditional_converted = normalise("\n".join(texts))
    raw_text: dict[int, str] = {}
    for cell, line in zip(cells, lines[n_body:], strict=True):
        raw_text[id(cell)] = line.raw
        cell.text = line.text.strip()
    table_source = GridTables(statutory, raw_text) if statutory else None
    doc = read_report(lines[:n_body], changes, source, context, table_source)
    relocate(doc, origins)
    for name, value in package.core.items():
        doc.meta.properties[name] = Located(value, Location(text=value))
    return doc


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
