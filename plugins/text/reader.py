"""From normalised lines to the canonical document: sections, tables and metadata.

Loaders of other file types (HTML, DOCX, PDF) produce :class:`~.normalize.Line` objects with their
own locations, and the table grids they found, and hand them to :func:`read_report`, so every input
is read by the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence

from nianbao.document import Change, Document, Edition, Source
from nianbao.loading import InputError, LoadContext, NotAReport
from nianbao.plugins.assembler import Grid, assemble, template_labels, tokenize

from .markdown import pipe_tables
from .meta import cut_tail, level_from_self_reference, read_meta
from .normalize import Line
from .sections import build_sections, cut_at_headings, find_headings, lost_numbers


def read_report(
    lines: Sequence[Line],
    changes: list[Change],
    source: Source,
    context: LoadContext,
    grids: Sequence[Grid] = (),
) -> Document:
    """Read ``lines`` and the table ``grids`` a loader found into a document.

    Tables come from the grids first; a table no grid holds is looked for in the lines.
    """
    templates = list(context.templates)
    if not templates:
        raise InputError("没有可用的报告格式定义（formats 插件被禁用了吗？）")
    labels = template_labels(templates)
    lines = cut_tail(cut_at_headings(lines, templates[-1]))
    pipe_grids, pipe_lines = pipe_tables(lines, labels)
    grids = [*grids, *pipe_grids]
    headings = find_headings(lines, templates[-1], labels.row_keys, skip=pipe_lines)
    heading_lines = {h.line for h in headings}
    first = headings[0].line if headings else len(lines)
    preamble = list(range(first))
    body = [i for i in range(first, len(lines)) if i not in heading_lines]
    meta, signature_lines = read_meta(lines, preamble, body)

    tokens = tokenize(lines, skip=heading_lines | signature_lines | pipe_lines)
    printed = [c.text for g in grids for c in g.cells if c.text]
    printed += [t.text for t in tokens if t.value is None and t.text]
    shape = labels.shape(printed)
    edition = Edition(table_shape=shape)  # type: ignore[arg-type]
    year_template = None
    if context.edition:
        year_template = context.template(context.edition)
        edition.decided_by = "configuration"
    elif meta.report_year:
        year_template = context.template_for_year(meta.report_year)
        edition.decided_by = "year" if year_template else None
    if year_template is None and shape:
        year_template = context.template(shape)
        edition.decided_by = "table_shape"
    edition.value = year_template.edition if year_template else None  # type: ignore[assignment]
    meta.edition = edition
    # Read the tables with the edition they are drawn in, so a wrong-edition table keeps its keys.
    read_template = context.template(shape) if shape else year_template or templates[-1]
    assembled = assemble(read_template, templates, grids, tokens, lines, {h.line: h.key for h in headings})
    tables, table_lines, diagnostics = assembled.tables, assembled.lines, assembled.diagnostics

    if not any(h.key for h in headings) and not tables:
        raise NotAReport("文件可以读取，但看不出是政府信息公开工作年度报告（没有找到任何法定章节或表格）")

    diagnostics += lost_numbers(headings, lines)
    sections = build_sections(lines, headings, table_lines | signature_lines | pipe_lines, changes)
    from nianbao.plugins import gazetteer

    texts = [meta.title.normalised] if meta.title else []
    texts += [p.text for s in sections if s.kind == "preamble" or s.key == "s1" for p in s.paragraphs]
    meta.region = gazetteer.find_region(meta.organ, texts)
    level = gazetteer.organ_level(meta.organ) if meta.organ else level_from_self_reference(texts)
    meta.organ_level = level  # type: ignore[assignment]
    return Document(
        source=source, meta=meta, sections=sections, tables=tables, changes=changes, diagnostics=diagnostics
    )
