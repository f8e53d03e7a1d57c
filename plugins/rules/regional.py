"""Provincial rules (CQ, LN, JS): each belongs to its province's rule set and runs only there.

Their data (notice numbers per report year, organ names) are parameters that the rule sets in
``rulesets/`` fill in, so a new year's notice is a YAML edit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from nianbao.document import Document, Location, Paragraph
from nianbao.rules import BaseRule, Finding, Rule, RuleContext, RuleMeta

# Notice numbers are written with 〔〕, [], （）, 【】 or ［］ around the year.
_BRACKETS = str.maketrans({c: "〔" for c in "[(（【［"} | {c: "〕" for c in "])）】］"})
_SPACE = re.compile(r"[\s\u00a0\u3000]+")


def _compact(text: str) -> str:
    return _SPACE.sub("", text).translate(_BRACKETS)


def _preamble(doc: Document) -> list[Paragraph]:
    return [p for s in doc.sections if s.kind == "preamble" for p in s.paragraphs]


def _opening(doc: Document, count: int = 6) -> list[Paragraph]:
    """The preamble and the first paragraphs of 总体情况: where a report states its basis and scope."""
    overview = doc.section("s1")
    return _preamble(doc) + (overview.paragraphs[:count] if overview else [])


def _title_location(doc: Document) -> Location | None:
    return doc.meta.title.location if doc.meta.title else None


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
        organ = _compact(doc.meta.organ or "")
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
        paragraphs = _opening(doc, 12)
        if any("汇总" in p.text and any(w in p.text for w in words) for p in paragraphs):
            return
        overview = doc.section("s1")
        where = overview.location if overview and overview.location else _title_location(doc)
        yield self.finding(
            "未说明本报告汇总了本区县全部编制主体（区县政府部门、镇街等）的情况和数据，请在报告开头或总体情况中写明汇总范围",
            where,
            section="s1" if overview else None,
        )


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
        text = _compact("".join(p.text for p in _opening(doc)))
        if any(_compact(str(n)) in text for n in wanted):
            return
        yield self.finding(
            f"报告开头未引用辽宁省政府办公厅关于{year}年度报告的通知（{'、'.join(map(str, wanted))}），请写明编制依据",
            _title_location(doc),
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
        first = next((p for p in _preamble(doc) if p.text.strip()), None)
        if first is None or not _compact(first.text).startswith("附件"):
            return
        yield self.finding("报告作为附件报送，但标题下没有“报送单位：（机关全称）”一行，请补上", first.location)


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
                _title_location(doc),
            )
        elif (period.start, period.end) != (f"{year}-01-01", f"{year}-12-31"):
            yield self.finding(f"统计期限“{period.raw}”与报告年度不符，应为{expected}", period.location)


RULES: list[Rule] = [AggregateScopeRule(), NoticeCitationRule(), SubmittingUnitRule(), StatisticsPeriodRule()]
