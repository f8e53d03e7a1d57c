"""``--format html``: one self-contained page for people who would rather see their report.

Per report: a summary (counts, verdict, rule set and why), the sections as found, the findings
grouped by section with the offending text and the rule's explanation and legal basis, and the
statutory tables in the format's own layout with every failing cell highlighted and linked to its
findings; what nianbao could not read (NB03) is marked as such. For several reports, an index with
one sortable row per report.

Built to stream: :func:`report_part` renders one report from its own result and document,
:func:`summary_record` reduces a result to the few facts the index needs, and :func:`index_part`
and :func:`page` need nothing else. No network, no external fonts, no emoji; inline CSS and
JavaScript under a Content-Security-Policy that forbids loading anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib import resources

from nianbao import __version__
from nianbao.docs import join_lines
from nianbao.document import Document, Location, Section
from nianbao.lint import FileResult, LintRun
from nianbao.outputs import RenderOptions, repo_path
from nianbao.rules import SEVERITY_RANK, Finding, RuleMeta, Severity
from nianbao.templates import TableSpec, Template

from .common import Streamed, describe_position, has_text_lines
from .console import LABEL, ruleset_note
from .html_tables import Marks, render_table

DOUBT = "NB03"  # what nianbao could not read: shown as such, not as a defect of the report
_SOURCE = {"text": "文本", "html": "网页", "docx": "Word 文档", "pdf": "PDF", "canonical": "规范 JSON"}
_MAX_CELL_LINKS = 24
_MAX_TEXT = 300


@dataclass(frozen=True, slots=True)
class PageContext:
    """What every part of the page shares: rule metadata, templates and the run's settings."""

    rules: Mapping[str, RuleMeta]
    templates: Sequence[Template]
    fail_on: Severity
    root: str


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """One index row: the few facts of a report the batch overview needs."""

    anchor: str
    path: str
    organ: str
    year: str
    ruleset: str
    counts: tuple[int, int, int]  # errors, warnings, infos (an unreadable file is one error)
    worst: str  # the most severe rule with the most findings, ``CODE 名称（n 条）``
    worst_key: int  # sorts by that rule's severity, then by its number of findings
    failed: bool
    unreadable: bool


def _failed(result: FileResult, fail_on: Severity) -> bool:
    threshold = SEVERITY_RANK[fail_on]
    return result.error is not None or any(SEVERITY_RANK[f.severity] >= threshold for f in result.findings)


def _items(result: FileResult) -> list[Finding]:
    return ([result.error] if result.error else []) + list(result.findings)


def summary_record(result: FileResult, anchor: str, context: PageContext) -> ReportSummary:
    items = _items(result)
    counts = tuple(sum(1 for f in items if f.severity == s) for s in ("error", "warning", "info"))
    by_code: dict[str, list[Finding]] = {}
    for f in items:
        by_code.setdefault(f.code, []).append(f)
    worst, worst_key = "", -1
    if by_code:
        code, found = max(
            by_code.items(), key=lambda kv: (max(SEVERITY_RANK[f.severity] for f in kv[1]), len(kv[1]), kv[0])
        )
        worst_key = max(SEVERITY_RANK[f.severity] for f in found) * 1_000_000 + len(found)
        worst = f"{code} {found[0].name}（{len(found)} 条）"
    meta = result.meta
    return ReportSummary(
        anchor=anchor,
        path=repo_path(result.path, context.root),
        organ=str(meta.get("organ") or ""),
        year=str(meta.get("report_year") or ""),
        ruleset="" if result.error else ruleset_note(result),
        counts=counts,  # type: ignore[arg-type]
        worst=worst,
        worst_key=worst_key,
        failed=_failed(result, context.fail_on),
        unreadable=result.error is not None,
    )


# ---------------------------------------------------------------------------------------- one report


def place(loc: Location | None) -> str:
    """Where in the file, in words: 第12行第5列, 第4页第12行, 第3段."""
    if has_text_lines(loc):
        assert loc is not None
        return f"第{loc.line}行" + (f"第{loc.column}列" if loc.column else "")
    return describe_position(loc)


