"""Cells as the reader records them, and what it could not read with confidence (NB03).

An NB03 names the cells it casts doubt on (``Diagnostic.scope``: ``t3``, ``t3.granted``,
``t3.granted.total``), so rules leave them alone, and it is said once per table or row, with what a
person should check.
"""

from __future__ import annotations

from nianbao.document import Cell, Diagnostic, Location
from nianbao.plugins.text.labels import parse_value
from nianbao.templates import TableSpec


def make_cell(text: str, location: Location) -> Cell:
    """A cell from its text: a number (with its unit), blank, ``/``, ``—`` or text such as ``无``."""
    value, state, unit = parse_value(text) or (None, "text", None)
    return Cell(raw=text, value=value, state=state, unit=unit, location=location)


def blank_cell(location: Location | None) -> Cell:
    return Cell(raw="", value=None, state="blank", location=location or Location())


def is_value(text: str) -> bool:
    """A number, ``/`` or a dash: what a data cell holds (blank and text are not values)."""
    parsed = parse_value(text) if text else None
    return parsed is not None and parsed[1] in ("number", "dash", "slash")


class Doubts:
    """The NB03 diagnostics of one reading, one per table or row."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self._scopes: set[str] = set()

    def mark(self) -> tuple[list[Diagnostic], frozenset[str]]:
        """The doubts as they stand, to go back to with :meth:`rollback` (a reading tried and dropped)."""
        return list(self.diagnostics), frozenset(self._scopes)

    def rollback(self, mark: tuple[list[Diagnostic], frozenset[str]]) -> None:
        self.diagnostics, self._scopes = list(mark[0]), set(mark[1])

    def withdraw(self, diagnostics: list[Diagnostic]) -> None:
        """Doubts the reader has since resolved (rows whose values turned up elsewhere)."""
        gone = {id(d) for d in diagnostics}
        self.diagnostics = [d for d in self.diagnostics if id(d) not in gone]
        self._scopes.difference_update(s for d in diagnostics for s in d.scope)

    def table(self, spec: TableSpec, problem: str, location: Location | None) -> None:
        """The table as a whole could not be read: its cells, and which rows it has, are in doubt."""
        self._add(spec.id, f"{spec.display_name}{problem}，请对照原件人工核对整张表", location)

    def row(
        self,
        spec: TableSpec,
        row_key: str,
        problem: str,
        location: Location | None,
        candidates: list[dict[str, int | float]] | None = None,
    ) -> None:
        """One row's values could not be placed: the row is in doubt, not the rest of the table.

        ``candidates`` are the readings the row may have, when every one could be listed
        (:attr:`~nianbao.document.Diagnostic.candidates`)."""
        self._add(
            f"{spec.id}.{row_key}",
            f"{spec.display_name}{_row_name(spec, row_key)}{problem}，请对照原件核对该行数值",
            location,
            candidates,
        )

    def cells(
        self,
        spec: TableSpec,
        row_key: str,
        columns: list[str],
        problem: str,
        location: Location | None,
        candidates: list[dict[str, int | float]] | None = None,
    ) -> None:
        """Some cells of a row could not be read; the row's other cells were. ``candidates`` as for
        :meth:`row`."""
        if len(columns) == len(spec.columns):
            self.row(spec, row_key, problem, location, candidates)
            return
        names = "、".join(c.label for c in spec.columns if c.key in columns)
        scopes = [f"{spec.id}.{row_key}.{c}" for c in columns]
        message = f"{spec.display_name}{_row_name(spec, row_key)}{problem}，“{names}”栏无法确定，请对照原件核对"
        self._scopes.update(scopes)
        self.diagnostics.append(Diagnostic("NB03", message, location, scopes, candidates or []))

    def rows(self, spec: TableSpec, row_keys: list[str], problem: str, location: Location | None) -> None:
        """Values under several row labels that could not be shared out among them."""
        scopes = [f"{spec.id}.{k}" for k in row_keys]
        if all(s in self._scopes for s in scopes):
            return
        labels = "、".join(_row_name(spec, k).strip("行") for k in row_keys)
        message = f"{spec.display_name}{labels}这 {len(row_keys)} 行{problem}，请对照原件核对这几行的数值"
        self._scopes.update(scopes)
        self.diagnostics.append(Diagnostic("NB03", message, location, scopes))

    def _add(
        self,
        scope: str,
        message: str,
        location: Location | None,
        candidates: list[dict[str, int | float]] | None = None,
    ) -> None:
        table = scope.split(".", 1)[0]
        if scope in self._scopes or table in self._scopes:
            return
        self._scopes.add(scope)
        self.diagnostics.append(Diagnostic("NB03", message, location, [scope], candidates or []))


def _row_name(spec: TableSpec, row_key: str) -> str:
    row = next((r for r in spec.rows if r.key == row_key), None)
    return f"“{row.label}”行" if row is not None and row.label else "数据行"
