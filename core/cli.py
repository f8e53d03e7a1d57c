"""The ``nianbao`` command line.

Exit codes: 0 clean, 1 findings (or, for ``parse --validate``, documents that fail the schema),
2 usage, configuration or input error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import IO

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with a one-line hint, like argparse
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: 错误: {message}\n")


class _FormatAction(argparse.Action):
    """``--format NAME`` starts a new output; the ``--output`` after it says where it goes."""

    def __call__(self, parser, namespace, values, option_string=None):  # noqa: ANN001
        targets = list(getattr(namespace, self.dest) or [])
        targets.append((values, None))
        setattr(namespace, self.dest, targets)


class _OutputAction(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):  # noqa: ANN001
        targets = list(getattr(namespace, self.dest) or [])
        if targets and targets[-1][1] is None:
            targets[-1] = (targets[-1][0], values)
        elif not targets:
            targets.append((None, values))  # the default format, to a file
        else:
            parser.error(
                f"{option_string} {values}：每个 --output 跟在它的 --format 后面，一个 --format 只能有一个 --output"
            )
        setattr(namespace, self.dest, targets)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nianbao", description="政府信息公开工作年度报告合规检查工具")
    parser.add_argument("--version", action="version", version=f"nianbao {__version__}")
    parser.add_argument(
        "--disable-plugin",
        action="append",
        default=[],
        metavar="NAME",
        help="不加载指定插件（内置或第三方），可重复使用",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("parse", help="把报告解析为规范 JSON 文档")
    p.add_argument("files", nargs="+", metavar="FILE", help="报告文件（- 表示标准输入）")
    p.add_argument("-o", "--output", metavar="FILE", help="写入文件而不是标准输出")
    p.add_argument("--validate", action="store_true", help="按 report.schema.json 校验输出")
    p.add_argument("--input-format", metavar="NAME", help="指定输入格式（默认按扩展名和内容判断）")
    p.add_argument("--edition", choices=["2019", "2021"], help="指定报告格式版本（默认按报告年度判断）")
    p.set_defaults(handler=_cmd_parse)

    p = sub.add_parser("lint", help="检查报告并列出问题")
    p.add_argument("paths", nargs="+", metavar="PATH", help="报告文件或目录（- 表示标准输入）")
    p.add_argument(
        "--format",
        dest="targets",
        action=_FormatAction,
        metavar="NAME",
        help="输出格式：console（默认）、json、sarif、junit、junit-gitlab、gitlab、github；可重复，每个可跟一个 --output",
    )
    p.add_argument(
        "-o", "--output", dest="targets", action=_OutputAction, metavar="FILE", help="把前一个 --format 的结果写入文件"
    )
    p.add_argument("--root", metavar="DIR", help="输出中的路径相对于此目录（默认：当前目录所在的 git 仓库根目录）")
    p.add_argument("--sarif-srcroot", metavar="URI", help="在 SARIF 中写出 %%SRCROOT%% 对应的 file:// URI（默认不写）")
    p.add_argument("--timestamps", action="store_true", help="在 SARIF/JUnit 中写入时间（默认不写，保证输出可重现）")
    p.add_argument(
        "--fail-on", choices=["error", "warning", "info"], help="达到该级别的问题使退出码为 1（默认 warning）"
    )
    p.add_argument(
        "--ruleset", metavar="NAME", help="使用的规则集（默认 auto：按报告所属省份选用地区规则集，没有则 national）"
    )
    p.add_argument("--previous", metavar="FILE", help="同一机关上一年度的报告，用于跨年度检查（XY 规则）")
    p.add_argument("--hierarchy", action="store_true", help="把区县、市政府的汇总报告与同时检查的本级部门报告逐格比对")
    p.add_argument("--select", action="append", metavar="RULES", help="只启用这些规则（代码、名称或前缀，逗号分隔）")
    p.add_argument("--ignore", action="append", default=[], metavar="RULES", help="停用这些规则")
    p.add_argument("--severity", action="append", default=[], metavar="RULE=LEVEL", help="调整规则级别，如 ST03=error")
    p.add_argument("--config", metavar="FILE", help="使用指定的配置文件（默认从被检查文件向上查找）")
    p.add_argument("--baseline", metavar="FILE", help="只报告基线中没有的新问题")
    p.add_argument("--write-baseline", metavar="FILE", help="把当前问题写成基线")
    p.add_argument("--prune-baseline", action="store_true", help="从 --baseline 中删去已修复的条目")
    p.add_argument("--edition", choices=["2019", "2021"], help="指定报告格式版本")
    p.add_argument("--input-format", metavar="NAME", help="指定输入格式")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto", help="彩色输出（默认 auto）")
    p.set_defaults(handler=_cmd_lint)

    p = sub.add_parser("rules", help="列出全部规则")
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    p.set_defaults(handler=_cmd_rules)

    p = sub.add_parser("explain", help="显示一条规则的说明")
    p.add_argument("rule", metavar="CODE|NAME")
    p.set_defaults(handler=_cmd_explain)

    p = sub.add_parser("rulesets", help="列出可用的规则集")
    p.set_defaults(handler=_cmd_rulesets)
    return parser


def _split(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [x.strip() for v in values for x in v.split(",") if x.strip()]


def _cmd_lint(args: argparse.Namespace) -> int:
    import os

    from .lint import Linter, LintOptions
    from .yamlerrors import ConfigError

    severity: dict[str, str] = {}
    for item in args.severity:
        rule, _, level = item.partition("=")
        if level not in ("error", "warning", "info") or not rule:
            _stderr(f"nianbao: 错误: --severity 需要 规则=级别（error/warning/info），而不是 “{item}”")
            return EXIT_ERROR
        severity[rule.strip()] = level
    if args.prune_baseline and not args.baseline:
        _stderr("nianbao: 错误: --prune-baseline 需要同时给出 --baseline")
        return EXIT_ERROR
    options = LintOptions(
        ruleset=args.ruleset,
        select=_split(args.select),
        ignore=_split(args.ignore) or [],
        severity=severity,
        fail_on=args.fail_on,
        config=args.config,
        edition=args.edition,
        input_format=args.input_format,
        baseline=args.baseline,
        write_baseline=args.write_baseline,
        prune_baseline=args.prune_baseline,
        previous=args.previous,
        hierarchy=args.hierarchy,
    )
    host = _host(args)
    formats = {f.name: f for f in host.output_formats}
    targets = [(name or "console", out) for name, out in (args.targets or [("console", None)])]
    unknown = [name for name, _ in targets if name not in formats]
    if unknown:
        _stderr(f"nianbao: 错误: 未知的输出格式 “{unknown[0]}”（可用：{'、'.join(sorted(formats))}）")
        return EXIT_ERROR
    if sum(out is None for _, out in targets) > 1:
        _stderr("nianbao: 错误: 最多一个输出格式可以写到标准输出，其余请用 --output 指定文件")
        return EXIT_ERROR
    files = [os.path.abspath(out) for _, out in targets if out is not None]
    if len(set(files)) != len(files):
        _stderr("nianbao: 错误: 两个输出格式不能写入同一个文件")
        return EXIT_ERROR
    try:
        run = Linter(host, options).run(args.paths)
    except ConfigError as exc:
        _stderr(str(exc))
        return EXIT_ERROR
    from .outputs import RenderOptions, find_root, printable, warnings_for, write_atomically

    render_options = RenderOptions(
        root=os.path.realpath(args.root) if args.root else find_root(os.getcwd()),
        srcroot_uri=args.sarif_srcroot,
        timestamps=args.timestamps,
    )
    status = run.exit_code()
    console_on_stdout = False
    for name, out in targets:
        output = formats[name]
        to_terminal = out is None and sys.stdout.isatty()
        color = args.color == "always" or (args.color == "auto" and to_terminal and not os.environ.get("NO_COLOR"))
        text = output.render(run, color=color and not output.machine and out is None, options=render_options)
        for warning in warnings_for(output, run, render_options):
            _stderr(f"nianbao: 警告: {warning}")
        if out is not None:
            try:
                write_atomically(out, text)
            except OSError as exc:
                _stderr(f"nianbao: 错误: 无法写入 {out}：{exc.strerror}")
                status = EXIT_ERROR
        elif output.machine:
            sys.stdout.buffer.write(text.encode("utf-8"))
        else:
            console_on_stdout = True
            sys.stdout.write(text)
    if not console_on_stdout:  # the console report carries these itself
        for problem in run.problems:
            _stderr(f"nianbao: 警告: {problem}")
        for r in run.results:
            for f in ([r.error] if r.error else []) + [f for f in r.findings if f.code == "NB05"]:
                _stderr(f"{printable(r.path)}: {f.code} {printable(f.message)}")
    return status


def _all_metas(args: argparse.Namespace):  # noqa: ANN202
    from .engine import TOOL_RULES
    from .registry import all_rules

    host = _host(args)
    return host, [r.meta for r in all_rules(host)] + list(TOOL_RULES.values())


def _cmd_rules(args: argparse.Namespace) -> int:
    from .docs import rules_markdown

    _, metas = _all_metas(args)
    if args.format == "markdown":
        sys.stdout.write(rules_markdown(metas))
    elif args.format == "json":
        data = [
            {
                "code": m.code,
                "name": m.name,
                "severity": m.severity,
                "editions": list(m.editions),
                "ruleset": m.ruleset,
                "summary": m.summary,
            }
            for m in metas
        ]
        sys.stdout.buffer.write(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
    else:
        for m in sorted(metas, key=lambda m: m.code):
            editions = "+".join(m.editions)
            sys.stdout.write(f"{m.code:6} {m.name:40} {m.severity:8} {editions:10} {m.ruleset:10} {m.summary}\n")
    return EXIT_OK


def _cmd_explain(args: argparse.Namespace) -> int:
    from .config import matches
    from .docs import rule_text

    _, metas = _all_metas(args)
    wanted = args.rule.strip()
    found = [m for m in metas if wanted in (m.code, m.name) or wanted in m.aliases]
    if not found:
        close = [m.code for m in metas if matches(wanted, m)]
        hint = f"（以此开头的规则：{'、'.join(close)}）" if close else "（nianbao rules 列出全部规则）"
        _stderr(f"nianbao: 错误: 没有规则 “{wanted}”{hint}")
        return EXIT_ERROR
    sys.stdout.write(rule_text(found[0]))
    return EXIT_OK


def _cmd_rulesets(args: argparse.Namespace) -> int:
    from .registry import all_rules
    from .ruleset_files import load_ruleset
    from .yamlerrors import ConfigError

    host = _host(args)
    owned: dict[str, list[str]] = {}
    for rule in all_rules(host):
        owned.setdefault(rule.meta.ruleset, []).append(rule.meta.code)
    for source in sorted(host.rulesets, key=lambda s: s.name):
        try:
            r = load_ruleset(source)
        except ConfigError as exc:
            _stderr(str(exc))
            continue
        extends = f"（基于 {r.extends}）" if r.extends else ""
        sys.stdout.write(f"{r.name:12} {r.title}{extends}\n")
        if r.description:
            sys.stdout.write(f"{'':12} {''.join(r.description.split())}\n")
        if r.region.get("province"):
            sys.stdout.write(f"{'':12} 适用地区：{r.region['province']}（该地区的报告自动使用本规则集）\n")
        changes = [f"{k}→{v}" for k, v in r.severity.items()] + [f"{k} 参数" for k in r.params]
        changes += [f"不检查 {x}" for x in r.ignore]
        if changes:
            sys.stdout.write(f"{'':12} 调整：{'，'.join(changes)}\n")
        own = sorted({*(d["code"] for d in r.rules), *owned.get(r.name, ())} if r.name != "national" else ())
        own = own or sorted(d["code"] for d in r.rules)
        if own:
            sys.stdout.write(f"{'':12} 自带规则：{'、'.join(own)}\n")
    return EXIT_OK


def _stderr(message: str) -> None:
    sys.stderr.write(message + "\n")


def _host(args: argparse.Namespace):  # noqa: ANN202 - keeps host import lazy
    from .host import create_host

    host = create_host(disabled=args.disable_plugin)
    for problem in host.problems:
        _stderr(f"nianbao: 警告: 插件 “{problem.plugin}” 无法加载，已跳过：{problem.reason}")
    return host


def _cmd_parse(args: argparse.Namespace) -> int:
    from .loading import InputError, LoadContext, load_document

    host = _host(args)
    context = LoadContext(formats=host.formats, edition=args.edition)
    several = len(args.files) > 1
    status = EXIT_OK
    out: IO[bytes]
    try:
        out = open(args.output, "wb") if args.output else sys.stdout.buffer  # noqa: SIM115
    except OSError as exc:
        _stderr(f"nianbao: 错误: 无法写入 {args.output}：{exc.strerror}")
        return EXIT_ERROR
    try:
        for path in args.files:
            try:
                doc = load_document(path, host.loaders, context, fmt=args.input_format)
            except InputError as exc:
                _stderr(f"{path}: {exc.code} {exc.reason}")
                status = EXIT_ERROR
                continue
            data = doc.to_dict()
            if args.validate:
                from .schema import validate_report

                for error in validate_report(data):
                    _stderr(f"{path}: 输出不符合 report.schema.json：{error}")
                    status = max(status, EXIT_FINDINGS)
            text = json.dumps(data, ensure_ascii=False, indent=None if several else 2)
            # Always UTF-8, whatever the console code page: the JSON is for programs.
            out.write(text.encode("utf-8") + b"\n")
            out.flush()
    finally:
        if args.output:
            out.close()
    return status


def main(argv: Sequence[str] | None = None) -> int:
    # A GBK console cannot show every character a report holds; never crash on printing one.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_ERROR
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - a bug in nianbao: a short message and exit 2, never a traceback
        from .engine import BUG_HINT, describe_exception

        _stderr(f"nianbao: 内部错误：{describe_exception(exc)}。{BUG_HINT}")
        return EXIT_ERROR