def _order(loc: Location | None) -> tuple[int, int, int]:
    if loc is None:
        return (0, 0, 0)
    return (loc.page or 0, loc.line or 0, loc.paragraph or 0)


def template_of(doc: Document, templates: Sequence[Template]) -> Template | None:
    """The format the tables were read in: the edition they are drawn in, else the report's."""
    wanted = doc.meta.edition.table_shape or doc.meta.edition.value
    return next((f for f in templates if f.edition == wanted), templates[-1] if templates else None)


def _table_of(f: Finding) -> str | None:
    if f.logical is not None and f.logical.table:
        return f.logical.table
    return f.cells[0].split(".")[0] if f.cells else None


def _group_of(f: Finding, doc: Document, template: Template | None) -> str | None:
    """The section a finding belongs to: its own, its table's, or the section its place lies in."""
    if f.logical is not None and f.logical.section:
        return f.logical.section
    table = _table_of(f)
    if table and template is not None and table in template.tables:
        return template.tables[table].section
    at = _order(f.location)
    current: str | None = None
    for section in doc.sections:
        if section.location is not None and _order(section.location) <= at:
            current = section.key
    return current


def table_caption(spec: TableSpec, template: Template) -> str:
    if spec.caption:
        # 第二十条第（一）项：行政法规、规章和规范性文件 (the item text repeats the （一） of the caption)
        item = re.sub(r"^[（(][一二三四五六七八九十]+[）)]", "", str(spec.raw.get("article_20_item") or ""))
        return f"{spec.caption}：{item}" if item else spec.caption
    section = template.section(spec.section)
    return f"表{section.number}（{section.title_text}）" if section else spec.id


def _row_name(spec: TableSpec, key: str) -> str:
    row = next((r for r in spec.rows if r.key == key), None)
    label = (row.label or "") if row else key
    return f"“{label if len(label) <= 16 else label[:15] + '…'}”行" if label else "数据行"


def _column_name(spec: TableSpec, key: str) -> str:
    column = spec.column(key)
    if column is None:
        return key
    twice = sum(1 for c in spec.columns if c.label == column.label) > 1  # 表四's 结果维持 under three groups
    return f"{column.group}/{column.label}" if twice and column.group else column.label


def cell_links(refs: Sequence[str], template: Template | None, anchor: str) -> str:
    """Links to the cells a finding names, the cells of one row together:
    表三“一、本年新收…”行：自然人、总计; a row or a table as one link."""
    out: list[str] = []
    group: tuple[str, str] | None = None
    for ref in refs:
        parts = ref.split(".")
        spec = template.tables.get(parts[0]) if template is not None else None
        target = f"#{anchor}-c-{ref.replace('.', '-')}"
        if spec is None or template is None:
            out.append(f'<a href="{target}">{escape(ref)}</a>')
            group = None
            continue
        name = spec.short_name
        if len(parts) == 1:
            out.append(f'<a href="{target}">{escape(name)}</a>')
            group = None
        elif len(parts) == 2:
            first = f"{anchor}-c-{parts[0]}-{parts[1]}-{spec.columns[0].key}" if spec.columns else target[1:]
            out.append(f'<a href="#{first}">{escape(name + _row_name(spec, parts[1]))}</a>')
            group = None
        else:
            link = f'<a href="{target}">{escape(_column_name(spec, parts[2]))}</a>'
            if group == (parts[0], parts[1]):
                out[-1] += "、" + link
            else:
                out.append(f"{escape(name + _row_name(spec, parts[1]))}：{link}")
                group = (parts[0], parts[1])
    return "；".join(out)


