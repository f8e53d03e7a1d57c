"""PB rules: the 落款 (signing organ and date) and the statutory publication deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from nianbao.document import DateValue, Document
from nianbao.lazypattern import lazy
from nianbao.places import end_of_report
from nianbao.rules import BaseRule, Finding, Rule, RuleContext, RuleMeta

from .structure import section_template, title_key

_LEVEL_NAMES = {"department": "县级以上人民政府部门", "government": "县级以上地方人民政府"}
_MONTH_DAY = lazy(r"^(\d{1,2})-(\d{1,2})$")


def cn_date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _date(value: DateValue | None) -> dt.date | None:
    if value is None or value.value is None:
        return None
    try:
        return dt.date.fromisoformat(value.value)
    except ValueError:
        return None


class SignatureRule(BaseRule):
    meta = RuleMeta(
        code="PB01",
        name="publication.signature",
        severity="warning",
        summary="报告末尾应有落款（发布机关名称）",
        rationale=(
            "年度报告是机关对外公布的正式文件，通行做法是在文末落款写明机关名称和日期（如重庆市渝北区应急管理局的报告），"
            "各地备案要求也多规定由机关负责人签发、加盖公章。全国性规定中没有找到要求公布稿必须落款的条文，"
            "2021年格式模板也没有落款栏，因此本规则只作为规范性提示（warning）。"
        ),
        basis="公文落款惯例（GB/T 9704—2012《党政机关公文格式》）；怀化、岳阳等地年报报送要求（签发、盖章）",
        bad_example="六、其他需要报告的事项\n（正文结束，没有机关名称和日期）",
        good_example="六、其他需要报告的事项\n无。\n重庆市渝北区应急管理局\n2021年1月18日",
        precision="high",
        tags=("publication",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        if doc.meta.signature.organ is None:
            yield self.finding("报告末尾没有落款机关名称，请在文末写明发布机关", end_of_report(doc))


class DateRule(BaseRule):
    meta = RuleMeta(
        code="PB02",
        name="publication.date",
        severity="warning",
        summary="报告末尾应有落款日期，且日期有效、在报告年度之后、不晚于今天",
        rationale=(
            "落款日期表明报告成文的时间，也是判断是否按《政府信息公开条例》第四十九条期限公布的依据之一。"
            "年度报告总结的是上一年度的工作，成文日期不应早于报告年度次年的1月1日；日期写错（如“2月30日”）"
            "或晚于今天，说明日期有误。按公文格式惯例，成文日期用阿拉伯数字写全年、月、日。"
            "参数 today（ISO 日期）可固定“今天”，测试和复现时使用。"
        ),
        basis="《政府信息公开条例》第四十九条；GB/T 9704—2012《党政机关公文格式》（成文日期）",
        bad_example="重庆市渝北区应急管理局\n2020年12月30日（2020年度报告）",
        good_example="重庆市渝北区应急管理局\n2021年1月18日",
        precision="high",
        params={"today": None},
        tags=("publication",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        date = doc.meta.signature.date
        if date is None:
            yield self.finding("报告末尾没有落款日期，请写明成文日期（如“2021年1月18日”）", end_of_report(doc))
            return
        value = _date(date)
        if value is None:
            yield self.finding(f"落款日期“{date.raw}”不是有效日期", date.location)
            return
        year = doc.meta.report_year
        if year is not None and value < dt.date(year + 1, 1, 1):
            yield self.finding(
                f"落款日期{cn_date(value)}早于{year + 1}年1月1日；{year}年度报告应在该年度结束后成文",
                date.location,
            )
        today_param = ctx.params.get("today")
        today = dt.date.fromisoformat(str(today_param)) if today_param else dt.date.today()
        if value > today:
            yield self.finding(f"落款日期{cn_date(value)}晚于今天（{cn_date(today)}），请核对", date.location)


class DeadlineRule(BaseRule):
    meta = RuleMeta(
        code="PB03",
        name="publication.deadline",
        severity="error",
        summary="报告应在法定期限内公布：部门1月31日前，县级以上地方人民政府3月31日前",
        rationale=(
            "《政府信息公开条例》第四十九条规定：县级以上人民政府部门应当在每年1月31日前向本级政府信息公开工作主管部门提交"
            "上一年度年度报告并向社会公布；县级以上地方人民政府的政府信息公开工作主管部门应当在每年3月31日前向社会公布"
            "本级政府上一年度年度报告。公布日期取网页的公开日期（发布日期），没有时取落款日期。"
            "机关层级不明或条例未规定期限的机关（乡镇、街道等）不检查，除非规则集通过参数 deadlines"
            "（机关层级 → “MM-DD”）为其设定期限；地区规则集也可用同一参数设定本地期限，按报告年度分别设定时写作"
            "{“2021”: {department: “01-28”}}（怀化等地的年报通知每年规定不同的日期）。"
        ),
        basis="《政府信息公开条例》第四十九条；各地年报工作通知（地区期限）",
        bad_example="（区应急管理局2020年度报告）公开日期：2021-02-05",
        good_example="（区应急管理局2020年度报告）公开日期：2021-01-21",
        precision="high",
        params={"deadlines": {}},
        tags=("publication",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        year = doc.meta.report_year
        level = doc.meta.organ_level
        if year is None or level is None:
            return
        published, source = self._publication_date(doc)
        if published is None or source is None:
            return
        value = _date(published)
        if value is None:
            return
        deadline = self._deadline(level, year, ctx)
        if deadline is None:
            return
        if value > deadline:
            who = _LEVEL_NAMES.get(level, "本机关")
            yield self.finding(
                f"{source}{cn_date(value)}晚于公布期限{cn_date(deadline)}（{who}应在次年{deadline.month}月{deadline.day}日前公布{year}年度报告）",
                published.location,
            )

    @staticmethod
    def _publication_date(doc: Document) -> tuple[DateValue | None, str | None]:
        if _date(doc.meta.publication_date) is not None:
            return doc.meta.publication_date, "网页公开日期"
        if _date(doc.meta.signature.date) is not None:
            return doc.meta.signature.date, "落款日期"
        return None, None

    @staticmethod
    def _deadline(level: str, year: int, ctx: RuleContext) -> dt.date | None:
        table: Mapping[Any, Any] = ctx.params.get("deadlines") or {}
        # A rule set gives dates for every year ({department: "01-20"}) or per report year
        # ({"2021": {department: "01-28"}}); the year's own entry wins.
        per_year = table.get(str(year)) or table.get(year) or {}
        overrides = {k: v for k, v in table.items() if not isinstance(v, Mapping)} | dict(per_year)
        if level in overrides:
            m = _MONTH_DAY.match(str(overrides[level]).strip())
            if m is None:
                raise ValueError(f"PB03 参数 deadlines.{level} 应为“MM-DD”，实为“{overrides[level]}”")
            return dt.date(year + 1, int(m.group(1)), int(m.group(2)))
        template = section_template(ctx)
        deadlines = ((template.data.get("legal_basis") or {}).get("deadlines") or {}) if template else {}
        rule = deadlines.get(level)
        if not isinstance(rule, Mapping) or "month" not in rule or "day" not in rule:
            return None  # 条例 sets no date for this kind of organ (乡镇、街道 …): nothing to check
        offset = 1 if rule.get("of", "report_year_plus_1") == "report_year_plus_1" else 0
        return dt.date(year + offset, int(rule["month"]), int(rule["day"]))


class SignatureOrganRule(BaseRule):
    meta = RuleMeta(
        code="PB04",
        name="publication.signature-organ",
        severity="warning",
        summary="落款机关应与标题中的机关名称一致",
        rationale=(
            "落款机关就是发布报告的机关，应与标题中的机关名称（或报送单位）完全一致，并使用全称。"
            "两者不同（包括落款用了简称，如“区应急局”对“重庆市渝北区应急管理局”）会让人怀疑报告是否照搬了其他机关的文本，"
            "或不清楚报告由哪个机关负责。这是通行做法，没有全国性条文规定，因此只作提示（warning）。"
        ),
        basis="公文落款惯例（GB/T 9704—2012《党政机关公文格式》：发文机关署名应用全称或规范化简称）",
        bad_example="标题：重庆市渝北区应急管理局2020年政府信息公开工作年度报告 … 落款：区应急局",
        good_example="标题：重庆市渝北区应急管理局2020年政府信息公开工作年度报告 … 落款：重庆市渝北区应急管理局",
        precision="high",
        tags=("publication",),
    )

    _SOURCES = {"title": "标题中的机关名称", "submitter": "报送单位", "portal": "网页发布机构"}

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        signed = doc.meta.signature.organ
        organ = doc.meta.organ
        source = self._SOURCES.get(doc.meta.organ_source or "")
        if signed is None or organ is None or source is None:
            return  # when the organ was only known from the 落款, there is nothing to compare it with
        if title_key(signed.value) == title_key(organ):
            return
        yield self.finding(f"落款机关“{signed.value}”与{source}“{organ}”不一致，请使用同一全称", signed.location)


RULES: list[Rule] = [SignatureRule(), DateRule(), DeadlineRule(), SignatureOrganRule()]
