"""Chinese numerals as reports write them: 一 to 九十九 in headings and enumerations (``（十二）``,
``三是``), digit by digit in dates (``二〇二一年十二月三十一日``)."""

from __future__ import annotations

# 〇 is written with look-alikes: 零, the circle ○ and a capital O.
DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NAMES = "一二三四五六七八九"


def cn_number(text: str) -> int | None:
    """一 to 九十九 as an int (十, 十五, 三十, 三十一); None for anything else (enumerations, months and
    days never go further)."""
    if len(text) == 1:
        return 10 if text == "十" else DIGITS.get(text)
    tens, ten, units = text.partition("十")
    if not ten or len(tens) > 1 or len(units) > 1:
        return None
    high = DIGITS.get(tens) if tens else 1
    low = DIGITS.get(units) if units else 0
    return None if high is None or low is None else high * 10 + low


def cn_digits(text: str) -> int | None:
    """A number written digit by digit (二〇二一 is 2021); None when a character is no digit."""
    if not text or any(c not in DIGITS for c in text):
        return None
    return int("".join(str(DIGITS[c]) for c in text))


def cn_numeral(n: int) -> str:
    """1 to 99 in Chinese numerals, as an enumeration writes them (十二, 二十)."""
    if n < 10:
        return _NAMES[n - 1]
    tens, units = divmod(n, 10)
    return (_NAMES[tens - 1] if tens > 1 else "") + "十" + (_NAMES[units - 1] if units else "")
