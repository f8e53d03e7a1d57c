"""CN rules: what the prose says against what the tables (and the page) say.

The text patterns live in the format data (``text_table_links``: a pattern list and either a
``table_ref`` whose value the captured number must equal, or ``implies_zero`` cells that a "none"
statement requires to be 0). A rule set can add wordings through a rule's ``links`` parameter; a
link of the format data wins over a parameter link with the same id. A link may also set the words
around its matches that make them irrelevant (``ignore_before``, ``ignore_inside``, ``window_before``,
``window_after``), overriding the rule's parameters.

A blank total cell is compared through the format's identities (its parts summed); cells the reader
doubted but whose possible readings it listed (``Diagnostic.candidates``) are compared with each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nianbao.document import Cell, Document, Location, Paragraph, show_number
from nianbao.identities import Equation, expand
from nianbao.numbers import bounded_int, mask_long_numbers
from nianbao.rules import BaseRule, Finding, Rule, RuleContext, RuleMeta
from nianbao.templates import TableSpec, Template

from .prose import is_page_number, prose, snippet

# ----------------------------------------------------------------------------------- section text


@dataclass(slots=True)
class SectionText:
    """The paragraphs of some sections as one string (PDF extraction cuts sentences into paragraphs),
    with the way back to each paragraph."""

    key: str
    text: str
    pieces: list[tuple[int, Paragraph]]

    @classmethod
    def of(cls, doc: Document, keys: Iterable[str]) -> list[SectionText]:
        out = []
        for key in keys:
            pieces: list[tuple[int, Paragraph]] = []
            pos = 0
            for _, paragraph in prose(doc, [key]):
                if is_page_number(paragraph.text.strip()):
                    continue
                pieces.append((pos, paragraph))
                pos += len(paragraph.text)
            if pieces:
                out.append(cls(key, mask_long_numbers("".join(p.text for _, p in pieces)), pieces))
        return out

    def locate(self, start: int, end: int) -> Location | None:
        for offset, paragraph in reversed(self.pieces):
            if offset <= start:
                return paragraph.locate(start - offset, min(end - offset, len(paragraph.text)))
        return None


# ------------------------------------------------------------------------------------------ links


# What a link may say about the words around its matches, overriding the rule's parameters.
_CONTEXT_KEYS = ("ignore_inside", "ignore_before", "window_before", "window_after")


@dataclass(frozen=True, slots=True)
class Link:
    """How the prose states one of a table's numbers: the patterns, and the cells they refer to."""

    id: str
    patterns: tuple[re.Pattern[str], ...]
    refs: tuple[str, ...]  # cells whose sum the stated number must equal
    zero: tuple[str, ...]  # cells a "none" statement requires to be 0
    context: tuple[tuple[str, Any], ...] = ()  # (parameter, value) pairs of _CONTEXT_KEYS the link sets


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


# Per format and parameter list (both live as long as the run, and are kept here so that nothing else
# takes their ids): the links are the same for every report.
_LINKS: dict[tuple[int, int, str], tuple[object, object, list[Link]]] = {}


def links(ctx: RuleContext, table: str) -> list[Link]:
    """The links of ``table`` (e.g. ``t3``): format data first, then the rule's parameter links."""
    template, extra = _template(ctx), ctx.params.get("links")
    key = (id(template), id(extra), table)
    if key not in _LINKS:
        _LINKS[key] = (template, extra, _links(template, extra, table))
    return _LINKS[key][2]


def _links(template: Template | None, extra: Any, table: str) -> list[Link]:
    raw: dict[str, Mapping[str, Any]] = {}
    for item in [*(template.data.get("text_table_links") or () if template else ()), *(extra or ())]:
        raw.setdefault(str(item.get("id")), item)
    out = []
    for link_id, item in raw.items():
        patterns = _as_tuple(item.get("text_patterns"))
        refs, zero = _as_tuple(item.get("table_ref")), _as_tuple(item.get("implies_zero"))
        cells = refs + zero
        if not patterns or not cells or any(c.split(".")[0] != table for c in cells):
            continue
        if template is not None and not all(_ref_known(template, c) for c in cells):
            continue  # a column of the other edition (本年新公开数量 in a 2021 report)
        context = tuple((k, item[k]) for k in _CONTEXT_KEYS if k in item)
        out.append(Link(link_id, tuple(re.compile(p) for p in patterns), refs, zero, context))
    return out


