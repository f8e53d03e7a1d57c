"""The ``nianbao`` command line.

Exit codes: 0 clean, 1 findings (or, for ``parse --validate``, documents that fail the schema),
2 usage, configuration or input error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from . import __version__
from .gcpolicy import command_gc, process_exit, startup_done

if TYPE_CHECKING:
    from .host import PluginHost
    from .rules import RuleMeta

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


# argparse's own texts (usage, errors, help headings) in Chinese, for every Python from 3.10 on.
_ARGPARSE_TEXT = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要以下参数之一：%s",
    "ignored explicit argument %r": "多余的值 %r",
    "can't open '%(filename)s': %(error)s": "无法打开 “%(filename)s”：%(error)s",
    "unexpected option string: %s": "意外的选项：%s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 错误: %(message)s\n",
}
_ARGPARSE_PLURAL = {"expected %s argument": "需要 %s 个值", "expected %s arguments": "需要 %s 个值"}


def _chinese_argparse() -> None:
    """argparse looks its messages up through module-level ``_``/``ngettext`` at call time."""
    argparse._ = lambda text: _ARGPARSE_TEXT.get(text, text)  # type: ignore[attr-defined]
    argparse.ngettext = lambda one, many, n: _ARGPARSE_PLURAL.get(one if n == 1 else many, one if n == 1 else many)  # type: ignore[attr-defined]


ERROR, WARNING, NOTE = "nianbao: 错误: ", "nianbao: 警告: ", "nianbao: 提示: "


def terminal_columns(fallback: int) -> int:
    """``shutil.get_terminal_size().columns``, without importing shutil (with bz2 and lzma: 2 ms):
    ``COLUMNS`` when set, else the width of the terminal on standard output, else ``fallback``."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else fallback


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's own formatter, given the terminal's width as argparse finds it. argparse builds one
    for every option added (to check its metavar), and would import shutil to find the width."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        super().__init__(
            prog, indent_increment, max_help_position, terminal_columns(80) - 2 if width is None else width
        )


class _Parser(argparse.ArgumentParser):
    known_options: list[str] = []  # every option of every command, for "did you mean"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # usage errors exit 2 with a one-line hint, like argparse
        import re

        from .suggest import did_you_mean

        choice = re.match(r"参数 (\S+)：无效的选项 '([^']*)'（可选：(.*)）$", message)
        if choice:
            options = [c.strip(" '") for c in choice.group(3).split(",")]
            message += did_you_mean(choice.group(2), options)
        unknown = re.match(r"无法识别的参数：(-\S+)", message)
        if unknown:
            message += did_you_mean(unknown.group(1), self.known_options)
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{ERROR}{message}\n")


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


COMMANDS = ("parse", "lint", "rules", "explain", "rulesets")


