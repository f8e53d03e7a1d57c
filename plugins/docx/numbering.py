"""Word automatic numbering: the ``一、`` or ``1.`` Word draws in front of a paragraph but never stores
in its text. Rebuilt from numbering.xml so headings and row labels read as the reader sees them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .xml import W, attr

_CN_DIGITS = "〇一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese_counting(n: int) -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        tail = "" if not rest else ("零" + _CN_DIGITS[rest] if rest < 10 else _chinese_counting(rest))
        if 10 <= rest < 20:
            tail = "一" + tail
        return _CN_DIGITS[hundreds] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L")):
        while n >= value:
            out.append(letters)
            n -= value
    for value, letters in ((40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


# Word numbers list items from 0 to 32767; a larger number would make a letter or Roman numeral of
# billions of characters.
_MAX_NUMBER = 32767


def format_number(n: int, fmt: str) -> str:
    """``n`` in Word's number format ``fmt`` (``w:numFmt``); unknown formats fall back to decimal."""
    if not 0 <= n <= _MAX_NUMBER:
        return str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "chineseLegalSimplified"):
        return _chinese_counting(n)
    if fmt == "ideographDigital":
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt in ("ideographTraditional", "ideographZodiac") and 0 < n <= 10:
        return _TIANGAN[n - 1]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth":
        return str(n).translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


@dataclass(slots=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."


@dataclass(slots=True)
class Numbering:
    """numbering.xml read into levels per ``w:num``, with the running counters of one document."""

    abstract_of: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # abstractNumId -> ilvl -> Level
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)  # numId -> ilvl -> start
    counters: dict[Any, list[int | None]] = field(default_factory=dict)

    @classmethod
    def from_root(cls, root: Any) -> Numbering:
        num = cls()
        if root is None:
            return num
        for abstract in root.iter(W + "abstractNum"):
            aid = attr(abstract, "abstractNumId")
            levels: dict[int, Level] = {}
            for lvl in abstract.iter(W + "lvl"):
                level = Level()
                for child in lvl:
                    tag = child.tag
                    if tag == W + "start":
                        level.start = _int(attr(child, "val"), 1)
                    elif tag == W + "numFmt":
                        level.fmt = attr(child, "val") or "decimal"
                    elif tag == W + "lvlText":
                        level.text = attr(child, "val") or ""
                levels[_int(attr(lvl, "ilvl"), 0)] = level
            num.levels[aid or ""] = levels
        for n in root.iter(W + "num"):
            nid = attr(n, "numId") or ""
            ref = n.find(W + "abstractNumId")
            num.abstract_of[nid] = attr(ref, "val") or "" if ref is not None else ""
            for override in n.iter(W + "lvlOverride"):
                start = override.find(W + "startOverride")
                if start is not None:
                    num.overrides.setdefault(nid, {})[_int(attr(override, "ilvl"), 0)] = _int(attr(start, "val"), 1)
        return num

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the list ``num_id`` at level ``ilvl`` and return the number Word would draw."""
        abstract = self.abstract_of.get(num_id)
        if abstract is None or num_id == "0":
            return ""
        levels = self.levels.get(abstract, {})
        # Lists sharing an abstract definition continue each other unless one restarts explicitly.
        key = ("num", num_id) if num_id in self.overrides else ("abstract", abstract)
        counters = self.counters.setdefault(key, [None] * 9)
        if not 0 <= ilvl < 9:
            return ""
        level = levels.get(ilvl, Level())
        current = counters[ilvl]
        if current is None:
            current = self.overrides.get(num_id, {}).get(ilvl, level.start)
        else:
            current += 1
        counters[ilvl] = current
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        text = level.text
        for i in range(ilvl, -1, -1):
            placeholder = f"%{i + 1}"
            if placeholder in text:
                lv = levels.get(i, Level())
                value = counters[i] if counters[i] is not None else lv.start
                text = text.replace(placeholder, format_number(value, lv.fmt if i == ilvl else lv.fmt))
        return "" if level.fmt == "bullet" else text


def _int(value: str | None, default: int) -> int:
    try:
        n = int(value) if value is not None else default
    except ValueError:
        return default
    return n if 0 <= n <= _MAX_NUMBER else default