def _template(ctx: RuleContext) -> Template | None:
    if ctx.template is not None:
        return ctx.template
    return next((f for f in ctx.templates if f.data.get("text_table_links")), None)


def _ref_known(template: Template, ref: str) -> bool:
    table, row, column = ref.split(".")
    spec = template.tables.get(table)
    if spec is None or not any(r.key == row for r in spec.rows):
        return False
    return column == "*" or spec.column(column) is not None


def _cells(doc: Document, ref: str) -> list[tuple[str, Cell]]:
    table_id, row_key, column = ref.split(".")
    table = doc.tables.get(table_id)
    row = table.rows.get(row_key) if table else None
    if row is None:
        return []
    if column == "*":
        return [(f"{table_id}.{row_key}.{k}", c) for k, c in row.cells.items()]
    cell = row.cells.get(column)
    return [(ref, cell)] if cell is not None else []


def _number(cell: Cell) -> int | float | None:
    return cell.value if cell.state == "number" and isinstance(cell.value, int | float) else None


@dataclass(frozen=True, slots=True)
class _Value:
    """A table value the prose is compared with: a cell's number, or a blank total computed from its parts."""

    ref: str
    cell: Cell | None
    value: int | float
    parts: tuple[Cell, ...] = ()  # the cells a blank total was computed from

    def shown(self, lead: str = "") -> str:
        if not self.parts:
            return f"{lead}{show_number(self.value)}"
        return f"为空，按其各项合计为 {show_number(self.value)}"


def _value(doc: Document, ctx: RuleContext, ref: str) -> _Value | None:
    """The number in cell ``ref``; for a blank (or ``/``, ``—``) cell, the sum its identity gives
    (the row's applicant columns for 总计, the outcome rows for （七）总计) when every part is a number."""
    found = _cells(doc, ref)
    if not found:
        return None
    cell = found[0][1]
    number = _number(cell)
    if number is not None:
        return _Value(ref, cell, number)
    if cell.state not in ("blank", "slash", "dash"):
        return None
    table_id, row, column = ref.split(".")
    for eq in _equations(ctx, table_id):
        if eq.lhs != ((row, column),):
            continue
        parts = [_cells(doc, f"{table_id}.{r}.{c}") for r, c in eq.rhs]
        numbers = [_number(p[0][1]) if p else None for p in parts]
        if all(n is not None for n in numbers):
            return _Value(ref, cell, sum(n or 0 for n in numbers), tuple(p[0][1] for p in parts))
    return None


_EQUATIONS: dict[int, tuple[TableSpec, list[Equation]]] = {}


def _candidates_side(doc: Document, ctx: RuleContext, refs: Sequence[str], stated: int) -> str | None:
    """What the table says of cells the reader could not read but whose possible readings it listed
    (the splits of a digit run, NB03), when none of them gives ``stated``; None when one does or
    nothing was listed (a missing or blank cell is TB01/TB02/TB04's business, a doubted one NB03's)."""
    read = {r: v.value for r in refs if (v := _value(doc, ctx, r)) is not None}
    doubt = next(
        (d for d in doc.diagnostics if d.candidates and all(r in read or r in d.candidates[0] for r in refs)),
        None,
    )
    if doubt is None:
        return None
    totals: list[int | float] = []
    for reading in doubt.candidates:
        total = sum(read[r] if r in read else reading[r] for r in refs)
        if total == stated:
            return None
        if total not in totals:
            totals.append(total)
    names = "、".join(cell_name(ctx, r, with_table=i == 0) for i, r in enumerate(refs))
    return f"{names}的数字连在一起，可能的读法为 {'或'.join(show_number(t) for t in totals)}，都不是 {stated}"


def _equations(ctx: RuleContext, table_id: str) -> list[Equation]:
    """The sum equations of a table of the format (expanded once per table spec)."""
    template = _template(ctx)
    spec = template.tables.get(table_id) if template else None
    if spec is None:
        return []
    cached = _EQUATIONS.get(id(spec))
    if cached is None or cached[0] is not spec:
        cached = _EQUATIONS[id(spec)] = (spec, expand(spec))
    return cached[1]


