"""Comparing labels as printed in the format with labels as they survive extraction."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from nianbao.lazypattern import lazy
from nianbao.numbers import MAX_RUN_DIGITS, bounded_float, bounded_int
from nianbao.templates import LABEL_NOISE, label_key

# Labels compare by the templates' one normaliser; ``key`` is its name in the readers.
key = label_key


def key_positions(text: str) -> tuple[str, list[int]]:
    """``key(text)`` and, for each of its characters, where it stands in ``text``."""
    positions: list[int] = []
    last = 0
    for m in LABEL_NOISE.finditer(text):
        positions.extend(range(last, m.start()))
        last = m.end()
    positions.extend(range(last, len(text)))
    return "".join(text[i] for i in positions).lower(), positions


_MAX_PARTS = 24  # labels run together in one cell: a whole header row is about twenty
_MAX_RUN = 160  # characters: longer text is prose, not labels run together (a whole header row is ~100)


def split_labels(text: str, known: frozenset[str] | set[str]) -> list[tuple[int, int]] | None:
    """Spans of ``text`` that are each a known label key, together the whole of it (labels a line
    break or a converter ran together: ``信息内容本年制发件数本年废止件数``), fewest parts first; None
    when ``text`` is not such a run of two or more labels."""
    k, positions = key_positions(text)
    if not k or k in known or len(k) > _MAX_RUN:
        return None
    lengths = sorted({len(x) for x in known if x}, reverse=True)
    # fewest[i]: fewest labels covering k[:i], and where the last one starts.
    fewest: list[tuple[int, int] | None] = [None] * (len(k) + 1)
    fewest[0] = (0, 0)
    for i in range(1, len(k) + 1):
        for n in lengths:
            j = i - n
            if j < 0 or fewest[j] is None or k[j:i] not in known:
                continue
            parts = fewest[j][0] + 1
            if parts <= _MAX_PARTS and (fewest[i] is None or parts < fewest[i][0]):
                fewest[i] = (parts, j)
    if fewest[len(k)] is None:
        return None
    cuts: list[tuple[int, int]] = []
    i = len(k)
    while i > 0:
        j = fewest[i][1]
        cuts.append((positions[j], positions[i - 1] + 1))
        i = j
    cuts.reverse()
    # Punctuation between two labels goes with the label before it (``（单位：万元）`` ends one).
    starts = [0] + [a for a, _ in cuts[1:]]
    return [(a, starts[n + 1] if n + 1 < len(starts) else len(text.rstrip())) for n, a in enumerate(starts)]


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
# A markdown escape: a backslash before punctuation (``1\.属于国家秘密``, ``\-4``) renders as the punctuation.
MARKDOWN_ESCAPE = lazy(r"\\([-.+()*_#|\\`{}\[\]!<>~])")


def unescape(text: str) -> str:
    """``text`` as markdown renders it: escapes dropped."""
    return MARKDOWN_ESCAPE.sub(r"\1", text) if "\\" in text else text


_DASHES = {"-", "—", "－", "--", "——", "–", "−"}
_SLASHES = {"/", "／", "\\"}


def parse_value(raw: str) -> tuple[int | float | None, str, str | None] | None:
    """Read a table cell: ``(value, state, unit)``, or None when the text is a label, not a value."""
    text = raw.strip()
    text = unescape(text)  # markdown escapes: ``\-4``, ``604\.96万元``
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