def _marks(findings: Sequence[tuple[Finding, str]]) -> Marks:
    """Which cells each finding highlights: its cell references, else its row or column header."""
    marks = Marks()
    for f, anchor in findings:
        title = f"{f.code} {f.message}"
        refs = list(f.cells)
        if not refs and f.logical is not None and f.logical.table and f.logical.column and not f.logical.row:
            refs = [f"{f.logical.table}.@{f.logical.column}"]  # a column header (TB03)
        for ref in refs:
            marks.add(ref, f.severity, anchor, title, doubt=f.code == DOUBT)
    return marks


def _finding_html(f: Finding, anchor: str, context: PageContext, template: Template | None, cell_anchor: str) -> str:
    doubt = f.code == DOUBT
    classes = f"finding sev-{f.severity}" + (" doubt" if doubt else "")
    badges = f'<span class="badge sev-{f.severity}">{LABEL[f.severity]}</span>'
    if doubt:
        badges += ' <span class="badge doubt">读取存疑</span>'
    out = [
        f'<li class="{classes}" id="{anchor}">',
        f'<p>{badges}<span class="code">{escape(f.code)}</span>{escape(f.message)}'
        f'<span class="where">{escape(place(f.location))}</span></p>',
    ]
    text = (f.location.text or "").strip() if f.location else ""
    if text:
        shown = text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"
        out.append(f'<pre class="text">{escape(shown)}</pre>')
    if f.cells:
        more = f"（共 {len(f.cells)} 处）" if len(f.cells) > _MAX_CELL_LINKS else ""
        what = "没能可靠读取" if doubt else "涉及"
        out.append(f'<p class="cells">{what}：{cell_links(f.cells[:_MAX_CELL_LINKS], template, cell_anchor)}{more}</p>')
    for x in f.related:
        where = place(x.location)
        out.append(f'<p class="related">相关：{escape(x.path)} {escape(where)}：{escape(x.message)}</p>')
    meta = context.rules.get(f.code)
    if meta is not None:
        out.append(
            f"<details><summary>为什么：{escape(meta.summary)}</summary>"
            f"<p>{escape(join_lines(meta.rationale))}</p><p>依据：{escape(meta.basis)}</p></details>"
        )
    out.append("</li>")
    return "\n".join(out)


def _source_label(doc: Document | None) -> str:
    if doc is None:
        return ""
    return _SOURCE.get(doc.source.format, doc.source.format)


def report_part(result: FileResult, doc: Document | None, anchor: str, context: PageContext, back: bool) -> str:
    """One report's section of the page, from its own result and document alone."""
    summary = summary_record(result, anchor, context)
    items = _items(result)
    anchored = [(f, f"{anchor}-f{n}") for n, f in enumerate(items, start=1)]
    out = [f'<section class="report" id="{anchor}">']
    if back:
        out.append('<a class="back" href="#index">返回总览</a>')
    out.append(f"<h2>{escape(summary.path)}</h2>")
    facts = [summary.organ, f"{summary.year} 年度" if summary.year else ""]
    edition = result.meta.get("edition")
    facts += [f"{edition} 年格式" if edition else "", _source_label(doc)]
    facts += [f"规则集 {summary.ruleset}" if summary.ruleset else ""]
    out.append(f'<p class="facts">{escape(" · ".join(x for x in facts if x))}</p>')
    errors, warnings, infos = summary.counts
    verdict = "无法检查" if summary.unreadable else "未通过" if summary.failed else "通过"
    out.append(
        f'<p class="counts"><span class="verdict {"fail" if summary.failed else "pass"}">{verdict}</span>'
        f"<span>错误 {errors}</span><span>警告 {warnings}</span><span>提示 {infos}</span></p>"
    )
    doubts = sum(1 for f in items if f.code == DOUBT)
    if doubts:
        out.append(
            f'<p class="note">nianbao 有 {doubts} 处没能可靠读取（标为“读取存疑”的内容与格），'
            "这些地方没有检查过，请对照原件核对。</p>"
        )
    if doc is None:
        out.append('<ol class="findings">')
        out += [_finding_html(f, a, context, None, anchor) for f, a in anchored]
        out += ["</ol>", "</section>"]
        return "\n".join(out)
    template = template_of(doc, context.templates)
    out.append(_outline(doc, template, anchor))
    groups: dict[str | None, list[tuple[Finding, str]]] = {}
    for f, a in anchored:
        groups.setdefault(_group_of(f, doc, template), []).append((f, a))
    marks = _marks(anchored)
    referenced = {ref.split(".")[0] for f in items for ref in f.cells}
    keys: list[str | None] = [None] + ([s.key for s in template.sections] if template else [])
    keys += [k for k in groups if k not in keys]
    for key in keys:
        section = doc.section(key) if key else None
        tables = _tables_of(key, doc, template, referenced)
        found = groups.get(key, [])
        if key is None and not found:
            continue
        if key is not None and section is None and not found and not tables:
            continue
        out.append(_section_heading(key, section, template, anchor))
        if found:
            out.append('<ol class="findings">')
            out += [_finding_html(f, a, context, template, anchor) for f, a in found]
            out.append("</ol>")
        elif section is not None:
            out.append('<p class="note">这一部分没有发现问题。</p>')
        for spec in tables:
            assert template is not None
            caption = table_caption(spec, template)
            out.append(render_table(spec, doc.tables.get(spec.id), marks, anchor, caption))
    out.append("</section>")
    return "\n".join(out)


