"""The text loader: ``.txt``, ``.md`` and text files of unknown extension."""

from __future__ import annotations

from nianbao import hookimpl
from nianbao.document import Document, Source
from nianbao.loading import LoadContext


class TextLoader:
    name = "text"
    extensions = (".txt", ".text", ".md", ".markdown")

    def sniff(self, head: bytes) -> int:
        # Anything that is not a known binary container may be text; stronger signatures win.
        if head.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
            return 0
        if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return 0
        return 10

    def load(self, data: bytes, source: Source, context: LoadContext) -> Document:
        from .decode import decode
        from .normalize import normalise
        from .reader import read_report

        text, source.encoding = decode(data)
        lines, changes, source.traditional_converted = normalise(text)
        return read_report(lines, changes, source, context)


@hookimpl
def nianbao_loaders() -> list[TextLoader]:
    return [TextLoader()]
