"""``nianbao lint``: files in, findings out, one broken file never stopping the batch.

A run streams: each file is linted on its own (here, in a worker process or on a Dask node, or
taken from the cache) into a compact record — its result, and the parts of its document that the
cross-document rules read — and the records are kept in file order in a :class:`~nianbao.store.ResultStore`.
Once every file is done, the pairs and families are known: the cross-document rules run over the
kept parts, the baseline and rule crashes are applied file by file, and the outputs read the results
back one at a time.
"""

from __future__ import annotations

import os
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .config import Config, Layer, build_selection, find_config, ignored_for, layers_for, load_config_file
from .document import Document, Location
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
from .records import BadRecord, FileRecord, FileTask, document, extract, parts_for
from .registry import all_rules
from .rules import SEVERITY_RANK, DocumentParts, Finding, Rule, RuleMeta, Severity, is_family, is_pair
from .ruleset_files import canonical_name, chain, regional_rulesets
from .templates import Template
from .yamlerrors import ConfigError

if TYPE_CHECKING:  # baselines, cross-document grouping and parallel runs are imported when a run uses them
    from .cache import Cache
    from .discovery import Exclusions, Skipped
    from .executors import Job
    from .grouping import Entry
    from .host import PluginHost
    from .store import ResultStore

DEFAULT_RULESET = "national"
AUTO_RULESET = "auto"  # choose from the report's province (the default when nothing is configured)
# Documents an output may ask for again (the HTML report shows each report) stay in memory, at most
# this many; the others are read again when asked for.
KEEP_DOCUMENTS = 32
DEFAULT_FAIL_ON: Severity = "warning"
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# A run of fewer files is linted in this process whatever --jobs says: starting worker processes
# costs more than a few reports take.
MIN_PARALLEL_FILES = 8


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
    # Worker processes (the command line's default is one per core; a library caller lints in its own
    # process unless it asks), and where: "local" (this machine) or "dask" (a Dask cluster).
    jobs: int = 1
    executor: str = "local"
    scheduler: str | None = None  # a Dask scheduler's address; None: a local cluster of ``jobs`` workers
    cache: bool = False  # reuse results of unchanged files (on by default on the command line)
    cache_dir: str | None = None  # None: .nianbao_cache at the project root


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
class RunTotals:
    """Counts over a whole run, gathered while the results stream past: outputs print them before or
    after the files without holding every finding. A result changed at the end of the run is taken
    out (``add(result, -1)``) and counted again."""

    files: int = 0
    unreadable: int = 0
    severities: Counter[str] = field(default_factory=Counter)  # an unreadable file is one error
    rules: dict[str, tuple[str, Counter[str]]] = field(default_factory=dict)  # code -> (name, per severity)
    checked_with: Counter[str] = field(default_factory=Counter)  # rule set -> files
    chosen: Counter[tuple[str, str]] = field(default_factory=Counter)  # (rule set, why) -> files checked with it
    internal_errors: int = 0
    seconds: float = 0.0

    def add(self, result: FileResult, sign: int = 1) -> None:
        self.files += sign
        self.checked_with[result.ruleset] += sign
        self.seconds += sign * result.seconds
        if result.error is not None:
            self.unreadable += sign
            self._count(result.error, sign)
        else:
            self.chosen[(result.ruleset, result.ruleset_source)] += sign
        for f in result.findings:
            self._count(f, sign)

    def _count(self, f: Finding, sign: int) -> None:
        self.severities[f.severity] += sign
        entry = self.rules.get(f.code)
        if entry is None:
            entry = self.rules[f.code] = (f.name, Counter())
        entry[1][f.severity] += sign
        if not +entry[1]:
            del self.rules[f.code]
        if f.code == INTERNAL_ERROR:
            self.internal_errors += sign

    @property
    def rulesets(self) -> set[str]:
        return {name for name, n in self.checked_with.items() if n > 0}

    @property
    def count(self) -> int:
        return sum(self.severities.values())


def totals_of(results: Iterable[FileResult]) -> RunTotals:
    totals = RunTotals()
    for result in results:
        totals.add(result)
    return totals


