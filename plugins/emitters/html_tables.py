"""A statutory table drawn in the format's own layout, from the format data alone.

The header comes from the format's ``header`` levels (labels, spans, the column each leaf names) or,
for a table without them, from its columns and their groups; the row labels from the rows' parents
(a group such as 三、本年度办理结果 spans the rows below it, as the printed form does). Nothing here
knows a table, row or column by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from nianbao.document import Table
from nianbao.templates import RowSpec, TableSpec


@dataclass(frozen=True, slots=True)
class HeaderCell:
    text: str
    colspan: int
    rowspan: int
    columns: tuple[str, ...]  # the column keys below it


@dataclass(frozen=True, slots=True)
class LabelCell:
    key: str  # the row key (a group's key for a group label)
    text: str
    colspan: int
    rowspan: int
    group: bool


@dataclass(frozen=True, slots=True)
class BodyRow:
    spec: RowSpec
    labels: tuple[LabelCell, ...]  # the label cells that start on this row


@dataclass(frozen=True, slots=True)
class Layout:
    header: tuple[tuple[HeaderCell, ...], ...]
    label_columns: int  # 0 when no row has a label (表四's single row)
    corner: str
    rows: tuple[BodyRow, ...]


def header_rows(spec: TableSpec) -> list[list[HeaderCell]]:
    """The header levels as cells with spans, placed the way an HTML table places them."""
    keys = [c.key for c in spec.columns]
    levels = spec.raw.get("header") or []
    if levels:
        placed = _from_levels(levels, keys)
        if placed is not None:
            return placed
    if any(c.group for c in spec.columns):
        top: list[HeaderCell] = []
        bottom: list[HeaderCell] = []
        for column in spec.columns:
            if column.group is None:
                top.append(HeaderCell(column.label, 1, 2, (column.key,)))
            elif top and top[-1].rowspan == 1 and top[-1].text == column.group:
                last = top[-1]
                top[-1] = HeaderCell(last.text, last.colspan + 1, 1, (*last.columns, column.key))
                bottom.append(HeaderCell(column.label, 1, 1, (column.key,)))
            else:
                top.append(HeaderCell(column.group, 1, 1, (column.key,)))
                bottom.append(HeaderCell(column.label, 1, 1, (column.key,)))
        return [top, bottom]
    return [[HeaderCell(c.label, 1, 1, (c.key,)) for c in spec.columns]]


def _from_levels(levels: list[dict], keys: list[str]) -> list[list[HeaderCell]] | None:
    depth = len(levels)
    taken = [[False] * len(keys) for _ in range(depth)]
    rows: list[list[HeaderCell]] = []
    for at, level in enumerate(levels):
        row: list[HeaderCell] = []
        column = 0
        for cell in level.get("cells") or ():
            label = cell if isinstance(cell, str) else str(cell.get("label") or "")
            span = 1 if isinstance(cell, str) else int(cell.get("span") or 1)
            while column < len(keys) and taken[at][column]:
                column += 1
            if column + span > len(keys):
                return None  # the data does not add up: fall back to the plain column header
            named = None if isinstance(cell, str) else cell.get("column")
            # A cell that names its column reaches down to the last level.
            rowspan = depth - at if named else 1
            for r in range(at, at + rowspan):
                for c in range(column, column + span):
                    taken[r][c] = True
            covered = (named,) if named else tuple(keys[column : column + span])
            row.append(HeaderCell(label, span, rowspan, covered))
            column += span
        rows.append(row)
    return rows if all(all(row) for row in taken) else None


def layout(spec: TableSpec) -> Layout:
    by_key = {r.key: r for r in spec.rows}

    def groups_above(row: RowSpec) -> list[RowSpec]:
        out = []
        parent = by_key.get(row.parent or "")
        while parent is not None and not parent.data:
            out.append(parent)
            parent = by_key.get(parent.parent or "")
        return list(reversed(out))

    data_rows = list(spec.data_rows)
    chains = {r.key: groups_above(r) for r in data_rows}
    labelled = any(r.label for r in spec.rows) or bool(spec.corner_note or spec.row_header_label)
    columns = 1 + max((len(c) for c in chains.values()), default=0) if labelled else 0
    spans: dict[str, int] = {}
    for row in data_rows:
        for group in chains[row.key]:
            spans[group.key] = spans.get(group.key, 0) + 1
    started: set[str] = set()
    body: list[BodyRow] = []
    for row in data_rows:
        labels: list[LabelCell] = []
        if columns:
            for group in chains[row.key]:
                if group.key not in started:
                    started.add(group.key)
                    labels.append(LabelCell(group.key, group.label or "", 1, spans[group.key], True))
            depth = len(chains[row.key])
            labels.append(LabelCell(row.key, row.label or "", columns - depth, 1, False))
        body.append(BodyRow(row, tuple(labels)))
    corner = spec.corner_note or spec.row_header_label or ""
    return Layout(tuple(tuple(r) for r in header_rows(spec)), columns, corner, tuple(body))


@dataclass(slots=True)
class Marks:
    """How the cells of one table are to be drawn: the worst severity of the findings about each
    cell, row, column header or the whole table, the findings to link to, and what nianbao could not
    read (NB03)."""

    severity: dict[str, str] = field(default_factory=dict)  # reference -> error/warning/info
    links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # reference -> (anchor, title)
    doubted: set[str] = field(default_factory=set)

    def add(self, ref: str, severity: str, anchor: str, title: str, doubt: bool) -> None:
        if doubt:
            self.doubted.add(ref)
        else:
            current = self.severity.get(ref)
            if current is None or _RANK[severity] > _RANK[current]:
                self.severity[ref] = severity
        self.links.setdefault(ref, []).append((anchor, title))


_RANK = {"info": 0, "warning": 1, "error": 2}


def _cell_attrs(
    marks: Marks, refs: list[str], cell_id: str, base: str, doubt: list[str] = ()
) -> tuple[str, str | None]:
    """(attributes, the anchor of the first finding) for a cell that the findings about ``refs`` mark
    by severity and the doubts about ``refs`` or ``doubt`` (a whole table, a row) mark as unread."""
    severities = [marks.severity[r] for r in refs if r in marks.severity]
    classes = [base]
    if severities:
        classes += ["failing", f"sev-{max(severities, key=_RANK.__getitem__)}"]
    if any(r in marks.doubted for r in (*refs, *doubt)):
        classes.append("doubt")
    links = [link for r in (*refs, *doubt) for link in marks.links.get(r, ())]
    attrs = f' class="{" ".join(classes)}"'
    if cell_id:
        attrs += f' id="{cell_id}"'
    if links:
        titles = list(dict.fromkeys(title for _, title in links))
        attrs += f' title="{escape(chr(10).join(titles))}"'
    return attrs, (links[0][0] if links else None)


def _linked(text: str, anchor: str | None) -> str:
    return f'<a href="#{anchor}">{text}</a>' if anchor else text


def render_table(spec: TableSpec, table: Table | None, marks: Marks, anchor: str, caption: str) -> str:
    """The table as HTML: the format's layout filled with the report's cells (as written), every
    failing cell marked with its severity and linked to its finding, doubted cells marked as such."""
    shape = layout(spec)
    t = spec.id
    figure_refs = [t]
    attrs, link = _cell_attrs(marks, figure_refs, f"{anchor}-c-{t}", "table")
    if table is None:
        attrs = attrs.replace('class="table', 'class="table absent', 1)
    out = [f"<figure{attrs}>", f"<figcaption>{_linked(escape(caption), link)}</figcaption>"]
    if table is None:
        out += ['<p class="note">报告中没有这张表。</p>', "</figure>"]
        return "\n".join(out)
    out.append('<div class="scroll"><table class="statutory">')
    out.append("<thead>")
    for level, cells in enumerate(shape.header):
        row = []
        if level == 0 and shape.label_columns:
            span = f' colspan="{shape.label_columns}"' if shape.label_columns > 1 else ""
            rows = f' rowspan="{len(shape.header)}"' if len(shape.header) > 1 else ""
            row.append(f'<th class="corner"{span}{rows}>{escape(shape.corner)}</th>')
        for cell in cells:
            refs = [f"{t}.@{c}" for c in cell.columns] if cell.colspan == 1 else []
            cattrs, clink = _cell_attrs(marks, refs, "", "head")
            span = f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
            rows = f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
            row.append(f"<th{cattrs}{span}{rows}>{_linked(escape(cell.text), clink)}</th>")
        out.append("<tr>" + "".join(row) + "</tr>")
    out.append("</thead><tbody>")
    for body in shape.rows:
        row_spec = body.spec
        row = table.rows.get(row_spec.key)
        cells = []
        for label in body.labels:
            refs = [f"{t}.{label.key}"] if not label.group else []
            lattrs, llink = _cell_attrs(marks, refs, "", "label group" if label.group else "label")
            if row is None and not label.group:
                lattrs = lattrs.replace('class="label', 'class="label absent', 1)
            span = f' colspan="{label.colspan}"' if label.colspan > 1 else ""
            rows = f' rowspan="{label.rowspan}"' if label.rowspan > 1 else ""
            cells.append(f'<th scope="row"{lattrs}{span}{rows}>{_linked(escape(label.text), llink)}</th>')
        for column in spec.columns:
            ref = f"{t}.{row_spec.key}.{column.key}"
            cell = row.cells.get(column.key) if row is not None else None
            base = "cell" if cell is not None else "cell absent"
            cell_id = f"{anchor}-c-{ref.replace('.', '-')}"
            cattrs, clink = _cell_attrs(marks, [ref, f"{t}.{row_spec.key}"], cell_id, base, doubt=[t])
            text = escape(cell.raw) if cell is not None else ""
            cells.append(f'<td{cattrs} data-ref="{ref}">{_linked(text or "&#160;", clink)}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    unknown = [r for r in table.rows.values() if not r.known]
    if unknown:
        listed = "；".join(
            escape(f"{r.label or '（无行标签）'}：{' '.join(c.raw for c in r.cells.values())}".strip()) for r in unknown
        )
        out.append(f'<p class="note">表中另有未能对应到格式的行：{listed}</p>')
    out.append("</figure>")
    return "\n".join(out)
