"""Matching the columns of a real HTML table to the format's columns by their header labels.

The text-table reader takes a row's values in the format's column order, which is right for a
table drawn as the national format draws it. A page whose table has its columns in another order
(总计 first, or the 行政诉讼 groups swapped) would have its values put in the wrong columns; the
grid of a real table says which label stands over which value, so the row is put back in format
order before the reader sees it. Columns are recognised by their leaf label and, where the format
prints a label several times (``结果维持`` under 行政复议 and under both 行政诉讼 groups), by the
group labels above it.
"""

from __future__ import annotations

from collections.abc import Sequence

from nianbao.formats import TableSpec
from nianbao.plugins.text.labels import at_least, key, parse_value

from .grid import GridCell

_HEADER_MATCH = 0.75


def _is_value(cell: GridCell | None) -> bool:
    parsed = parse_value(cell.text) if cell is not None and cell.text else None
    return parsed is not None and parsed[1] in ("number", "dash", "slash")


def _match(paths: list[list[str]], spec: TableSpec) -> list[int] | None:
    """For each grid value column, the index of the spec column it is; None unless all match one-to-one."""
    if len(paths) != len(spec.columns):
        return None
    taken: set[int] = set()
    out: list[int] = []
    for path in paths:
        leaf = path[-1]
        found = None
        for i, column in enumerate(spec.columns):
            if i in taken:
                continue
            label = key(column.label)
            if not (leaf == label or at_least(leaf, label, _HEADER_MATCH)):
                continue
            groups = [key(g) for g in (column.group or "").split("/") if g]
            if all(any(g == p or at_least(p, g, _HEADER_MATCH) for p in path[:-1]) for g in groups):
                found = i
                break
        if found is None:
            return None
        taken.add(found)
        out.append(found)
    return out


def format_order(grid: Sequence[Sequence[GridCell | None]], specs: Sequence[TableSpec]) -> tuple[int, list[int]] | None:
    """``(header rows, grid columns in format order)`` when the table's columns are in another order.

    None when the table is in format order already, or when its header does not match one format
    table unambiguously (then the text reader reads it as it stands).
    """
    header_rows = next((r for r, row in enumerate(grid) if any(_is_value(c) for c in row)), None)
    if not header_rows:
        return None
    value_columns = sorted({c for row in grid[header_rows:] for c, cell in enumerate(row) if _is_value(cell)})
    if not value_columns:
        return None
    first = value_columns[0]
    columns = list(range(first, len(grid[0])))
    paths = []
    for c in columns:
        path: list[str] = []
        for r in range(header_rows):
            cell = grid[r][c]
            k = key(cell.text) if cell is not None else ""
            if k and (not path or path[-1] != k):
                path.append(k)
        if not path:
            return None
        paths.append(path)
    orders = {tuple(m) for spec in specs if (m := _match(paths, spec)) is not None}
    if len(orders) != 1:
        return None
    order = orders.pop()
    if list(order) == sorted(order):
        return None
    by_spec = sorted(range(len(columns)), key=lambda n: order[n])
    return header_rows, [columns[n] for n in by_spec]
