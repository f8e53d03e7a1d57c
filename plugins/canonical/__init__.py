"""The canonical-document loader: a ``.json`` file written by ``nianbao parse`` or by another extractor.

This is how other tools (an OCR pipeline, a portal's own extractor) feed our rules. The file is
untrusted like any input, so it is validated against the report schema before anything reads it;
locations inside it keep pointing at the original report it was extracted from.
"""

from __future__ import annotations

import json

from nianbao import hookimpl
from nianbao.document import SCHEMA_VERSION, Document, Location, Source
from nianbao.loading import InputError, LoadContext
from nianbao.numbers import plausible

# Schema errors beyond this many say nothing more to the person fixing the extractor.
MAX_REPORTED_ERRORS = 5


# The json module's messages, in Chinese (first words are enough to tell them apart).
_JSON_PROBLEMS = {
    "Expecting value": "缺少值",
    "Expecting property name": "键应写在双引号中",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Unterminated string": "字符串没有结束的引号",
    "Invalid control character": "字符串中有控制字符",
    "Extra data": "JSON 结束后还有多余内容",
    "Invalid \\escape": "无效的转义（\\）",
}


def _json_problem(message: str) -> str:
    return next((f"：{text}" for start, text in _JSON_PROBLEMS.items() if message.startswith(start)), "")


class CanonicalLoader:
    name = "json"
    extensions = (".json",)
    discover = False

    def sniff(self, head: bytes) -> int:
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if start.startswith(b"{") and b'"schema_version"' in head:
            return 90
        return 0

    def load(self, data: bytes, source: Source, context: LoadContext) -> Document:
        from nianbao.schema import validate_report

        try:
            plain = json.loads(data.decode("utf-8-sig"), parse_constant=_no_constant)
        except UnicodeDecodeError as exc:
            raise InputError(f"JSON 文件不是 UTF-8 编码（第 {exc.start} 字节）") from None
        except json.JSONDecodeError as exc:
            where = Location(line=exc.lineno, column=exc.colno)
            raise InputError(
                f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列{_json_problem(exc.msg)}", location=where
            ) from None
        except RecursionError:
            raise InputError("JSON 嵌套层数过多，不是 nianbao 规范文档") from None
        except ValueError:  # an integer of more than 4,300 digits, or NaN/Infinity
            raise InputError("JSON 中有无法使用的数值（过长的整数或 NaN/Infinity），请检查生成它的程序") from None
        problem = _unusable_value(plain)
        if problem:
            raise InputError(f"规范文档中{problem}，请检查生成它的程序")
        if not isinstance(plain, dict) or "schema_version" not in plain:
            raise InputError("不是 nianbao 规范文档（缺少 schema_version）", code="NB02")
        if plain["schema_version"] != SCHEMA_VERSION:
            raise InputError(f"规范文档版本 {plain['schema_version']!r} 不受支持（本版本读取 {SCHEMA_VERSION}）")
        _without_anchors(plain)
        try:
            errors = validate_report(plain)
        except RecursionError:
            raise InputError("JSON 嵌套层数过多，不是 nianbao 规范文档") from None
        if errors:
            shown = "；".join(errors[:MAX_REPORTED_ERRORS])
            more = f"（另有 {len(errors) - MAX_REPORTED_ERRORS} 处）" if len(errors) > MAX_REPORTED_ERRORS else ""
            raise InputError(f"规范文档不符合 report.schema.json：{shown}{more}")
        doc = Document.from_dict(plain)
        # Findings are filed under the path the user named; the rest of ``source`` (format, sha256,
        # encoding) still describes the original report the locations point into.
        doc.source.path = source.path
        return doc


def _without_anchors(plain: dict) -> None:
    """A document written before paragraphs and headings carried anchors (schema version 1 all the same)
    lacks them: read it as not knowing them, so rules point at whole paragraphs, as they then did."""
    # Runs before validation, so any value may be of any type: leave the wrong ones to the schema.
    sections = plain.get("sections")
    for section in sections if isinstance(sections, list) else ():
        if isinstance(section, dict):
            section.setdefault("heading_anchors", None)
            paragraphs = section.get("paragraphs")
            for paragraph in paragraphs if isinstance(paragraphs, list) else ():
                if isinstance(paragraph, dict):
                    paragraph.setdefault("anchors", None)


def _no_constant(name: str) -> None:
    raise ValueError(name)


def _unusable_value(plain: object) -> str | None:
    """What in the document no rule can work with: a number too large to be a count, text that is not
    Unicode (a lone surrogate escape such as ``\\ud800``)."""
    stack = [plain]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return "有不成对的 Unicode 代理字符（如 \\ud800）"
        elif isinstance(item, (int, float)) and not isinstance(item, bool) and not plausible(item):
            return f"有数值过大（{str(item)[:20]}…）"
    return None


@hookimpl
def nianbao_loaders() -> list[CanonicalLoader]:
    return [CanonicalLoader()]