def cell_name(ctx: RuleContext, ref: str, with_table: bool = True) -> str:
    """``表三“一、本年新收政府信息公开申请数量”行“总计”列``, from the format's own labels."""
    template = _template(ctx)
    table_id, row_key, column = ref.split(".")
    spec = template.tables.get(table_id) if template else None
    if template is None or spec is None:
        return ref
    name = f"表{spec.number}" if with_table else ""
    if spec.caption and with_table:
        name += f"“{spec.caption}”"
    row = next((r for r in spec.rows if r.key == row_key), None)
    if row is not None and row.label:
        name += f"“{row.label}”行"
    col = spec.column(column)
    if col is not None:
        path = [*(col.group.split("/") if col.group else ()), col.label]
        name += f"“{'—'.join(path)}”列"
    return name


def _group_name(ctx: RuleContext, refs: Sequence[str]) -> str | None:
    """``表三“（四）无法提供”各行“总计”列`` when ``refs`` are one column of every row of a group."""
    template = _template(ctx)
    if template is None or len(refs) < 2 or len({r.rsplit(".", 1)[1] for r in refs}) != 1:
        return None
    table_id, _, column = refs[0].split(".")
    spec = template.tables.get(table_id)
    rows = {r.split(".")[1] for r in refs}
    parents = {row.parent for row in spec.rows if row.key in rows} if spec else set()
    if spec is None or len(parents) != 1 or None in parents:
        return None
    group = next((r for r in spec.rows if r.key in parents), None)
    if group is None or {r.key for r in spec.rows if r.parent == group.key and r.data} != rows:
        return None
    col = spec.column(column)
    return f"{table_name(ctx, table_id)}“{group.label}”各行“{col.label if col else column}”列"


def table_name(ctx: RuleContext, table_id: str) -> str:
    template = _template(ctx)
    spec = template.tables.get(table_id) if template else None
    return f"表{spec.number}" if spec and spec.number else table_id


_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


# ------------------------------------------------------------------------------------------ rules