def _tables_of(key: str | None, doc: Document, template: Template | None, referenced: set[str]) -> list[TableSpec]:
    """The statutory tables of a section: those in the report, and missing ones a finding names."""
    if key is None or template is None:
        return []
    return [s for s in template.tables.values() if s.section == key and (s.id in doc.tables or s.id in referenced)]


def _section_heading(key: str | None, section: Section | None, template: Template | None, anchor: str) -> str:
    target = f'id="{anchor}-s-{key or "head"}"'
    if key is None:
        return f"<h3 {target}>标题与前言</h3>"
    spec = template.section(key) if template else None
    expected = spec.title if spec else key
    if section is None:
        return f'<h3 {target} class="absent-part">{escape(expected)}（报告中缺少这一部分）</h3>'
    written = section.heading or section.title or expected
    where = place(section.location)
    return f'<h3 {target}>{escape(written)}<span class="where">{escape(where)}</span></h3>'


def _outline(doc: Document, template: Template | None, anchor: str) -> str:
    """The sections as found, in the format's order; a missing one says so."""
    if template is None:
        return ""
    items = []
    for spec in template.sections:
        section = doc.section(spec.key)
        if section is None:
            items.append(f'<li class="missing">缺少：{escape(spec.title)}</li>')
        else:
            written = section.heading or section.title or spec.title
            items.append(f'<li><a href="#{anchor}-s-{spec.key}">{escape(written)}</a></li>')
    return '<ul class="outline">' + "".join(items) + "</ul>"


# ---------------------------------------------------------------------------------------- the page


def index_part(summaries: Sequence[ReportSummary]) -> str:
    """One sortable row per report: the portal operator's overview."""
    heads = [
        ("文件", "text", ""),
        ("机关", "text", ""),
        ("年度", "number", "num"),
        ("规则集", "text", ""),
        ("错误", "number", "num"),
        ("警告", "number", "num"),
        ("提示", "number", "num"),
        ("最严重的规则", "number", ""),
        ("结论", "text", ""),
    ]
    out = ['<section class="index" id="index">', f"<h2>总览（{len(summaries)} 份报告）</h2>"]
    out.append('<p class="note">点击列名排序。</p><div class="scroll"><table class="sortable"><thead><tr>')
    out += [
        f'<th data-type="{kind}" class="{css}" scope="col"><button type="button">{name}</button></th>'
        for name, kind, css in heads
    ]
    out.append("</tr></thead><tbody>")
    for n, s in enumerate(summaries):
        verdict = "无法检查" if s.unreadable else "未通过" if s.failed else "通过"
        cells = [
            (s.path, f'<a href="#{s.anchor}">{escape(s.path)}</a>', ""),
            (s.organ, escape(s.organ), ""),
            (s.year or "0", escape(s.year), "num"),
            (s.ruleset, escape(s.ruleset), ""),
            *((str(c), str(c), "num") for c in s.counts),
            (str(s.worst_key), escape(s.worst), ""),
            (verdict, verdict, "verdict"),
        ]
        row = "".join(f'<td data-value="{escape(v)}" class="{css}">{html}</td>' for v, html, css in cells)
        out.append(f'<tr data-order="{n}" class="{"fail" if s.failed else "pass"}">{row}</tr>')
    out.append("</tbody></table></div></section>")
    return "\n".join(out)


