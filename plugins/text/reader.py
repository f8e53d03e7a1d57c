"""From normalised lines to the canonical document: sections, tables and metadata.

Loaders of other file types (HTML, DOCX, PDF) produce :class:`~.normalize.Line` objects with their
own locations and hand them to :func:`read_report`, so every input is read by the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from nianbao.document import Change, Diagnostic, Document, Edition, Source, Table
from nianbao.formats import ReportFormat
from nianbao.loading import InputError, LoadContext, NotAReport

from .meta import level_from_self_reference, read_meta
from .normalize import Line
from .sections import build_sections, find_headings
from .tables import TableReader, Token, label_keys, table_shape, tokenize


class TableSource(Protocol):
    """Tables a loader reads from real structure (DOCX grids, HTML tables) instead of from the lines."""

    def tokens(self) -> list[Token]:
        """Every cell as a token, for deciding which edition the tables are drawn in."""

    def read(self, fmt: ReportFormat) -> tuple[dict[str, Table], list[Diagnostic]]:
        """The statutory tables of edition ``fmt``, and what could not be read with confidence (NB03)."""


def read_report(
    lines: Sequence[Line],
    changes: list[Change],
    source: Source,
    context: LoadContext,
    table_source: TableSource | None = None,
) -> Document:
    """Read ``lines`` into a document; with ``table_source`` the tables come from it, not from the lines."""
    formats = list(context.formats)
    if not formats:
        raise InputError("没有可用的报告格式定义（formats 插件被禁用了吗？）")
    row_keys, markers = label_keys(formats)
    headings = find_headings(lines, formats[-1], row_keys)
    heading_lines = {h.line for h in headings}
    first = headings[0].line if headings else len(lines)
    preamble = list(range(first))
    body = [i for i in range(first, len(lines)) if i not in heading_lines]
    meta, signature_lines = read_meta(lines, preamble, body)

    tokens = tokenize(lines, skip=heading_lines | signature_lines)
    shape = table_shape(table_source.tokens() if table_source else tokens, markers)
    edition = Edition(table_shape=shape)
    year_format = None
    if context.edition:
        year_format = context.format(context.edition)
        edition.decided_by = "configuration"
    elif meta.report_year:
        year_format = context.format_for_year(meta.report_year)
        edition.decided_by = "year" if year_format else None
    if year_format is None and shape:
        year_format = context.format(shape)
        edition.decided_by = "table_shape"
    edition.value = year_format.edition if year_format else None  # type: ignore[assignment]
    meta.edition = edition
    # Read the tables with the edition they are drawn in, so a wrong-edition table keeps its keys.
    read_format = context.format(shape) if shape else year_format or formats[-1]
    if table_source is not None:
        tables, diagnostics = table_source.read(read_format)
        table_lines: set[int] = set()
    else:
        tables, table_lines, diagnostics = TableReader(read_format).read(tokens, lines, heading_lines)

    if not any(h.key for h in headings) and not tables:
        raise NotAReport("文件可以读取，但看不出是政府信息公开工作年度报告（没有找到任何法定章节或表格）")

    sections = build_sections(lines, headings, table_lines | signature_lines, changes)
    from nianbao.plugins import gazetteer

    texts = [meta.title.normalised] if meta.title else []
    texts += [p.text for s in sections if s.kind == "preamble" or s.key == "s1" for p in s.paragraphs]
    meta.region = gazetteer.find_region(meta.organ, texts)
    level = gazetteer.organ_level(meta.organ) if meta.organ else level_from_self_reference(texts)
    meta.organ_level = level  # type: ignore[assignment]
    return Document(
        source=source, meta=meta, sections=sections, tables=tables, changes=changes, diagnostics=diagnostics
    )
