"""Deciding between readings of the same values with the table's identities (勾稽关系).

Where the layout does not say which value belongs where (numbers listed row by row or column by
column, digits run together), every possible reading is put to the identities the format declares.
One reading that holds is taken; none or several, and the reader says so (NB03) instead of guessing.
This is the seam for text whose layout was lost: a stream reader proposes readings, this module
decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from nianbao.identities import Equation
from nianbao.lazypattern import lazy
from nianbao.templates import ColumnSpec

T = TypeVar("T")
CellRef = tuple[str, str]  # (row key, column key)


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


class Budget:
    """Steps a search may take, shared by every search of one table, so that hostile text (long
    digit runs, many rows to split) costs a bounded time: when it is spent the search gives up and
    the reader says NB03."""

    def __init__(self, steps: int) -> None:
        self.left = steps

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0


_MAX_RUN = 80  # characters of one run of digits: a row of the widest table, with room to spare
_MAX_CELL_DIGITS = 7  # 9,999,999: more than any count a report prints in a table of several columns
_MAX_SPLITS = 64  # ways to split one run; past this the run says too little
_PIECE = lazy(r"[-−－]?(?:0|[1-9]\d*)(?:\.\d+)?")
_PREFIX = lazy(r"[-−－]?(?:0|[1-9]\d*)?(?:\.\d*)?")
_UNIT = lazy(r"(万元|亿元|元)$")


def split_run(
    run: str, columns: Sequence[ColumnSpec], row_key: str, equations: Sequence[Equation], budget: Budget
) -> list[list[str]] | None:
    """Every way to cut ``run`` (``300153006143119``, ``37-1324``: a row's numbers whose separators
    were lost) into one number per column: no leading zeros, a minus sign only starting a number of
    a signed column, a decimal point only in a decimal column, and the identities within the row
    holding; empty when no way does. None when the run is too long, has too many ways, or the budget
    ran out.

    A row total printed last (``…4 3119``) is cut off first, from the end, so that the numbers
    before it are cut knowing what they must add up to (their running sum may not pass it).
    """
    unit = _UNIT.search(run)
    digits = run[: unit.start()] if unit else run
    n = len(columns)
    if not digits or len(digits) > _MAX_RUN or len(digits) < n or len(digits) > n * (_MAX_CELL_DIGITS + 2):
        return None
    index = {c.key: i for i, c in enumerate(columns)}
    own = [eq for eq in equations if all(r == row_key and c in index for r, c in eq.cells)]
    sides = [([index[c] for _, c in eq.lhs], [index[c] for _, c in eq.rhs]) for eq in own]
    last_first = any(n - 1 in a or n - 1 in b for a, b in sides)
    values: list[float | None] = [None] * n
    parts: list[str] = [""] * n
    found: list[list[str]] = []

    def sound(pos: int, offset: int, stop: int) -> bool:
        """No identity already broken, nor out of reach: equal when placed; where one side is placed,
        the other's running sum not past it, and what it still needs within what the digits left
        (``offset:stop``, for columns ``pos`` to the last one cut left to right) can make."""
        left = stop - offset
        open_columns = set(range(pos, stop_column))
        for lhs, rhs in sides:
            for a, b in ((lhs, rhs), (rhs, lhs)):
                if any(values[i] is None for i in a):
                    continue
                total = sum(values[i] for i in a)  # type: ignore[misc]
                placed = sum(values[i] for i in b if values[i] is not None)  # type: ignore[misc]
                unplaced = [i for i in b if values[i] is None]
                if not unplaced:
                    if placed != total:
                        return False
                    continue
                if any(columns[i].signed or columns[i].type == "decimal" for i in unplaced):
                    continue
                need, k = total - placed, len(open_columns)
                if need < 0 or (k and need > 10 ** (left - k + 1) + 9 * k):
                    return False
                if k and set(unplaced) == open_columns:
                    # k numbers over ``left`` digits: the longest has at least left/k of them and, a
                    # number with more than one digit never starting with 0, is at least 10^(that - 1).
                    longest = -(-left // k)
                    if longest > 1 and 10 ** (longest - 1) > need:
                        return False
        return True

    def pieces(start: int, stop: int, column: ColumnSpec, rest: int):  # noqa: ANN202
        """The pieces column ``column`` may take from ``start``, leaving ``rest`` characters at least
        before ``stop``."""
        for end in range(start + 1, stop - rest + 1):
            piece = digits[start:end]
            if not _PREFIX.fullmatch(piece):
                return  # a leading zero, a second sign or point: longer pieces are no better
            if not _PIECE.fullmatch(piece) or (end < len(digits) and digits[end] == "."):
                continue  # not a number yet, or cut before its decimal point
            if (piece[0] in "-−－" and not column.signed) or ("." in piece and column.type != "decimal"):
                continue
            if sum(ch.isdigit() for ch in piece) > _MAX_CELL_DIGITS:
                return
            yield end, piece

    def place(i: int, piece: str) -> None:
        parts[i] = piece
        values[i] = float(piece.replace("−", "-").replace("－", "-")) if piece else None

    def walk(pos: int, offset: int, stop: int) -> bool:
        """Columns ``pos`` on from ``offset`` up to ``stop``; False when the search must stop."""
        if pos == stop_column:
            if offset == stop:
                found.append(list(parts))
            return len(found) <= _MAX_SPLITS
        for end, piece in pieces(offset, stop, columns[pos], stop_column - pos - 1):
            if not budget.take():
                return False
            place(pos, piece)
            go_on = not sound(pos + 1, end, stop) or walk(pos + 1, end, stop)
            place(pos, "")
            if not go_on:
                return False
        return True

    if last_first:
        stop_column = n - 1
        for start in range(len(digits) - 1, n - 2, -1):
            if not budget.take():
                return None
            piece = digits[start:]
            if not _PIECE.fullmatch(piece) or sum(ch.isdigit() for ch in piece) > _MAX_CELL_DIGITS:
                if len(piece) > _MAX_CELL_DIGITS + 2:
                    break
                continue
            if (piece[0] in "-−－" and not columns[-1].signed) or ("." in piece and columns[-1].type != "decimal"):
                continue
            place(n - 1, piece)
            if sound(0, 0, start) and not walk(0, 0, start):
                return None  # the budget ran out, or there are too many ways
            place(n - 1, "")
    else:
        stop_column = n
        if not walk(0, 0, len(digits)):
            return None
    if unit:
        for split in found:
            split[-1] += unit.group(1)
    return found


_MAX_SOLUTIONS = 32


def solve(
    choices: dict[str, list[dict[CellRef, float | int]]],
    fixed: dict[CellRef, float | int | None],
    equations: Sequence[Equation],
    budget: Budget,
) -> list[dict[str, dict[CellRef, float | int]]] | None:
    """Every consistent reading of the cells of ``choices``: one way taken from each choice.

    A choice is what the layout left open, with the ways it can be read, each giving numbers to cells:
    a row whose digits ran together (its ways to split), or rows given column by column whose column
    order the identities within them leave open (the orders they allow). ``fixed`` are the table's
    other numbers. A reading is consistent when every identity whose cells are all numbers holds, over
    the whole table: rows and columns together. None when no reading is consistent, or there are too
    many, or the search ran out of budget (then nothing can be said); :func:`agreed` tells what they
    have in common.
    """
    order = sorted(choices, key=lambda k: len(choices[k]))
    owner = {ref: k for k in order for way in choices[k] for ref in way}
    equations = [eq for eq in equations if any(ref in owner for ref in eq.cells)]
    # The range of each cell over the ways still open, for cutting short readings that cannot balance.
    low: dict[CellRef, float] = {}
    high: dict[CellRef, float] = {}
    for k in order:
        for ref in {ref for way in choices[k] for ref in way}:
            values = [way[ref] for way in choices[k] if ref in way]
            low[ref], high[ref] = min(values), max(values)
    chosen: dict[str, dict[CellRef, float | int]] = {}
    solutions: list[dict[str, dict[CellRef, float | int]]] = []

    def bounds(ref: CellRef) -> tuple[float, float] | None:
        k = owner.get(ref)
        if k in chosen:
            v = chosen[k].get(ref)
            return None if v is None else (v, v)
        if k is not None:
            return (low[ref], high[ref]) if ref in low else None
        v = fixed.get(ref)
        return None if not isinstance(v, (int, float)) else (v, v)

    def possible() -> bool:
        for eq in equations:
            sides = []
            for side in (eq.lhs, eq.rhs):
                b = [bounds(ref) for ref in side]
                if any(x is None for x in b):
                    break
                sides.append((sum(x[0] for x in b), sum(x[1] for x in b)))  # type: ignore[index]
            else:
                (a, b), (c, d) = sides
                if b < c - 1e-9 or d < a - 1e-9:
                    return False
        return True

    def walk(i: int) -> bool:
        if i == len(order):
            solutions.append(dict(chosen))
            return len(solutions) < _MAX_SOLUTIONS
        k = order[i]
        for way in choices[k]:
            if not budget.take():
                return False
            chosen[k] = way
            if possible() and not walk(i + 1):
                del chosen[k]
                return False
            del chosen[k]
        return True

    complete = walk(0)
    if not complete or not solutions:
        return None
    return solutions


def agreed(readings: Sequence[dict[str, dict[CellRef, float | int]]]) -> dict[CellRef, float | int]:
    """The cells every one of ``readings`` (from :func:`solve`) gives the same value."""
    first = readings[0]
    return {
        ref: v for k, way in first.items() for ref, v in way.items() if all(r[k].get(ref) == v for r in readings[1:])
    }


_MAX_CANDIDATES = 12  # more readings than this of the same cells say too little to be worth listing


def alternatives(ways: Iterable[dict[str, float | int]], columns: Sequence[str]) -> list[dict[str, float | int]]:
    """The distinct values ``ways`` give ``columns`` (column -> value), in the order found, when there
    are several but not more than can usefully be listed; empty otherwise."""
    found: list[dict[str, float | int]] = []
    for way in ways:
        reading = {c: way[c] for c in columns}
        if reading not in found:
            found.append(reading)
            if len(found) > _MAX_CANDIDATES:
                return []
    return found if len(found) > 1 else []


def consistent_orders(
    blocks: Sequence[Sequence[float | int | None]],
    rows: Sequence[str],
    columns: Sequence[str],
    equations: Sequence[Equation],
    budget: Budget,
) -> list[tuple[int, ...]] | None:
    """The orders of column blocks (``order[j]``: the block that is column ``j``) under which every
    equation holds, among the printed order and the orders that move one block elsewhere (a PDF's
    text puts a column's box out of place: a page's 总计 before its 其他); None when the budget ran out."""
    n = len(columns)
    if len(blocks) != n:
        return None
    col = {c: j for j, c in enumerate(columns)}
    row = {r: i for i, r in enumerate(rows)}
    candidates: list[tuple[int, ...]] = [tuple(range(n))]
    for b in range(n):
        rest = [x for x in range(n) if x != b]
        for p in range(n):
            order = tuple(rest[:p] + [b] + rest[p:])
            if order not in candidates:
                candidates.append(order)
    found: list[tuple[int, ...]] = []
    for order in candidates:
        if not budget.take():
            return None
        numbers = {(r, c): blocks[order[col[c]]][row[r]] for r in rows for c in columns}
        if holds(equations, numbers) is not False:
            found.append(order)
    return found
