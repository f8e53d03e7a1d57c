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
    return parser


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
