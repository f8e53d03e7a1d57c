"""Table labels as the reader kept them, compared across editions: what ST07 and TB02 both need to
tell a group written as another edition's single row from rows that are missing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from nianbao.document import Document, Table
from nianbao.templates import RowSpec, TableSpec, Template, label_key


def collapsed_groups(
    doc: Document, template: Template, others: Iterable[Template]
) -> Iterator[tuple[TableSpec, Table, RowSpec, list[RowSpec]]]:
    """Groups of this edition written as the single data row another edition has in their place
    (2021 （六）其他处理 with one row of numbers, as in 2019), with the group's data rows.

    ST07 reports such a group once; TB02 leaves its missing sub-rows to it.
    """
    others = list(others)
    for spec in template.tables.values():
        table = doc.tables.get(spec.id)
        if table is None:
            continue
        seen = seen_labels(table)
        keys = [r.key for r in spec.rows]
        single_elsewhere = {r.key for other in others if (o := other.tables.get(spec.id)) for r in o.rows if r.data}
        for group in (r for r in spec.rows if not r.data and r.key in single_elsewhere):
            children = [r for r in spec.rows if r.parent == group.key and r.data]
            if not children:
                continue
            row = table.rows.get(group.key) or next(
                (
                    r
                    for r in table.rows.values()
                    if not r.known and r.label and label_key(r.label) == label_key(group.label or "")
                ),
                None,
            )
            if row is not None and row.cells:
                yield spec, table, group, children
                continue
            later = [k for k in keys[keys.index(children[-1].key) + 1 :] if k in table.rows]
            earlier = [k for k in keys[: keys.index(group.key)] if k in table.rows]
            if (
                later
                and earlier
                and not any(c.key in table.rows for c in children)
                and not any(c.label and label_key(c.label) in seen for c in children)
            ):
                yield spec, table, group, children


def seen_labels(table: Table) -> str:
    """Everything the loader kept of the table's labels, run together (labels may be split or misplaced)."""
    parts = [h.text for h in table.header] + [r.label for r in table.rows.values() if r.label]
    return "".join(label_key(p) for p in parts)
