"""The PDF loader: text with pypdfium2, statutory table cells from the pages' ruling lines.

pypdfium2 is imported inside :meth:`PdfLoader.load`, so starting the CLI or reading other formats
never pays for it.
"""

from __future__ import annotations

from nianbao import hookimpl
from nianbao.document import Document, Source
from nianbao.loading import LoadContext

_IMAGE = "是图片：nianbao 只读文字，请提供报告的电子原件（.docx 或带文字层的 .pdf），或先做文字识别（OCR）"
_FIXED_LAYOUT = "无法直接读取，请用阅读器（如数科 OFD 阅读器）导出为 PDF 后再检查"


class PdfLoader:
    name = "pdf"
    extensions = (".pdf",)
    # Page images and the other fixed-layout formats reports are published in: what to do.
    conversions = {
        **{ext: f"{ext} 文件{_IMAGE}" for ext in (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif", ".webp")},
        ".ofd": "OFD 版式文件" + _FIXED_LAYOUT,
        ".xps": "XPS 版式文件" + _FIXED_LAYOUT,
    }

    def sniff(self, head: bytes) -> int:
        # The header may follow a little junk (the PDF reference allows it within the first 1024 bytes).
        return 100 if b"%PDF-" in head[:1024] else 0

    def load(self, data: bytes, source: Source, context: LoadContext) -> Document:
        from .reader import read_pdf

        return read_pdf(data, source, context)


@hookimpl
def nianbao_loaders() -> list[PdfLoader]:
    return [PdfLoader()]
