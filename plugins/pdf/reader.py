"""From PDF bytes to the canonical document."""

from __future__ import annotations

import re

from nianbao.document import Diagnostic, Document, Located, Location, Source
from nianbao.loading import InputError, LoadContext
from nianbao.plugins.assembler import template_labels
from nianbao.plugins.text.normalize import check_size, normalise
from nianbao.plugins.text.reader import read_report

from .assemble import assemble, cell_texts, grids, statutory_parts
from .bombs import check_decoded_size
from .grids import find_tables, holds_table
from .pages import has_text_layer, open_pdf, read_pages


def read_pdf(data: bytes, source: Source, context: LoadContext) -> Document:
    check_decoded_size(data)
    pdf = open_pdf(data)
    try:
        pages = read_pages(pdf)
        if not has_text_layer(pages):
            raise InputError(
                "PDF 没有文字层（是扫描图像），无法读取其中的文字；请提供原始电子文件（如 Word 或带文字的 PDF），"
                "或先做文字识别（OCR）",
                code="NB02",
            )
        check_size("\n".join(line.text for page in pages for line in page.lines))  # before any table is looked for
        labels = template_labels(list(context.templates))
        table_pages = [p.number for p in pages if holds_table(p, labels.printed)]
        tables = find_tables(data, pages, table_pages, labels.printed)
        statutory = statutory_parts(tables, labels)
        lines, places = assemble(pages, tables, statutory)
        cells, cell_places = cell_texts(statutory)
        properties = _document_information(pdf)
    finally:
        for page in locals().get("pages", []):
            page.textpage.close()
        pdf.close()
    normalised, changes, source.traditional_converted = normalise("\n".join(lines + cells), places + cell_places)
    body = normalised[: len(lines)]
    document = read_report(body, changes, source, context, grids(statutory, normalised[len(lines) :]))
    for number in tables.failed:
        document.diagnostics.append(
            Diagnostic("NB03", "这一页的表格结构无法识别，表格数值按页面文字读取，请人工核对", Location(page=number))
        )
    document.meta.properties.update(properties)
    return document


# The PDF's document information dictionary, under the names the DOCX loader uses for the same facts.
_INFO_KEYS = {"Title": "title", "Author": "author", "CreationDate": "created", "ModDate": "modified"}
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?")


def _document_information(pdf) -> dict[str, Located]:  # noqa: ANN001 - pypdfium2 PdfDocument
    found: dict[str, Located] = {}
    try:
        info = pdf.get_metadata_dict()
    except Exception:  # a damaged info dictionary must not cost the report itself
        return found
    for key, name in _INFO_KEYS.items():
        value = " ".join(str(info.get(key) or "").split())
        if not value:
            continue
        if name in ("created", "modified") and (m := _PDF_DATE.match(value)):
            y, mo, d, h, mi, sec = (g or "00" for g in m.groups())
            value = f"{y}-{mo}-{d}T{h}:{mi}:{sec}"
        found[name] = Located(value, Location(text=value))
    return found
