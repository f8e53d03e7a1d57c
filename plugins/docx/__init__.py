"""The DOCX loader: Word 2007+ documents read straight from the package with zipfile and lxml."""

from __future__ import annotations

from nianbao import hookimpl
from nianbao.document import Document, Source
from nianbao.loading import LoadContext

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_SAVE_AS_DOCX = "无法直接读取，请在 Word 或 WPS 中打开，另存为 .docx 后再检查"
_SPREADSHEET = "是电子表格，不是年度报告；统计表应写在报告正文中（.docx），报告请另存为 .docx 或 .pdf 再检查"


class DocxLoader:
    name = "docx"
    extensions = (".docx", ".docm", ".dotx")
    # Word processors' other formats, and the spreadsheets statistics are often kept in: what to do.
    conversions = {
        ".doc": "Word 97-2003 文档（.doc）" + _SAVE_AS_DOCX,
        ".dot": "Word 97-2003 模板（.dot）" + _SAVE_AS_DOCX,
        ".wps": "WPS 文字文档（.wps）" + _SAVE_AS_DOCX,
        ".wpt": "WPS 文字模板（.wpt）" + _SAVE_AS_DOCX,
        ".rtf": "RTF 文档" + _SAVE_AS_DOCX,
        ".odt": "OpenDocument 文档（.odt）" + _SAVE_AS_DOCX,
        ".xls": "Excel 97-2003 文件（.xls）" + _SPREADSHEET,
        ".xlsx": "Excel 文件（.xlsx）" + _SPREADSHEET,
        ".et": "WPS 表格文件（.et）" + _SPREADSHEET,
        ".ods": "OpenDocument 表格（.ods）" + _SPREADSHEET,
    }

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