def _build_parser(host: PluginHost | None = None) -> argparse.ArgumentParser:
    """The command line; ``host`` (the plugins of the command being run) adds the editions of its
    templates to ``--edition`` and its plugins' options to ``lint``."""
    _chinese_argparse()
    editions = host.editions if host is not None else None
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
    p.add_argument("--edition", choices=editions, help="指定报告格式版本（默认按报告年度判断）")
    p.set_defaults(handler=_cmd_parse)

    p = sub.add_parser("lint", help="检查报告并列出问题")
    p.add_argument("paths", nargs="+", metavar="PATH", help="报告文件或目录（- 表示标准输入）")
    p.add_argument(
        "--format",
        dest="targets",
        action=_FormatAction,
        metavar="NAME",
        help="输出格式：console（默认）、html、csv、json、json-lines、sarif、junit、junit-gitlab、gitlab、github；可重复，每个可跟一个 --output",
    )
    p.add_argument(
        "-o", "--output", dest="targets", action=_OutputAction, metavar="FILE", help="把前一个 --format 的结果写入文件"
    )
    p.add_argument("--root", metavar="DIR", help="输出中的路径相对于此目录（默认：当前目录所在的 git 仓库根目录）")
    _add_plugin_options(p, host)
    p.add_argument(
        "--fail-on", choices=["error", "warning", "info"], help="达到该级别的问题使退出码为 1（默认 warning）"
    )
    p.add_argument(
        "--ruleset", metavar="NAME", help="使用的规则集（默认 auto：按报告所属省份选用地区规则集，没有则 national）"
    )
    p.add_argument("--previous", metavar="FILE", help="同一机关上一年度的报告，用于跨年度检查（XY 规则）")
    p.add_argument("--hierarchy", action="store_true", help="把区县、市政府的汇总报告与同时检查的本级部门报告逐格比对")
    p.add_argument("--select", action="append", metavar="RULES", help="只启用这些规则（代码、名称或前缀，逗号分隔）")
    p.add_argument("--extend-select", action="append", default=[], metavar="RULES", help="在已选规则之外再启用这些规则")
    p.add_argument("--ignore", action="append", default=[], metavar="RULES", help="停用这些规则")
    p.add_argument("--severity", action="append", default=[], metavar="RULE=LEVEL", help="调整规则级别，如 ST03=error")
    p.add_argument("--config", metavar="FILE", help="使用指定的配置文件（默认从被检查文件向上查找）")
    p.add_argument("--baseline", metavar="FILE", help="只报告基线中没有的新问题")
    p.add_argument("--write-baseline", metavar="FILE", help="把当前问题写成基线")
    p.add_argument("--prune-baseline", action="store_true", help="从 --baseline 中删去已修复的条目")
    p.add_argument("--edition", choices=editions, help="指定报告格式版本")
    p.add_argument("--input-format", metavar="NAME", help="指定输入格式")
    p.add_argument(
        "--exclude",
        action="append",
        metavar="PATTERN",
        help="遍历目录时跳过的文件和目录（gitignore 写法，逗号分隔）；替换默认值和配置中的 exclude",
    )
    p.add_argument("--extend-exclude", action="append", default=[], metavar="PATTERN", help="在 exclude 之外再跳过这些")
    p.add_argument(
        "--force-exclude",
        action="store_true",
        help="对命令行上直接给出的文件也应用排除规则，并跳过明显不是报告的文件（pre-commit 使用）",
    )
    p.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="彩色输出（默认 auto：终端中彩色；遵循 NO_COLOR、FORCE_COLOR、TERM=dumb）",
    )
    p.add_argument("--exit-zero", action="store_true", help="发现问题时退出码仍为 0（无法读取的文件和用法错误仍为 2）")
    p.add_argument("-q", "--quiet", action="store_true", help="只输出发现的问题，不输出统计、规则集和提示")
    p.add_argument("--statistics", action="store_true", help="只输出每条规则的问题数量")
    p.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        metavar="N",
        help="同时检查文件的进程数（默认：CPU 核数；1 表示只用当前进程）",
    )
    p.add_argument(
        "--executor",
        choices=["local", "dask"],
        default="local",
        help="在哪里检查：local（本机，默认）或 dask（Dask 集群，需要安装 nianbao[dask]）",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask 调度器地址，如 tcp://10.0.0.5:8786（默认在本机启动 --jobs 个工作进程的 LocalCluster）",
    )
    p.add_argument("--no-cache", action="store_true", help="不读取也不写入缓存（也可设置环境变量 NIANBAO_NO_CACHE=1）")
    p.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="缓存目录（默认：项目根目录下的 .nianbao_cache；也可用环境变量 NIANBAO_CACHE_DIR）",
    )
    p.add_argument("--clear-cache", action="store_true", help="检查前清空缓存")
    p.set_defaults(handler=_cmd_lint)

    p = sub.add_parser("clean", help="删除缓存目录（.nianbao_cache）")
    p.add_argument("--cache-dir", metavar="DIR", help="要删除的缓存目录（默认与 lint 相同）")
    p.set_defaults(handler=_cmd_clean)

    p = sub.add_parser("rules", help="列出全部规则")
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    p.set_defaults(handler=_cmd_rules)

    p = sub.add_parser("explain", help="显示一条规则的说明")
    p.add_argument("rule", metavar="CODE|NAME")
    p.set_defaults(handler=_cmd_explain)

    p = sub.add_parser("rulesets", help="列出可用的规则集")
    p.set_defaults(handler=_cmd_rulesets)
    _Parser.known_options = sorted(
        {o for command in [parser, *sub.choices.values()] for o in command._option_string_actions}
    )
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"需要一个正整数，而不是 “{text}”")
    return value


