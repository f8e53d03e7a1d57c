"""The console report: grouped per file with the offending text, a summary by rule, and totals.

Coloured through rich on a terminal (unless NO_COLOR is set); otherwise one plain line per
finding (``path:line:column: CODE [severity] message``) that editors and grep understand.
Only characters a Windows GBK console can show are used.
"""

from __future__ import annotations

from collections import Counter

from nianbao.document import Location
from nianbao.lint import LintRun
from nianbao.outputs import RenderOptions, printable
from nianbao.rules import Finding

from .common import describe_position, has_text_lines

_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_SNIPPET = 60
_CHOSEN_BY = {"option": "命令行指定", "config": "配置文件指定", "province": "按报告所属地区自动选用", "default": "默认"}


def ruleset_note(result: object) -> str:
    """``chongqing（按报告所属地区自动选用）``: which rule set a file was checked with, and why."""
    source = getattr(result, "ruleset_source", "default")
    return f"{result.ruleset}（{_CHOSEN_BY.get(source, source)}）"  # type: ignore[attr-defined]


def where(loc: Location | None) -> str:
    """``12:5`` in a text or HTML file; ``第4页第12行`` / ``第3段`` / ``第2个表格第5行`` in a PDF or DOCX."""
    if has_text_lines(loc):
        return f"{loc.line}:{loc.column or 1}"  # type: ignore[union-attr]
    return describe_position(loc) or "-"


def snippet(loc: Location | None) -> str:
    if loc is None or not loc.text:
        return ""
    first = loc.text.strip().splitlines()[0] if loc.text.strip() else ""
    return first if len(first) <= _SNIPPET else first[: _SNIPPET - 3] + "..."


def totals_line(run: LintRun) -> str:
    counts = Counter(f.severity for r in run.results for f in r.findings)
    unreadable = sum(1 for r in run.results if r.error)
    text = f"共检查 {len(run.results)} 个文件：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}"
    if unreadable:
        text += f"；{unreadable} 个文件无法检查"
    return text


class ConsoleOutput:
    name = "console"
    description = "控制台报告（终端中彩色分组显示，否则每行一条）"
    machine = False

    def render(self, run: LintRun, color: bool, options: RenderOptions | None = None) -> str:
        return self._rich(run) if color else self._plain(run)

    def _plain(self, run: LintRun) -> str:
        lines: list[str] = []
        for r in run.results:
            for f in ([r.error] if r.error else []) + r.findings:
                lines.append(f"{r.path}:{where(f.location)}: {f.code} [{f.severity}] {f.message}")
                lines += [f"{x.path}:{where(x.location)}: 相关：{x.message}" for x in f.related]
        lines += self._summary(run)
        # File names and report text may hold ANSI escapes or other control characters: shown, not obeyed.
        return "\n".join(map(printable, lines)) + "\n"

    def _summary(self, run: LintRun) -> list[str]:
        out: list[str] = []
        used = Counter(ruleset_note(r) for r in run.results)
        out += ["", "规则集：" + "；".join(f"{note} {n} 个文件" for note, n in sorted(used.items()))]
        by_rule = Counter((f.code, f.name, f.severity) for r in run.results for f in r.findings)
        if by_rule:
            out += ["", "按规则统计："]
            out += [f"  {n:4d}  {code}  {name}  [{sev}]" for (code, name, sev), n in sorted(by_rule.items())]
        for path, code, surplus in run.stale:
            out.append(f"基线中 {path} 的 {code} 多记了 {surplus} 条（已修复？可用 --prune-baseline 清理）")
        if run.baseline_written:
            out.append(f"已写入基线：{run.baseline_written}")
        out += [f"警告：{p}" for p in run.problems]
        out += ["", totals_line(run)]
        return out

    def _rich(self, run: LintRun) -> str:
        from rich.console import Console
        from rich.text import Text

        console = Console(record=True, force_terminal=True, color_system="standard", width=120, file=_Null())
        for r in run.results:
            header = Text(printable(r.path), style="bold")
            meta = r.meta
            facts = [
                x
                for x in (meta.get("organ"), meta.get("report_year"), meta.get("edition") and f"{meta['edition']} 格式")
                if x
            ]
            header.append(f"  ({' / '.join(map(str, facts + ['规则集 ' + ruleset_note(r)]))})", style="dim")
            console.print(header)
            items: list[Finding] = ([r.error] if r.error else []) + r.findings
            if not items:
                console.print(Text("  没有发现问题", style="green"))
            for f in items:
                line = Text("  ")
                line.append(f"{where(f.location):>9}", style="dim")
                line.append(f"  {_LABEL[f.severity]}  ", style=_STYLE[f.severity])
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
        for line in self._summary(run):
            console.print(Text(printable(line)))
        return console.export_text(styles=True)


class _Null:
    """rich records what it prints; nothing must reach a file before the run is rendered."""

    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        pass
