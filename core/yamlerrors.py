"""Schema validation of YAML files with errors located at file:line:column (NB04)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # PyYAML is imported when a file is parsed: ConfigError alone must not load it
    import yaml


class ConfigError(Exception):
    """An invalid rule set or configuration: NB04, reported with where it is."""

    code = "NB04"

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None) -> None:
        self.path, self.line, self.column, self.message = path, line, column, message
        where = path + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        super().__init__(f"{where}: NB04 {message}")


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
            path, f"YAML 语法错误：{exc.problem}", mark.line + 1 if mark else None, mark.column + 1 if mark else None
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
            extra = next(iter(set(error.instance) - set(error.schema.get("properties", {}))), None)
            node = _node_at(root, [*error.absolute_path, extra], key=True) if extra else node
            message = f"未知的配置项 “{extra}”"
        else:
            location = "/".join(map(str, error.absolute_path)) or "（顶层）"
            message = f"{location}：{error.message}"
        mark = node.start_mark if node is not None else None
        raise ConfigError(path, message, mark.line + 1 if mark else None, mark.column + 1 if mark else None)
    return data
