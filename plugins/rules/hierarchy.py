"""XY04: a county or city government's aggregate report against its departments' reports (``--hierarchy``).

The core offers the reports of one division and year linted together; this rule finds the
government's own report among them and compares each table cell with the sum over the others.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from nianbao.document import Cell, Document, show_number
from nianbao.rules import DocumentParts, FamilyRule, Finding, Related, Rule, RuleContext, RuleMeta
from nianbao.templates import Template

_GOVERNMENT_NAMES = ("人民政府", "政府")


def _is_aggregate(doc: Document) -> bool:
    """The government of the division itself (洪泽区人民政府), not a town or an office within it."""
    from nianbao.grouping import organ_key  # only runs with --hierarchy import the grouping

    key = organ_key(doc.meta)
    return doc.meta.organ_level == "government" and key is not None and key.split("/")[-1] in _GOVERNMENT_NAMES


def _name(doc: Document) -> str:
    return doc.meta.organ or doc.source.path


class HierarchySumRule(FamilyRule):
    meta = RuleMeta(
        code="XY04",
        name="cross-document.hierarchy-sum",
        severity="warning",
        summary="区县、市政府的汇总年度报告中每个表格数字应与一并检查的本级部门报告之和相符（--hierarchy）",
        rationale=(
            "县级以上地方人民政府的年度报告要汇总本行政区域内所有编制主体（本级政府部门、乡镇街道等）的情况和数据"
            "（重庆市政府办公厅通知“区分报告范围”；地方通知要求县级政府汇总所属部门和乡镇的报告）。用 --hierarchy 把"
            "政府的汇总报告与同一地区、同一年度的部门报告一起检查时，逐个表格单元比较：汇总数小于各部门之和，说明汇总"
            "漏计了部门数据；大于各部门之和，差额应来自本次未一并检查的编制主体报告，提示补齐核对。缺少该项数据、无法"
            "计入合计的部门报告在提示中逐一列出。"
        ),
        basis="《政府信息公开条例》第四十九条（本级政府年度报告）；重庆市政府办公厅年报通知“（二）区分报告范围”（S-07）；地方通知（S-10）",
        bad_example="区政府报告：本年新收申请 12；一并检查的 3 份部门报告合计 15",
        good_example="区政府报告：本年新收申请 15；一并检查的 3 份部门报告合计 15",
        precision="medium",
        tags=("cross-document", "hierarchy"),
    )

    def reads(self, params: Mapping[str, Any]) -> DocumentParts:
        return DocumentParts(every_table=True)

    def check_family(self, docs: Sequence[Document], ctx: RuleContext) -> Iterator[Finding]:
        parents = [d for d in docs if _is_aggregate(d)]
        if len(parents) != 1:
            return  # no aggregate report in the group, or several: nothing to compare
        parent = parents[0]
        members = [d for d in docs if d is not parent and d.meta.edition.value == parent.meta.edition.value]
        if not members:
            return
        template = next((f for f in ctx.templates if f.edition == parent.meta.edition.value), None)
        for table_id, table in parent.tables.items():
            for row_key, row in table.rows.items():
                for column, cell in row.cells.items():
                    if cell.state != "number" or cell.value is None:
                        continue
                    yield from self._compare(parent, members, template, ctx.templates, table_id, row_key, column, cell)

    def _compare(
        self,
        parent: Document,
        members: Sequence[Document],
        template: Template | None,
        templates: Sequence[Template],
        table: str,
        row: str,
        column: str,
        cell: Cell,
    ) -> Iterator[Finding]:
        counted = [(m, c) for m in members if (c := m.number(table, row, column)) is not None]
        missing = [m for m in members if m.number(table, row, column) is None]
        total = sum(c.value or 0 for _, c in counted)
        aggregate = cell.value or 0
        if abs(total - aggregate) < 1e-6:
            return
        spec = template.tables.get(table) if template else None
        row_label = next((r.label for r in spec.rows if r.key == row), None) if spec else None
        col_label = next((c.label for c in spec.columns if c.key == column), None) if spec else None
        named = spec or next((t.tables[table] for t in templates if table in t.tables), None)
        caption = named.short_name if named else table
        where = "".join(f"“{x}”" for x in (row_label, col_label) if x)
        message = f"{caption}{where}：汇总报告为{show_number(aggregate)}，一并检查的{len(counted)}份本级报告合计为{show_number(total)}"
        if aggregate < total:
            message += "；汇总数小于各报告之和，汇总可能漏计了部分报告的数据"
        else:
            message += "；差额应来自未一并检查的其他编制主体报告，请补齐核对"
        if missing:
            message += f"；以下报告缺少该项，未计入：{'、'.join(_name(m) for m in missing)}"
        f = self.finding(message, cell.location, table=table, row=row, column=column)
        for member, member_cell in counted:
            f.related.append(
                Related(
                    member.source.path, f"{_name(member)}：{show_number(member_cell.value or 0)}", member_cell.location
                )
            )
        f.path = parent.source.path
        yield f


RULES: list[Rule] = [HierarchySumRule()]
