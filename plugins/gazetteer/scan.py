"""Finding division names in a text.

Matching works on whole names only. A text is scanned once: at every character that can end a name
(省, 市, 区, 县, 旗, 州, 盟, ...) the longest indexed name ending there is looked up in a dict, so the cost
is proportional to the text, not to the ~3400 divisions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .divisions import Gazetteer

# Real county names that are also everyday phrases (老城区改造, 新城区建设, 城区内, 新县城...). Like
# every two-character name, they count only right after a name of an enclosing division
# (洛阳市老城区) or at the very start of an organ name.
GENERIC_NAMES = frozenset(
    "城区 郊区 矿区 东区 西区 城东区 城西区 城南区 城北区 城中区 城关区 新城区 老城区 新市区 西市区 "
    "市中区 市北区 市南区 南郊区 解放区 平安区 前进区 向阳区".split()
)


def is_weak(name: str) -> bool:
    """A name that counts only after an enclosing division's name or at the start of an organ name."""
    return len(name) <= 2 or name in GENERIC_NAMES


class Match(NamedTuple):
    start: int
    end: int
    codes: Sequence[str]


def scan(gaz: Gazetteer, text: str, *, organ: bool) -> list[Match]:
    """The division names in ``text``, left to right, overlapping ones resolved; with ``organ`` the text
    is an organ name, which may also start with a bare province or prefecture stem (常州应急管理局)."""
    found: list[Match] = []
    if organ:
        for length in range(min(gaz.max_stem, len(text)), 1, -1):
            codes = gaz.stems.get(text[:length])
            if codes:
                found.append(Match(0, length, codes.split(",")))
                break
    names = gaz.names
    end_chars = gaz.end_chars
    for i, char in enumerate(text):
        if char not in end_chars:
            continue
        end = i + 1
        for length in range(min(gaz.max_len, end), 1, -1):
            start = end - length
            joined = names.get(text[start:end])
            if joined is not None:
                break
        else:
            continue
        following = text[end : end + 2]
        # 义乌市场 is a market and 江北区域 an area, but 常州市市场监督管理局 is still 常州市.
        if char == "市" and following[:1] == "场" and following != "场监":
            continue
        if char == "区" and following[:1] == "域":
            continue
        codes = joined.split(",")
        previous = found[-1] if found else None
        if text[start:end] in gaz.weak and not (organ and start == 0):
            if previous is None or previous.end != start:
                continue
            if not any(p in gaz.divisions[c].chain[:-1] for c in codes for p in previous.codes):
                continue
        if previous is not None and start < previous.end:
            # Overlapping names (长沙市区 holds 长沙市 and 沙市区): the longer wins, else the first.
            if end - start <= previous.end - previous.start:
                continue
            found.pop()
        found.append(Match(start, end, codes))
    return found
