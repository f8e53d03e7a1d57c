"""``nianbao lint``: files in, findings out, one broken file never stopping the batch."""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .config import Config, Layer, build_selection, find_config, ignored_for, layers_for, load_config_file
from .document import Document, Location, Meta
from .engine import (
    INTERNAL_ERROR,
    TOOL_RULES,
    RuleFailure,
    RuleSelection,
    describe_exception,
    finish,
    internal_finding,
    run_family_rules,
    run_pair_rules,
    run_rules,
)
from .loading import InputError, LoadContext, NotAReport, load_document
from .registry import all_rules
from .rules import SEVERITY_RANK, Finding, Rule, RuleMeta, Severity, is_family, is_pair
from .ruleset_files import canonical_name, chain, regional_rulesets
from .templates import Template
from .yamlerrors import ConfigError

if TYPE_CHECKING:  # baselines and cross-document grouping are imported when a run uses them
    from .discovery import Exclusions, Skipped
    from .grouping import Entry
    from .host import PluginHost

DEFAULT_RULESET = "national"
AUTO_RULESET = "auto"  # choose from the report's province (the default when nothing is configured)
# Cross-document checks need several reports at once; at most this many stay in memory, the rest are
# read again when a pair or family needs them (a portal may lint thousands of files in one run).
KEEP_DOCUMENTS = 32
DEFAULT_FAIL_ON: Severity = "warning"
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass(slots=True)
class LintOptions:
    """What the command line (or a caller) asks of a lint run."""

    ruleset: str | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: Severity | None = None
    config: str | None = None
    edition: str | None = None
    input_kind: str | None = None  # --input-format: the loader to read with
    baseline: str | None = None
    write_baseline: str | None = None
    prune_baseline: bool = False
    previous: str | None = None  # last year's report for the (single) linted report
    hierarchy: bool = False  # compare a government's aggregate report with its departments' reports
    extend_select: list[str] = field(default_factory=list)
    exclude: list[str] | None = None  # replaces the configuration's (and the default) exclusions
    extend_exclude: list[str] = field(default_factory=list)
    force_exclude: bool = False  # apply exclusions (and skip plain non-reports) to named files too


@dataclass(slots=True)
class FileResult:
    """The outcome of linting one file: its findings, or the error that stopped it."""

    path: str
    findings: list[Finding]
    ruleset: str = DEFAULT_RULESET
    error: Finding | None = None  # NB01/NB02: the file could not be checked
    meta: dict[str, Any] = field(default_factory=dict)
    # Why this rule set: "option" (--ruleset), "config", "province" (chosen from the report), "default".
    ruleset_source: str = "default"
    rules: tuple[str, ...] = ()  # codes of the rules that ran on this file, in run order
    not_applicable: dict[str, str] = field(default_factory=dict)  # code -> why it did not run
    seconds: float = 0.0  # wall time; outputs show it only when asked (it breaks byte-identical output)


@dataclass(slots=True)
class LintRun:
    """Everything a lint run found, as the outputs render it."""

    results: list[FileResult]
    rules: dict[str, RuleMeta]
    fail_on: Severity
    problems: list[str] = field(default_factory=list)
    stale: list[tuple[str, str, int]] = field(default_factory=list)
    baseline_written: str | None = None
    failures: list[RuleFailure] = field(default_factory=list)  # rules that raised, per file
    started: float = 0.0  # epoch seconds, for outputs that are asked for timestamps
    skipped: list[Skipped] = field(default_factory=list)  # files a folder walk did not lint, and why
    # The document a result was linted from (read again when it is no longer in memory), for outputs
    # that show the report itself; None for a file that could not be read.
    documents: Callable[[str], Document | None] = field(default=lambda path: None, repr=False)
    templates: tuple[Template, ...] = ()  # the report templates the run knew (tables' layout)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in ((r.error,) if r.error else ()) + tuple(r.findings)]

    @property
    def rulesets(self) -> list[str]:
        return sorted({r.ruleset for r in self.results})

    def exit_code(self) -> int:
        if any(r.error for r in self.results) or any(f.code == INTERNAL_ERROR for f in self.findings):
            return EXIT_ERROR
        threshold = SEVERITY_RANK[self.fail_on]
        if any(SEVERITY_RANK[f.severity] >= threshold for f in self.findings):
            return EXIT_FINDINGS
        return EXIT_OK


