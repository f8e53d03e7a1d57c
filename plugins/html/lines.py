"""The place of a page's block in the HTML source: every character of it located on its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.document import Location
from nianbao.plugins.text.places import Place, Stretch

from .source import SourceMap


@dataclass(frozen=True, slots=True)
class HtmlPlace(Place):
    """A block of a page (a paragraph, a cell, a metadata line): ``raw`` is its text as the page shows
    it (tags gone, entities decoded, spaces collapsed) and ``pos[i]`` the stream index of ``raw[i]``,
    which the source map turns into a line and column of the HTML file. ``line`` is the source line
    for a block without characters (an empty cell: the line of what came before it)."""

    pos: list[int] = field(repr=False)
    source_map: SourceMap = field(repr=False)
    line: int = 1

    def location(self, raw: str, start: int, end: int) -> Location:
        text = raw[start:end]
        pos = self.pos
        if not pos:
            return Location(text=text, line=self.line)
        first = min(start, len(pos) - 1)
        last = min(max(end - 1, first), len(pos) - 1)
        loc = self.source_map.location(pos[first], pos[last], text)
        if end <= start:
            loc.end_line, loc.end_column = loc.line, loc.column
        return loc

    def stretches(self, start: int, end: int) -> list[Stretch]:
        out: list[Stretch] = []
        pos = self.pos
        i = start
        while i < end:
            first = pos[i]
            j = i + 1
            while j < end and pos[j] == first + j - i:  # a word: consecutive in the page's text
                j += 1
            out += self.source_map.stretches(first, first + j - i, i)
            i = j
        return out