def run_header(summaries: Sequence[ReportSummary], run: LintRun, context: PageContext) -> str:
    """Title, totals, the gate and what the run could not do; only summaries and run-level facts."""
    errors = sum(s.counts[0] for s in summaries)
    warnings = sum(s.counts[1] for s in summaries)
    infos = sum(s.counts[2] for s in summaries)
    failed = sum(1 for s in summaries if s.failed)
    out = ['<header class="run">', "<h1>政府信息公开工作年度报告检查结果</h1>"]
    out.append(
        f"<p>共检查 {len(summaries)} 份报告：错误 {errors}，警告 {warnings}，提示 {infos}；"
        f"{failed} 份未通过（“{LABEL[context.fail_on]}”及以上的问题使检查不通过）。</p>"
    )
    out.append(
        '<p class="legend">表格中的标记：<span class="swatch-error">错误</span><span class="swatch-warning">警告</span>'
        '<span class="swatch-info">提示</span><span class="swatch-doubt">读取存疑</span>（点击格子跳到对应的问题）</p>'
    )
    if run.skipped:
        out.append(f'<details class="skipped"><summary>已跳过 {len(run.skipped)} 个文件</summary><ul>')
        out += [f"<li>{escape(repo_path(x.path, context.root))}：{escape(x.reason)}</li>" for x in run.skipped]
        out.append("</ul></details>")
    if run.problems:
        out.append('<ul class="problems">' + "".join(f"<li>警告：{escape(p)}</li>" for p in run.problems) + "</ul>")
    out.append(f'<p class="muted">nianbao {escape(__version__)}</p></header>')
    return "\n".join(out)


@cache
def _asset(name: str) -> str:
    return resources.files("nianbao.plugins.emitters").joinpath(name).read_text("utf-8")


def page(parts: Iterable[str]) -> str:
    """The whole file: head with the inline style and script, then ``parts`` in order."""
    return "".join(page_pieces(parts))


def page_pieces(parts: Iterable[str]) -> Iterator[str]:
    """:func:`page` a part at a time."""
    yield (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>nianbao 检查结果</title>\n"
        f"<style>\n{_asset('report.css')}</style>\n</head>\n<body>\n<main>\n"
    )
    separator = ""
    for part in parts:
        yield separator + part
        separator = "\n"
    yield f"\n</main>\n<script>\n{_asset('report.js')}</script>\n</body>\n</html>\n"


class HtmlOutput(Streamed):
    name = "html"
    description = "HTML 网页：报告的章节和统计表，标出有问题的格（单个文件，离线可用）"
    machine = True  # written as UTF-8 bytes, whatever the console's code page

    def stream(self, run: LintRun, color: bool, options: RenderOptions | None = None) -> Iterator[str]:
        """The overview from every report's summary (a first pass over the results), then each report
        (a second pass), written as it is rendered."""
        options = options or RenderOptions()
        context = PageContext(run.rules, run.templates, run.fail_on, options.root)
        several = len(run.results) > 1
        summaries = [summary_record(result, f"r{n}", context) for n, result in enumerate(run.results, start=1)]
        head = [run_header(summaries, run, context)]
        if several:
            head.append(index_part(summaries))

        def parts() -> Iterator[str]:
            yield from head
            for n, result in enumerate(run.results, start=1):
                doc = run.documents(result.path) if result.error is None else None
                yield report_part(result, doc, f"r{n}", context, back=several)

        yield from page_pieces(parts())
