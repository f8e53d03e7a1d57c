"""Reading numbers from untrusted text with a bound on their length.

Python refuses to convert more than 4,300 digits to an ``int`` (``ValueError``) and arithmetic on
numbers near that size is slow or overflows floats; a report never holds a count or an amount of
more than a dozen digits. Every loader and rule that turns digits from a file into a number goes
through here, so a hostile or garbled number is "not a number" rather than a crash.
"""

from __future__ import annotations

import re

# 15 digits: the largest integers a float (and so every JSON reader) holds exactly are 16 digits long;
# no count or amount in a report comes near this.
MAX_DIGITS = 15
# A table cell may hold the digits of a whole row whose separators were lost (``21317000001324019``);
# the table reader splits runs of up to 80 digits (and says NB03 for longer ones), so a cell keeps up to
# this many digits as a number. Far below the 309 digits where a float overflows.
MAX_RUN_DIGITS = 100


def bounded_int(digits: str, max_digits: int = MAX_DIGITS) -> int | None:
    """``int(digits)`` for a run of digits no longer than ``max_digits``; otherwise None."""
    digits = digits.strip()
    if not digits or len(digits.lstrip("+-")) > max_digits:
        return None
    try:
        return int(digits)
    except ValueError:
        return None


def bounded_float(text: str, max_digits: int = MAX_DIGITS) -> float | None:
    """``float(text)`` for a decimal number whose whole part and fraction have at most ``max_digits``
    digits each."""
    whole, _, fraction = text.strip().partition(".")
    if len(whole.lstrip("+-")) > max_digits or len(fraction) > max_digits:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def plausible(value: float) -> bool:
    """Whether a number from a canonical document can take part in arithmetic: finite and no longer
    than what the table reader keeps (:data:`MAX_RUN_DIGITS`)."""
    return -_RUN_BOUND < value < _RUN_BOUND


_RUN_BOUND = 10**MAX_RUN_DIGITS


_LONG_DIGITS = re.compile(rf"\d{{{MAX_DIGITS + 1},}}")


def mask_long_numbers(text: str) -> str:
    """``text`` with every run of more than :data:`MAX_DIGITS` digits replaced by as many ``#``.

    Offsets stay the same, so matches still locate in the original text. Patterns that start with
    ``\\d+`` (``(\\d+)件``) try every position of a digit run and backtrack over the rest of it: on a run
    of 80,000 digits that is quadratic (44 s for one file). Such a run is no number a report states.
    """
    if not _LONG_DIGITS.search(text):
        return text
    return _LONG_DIGITS.sub(lambda m: "#" * len(m.group(0)), text)
