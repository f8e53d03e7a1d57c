"""Schema validation of YAML files with errors located at file:line:column (NB04), said in Chinese:
PyYAML and jsonschema describe problems in English, which the people who write these files may not read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .suggest import did_you_mean

if TYPE_CHECKING:  # PyYAML is imported when a file is parsed: ConfigError alone must not load it
    import yaml

# PyYAML's (and libyaml's) problem texts, first match wins.
_YAML_PROBLEMS: tuple[tuple[str, str], ...] = (
    (r"mapping values are not allowed", "此处不能再写“键: 值”（冒号后的文字需要加引号，或缩进不对）"),
    (r"could not find expected ':'", "缺少冒号：键后面应写冒号和一个空格"),
    (r"cannot start any token", "字符 “{char}” 不能出现在值的开头，这样的值需要加引号"),
    (r"did not find expected '-' indicator", "列表项应以“- ”开头，并与上一项对齐"),
    (r"expected ',' or '\]'", "方括号列表没有正确结束：缺少逗号或“]”"),
    (r"expected ',' or '\}'", "花括号映射没有正确结束：缺少逗号或“}”"),
    (r"expected <block end>|did not find expected key", "缩进不一致：同一层的键应对齐"),
    (r"unexpected end of stream|end of stream", "文件意外结束：引号或括号没有闭合"),
    (r"unknown escape character", "双引号中有无效的转义（\\）：改用单引号，或写成 \\\\"),
    (r"undefined alias", "使用了未定义的别名（*名称）"),
    (r"did not find expected node content|expected the node content", "此处缺少内容"),
    (r"duplicate anchor", "锚点（&名称）重复定义"),
)
_TYPES = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "array": "列表",
    "object": "映射（键: 值）",
    "null": "空值",
}


def yaml_problem(problem: str | None, char: str = "") -> str:
    """A PyYAML problem in Chinese; ``char`` is the character at the problem's mark."""
    if char == "\t":
        return "出现了制表符（Tab）：YAML 只能用空格缩进"
    for pattern, text in _YAML_PROBLEMS:
        if problem and re.search(pattern, problem):
            return text.format(char=char)
    return "此处的写法无法解析"


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line][column] if 0 <= line < len(lines) and 0 <= column < len(lines[line]) else ""


def shown(value: Any) -> str:
    if isinstance(value, str):
        text = value
    else:
        import yaml

        text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True)
    text = text.strip().removesuffix("...").strip()
    return text if len(text) <= 40 else text[:37] + "..."


def expected_types(types: Any) -> str:
    kinds = [types] if isinstance(types, str) else list(types)
    return "应为" + "或".join(_TYPES.get(k, k) for k in kinds)


def schema_problem(error: Any) -> str:
    """What a jsonschema ``ValidationError`` says is wrong, in Chinese, with the value written."""
    expected = error.validator_value
    value = error.instance
    kind = error.validator
    if kind == "required":
        missing = [k for k in expected if isinstance(value, dict) and k not in value]
        return f"缺少必填项 “{'”“'.join(missing or expected)}”"
    if kind == "type":
        what = expected_types(expected)
    elif kind == "enum":
        what = f"应为 {'、'.join(map(str, expected))} 之一"
    elif kind == "const":
        what = f"应为 {expected}"
    elif kind in ("minLength", "minItems"):
        what = (
            "不能为空"
            if expected == 1
            else f"至少应有 {expected} 项"
            if kind == "minItems"
            else f"至少 {expected} 个字"
        )
    elif kind == "maxItems":
        what = f"最多 {expected} 项"
    elif kind in ("minimum", "exclusiveMinimum"):
        what = f"应不小于 {expected}" if kind == "minimum" else f"应大于 {expected}"
    elif kind in ("maximum", "exclusiveMaximum"):
        what = f"应不大于 {expected}" if kind == "maximum" else f"应小于 {expected}"
    elif kind == "pattern":
        what = f"写法不符合要求（应匹配 {expected}）"
    elif kind == "uniqueItems":
        what = "中有重复的项"
    elif kind == "format":
        what = f"不是有效的 {expected}"
    elif kind == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {}))) if isinstance(value, dict) else []
        return f"有未知的项 “{'”“'.join(map(str, extra))}”"
    else:
        what = "的写法不符合要求"
    return f"{what}（写的是 “{shown(value)}”）"


def schema_message(error: Any) -> str:
    """:func:`schema_problem` after where it is (``“severity/ST04”``)."""
    where = "/".join(map(str, error.absolute_path))
    return f"“{where}”{schema_problem(error)}" if where else f"顶层{schema_problem(error)}"


class ConfigError(Exception):
    """An invalid rule set or configuration: NB04, reported with where it is."""

    code = "NB04"

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None) -> None:
        self.path, self.line, self.column, self.message = path, line, column, message
        where = path + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        super().__init__(f"{where}: NB04 {message}")

    def __reduce__(self) -> tuple[type, tuple[str, str, int | None, int | None]]:  # raised in a worker process
        return (type(self), (self.path, self.message, self.line, self.column))


def _node_at(node: yaml.Node, path: Sequence[Any], key: bool = False) -> yaml.Node:
    """The deepest node along a JSON-pointer-like path; a missing step stops at its parent.

    With ``key``, the last step gives the mapping key rather than its value.
    """
    import yaml

    for n, step in enumerate(path):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == step:
                    node = k if key and n == len(path) - 1 else v
                    break
            else:
                return node
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            return node
    return node


def load_validated(text: str, path: str, schema: dict[str, Any]) -> Any:
    """Parse ``text`` and validate it against ``schema``; raise :class:`ConfigError` on the first error."""
    import yaml

    from .yamlio import SafeLoader

    try:
        root = yaml.compose(text, Loader=SafeLoader)
        data = yaml.load(text, Loader=SafeLoader)  # noqa: S506 - safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ConfigError(
            path,
            f"YAML 语法错误：{yaml_problem(exc.problem, _char_at(text, mark.line, mark.column) if mark else '')}",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    if data is None:
        data = {}
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if errors:
        error = errors[0]
        node = _node_at(root, list(error.absolute_path)) if root is not None else None
        if error.validator == "additionalProperties" and root is not None:
            # Point at the unknown key itself, not at the mapping that holds it.
            known = list(error.schema.get("properties", {}))
            extra = next(iter(sorted(set(error.instance) - set(known))), None)
            node = _node_at(root, [*error.absolute_path, extra], key=True) if extra else node
            message = f"未知的配置项 “{extra}”{did_you_mean(str(extra), known)}"
        else:
            message = schema_message(error)
        mark = node.start_mark if node is not None else None
        raise ConfigError(path, message, mark.line + 1 if mark else None, mark.column + 1 if mark else None)
    return data
