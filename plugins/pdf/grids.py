"""Table grids from the pages that hold the statutory tables.

The cell grid comes from the page's ruling lines (:mod:`.rulings`; merged cells come back as
``None``), looked for on pages whose text shows a table (:func:`holds_table`) and on the page after a
table that runs to the foot of its page. Cell text is taken from pypdfium2 inside each cell's box:
the same characters as the page text, right even where a font's ToUnicode map misleads pdfminer. A
page whose rulings make no trustworthy grid is listed as failed and read as text. A table that ends
a page and one that starts the next page, with nothing but page furniture between them (page
numbers, a running header or footer, ``续表``), are one table broken by the page and are joined.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from nianbao.plugins.text.labels import at_least, key, parse_value

from .pages import PageText, TextLine
from .rulings import GridError, find_grids

# Page numbers and "第 3 页 共 9 页": page furniture that may sit between two parts of a broken table.
_PAGE_FURNITURE = re.compile(r"^[\s\-—－–_·•/第页共\d]*$")
# A caption saying the table goes on: ``续表``, ``（续表）``, ``表三（续）``, ``续上表``.
_CONTINUED = re.compile(r"^[\s（(【\[]*(?:表\s*[一二三四五六七八九十\d]+\s*)?[（(]?\s*续(?:表|上表)?\s*[)）】\]]*\s*$")
_SLACK = 2.0  # points: a line whose middle is this close outside a table's box still belongs to it
_LABEL_MATCH = 0.8  # two halves of a label, joined, this close to a format label are that label


@dataclass(slots=True)
class GridRow:
    page: int
    cells: list[str | None]  # None where a merged cell covers the position


@dataclass(slots=True)
class TablePart:
    """One table as found on one page."""

    page: int
    top: float
    bottom: float
    rows: list[GridRow]
    table: int = 0  # 1-based table number in the document; parts of a broken table share it
    first_row: int = 1  # 1-based number, in the whole table, of this part's first row


@dataclass(slots=True)
class PageTables:
    parts: dict[int, list[TablePart]] = field(default_factory=dict)  # page number -> parts, top to bottom
    failed: list[int] = field(default_factory=list)  # pages the table finder could not read


def holds_table(page: PageText, labels: frozenset[str]) -> bool:
    """Whether the page text shows a statutory table: two table labels, or a row of three numbers.

    A row is a line of three values and nothing but table labels (``一、本年新收政府信息公开申请数量
    4 0 0``), or three values each on a line of its own at one height: PDFium gives each cell of a
    row a line when their text was written cell by cell.
    """
    hits = 0
    level: float | None = None  # height of the values standing alone on their lines
    alone = 0
    for line in page.lines:
        words = line.text.split()
        values = 0
        for word in words:
            if parse_value(word) is not None:
                values += 1
            elif key(word) in labels:
                hits += 1
        if hits >= 2 or (values >= 3 and all(parse_value(w) is not None or key(w) in labels for w in words)):
            return True
        if values and values == len(words) and line.y is not None:
            alone = alone + values if level is not None and abs(line.y - level) <= _SLACK else values
            level = line.y
            if alone >= 3:
                return True
    return False


def find_tables(
    data: bytes,
    pages: Sequence[PageText],
    numbers: Sequence[int],
    labels: frozenset[str] = frozenset(),
    follow: bool = True,
) -> PageTables:
    """Find the ruled tables on the given pages (1-based) and join tables broken by a page.

    The rulings are read from the pages' pypdfium2 objects; ``data`` (the file) is not read again.
    """
    found = PageTables()
    by_number = {p.number: p for p in pages}
    todo = sorted(set(numbers))
    at = 0
    while at < len(todo):
        number = todo[at]
        at += 1
        page = by_number[number]
        try:
            grids = find_grids(page.textpage.page, page.space)
        except GridError:
            found.failed.append(number)
            continue
        if any(page.cell_text(*hole).strip() for grid in grids for hole in grid.holes):
            found.failed.append(number)  # text inside a table but in no cell: the grid would lose it
            continue
        parts = []
        for grid in sorted(grids, key=lambda g: g.bbox[1]):
            rows = [GridRow(number, [_cell_text(page, box) for box in row]) for row in grid.rows]
            rows = [r for r in rows if any(c for c in r.cells)]
            if rows:
                parts.append(TablePart(page=number, top=grid.bbox[1], bottom=grid.bbox[3], rows=rows))
        if parts:
            found.parts[number] = parts
            # A table that runs to the foot of its page may go on at the top of the next, whose text
            # need not show a label (rows of narrow label cells wrap a character a line): look there too.
            after = number + 1
            if (
                follow
                and after in by_number
                and after not in todo
                and _only_furniture(page.lines, below=parts[-1].bottom, running=_running(page, by_number[after]))
            ):
                todo.insert(at, after)  # the pages still to search stay in order
    _number_and_join(found, pages, labels)
    return found


def _cell_text(page: PageText, box: tuple[float, float, float, float] | None) -> str | None:
    if box is None:
        return None
    return join_wrapped(page.cell_text(*box))


def join_wrapped(text: str) -> str:
    """A cell's text without the line breaks it wrapped at (a space only between two Latin words)."""
    pieces = [p.strip() for p in text.replace("\r", "").split("\n")]
    out = ""
    for piece in pieces:
        if not piece:
            continue
        # Digits wrapped in a narrow cell (``2562`` / ``3``) are one number; only words get a space.
        if out and out[-1].isascii() and out[-1].isalpha() and piece[0].isascii() and piece[0].isalpha():
            out += " "
        out += piece
    return out


