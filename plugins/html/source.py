"""Where the text of a page sits in its source: line and column of every character a reader sees.

lxml gives elements a ``sourceline`` but text nodes no position at all, so the page is scanned once
for markup and entities; the characters between them form the *stream* (the page's text with
entities decoded), and every stream index maps back to an offset in the source. Text nodes are then
found in the stream in document order, which is the order of the source.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right

from nianbao.document import Location

# Markup that is not text: comments, script and style bodies (which may contain ``<``), tags,
# doctype and processing instructions. A ``<`` not followed by a tag-like character is text.
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|textarea|title)\b.*?(?:</\1\s*>|\Z)"
    r"|<[A-Za-z/!?][^>]*(?:>|\Z)"
    r"|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);?",
    re.DOTALL | re.IGNORECASE,
)


class SourceMap:
    """The page's text stream and the way back from a stream index to a source line and column."""

    def __init__(self, source: str) -> None:
        self.source = source
        pieces: list[str] = []
        # Segments of the stream: (stream start, source start, source end or -1 for literal text).
        seg_stream: list[int] = []
        seg_source: list[int] = []
        seg_entity_end: list[int] = []
        stream_len = 0
        pos = 0
        for m in _MARKUP.finditer(source):
            start = m.start()
            if start > pos:
                seg_stream.append(stream_len)
                seg_source.append(pos)
                seg_entity_end.append(-1)
                pieces.append(source[pos:start])
                stream_len += start - pos
            token = m.group(0)
            if token[0] == "&":
                text = html.unescape(token)
                seg_stream.append(stream_len)
                seg_source.append(start)
                seg_entity_end.append(m.end() if text != token else -1)
                pieces.append(text)
                stream_len += len(text)
            pos = m.end()
        if pos < len(source):
            seg_stream.append(stream_len)
            seg_source.append(pos)
            seg_entity_end.append(-1)
            pieces.append(source[pos:])
            stream_len += len(source) - pos
        self.stream = "".join(pieces)
        self._seg_stream = seg_stream
        self._seg_source = seg_source
        self._seg_entity_end = seg_entity_end
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]

    def _offsets(self, index: int) -> tuple[int, int]:
        """Source offsets ``[start, end)`` of the stream character at ``index``."""
        n = bisect_right(self._seg_stream, index) - 1
        if n < 0:
            return 0, 0
        entity_end = self._seg_entity_end[n]
        if entity_end >= 0:
            return self._seg_source[n], entity_end
        offset = self._seg_source[n] + index - self._seg_stream[n]
        return offset, offset + 1

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column (code points) of a source offset."""
        n = bisect_right(self._line_starts, offset) - 1
        return n + 1, offset - self._line_starts[n] + 1

    def line_of(self, index: int) -> int:
        """1-based source line of the stream character at ``index``."""
        return self.line_column(self._offsets(index)[0])[0]

    def stretches(self, first: int, stop: int, at: int) -> list[tuple[int, int, tuple]]:
        """Stream characters ``first:stop``, which a block holds from its character ``at``, cut where
        their source positions do not run on one at a time (markup, an entity, a line break): (block
        start, block end, coordinates of the first as ``Anchor`` orders them)."""
        out: list[tuple[int, int, tuple]] = []
        starts, sources, entities = self._seg_stream, self._seg_source, self._seg_entity_end
        stop = min(stop, len(self.stream))  # past the stream each step would take nothing, for ever
        while first < stop:
            n = bisect_right(starts, first) - 1
            seg_stop = starts[n + 1] if n + 1 < len(starts) else len(self.stream)
            take = min(stop, seg_stop) - first
            if entities[n] >= 0:  # an entity: its characters stand for all of it
                line, column = self.line_column(sources[n])
                end_column = self.line_column(entities[n])[1]
            else:
                offset = sources[n] + first - starts[n]
                line, column = self.line_column(offset)
                if line < len(self._line_starts):  # not past the source's last line break
                    take = min(take, self._line_starts[line] - offset)
                end_column = None
            out.append((at, at + take, (column, line, None, None, None, None, None, end_column)))
            first += take
            at += take
        return out

    def location(self, first: int, last: int, text: str) -> Location:
        """The location of stream characters ``first``..``last`` (inclusive), pointing at ``text``."""
        start = self._offsets(first)[0]
        end = self._offsets(last)[1]
        line, column = self.line_column(start)
        end_line, end_column = self.line_column(end)
        return Location(text=text, line=line, column=column, end_line=end_line, end_column=end_column)


class StreamCursor:
    """Finds text nodes in the stream, in document order."""

    def __init__(self, source_map: SourceMap) -> None:
        self.stream = source_map.stream
        self.pos = 0

    def find(self, word: str) -> int:
        """Stream index of ``word`` at or after the cursor; the cursor moves past it.

        A word the stream does not hold (the parser repaired something) gets the cursor position,
        which is the closest place known, and leaves the cursor where it was.
        """
        at = self.stream.find(word, self.pos)
        if at < 0:
            return min(self.pos, max(len(self.stream) - 1, 0))
        self.pos = at + len(word)
        return at
