"""XY rules: a report read next to the same organ's report of the year before.

The core offers the pairs (reports linted together, grouped by organ and year, or ``--previous``);
a report without last year's report is never offered, so these rules are silent then.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from nianbao.document import Document, Section, show_number
from nianbao.rules import DocumentParts, Finding, PairRule, Rule, RuleContext, RuleMeta
from nianbao.templates import Template

_CARRIED_OVER, _CARRY_FORWARD = "carried_over", "carry_forward"


def _year(doc: Document) -> str:
    return f"{doc.meta.report_year}年度" if doc.meta.report_year else "上一年度"


def _labels(template: Template | None, table: str) -> tuple[dict[str, str], dict[str, str]]:
    spec = template.tables.get(table) if template else None
    if spec is None:
        return {}, {}
    return {r.key: r.label or r.key for r in spec.rows}, {c.key: c.label for c in spec.columns}


class CarryOverRule(PairRule):
    meta = RuleMeta(
        code="XY01",
        name="cross-year.carry-over",
        severity="warning",
        summary="表三“二、上年结转”应等于同一机关上一年度报告表三“四、结转下年度继续办理”（逐列）",
        rationale=(
            "上一年度没有办结、结转下年度继续办理的申请，就是本年度的“上年结转政府信息公开申请数量”。同一机关相邻两年的"
            "报告中，这两个数字在每一列（各类申请人和总计）都应相等；不等说明其中一份报告的数字有误。检查需要上一年度的"
            "报告：一起检查的报告按机关和年度自动配对，或用 --previous 指定；没有上一年度报告时不检查。"
        ),
        basis="年度报告格式 表三第二项、第四项（两种格式相同）；domain.md N-DAT-12（推断，第三方工具 S-30 有同样的比对）",
        bad_example="2020年度报告：四、结转下年度继续办理 3；2021年度报告：二、上年结转 1",
        good_example="2020年度报告：四、结转下年度继续办理 3；2021年度报告：二、上年结转 3",
        precision="high",
        tags=("cross-year", "table-3"),
    )

    def reads(self, params: Mapping[str, Any]) -> DocumentParts:
        return DocumentParts(tables={"t3": (_CARRIED_OVER, _CARRY_FORWARD)})

    def check_pair(self, doc: Document, previous: Document, ctx: RuleContext) -> Iterator[Finding]:
        table = doc.tables.get("t3")
        row = table.rows.get(_CARRIED_OVER) if table else None
        if row is None:
            return
        _, columns = _labels(ctx.template, "t3")
        for column, cell in row.cells.items():
            now = doc.number("t3", _CARRIED_OVER, column)
            before = previous.number("t3", _CARRY_FORWARD, column)
            if now is None or before is None or now.value == before.value:
                continue
            label = columns.get(column, column)
            f = self.finding(
                f"表三“{label}”列：本年“二、上年结转”为{show_number(now.value)}，{_year(previous)}报告“四、结转下年度继续办理”"
                f"为{show_number(before.value)}；两者应相等，请核对",
                cell.location,
                table="t3",
                row=_CARRIED_OVER,
                column=column,
                origin="extraction" if "extraction" in (now.origin, before.origin) else "document",
            )
            f.related.append(
                self.related(previous, f"{_year(previous)}报告“四、结转下年度继续办理”“{label}”列", before.location)
            )
            yield f


# Compiled on first use, through re's cache: compiling the ideograph range costs ~1.5 ms, and only
# runs with last year's report use it.
_NOT_WORDS = r"[^\u3400-\u9fffA-Za-z]+"


def shingles(text: str, size: int) -> set[str]:
    """Overlapping runs of ``size`` characters of the words only: spacing, punctuation and digits
    are dropped, so a paragraph copied with this year's numbers filled in is still the same text."""
    words = re.sub(_NOT_WORDS, "", text)
    return {words[i : i + size] for i in range(len(words) - size + 1)}


def similarity(text: str, earlier: str, size: int = 4) -> float:
    """Share of ``text``'s shingles that also occur in ``earlier`` (containment, 0..1).

    Containment rather than Jaccard: a section made of last year's paragraphs plus one new one is
    still mostly last year's text, whatever ``earlier`` holds besides.
    """
    mine = shingles(text, size)
    if not mine:
        return 0.0
    return len(mine & shingles(earlier, size)) / len(mine)


def _words(section: Section) -> str:
    return "".join(p.text for p in section.paragraphs)


