"""The console report: grouped per file with the offending text, a summary by rule, and totals.

A person at a terminal gets the grouped view (in colour unless ``NO_COLOR``/``TERM=dumb``/``--color
never``, wrapped to the terminal's width); a pipe or file gets one plain line per finding
(``path:line:column: CODE [severity] message``) that editors, grep and CI problem matchers understand.
Only characters a Windows GBK console can show are used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from nianbao.document import Location
from nianbao.lint import LintRun
from nianbao.outputs import RenderOptions, printable
from nianbao.rules import SEVERITY_RANK, Finding

from .common import Streamed, describe_position, has_text_lines

LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_SNIPPET = 60
_CHOSEN_BY = {"option": "命令行指定", "config": "配置文件指定", "province": "按报告所属地区自动选用", "default": "默认"}


def ruleset_note(result: object) -> str:
    """``chongqing（按报告所属地区自动选用）``: which rule set a file was checked with, and why."""
    return _ruleset_note(result.ruleset, getattr(result, "ruleset_source", "default"))  # type: ignore[attr-defined]


def _ruleset_note(ruleset: str, source: str) -> str:
    return f"{ruleset}（{_CHOSEN_BY.get(source, source)}）"


def where(loc: Location | None) -> str:
    """``12:5`` in a text or HTML file; ``第4页第12行`` / ``第3段`` / ``第2个表格第5行`` in a PDF or DOCX;
    ``1:1`` for the file as a whole (a file that could not be read), never a placeholder an editor
    cannot follow."""
    if has_text_lines(loc):
        return f"{loc.line}:{loc.column or 1}"  # type: ignore[union-attr]
    return describe_position(loc) or "1:1"


def snippet(loc: Location | None) -> str:
    if loc is None or not loc.text:
        return ""
    first = loc.text.strip().splitlines()[0] if loc.text.strip() else ""
    return first if len(first) <= _SNIPPET else first[: _SNIPPET - 3] + "..."


def severity_counts(run: LintRun) -> Counter[str]:
    """Findings by severity, a file that could not be read counted as the error it is."""
    return Counter(run.totals.severities)


def totals_line(run: LintRun) -> str:
    counts = severity_counts(run)
    unreadable = run.totals.unreadable
    text = f"共检查 {run.totals.files} 个文件：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}"
    if unreadable:
        text += f"；其中 {unreadable} 个文件无法检查"
    if run.skipped:
        text += f"；另跳过 {len(run.skipped)} 个文件"
    return text


def rule_statistics(run: LintRun) -> list[tuple[str, str, int, dict[str, int]]]:
    """(code, name, count, count per severity) for every rule with findings, most frequent first."""
    rows = [(code, name, sum(c.values()), dict(c)) for code, (name, c) in run.totals.rules.items()]
    return sorted(rows, key=lambda row: (-row[2], row[0]))


def _severities(by_severity: dict[str, int]) -> str:
    """``错误`` when all findings of a rule share a severity, ``错误 2，警告 1`` when rule sets differ."""
    ordered = sorted(by_severity, key=lambda s: -SEVERITY_RANK[s])  # type: ignore[index]
    if len(ordered) == 1:
        return LABEL[ordered[0]]
    return "，".join(f"{LABEL[s]} {by_severity[s]}" for s in ordered)


def statistics_lines(run: LintRun) -> list[str]:
    return [f"{n:5d}  {code:6} {name}  [{_severities(sev)}]" for code, name, n, sev in rule_statistics(run)]


class ConsoleOutput(Streamed):
    name = "console"
    description = "控制台报告（终端中分组显示，否则每行一条）"
    machine = False

    def stream(self, run: LintRun, color: bool, options: RenderOptions | None = None) -> Iterator[str]:
        """The report a file at a time (a run over thousands of files is printed as it is rendered)."""
        options = options or RenderOptions()
        if options.statistics:
            if run.totals.count:
                yield "\n".join(statistics_lines(run)) + "\n"
        elif options.terminal or color:
            yield from self._grouped(run, color, options)
        else:
            yield from self._plain(run, options)

    def _plain(self, run: LintRun, options: RenderOptions) -> Iterator[str]:
        # File names and report text may hold ANSI escapes or other control characters: shown, not obeyed.
        for r in run.results:
            lines: list[str] = []
            for f in ([r.error] if r.error else []) + r.findings:
                lines.append(f"{r.path}:{where(f.location)}: {f.code} [{f.severity}] {f.message}")
                lines += [f"{x.path}:{where(x.location)}: 相关：{x.message}" for x in f.related]
            if lines:
                yield "".join(printable(line) + "\n" for line in lines)
        if not options.quiet:
            yield "".join(printable(line) + "\n" for line in self._summary(run))

    def _summary(self, run: LintRun) -> list[str]:
        out: list[str] = []
        # A file that could not be read was checked with no rule set.
        used = Counter({_ruleset_note(ruleset, source): n for (ruleset, source), n in run.totals.chosen.items() if n})
        if used:
            out += ["", "规则集：" + "；".join(f"{note} {n} 个文件" for note, n in sorted(used.items()))]
        if run.totals.count:
            out += ["", "按规则统计："] + statistics_lines(run)
        for path, code, surplus in run.stale:
            out.append(f"基线中 {path} 的 {code} 多记了 {surplus} 条（已修复？可用 --prune-baseline 清理）")
        if run.baseline_written:
            out.append(f"已写入基线：{run.baseline_written}")
        out += [f"警告：{p}" for p in run.problems]
        if run.skipped:
            out += ["", f"已跳过 {len(run.skipped)} 个文件："] + [f"  {s.path}：{s.reason}" for s in run.skipped]
        out += ["", totals_line(run)]
        return out

    def _grouped(self, run: LintRun, color: bool, options: RenderOptions) -> Iterator[str]:
        from rich.console import Console
        from rich.text import Text

        console = Console(record=True, force_terminal=True, color_system="standard", width=options.width, file=_Null())
        for r in run.results:
            items: list[Finding] = ([r.error] if r.error else []) + r.findings
            if options.quiet and not items:
                continue
            header = Text(printable(r.path), style="bold")
            meta = r.meta
            facts = [
                x
                for x in (meta.get("organ"), meta.get("report_year"), meta.get("edition") and f"{meta['edition']} 格式")
                if x
            ]
            if not r.error:
                facts.append("规则集 " + ruleset_note(r))
            if facts:
                header.append(f"  ({' / '.join(map(str, facts))})", style="dim")
            console.print(header)
            if not items:
                console.print(Text("  没有发现问题", style="green"))
            for f in items:
                line = Text("  ")
                line.append(f"{where(f.location):>9}", style="dim")
                line.append(f"  {LABEL[f.severity]}  ", style=_STYLE[f.severity])
                line.append(f"{f.code}  ", style="bold")
                line.append(printable(f.message))
                console.print(line)
                text = printable(snippet(f.location))
                if text:
                    console.print(Text(f"             | {text}", style="dim"))
                for x in f.related:
                    console.print(
                        Text(printable(f"             > {x.path}:{where(x.location)} {x.message}"), style="dim")
                    )
            console.print()
            yield console.export_text(styles=color)  # and forgets it: one file at a time
        if not options.quiet:
            for line in self._summary(run):
                console.print(Text(printable(line)))
            yield console.export_text(styles=color)


class _Null:
    """rich records what it prints; nothing must reach a file before the run is rendered."""

    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        pass
