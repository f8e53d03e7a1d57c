"""EMULATION of the markdown OCR-to-markdown tools emit for a report's page images.

No such tool installs from PyPI with its model bundled, so the shapes they produce are written here,
deterministically, from the fixtures' layout. ``fragments_markdown`` prints tables as pipe tables the way
page-by-page tools cut them; ``lines_markdown`` prints them as text lines the way line-based tools do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .layout import HeadingBlock, ReportLayout, TableBlock, TextBlock

NOTE = "注：本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和。"


@dataclass
class _Row:
    groups: list[str]  # group labels that start on this row
    label: str
    values: list[str]


def _rows(table: TableBlock) -> list[_Row]:
    grid = table.grid()
    out = []
    for r in range(table.header_rows, table.n_rows):
        anchors = [c for c in grid[r] if c is not None]
        out.append(
            _Row(
                groups=[c.text for c in anchors if c.role == "group"],
                label=" ".join(c.text for c in anchors if c.role == "label"),
                values=[c.text for c in sorted(anchors, key=lambda c: c.col) if c.role == "value"],
            )
        )
    return out


def _value_columns(table: TableBlock) -> list[int]:
    return sorted({c.col for c in table.cells if c.role == "value"})


def _header_paths(table: TableBlock) -> list[list[str]]:
    """For each value column, the header labels above it, outermost first (a merged label once)."""
    covering = table.covering()
    first = 1 if any(c.role == "caption" for c in table.cells) else 0
    paths = []
    for col in _value_columns(table):
        path: list[str] = []
        for r in range(first, table.header_rows):
            text = covering[r][col].text
            if not path or path[-1] != text:
                path.append(text)
        paths.append(path)
    return paths


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _caption(table: TableBlock) -> str | None:
    return next((c.text for c in table.cells if c.role == "caption"), None)


def _corner(table: TableBlock) -> str:
    return next((c.text for c in table.cells if c.role == "corner"), "")


_TABLE_NAMES = {"t3": "表三：收到和处理政府信息公开申请情况", "t4": "表四：政府信息公开行政复议、行政诉讼情况"}


def _text_blocks(layout: ReportLayout, table: Callable[[TableBlock], str]) -> str:
    out: list[str] = []
    title = [b.text for b in layout.blocks if isinstance(b, TextBlock) and b.kind == "title"]
    if title:
        out.append("# " + "".join(title))
    for block in layout.blocks:
        if isinstance(block, HeadingBlock):
            out.append(f"## {block.text}")
        elif isinstance(block, TableBlock):
            out.append(table(block))
        elif block.kind != "title":
            out.append(block.text)
    return "\n\n".join(out) + "\n"


# --------------------------------------------------------------------------- pipe-table fragments


def _fragment_table(table: TableBlock) -> str:
    rows = _rows(table)
    paths = _header_paths(table)
    lines: list[str] = []
    caption = _caption(table)
    if caption:
        lines += [f"### {caption}", ""]
    elif table.id in _TABLE_NAMES:
        lines += [_TABLE_NAMES[table.id], ""]
    if not paths:  # a table whose rows were all lost: its caption alone
        return "\n".join(lines)
    has_labels = any(r.label for r in rows)
    lead = [_corner(table) or "项目"] if has_labels else []
    if len(rows) < 10:
        # A short table: one pipe table, the header's levels as its first rows.
        depth = max(len(p) for p in paths)
        levels = [[p[i] if i < len(p) else "" for p in paths] for i in range(depth)]
        lines.append(_pipe(lead + levels[0]))
        lines.append(_pipe(["---"] * (len(lead) + len(paths))))
        lines += [_pipe(([""] if lead else []) + level) for level in levels[1:]]
        lines += [_pipe(([r.label] if lead else []) + r.values) for r in rows]
        return "\n".join(lines)
    # A long table (三): cut at a page break into two fragments. The first has the leaf headers and a note
    # line inside; the second repeats no header (generic 数据1… instead), its first row lost its label, and
    # its longest label is split over two rows.
    cut = len(rows) // 2
    lines.append(_pipe(["项目"] + [p[-1] for p in paths]))
    lines.append(_pipe(["---"] * (1 + len(paths))))
    for n, row in enumerate(rows[:cut]):
        label = " ".join([*row.groups, row.label]).strip()
        lines.append(_pipe([label] + row.values))
        if n == 1:
            lines.append(NOTE)
    lines += ["", "- 4 -", ""]
    lines.append(_pipe(["项目"] + [f"数据{i}" for i in range(1, len(paths) + 1)]))
    lines.append(_pipe(["---"] * (1 + len(paths))))
    second = rows[cut:]
    longest = max(range(1, len(second)), key=lambda i: len(second[i].label))
    for n, row in enumerate(second):
        label = "" if n == 0 else " ".join([*row.groups, row.label]).strip()
        if n == longest:
            half = len(row.label) // 2
            lines.append(_pipe([row.label[:half]] + [""] * len(row.values)))
            label = row.label[half:]
        lines.append(_pipe([label] + row.values))
    return "\n".join(lines)


def fragments_markdown(layout: ReportLayout) -> str:
    return _text_blocks(layout, _fragment_table)


# --------------------------------------------------------------------------- text lines


def _lines_table(table: TableBlock) -> str:
    rows = _rows(table)
    paths = _header_paths(table)
    lines: list[str] = []
    caption = _caption(table)
    if caption:
        lines.append(caption)
    if not paths:
        return "\n".join(lines)
    if table.id == "t4" or not any(r.label for r in rows):
        # One sub-table per top-level column group (行政复议 / 行政诉讼), each a pipe table of its leaves.
        groups: dict[str, list[int]] = {}
        for i, path in enumerate(paths):
            groups.setdefault(path[0], []).append(i)
        for group, columns in groups.items():
            lines += ["", f"**{group}**", ""]
            lines.append(_pipe(["".join(paths[i][1:]) or paths[i][0] for i in columns]))
            lines.append(_pipe(["---"] * len(columns)))
            lines += [_pipe([r.values[i] for i in columns]) for r in rows]
        return "\n".join(lines)
    # Header labels glued into one line, then one "label value value …" line a row, groups on their own line.
    corner = _corner(table)
    header = [corner] if corner and not corner.startswith("（本列") else []
    seen: list[str] = []
    for path in paths:
        seen += [p for p in path if p not in seen]
    lines.append("".join(header + seen))
    if corner.startswith("（本列"):
        lines.append(corner)
    for row in rows:
        lines += row.groups
        lines.append(" ".join([row.label, *row.values]).strip())
    return "\n".join(lines)


def lines_markdown(layout: ReportLayout) -> str:
    return _text_blocks(layout, _lines_table)
