"""Text-reader lines whose locations point into the HTML source."""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.document import Location
from nianbao.plugins.text.normalize import Line

from .source import SourceMap


@dataclass(slots=True)
class HtmlLine(Line):
    """A :class:`Line` built from one block of a page.

    ``raw`` is the block's text as the page shows it (tags gone, entities decoded); ``pos[i]`` is the
    stream index of ``raw[i]``, which the source map turns into a line and column of the HTML file.
    """

    pos: list[int] = field(default_factory=list, repr=False)
    source_map: SourceMap | None = field(default=None, repr=False)

    def location(self, start: int = 0, end: int | None = None) -> Location:
        if end is None:
            end = len(self.text)
        first = self.column(start) - 1
        stop = self.column(end - 1) if end > start else first
        return self.raw_location(first, stop)

    def raw_location(self, first: int, stop: int) -> Location:
        """Location of ``raw[first:stop]`` in the HTML source."""
        text = self.raw[first:stop]
        if not self.pos or self.source_map is None:
            return Location(text=text, line=self.number)
        first = min(first, len(self.pos) - 1)
        last = min(max(stop - 1, first), len(self.pos) - 1)
        loc = self.source_map.location(self.pos[first], self.pos[last], text)
        if stop <= first:
            loc.end_line, loc.end_column = loc.line, loc.column
        return loc

    def end_position(self) -> tuple[int, int]:
        loc = self.location()
        return loc.end_line or self.number, loc.end_column or 1
