"""Deciding between readings of the same values with the table's identities (勾稽关系).

Where the layout does not say which value belongs where (numbers listed row by row or column by
column, digits run together), every possible reading is put to the identities the format declares.
One reading that holds is taken; none or several, and the reader says so (NB03) instead of guessing.
This is the seam for text whose layout was lost: a stream reader proposes readings, this module
decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from nianbao.identities import Equation

T = TypeVar("T")
CellRef = tuple[str, str]  # (row key, column key)

_MAX_SPLIT_DIGITS = 60
_MAX_CELL_DIGITS = 7
_MAX_SPLIT_STEPS = 200_000
# More readings than this of one digit run say too little to be worth listing.
_MAX_CANDIDATES = 12


@dataclass(slots=True)
class Reading(Generic[T]):
    """One way of putting values in cells: (row key, column key) -> what goes there."""

    cells: dict[CellRef, T]
    numbers: dict[CellRef, float | int | None]
    extraction: bool = False  # rebuilt by the reader (by columns, split digits), not as printed


def holds(equations: Sequence[Equation], numbers: dict[CellRef, float | int | None]) -> bool | None:
    """Whether every equation whose cells are all known numbers holds; None when none could be checked."""
    checked = False
    for eq in equations:
        vals = [numbers.get(ref) for ref in eq.cells]
        if any(not isinstance(v, (int, float)) for v in vals):
            continue
        checked = True
        if sum(numbers[r] for r in eq.lhs) != sum(numbers[r] for r in eq.rhs):  # type: ignore[misc]
            return False
    return True if checked else None


def choose(equations: Sequence[Equation], readings: Sequence[Reading[T]]) -> tuple[Reading[T] | None, str]:
    """The one reading the identities allow, or None and why not (``ambiguous`` or ``none``).

    Readings that put the same numbers in the same cells are one reading. A single reading is
    taken as it is; among several, exactly one must hold.
    """
    distinct: list[Reading[T]] = []
    for reading in readings:
        if not any(reading.numbers == d.numbers for d in distinct):
            distinct.append(reading)
    if len(distinct) == 1:
        return distinct[0], ""
    valid = [r for r in distinct if holds(equations, r.numbers)]
    if len(valid) == 1:
        return valid[0], ""
    return None, "ambiguous" if valid or all(holds(equations, r.numbers) is None for r in distinct) else "none"


def split_digits(
    digits: str, columns: Sequence[str], row_key: str, equations: Sequence[Equation]
) -> tuple[list[str] | None, str]:
    """Split digits that lost their separators (``21317000001324019``) into one number per column,
    using the identities within the row. Returns the pieces, or None and why not (in Chinese)."""
    if not _splittable(digits, len(columns)):
        return None, "数字个数与栏数不符"
    eqs = _row_equations(equations, row_key)
    if not eqs:
        # Without an identity the digits say nothing about where one number ends: 226 for three
        # cells splits only as 2, 2, 6, yet is one number with two lost.
        return None, "该行没有可用于拆分的勾稽关系"
    solutions, completed = _splits(digits, columns, eqs, 2)
    if len(solutions) == 1 and completed:
        return solutions[0], ""
    if not solutions:
        return None, "没有满足勾稽关系的拆分"
    return None, "有多种满足勾稽关系的拆分"


def digit_splits(
    digits: str, columns: Sequence[str], row_key: str, equations: Sequence[Equation], limit: int = _MAX_CANDIDATES
) -> list[list[str]]:
    """Every way of splitting ``digits`` into one number per column that the row's identities allow
    (every split, when the row has none); empty when there are more than ``limit`` or the search was
    cut short. A blank cell leaves no trace in a digit run: readings with a lost cell are not listed."""
    if not _splittable(digits, len(columns)):
        return []
    solutions, completed = _splits(digits, columns, _row_equations(equations, row_key), limit + 1)
    return solutions if completed and len(solutions) <= limit else []


def _splittable(digits: str, ncol: int) -> bool:
    return digits.isdigit() and ncol <= len(digits) <= _MAX_SPLIT_DIGITS


def _row_equations(equations: Sequence[Equation], row_key: str) -> list[Equation]:
    return [eq for eq in equations if all(r == row_key for r, _ in eq.cells)]


def _splits(digits: str, columns: Sequence[str], eqs: Sequence[Equation], limit: int) -> tuple[list[list[str]], bool]:
    """Up to ``limit`` splits (no piece with a leading zero or over :data:`_MAX_CELL_DIGITS` digits)
    that satisfy ``eqs``, and whether the search covered every split."""
    ncol = len(columns)
    index = {c: i for i, c in enumerate(columns)}
    # Check an equation as soon as its last cell has been chosen, to prune early.
    due: dict[int, list[Equation]] = {}
    for eq in eqs:
        due.setdefault(max(index[c] for _, c in eq.cells), []).append(eq)
    solutions: list[list[str]] = []
    steps = 0
    parts: list[str] = []

    def ok(pos: int) -> bool:
        for eq in due.get(pos, ()):
            total = lambda refs: sum(int(parts[index[c]]) for _, c in refs)  # noqa: E731
            if total(eq.lhs) != total(eq.rhs):
                return False
        return True

    def walk(offset: int) -> bool:
        nonlocal steps
        steps += 1
        if steps > _MAX_SPLIT_STEPS:
            return False
        pos = len(parts)
        remaining = ncol - pos
        if remaining == 0:
            if offset == len(digits):
                solutions.append(list(parts))
            return len(solutions) < limit
        rest = len(digits) - offset
        for width in range(1, min(_MAX_CELL_DIGITS, rest - (remaining - 1)) + 1):
            piece = digits[offset : offset + width]
            if width > 1 and piece[0] == "0":
                break
            if rest - width > (remaining - 1) * _MAX_CELL_DIGITS:
                continue
            parts.append(piece)
            keep_going = (not ok(pos)) or walk(offset + width)
            parts.pop()
            if not keep_going:
                return False
        return True

    return solutions, walk(0)