@dataclass(slots=True)
class LintRun:
    """Everything a lint run found, as the outputs render it.

    ``results`` is a sequence in file order that may live on disk (a large run): iterate it, take its
    length, but do not expect a list; run-wide counts are in :attr:`totals`.
    """

    results: Sequence[FileResult]
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
    counted: RunTotals | None = field(default=None, repr=False)

    @property
    def totals(self) -> RunTotals:
        if self.counted is None:
            self.counted = totals_of(self.results)
        return self.counted

    @property
    def findings(self) -> list[Finding]:
        """Every finding of the run in one list (small runs and tests; outputs stream :attr:`results`)."""
        return [f for r in self.results for f in ((r.error,) if r.error else ()) + tuple(r.findings)]

    @property
    def rulesets(self) -> list[str]:
        return sorted(self.totals.rulesets)

    def exit_code(self) -> int:
        totals = self.totals
        if totals.unreadable or totals.internal_errors:
            return EXIT_ERROR
        threshold = SEVERITY_RANK[self.fail_on]
        if any(SEVERITY_RANK[s] >= threshold for s, n in totals.severities.items() if n):  # type: ignore[index]
            return EXIT_FINDINGS
        return EXIT_OK


class NothingToLint(Exception):
    """The paths name no report at all (an empty folder, a glob that matches nothing): a usage error."""

    def __init__(self, message: str, skipped: Sequence[Skipped] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.skipped = list(skipped)


class Progress:
    """What a run tells about its progress (the command line draws a bar on a terminal)."""

    def start(self, total: int) -> None: ...

    def advance(self, failed: bool) -> None: ...

    def finish(self) -> None: ...


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


def default_jobs() -> int:
    """One worker per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on every platform
        return os.cpu_count() or 1


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
        self.keep_documents = KEEP_DOCUMENTS
        self._regional: dict[str, str] | None = None
        self._stdin: Document | None = None
        self._forced = False
        self._parts: dict[int, DocumentParts | None] = {}  # id(selection) -> what cross-document rules read
        self.cache_problem: str | None = None  # why the cache could not be written, if it could not
        self.progress: Progress | None = None  # told about each file as it is done
        self._lenient: set[str] = set()
        self._cache: Cache | None = None
        self._totals: RunTotals | None = None

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
        record = self.lint_task(self._task(path))
        assert record.result is not None
        return record.result

    def _load(self, path: str, config: Config | None = None, data: bytes | None = None) -> Document:
        doc = self._documents.get(path)
        if doc is not None:
            self._documents.move_to_end(path)
            return doc
        config = config or self._config(path)
        context = LoadContext(templates=self.host.templates, edition=self.options.edition or config.edition)
        doc = load_document(path, self.host.loaders, context, kind=self.options.input_kind, data=data)
        if path == "-":
            self._stdin = doc  # standard input cannot be read twice
        if self.keep_documents:
            self._documents[path] = doc
            if len(self._documents) > self.keep_documents:
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

    # ------------------------------------------------------------------------------ one file

    def _task(self, path: str, lenient: bool = False, cross_document: bool = False) -> FileTask:
        """Everything decided about a file before it is read (here: configuration and paths are this
        machine's, whoever lints the file)."""
        config = self._config(path)
        explicit, source = self._ruleset_for(config, None)
        if source != "default":
            self._selection(config, explicit)  # an unknown rule set is a usage error before any reading
        ignored = frozenset(ignored_for(path, config, self.metas)) if config.per_file_ignores else frozenset()
        return FileTask(path, config, ignored, lenient, cross_document)

    def lint_task(self, task: FileTask) -> FileRecord:
        """Lint one file. Never raises for the file's sake (an unreadable file or a crashing rule is in
        the record); a configuration error (ConfigError) stops the run."""
        try:
            return self._lint(task)
        except ConfigError:
            raise
        except Exception as exc:  # nianbao's own bug: say so for this file, and go on with the batch
            error = internal_finding(task.path, "读取和检查这个文件时", describe_exception(exc))
            return FileRecord(task.path, FileResult(task.path, [], error=error))

    def _lint(self, task: FileTask) -> FileRecord:
        path, config = task.path, task.config
        explicit, source = self._ruleset_for(config, None)
        if source != "default":
            self._selection(config, explicit)
        start = time.perf_counter()
        try:
            doc = self._load(path, config, task.data)
        except Exception as exc:  # noqa: BLE001 - every failure to read is reported for this file alone
            if task.lenient and isinstance(exc, NotAReport):
                return FileRecord(path, skipped=exc.reason, cacheable=True)
            error = _load_error(path, exc)
            result = FileResult(path, [], explicit, error=error, seconds=time.perf_counter() - start)
            return FileRecord(path, result, cacheable=isinstance(exc, InputError) and task.data is not None)
        ruleset, source = self._ruleset_for(config, doc)
        selection = self._selection(config, ruleset)
        ignored = task.ignored
        rules = [r for r in self.rules if r.meta.code not in ignored] if ignored else self.rules
        evaluated: list[str] = []
        not_applicable: dict[str, str] = {}
        failures: list[RuleFailure] = []
        findings = run_rules(doc, rules, self.host.templates, selection, failures, evaluated, not_applicable)
        if ignored:
            findings = [f for f in findings if f.code not in ignored]
        result = FileResult(
            path,
            findings,
            ruleset,
            meta=_meta_summary(doc),
            ruleset_source=source,
            rules=tuple(c for c in evaluated if c not in ignored),
            not_applicable=not_applicable,
            seconds=time.perf_counter() - start,
        )
        record = FileRecord(path, result, failures=failures, cacheable=not failures)
        if task.cross_document:
            from .grouping import entry_for

            record.group = entry_for(path, doc.meta)
            record.extract = extract(doc, self._parts_read(selection))
        return record

    def _cross_rules(self) -> list[Rule]:
        families = self.options.hierarchy
        return [r for r in self.rules if is_pair(r) or (families and is_family(r))]

    def _parts_read(self, selection: RuleSelection) -> DocumentParts | None:
        """What the cross-document rules this selection enables read of a report."""
        key = id(selection)
        if key not in self._parts:
            enabled = [r for r in self._cross_rules() if selection.enabled(r.meta)]
            self._parts[key] = parts_for(enabled, selection.params)
        return self._parts[key]

    # ------------------------------------------------------------------------------ the files of a run

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

    def _compares(self, files: int) -> bool:
        """Whether the run compares reports (the records keep what cross-document rules read)."""
        pairs = any(is_pair(r) for r in self.rules) and (self.options.previous or files > 1)
        return bool(pairs) or (self.options.hierarchy and any(is_family(r) for r in self.rules))

    def run(self, paths: Sequence[str]) -> LintRun:
        files, lenient, skipped = self._discover(paths)
        self._lenient = lenient
        if self.options.previous and len(files) != 1:
            raise ConfigError("--previous", f"--previous 只能与一份报告一起使用（本次有 {len(files)} 份）")
        started = time.time()
        compares = self._compares(len(files))
        fail_ons: set[str | None] = set()

        def tasks() -> Iterator[FileTask]:
            for p in files:
                task = self._task(p, p in lenient, compares)
                fail_ons.add(task.config.fail_on)
                yield task

        from .store import ResultStore

        store = ResultStore(expected=len(files))
        entries: list[tuple[int, Entry]] = []  # grouping keys of the reports the cross-document rules may compare
        keys: dict[int, str] = {}  # their cache keys
        totals = RunTotals()
        failures: list[RuleFailure] = []
        progress = self.progress
        if progress is not None:
            progress.start(len(files))
        try:
            for record in self._records(tasks(), len(files)):
                if progress is not None:
                    progress.advance(record.result is not None and record.result.error is not None)
                if record.skipped is not None:
                    from .discovery import Skipped

                    skipped.append(Skipped(record.path, record.skipped))
                    continue
                assert record.result is not None
                index = store.append(record.result, record.extract)
                totals.add(record.result)
                failures += record.failures
                if record.group is not None:
                    entries.append((index, record.group))
                    if record.key is not None:
                        keys[index] = record.key
        finally:
            if progress is not None:
                progress.finish()
        skipped.sort(key=lambda s: s.path)
        # With --force-exclude (pre-commit passes whatever a commit touched) a commit with no report
        # in it is fine; a folder or a list of paths with no report in it is a mistake.
        if not store and not self._forced:
            raise NothingToLint(f"{'、'.join(paths)} 中没有政府信息公开工作年度报告", skipped)
        configs = fail_ons - {None}
        fail_on = self.options.fail_on or (configs.pop() if len(configs) == 1 else None) or DEFAULT_FAIL_ON
        self.failures = failures
        run = LintRun(store, {m.code: m for m in self.metas}, fail_on, started=started, counted=totals)  # type: ignore[arg-type]
        run.skipped = skipped
        run.documents = self.document
        run.templates = tuple(self.host.templates)
        self._totals = totals
        extras, appended = self._cross_document(run, store, entries, keys)
        run.problems = [f"插件 “{p.plugin}” 无法加载，已跳过：{p.reason}" for p in self.host.problems] + run.problems
        self._finish(run, store, extras, appended)
        return run

    # ------------------------------------------------------------------------------ who lints

    def _records(self, tasks: Iterable[FileTask], total: int) -> Iterator[FileRecord]:
        """A record per task, in task order: from the cache, or linted here, by worker processes or on a
        Dask cluster. Every new record that the same bytes would give again goes into the cache."""
        cache = self._cache = self._open_cache(total)
        ship = self.options.executor == "dask"  # a cluster need not see this machine's files
        executor = self._executor(total)
        if executor is None and cache is None:  # a pre-commit hook's few files: none of the machinery
            yield from map(self.lint_task, tasks)
            return
        from .executors import Job, SerialExecutor

        jobs: Iterable[Job] = (Job(task) for task in tasks)
        jobs = (self._read(job, cache) if cache is not None or ship or job.task.path == "-" else job for job in jobs)
        for job, record in (executor or SerialExecutor(self)).run(jobs):
            if cache is not None and job.key is not None and record.cacheable and not job.cached:
                cache.put(job.key, record)
            record.key = job.key if record.cacheable else None
            yield record
        if cache is not None:
            self.cache_problem = cache.problem

    def _read(self, job: Job, cache: Cache | None) -> Job:
        """Read the file here (to key the cache, or to send it to the cluster), and take its record from
        the cache when the cache has it."""
        from .loading import read_input

        task = job.task
        try:
            task.data = read_input(task.path)
        except InputError as exc:
            explicit, _ = self._ruleset_for(task.config, None)
            job.record = FileRecord(task.path, FileResult(task.path, [], explicit, error=_load_error(task.path, exc)))
            return job
        if task.path == "-":  # standard input: read once, and linted here (the HTML report shows it)
            job.record = self.lint_task(task)
        elif cache is not None:
            job.key = cache.key(task)
            job.record = cache.get(job.key, task.path)
            if job.record is not None:
                job.cached, task.data = True, None
        return job

    def _open_cache(self, total: int) -> Cache | None:
        """The cache, for runs of several files (one file costs less to lint than the cache would)."""
        if not self.options.cache or total < 2:
            return None
        from .cache import Cache

        return Cache.open(self.cache_folder(), self.options, self.host)

    def cache_folder(self) -> str:
        """Where this run's cache is (see :func:`nianbao.cache.cache_folder`)."""
        from .cache import cache_folder

        return cache_folder(self.options.cache_dir, self._config(os.path.join(os.getcwd(), ".")))

    def _executor(self, total: int) -> Any:
        """Worker processes or a Dask cluster; None to lint in this process."""
        o = self.options
        if o.executor == "dask":
            from .dask_executor import DaskExecutor

            return DaskExecutor(self, o.jobs, o.scheduler, total)
        if o.jobs > 1 and total >= MIN_PARALLEL_FILES:
            from .executors import ProcessExecutor

            return ProcessExecutor(self, min(o.jobs, total // 2), total)
        return None

    # ------------------------------------------------------------------------------ cross-document

    def _cross_document(
        self, run: LintRun, store: ResultStore, entries: list[tuple[int, Entry]], keys: dict[int, str]
    ) -> tuple[dict[int, list[tuple[list[Finding], tuple[str, ...]]]], list[FileResult]]:
        """Pair and family rules over the parts of the documents the records kept; nothing at all
        happens for a single report without --previous. Gives, per result, the findings and rule codes
        to add, and results to append (a --previous file that could not be read)."""
        extras: dict[int, list[tuple[list[Finding], tuple[str, ...]]]] = {}
        appended: list[FileResult] = []
        pair_rules = [r for r in self.rules if is_pair(r)]
        family_rules = [r for r in self.rules if is_family(r)]
        pairs = pair_rules and (self.options.previous or len(entries) > 1)
        if not pairs and not (family_rules and self.options.hierarchy):
            return extras, appended
        from .grouping import families

        index_of = {e.path: i for i, e in entries}

        def doc(path: str) -> Document | None:
            try:
                return document(store.extract(index_of[path]), path)  # type: ignore[arg-type]
            except BadRecord:
                return self._relint(store, index_of[path])

        if pairs:
            for current, previous in self._pairs(run, [e for _, e in entries], appended):
                i = index_of[current]
                key = self._group_key("pair", [current, previous], index_of, keys)
                found = self._cache.get_group(key, [current]) if key else None
                if found is None:
                    crashes = len(self.failures)
                    prior = doc(previous) if previous in index_of else self._previous_extract(store, i)
                    mine = doc(current)
                    if mine is None or prior is None:
                        continue
                    found = [self._run_pair(store[i], mine, prior, pair_rules)]
                    if key and len(self.failures) == crashes:
                        self._cache.put_group(key, found, [current])  # type: ignore[union-attr]
                extras.setdefault(i, []).append(found[0])
        if family_rules and self.options.hierarchy:
            selected: dict[str, tuple[RuleSelection, set[str]]] = {}

            def selection_of(path: str) -> RuleSelection:
                return selected[path][0]

            for group in families(e for _, e in entries):
                key = self._group_key("family", group, index_of, keys)
                added = self._cache.get_group(key, group) if key else None
                if added is None:
                    crashes = len(self.failures)
                    results = {p: store[index_of[p]] for p in group}
                    for path, result in results.items():
                        selected[path] = self._selection_of(result)
                    docs = [d for d in map(doc, group) if d is not None]
                    found = run_family_rules(docs, family_rules, self.host.templates, selection_of, self.failures)
                    added = []
                    for path in group:
                        enabled, ignored = selected[path]
                        mine = [f for f in found if f.path == path and f.code not in ignored]
                        codes = tuple(
                            r.meta.code for r in family_rules if enabled.enabled(r.meta) and r.meta.code not in ignored
                        )
                        added.append((mine, codes))
                    if key and len(self.failures) == crashes:
                        self._cache.put_group(key, added, group)  # type: ignore[union-attr]
                for path, found_here in zip(group, added, strict=True):
                    extras.setdefault(index_of[path], []).append(found_here)
        return extras, appended

    def _group_key(self, kind: str, paths: list[str], index_of: dict[str, int], keys: dict[int, str]) -> str | None:
        """The cache key of what cross-document rules find in these reports: their paths (findings point
        at each other's) and their own keys; None when one of them is not cached."""
        if self._cache is None:
            return None
        members = [keys.get(index_of[p]) if p in index_of else None for p in paths]
        if None in members:
            return None
        return self._cache.group_key(kind, list(zip(paths, members, strict=True)))  # type: ignore[arg-type]

    def _relint(self, store: ResultStore, index: int) -> Document | None:
        """A cached record whose extract is not what nianbao writes (checksummed, so written on purpose):
        the file is linted again, its result and extract replaced, and so is the cache entry."""
        from .loading import read_input

        path = store[index].path
        task = self._task(path, path in self._lenient, cross_document=True)
        try:
            task.data = read_input(path)
        except InputError as exc:
            record = FileRecord(path, FileResult(path, [], error=_load_error(path, exc)))
        else:
            record = self.lint_task(task)
            if self._cache is not None and record.cacheable:
                self._cache.put(self._cache.key(task), record)
        assert record.result is not None and self._totals is not None
        self._totals.add(store[index], -1)
        self._totals.add(record.result)
        store.replace(index, record.result, record.extract, keep=False)
        self.failures += record.failures
        return document(record.extract, path) if record.extract is not None else None

    def _selection_of(self, result: FileResult) -> tuple[RuleSelection, set[str]]:
        config = self._config(result.path)
        return self._selection(config, result.ruleset), ignored_for(result.path, config, self.metas)

    def _previous_extract(self, store: ResultStore, index: int) -> Document:
        """--previous: last year's report is read here, and reduced as any report a pair rule reads."""
        previous = self.options.previous
        assert previous is not None
        selection, _ = self._selection_of(store[index])
        return document(extract(self._load(previous), self._parts_read(selection)), previous)

    def _pairs(self, run: LintRun, entries: list[Entry], appended: list[FileResult]) -> list[tuple[str, str]]:
        if self.options.previous:
            if not entries:
                return []
            previous = self.options.previous
            try:
                self._load(previous)
            except Exception as exc:  # noqa: BLE001 - as for any file: reported, and the run goes on
                appended.append(FileResult(previous, [], error=_load_error(previous, exc)))
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

    def _run_pair(
        self, result: FileResult, doc: Document, previous: Document, rules: list[Rule]
    ) -> tuple[list[Finding], tuple[str, ...]]:
        selection, ignored = self._selection_of(result)
        evaluated: list[str] = []
        found = run_pair_rules(doc, previous, rules, self.host.templates, selection, self.failures, evaluated)
        return [f for f in found if f.code not in ignored], tuple(c for c in evaluated if c not in ignored)

    # ------------------------------------------------------------------------------ finishing each file

    def _finish(
        self,
        run: LintRun,
        store: ResultStore,
        extras: dict[int, list[tuple[list[Finding], tuple[str, ...]]]],
        appended: list[FileResult],
    ) -> None:
        """Per file, in order: add what the cross-document rules found, apply the baseline, and turn rules
        that raised into NB05 findings (after ignores and the baseline: an incomplete check is never
        silenced). Only the results this changes are read back and stored again."""
        o = self.options
        baseline = written = None
        if o.write_baseline:
            from .baseline import Baseline

            written = Baseline.from_findings(o.write_baseline, [])
        elif o.baseline:
            from .baseline import Baseline

            baseline = Baseline.read(o.baseline)
        crashed: dict[str, list[RuleFailure]] = {}
        for failure in self.failures:
            crashed.setdefault(failure.path, []).append(failure)
        totals = run.totals  # counted as the results arrived; what changes here is counted again
        changed = set(extras)
        if written is not None or baseline is not None:
            changed = set(range(len(store)))
        elif crashed:  # rare: a rule raised
            changed |= {index for index, result in enumerate(store) if result.path in crashed}
        stale: list[tuple[str, str, int]] = []
        for index in sorted(changed):
            result = store[index]
            totals.add(result, -1)
            for found, codes in extras.get(index, ()):
                result.rules += tuple(c for c in codes if c not in result.rules)
                result.findings = finish(result.findings + found, result.path, self._selection_of(result)[0])
            if written is not None:
                written.add(result.findings)
            elif baseline is not None:
                result.findings, gone = baseline.filter(result.findings, [result.path])
                stale += gone
            for failure in crashed.get(result.path, ()):
                result.findings.append(internal_finding(failure.path, f"规则 {failure.code} 运行时", failure.error))
            if result.path in crashed:
                result.findings.sort(key=Finding.sort_key)
            totals.add(result)
            store.replace(index, result)
        for result in appended:
            totals.add(result)
            store.append(result)
        run.failures = list(self.failures)
        if written is not None:
            written.write()
            run.baseline_written = o.write_baseline
        elif baseline is not None:
            run.stale = sorted(stale)
            if o.prune_baseline and run.stale:
                baseline.prune(run.stale)
                baseline.write()
