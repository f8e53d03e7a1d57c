"""江苏's rule in Python (JS01); it runs only where ``jiangsu.yaml`` beside it is in use."""

from __future__ import annotations

from collections.abc import Iterable

from nianbao.document import Document
from nianbao.plugins.rules.opening import title_location
from nianbao.rules import BaseRule, Finding, Rule, RuleContext, RuleMeta


class StatisticsPeriodRule(BaseRule):
    meta = RuleMeta(
        code="JS01",
        name="jiangsu.statistics-period",
        severity="info",
        summary="江苏的年度报告开头应写明统计期限：报告年度1月1日至12月31日",
        rationale=(
            "江苏省内的年度报告沿用带“前言”的写法：编制依据、全文包括哪几部分、“本报告中所列数据的统计期限自×年1月1日起"
            "至×年12月31日止”、电子版下载地址和联系方式（如常州市应急管理局、苏州工业园区的2020年度报告）。统计期限说明"
            "表中数字的口径；没有写，或写的不是报告年度的全年，读者无法确认数字的口径。省级通知未能读到，只作提示（info）。"
        ),
        basis="江苏报告实践（种子报告 004、苏州工业园区2020年度报告，domain.md §4.3、JS-01，S-28）",
        bad_example="本报告中所列数据的统计期限自2019年1月1日起至2019年12月31日止。（2020年度报告）",
        good_example="本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。",
        ruleset="jiangsu",
        precision="medium",
        tags=("regional", "meta"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        year = doc.meta.report_year
        if year is None:
            return
        period = doc.meta.statistics_period
        expected = f"{year}年1月1日至{year}年12月31日"
        if period is None:
            yield self.finding(
                f"报告开头未写明统计期限，请写明“本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止”",
                title_location(doc),
            )
        elif (period.start, period.end) != (f"{year}-01-01", f"{year}-12-31"):
            yield self.finding(f"统计期限“{period.raw}”与报告年度不符，应为{expected}", period.location)


RULES: list[Rule] = [StatisticsPeriodRule()]