def _add_plugin_options(lint: argparse.ArgumentParser, host: PluginHost | None) -> None:
    """The options plugins add to ``lint`` (hook ``nianbao_lint_options``), beside the output options."""
    dests: list[str] = []
    for option in host.lint_options if host is not None else ():
        try:
            dests.append(lint.add_argument(*option.names, **option.settings).dest)
        except (argparse.ArgumentError, TypeError, ValueError) as exc:
            _stderr(f"{WARNING}插件的命令行选项 {'/'.join(option.names)} 无法添加，已跳过：{exc}")
    lint.set_defaults(plugin_options=tuple(dests))


def _split(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [x.strip() for v in values for x in v.split(",") if x.strip()]


def _cmd_lint(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from .lint import Linter, LintOptions, NothingToLint
    from .yamlerrors import ConfigError

    severity: dict[str, str] = {}
    for item in args.severity:
        rule, _, level = item.partition("=")
        level = level.strip().lower()
        if level not in ("error", "warning", "info") or not rule:
            _stderr(f"{ERROR}--severity 需要 规则=级别（error/warning/info），而不是 “{item}”")
            return EXIT_ERROR
        severity[rule.strip()] = level
    if args.prune_baseline and not args.baseline:
        _stderr(f"{ERROR}--prune-baseline 需要同时给出 --baseline")
        return EXIT_ERROR
    options = LintOptions(
        ruleset=args.ruleset,
        select=_split(args.select),
        ignore=_split(args.ignore) or [],
        severity=severity,
        fail_on=args.fail_on,
        config=args.config,
        edition=args.edition,
        input_kind=args.input_format,
        baseline=args.baseline,
        write_baseline=args.write_baseline,
        prune_baseline=args.prune_baseline,
        previous=args.previous,
        hierarchy=args.hierarchy,
        extend_select=_split(args.extend_select) or [],
        exclude=_split(args.exclude),
        extend_exclude=_split(args.extend_exclude) or [],
        force_exclude=args.force_exclude,
        executor=args.executor,
        scheduler=args.scheduler,
        cache=not args.no_cache and not os.environ.get("NIANBAO_NO_CACHE"),
        cache_dir=args.cache_dir,
    )
    if args.scheduler and args.executor != "dask":
        _stderr(f"{ERROR}--scheduler 需要同时给出 --executor dask")
        return EXIT_ERROR
    if args.executor == "dask":
        from .executors import dask_missing

        missing = dask_missing()
        if missing:
            _stderr(f"{ERROR}{missing}")
            return EXIT_ERROR
    host = _host(args)
    outputs = {o.name: o for o in host.outputs}
    targets = []
    for name, out in args.targets or [("console", None)]:
        name = name or "console"
        if name not in outputs and name.lower() in outputs:
            name = name.lower()
        if name not in outputs:
            from .suggest import did_you_mean

            hint = did_you_mean(name, outputs) or f"（可用：{'、'.join(sorted(outputs))}）"
            _stderr(f"{ERROR}未知的输出格式 “{name}”{hint}")
            return EXIT_ERROR
        targets.append((name, out))
    if sum(out is None for _, out in targets) > 1:
        _stderr(f"{ERROR}最多一个输出格式可以写到标准输出，其余请用 --output 指定文件")
        return EXIT_ERROR
    files = [os.path.abspath(out) for _, out in targets if out is not None]
    if len(set(files)) != len(files):
        _stderr(f"{ERROR}两个输出格式不能写入同一个文件")
        return EXIT_ERROR
    if args.jobs is None:
        from .lint import default_jobs

        options.jobs = default_jobs()
    else:
        options.jobs = args.jobs
    try:
        linter = Linter(host, options)
        if args.clear_cache:
            from .cache import clear

            clear(linter.cache_folder())
        host.templates, host.loaders  # noqa: B018 - built before the freeze: they live as long as the run
        startup_done()  # and worker processes fork from here, sharing what start-up built
        if not args.quiet and sys.stderr.isatty():
            from .progress import ProgressBar

            linter.progress = ProgressBar(sys.stderr)
        run = linter.run(args.paths)
    except ConfigError as exc:
        _stderr(f"{ERROR}{exc}")
        return EXIT_ERROR
    except NothingToLint as exc:
        _stderr(f"{ERROR}{exc.message}")
        for skipped in exc.skipped:
            _stderr(f"{NOTE}{skipped.path}：{skipped.reason}")
        return EXIT_ERROR
    from .engine import INTERNAL_ERROR
    from .loading import os_reason
    from .outputs import RenderOptions, atomic_writer, console_style, find_root, printable, rendered, warnings_for

    style = console_style(args.color, sys.stdout, terminal_columns(120))
    render_options = RenderOptions(
        root=os.path.realpath(args.root) if args.root else find_root(os.getcwd()),
        terminal=style.terminal,
        width=style.width,
        quiet=args.quiet,
        statistics=args.statistics,
        plugin_options={dest: getattr(args, dest) for dest in args.plugin_options},
    )
    status = run.exit_code()
    if args.exit_zero and status == EXIT_FINDINGS:
        status = EXIT_OK
    console_on_stdout = False
    for name, out in targets:
        output = outputs[name]
        color = style.color and not output.machine and out is None
        options = render_options if out is None else replace(render_options, terminal=False)
        # Written as it is rendered, a file's part at a time where the format allows it: a run over
        # 100,000 reports never holds its whole report in memory.
        chunks = rendered(output, run, color, options)
        if out is not None:
            try:
                with atomic_writer(out) as fh:
                    for chunk in chunks:
                        fh.write(chunk.encode("utf-8"))
            except OSError as exc:
                _stderr(f"{ERROR}无法写入 {out}：{os_reason(exc)}")
                status = EXIT_ERROR
        elif output.machine:
            for chunk in chunks:
                sys.stdout.buffer.write(chunk.encode("utf-8"))
        else:
            console_on_stdout = name == "console"
            for chunk in chunks:
                sys.stdout.write(chunk)
        for warning in warnings_for(output, run, render_options):
            _stderr(f"{WARNING}{warning}")
    if linter.cache_problem:
        _stderr(f"{WARNING}{linter.cache_problem}")
    if not console_on_stdout:  # the console report carries these itself
        for problem in run.problems:
            _stderr(f"{WARNING}{problem}")
        for r in run.results:
            for f in ([r.error] if r.error else []) + [f for f in r.findings if f.code == INTERNAL_ERROR]:
                _stderr(f"{ERROR}{printable(r.path)}: {f.code} {printable(f.message)}")
        if not args.quiet:
            for skipped in run.skipped:
                _stderr(f"{NOTE}{printable(skipped.path)}：{skipped.reason}")
    return status


def _cmd_clean(args: argparse.Namespace) -> int:

    from .cache import cache_folder, clear
    from .config import find_config
    from .yamlerrors import ConfigError

    try:
        folder = cache_folder(args.cache_dir, find_config(os.getcwd()))
    except ConfigError as exc:
        _stderr(f"{ERROR}{exc}")
        return EXIT_ERROR
    if clear(folder):
        sys.stdout.write(f"已删除缓存目录 {folder}\n")
    elif os.path.exists(folder):
        _stderr(f"{ERROR}{folder} 不是 nianbao 的缓存目录（其中没有 nianbao 的 CACHEDIR.TAG），未删除")
        return EXIT_ERROR
    else:
        sys.stdout.write(f"没有缓存目录 {folder}\n")
    return EXIT_OK


def _all_metas(args: argparse.Namespace):  # noqa: ANN202
    from .engine import TOOL_RULES
    from .registry import all_rules

    host = _host(args)
    rules = all_rules(host)
    metas = [r.meta for r in rules] + list(TOOL_RULES.values())
    return host, rules, [m.naming_editions(host.editions) for m in metas]


def _cmd_rules(args: argparse.Namespace) -> int:
    from .docs import rules_markdown

    _, _, metas = _all_metas(args)
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


def _find_rule(wanted: str, metas: list[RuleMeta]) -> RuleMeta | None:
    """The rule a user names by code, dotted name or alias, in any case."""
    folded = wanted.casefold()
    return next(
        (
            m
            for m in metas
            if folded in (m.code.casefold(), m.name.casefold()) or folded in map(str.casefold, m.aliases)
        ),
        None,
    )


def _cmd_explain(args: argparse.Namespace) -> int:
    from .config import matches
    from .docs import rule_text
    from .rule_sources import rule_source
    from .suggest import did_you_mean

    host, rules, metas = _all_metas(args)
    wanted = args.rule.strip()
    found = _find_rule(wanted, metas)
    if found is None:
        close = [m.code for m in metas if matches(wanted, m)]
        hint = (
            f"（以此开头的规则：{'、'.join(close)}）"
            if close
            else did_you_mean(wanted, [m.code for m in metas] + [m.name for m in metas])
            or "（nianbao rules 列出全部规则）"
        )
        _stderr(f"{ERROR}没有规则 “{wanted}”{hint}")
        return EXIT_ERROR
    sys.stdout.write(rule_text(found, rule_source(found, rules, host)))
    return EXIT_OK


def _cmd_rulesets(args: argparse.Namespace) -> int:
    from .config import Config, Layer, build_selection, layers_for
    from .docs import join_lines
    from .engine import TOOL_RULES
    from .registry import all_rules
    from .ruleset_files import chain, load_ruleset
    from .yamlerrors import ConfigError

    host = _host(args)
    rules = all_rules(host)
    owned: dict[str, list[str]] = {}
    for rule in rules:
        owned.setdefault(rule.meta.ruleset, []).append(rule.meta.code)
    metas = [r.meta for r in rules] + list(TOOL_RULES.values())
    names = {s.name for s in host.rulesets}
    for source in sorted(host.rulesets, key=lambda s: s.name):
        try:
            r = load_ruleset(source)
            used = chain(r.name, host)
        except ConfigError as exc:
            _stderr(f"{ERROR}{exc}")
            continue
        # What a report checked with this rule set runs: its chain's selection with no configuration.
        selection = build_selection(
            layers_for(used, Config(), Layer("命令行")), metas, r.name, names - {x.name for x in used}
        )
        runs = sorted(m.code for m in metas if selection.enabled(m))
        extends = f"（基于 {r.extends}）" if r.extends else ""
        sys.stdout.write(f"{r.name:12} {r.title}{extends}\n")
        if r.description:
            sys.stdout.write(f"{'':12} {join_lines(r.description)}\n")
        if r.region.get("province"):
            sys.stdout.write(f"{'':12} 适用地区：{r.region['province']}（该地区的报告自动使用本规则集）\n")
        changes = [f"{k}→{v}" for k, v in r.severity.items()] + [f"{k} 参数" for k in r.params]
        changes += [f"不检查 {x}" for x in r.ignore]
        if changes:
            sys.stdout.write(f"{'':12} 调整：{'，'.join(changes)}\n")
        own = sorted({*(d["code"] for d in r.rules), *owned.get(r.name, ())} if r.name != "national" else ())
        if own:
            sys.stdout.write(f"{'':12} 自带规则：{'、'.join(own)}\n")
        sys.stdout.write(f"{'':12} 运行的规则（{len(runs)} 条）：{'、'.join(runs)}\n")
    return EXIT_OK


def _stderr(message: str) -> None:
    sys.stderr.write(message + "\n")


def _host(args: argparse.Namespace) -> PluginHost:
    return args.host if getattr(args, "host", None) is not None else _plugin_host(args.disable_plugin)


def _plugin_host(disabled: Sequence[str]) -> PluginHost:
    from .host import create_host

    host = create_host(disabled=disabled)
    for problem in host.problems:
        _stderr(f"{WARNING}插件 “{problem.plugin}” 无法加载，已跳过：{problem.reason}")
    return host


def _command_of(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """The command and the plugins disabled, read before the options are: a command's plugins are
    loaded first, since they add options (as pytest reads ``-p`` first). No command for
    ``--version``, ``--help`` or a word that is none."""
    disabled: list[str] = []
    words = iter(argv)
    for word in words:
        option, _, value = word.partition("=")
        if len(option) > 2 and "--disable-plugin".startswith(option):  # argparse accepts a prefix
            disabled.append(value or next(words, ""))
        elif not word.startswith("-"):
            return (word if word in COMMANDS else None), disabled
    return None, disabled


def _cmd_parse(args: argparse.Namespace) -> int:
    from .loading import InputError, LoadContext, load_document, os_reason

    host = _host(args)
    context = LoadContext(templates=host.templates, edition=args.edition)
    several = len(args.files) > 1
    status = EXIT_OK
    out: IO[bytes]
    try:
        out = open(args.output, "wb") if args.output else sys.stdout.buffer  # noqa: SIM115
    except OSError as exc:
        _stderr(f"{ERROR}无法写入 {args.output}：{os_reason(exc)}")
        return EXIT_ERROR
    try:
        for path in args.files:
            try:
                doc = load_document(path, host.loaders, context, kind=args.input_format)
            except InputError as exc:
                _stderr(f"{ERROR}{path}: {exc.code} {exc.reason}")
                status = EXIT_ERROR
                continue
            data = doc.to_dict()
            if args.validate:
                from .schema import validate_report

                for error in validate_report(data):
                    _stderr(f"{ERROR}{path}: 输出不符合 report.schema.json：{error}")
                    status = max(status, EXIT_FINDINGS)
            text = json.dumps(data, ensure_ascii=False, indent=None if several else 2)
            # Always UTF-8, whatever the console code page: the JSON is for programs.
            out.write(text.encode("utf-8") + b"\n")
            out.flush()
    finally:
        if args.output:
            out.close()
    return status


def run() -> int:
    """The ``nianbao`` program itself: the console script and ``python -m nianbao``."""
    with command_gc():
        status = _main(None, program=True)
    process_exit()
    return status


def main(argv: Sequence[str] | None = None) -> int:
    with command_gc():
        return _main(argv)


def _main(argv: Sequence[str] | None, program: bool = False) -> int:
    # A GBK console cannot show every character a report holds; never crash on printing one.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    command, disabled = _command_of(sys.argv[1:] if argv is None else argv)
    if program and command:  # see nianbao.codecache: the record classes the command builds, compiled once
        from . import codecache

        codecache.install()
    try:
        host = _plugin_host(disabled) if command else None
        parser = _build_parser(host)
        args = parser.parse_args(argv)
        args.host = host
        if not getattr(args, "handler", None):
            parser.print_help()
            return EXIT_ERROR
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - a bug in nianbao: a short message and exit 2, never a traceback
        from .engine import BUG_HINT, describe_exception

        _stderr(f"nianbao: 内部错误：{describe_exception(exc)}。{BUG_HINT}")
        return EXIT_ERROR
    finally:
        if program and command:
            codecache.save()
