"""TB rules: the statutory tables are all there, labelled as the format prints them, and filled in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher

from nianbao.document import Cell, Document, Location, Origin, Row, Table
from nianbao.lazypattern import lazy
from nianbao.rules import BaseRule, Finding, Rule, RuleContext, RuleMeta
from nianbao.templates import ColumnSpec, RowSpec, TableSpec, Template, label_key

from .prose import snippet
from .reader_doubts import doubted, doubted_within
from .table_labels import collapsed_groups, seen_labels

_BASIS = "《政府信息公开条例》第五十条；国办公开办函〔2019〕60号、国办公开办函〔2021〕30号 年度报告格式"
# A row label the loader matched is compared with the format only when it is recognisably the same
# label; a lower score means the loader kept a fragment of a label split over lines, not a misspelling.
_MISSPELT = 0.8


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0


def table_template(doc: Document, ctx: RuleContext) -> Template | None:
    """The format the tables were read in: the edition they are drawn in when that differs from the
    report's (ST07 reports the mismatch; comparing them with the other edition would repeat it)."""
    shape = doc.meta.edition.table_shape
    if shape and (ctx.template is None or shape != ctx.template.edition):
        drawn = next((f for f in ctx.templates if f.edition == shape), None)
        if drawn is not None:
            return drawn
    return ctx.template


def column_name(spec: TableSpec, column: ColumnSpec) -> str:
    same = [c for c in spec.columns if c.label == column.label]
    if len(same) > 1 and column.group:
        return f"{column.group}/{column.label}"
    return column.label


def row_name(spec: RowSpec) -> str:
    return f"“{spec.label}”行" if spec.label else "数据行"


def cell_origin(table: Table, cell: Cell) -> Origin:
    return "extraction" if cell.origin == "extraction" or table.origin == "extraction" else "document"


def _tables(doc: Document, ctx: RuleContext) -> Iterator[tuple[TableSpec, Table]]:
    """Each table present in the document, as the template it was read in defines it."""
    template = table_template(doc, ctx)
    if template is None:
        return
    for spec in template.tables.values():
        table = doc.tables.get(spec.id)
        if table is not None:
            yield spec, table


def _data_cells(spec: TableSpec, table: Table) -> Iterator[tuple[RowSpec, Row, ColumnSpec, Cell]]:
    for row_spec in spec.data_rows:
        row = table.rows.get(row_spec.key)
        if row is None:
            continue
        for column in spec.columns:
            cell = row.cells.get(column.key)
            if cell is not None:
                yield row_spec, row, column, cell


def _unread(spec: TableSpec, table: Table) -> bool:
    """Signs that the loader could not make sense of the table (typical of PDF text read column by
    column): values it had to rebuild, numbers under a label that is no row of the table (a column
    label taken for a row), or neither a row nor a column label found at all."""
    if table.origin == "extraction":
        return True
    rows = {label_key(r.label) for r in spec.rows if r.label}
    if any(not r.known and label_key(r.label or "") not in rows for r in table.rows.values()):
        return True
    return not table.rows and not any(h.column for h in table.header)


