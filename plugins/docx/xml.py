"""WordprocessingML names shared by the DOCX reader modules."""

from __future__ import annotations

from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_VAL = W + "val"


def attr(element: Any, name: str) -> str | None:
    """A ``w:``-namespaced attribute of ``element``."""
    return element.get(W + name) if element is not None else None
