"""Report formats as data: a thin typed view over a format YAML file.

Nothing here knows a section, table, row or column by name; everything comes from the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """A column of a statutory table as the format defines it."""

    key: str
    label: str
    group: str | None = None
    type: str = "integer"
    signed: bool = False
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class RowSpec:
    """A row of a statutory table as the format defines it."""

    key: str
    label: str | None
    parent: str | None = None
    data: bool = True  # False for group labels such as 三、本年度办理结果 that carry no cells


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A statutory table as the format defines it: columns, rows, header labels, identities."""

    id: str
    section: str
    caption: str | None
    row_header_label: str | None
    corner_note: str | None
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]
    header_labels: tuple[str, ...]
    identities: tuple[dict[str, Any], ...]
    raw: dict[str, Any] = field(repr=False, compare=False, hash=False)
    # How people name the table: its caption (第二十条第（一）项), else its section's number (三).
    name: str = ""

    @property
    def data_rows(self) -> tuple[RowSpec, ...]:
        return tuple(r for r in self.rows if r.data)

    def column(self, key: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.key == key), None)


@dataclass(frozen=True, slots=True)
class SectionSpec:
    """A section as the format defines it: number, title, kind and the tables it holds."""

    key: str
    number: str
    title: str
    kind: str
    required: bool
    tables: tuple[str, ...]
    heading_variants: tuple[str, ...]
    raw: dict[str, Any] = field(repr=False, compare=False, hash=False)

    @property
    def title_text(self) -> str:
        """The title without its number (``总体情况`` for ``一、总体情况``)."""
        prefix = self.number + "、"
        return self.title[len(prefix) :] if self.title.startswith(prefix) else self.title


class ReportFormat:
    """One edition of the national (or a regional) report format."""

    def __init__(self, data: dict[str, Any], origin: str = "") -> None:
        self.data = data
        self.origin = origin
        self.edition: str = str(data["edition"])
        self.template_id: str = data.get("template_id", self.edition)
        years = data.get("applies_to_report_years") or {}
        self.year_from: int | None = years.get("from")
        self.year_to: int | None = years.get("to")

    @classmethod
    def from_file(cls, path: Any) -> ReportFormat:
        from .yamlio import load_yaml

        return cls(load_yaml(path), origin=str(path))

    def applies_to(self, year: int) -> bool:
        return (self.year_from is None or year >= self.year_from) and (self.year_to is None or year <= self.year_to)

    @cached_property
    def sections(self) -> tuple[SectionSpec, ...]:
        variants = self.data.get("observed_heading_variants") or {}
        return tuple(
            SectionSpec(
                key=s["id"],
                number=s["number"],
                title=s["title"],
                kind=s.get("kind", "narrative"),
                required=bool(s.get("required", True)),
                tables=tuple(s.get("tables") or ()),
                heading_variants=tuple(variants.get(s["id"]) or ()),
                raw=s,
            )
            for s in self.data.get("sections", ())
        )

    @cached_property
    def tables(self) -> dict[str, TableSpec]:
        out: dict[str, TableSpec] = {}
        numbers = {s["id"]: s["number"] for s in self.data.get("sections", ())}
        for t in self.data.get("tables", ()):
            header_labels: list[str] = []
            for level in t.get("header") or ():
                for cell in level.get("cells", ()):
                    label = cell if isinstance(cell, str) else cell.get("label")
                    if label:
                        header_labels.append(label)
            out[t["id"]] = TableSpec(
                id=t["id"],
                section=t["section"],
                caption=t.get("caption"),
                row_header_label=t.get("row_header_label"),
                corner_note=t.get("corner_note"),
                columns=tuple(
                    ColumnSpec(
                        key=c["key"],
                        label=c["label"],
                        group=c.get("group"),
                        type=c.get("type", "integer"),
                        signed=bool(c.get("signed", False)),
                        unit=c.get("unit"),
                    )
                    for c in t.get("columns", ())
                ),
                rows=tuple(
                    RowSpec(key=r["key"], label=r.get("label"), parent=r.get("parent"), data=r.get("data", True))
                    for r in t.get("rows", ())
                ),
                header_labels=tuple(header_labels),
                identities=tuple(t.get("identities") or ()),
                raw=t,
                name=t.get("caption") or numbers.get(t["section"]) or t["id"],
            )
        return out

    def section(self, key: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.key == key), None)
