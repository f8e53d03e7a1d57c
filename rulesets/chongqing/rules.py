"""重庆's rule in Python (CQ01); its rule set, ``chongqing.yaml`` beside it, sets its parameters."""

from __future__ import annotations

from collections.abc import Iterable

from nianbao.document import Document
from nianbao.plugins.rules.opening import compact, opening, title_location
from nianbao.rules import BaseRule, Finding, Rule, RuleContext, RuleMeta


class AggregateScopeRule(BaseRule):
    meta = RuleMeta(
        code="CQ01",
        name="chongqing.aggregate-scope",
        severity="info",
        summary="重庆区县政府的年度报告应说明汇总了本区县全部编制主体的情况和数据",
        rationale=(
            "重庆市政府办公厅关于年度报告工作的通知规定，区县政府信息公开工作主管部门既报告以区县政府（含区县政府办公室）"
            "名义开展的工作，也要对本行政区域内所有编制主体（区县政府部门、乡镇街道等）的工作情况和数据进行汇总，编制区县"
            "政府信息公开年报（两江新区、重庆高新区、万盛经开区管委会同样是区县级编制主体）。报告不说明汇总范围，读者无法"
            "判断表中数字是区县政府本级的还是全区县的。通知全文未能读到，只作提示（info）。"
        ),
        basis="《重庆市人民政府办公厅关于做好政府信息公开工作年度报告有关工作的通知》“（二）区分报告范围”（domain.md §4.1，S-07）",
        bad_example="重庆市某某区人民政府2020年政府信息公开工作年度报告 一、总体情况 2020年，区政府……（未提汇总范围）",
        good_example="本报告汇总了区政府及区级部门、各镇街等全部编制主体的政府信息公开工作情况和数据。",
        ruleset="chongqing",
        precision="medium",
        params={
            "aggregators": ["两江新区", "重庆高新区", "高新技术产业开发区", "万盛经开区", "万盛经济技术开发区"],
            "scope_words": ["编制主体", "部门", "乡镇", "镇街", "街道", "单位"],
        },
        tags=("regional", "content"),
    )

    def _is_district_government(self, doc: Document, ctx: RuleContext) -> bool:
        organ = compact(doc.meta.organ or "")
        if not organ:
            return False
        if doc.meta.organ_level == "government" and organ.endswith(("区人民政府", "县人民政府", "区政府", "县政府")):
            return True
        aggregators = [str(a) for a in ctx.params.get("aggregators") or ()]
        return organ.endswith(("管委会", "管理委员会")) and any(a in organ for a in aggregators)

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        if not self._is_district_government(doc, ctx):
            return
        words = [str(w) for w in ctx.params.get("scope_words") or ()]
        paragraphs = opening(doc, 12)
        if any("汇总" in p.text and any(w in p.text for w in words) for p in paragraphs):
            return
        overview = doc.section("s1")
        where = overview.location if overview and overview.location else title_location(doc)
        yield self.finding(
            "未说明本报告汇总了本区县全部编制主体（区县政府部门、镇街等）的情况和数据，请在报告开头或总体情况中写明汇总范围",
            where,
            section="s1" if overview else None,
        )


RULES: list[Rule] = [AggregateScopeRule()]
