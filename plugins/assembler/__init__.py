"""The table assembler: every loader's cell grids and flat text mapped onto the format's tables.

Loaders hand over what they found: :class:`~.grid.Grid` objects where the file has real table
structure (HTML ``<table>``, Word tables, ruled PDF tables, markdown pipe tables), each cell already
located in the source, and text lines where it has none, cut into :class:`~.from_stream.Token`
objects. Both are read against the same format data (rows, columns, header paths, group labels,
captions, corner notes) with the same label matching (:mod:`.matching`), the same identity checks
(:mod:`.readings`) and the same way of saying what could not be read (:mod:`.doubts`).

Modules:

- ``matching``: label sets of the templates and tables, row and column matching, thresholds.
- ``grid``: the grid a loader builds (cells, spans, places), and how merged cells are placed.
- ``from_grid``: grid -> tables, a table's parts put back together (fragments, column groups,
  rows whose labels were lost).
- ``tokens``: text lines -> cell tokens (tabs, layout spaces, box-drawing borders, pipes), and text
  run together with no separator cut at the format's labels.
- ``from_stream``: tokens -> tables.
- ``readings``: candidate readings of the same values decided by the identities: rows or columns,
  column orders, digit runs split over the whole table; every search bounded by a budget.
- ``doubts``: cells as recorded, and NB03 with its scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from nianbao.document import Diagnostic, Table
from nianbao.plugins.text.normalize import Line
from nianbao.templates import Template

from .doubts import Doubts
from .from_stream import StreamReader
from .grid import CellPlace, Grid, GridCell, LineSpan, line_cell
from .matching import TableSet, TemplateLabels, drop_restarted_numbers, template_labels
from .tokens import Token, cut_flat, tokenize

__all__ = [
    "Assembled",
    "CellPlace",
    "TemplateLabels",
    "Grid",
    "GridCell",
    "LineSpan",
    "Token",
    "assemble",
    "template_labels",
    "line_cell",
    "tokenize",
]


@dataclass(slots=True)
class Assembled:
    """The tables read from one document, the text lines they came from, and the reader's doubts."""

    tables: dict[str, Table] = field(default_factory=dict)
    lines: set[int] = field(default_factory=set)  # line indexes the tables read from text occupy
    diagnostics: list[Diagnostic] = field(default_factory=list)


def assemble(
    template: Template,
    templates: Sequence[Template],
    grids: Sequence[Grid],
    tokens: Sequence[Token],
    lines: Sequence[Line],
    boundaries: dict[int, str | None],
) -> Assembled:
    """The tables of edition ``template``: from the grids first, then from the text for tables no grid holds.

    ``templates`` are all editions (a row drawn as another edition draws it keeps that edition's key);
    ``boundaries`` are the section headings, line index -> section key (None for an unknown heading):
    a table in the text never runs across one, and is looked for in its own section first.
    """
    tables = TableSet(template, templates)
    doubts = Doubts()
    found: dict[str, Table] = {}
    if grids:  # HTML, Word, PDF and markdown tables; most text reports have none
        from .from_grid import GridReader

        found = GridReader(tables, doubts).read(grids)
    from_text, used = StreamReader(tables, lines, doubts).read(tokens, boundaries, skip=set(found))
    found.update(from_text)
    if len(found) < len(tables.specs):
        # Tables still missing may be in text that kept no separators (a crawler's copy of a page).
        flat = cut_flat(tokens, template_labels(templates).cuts)
        if flat is not None:
            more, lines_used = StreamReader(tables, lines, doubts).read(flat, boundaries, skip=set(found))
            found.update(more)
            used |= lines_used
    ordered = {s.id: found[s.id] for s in tables.specs if s.id in found}
    for spec in tables.specs:
        if spec.id in ordered:
            drop_restarted_numbers(spec, ordered[spec.id])
    return Assembled(ordered, used, doubts.diagnostics)