class TableMissingRule(BaseRule):
    meta = RuleMeta(
        code="TB01",
        name="table.missing",
        severity="error",
        summary="报告应包含当年格式规定的全部统计表",
        rationale=(
            "年度报告格式规定了第二、三、四部分的统计表：第二部分按《政府信息公开条例》第二十条第（一）（五）（六）（八）（九）项"
            "各有一张表（2021年格式删去第（九）项政府集中采购），第三部分是收到和处理政府信息公开申请情况表，"
            "第四部分是行政复议、行政诉讼情况表。这些表是条例第五十条第（一）至（三）项所要求内容的统一表达，"
            "缺表即缺少法定内容；重庆等地的通知明确“严禁擅自删减报告事项”。一个部分缺少的表在一条结果中一并列出。"
        ),
        basis=_BASIS + "；重庆市政府办公厅通知",
        bad_example="第二十条第（六）项 …… 三、收到和处理政府信息公开申请情况（表二中没有第（八）（九）项）",
        good_example="第二十条第（八）项 信息内容 上一年项目数量 本年增/减 ……\n第二十条第（九）项 ……",
        precision="high",
        tags=("tables",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        template = ctx.template or table_template(doc, ctx)
        if template is None:
            return
        missing: dict[str, list[TableSpec]] = {}
        for spec in template.tables.values():
            if spec.id not in doc.tables and not doubted(doc, spec.id):
                missing.setdefault(spec.section, []).append(spec)
        # One finding per section: the tables it lacks are one omission at one place.
        for key, specs in missing.items():
            section = template.section(key)
            where = f"“{section.title}”" if section else "报告"
            captions = [s.caption for s in specs if s.caption]
            what = "表“" + "”“".join(captions) + "”" if len(captions) == len(specs) else "统计表"
            these = "这些表" if len(specs) > 1 else "该表"
            present = doc.section(key)
            yield self.finding(
                f"{where}缺少{what}，请按格式补上{these}",
                present.location if present else None,
                section=key,
                table=specs[0].id if len(specs) == 1 else None,
                cells=[s.id for s in specs],
            )


class RowMissingRule(BaseRule):
    meta = RuleMeta(
        code="TB02",
        name="table.row-missing",
        severity="error",
        summary="统计表应包含格式规定的每一行",
        rationale=(
            "统计表的每一行都是格式规定的统计项目（例如表三的“一、本年新收政府信息公开申请数量”“二、上年结转政府信息公开申请数量”），"
            "删去一行就少报了一项法定数据，表三的勾稽关系也无从核对。没有数据时应填0，不能删行。"
            "读取时无法确定的表或行（由 NB03 报告，并指明涉及哪张表、哪一行）不算缺失；"
            "一组行按另一版格式写成一行时（如2021年以后表三“（六）其他处理”只有一行），由 ST07 报告一次并列出应有的各行，"
            "本规则不再逐行报缺失（同一个原因、同一个改法，只报告一次）；"
            "表格看起来没能被正确读取（例如 PDF 按列导出的文字）时，结果标为 extraction 来源，请对照原件核实。"
            "一张表缺少的行在一条结果中一并列出。"
        ),
        basis=_BASIS + "；重庆市政府办公厅通知（严禁擅自删减报告事项）",
        bad_example="表三从“三、本年度办理结果”开始，没有“一、本年新收……”“二、上年结转……”两行",
        good_example="一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0\n二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0",
        precision="high",
        tags=("tables",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        collapsed: set[tuple[str, str]] = set()
        if (template := table_template(doc, ctx)) is not None:
            others = [f for f in ctx.templates if f.edition != template.edition]
            for spec, _, _, children in collapsed_groups(doc, template, others):
                collapsed.update((spec.id, c.key) for c in children)
        for spec, table in _tables(doc, ctx):
            seen = seen_labels(table)
            origin: Origin = "extraction" if _unread(spec, table) else "document"
            if doubted(doc, spec.id):
                continue
            rows = [
                row
                for row in spec.data_rows
                if row.key not in table.rows
                and (spec.id, row.key) not in collapsed
                and not doubted(doc, spec.id, f"{spec.id}.{row.key}")
                and not (row.label and label_key(row.label) in seen)
            ]
            if not rows:
                continue
            # One finding per table: the rows it lacks are one omission, located at the table.
            these = "这些行" if len(rows) > 1 else "该行"
            yield self.finding(
                f"{spec.display_name}缺少{'、'.join(row_name(r) for r in rows)}，没有数据也应保留{these}并填0",
                table.location,
                section=spec.section,
                table=spec.id,
                row=rows[0].key if len(rows) == 1 else None,
                origin=origin,
                cells=[f"{spec.id}.{r.key}" for r in rows],
            )


class TableHeaderRule(BaseRule):
    meta = RuleMeta(
        code="TB03",
        name="table.header",
        severity="warning",
        summary="统计表的表头、行标签和分组标签应与格式一致",
        rationale=(
            "格式规定了每张表的栏目（如“本年增/减”“自然人”“总计”）、行标签（如“2.其他法律行政法规禁止公开”）"
            "和分组标签（如表三的“三、本年度办理结果”“（六）其他处理”）。栏目名称残缺、漏掉栏目、表头被换成"
            "“数据1”“数据2”这样的通用名称或整个表头缺失，以及行标签、分组标签写错或只写了后半截"
            "（2021年格式的“行政规范性文件”写成“规范性文件”），读者就无法确定数字的含义，也说明表格不是照格式填写的。"
            "比较时忽略空格、标点和全角半角差别，也不管序号（“1.”“（一）”）是否由文字处理软件的自动编号生成；"
            "一个标签在导出时被拆成两段（“商业企”+“业”）不算错误。表头缺失或被整体替换时只报告一次，"
            "并给出格式规定的栏目；表头文字是格式标签的残片（如行标签的后半截、别的表的标题）时，"
            "是读取出错而不是表头被替换，不报告。没有印出的分组标签不报告（它不承载数据，文本提取也常把竖排的分组标签打散），"
            "缺少的行由 TB02 报告；读取时无法确定的表或行（由 NB03 报告）不据残缺的表头或行标签报告。"
            "表格标签和表头角注中的括号全角半角不在 TX04 的检查范围内：这些文字是格式的固定标签，"
            "本规则比对时已忽略标点和全角半角。"
        ),
        basis=_BASIS,
        bad_example="信息内容 上一年项目数量 本年增/ 处理决定数量",
        good_example="信息内容 上一年项目数量 本年增/减 处理决定数量",
        precision="high",
        tags=("tables",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        for spec, table in _tables(doc, ctx):
            origin: Origin = "extraction" if table.origin == "extraction" else "document"
            yield from self._header(spec, table, origin, doubted_within(doc, spec.id))
            yield from self._labels(spec, table, origin, doc)

    def _header(self, spec: TableSpec, table: Table, origin: Origin, doubts: bool) -> Iterator[Finding]:
        name = spec.display_name
        columns = {c.key: c for c in spec.columns}
        header_keys = {label_key(x) for x in (*(c.label for c in spec.columns), *spec.header_labels)}
        texts = [label_key(h.text) for h in table.header]
        if not any(_names_header(t, header_keys) for t in texts):
            # No column label of the format at all: the header is missing or replaced, one cause.
            if doubts or not any(r.cells for r in table.rows.values()) or _misread(texts, spec):
                return  # the reader could not read all of the table (NB03): nothing says the header is wrong
            expected = _columns_in_words(spec)
            if table.header:
                shown = "".join(f"“{h.text}”" for h in table.header[:4]) + ("等" if len(table.header) > 4 else "")
                message = f"{name}的表头{shown}不是格式规定的栏目，应为：{expected}"
                location = table.header[0].location
            else:
                message = f"{name}没有表头，应按格式印出栏目：{expected}"
                location = table.location
            yield self.finding(message, location, section=spec.section, table=spec.id, origin=origin)
            return
        if not any(h.column for h in table.header):
            return  # labels of the format the reader could not tie to columns: nothing to compare
        if doubts and {h.column for h in table.header if h.column} != set(columns):
            return  # the reader could not read this table (NB03): a header read in pieces is no evidence
        fragments = [label_key(h.text) for h in table.header if h.column is None]
        reported: set[tuple[str, str]] = set()
        for label in table.header:
            column = columns.get(label.column or "")
            if column is None:
                continue
            written, expected = label_key(label.text), label_key(column.label)
            if written == expected or _completed_by(written, expected, fragments):
                continue
            if (label.text, column.label) in reported:
                continue
            reported.add((label.text, column.label))
            yield self.finding(
                f"{name}栏目“{label.text}”应为“{column.label}”",
                label.location,
                section=spec.section,
                table=spec.id,
                column=column.key,
                origin=origin,
            )
        labelled = {h.column for h in table.header if h.column}
        for column in spec.columns:
            if column.key in labelled or _present_in_pieces(label_key(column.label), texts, fragments):
                continue
            yield self.finding(
                f"{name}表头缺少“{column_name(spec, column)}”栏目",
                table.location,
                section=spec.section,
                table=spec.id,
                column=column.key,
                origin=origin,
            )

    def _labels(self, spec: TableSpec, table: Table, origin: Origin, doc: Document) -> Iterator[Finding]:
        """Row labels and group labels against the format's (but those of rows the reader doubted)."""
        name = spec.display_name
        printed: list[tuple[RowSpec, str, Location | None, float]] = []
        for row_spec in spec.data_rows:
            row = table.rows.get(row_spec.key)
            if row is not None and row.known and row.label:
                printed.append((row_spec, row.label, row.location or table.location, _MISSPELT))
        groups = {r.key: r for r in spec.rows}
        for group in table.groups:
            row_spec = groups.get(group.row)
            if row_spec is not None:
                # Group labels are recorded where the layout places them, not only when they match.
                printed.append((row_spec, group.text, group.location, _MISSPELT_GROUP))
        others = [label_key(text) for _, text, _, _ in printed] + [label_key(h.text) for h in table.header]
        for row_spec, text, location, threshold in printed:
            if not row_spec.label:
                continue
            if doubted(doc, spec.id, f"{spec.id}.{row_spec.key}"):
                continue  # the reader doubted this row (NB03): its label may be pieced together wrongly
            written, expected = label_key(text), label_key(row_spec.label)
            if not _wrong_label(written, expected, threshold, others):
                continue
            yield self.finding(
                f"{name}{'行' if row_spec.data else '分组'}标签“{text}”应为“{row_spec.label}”",
                location,
                section=spec.section,
                table=spec.id,
                row=row_spec.key,
                origin=origin,
            )


# Labels whose words are all there but for an enumeration (``1.``, ``（一）``) that Word numbered itself.
_ENUMERATION = lazy(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})$")
# Group labels are placed by the layout (the cells beside a row), not recognised by their words: a
# looser bar for what is the same label written differently, not a fragment of something else.
_MISSPELT_GROUP = 0.6


def _wrong_label(written: str, expected: str, threshold: float, others: list[str]) -> bool:
    """Whether a printed label differs from the format's in a way worth reporting."""
    if written == expected or written.endswith(expected):
        return False  # a group label run into the row label
    if expected.startswith(written):
        return False  # the first piece of a label split over lines, or the note after it left out
    if expected.endswith(written):
        # Only the tail: its words were left out (规范性文件 for 行政规范性文件), unless the missing head
        # is an enumeration or was kept with a neighbouring label (a label split over lines).
        head = expected[: len(expected) - len(written)]
        return not _ENUMERATION.match(head) and not any(o != written and o.endswith(head) for o in others)
    return similarity(written, expected) >= threshold


_SHARED = 3  # characters a header text shares with one of the format's labels to be a piece of it


def _misread(texts: list[str], spec: TableSpec) -> bool:
    """Whether a header text is a piece of one of the format's own labels for the table without being
    one (``法提供`` of a row label, ``上一年项`` of a column label cut short, another table's caption):
    the reader took the wrong text for the header, which says nothing of the header printed."""
    printed = (*(c.label for c in spec.columns), *spec.header_labels, *(r.label for r in spec.rows))
    labels = {label_key(x) for x in (*printed, spec.caption, spec.corner_note, spec.row_header_label) if x}
    grams = {k[i : i + _SHARED] for k in labels for i in range(len(k) - _SHARED + 1)}
    for text in texts:
        rest = text
        for k in sorted(labels, key=lambda k: (-len(k), k)):
            rest = rest.replace(k, " ")  # whole labels in it are as printed; look at what is left
        if any(rest[i : i + _SHARED] in grams for i in range(len(rest) - _SHARED + 1)):
            return True
    return False


def _names_header(text: str, header_keys: set[str]) -> bool:
    """Whether a header text is, holds or begins one of the format's header labels."""
    if not text:
        return False
    return any(
        text == k or k in text or (len(text) >= 2 and k.startswith(text)) or similarity(text, k) >= 0.75
        for k in header_keys
    )


def _columns_in_words(spec: TableSpec) -> str:
    """The format's columns as a person reads the header: ``自然人、法人或其他组织（商业企业、…）、总计``."""
    parts: list[str] = []
    run: list[str] = []
    group: str | None = None
    for column in [*spec.columns, None]:
        g = column.group if column else None
        if run and (g != group or not g):
            parts.append(f"{group}（{'、'.join(run)}）" if group else run[0])
            run = []
        if column is not None:
            group = g
            run.append(column.label)
    return "、".join(parts)


def _completed_by(written: str, expected: str, fragments: list[str]) -> bool:
    """A label cut in two by the layout: the rest of it is another header piece."""
    if expected.startswith(written):
        return expected[len(written) :] in fragments
    if expected.endswith(written):
        return expected[: len(expected) - len(written)] in fragments
    return False


def _present_in_pieces(expected: str, texts: list[str], fragments: list[str]) -> bool:
    """The column label is there, run into a neighbour (``本年制发件数 本年废止件数`` on one line)
    or split into two pieces the loader could not join (``结果`` / ``维持``)."""
    if any(expected in t and t != expected for t in texts):
        return True
    return any(expected.startswith(a) and expected[len(a) :] in fragments for a in fragments if a)


class _CellRule(BaseRule):
    """A rule about single data cells: ``problem`` says what is wrong with one, or None."""

    def problem(self, spec: TableSpec, column: ColumnSpec, cell: Cell) -> str | None:
        raise NotImplementedError

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        for spec, table in _tables(doc, ctx):
            name = spec.display_name
            for row_spec, _, column, cell in _data_cells(spec, table):
                message = self.problem(spec, column, cell)
                if message is None:
                    continue
                yield self.finding(
                    f"{name}{row_name(row_spec)}“{column_name(spec, column)}”栏{message}",
                    cell.location,
                    section=spec.section,
                    table=spec.id,
                    row=row_spec.key,
                    column=column.key,
                    origin=cell_origin(table, cell),
                )


class CellBlankRule(_CellRule):
    meta = RuleMeta(
        code="TB04",
        name="table.cell-blank",
        severity="warning",
        summary="统计表的数据格不能空着或填“/”“-”“无”，没有数据应填0",
        rationale=(
            "格式中的每个数据格都是一个统计数。空格、“/”、“-”、“—”或“无”不是数，读者无法分辨是0、未统计还是漏填，"
            "勾稽关系也无法核对（AR 规则会说明哪些加数为空）。同行评议的做法是没有数据时填0。"
        ),
        basis=_BASIS + "；各地年报评议实践（domain.md peers §2.7）",
        bad_example="行政强制 / / /",
        good_example="行政强制 0 0 0",
        precision="very-high",
        tags=("tables", "data"),
    )

    _STATES = {"blank": "为空", "slash": "填了“/”", "dash": "填了“{raw}”", "text": "填了“{raw}”"}

    def problem(self, spec: TableSpec, column: ColumnSpec, cell: Cell) -> str | None:
        state = self._STATES.get(cell.state)
        return None if state is None else f"{state.format(raw=snippet(cell.raw, 30))}，没有数据应填0"


class CellValueRule(_CellRule):
    meta = RuleMeta(
        code="TB05",
        name="table.cell-value",
        severity="error",
        summary="件数、项目数应为非负整数；只有“本年增/减”可为负，金额可有小数",
        rationale=(
            "表中绝大多数栏目是件数或项目数（格式数据中 type: integer），只能是0或正整数。2019年试行格式的“本年增/减”"
            "表示项目数的增减，可以为负（signed: true）；金额栏（2019年“采购总金额”、2021年“本年收费金额（单位：万元）”，"
            "type: decimal）可以有小数但不能为负。计数栏出现小数（如第二十条第（八）项填了5265417.01）"
            "通常是把金额填进了项目数栏。"
        ),
        basis=_BASIS + "（栏目类型）；domain.md §5.2 N-DAT-02、N-DAT-08",
        bad_example="行政事业性收费 5265417.01 1129715.79",
        good_example="行政事业性收费 5 0",
        precision="very-high",
        tags=("tables", "data"),
    )

    def problem(self, spec: TableSpec, column: ColumnSpec, cell: Cell) -> str | None:
        if cell.state != "number" or cell.value is None:
            return None
        problem = self._problem(column, cell.value)
        return None if problem is None else f"为{cell.raw}，{problem}"

    @staticmethod
    def _problem(column: ColumnSpec, value: float) -> str | None:
        if column.type == "decimal":
            return "金额不能为负数" if value < 0 else None
        if value != int(value):
            return "该栏是件数/项目数，应为整数（是否把金额填进了数量栏？）"
        if value < 0 and not column.signed:
            return "该栏是件数/项目数，不能为负数"
        return None


class AmountUnitRule(_CellRule):
    meta = RuleMeta(
        code="TB06",
        name="table.amount-unit",
        severity="warning",
        summary="金额应注明单位；2021年“本年收费金额”以万元计，数值过大可能误填成了元",
        rationale=(
            "2019年试行格式第二十条第（九）项的“采购总金额”表头没有印单位，报告中有的写“604.96万元”，"
            "有的只写一个数（如2481191.5，看起来是元），读者无法判断金额大小，应在格中写明“万元”或“元”。"
            "0没有单位歧义，不要求写单位。2021年格式第二十条第（八）项“本年收费金额（单位：万元）”表头已规定单位，"
            "数值达到格式数据 plausibility.warn_if_integer_at_least（100万，即100亿元）以上，"
            "或格中另写了与表头不同的单位，多半是按元填写的。"
        ),
        basis=_BASIS + "；domain.md §5.2 N-DAT-09、N-DAT-10（推断）",
        bad_example="政府集中采购 8 2481191.5",
        good_example="政府集中采购 8 248.12万元",
        precision="medium",
        tags=("tables", "data"),
    )

    def problem(self, spec: TableSpec, column: ColumnSpec, cell: Cell) -> str | None:
        if column.type != "decimal" or cell.state != "number" or cell.value is None:
            return None
        message = self._problem(spec, column, cell)
        return None if message is None else f"为{cell.raw}，{message}"

    @staticmethod
    def _problem(spec: TableSpec, column: ColumnSpec, cell: Cell) -> str | None:
        raw = next((c for c in spec.raw.get("columns", ()) if c.get("key") == column.key), {})
        if column.unit is None:
            if raw.get("require_explicit_unit") and cell.unit is None and cell.value != 0:
                return "没有注明单位，表头也没有印单位，请写明“万元”或“元”"
            return None
        if cell.unit is not None and cell.unit != column.unit:
            return f"表头规定的单位是{column.unit}，格中写的是{cell.unit}，请换算为{column.unit}"
        limit = (raw.get("plausibility") or {}).get("warn_if_integer_at_least")
        if limit is not None and cell.value is not None and cell.value >= limit:
            return f"单位是{column.unit}，数值过大，可能是按元填写的，请核对"
        return None


RULES: list[Rule] = [
    TableMissingRule(),
    RowMissingRule(),
    TableHeaderRule(),
    CellBlankRule(),
    CellValueRule(),
    AmountUnitRule(),
]
