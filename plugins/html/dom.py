"""Walking a parsed page into blocks of text (paragraphs, metadata lines) and statutory tables.

Each block and each table cell keeps, for every character, its index in the page's text stream (see
``source.py``), so that everything read from it can be located in the HTML source. A table that
prints the format's labels is kept as rows of cells for the table assembler; other tables are read
as lines of text, one tab-separated line a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nianbao.plugins.assembler import TemplateLabels
from nianbao.plugins.assembler.grid import span
from nianbao.plugins.text.chars import is_wide
from nianbao.plugins.text.labels import key
from nianbao.plugins.text.meta import PORTAL_KEYS

from .chrome import Chrome
from .source import StreamCursor

# Elements that start a new block of text; everything else flows inline.
_BLOCK_TAGS = frozenset(
    "address article blockquote body caption center dd details dir div dl dt fieldset figcaption figure form h1 h2 h3 "
    "h4 h5 h6 hr html li main menu ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
_ASCII_SPACE = " \t\n\r\f\v"
_PORTAL_LABELS = frozenset(key(k) for k in PORTAL_KEYS)


@dataclass(slots=True)
class Block:
    """One line for the text reader. ``kind`` is ``text``, ``row`` (a table row) or ``blank``."""

    text: str
    pos: list[int] = field(repr=False)
    kind: str = "text"


@dataclass(slots=True)
class PageCell:
    """One ``<td>``/``<th>``: its text, the stream index of each character, and its spans."""

    text: str
    pos: list[int] = field(repr=False)
    rowspan: int = 1
    colspan: int = 1


class _Builder:
    """Accumulates the text of one block, collapsing source whitespace as a browser does."""

    __slots__ = ("cursor", "parts", "pos", "linked", "length", "gap", "last_end")

    def __init__(self, cursor: StreamCursor) -> None:
        self.cursor = cursor
        self.parts: list[str] = []
        self.pos: list[int] = []
        self.linked = 0
        self.length = 0
        self.gap: str | None = None  # None, "space" or "newline": whitespace waiting between words
        self.last_end = cursor.pos

    def add(self, text: str, in_link: bool) -> None:
        i, n = 0, len(text)
        while i < n:
            if text[i] in _ASCII_SPACE:
                j = i
                while j < n and text[j] in _ASCII_SPACE:
                    j += 1
                self.soft_break("newline" if "\n" in text[i:j] else "space")
                i = j
                continue
            j = i
            while j < n and text[j] not in _ASCII_SPACE:
                j += 1
            self._word(text[i:j], in_link)
            i = j

    def soft_break(self, kind: str) -> None:
        if self.length and self.gap != "space":
            self.gap = kind

    def _word(self, word: str, in_link: bool) -> None:
        at = self.cursor.find(word)
        if self.gap is not None:
            # A line break in the source between two CJK characters is formatting, not a space.
            if not (self.gap == "newline" and is_wide(self.parts[-1][-1]) and is_wide(word[0])):
                self.parts.append(" ")
                self.pos.append(self.last_end)
                self.length += 1
            self.gap = None
        self.parts.append(word)
        if self.cursor.stream.startswith(word, at):
            self.pos.extend(range(at, at + len(word)))
        else:  # not in the stream (the parser repaired it): every character at the closest place known
            self.pos.extend([at] * len(word))
        self.length += len(word)
        if in_link:
            self.linked += len(word)
        self.last_end = at + len(word)

    def take(self) -> tuple[str, list[int], int]:
        out = "".join(self.parts), self.pos, self.linked
        self.parts, self.pos, self.linked, self.length, self.gap = [], [], 0, 0, None
        return out


class Walker:
    def __init__(self, cursor: StreamCursor, chrome: Chrome, labels: TemplateLabels) -> None:
        self.cursor = cursor
        self.chrome = chrome
        self.labels = labels
        self.blocks: list[Block] = []
        self.tables: list[list[list[PageCell]]] = []  # statutory tables, rows of cells
        self.builder = _Builder(cursor)
        self.in_cell = False

    def run(self, root: Any) -> list[Block]:
        self._element(root, False)
        self._flush()
        return self.blocks

    # ------------------------------------------------------------------ flow
    def _flush(self) -> None:
        if self.in_cell:
            self.builder.soft_break("newline")
            return
        text, pos, linked = self.builder.take()
        if text and not self.chrome.is_chrome_line(text, linked):
            self._emit(Block(text, pos))

    def _emit(self, block: Block) -> None:
        # Two blank lines between blocks: the text reader never joins them as one wrapped paragraph.
        if self.blocks:
            last = self.blocks[-1].pos[-1:] or []
            self.blocks.append(Block("", list(last), "blank"))
            self.blocks.append(Block("", list(last), "blank"))
        self.blocks.append(block)

    def _children(self, el: Any, in_link: bool) -> None:
        if el.text:
            self.builder.add(el.text, in_link)
        for child in el:
            self._element(child, in_link)
            if child.tail:
                self.builder.add(child.tail, in_link)

    def _element(self, el: Any, in_link: bool) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            return  # comments and processing instructions
        tag = tag.lower()
        if self.chrome.drops(el, tag):
            return
        if tag == "br":
            self._flush()
        elif tag == "table" and not self.in_cell:
            self._table(el)
        elif tag in _BLOCK_TAGS:
            self._flush()
            self._children(el, in_link)
            self._flush()
        else:
            self._children(el, in_link or tag == "a")

    # ------------------------------------------------------------------ tables
    def _table(self, el: Any) -> None:
        self._flush()
        if any(True for _ in el.iterdescendants("table")):
            # A layout table (old portals put the whole page in one): its cells are ordinary blocks.
            self._children(el, False)
            self._flush()
            return
        rows: list[list[PageCell]] = []
        for tr in el.iter("tr"):
            cells = []
            for td in tr:
                if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                    continue
                cells.append(self._cell(td))
            if cells:
                rows.append(cells)
        if not rows:
            return
        if self._is_metadata(rows):
            self._metadata(rows)
            return
        if self.labels.is_statutory(c.text for cells in rows for c in cells):
            self.tables.append(rows)
            return
        for cells in rows:
            self._row(cells)

    def _cell(self, td: Any) -> PageCell:
        outer, self.builder, self.in_cell = self.builder, _Builder(self.cursor), True
        try:
            self._children(td, False)
            text, pos, _ = self.builder.take()
        finally:
            self.builder, self.in_cell = outer, False
        return PageCell(text, pos, rowspan=span(td.get("rowspan")), colspan=span(td.get("colspan")))

    def _row(self, cells: list[PageCell]) -> None:
        """A table row as one tab-separated line, each cell once (where its span starts, not everywhere it spans)."""
        if not any(c.text for c in cells):
            return
        parts: list[str] = []
        pos: list[int] = []
        for n, cell in enumerate(cells):
            if n:
                parts.append("\t")
                pos.append(pos[-1] if pos else self.cursor.pos)
            parts.append(cell.text)
            pos.extend(cell.pos)
        block = Block("".join(parts), pos, "row")
        if self.blocks and self.blocks[-1].kind == "row":
            self.blocks.append(block)  # rows of one table stay on consecutive lines
        else:
            self._emit(block)

    def _is_metadata(self, rows: list[list[PageCell]]) -> bool:
        labels = sum(1 for cells in rows for c in cells if key(c.text) in _PORTAL_LABELS)
        return labels >= 2

    def _metadata(self, rows: list[list[PageCell]]) -> None:
        """The portal's metadata table as ``label：value`` lines, the form the text reader expects."""
        for cells in rows:
            n = 0
            while n < len(cells):
                cell = cells[n]
                if key(cell.text) in _PORTAL_LABELS and cell.text:
                    text, pos = cell.text.strip(), list(cell.pos[: len(cell.text.strip())])
                    if text[-1] not in ":：":
                        text += "："
                        pos.append(pos[-1])
                    if n + 1 < len(cells) and key(cells[n + 1].text) not in _PORTAL_LABELS:
                        text += cells[n + 1].text
                        pos.extend(cells[n + 1].pos)
                        n += 1
                    self._emit(Block(text, pos, "meta"))
                elif cell.text:
                    self._emit(Block(cell.text, cell.pos, "meta"))
                n += 1
