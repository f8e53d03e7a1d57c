"""Report templates as data: a thin typed view over a format YAML file.

A :class:`Template` is one edition of the State Council's 年度报告格式 (the "format" of the report,
not of the file read or of the output written). Nothing here knows a section, table, row or column
by name; everything comes from the file. What is derived from it lives here too, so that readers,
rules and outputs agree: how labels compare (:func:`label_key`), how people name a table, the
labels that tell one edition from another, and the editions there are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

# Punctuation and spacing carry no meaning in a label: ``（二）部分公开（区分处理的，…）`` and
# ``(二) 部分公开 (区分处理的, …)`` are the same label, as are ``危及“三安全一稳定”`` and ``危及三安全一稳定``;
# nor do markdown's escapes and marks (``第二十条第\(一\)项``, ``**规章**``, ``### 表三``).
LABEL_NOISE = re.compile(r"[\s\u00a0\u3000、，,。.．:：;；()（）\[\]【】〔〕“”\"'‘’·•\-—－_~～\\*#]+")


@lru_cache(maxsize=4096)
def label_key(label: str) -> str:
    """A label as it is compared with the template's: without punctuation and spacing, lower case."""
    return LABEL_NOISE.sub("", label).lower()


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
    number: str = ""  # the number of the table's section (三), empty when the template has no such section

    @property
    def display_name(self) -> str:
        """How a message names the table: ``表“第二十条第（一）项”``, ``表三``."""
        return f"表“{self.caption}”" if self.caption else f"表{self.number or self.id}"

    @property
    def short_name(self) -> str:
        """The caption, or ``表三`` for a table without one: a heading or a link text."""
        return self.caption or (f"表{self.number}" if self.number else self.id)

    @property
    def label_keys(self) -> frozenset[str]:
        """The keys of the labels that identify the table: rows, columns and caption."""
        keys = {label_key(r.label) for r in self.rows if r.label} | {label_key(c.label) for c in self.columns}
        return frozenset(keys | {label_key(self.caption)} if self.caption else keys)

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


class Template:
    """One edition of the national (or a regional) report format."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.edition: str = str(data["edition"])
        self.template_id: str = data.get("template_id", self.edition)
        years = data.get("applies_to_report_years") or {}
        self.year_from: int | None = years.get("from")
        self.year_to: int | None = years.get("to")

    @classmethod
    def from_file(cls, path: Any) -> Template:
        from .yamlio import load_yaml

        return cls(load_yaml(path))

    @property
    def display_name(self) -> str:
        """How a message names the edition: ``2019年试行格式（国办公开办函〔2019〕60号）``."""
        number = self.data.get("document_number")
        trial = "试行" if "试行" in str(self.data.get("title", "")) else ""
        name = f"{self.edition}年{trial}格式"
        return f"{name}（{number}）" if number else name

    @cached_property
    def label_keys(self) -> frozenset[str]:
        """The keys of every label its tables print to identify them (see :attr:`TableSpec.label_keys`)."""
        return frozenset().union(*(spec.label_keys for spec in self.tables.values()))

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
                number=numbers.get(t["section"], ""),
            )
        return out

    def section(self, key: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.key == key), None)


def editions(templates: Iterable[Template]) -> list[str]:
    """The editions the templates describe, in the order they were given, each once."""
    return list(dict.fromkeys(t.edition for t in templates))


def edition_markers(templates: Sequence[Template]) -> dict[str, frozenset[str]]:
    """Per edition, the label keys (captions, columns, rows) that no other edition prints: what the
    reader decides a table's edition by (``Edition.table_shape``) and ST07 points at."""
    return _edition_markers(tuple(templates))


@lru_cache(maxsize=8)
def _edition_markers(templates: tuple[Template, ...]) -> dict[str, frozenset[str]]:
    per: dict[str, frozenset[str]] = {}
    for template in templates:
        per[template.edition] = per.get(template.edition, frozenset()) | template.label_keys
    return {ed: ks.difference(*(o for e, o in per.items() if e != ed)) for ed, ks in per.items()}
