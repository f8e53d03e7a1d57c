"""Write tests/corpus/pdf/letter_spaced.pdf: a short report whose text a PDF prints with gaps.

Word users space a title out (character spacing, ``w:spacing`` on the run: 年 度 报 告) and set
paragraphs and the 落款 to distributed alignment (``w:jc="distribute"``), which stretches every
line, the last one too, to the full width. A PDF made from such a file has wide gaps between
characters, and PDF text extraction reads them as spaces: ``政 府 信 息 公 开``. The DOCX is written
here (nothing else uses it) and converted with LibreOffice as the seed PDFs are (see pdf_build).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from . import pdf_build
from .docx_build import package
from .layout import CORPUS

OUT_DIR = CORPUS / "pdf"
NAME = "letter_spaced"

TITLE = "某市某局2020年政府信息公开工作年度报告"
HEADING_1 = "一、总体情况"
DISTRIBUTED = (
    "本报告根据《中华人民共和国政府信息公开条例》编制，统计期限为2020年1月1日至2020年12月31日。"
    "全年主动公开政府信息120条。"
)
JUSTIFIED = (
    "2020年，我局认真贯彻落实国家、省、市关于全面推进政务公开的相关要求，以公开促落实，以公开促规范，"
    "以公开促服务，扎实有序地推进政务公开各项工作，及时回应社会关切。"
)
HEADING_6 = "六、其他需要报告的事项"
NOTHING = "本年度无其他需要报告的事项。"
SIGNATURE = ("某市某局", "2021年1月15日")

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def _p(text: str, jc: str | None = None, spacing: int | None = None, size: int = 32, indent: bool = False) -> str:
    """A paragraph; ``spacing`` is the run's extra character spacing in twentieths of a point."""
    ppr = ""
    if jc or indent:
        ppr = "<w:pPr>" + ('<w:ind w:firstLineChars="200"/>' if indent else "")
        ppr += (f'<w:jc w:val="{jc}"/>' if jc else "") + "</w:pPr>"
    spaced = f'<w:spacing w:val="{spacing}"/>' if spacing else ""
    rpr = f'<w:rPr>{spaced}<w:sz w:val="{size}"/></w:rPr>'
    return f"<w:p>{ppr}<w:r>{rpr}<w:t>{escape(text)}</w:t></w:r></w:p>"


def document_xml() -> str:
    body = [
        _p(TITLE, jc="center", spacing=80, size=36),
        _p(HEADING_1, spacing=120),
        _p(DISTRIBUTED, jc="distribute", indent=True),
        _p(JUSTIFIED, jc="both", indent=True),
        _p(HEADING_6, spacing=120),
        _p(NOTHING, indent=True),
        _p(SIGNATURE[0], jc="right", spacing=200),
        _p(SIGNATURE[1], jc="right"),
    ]
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}"><w:body>'
        + "".join(body)
        + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800"/></w:sectPr></w:body></w:document>'
    )


def docx_bytes() -> bytes:
    return package({"[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _RELS, "word/document.xml": document_xml()})


def build(out_dir: Path = OUT_DIR) -> list[Path]:
    if not pdf_build.available():
        return []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / f"{NAME}.docx"
        source.write_bytes(docx_bytes())
        return pdf_build._convert([source], work, out_dir)


if __name__ == "__main__":
    for p in build():
        print(p)
