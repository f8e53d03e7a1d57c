"""``--format csv``: one row per finding, for people who open Excel.

UTF-8 with a byte-order mark (without it Excel on a Chinese Windows reads the file as GBK and shows
garbage), CRLF line ends (RFC 4180), Chinese column names and severities, and text that Excel would
take for a formula (a cell starting with = + - @) prefixed with an apostrophe. Each file's rows come
from its own result (:func:`rows_for`), so a streaming run can write them as results arrive.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from nianbao.lint import FileResult, LintRun
from nianbao.outputs import RenderOptions, repo_path
from nianbao.rules import Finding

from .common import Streamed, describe_position, has_text_lines
from .console import LABEL

BOM = "\ufeff"
HEADER = (
    "文件",
    "行",
    "列",
    "位置",
    "级别",
    "代码",
    "规则",
    "问题",
    "原文",
    "部分",
    "表",
    "行键",
    "栏",
    "涉及的格",
    "来源",
    "规则集",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_MAX_TEXT = 200


def _safe(text: str) -> str:
    """Excel runs a cell that starts like a formula; report text is untrusted (OWASP CSV injection)."""
    return "'" + text if text.startswith(_FORMULA) else text


def _row(path: str, f: Finding, ruleset: str) -> list[str]:
    loc = f.location
    line = str(loc.line) if has_text_lines(loc) and loc is not None else ""
    column = str(loc.column or 1) if line and loc is not None else ""
    where = f"第{line}行第{column}列" if line else describe_position(loc)
    text = " ".join((loc.text or "").split()) if loc is not None else ""
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 1] + "…"
    logical = f.logical
    return [
        _safe(path),
        line,
        column,
        where,
        LABEL[f.severity],
        f.code,
        f.name,
        _safe(f.message),
        _safe(text),
        (logical.section or "") if logical else "",
        (logical.table or "") if logical else "",
        (logical.row or "") if logical else "",
        (logical.column or "") if logical else "",
        " ".join(f.cells),
        "提取" if f.origin == "extraction" else "原文",
        ruleset,
    ]


def rows_for(result: FileResult, root: str) -> Iterator[list[str]]:
    """The rows of one file: an unreadable file is one row (its NB01/NB02), a clean file none."""
    path = repo_path(result.path, root)
    ruleset = "" if result.error else result.ruleset
    for f in ([result.error] if result.error else []) + list(result.findings):
        yield _row(path, f, ruleset)


def write(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


class CsvOutput(Streamed):
    name = "csv"
    description = "CSV（每个问题一行，可用 Excel 打开）"
    machine = True  # always UTF-8 (with BOM), whatever the console's code page

    def stream(self, run: LintRun, color: bool, options: RenderOptions | None = None) -> Iterator[str]:
        root = (options or RenderOptions()).root
        yield BOM + write([list(HEADER)])
        for r in run.results:
            rows = list(rows_for(r, root))
            if rows:
                yield write(rows)
