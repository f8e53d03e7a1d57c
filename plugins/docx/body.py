"""The body of word/document.xml as paragraphs and table grids, in reading order.

What a reader of the printed document sees is what is kept: tracked insertions are kept and
deletions dropped; content controls, custom XML and smart tags are transparent; automatic
numbering is written out in front of the paragraph; a text box's paragraphs are read where the box
is anchored (the DrawingML choice only, not its VML fallback, which repeats it); soft line breaks
split a paragraph into lines. Tables become rectangular grids with ``w:gridSpan``, ``w:vMerge``,
``w:gridBefore`` and ``w:gridAfter`` resolved; a table that holds tables is a layout container and
its content is read as body content.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .numbering import Numbering
from .xml import MC, W, attr

# Word draws at most 63 columns; table geometry in the file is not trusted beyond that.
MAX_GRID_COLUMNS = 63

# Elements whose children are read as if they stood in the element's place.
_TRANSPARENT = {W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo", W + "hyperlink"}
# Elements that hold nothing a reader sees (or hold it twice, as a deletion or property).
_SKIP = {
    W + "pPr",
    W + "rPr",
    W + "sdtPr",
    W + "sdtEndPr",
    W + "del",
    W + "moveFrom",
    W + "delText",
    W + "instrText",
    W + "tcPr",
    W + "trPr",
    W + "tblPr",
    W + "tblGrid",
    W + "sectPr",
    W + "bookmarkStart",
    W + "bookmarkEnd",
    W + "proofErr",
    W + "commentRangeStart",
    W + "commentRangeEnd",
    W + "commentReference",
    W + "footnoteReference",
    W + "endnoteReference",
    MC + "Fallback",
}


@dataclass(slots=True)
class DocParagraph:
    index: int  # 1-based, in reading order, over paragraphs outside statutory-looking tables
    lines: list[str]  # the text split at soft line breaks


@dataclass(slots=True)
class DocCell:
    text: str
    row: int  # 0-based grid position
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(slots=True)
class DocTable:
    index: int  # 1-based, over all tables in reading order
    n_rows: int
    n_cols: int
    cells: list[DocCell] = field(default_factory=list)  # anchors, row-major

    def covering(self) -> list[list[DocCell | None]]:
        """Each grid position holds the cell covering it (None where a row is shorter than the grid)."""
        out: list[list[DocCell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.rowspan, self.n_rows)):
                for c in range(cell.col, min(cell.col + cell.colspan, self.n_cols)):
                    out[r][c] = cell
        return out


Block = DocParagraph | DocTable


class BodyReader:
    def __init__(self, numbering: Numbering, style_numbering: dict[str, tuple[str | None, int | None]]) -> None:
        self.numbering = numbering
        self.style_numbering = style_numbering
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0

    def read(self, body: Any) -> list[Block]:
        self._blocks(body)
        return self.blocks

    # ------------------------------------------------------------------ block level
    def _blocks(self, parent: Any) -> None:
        for child in _children(parent):
            tag = child.tag
            if tag == W + "p":
                self._paragraph(child)
            elif tag == W + "tbl":
                self._table(child)

    def _paragraph(self, p: Any) -> None:
        self.paragraphs += 1
        index = self.paragraphs
        boxes: list[Any] = []
        text = self._number(p) + self._text(p, boxes)
        for box in boxes:  # read where the box is anchored, before the paragraph's own text
            self._blocks(box)
        if text.strip():
            self.blocks.append(DocParagraph(index, text.split("\n")))

    def _number(self, p: Any) -> str:
        ppr = p.find(W + "pPr")
        num_id: str | None = None
        ilvl: int | None = None
        style = None
        if ppr is not None:
            numpr = ppr.find(W + "numPr")
            if numpr is not None:
                n, lv = numpr.find(W + "numId"), numpr.find(W + "ilvl")
                num_id = attr(n, "val") if n is not None else None
                ilvl = _int(attr(lv, "val")) if lv is not None else None
            ps = ppr.find(W + "pStyle")
            style = attr(ps, "val") if ps is not None else None
        if style and (num_id is None or ilvl is None):
            s_num, s_lvl = self.style_numbering.get(style, (None, None))
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
        if not num_id or num_id == "0":
            return ""
        return self.numbering.label(num_id, ilvl or 0)

    def _text(self, element: Any, boxes: list[Any]) -> str:
        out: list[str] = []
        self._collect(element, out, boxes)
        return "".join(out)

    def _collect(self, element: Any, out: list[str], boxes: list[Any]) -> None:
        for child in element:
            tag = child.tag
            if tag == W + "t":
                if child.text:
                    out.append(child.text)
            elif tag in _SKIP or not isinstance(tag, str):
                continue
            elif tag == W + "tab" or tag == W + "ptab":
                out.append(" ")
            elif tag == W + "br" or tag == W + "cr":
                out.append("\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            elif tag == W + "txbxContent":
                boxes.append(child)
            elif tag == MC + "AlternateContent":
                choice = child.find(MC + "Choice")
                self._collect(choice if choice is not None else child, out, boxes)
            elif tag == W + "p":
                # A paragraph inside a run-level container (rare): keep its text on its own line.
                out.append("\n" + self._number(child) + self._text(child, boxes) + "\n")
            else:
                self._collect(child, out, boxes)

    # ------------------------------------------------------------------ tables
    def _table(self, tbl: Any) -> None:
        self.tables += 1
        index = self.tables
        rows = [tr for tr in _children(tbl) if tr.tag == W + "tr" and not _deleted_row(tr)]
        if any(tc.find(".//" + W + "tbl") is not None for tr in rows for tc in _cells(tr)):
            # A layout table around real content: read its cells as body content, row by row.
            for tr in rows:
                for tc in _cells(tr):
                    self._blocks(tc)
            return
        grid_cols = min(len(tbl.findall(W + "tblGrid/" + W + "gridCol")), MAX_GRID_COLUMNS)
        table = DocTable(index=index, n_rows=len(rows), n_cols=grid_cols)
        open_merges: dict[int, DocCell] = {}  # grid column -> cell a vMerge continues
        for r, tr in enumerate(rows):
            trpr = tr.find(W + "trPr")
            col = _extent(trpr, "gridBefore", 0)
            for tc in _cells(tr):
                if col >= MAX_GRID_COLUMNS:
                    break  # pushed past the widest table Word draws: nothing of it would be seen
                tcpr = tc.find(W + "tcPr")
                span = 1
                vmerge: str | None = None
                if tcpr is not None:
                    span = _extent(tcpr, "gridSpan", 1)
                    vm = tcpr.find(W + "vMerge")
                    if vm is not None:
                        vmerge = attr(vm, "val") or "continue"
                above = open_merges.get(col)
                if vmerge == "continue" and above is not None and above.row + above.rowspan == r:
                    above.rowspan += 1
                else:
                    cell = DocCell(self._cell_text(tc), r, col, colspan=span)
                    table.cells.append(cell)
                    open_merges[col] = cell
                col = min(col + span, MAX_GRID_COLUMNS)
            table.n_cols = min(max(table.n_cols, col + _extent(trpr, "gridAfter", 0)), MAX_GRID_COLUMNS)
        table.cells.sort(key=lambda c: (c.row, c.col))
        self.blocks.append(table)

    def _cell_text(self, tc: Any) -> str:
        parts: list[str] = []
        boxes: list[Any] = []
        for child in _children(tc):
            if child.tag == W + "p":
                parts.append((self._number(child) + self._text(child, boxes)).replace("\n", ""))
        return "".join(parts).strip()


def _children(parent: Any) -> Iterator[Any]:
    """Children of a block container, looking through content controls and similar wrappers."""
    for child in parent:
        tag = child.tag
        if tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _children(content)
        elif tag in _TRANSPARENT:
            yield from _children(child)
        elif tag == MC + "AlternateContent":
            choice = child.find(MC + "Choice")
            if choice is not None:
                yield from _children(choice)
        else:
            yield child


def _cells(tr: Any) -> list[Any]:
    return [tc for tc in _children(tr) if tc.tag == W + "tc"]


def _deleted_row(tr: Any) -> bool:
    trpr = tr.find(W + "trPr")
    return trpr is not None and trpr.find(W + "del") is not None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _extent(props: Any, name: str, least: int) -> int:
    """A ``gridSpan``/``gridBefore``/``gridAfter`` value, within what Word can draw: a file may say
    2147483648 or -5, and the grid is built from these numbers."""
    element = props.find(W + name) if props is not None else None
    value = _int(attr(element, "val")) if element is not None else None
    return min(max(value if value is not None else least, least), MAX_GRID_COLUMNS)
