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
            plain = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise InputError(f"JSON 文件不是 UTF-8 编码（第 {exc.start} 字节）") from None
        except json.JSONDecodeError as exc:
            where = Location(line=exc.lineno, column=exc.colno)
            raise InputError(
                f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列{_json_problem(exc.msg)}", location=where
            ) from None
        if not isinstance(plain, dict) or "schema_version" not in plain:
            raise InputError("不是 nianbao 规范文档（缺少 schema_version）", code="NB02")
        if plain["schema_version"] != SCHEMA_VERSION:
            raise InputError(f"规范文档版本 {plain['schema_version']!r} 不受支持（本版本读取 {SCHEMA_VERSION}）")
        _without_anchors(plain)
        errors = validate_report(plain)
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
    for section in plain.get("sections") or ():
        if isinstance(section, dict):
            section.setdefault("heading_anchors", None)
            for paragraph in section.get("paragraphs") or ():
                if isinstance(paragraph, dict):
                    paragraph.setdefault("anchors", None)


@hookimpl
def nianbao_loaders() -> list[CanonicalLoader]:
    return [CanonicalLoader()]
