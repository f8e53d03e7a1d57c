"""The identities (勾稽关系) a format declares, expanded into concrete equations over cells.

The format files write identities compactly: ``new_received.*`` with ``for_each_column``, or
``@row.total`` with ``for_each_row``. Expanding them here lets the loader (to split run-together
digits) and the arithmetic rules share one reading of the data, without either knowing a key.
"""

from __future__ import annotations

from dataclasses import dataclass

from .templates import TableSpec

CellRef = tuple[str, str]  # (row key, column key)


@dataclass(frozen=True, slots=True)
class Equation:
    """One identity of the format, expanded into the cells it relates (``lhs`` against ``rhs``)."""

    identity: str
    lhs: tuple[CellRef, ...]
    rhs: tuple[CellRef, ...]
    kind: str = "sum_equal"
    # The column or row the equation was expanded for (None for a single equation).
    along: str | None = None

    @property
    def cells(self) -> tuple[CellRef, ...]:
        return self.lhs + self.rhs


def _ref(text: str, row: str | None = None, column: str | None = None) -> CellRef:
    r, _, c = text.partition(".")
    if r == "@row":
        assert row is not None
        r = row
    if c == "*":
        assert column is not None
        c = column
    return r, c


def expand(table: TableSpec) -> list[Equation]:
    """All sum equations of ``table`` (inequalities and heuristics are left to the rules)."""
    out: list[Equation] = []
    for ident in table.identities:
        if ident.get("kind") != "sum_equal":
            continue
        rows = ident.get("for_each_row")
        if rows == "all_data_rows":
            rows = [r.key for r in table.data_rows]
        # One equation per listed column, or per listed row, or a single one.
        if ident.get("for_each_column"):
            instances = [({"column": c}, c) for c in ident["for_each_column"]]
        elif rows:
            instances = [({"row": r}, r) for r in rows]
        else:
            instances = [({}, None)]
        for where, along in instances:
            out.append(
                Equation(
                    ident["id"],
                    tuple(_ref(x, **where) for x in ident["lhs"]),
                    tuple(_ref(x, **where) for x in ident["rhs"]),
                    along=along,
                )
            )
    return out