class NothingToLint(Exception):
    """The paths name no report at all (an empty folder, a glob that matches nothing): a usage error."""

    def __init__(self, message: str, skipped: Sequence[Skipped] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.skipped = list(skipped)


class _Skip(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


def _error_finding(path: str, code: str, message: str, location: Location | None = None) -> Finding:
    meta = TOOL_RULES[code]
    return Finding(meta.code, meta.name, meta.severity, message, location, path=path)


def _load_error(path: str, exc: Exception) -> Finding:
    """Why a file could not be read: NB01/NB02 for the file's fault, NB05 for nianbao's."""
    if isinstance(exc, InputError):
        return _error_finding(path, exc.code, exc.reason, exc.location)
    if isinstance(exc, RecursionError):
        return _error_finding(path, "NB01", "文件的结构嵌套层数过多，无法读取；请检查生成它的程序或重新导出")
    if isinstance(exc, MemoryError):
        return _error_finding(path, "NB01", "读取这个文件所需的内存超出了可用内存；请确认文件是一份年度报告")
    return internal_finding(path, "读取这个文件时", describe_exception(exc))


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
        self._documents: OrderedDict[str, Document] = OrderedDict()
        self._file_selection: dict[str, tuple[RuleSelection, set[str]]] = {}
        self._regional: dict[str, str] | None = None
        self._stdin: Document | None = None
        self._forced = False

    def _config(self, path: str) -> Config:
        if self.forced_config is not None:
            return self.forced_config
        directory = os.path.dirname(os.path.abspath(path)) if path != "-" else os.getcwd()
        return find_config(directory)

    def _selection(self, config: Config, ruleset: str) -> RuleSelection:
        key = (config.path, ruleset)
        if key not in self._selections:
            o = self.options
            cli = Layer("命令行参数", o.select, o.ignore, o.severity, extend_select=o.extend_select)
            rulesets = chain(ruleset, self.host)
            in_use = {r.name for r in rulesets}
            out_of_scope = {s.name for s in self.host.rulesets} - in_use
            self._selections[key] = build_selection(
                layers_for(rulesets, config, cli), self.metas, ruleset, out_of_scope
            )
        return self._selections[key]

    def _ruleset_for(self, config: Config, doc: Document | None) -> tuple[str, str]:
        """The rule set for a file and why: --ruleset, then the configuration, then the province."""
        option = self.options.ruleset
        if option and option.casefold() != AUTO_RULESET:
            return canonical_name(option, self.host), "option"
        if config.ruleset and config.ruleset.casefold() != AUTO_RULESET and not option:
            return canonical_name(config.ruleset, self.host), "config"
        province = doc.meta.region.province if doc is not None else None
        if province:
            if self._regional is None:
                self._regional = regional_rulesets(self.host)
            name = self._regional.get(province)
            if name:
                return name, "province"
        return DEFAULT_RULESET, "default"

    def lint_file(self, path: str) -> FileResult:
        result, _ = self._lint(path)
        return result

    def _load(self, path: str) -> Document:
        doc = self._documents.get(path)
        if doc is not None:
            self._documents.move_to_end(path)
            return doc
        config = self._config(path)
        context = LoadContext(templates=self.host.templates, edition=self.options.edition or config.edition)
        doc = load_document(path, self.host.loaders, context, kind=self.options.input_kind)
        if path == "-":
            self._stdin = doc  # standard input cannot be read twice
        self._documents[path] = doc
        if len(self._documents) > KEEP_DOCUMENTS:
            self._documents.popitem(last=False)
        return doc

    def document(self, path: str) -> Document | None:
        """The document ``path`` was linted from, or None when it could not be read."""
        if path == "-" and self._stdin is not None:
            return self._stdin
        try:
            return self._load(path)
        except InputError:
            return None

    def _lint(self, path: str, lenient: bool = False) -> tuple[FileResult, Document | None]:
        config = self._config(path)
        explicit, source = self._ruleset_for(config, None)
        if source != "default":
            self._selection(config, explicit)  # an unknown rule set is a usage error before any reading
        start = time.perf_counter()
        try:
            doc = self._load(path)
        except Exception as exc:  # noqa: BLE001 - every failure to read is reported for this file alone
            if lenient and isinstance(exc, NotAReport):
                raise _Skip(exc.reason) from None
            error = _load_error(path, exc)
            return FileResult(path, [], explicit, error=error, seconds=time.perf_counter() - start), None
        ruleset, source = self._ruleset_for(config, doc)
        selection = self._selection(config, ruleset)
        ignored = ignored_for(path, config, self.metas)
        self._file_selection[path] = (selection, ignored)
        rules = [r for r in self.rules if r.meta.code not in ignored]
        evaluated: list[str] = []
        not_applicable: dict[str, str] = {}
        findings = run_rules(doc, rules, self.host.templates, selection, self.failures, evaluated, not_applicable)
        findings = [f for f in findings if f.code not in ignored]
        return (
            FileResult(
                path,
                findings,
                ruleset,
                meta=_meta_summary(doc),
                ruleset_source=source,
                rules=tuple(c for c in evaluated if c not in ignored),
                not_applicable=not_applicable,
                seconds=time.perf_counter() - start,
            ),
            doc,
        )

    def _exclusions(self, folder: str) -> Exclusions:
        from .discovery import Exclusions, exclusion_sets

        o = self.options
        config = self._config(os.path.join(folder, "."))
        base = str(config.root) if config.root is not None else None
        cwd = os.getcwd()
        return Exclusions(exclusion_sets(o.exclude, o.extend_exclude, config.exclude, config.extend_exclude, base, cwd))

    def _discover(self, paths: Sequence[str]) -> tuple[list[str], set[str], list[Skipped]]:
        force = self.options.force_exclude or any(self._config(p).force_exclude for p in paths if p != "-")
        self._forced = force
        if not force and all(p == "-" or os.path.isfile(p) for p in paths):
            return list(paths), set(), []  # files named one by one: nothing to walk or expand
        from .discovery import discover  # ~1.5 ms of dataclasses a run of named files does not need

        # A loader may opt out of directory walks (``discover = False``): a folder of reports often
        # holds other .json files, which only count as reports when named explicitly.
        loaders = self.host.loaders
        extensions = {e for loader in loaders if getattr(loader, "discover", True) for e in loader.extensions}
        conversions = {k: v for loader in loaders for k, v in (getattr(loader, "conversions", None) or {}).items()}
        found = discover(paths, extensions, conversions, self._exclusions, force)
        if found.unmatched:
            raise NothingToLint(f"没有与 “{'”“'.join(found.unmatched)}” 匹配的文件或目录，请检查路径和通配符")
        if not found.files and not force:
            kinds = "、".join(sorted(extensions))
            raise NothingToLint(f"{'、'.join(paths)} 中没有可检查的报告（支持的文件：{kinds}）", found.skipped)
        return found.files, found.lenient, found.skipped

    def run(self, paths: Sequence[str]) -> LintRun:
        files, lenient, skipped = self._discover(paths)
        if self.options.previous and len(files) != 1:
            raise ConfigError("--previous", f"--previous 只能与一份报告一起使用（本次有 {len(files)} 份）")
        started = time.time()
        results: list[FileResult] = []
        read: list[tuple[str, Meta]] = []
        for p in files:
            try:
                result, doc = self._lint(p, lenient=p in lenient)
            except _Skip as skip:
                from .discovery import Skipped

                skipped.append(Skipped(p, skip.reason))
                continue
            except ConfigError:
                raise
            except Exception as exc:  # nianbao's own bug: say so for this file, and go on with the batch
                result, doc = (
                    FileResult(p, [], error=internal_finding(p, "读取和检查这个文件时", describe_exception(exc))),
                    None,
                )
            results.append(result)
            if doc is not None:
                read.append((p, doc.meta))
        skipped.sort(key=lambda s: s.path)
        # With --force-exclude (pre-commit passes whatever a commit touched) a commit with no report
        # in it is fine; a folder or a list of paths with no report in it is a mistake.
        if not results and not self._forced:
            raise NothingToLint(f"{'、'.join(paths)} 中没有政府信息公开工作年度报告", skipped)
        linted = [r.path for r in results]
        configs = {self._config(p).fail_on for p in linted} - {None}
        fail_on = self.options.fail_on or (configs.pop() if len(configs) == 1 else None) or DEFAULT_FAIL_ON
        run = LintRun(results, {m.code: m for m in self.metas}, fail_on, failures=list(self.failures), started=started)
        run.skipped = skipped
        run.documents = self.document
        run.templates = tuple(self.host.templates)
        self._cross_document(run, read)
        run.problems = [f"插件 “{p.plugin}” 无法加载，已跳过：{p.reason}" for p in self.host.problems] + run.problems
        self._apply_baseline(run, linted)
        self._report_failures(run)
        return run

    def _report_failures(self, run: LintRun) -> None:
        """Rules that raised become NB05 findings of their file, after ignores and the baseline: an
        incomplete check is never silenced."""
        by_path = {r.path: r for r in run.results}
        for failure in self.failures:
            result = by_path.get(failure.path)
            if result is None:
                continue
            result.findings.append(internal_finding(failure.path, f"规则 {failure.code} 运行时", failure.error))
            result.findings.sort(key=Finding.sort_key)

    # ------------------------------------------------------------------------------ cross-document

    def _cross_document(self, run: LintRun, read: list[tuple[str, Meta]]) -> None:
        """Pair and family rules; nothing at all happens for a single report without --previous."""
        pair_rules = [r for r in self.rules if is_pair(r)]
        family_rules = [r for r in self.rules if is_family(r)]
        by_path = {r.path: r for r in run.results}
        pairs = pair_rules and (self.options.previous or len(read) > 1)
        if not pairs and not (family_rules and self.options.hierarchy):
            return
        from .grouping import entry_for, families

        entries = [entry_for(path, meta) for path, meta in read]
        if pairs:
            for current, previous in self._pairs(run, entries):
                self._run_pair(by_path[current], previous, pair_rules)
        if family_rules and self.options.hierarchy:
            selected = self._file_selection

            def selection_of(path: str) -> RuleSelection:
                return selected[path][0]

            for group in families(entries):
                docs = [self._load(p) for p in group]
                found = run_family_rules(docs, family_rules, self.host.templates, selection_of, self.failures)
                for f in found:
                    if f.code not in selected[f.path][1]:
                        by_path[f.path].findings.append(f)
                for path in group:
                    by_path[path].findings.sort(key=Finding.sort_key)
                    enabled, ignored = selected[path]
                    by_path[path].rules += tuple(
                        r.meta.code
                        for r in family_rules
                        if enabled.enabled(r.meta)
                        and r.meta.code not in ignored
                        and r.meta.code not in by_path[path].rules
                    )

    def _pairs(self, run: LintRun, entries: list[Entry]) -> list[tuple[str, str]]:
        if self.options.previous:
            if not entries:
                return []
            previous = self.options.previous
            try:
                self._load(previous)
            except Exception as exc:  # noqa: BLE001 - as for any file: reported, and the run goes on
                run.results.append(FileResult(previous, [], error=_load_error(previous, exc)))
                return []
            return [(entries[0].path, previous)]
        from .grouping import pair_by_organ

        pairing = pair_by_organ(entries)
        # One line per organ, however many files: a portal's run over 10,000 reports must not list
        # every candidate for every report.
        keys = {e.path: e.organ or e.path for e in entries}
        names = {e.organ: e.name or e.organ for e in entries}
        by_organ: dict[str, list[tuple[str, list[str]]]] = {}
        for path, candidates in pairing.ambiguous:
            by_organ.setdefault(keys[path], []).append((path, candidates))
        for key, items in sorted(by_organ.items()):
            previous = sorted({c for _, cs in items for c in cs})
            run.problems.append(
                f"{names.get(key) or key}：{len(items)} 份报告的上一年度有 {len(previous)} 份同一机关的报告（如 {items[0][0]} 对应 "
                f"{'、'.join(previous[:2])}），无法确定对应关系，未做跨年度检查；可用 --previous 指定"
            )
        return pairing.pairs

    def _run_pair(self, result: FileResult, previous_path: str, rules: list[Rule]) -> None:
        selection, ignored = self._file_selection[result.path]
        doc, previous = self._load(result.path), self._load(previous_path)
        evaluated: list[str] = []
        found = run_pair_rules(doc, previous, rules, self.host.templates, selection, self.failures, evaluated)
        result.rules += tuple(c for c in evaluated if c not in ignored and c not in result.rules)
        result.findings = finish(result.findings + [f for f in found if f.code not in ignored], result.path, selection)

    def _apply_baseline(self, run: LintRun, files: list[str]) -> None:
        o = self.options
        if o.write_baseline:
            from .baseline import Baseline

            Baseline.from_findings(o.write_baseline, [f for r in run.results for f in r.findings]).write()
            run.baseline_written = o.write_baseline
            return
        if not o.baseline:
            return
        from .baseline import Baseline

        baseline = Baseline.read(o.baseline)
        new, run.stale = baseline.filter([f for r in run.results for f in r.findings], files)
        keep = {id(f) for f in new}
        for result in run.results:
            result.findings = [f for f in result.findings if id(f) in keep]
        if o.prune_baseline and run.stale:
            baseline.prune(run.stale)
            baseline.write()