class ProseTableRule(BaseRule):
    """Numbers (or "none") stated in the prose of some sections against cells of one table."""

    table = ""

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        if self.table not in doc.tables:
            return
        table_links = links(ctx, self.table)
        if not table_links:
            return
        seen: set[tuple[tuple[str, ...], int, int]] = set()
        for section in SectionText.of(doc, ctx.params.get("sections", ())):
            for link in table_links:
                for pattern in link.patterns:
                    for m in pattern.finditer(section.text):
                        if not self._relevant(section.text, m, doc, {**ctx.params, **dict(link.context)}):
                            continue
                        finding = self._compare(doc, ctx, link, section, m, seen)
                        if finding is not None:
                            yield finding

    def _relevant(self, text: str, m: re.Match[str], doc: Document, params: Mapping[str, Any]) -> bool:
        """False when the match is about something else: another procedure, another year."""
        after = text[m.end() : m.end() + int(params.get("window_after", 0))]
        if any(w in m.group(0) + after for w in params.get("ignore_inside", ())):
            return False
        before = text[max(0, m.start() - int(params.get("window_before", 10))) : m.start()]
        if any(w in before for w in params.get("ignore_before", ())):
            return False
        year = doc.meta.report_year
        return year is None or all(int(y) == year for y in _YEAR.findall(before + m.group(0)))

    def _compare(
        self,
        doc: Document,
        ctx: RuleContext,
        link: Link,
        section: SectionText,
        m: re.Match[str],
        seen: set[tuple[tuple[str, ...], int, int]],
    ) -> Finding | None:
        groups = [i for i in range(1, (m.re.groups or 0) + 1) if (m.group(i) or "").isdigit()]
        if link.refs and groups:
            g = groups[-1]
            key = (link.refs, m.start(g), 0)
            if key in seen:
                return None
            seen.add(key)
            stated = bounded_int(m.group(g))
            if stated is None:
                return None  # not a count: digits no report has (a garbled number is NB03/TB04's business)
            said = f"正文与{table_name(ctx, self.table)}不一致：正文“{snippet(m.group(0), 30)}”为 {stated} 件，"
            values = [_value(doc, ctx, ref) for ref in link.refs]
            if any(v is None for v in values):
                side = _candidates_side(doc, ctx, link.refs, stated)
                rows = [r.split(".")[1] for r in link.refs]
                return self._finding(doc, said + side, section, m, [], rows=rows, extraction=True) if side else None
            read = [v for v in values if v is not None]
            total = sum(v.value for v in read)
            if total == stated:
                return None
            group = _group_name(ctx, link.refs)
            if len(read) == 1:
                table_side = f"{cell_name(ctx, read[0].ref)}{read[0].shown('为 ')}"
            elif group is not None:
                blank = "（其中空格按其各项合计）" if any(v.parts for v in read) else ""
                table_side = f"{group}合计为 {show_number(total)}{blank}"
            else:
                parts = " + ".join(
                    f"{cell_name(ctx, v.ref, with_table=i == 0)} {v.shown()}" for i, v in enumerate(read)
                )
                table_side = f"{parts} = {show_number(total)}"
            return self._finding(doc, said + table_side, section, m, [(v.ref, v.cell) for v in read], computed=read)
        if link.zero:
            key = (link.zero, m.start(), 1)
            if key in seen:
                return None
            seen.add(key)
            cells = [c for ref in link.zero for c in _cells(doc, ref)]
            nonzero = [(r, c) for r, c in cells if (_number(c) or 0) > 0]
            if not nonzero:
                return None
            totals = [(r, c) for r, c in nonzero if r.rsplit(".", 1)[1] in ("total",) or r.endswith("_total")]
            shown = (totals or nonzero)[:3]
            table_side = "、".join(
                f"{cell_name(ctx, r, with_table=i == 0)}为 {show_number(_number(c) or 0)}"
                for i, (r, c) in enumerate(shown)
            )
            message = f"正文与{table_name(ctx, self.table)}不一致：正文称“{snippet(m.group(0), 30)}”，但{table_side}"
            return self._finding(doc, message, section, m, nonzero)
        return None

    def _finding(
        self,
        doc: Document,
        message: str,
        section: SectionText,
        m: re.Match[str],
        cells: Sequence[tuple[str, Cell | None]],
        computed: Sequence[_Value] = (),
        rows: Sequence[str] = (),
        extraction: bool = False,
    ) -> Finding:
        table = doc.tables[self.table]
        extraction = (
            extraction
            or table.origin == "extraction"
            or any(c is not None and c.origin == "extraction" for _, c in cells)
            or any(c.origin == "extraction" for v in computed for c in v.parts)
        )
        row = {r.split(".")[1] for r, _ in cells} | set(rows)
        column = {r.split(".")[2] for r, _ in cells}
        return self.finding(
            message,
            section.locate(m.start(), m.end()),
            section=section.key,
            table=self.table,
            row=row.pop() if len(row) == 1 else None,
            column=column.pop() if len(column) == 1 else None,
            origin="extraction" if extraction else "document",
        )


# Words that make a statement about something other than the table's subject.
_NOT_APPLICATIONS = ["复议", "诉讼", "信访", "举报", "投诉", "减免", "收费", "许可", "咨询", "来电", "来信"]
_OTHER_TIME = ["上年", "去年", "上一年", "同比", "较", "累计", "以来", "历年", "其中", "予以公开", "部分公开", "不予"]


