"""``nianbao lint``: files in, findings out, one broken file never stopping the batch."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .baseline import Baseline
from .config import Config, Layer, build_selection, find_config, ignored_for, layers_for, load_config_file
from .document import Document
from .engine import TOOL_RULES, RuleFailure, RuleSelection, run_rules
from .host import PluginHost
from .loading import InputError, LoadContext, load_document
from .registry import all_rules
from .rules import SEVERITY_RANK, Finding, Rule, RuleMeta, Severity
from .ruleset_files import chain

DEFAULT_RULESET = "national"
DEFAULT_FAIL_ON: Severity = "warning"
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass(slots=True)
class LintOptions:
    ruleset: str | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: Severity | None = None
    config: str | None = None
    edition: str | None = None
    input_format: str | None = None
    baseline: str | None = None
    write_baseline: str | None = None
    prune_baseline: bool = False


@dataclass(slots=True)
class FileResult:
    path: str
    findings: list[Finding]
    ruleset: str = DEFAULT_RULESET
    error: Finding | None = None  # NB01/NB02: the file could not be checked
    meta: dict[str, Any] = field(default_factory=dict)
    rules: tuple[str, ...] = ()  # codes of the rules that ran on this file, in run order
    not_applicable: dict[str, str] = field(default_factory=dict)  # code -> why it did not run
    seconds: float = 0.0  # wall time; outputs show it only when asked (it breaks byte-identical output)


@dataclass(slots=True)
class LintRun:
    results: list[FileResult]
    rules: dict[str, RuleMeta]
    fail_on: Severity
    problems: list[str] = field(default_factory=list)
    stale: list[tuple[str, str, int]] = field(default_factory=list)
    baseline_written: str | None = None
    failures: list[RuleFailure] = field(default_factory=list)  # rules that raised, per file
    started: float = 0.0  # epoch seconds, for outputs that are asked for timestamps

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in ((r.error,) if r.error else ()) + tuple(r.findings)]

    @property
    def rulesets(self) -> list[str]:
        return sorted({r.ruleset for r in self.results})

    def exit_code(self) -> int:
        if any(r.error for r in self.results):
            return EXIT_ERROR
        threshold = SEVERITY_RANK[self.fail_on]
        if any(SEVERITY_RANK[f.severity] >= threshold for f in self.findings):
            return EXIT_FINDINGS
        return EXIT_OK


def collect_files(paths: Sequence[str], extensions: set[str]) -> list[str]:
    """Files as given, and every file with a supported extension below a directory, sorted."""
    out: list[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found = []
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [os.path.join(folder, f) for f in files if os.path.splitext(f)[1].lower() in extensions]
            out.extend(sorted(found))
        else:
            out.append(path)
    return out


def _error_finding(path: str, code: str, message: str) -> Finding:
    meta = TOOL_RULES[code]
    return Finding(meta.code, meta.name, meta.severity, message, path=path)


def _meta_summary(doc: Document) -> dict[str, Any]:
    m = doc.meta
    return {
        "organ": m.organ,
        "report_year": m.report_year,
        "edition": m.edition.value,
        "province": m.region.province,
    }


class Linter:
    def __init__(self, host: PluginHost, options: LintOptions) -> None:
        self.host = host
        self.options = options
        self.rules: list[Rule] = all_rules(host)
        self.metas = [r.meta for r in self.rules] + list(TOOL_RULES.values())
        self._selections: dict[tuple[str | None, str], RuleSelection] = {}
        self.forced_config: Config | None = load_config_file(options.config) if options.config else None
        self.failures: list[RuleFailure] = []

    def _config(self, path: str) -> Config:
        if self.forced_config is not None:
            return self.forced_config
        directory = os.path.dirname(os.path.abspath(path)) if path != "-" else os.getcwd()
        return find_config(directory)

    def _selection(self, config: Config, ruleset: str) -> RuleSelection:
        key = (config.path, ruleset)
        if key not in self._selections:
            o = self.options
            cli = Layer("命令行", o.select, o.ignore, o.severity)
            self._selections[key] = build_selection(
                layers_for(chain(ruleset, self.host), config, cli), self.metas, ruleset
            )
        return self._selections[key]

    def lint_file(self, path: str) -> FileResult:
        config = self._config(path)
        ruleset = self.options.ruleset or config.ruleset or DEFAULT_RULESET
        selection = self._selection(config, ruleset)
        context = LoadContext(formats=self.host.formats, edition=self.options.edition or config.edition)
        start = time.perf_counter()
        try:
            doc = load_document(path, self.host.loaders, context, fmt=self.options.input_format)
        except InputError as exc:
            error = _error_finding(path, exc.code, exc.reason)
            return FileResult(path, [], ruleset, error=error, seconds=time.perf_counter() - start)
        ignored = ignored_for(path, config, self.metas)
        rules = [r for r in self.rules if r.meta.code not in ignored]
        evaluated: list[str] = []
        not_applicable: dict[str, str] = {}
        findings = run_rules(doc, rules, self.host.formats, selection, self.failures, evaluated, not_applicable)
        findings = [f for f in findings if f.code not in ignored]
        return FileResult(
            path,
            findings,
            ruleset,
            meta=_meta_summary(doc),
            rules=tuple(c for c in evaluated if c not in ignored),
            not_applicable=not_applicable,
            seconds=time.perf_counter() - start,
        )

    def run(self, paths: Sequence[str]) -> LintRun:
        extensions = {e for loader in self.host.loaders for e in loader.extensions}
        files = collect_files(paths, extensions)
        started = time.time()
        results = [self.lint_file(p) for p in files]
        configs = {self._config(p).fail_on for p in files} - {None}
        fail_on = self.options.fail_on or (configs.pop() if len(configs) == 1 else None) or DEFAULT_FAIL_ON
        run = LintRun(results, {m.code: m for m in self.metas}, fail_on, failures=list(self.failures), started=started)
        run.problems = [f"插件 “{p.plugin}” 无法加载，已跳过：{p.reason}" for p in self.host.problems]
        run.problems += [f"{f.path}: 规则 {f.code} 运行出错，已跳过：{f.error}" for f in self.failures]
        self._apply_baseline(run, files)
        return run

    def _apply_baseline(self, run: LintRun, files: list[str]) -> None:
        o = self.options
        if o.write_baseline:
            Baseline.from_findings(o.write_baseline, [f for r in run.results for f in r.findings]).write()
            run.baseline_written = o.write_baseline
            return
        if not o.baseline:
            return
        baseline = Baseline.read(o.baseline)
        new, run.stale = baseline.filter([f for r in run.results for f in r.findings], files)
        keep = {id(f) for f in new}
        for result in run.results:
            result.findings = [f for f in result.findings if id(f) in keep]
        if o.prune_baseline and run.stale:
            baseline.prune(run.stale)
            baseline.write()
