"""Comparing labels as printed in the format with labels as they survive extraction."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from nianbao.numbers import MAX_RUN_DIGITS, bounded_float, bounded_int

# Punctuation and spacing carry no meaning in a label: ``（二）部分公开（区分处理的，…）`` and
# ``(二) 部分公开 (区分处理的, …)`` are the same label, as are ``危及“三安全一稳定”`` and ``危及三安全一稳定``.
_NOISE = re.compile(r"[\s\u00a0\u3000、，,。.．:：;；()（）\[\]【】〔〕“”\"'‘’·•\-—－_~～]+")


@lru_cache(maxsize=4096)
def key(label: str) -> str:
    return _NOISE.sub("", label).lower()


@lru_cache(maxsize=65536)
def similarity(a: str, b: str) -> float:
    """Similarity of two label keys in [0, 1] (difflib ratio; cached: labels repeat across reports)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def at_least(a: str, b: str, threshold: float) -> float:
    """``similarity(a, b)`` when it reaches ``threshold``, else 0 — cheap length bound first."""
    if 2 * min(len(a), len(b)) < threshold * (len(a) + len(b)):
        return 0.0
    score = similarity(a, b)
    return score if score >= threshold else 0.0


_NUMBER = re.compile(r"^([+\-−－]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(万元|亿元|元|件|条|项|个)?$")
_DASHES = {"-", "—", "－", "--", "——", "–", "−"}
_SLASHES = {"/", "／", "\\"}


def parse_value(raw: str) -> tuple[int | float | None, str, str | None] | None:
    """Read a table cell: ``(value, state, unit)``, or None when the text is a label, not a value."""
    text = raw.strip()
    if not text:
        return None, "blank", None
    if text in _DASHES:
        return None, "dash", None
    if text in _SLASHES:
        return None, "slash", None
    if text in {"无", "空"}:
        return None, "text", None
    m = _NUMBER.match(text)
    if not m:
        return None
    sign, digits, fraction, unit = m.groups()
    digits = digits.replace(",", "")
    if fraction is not None:
        value = bounded_float(f"{digits}.{fraction}", MAX_RUN_DIGITS)
    else:
        value = bounded_int(digits, MAX_RUN_DIGITS)
    if value is None:  # digits no count or amount has: a garbled cell, shown as text for a person to check
        return None, "text", None
    if sign:
        value = -value
    return value, "number", unit
