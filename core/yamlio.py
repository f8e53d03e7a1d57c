"""YAML reading with libyaml when the wheel ships it (about 8x faster than the pure-Python loader)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(source: str | Path | Any) -> Any:
    """Load YAML from a path or a ``Traversable`` (``importlib.resources``) with the safe loader."""
    text = source.read_text(encoding="utf-8") if hasattr(source, "read_text") else Path(source).read_text("utf-8")
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - SafeLoader / CSafeLoader only


def load_yaml_text(text: str) -> Any:
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - SafeLoader / CSafeLoader only
