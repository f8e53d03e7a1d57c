"""The DOCX loader: Word 2007+ documents read straight from the package with zipfile and lxml."""

from __future__ import annotations

from nianbao import hookimpl
from nianbao.document import Document, Source
from nianbao.loading import LoadContext

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class DocxLoader:
    name = "docx"
    extensions = (".docx", ".docm", ".dotx")

    def sniff(self, head: bytes) -> int:
        if head.startswith(b"PK\x03\x04"):
            return 80 if (b"word/" in head or b"[Content_Types].xml" in head) else 40
        if head.startswith(_OLE):
            # Encrypted DOCX files and legacy .doc files are OLE containers: this loader explains them.
            return 50
        return 0

    def load(self, data: bytes, source: Source, context: LoadContext) -> Document:
        from .reader import read_docx

        return read_docx(data, source, context)


@hookimpl
def nianbao_loaders() -> list[DocxLoader]:
    return [DocxLoader()]