class ApplicationsConsistencyRule(ProseTableRule):
    table = "t3"
    meta = RuleMeta(
        code="CN01",
        name="consistency.applications",
        severity="error",
        summary="正文所述收到、结转、办结的政府信息公开申请数和各类办理结果的件数应与表三一致",
        rationale=(
            "《政府信息公开条例》第五十条第（二）项要求年度报告说明行政机关收到和处理政府信息公开申请的情况；统一格式"
            "用第三部分的表格报告这些数据，正文（总体情况中的“依申请公开”）往往再用文字说一遍。两处数字不一致（正文"
            "“收到申请5件”而表三第一项总计为4），或正文说“未收到申请”而表三第一项不为0，读者无法知道哪一个是真实"
            "数据，地方通知也要求数据“确保逻辑关系对应一致”。比对的是表三“总计”列：本年新收、上年结转、办理结果"
            "总计、结转下年度继续办理，以及正文列举的办理结果（“予以公开12件，占60%”“部分公开”“不予公开”“无法提供”"
            "“不予处理”“其他处理”，一类结果含多行时比对各行之和）；这些说法和对应的单元格写在格式数据的"
            "text_table_links 中。表中“总计”格空着时，用格式规定的合计关系由各项（均已填数）算出后再比对。"
            "涉及上年、同比、行政复议等其他事项的句子不比对。"
        ),
        basis="《政府信息公开条例》第五十条第（二）项；国办公开办函〔2019〕60号、〔2021〕30号 年度报告格式第三部分；domain.md N-DAT-14/15",
        bad_example="正文：2020年共收到政府信息公开申请5件。\n表三 一、本年新收政府信息公开申请数量 总计：4",
        good_example="正文：2020年共收到政府信息公开申请4件。\n表三 一、本年新收政府信息公开申请数量 总计：4",
        params={
            "sections": ["s1", "s3"],
            "ignore_inside": _NOT_APPLICATIONS,
            "ignore_before": _OTHER_TIME,
            "window_before": 10,
            "window_after": 8,
        },
        precision="high",
        tags=("consistency",),
    )


class ReviewLitigationConsistencyRule(ProseTableRule):
    table = "t4"
    meta = RuleMeta(
        code="CN02",
        name="consistency.review-litigation",
        severity="error",
        summary="正文所述行政复议、行政诉讼件数（或“没有复议、诉讼”）应与表四一致",
        rationale=(
            "《政府信息公开条例》第五十条第（三）项要求报告因政府信息公开工作被申请行政复议、提起行政诉讼的情况，"
            "统一格式第四部分用表格报告。正文说“行政复议3件”而表四行政复议总计为2，或正文说“没有行政复议、行政诉讼”"
            "而表四有非零数字，两处必有一处是错的。行政复议比对表四“行政复议—总计”；行政诉讼比对“未经复议直接起诉”"
            "与“复议后起诉”两个总计之和。"
        ),
        basis="《政府信息公开条例》第五十条第（三）项；国办公开办函〔2019〕60号、〔2021〕30号 年度报告格式第四部分；domain.md N-DAT-16",
        bad_example="正文：本年度没有发生因政府信息公开引起的行政复议、行政诉讼。\n表四 行政复议 总计：1",
        good_example="正文：本年度政府信息公开行政复议1件，维持原行政行为。\n表四 行政复议 总计：1",
        params={
            "sections": ["s1", "s4"],
            "ignore_inside": [],
            "ignore_before": ["上年", "去年", "上一年", "同比", "较", "累计", "以来", "历年"],
            "window_before": 10,
        },
        precision="high",
        tags=("consistency",),
    )


class DisclosureCountsConsistencyRule(ProseTableRule):
    table = "t2_1"
    meta = RuleMeta(
        code="CN03",
        name="consistency.disclosure-counts",
        severity="warning",
        summary="正文所述制发、新公开、现行有效的规章和规范性文件件数应与第二部分第二十条第（一）项表格一致",
        rationale=(
            "《政府信息公开条例》第二十条第（一）项要求主动公开行政法规、规章和规范性文件，年度报告第二部分的第一张表"
            "报告其件数（2019年格式：本年新制作、本年新公开、对外公开总数；2021年格式：本年制发、本年废止、现行有效）。"
            "正文若写明“制发规范性文件3件”，应与表中对应的数字一致；地方通知要求“摸清本机关制发的现行有效规章、"
            "规范性文件底数”。只比对明确对应表格某一列的说法（“制发规范性文件3件”“现行有效规范性文件12件”），"
            "含义不清的句子（“公开政策性文件11件”）不比对。表中的数字连在一起无法确定拆分（NB03）时，"
            "若读取时列出了所有可能的拆分，而正文的数字与其中任何一种都不符，仍然报告（来源标为 extraction）。"
        ),
        basis="《政府信息公开条例》第二十条第（一）项、第五十条第（一）项；国办公开办函〔2019〕60号、〔2021〕30号 年度报告格式；domain.md N-DAT-14",
        bad_example="正文：本年制发规范性文件3件。\n表 第二十条第（一）项 规范性文件 本年制发件数：2",
        good_example="正文：本年制发规范性文件2件。\n表 第二十条第（一）项 规范性文件 本年制发件数：2",
        params={
            "sections": ["s1", "s2"],
            "ignore_inside": [],
            "ignore_before": ["上年", "去年", "上一年", "同比", "较", "累计", "以来", "历年", "现行有效"],
            "window_before": 10,
        },
        precision="high",
        tags=("consistency",),
    )


