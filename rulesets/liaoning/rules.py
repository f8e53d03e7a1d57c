"""辽宁's rules in Python (LN01, LN02); its rule set, ``liaoning.yaml`` beside it, gives the notice
numbers per report year, so a new year's notice is a YAML edit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from nianbao.document import Document
from nianbao.plugins.rules.opening import compact, opening, preamble, title_location
from nianbao.rules import BaseRule, Finding, Rule, RuleContext, RuleMeta


class NoticeCitationRule(BaseRule):
    meta = RuleMeta(
        code="LN01",
        name="liaoning.notice-citation",
        severity="info",
        summary="辽宁的年度报告应在开头引用省政府办公厅关于该年度报告编制发布工作的通知",
        rationale=(
            "辽宁省政府办公厅每年就年度报告的编制发布印发通知（2020年度报告为辽政办明电〔2021〕1号），省内报告通常在开头"
            "写明依据该通知编制（如铁岭市银州区应急管理局的报告）。引用通知表明报告按当年要求编制。通知正文未能读到，"
            "是否强制引用不能确认，因此只作提示（info）。各年度的通知文号是规则集中的参数 notices（报告年度 → 文号），"
            "没有登记文号的年度不检查。"
        ),
        basis="辽政办明电〔2021〕1号（标题见铁岭市银州区报告引用，domain.md §4.2，S-08）；种子报告 003",
        bad_example="银州区应急管理局2020年度政府信息公开工作报告 一、总体情况 2020年，我局……（未提省政府办公厅通知）",
        good_example="按照……《辽宁省人民政府办公厅关于做好2020年度政府信息公开工作报告编制发布工作的通知》（辽政办明电〔2021〕1号）要求……",
        ruleset="liaoning",
        precision="medium",
        params={"notices": {}},
        tags=("regional", "content"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        year = doc.meta.report_year
        notices = ctx.params.get("notices") or {}
        wanted = notices.get(str(year)) or notices.get(year) if year is not None else None
        if not wanted:
            return  # no notice known for this year: nothing to check against
        wanted = [wanted] if isinstance(wanted, str) else list(wanted)
        text = compact("".join(p.text for p in opening(doc)))
        if any(compact(str(n)) in text for n in wanted):
            return
        yield self.finding(
            f"报告开头未引用辽宁省政府办公厅关于{year}年度报告的通知（{'、'.join(map(str, wanted))}），请写明编制依据",
            title_location(doc),
        )


class SubmittingUnitRule(BaseRule):
    meta = RuleMeta(
        code="LN02",
        name="liaoning.submitting-unit",
        severity="info",
        summary="作为“附件”报送的年度报告，标题下应有“报送单位：”一行",
        rationale=(
            "辽宁（铁岭）的年度报告常作为附件报送，在标题下写“报送单位：（机关全称）”，汇总和归档时据此识别报告出自哪个"
            "单位（如铁岭市银州区应急管理局的报告）。标为“附件”却没有报送单位，汇总时无从归属。这是从实际报告中归纳的做法，"
            "没有读到规定原文，因此只作提示（info）。"
        ),
        basis="辽宁/铁岭报告实践（种子报告 003，domain.md §4.2 LN-03，推断）",
        bad_example="附件：\n某某局2020年度政府信息公开工作报告\n一、总体情况",
        good_example="附件：\n某某局2020年度政府信息公开工作报告\n报送单位：某某局\n一、总体情况",
        ruleset="liaoning",
        precision="medium",
        tags=("regional", "meta"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterator[Finding]:
        if doc.meta.submitter is not None:
            return
        first = next((p for p in preamble(doc) if p.text.strip()), None)
        if first is None or not compact(first.text).startswith("附件"):
            return
        yield self.finding("报告作为附件报送，但标题下没有“报送单位：（机关全称）”一行，请补上", first.location)


RULES: list[Rule] = [NoticeCitationRule(), SubmittingUnitRule()]
