"""Character classes as plain comparisons.

Regular expressions with the CJK ranges cost 1-3 ms each to compile (``re`` builds a bitmap of
the whole Basic Multilingual Plane), which a command started once per file cannot afford.
"""

from __future__ import annotations


def is_ideograph(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff"


def is_wide(c: str) -> bool:
    """An ideograph, CJK punctuation or a full-width form: a space between two of these is layout."""
    return (
        is_ideograph(c)
        or "\u3000" <= c <= "\u303f"
        or "\uff01" <= c <= "\uff0f"
        or "\uff1a" <= c <= "\uff20"
        or "\uff3b" <= c <= "\uff40"
        or "\uff5b" <= c <= "\uff65"
        or c in "\u201c\u201d\u2018\u2019"
    )


def count_ideographs(text: str) -> int:
    return sum(1 for c in text if is_ideograph(c))