def _number_and_join(found: PageTables, pages: Sequence[PageText], labels: frozenset[str]) -> None:
    by_number = {p.number: p for p in pages}
    table = 0
    previous: TablePart | None = None
    for number in sorted(found.parts):
        for i, part in enumerate(found.parts[number]):
            continues = (
                i == 0
                and previous is not None
                and previous.page == number - 1
                and previous is found.parts[previous.page][-1]
                and _only_furniture(
                    by_number[previous.page].lines,
                    below=previous.bottom,
                    running=_running(by_number[previous.page], by_number[number]),
                )
                and _only_furniture(
                    by_number[number].lines,
                    above=part.top,
                    running=_running(by_number[number], by_number[previous.page]),
                )
            )
            if continues:
                assert previous is not None
                part.table = previous.table
                _drop_repeated_header(previous, part, found)
                _rejoin_split_row(previous, part, labels)
                part.first_row = previous.first_row + len(previous.rows)
            else:
                table += 1
                part.table = table
            previous = part


def _drop_repeated_header(before: TablePart, part: TablePart, found: PageTables) -> None:
    """Header rows a word processor repeats at the top of each page are not data."""
    first = next(p for ps in found.parts.values() for p in ps if p.table == before.table)
    n = 0
    while n < len(part.rows) - 1 and n < len(first.rows) and _texts(part.rows[n]) == _texts(first.rows[n]):
        n += 1
    del part.rows[:n]


def _texts(row: GridRow) -> list[str]:
    return [c for c in row.cells if c]


def _rejoin_split_row(before: TablePart, part: TablePart, labels: frozenset[str]) -> None:
    """A row the page broke in two is put back together.

    Word lets a row break across pages: a label continues on the next page with no values
    (``4.保护第三方`` / ``合法权益``), a header row continues (``上一年项`` / ``目数量``), or a
    label begun on one page is finished on the next beside its values. The next page's first row
    is a continuation when it starts with no label of its own; the halves are joined cell by cell
    (over the cells each page's grid has, when the grids differ), or the text is appended to the
    last label cell when only text continues and the cells do not pair up.
    """
    if not part.rows or not before.rows:
        return
    tail, head = before.rows[-1], part.rows[0]
    texts = _texts(head)
    if not texts or key(texts[0]) in labels or key("".join(texts)) in labels:
        return
    head_values, tail_values = _has_value(head), _has_value(tail)
    if head_values and (tail_values or not _completes(tail, head, labels)):
        return
    if len(tail.cells) == len(head.cells):
        tail.cells = [
            None if a is None and b is None else (a or "") + (b or "")
            for a, b in zip(tail.cells, head.cells, strict=True)
        ]
    elif sum(c is not None for c in tail.cells) == sum(c is not None for c in head.cells):
        pieces = iter(c for c in head.cells if c is not None)
        tail.cells = [None if a is None else a + next(pieces) for a in tail.cells]
    elif head_values or not tail_values:
        return
    else:
        last = max((i for i, c in enumerate(tail.cells) if c and parse_value(c) is None), default=None)
        if last is None:
            return
        tail.cells[last] = (tail.cells[last] or "") + "".join(texts)
    del part.rows[0]


def _has_value(row: GridRow) -> bool:
    return any(parse_value(c) is not None for c in _texts(row))


def _completes(tail: GridRow, head: GridRow, labels: frozenset[str]) -> bool:
    """Whether the label text of ``tail`` and ``head`` together make a label the format prints."""
    label = key("".join(c for c in _texts(tail) + _texts(head) if parse_value(c) is None))
    return label in labels or any(at_least(label, k, _LABEL_MATCH) for k in labels)


def _only_furniture(
    lines: Sequence[TextLine],
    above: float | None = None,
    below: float | None = None,
    running: frozenset[str] = frozenset(),
) -> bool:
    """Whether the page shows nothing above (below) a height but page furniture and the ``running``
    lines (its running header and footer)."""
    for line in lines:
        if line.y is None or not line.text.strip():
            continue
        outside = (above is not None and line.y < above - _SLACK) or (below is not None and line.y > below + _SLACK)
        if outside and not is_furniture(line.text) and line.text.strip() not in running:
            return False
    return True


def _running(page: PageText, other: PageText) -> frozenset[str]:
    """Lines of ``page`` printed with the same text at the same height on ``other``: a running header
    or footer (the agency's name, the report's title) that stands between the parts of a broken table."""
    heights: dict[str, list[float]] = {}
    for line in other.lines:
        if line.y is not None and line.text.strip():
            heights.setdefault(line.text.strip(), []).append(line.y)
    return frozenset(
        text
        for line in page.lines
        if line.y is not None
        and (text := line.text.strip()) in heights
        and any(abs(y - line.y) <= _SLACK for y in heights[text])
    )


def is_furniture(text: str) -> bool:
    """Page numbers, and a caption saying that a table goes on."""
    return bool(text.strip()) and bool(_PAGE_FURNITURE.match(text) or _CONTINUED.match(text))
