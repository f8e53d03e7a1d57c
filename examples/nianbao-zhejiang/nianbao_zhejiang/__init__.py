"""An example provincial plugin for nianbao: the ``zhejiang`` rule set.

It shows the two ways to add rules — ZJ01 is written as data in ``zhejiang.yaml``, ZJ02 in Python
below — and how a rule set claims a province so that reports from there use it automatically.
The rules are illustrations for plugin authors, not requirements found in a 浙江 notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources

from nianbao import hookimpl
from nianbao.document import Document
from nianbao.rules import BaseRule, Finding, RuleContext, RuleMeta
from nianbao.ruleset_files import RulesetSource

RULESET = "zhejiang"

# A telephone number as reports print it: 0571-87001234, (0571)87001234, 12345 hotlines excluded.
_PHONE = re.compile(r"(?:电话|热线|咨询)[^。；\n]{0,12}?(?:0\d{2,3}[-—－)）]?\d{7,8}|1[3-9]\d{9})")


class ContactRule(BaseRule):
    meta = RuleMeta(
        code="ZJ02",
        name="zhejiang.contact-telephone",
        severity="info",
        summary="报告应写明受理咨询的联系电话（示例规则）",
        rationale=(
            "示例规则，演示用 Python 编写地区规则：许多地方的年度报告在开头或结尾写明“如对本报告有疑问，请联系……"
            "电话……”，方便公众就报告内容咨询。本规则不是浙江省通知中的要求；省级办公室编写自己的插件时，应把这里换成"
            "本地通知的原文和文号。"
        ),
        basis="示例（nianbao 插件编写说明）；参考江苏等地报告前言中的联系方式写法",
        bad_example="全文没有联系电话",
        good_example="如对本报告有疑问，请联系某某局办公室，电话：0571-87001234。",
        ruleset=RULESET,
        precision="medium",
        tags=("regional", "example"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterator[Finding]:
        paragraphs = [p for s in doc.sections for p in s.paragraphs]
        if any(_PHONE.search(p.text) for p in paragraphs):
            return
        where = doc.meta.title.location if doc.meta.title else None
        yield self.finding("报告中没有受理咨询的联系电话，请写明“如对本报告有疑问，请联系……电话：……”", where)


@hookimpl
def nianbao_rules() -> list[object]:
    return [ContactRule()]


@hookimpl
def nianbao_rulesets() -> list[object]:
    resource = resources.files(__name__).joinpath("zhejiang.yaml")
    return [RulesetSource(name=RULESET, resource=resource, plugin="zhejiang")]
