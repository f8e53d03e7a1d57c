"""Running the selected rules over a document and collecting findings in a stable order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .document import Document
from .places import nearest_place
from .rules import Finding, LogicalLocation, Rule, RuleContext, RuleMeta, Severity, is_family, is_pair, scope_of
from .templates import Template

# Loader diagnostics become findings so that every output format carries them.
TOOL_RULES: dict[str, RuleMeta] = {
    meta.code: meta
    for meta in (
        RuleMeta(
            code="NB01",
            name="input.unreadable",
            severity="error",
            summary="文件无法读取或解码",
            rationale="损坏、加密、过大或编码无法确定的文件无法检查；每个这样的文件都会单独报告，其余文件照常检查。",
            basis="nianbao 工具诊断",
            ruleset="core",
        ),
        RuleMeta(
            code="NB02",
            name="input.not-a-report",
            severity="error",
            summary="文件可以读取，但不是政府信息公开工作年度报告",
            rationale="没有找到任何法定章节或统计表，通常是选错了文件，或是扫描件没有文字层。",
            basis="nianbao 工具诊断",
            ruleset="core",
        ),
        RuleMeta(
            code="NB03",
            name="input.extraction-uncertain",
            severity="error",
            summary="nianbao 没能可靠读取这部分内容，请对照原件核对（不一定是报告本身的错误）",
            rationale=(
                "这是 nianbao 自己读取报告时遇到的问题，不是对报告内容的判断：表格数字连在一起且有不止一种拆法、"
                "一组数值找不到所属的行、表格在导出（PDF、网页）时错位等情况下，nianbao 不猜测数值，而是报告这里读不准。"
                "被怀疑的格不参加其他规则的检查，所以这部分内容实际上没有检查过。请打开原件核对所指的表格或段落："
                "原件无误时，用更好的文件（Word 原件或带文字层的 PDF）重新检查；原件有误时请改正。"
                "处理方式与 ruff 对待语法错误相同：文件读不准的地方总是报告，不能用 select、ignore 或 per-file-ignores 关闭，"
                "默认级别为 error，检查不会在有内容未经核对时通过（--fail-on error 也一样）。确需放行时，"
                "可用 --severity NB03=warning（或配置中的 severity）降低级别，再配合 --fail-on error。"
            ),
            basis="nianbao 工具诊断；参照 ruff 对语法错误的处理（总是报告，使检查失败）",
            ruleset="core",
            precision="medium",
        ),
        RuleMeta(
            code="NB04",
            name="config.invalid",
            severity="error",
            summary="规则集或配置文件无效",
            rationale="配置错误若被忽略，检查结果会与预期不符；因此报告文件、行、列后停止。",
            basis="nianbao 工具诊断",
            ruleset="core",
        ),
        RuleMeta(
            code="NB05",
            name="internal.error",
            severity="error",
            summary="nianbao 内部错误：检查不完整，请报告给 nianbao 的维护者",
            rationale="一条规则或一个读取程序运行出错是 nianbao 自身的缺陷，不是报告的问题；出错部分的结果缺失，"
            "这份报告的检查并不完整。为了不把不完整的检查当作通过，这一诊断不能用 --ignore、配置或基线关闭，"
            "并使退出码为 2；同一批的其他文件照常检查。",
            basis="nianbao 工具诊断",
            ruleset="core",
        ),
    )
}


INTERNAL_ERROR = "NB05"
BUG_HINT = "这是 nianbao 的缺陷，不是报告的问题；请把这条消息、nianbao 版本（nianbao --version）和这个文件一起报告给 nianbao 的维护者。"
# A rule that reports a problem at every bracket or line would bury everything else (and once took
# 1.7 GB for a 900 KB file): each rule lists at most this many findings per document and says how many
# more there are, counting on up to MAX_COUNTED.
MAX_FINDINGS_PER_RULE = 100
MAX_COUNTED = 10_000


@dataclass(slots=True)
class RuleSelection:
    """Which rules run and how: the outcome of rule sets, configuration and command-line flags."""

    enabled: Callable[[RuleMeta], bool] = lambda meta: True
    severity: Mapping[str, Severity] = field(default_factory=dict)
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    ruleset: str = "national"


@dataclass(slots=True)
class RuleFailure:
    """A rule that raised: a bug in the rule, reported without stopping the run."""

    code: str
    path: str
    error: str  # ``ValueError: ...`` and where it was raised

    @classmethod
    def of(cls, code: str, path: str, exc: BaseException) -> RuleFailure:
        return cls(code, path, describe_exception(exc))


def describe_exception(exc: BaseException) -> str:
    """``ValueError: message（位于 plugins/x.py:12）``: enough for a bug report, without a traceback."""
    import traceback  # with textwrap: only for a rule that raised

    text = f"{type(exc).__name__}: {str(exc)[:200]}"
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        last = frames[-1]
        parts = last.filename.replace("\\", "/").split("/")
        text += f"（位于 {'/'.join(parts[-2:])}:{last.lineno}）"
    return text


def internal_finding(path: str, what: str, error: str) -> Finding:
    """NB05: nianbao's own bug, reported in every output like an unreadable file."""
    meta = TOOL_RULES[INTERNAL_ERROR]
    message = f"nianbao 内部错误：{what}出错（{error}），本文件的检查不完整。{BUG_HINT}"
    return Finding(meta.code, meta.name, meta.severity, message, path=path)