# ------------------------------------------------------------------------------------------- CN04

# ``2019年，我局…`` / ``2019年度，`` at the start of a paragraph (after an optional ``（一）主动公开情况。``).
_STALE_LEAD = re.compile(
    r"^(?:[（(][一二三四五六七八九十]{1,3}[）)][^。]{0,24}。)?"
    r"((?:19|20)\d{2})\s*年(?:度)?(?:[，,]|(?=(?:我|本|全|区|市|县|镇|街道|乡)))"
)


class ReportYearConsistencyRule(BaseRule):
    meta = RuleMeta(
        code="CN04",
        name="consistency.report-year",
        severity="warning",
        summary="标题、统计期限、网页信息名称和正文中的报告年度应一致",
        rationale=(
            "年度报告报告的是上一年度的工作（《政府信息公开条例》第四十九条）。标题写2020年，统计期限或网页的信息名称"
            "却是2019年，或者正文段落以“2019年，我局……”开头，通常是照搬往年报告没有改全，读者无法确定数据属于哪一年。"
            "正文中下一年度出现在改进计划里（“2021年，我办将……”）是正常的，不报告；只有以往年份被当作本报告年度"
            "叙述（出现在段落开头）才报告。"
        ),
        basis="《政府信息公开条例》第四十九条、第五十条；domain.md N-CON-10",
        bad_example="2020年政府信息公开工作年度报告\n……\n2019年，我局认真贯彻落实《条例》……",
        good_example="2020年政府信息公开工作年度报告\n……\n2020年，我局认真贯彻落实《条例》……",
        params={"stale_years_back": 3},
        precision="high",
        tags=("consistency",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        meta = doc.meta
        year = meta.report_year
        if year is None:
            return
        title = meta.title
        if title is not None:
            m = _YEAR.search(title.normalised)
            if m and int(m.group(1)) != year:
                yield self.finding(
                    f"标题中的年度 {m.group(1)} 年与报告年度 {year} 年不一致",
                    title.location,
                )
        yield from self._portal(doc, year)
        period = meta.statistics_period
        if period is not None and meta.report_year_source != "statistics_period":
            years = {int(d[:4]) for d in (period.start, period.end) if d}
            if years and years != {year}:
                shown = "、".join(str(y) for y in sorted(years))
                yield self.finding(
                    f"统计期限“{snippet(period.raw, 40)}”属于 {shown} 年，与报告年度 {year} 年不一致",
                    period.location,
                )
        yield from self._body(doc, year, int(ctx.params.get("stale_years_back", 3)))

    def _portal(self, doc: Document, year: int) -> Iterator[Finding]:
        for label, located in doc.meta.portal.items():
            if not (label.endswith(("名称", "标题")) or label == "内容概述") or "报告" not in located.value:
                continue
            years = {int(y) for y in _YEAR.findall(located.value)}
            if years and year not in years:
                shown = "、".join(str(y) for y in sorted(years))
                yield self.finding(
                    f"网页“{label}”中的年度 {shown} 年与报告年度 {year} 年不一致：“{snippet(located.value, 40)}”",
                    located.location,
                )

    def _body(self, doc: Document, year: int, back: int) -> Iterator[Finding]:
        for section, paragraph in prose(doc):
            m = _STALE_LEAD.match(paragraph.text)
            if not m:
                continue
            stated = int(m.group(1))
            if year - back <= stated < year:
                yield self.finding(
                    f"正文“{snippet(paragraph.text[m.start(1) :], 16)}”以 {stated} 年叙述本年度工作，与报告年度 {year} 年不一致，"
                    "可能沿用了往年报告的文字",
                    paragraph.locate(m.start(1), m.end(1)),
                    section=section.key,
                )


RULES: list[Rule] = [
    ApplicationsConsistencyRule(),
    ReviewLitigationConsistencyRule(),
    DisclosureCountsConsistencyRule(),
    ReportYearConsistencyRule(),
]