class SimilarityRule(PairRule):
    meta = RuleMeta(
        code="XY02",
        name="cross-year.similarity",
        severity="warning",
        summary="“一、总体情况”和“五、存在的主要问题及改进情况”不应与上一年度报告雷同",
        rationale=(
            "2021年格式通知把“内容雷同、敷衍塞责”列为要追究责任的问题，地方通知也要求“不得出现敷衍、雷同现象”。"
            "本规则把本年度报告的“一”和“五”分别与同一机关上一年度报告的同一部分比较：去掉空白、标点和数字后，取每"
            "连续4个字为一个片段，计算本年片段中有多少也出现在上一年的同一部分（包含率）。达到80%（参数 threshold）"
            "即报告雷同：照抄上一年、只改了年份和数字的段落几乎全部相同，重新撰写的段落通常低于30%。少于50字"
            "（参数 min_chars）的部分不比较。需要上一年度的报告，没有时不检查。"
        ),
        basis="国办公开办函〔2021〕30号（四）明确责任“内容雷同、敷衍塞责”；地方通知（domain.md S-10）；N-CON-09",
        bad_example="2021年度“五”与2020年度“五”逐句相同，只把“2020年”改成“2021年”",
        good_example="2021年度“五”写本年新发现的问题和上年问题的整改结果",
        precision="medium",
        params={"threshold": 0.8, "shingle": 4, "min_chars": 50, "sections": ["s1", "s5"]},
        tags=("cross-year", "content"),
    )

    def reads(self, params: Mapping[str, Any]) -> DocumentParts:
        return DocumentParts(sections=tuple(params.get("sections") or ()))

    def check_pair(self, doc: Document, previous: Document, ctx: RuleContext) -> Iterator[Finding]:
        threshold = float(ctx.params.get("threshold", 0.8))
        size = int(ctx.params.get("shingle", 4))
        min_chars = int(ctx.params.get("min_chars", 50))
        for key in ctx.params.get("sections") or ():
            section, earlier = doc.section(key), previous.section(key)
            if section is None or earlier is None:
                continue
            text = _words(section)
            if len(re.sub(_NOT_WORDS, "", text)) < min_chars:
                continue
            score = similarity(text, _words(earlier), size)
            if score < threshold:
                continue
            title = section.heading or section.title or key
            f = self.finding(
                f"“{title}”有{score:.0%}的文字与{_year(previous)}报告的同一部分相同（雷同），请按本年度的实际工作重新撰写",
                section.location,
                section=key,
            )
            f.related.append(self.related(previous, f"{_year(previous)}报告的“{title}”", earlier.location))
            yield f


_STOCK_ROWS = ("regulations", "normative_documents")


class RegulationsStockRule(PairRule):
    meta = RuleMeta(
        code="XY03",
        name="cross-year.regulations-stock",
        severity="warning",
        summary="2021年格式表二（一）：现行有效件数应等于上年现行有效件数加本年制发件数减本年废止件数",
        rationale=(
            "2021年格式表二第二十条第（一）项按“本年制发件数、本年废止件数、现行有效件数”统计规章和行政规范性文件。"
            "现行有效的文件只因制发而增加、因废止而减少，因此本年现行有效件数 = 上年现行有效件数 + 本年制发件数 − "
            "本年废止件数。两份相邻年度的报告都用2021年格式时才能比较（2019年试行格式没有“现行有效件数”）；"
            "需要上一年度的报告，没有时不检查。"
        ),
        basis="国办公开办函〔2021〕30号 年度报告格式 表二第二十条第（一）项；domain.md N-DAT-13（推断，S-30）",
        bad_example="2021年：规范性文件现行有效 40；2022年：制发 5，废止 2，现行有效 50",
        good_example="2021年：规范性文件现行有效 40；2022年：制发 5，废止 2，现行有效 43",
        editions=("2021",),
        precision="high",
        tags=("cross-year", "table-2"),
    )

    def reads(self, params: Mapping[str, Any]) -> DocumentParts:
        return DocumentParts(tables={"t2_1": _STOCK_ROWS})

    def check_pair(self, doc: Document, previous: Document, ctx: RuleContext) -> Iterator[Finding]:
        if previous.meta.edition.value != "2021":
            return
        rows, _ = _labels(ctx.template, "t2_1")
        for row in _STOCK_ROWS:
            now = doc.number("t2_1", row, "in_force")
            made = doc.number("t2_1", row, "made")
            repealed = doc.number("t2_1", row, "repealed")
            before = previous.number("t2_1", row, "in_force")
            if now is None or made is None or repealed is None or before is None:
                continue
            expected = before.value + made.value - repealed.value
            if abs(expected - now.value) < 1e-6:
                continue
            label = rows.get(row, row)
            f = self.finding(
                f"表二（一）“{label}”：现行有效件数为{show_number(now.value)}，而{_year(previous)}现行有效{show_number(before.value)}"
                f"+本年制发{show_number(made.value)}−本年废止{show_number(repealed.value)}={show_number(expected)}；请核对",
                now.location,
                table="t2_1",
                row=row,
                column="in_force",
            )
            f.related.append(
                self.related(previous, f"{_year(previous)}报告表二（一）“{label}”现行有效件数", before.location)
            )
            yield f


RULES: list[Rule] = [CarryOverRule(), SimilarityRule(), RegulationsStockRule()]
