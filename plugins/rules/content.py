"""CT rules written in Python: required content that depends on the organ or the format edition.

The topics and their keywords come from the format data (``sections[].expected_topics`` and
``government_level_extra``); the rules only decide where to look and how to report an absence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from nianbao.document import Document, Section
from nianbao.lazypattern import lazy
from nianbao.rules import BaseRule, Finding, Rule, RuleContext, RuleMeta
from nianbao.templates import Template

_SENTENCES = lazy(r"[。；;！!？?\n]")


def _format(ctx: RuleContext) -> Template | None:
    if ctx.template is not None:
        return ctx.template
    return ctx.templates[-1] if ctx.templates else None


def _topics(spec_raw: Mapping[str, Any], field: str) -> list[Mapping[str, Any]]:
    return [t for t in spec_raw.get(field) or () if t.get("keywords")]


def _prose(sections: Iterable[Section]) -> list[str]:
    """The prose of the sections, one sentence per item (headings included)."""
    out: list[str] = []
    for section in sections:
        texts = ([section.heading] if section.heading else []) + [p.text for p in section.paragraphs]
        for text in texts:
            out.extend(s for s in _SENTENCES.split(text) if s.strip())
    return out


def _mentions(keyword: str, sentences: Sequence[str], split_words: bool) -> bool:
    """Whether the keyword is in the text; with ``split_words``, a four-character keyword also counts
    when its two words share a sentence in either order (``追究…责任`` for ``责任追究``)."""
    if any(keyword in s for s in sentences):
        return True
    if not split_words or len(keyword) != 4:
        return False
    a, b = keyword[:2], keyword[2:]
    return any(a in s and b in s for s in sentences)


def _label(topic: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    return str(topic.get("label") or labels.get(str(topic.get("key"))) or topic["keywords"][0])


def _enumerate(words: Sequence[str]) -> str:
    """工作考核、社会评议和责任追究"""
    return "、".join(words[:-1]) + "和" + words[-1] if len(words) > 1 else "".join(words)


class GovernmentAccountabilityRule(BaseRule):
    meta = RuleMeta(
        code="CT02",
        name="content.government-accountability",
        severity="warning",
        summary="人民政府的年度报告应报告工作考核、社会评议和责任追究结果情况",
        rationale=(
            "《政府信息公开条例》第五十条第（四）项规定：各级人民政府的政府信息公开工作年度报告还应当包括工作考核、"
            "社会评议和责任追究结果情况。2021年格式（国办公开办函〔2021〕30号）把这一要求放在“总体情况”的"
            "“监督保障”中。政府部门的报告没有这项义务，因此只检查以人民政府（或代表本级政府报告的办公室）名义"
            "发布的报告。三项各自是法定内容，缺哪一项就在一条提示中列出哪一项（关键词取自格式数据；两个词在同一句中"
            "出现，如“追究……责任”“考核……工作”，也算报告了）。"
        ),
        basis="《政府信息公开条例》第五十条第（四）项；国办公开办函〔2021〕30号 年度报告格式（一）总体情况",
        bad_example="（区人民政府年报）（五）监督保障。加强政务公开培训……（全文未提考核、评议、追究）",
        good_example="（五）监督保障。将政务公开纳入年度绩效考核……开展社会评议……本年度未发生责任追究情况。",
        params={"split_words": True},
        precision="medium",
        tags=("content",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        if doc.meta.organ_level != "government":
            return
        template = _format(ctx)
        if template is None:
            return
        sentences = _prose(doc.sections)
        split = bool(ctx.params.get("split_words", True))
        anchor = doc.section("s1")
        for spec in template.sections:
            for group in _topics(spec.raw, "government_level_extra"):
                missing = [k for k in group["keywords"] if not _mentions(k, sentences, split)]
                if not missing:
                    continue
                required = _enumerate(group["keywords"])
                shown = "".join(f"“{k}”" for k in missing)
                yield self.finding(
                    f"人民政府年度报告应报告{required}结果情况（条例第五十条第（四）项），未见{shown}",
                    anchor.location if anchor else None,
                    section=spec.key,
                )


class SectionSixItemsRule(BaseRule):
    meta = RuleMeta(
        code="CT04",
        name="content.section-six-items",
        severity="warning",
        summary="2021年格式的“六、其他需要报告的事项”应报告信息处理费收取情况及格式列举的其他事项",
        rationale=(
            "2021年起施行的《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）允许对超量、频繁申请收取信息处理费，"
            "2021年格式的模板在第六部分注明“收取信息处理费情况在此处报告”，实际报告（如淮安市2024年报）也在此报告"
            "收费总额。格式还要求在第六部分报告落实上级年度政务公开工作要点、人大代表建议和政协提案办理结果公开、"
            "政务公开工作创新等情况。这些事项的官方原文未能核实，因此只作提示（warning）；缺少的事项在一条结果中一并列出。"
            "第六部分整个缺失时由 ST01 报告，本规则不重复。"
        ),
        basis="国办公开办函〔2021〕30号 年度报告格式；《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）；domain.md §2.1",
        bad_example="六、其他需要报告的事项\n无。",
        good_example=(
            "六、其他需要报告的事项\n本年度未收取信息处理费。认真落实《2024年政务公开工作要点》……"
            "人大代表建议和政协提案办理结果均已公开……创新开展……"
        ),
        editions=("2021",),
        # Display names for the format's topic keys; a ``label`` in the format data wins.
        params={
            "labels": {
                "info_processing_fee": "信息处理费收取情况",
                "upper_level_work_points": "落实上级年度政务公开工作要点情况",
                "npc_cppcc_proposals": "人大代表建议和政协提案办理结果公开情况",
                "innovation": "政务公开工作创新情况",
            }
        },
        precision="medium",
        tags=("content",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        template = _format(ctx)
        section = doc.section("s6")
        spec = template.section("s6") if template else None
        if section is None or spec is None:
            return
        sentences = _prose([section])
        labels = ctx.params.get("labels") or {}
        missing = [
            t
            for t in _topics(spec.raw, "expected_topics")
            if not any(_mentions(k, sentences, False) for k in t["keywords"])
        ]
        if not missing:
            return
        what = "、".join(_label(t, labels) for t in missing)
        keywords = "；".join("、".join(t["keywords"]) for t in missing)
        yield self.finding(
            f"“{spec.title}”未报告{what}，请补充（未见关键词：{keywords}）", section.location, section="s6"
        )


RULES: list[Rule] = [GovernmentAccountabilityRule(), SectionSixItemsRule()]