def capped(meta: RuleMeta, found: Iterable[Finding]) -> list[Finding]:
    """At most :data:`MAX_FINDINGS_PER_RULE` of a rule's findings, then one saying how many more there are,
    located at the first one not listed."""
    it = iter(found)
    kept = list(islice(it, MAX_FINDINGS_PER_RULE))
    first = next(it, None)
    if first is None:
        return kept
    more = 1 + sum(1 for _ in islice(it, MAX_COUNTED))
    many = f"{MAX_COUNTED} 处以上" if more > MAX_COUNTED else f"{more} 处"
    kept.append(
        Finding(
            meta.code,
            meta.name,
            first.severity,
            f"从这里起另有 {many}同类问题未逐条列出（每条规则每份报告最多列出 {MAX_FINDINGS_PER_RULE} 处）；"
            "改正以上各处后重新检查即可看到其余的",
            first.location,
            first.logical,
            first.origin,
        )
    )
    return kept


def template_for(doc: Document, templates: Sequence[Template]) -> Template | None:
    edition = doc.meta.edition.value
    return next((f for f in templates if f.edition == edition), None)


def run_rules(
    doc: Document,
    rules: Sequence[Rule],
    templates: Sequence[Template],
    selection: RuleSelection,
    failures: list[RuleFailure] | None = None,
    evaluated: list[str] | None = None,
    not_applicable: dict[str, str] | None = None,
) -> list[Finding]:
    """Findings of the selected rules. ``evaluated`` receives the codes of the rules that ran (JUnit
    lists each as a test, passing or failing); ``not_applicable`` those skipped for the edition."""
    template = template_for(doc, templates)
    edition = doc.meta.edition.value
    findings: list[Finding] = []
    for rule in rules:
        meta = rule.meta
        if not selection.enabled(meta) or scope_of(rule) != "document":
            continue
        if edition and not meta.applies_to(edition):
            if not_applicable is not None:
                not_applicable[meta.code] = f"规则不适用于 {edition} 年格式的报告（适用：{'、'.join(meta.editions)}）"
            continue
        if evaluated is not None:
            evaluated.append(meta.code)
        ctx = rule_context(rule, template, templates, selection)
        try:
            produced = capped(meta, rule.check(doc, ctx))
        except Exception as exc:  # a broken rule must not hide the other rules' findings
            if failures is not None:
                failures.append(RuleFailure.of(meta.code, doc.source.path, exc))
            continue
        findings.extend(produced)
    nb03 = TOOL_RULES["NB03"]
    if selection.enabled(nb03):
        if evaluated is not None:
            evaluated.append(nb03.code)
        for diag in doc.diagnostics:
            meta = TOOL_RULES.get(diag.code, nb03)
            findings.append(
                Finding(
                    meta.code,
                    meta.name,
                    meta.severity,
                    diag.message,
                    diag.location,
                    LogicalLocation(),
                    origin="extraction",
                    cells=list(diag.scope),
                )
            )
    placed(findings, doc, template)
    return finish(findings, doc.source.path, selection)


def placed(findings: list[Finding], doc: Document, template: Template | None) -> None:
    """Give every finding a real place: one about something absent points at where it belongs."""
    for f in findings:
        if f.location is None:
            f.location = nearest_place(doc, f, template)


def rule_context(
    rule: Rule, template: Template | None, templates: Sequence[Template], selection: RuleSelection
) -> RuleContext:
    meta = rule.meta
    return RuleContext(
        template=template,
        params={**meta.params, **selection.params.get(meta.code, {})},
        ruleset=selection.ruleset,
        templates=tuple(templates),
    )


def finish(findings: list[Finding], path: str, selection: RuleSelection) -> list[Finding]:
    """Findings of one file as every output expects them: located in ``path``, at the selected
    severity, sorted."""
    for f in findings:
        f.path = f.path or path
        f.severity = selection.severity.get(f.code, f.severity)
        if f.logical is not None and not f.logical.dotted():
            f.logical = None
    findings.sort(key=Finding.sort_key)
    return findings


def run_pair_rules(
    doc: Document,
    previous: Document,
    rules: Sequence[Rule],
    templates: Sequence[Template],
    selection: RuleSelection,
    failures: list[RuleFailure] | None = None,
    evaluated: list[str] | None = None,
) -> list[Finding]:
    """Cross-year rules on this year's report and the same organ's report of the year before."""
    template = template_for(doc, templates)
    edition = doc.meta.edition.value
    findings: list[Finding] = []
    for rule in rules:
        meta = rule.meta
        if not is_pair(rule) or not selection.enabled(meta) or (edition and not meta.applies_to(edition)):
            continue
        if evaluated is not None:
            evaluated.append(meta.code)
        try:
            ctx = rule_context(rule, template, templates, selection)
            findings.extend(capped(meta, rule.check_pair(doc, previous, ctx)))
        except Exception as exc:  # a broken rule must not hide the other rules' findings
            if failures is not None:
                failures.append(RuleFailure.of(meta.code, doc.source.path, exc))
    for f in findings:
        f.path = doc.source.path  # a pair rule's findings belong to this year's report
    placed(findings, doc, template)
    return finish(findings, doc.source.path, selection)


def run_family_rules(
    docs: Sequence[Document],
    rules: Sequence[Rule],
    templates: Sequence[Template],
    selection: Callable[[str], RuleSelection],
    failures: list[RuleFailure] | None = None,
) -> list[Finding]:
    """Rules over a group of reports of one place and year; ``selection`` gives each file's selection
    (a finding counts only where its own file enables the rule)."""
    template = template_for(docs[0], templates)
    findings: list[Finding] = []
    for rule in rules:
        if not is_family(rule):
            continue
        meta = rule.meta
        try:
            ctx = rule_context(rule, template, templates, selection(docs[0].source.path))
            produced = list(rule.check_family(docs, ctx))
        except Exception as exc:
            if failures is not None:
                failures.append(RuleFailure.of(meta.code, docs[0].source.path, exc))
            continue
        for f in produced:
            path = f.path or docs[0].source.path
            if selection(path).enabled(meta):
                findings.extend(finish([f], path, selection(path)))
    return findings
