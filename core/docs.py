"""Rule documentation generated from the rule metadata (``nianbao explain``, ``docs/rules.md``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from .rule_sources import RuleSource, shown_path
from .rules import RuleMeta

# Chinese has no spaces between words: a line break inside a YAML folded scalar (which YAML turns
# into a space) must not become one between two Chinese characters. Next to Latin words or numbers
# a space is usual in mixed text and stays.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u201c\u201d\u2018\u2019"


@cache
def _space_between_cjk() -> re.Pattern[str]:
    # Compiled on first use: every lint imports this module (SARIF rule help), few runs need it.
    return re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def join_lines(text: str) -> str:
    """``text`` on one line, the way it reads: no space where a line break fell between Chinese characters."""
    return " ".join(_space_between_cjk().sub("", text).split())


_FAMILIES = {
    "ST": "结构（structure）",
    "TB": "表格（table）",
    "AR": "勾稽关系（arithmetic）",
    "CN": "文字与表格一致（consistency）",
    "CT": "必备内容（content）",
    "PB": "落款、日期与发布时限（publication）",
    "TX": "文字质量（text）",
    "XY": "跨文件检查（cross-year / cross-document）",
    "NB": "工具诊断（input / config）",
}
_BASE_RULESETS = ("national", "core")


def _group(m: RuleMeta) -> tuple[int, str]:
    """Where a rule stands in the catalog: national rules by family, then each regional or plugin rule
    set under its own name (the core knows no province), the tool's diagnostics last."""
    if m.ruleset not in _BASE_RULESETS:
        return len(_FAMILIES) - 1, f"{m.ruleset} 规则集"
    families = list(_FAMILIES)
    rank = families.index(m.family) if m.family in families else len(families) - 1
    return (rank if m.family != "NB" else len(families)), _FAMILIES.get(m.family, m.family)


def rule_text(m: RuleMeta, source: RuleSource | None = None) -> str:
    """``nianbao explain``'s text (and SARIF's plain help, which has no ``source``: where nianbao is
    installed is no part of a report)."""
    lines = [
        f"{m.code}  {m.name}",
        f"级别：{m.severity}    适用格式：{'、'.join(m.editions)}    规则集：{m.ruleset}",
        "",
        m.summary,
        "",
        "为什么：",
        join_lines(m.rationale),
        "",
        f"依据：{m.basis}",
    ]
    if m.aliases:
        lines.append(f"别名：{'、'.join(m.aliases)}")
    if m.bad_example:
        lines += ["", "不符合的写法：", f"  {m.bad_example.strip()}"]
    if m.good_example:
        lines += ["", "符合的写法：", f"  {m.good_example.strip()}"]
    if m.params:
        lines += ["", "参数（默认值）：", *(f"  {k}: {v!r}" for k, v in m.params.items())]
    if source is not None:
        where = shown_path(source.path) + (f":{source.line}" if source.line else "")
        lines += ["", f"定义：{where}"]
        if source.cases:
            lines.append(f"用例：{shown_path(source.cases)}")
    return "\n".join(lines) + "\n"


def rule_markdown(m: RuleMeta) -> list[str]:
    """One rule's documentation as Markdown lines: the body of its ``docs/rules.md`` section and the
    SARIF ``help.markdown`` that code-scanning tools render."""
    out = [f"`{m.name}` · 级别 {m.severity} · 适用格式 {'、'.join(m.editions)} · 规则集 {m.ruleset}", ""]
    out += [m.summary, "", "**为什么**：" + join_lines(m.rationale), "", f"**依据**：{m.basis}"]
    if m.aliases:
        out += ["", f"**别名**：{'、'.join(m.aliases)}"]
    if m.bad_example:
        out += ["", f"**不符合**：{m.bad_example.strip()}"]
    if m.good_example:
        out += ["", f"**符合**：{m.good_example.strip()}"]
    if m.params:
        out += ["", "**参数**：" + "；".join(f"`{k}` 默认 `{v!r}`" for k, v in m.params.items())]
    return out


def rules_markdown(metas: Sequence[RuleMeta]) -> str:
    """The rule catalog as Markdown; ``docs/rules.md`` is this output, committed."""
    out = [
        "# nianbao 规则说明",
        "",
        "本文件由 `nianbao rules --format markdown` 从规则元数据生成，请勿手工编辑；测试会在它过期时失败。",
        "",
        "| 代码 | 名称 | 级别 | 适用格式 | 规则集 | 说明 |",
        "|---|---|---|---|---|---|",
    ]
    ordered = sorted(metas, key=lambda m: (_group(m), m.code))
    for m in ordered:
        out.append(
            f"| [{m.code}](#{m.code.lower()}) | `{m.name}` | {m.severity} | {'、'.join(m.editions)} | {m.ruleset} | {m.summary} |"
        )
    heading = None
    for m in ordered:
        if _group(m)[1] != heading:
            heading = _group(m)[1]
            out += ["", f"## {heading}"]
        out += ["", f"### {m.code}", "", *rule_markdown(m)]
    return "\n".join(out) + "\n"
