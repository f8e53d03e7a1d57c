"""Where a line's characters are in the file: the place a loader gives each line it hands the reader.

A loader knows where every line it builds comes from (a line of a text file, a block of a page whose
characters sit anywhere in the HTML source, a line of a Word paragraph, a Word or PDF table cell, a
line of a PDF page, a row of a PDF table) and says so once, with a place. Every location the reader
makes from the line (headings, paragraphs, cells, normalisation changes) and every anchor a
paragraph keeps are then in the file's own coordinates; nothing is moved afterwards.

A place works on the line as written (``Line.raw``): :meth:`Place.location` locates a span of it, and
:meth:`Place.stretches` cuts a span where the file's coordinates jump, for the anchors.
"""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.document import Location

# The coordinates of a stretch's first character, in the order of ``Anchor`` after ``at`` and ``raw``:
# column, line, page, paragraph, table, row, cell, end_column.
Coordinates = tuple[int, int | None, int | None, int | None, int | None, int | None, int | None, int | None]
Stretch = tuple[int, int, Coordinates]  # characters start:end of the line as written, and where the first is


class Place:
    """Where the characters of one line as written are in the file."""

    __slots__ = ()

    def location(self, raw: str, start: int, end: int) -> Location:
        """The location of ``raw[start:end]`` (an empty span: the place of ``raw[start]``)."""
        raise NotImplementedError

    def stretches(self, start: int, end: int) -> list[Stretch]:
        """``start:end`` cut where the file's coordinates do not run on one character at a time."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class InUnit(Place):
    """A line whose characters stand one after another in one unit of the file: a line of a PDF page,
    (a line of) a Word paragraph, a cell's text. ``offset``: the unit's characters before the line's
    first (the earlier lines of a Word paragraph broken by soft line breaks, and the breaks)."""

    line: int | None = None
    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    offset: int = 0

    def location(self, raw: str, start: int, end: int) -> Location:
        column = start + 1 + self.offset
        return Location(
            text=raw[start:end],
            line=self.line,
            column=column,
            end_line=self.line,
            end_column=column + max(end - start, 0),
            page=self.page,
            paragraph=self.paragraph,
            table=self.table,
            row=self.row,
            cell=self.cell,
        )

    def stretches(self, start: int, end: int) -> list[Stretch]:
        coordinates = (start + 1 + self.offset, self.line, self.page, self.paragraph, self.table, self.row, self.cell)
        return [(start, end, (*coordinates, None))]


class Nowhere(Place):
    """A line the loader added that is nowhere in the file (the blank lines it puts between Word
    paragraphs or PDF pages): never located alone, and never part of a paragraph."""

    __slots__ = ()

    def location(self, raw: str, start: int, end: int) -> Location:
        return Location(text=raw[start:end])

    def stretches(self, start: int, end: int) -> list[Stretch]:
        return []


NOWHERE = Nowhere()
