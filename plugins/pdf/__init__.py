"""The PDF loader: text with pypdfium2, statutory table cells from the pages' ruling lines.

pypdfium2 is imported inside :meth:`PdfLoader.load`, so starting the CLI or reading other formats
never pays for it.
"""

from __future__ import annotations

from nianbao import hookimpl
from nianbao.document import Document, Source
from nianbao.loading import LoadContext


class PdfLoader:
    name = "pdf"
    extensions = (".pdf",)

    def sniff(self, head: bytes) -> int:
        # The header may follow a little junk (the PDF reference allows it within the first 1024 bytes).
        return 100 if b"%PDF-" in head[:1024] else 0

    def load(self, data: bytes, source: Source, context: LoadContext) -> Document:
        from .reader import read_pdf

        return read_pdf(data, source, context)


@hookimpl
def nianbao_loaders() -> list[PdfLoader]:
    return [PdfLoader()]
