"""Rules written as data in rule-set YAML, for the common shapes (as Vale keeps its checks).

``kind`` selects the shape:

- ``pattern``: a regular expression that must not appear in the report's prose;
- ``topics``: words a section must contain, taken from the format data (``expected_topics``) or
  listed in the rule, one finding per section listing the missing topics;
- ``identity``: identities (勾稽关系) declared by the format data — sums, inequalities and
  heuristics — evaluated cell by cell.

The core knows these shapes, not any rule: codes, messages and parameters all come from YAML.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .document import Cell, Document, Location, show_number
from .identities import expand
from .numbers import mask_long_numbers
from .rules import BaseRule, Finding, RuleContext, RuleMeta
from .templates import TableSpec, Template

_META_FIELDS = {
    "code",
    "name",
    "severity",
    "summary",
    "rationale",
    "basis",
    "editions",
    "aliases",
    "bad_example",
    "good_example",
    "tags",
    "precision",
    "params",
}


class DeclarativeError(ValueError):
    """A rule definition that cannot work (bad regex, unknown identity)."""


def build_rule(definition: Mapping[str, Any], ruleset: str) -> BaseRule:
    kind = definition["kind"]
    meta = RuleMeta(
        **{k: v for k, v in definition.items() if k in _META_FIELDS and k not in ("editions", "aliases", "tags")},
        editions=tuple(str(e) for e in definition.get("editions", ())),
        aliases=tuple(definition.get("aliases", ())),
        tags=tuple(definition.get("tags", ())),
        ruleset=ruleset,
    )
    cls = {"pattern": PatternRule, "topics": TopicsRule, "identity": IdentityRule}[kind]
    return cls(meta, definition)


# ---------------------------------------------------------------------------------------- pattern


class PatternRule(BaseRule):
    def __init__(self, meta: RuleMeta, definition: Mapping[str, Any]) -> None:
        self.meta = meta
        self.message = definition["message"]
        self.sections = definition.get("sections")
        try:
            self.pattern = re.compile(definition["pattern"])
        except re.error as exc:
            raise DeclarativeError(f"{meta.code}: pattern 不是有效的正则表达式：{exc}") from None

    def check(self, doc: Document, ctx: RuleContext) -> Iterator[Finding]:
        for section in doc.sections:
            if self.sections and section.key not in self.sections:
                continue
            for paragraph in section.paragraphs:
                for m in self.pattern.finditer(mask_long_numbers(paragraph.text)):
                    yield self.finding(
                        self.message.format(match=m.group(0)), paragraph.locate(m.start(), m.end()), section=section.key
                    )


# ---------------------------------------------------------------------------------------- topics


class TopicsRule(BaseRule):
    """Topics whose words a section never uses: one finding per section that lists them all (one
    cause, one place). The message's ``{topic}`` sits inside quotes, so several topics are joined as
    Chinese lists them: 主动公开”“平台建设."""

    def __init__(self, meta: RuleMeta, definition: Mapping[str, Any]) -> None:
        self.meta = meta
        self.section = definition["section"]
        self.message = definition["message"]
        self.topics_from = definition.get("topics_from", "expected_topics")
        self.topics = definition.get("topics")
        self.only = definition.get("only")
        self.level = definition.get("organ_level")

    def _topics(self, template: Template | None) -> list[Mapping[str, Any]]:
        if self.topics is not None:
            return list(self.topics)
        spec = template.section(self.section) if template else None
        topics = list(spec.raw.get(self.topics_from) or ()) if spec else []
        return [t for t in topics if not self.only or t["key"] in self.only]

    def check(self, doc: Document, ctx: RuleContext) -> Iterator[Finding]:
        if self.level and doc.meta.organ_level != self.level:
            return
        section = doc.section(self.section)
        if section is None:
            return  # ST01 reports the missing section
        text = "".join(p.text for p in section.paragraphs)
        missing = [t["keywords"] for t in self._topics(ctx.template) if not any(w in text for w in t["keywords"])]
        if missing:
            yield self.finding(
                self.message.format(
                    topic="”“".join(words[0] for words in missing),
                    keywords="、".join(w for words in missing for w in words),
                    title=section.heading or section.title or "",
                ),
                section.location,
                section=section.key,
            )


# ---------------------------------------------------------------------------------------- identity

_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.GtE: operator.ge,
    ast.Gt: operator.gt,
    ast.LtE: operator.le,
    ast.Lt: operator.lt,
}
_REF = re.compile(r"(\*|@row|[a-z_][a-z0-9_]*)\.([a-z_*][a-z0-9_]*)")


def _evaluate(node: ast.AST, values: Mapping[str, float]) -> Any:
    """A tiny interpreter for the format's expressions: + - comparisons and/or, nothing else."""
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, values)
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_evaluate(node.operand, values)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_evaluate(node.left, values), _evaluate(node.right, values))
    if isinstance(node, ast.BoolOp):
        results = (_evaluate(v, values) for v in node.values)
        return all(results) if isinstance(node.op, ast.And) else any(results)
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _OPS:
        return _OPS[type(node.ops[0])](_evaluate(node.left, values), _evaluate(node.comparators[0], values))
    raise DeclarativeError(f"表达式中不支持的写法：{ast.dump(node)}")


@dataclass(frozen=True)
class _Expression:
    """An identity or heuristic ``expr`` of the format, compiled once, instantiated per row/column."""

    id: str
    text: str
    for_each_row: tuple[str, ...] | None
    for_each_column: tuple[str, ...] | None

    @cached_property
    def refs(self) -> list[tuple[str, str, str]]:
        """(variable name, row part, column part) for every cell reference in the text."""
        out = []
        for n, m in enumerate(_REF.finditer(self.text)):
            out.append((f"v{n}", m.group(1), m.group(2)))
        return out

    @cached_property
    def tree(self) -> ast.Expression:
        names = iter(name for name, _, _ in self.refs)
        return ast.parse(_REF.sub(lambda m: next(names), self.text), mode="eval")

    def instances(self, table: TableSpec) -> Iterator[tuple[str | None, list[tuple[str, tuple[str, str]]]]]:
        rows = self.for_each_row or (None,)
        cols = self.for_each_column or (None,)
        for row in rows:
            for col in cols:
                cells = []
                for name, r, c in self.refs:
                    rr = row if r in ("*", "@row") else r
                    cc = col if c == "*" else c
                    cells.append((name, (rr, cc)))
                yield row or col, cells


def _cell_value(cell: Cell) -> float:
    return cell.value if cell.state == "number" and cell.value is not None else 0


class IdentityRule(BaseRule):
    """Checks identities of the format data: ``identities`` (sum_equal, inequality) or ``heuristics``."""

    def __init__(self, meta: RuleMeta, definition: Mapping[str, Any]) -> None:
        self.meta = meta
        self.ids = tuple(definition["identities"])
        self.message = definition["message"]

    def _find(self, template: Template) -> Iterable[tuple[TableSpec, Mapping[str, Any], str]]:
        for table in template.tables.values():
            for ident in table.identities:
                if ident["id"] in self.ids:
                    yield table, ident, ident.get("kind", "sum_equal")
            for ident in table.raw.get("heuristics") or ():
                if ident["id"] in self.ids:
                    yield table, ident, "heuristic"

    def check(self, doc: Document, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.template is None:
            return
        for spec, ident, kind in self._find(ctx.template):
            if spec.id not in doc.tables:
                continue
            if kind == "sum_equal":
                yield from self._sums(doc, spec, ident)
            else:
                yield from self._expressions(doc, spec, ident, requirement=kind == "inequality")

    def _cells(self, doc: Document, spec: TableSpec, refs: Iterable[tuple[str, str]]) -> list[Cell] | None:
        table = doc.tables[spec.id]
        out = []
        for row, col in refs:
            r = table.rows.get(row)
            cell = r.cells.get(col) if r else None
            if cell is None:
                return None  # a missing row or an uncertain extraction: TB02 / NB03 say so
            out.append(cell)
        return out

    def _sums(self, doc: Document, spec: TableSpec, ident: Mapping[str, Any]) -> Iterator[Finding]:
        for eq in expand_one(spec, ident):
            lhs, rhs = self._cells(doc, spec, eq.lhs), self._cells(doc, spec, eq.rhs)
            if lhs is None or rhs is None:
                continue
            left, right = sum(map(_cell_value, lhs)), sum(map(_cell_value, rhs))
            if _close(left, right):
                continue
            yield self._report(spec, eq.cells, lhs + rhs, lhs[0].location, along=eq.along, lhs=left, rhs=right)

    def _expressions(
        self, doc: Document, spec: TableSpec, ident: Mapping[str, Any], requirement: bool
    ) -> Iterator[Finding]:
        rows = ident.get("for_each_row")
        if rows is None and "*" in ident["expr"].split(".")[0]:
            rows = [r.key for r in spec.data_rows]
        expr = _Expression(ident["id"], ident["expr"], tuple(rows) if rows else None, ident.get("for_each_column"))
        for along, refs in expr.instances(spec):
            cells = self._cells(doc, spec, [ref for _, ref in refs])
            if cells is None:
                continue
            values = {name: _cell_value(cell) for (name, _), cell in zip(refs, cells, strict=True)}
            holds = _evaluate(expr.tree, values)
            # An inequality states what must hold; a heuristic describes the defect itself.
            if holds != requirement:
                yield self._report(
                    spec, [ref for _, ref in refs], cells, cells[0].location, along=along, values=values, refs=refs
                )

    def _report(
        self,
        spec: TableSpec,
        involved: Sequence[tuple[str, str]],
        cells: list[Cell],
        location: Location,
        along: str | None,
        **values: Any,
    ) -> Finding:
        ref = involved[0]
        row_label = {r.key: r.label for r in spec.rows}
        col_label = {c.key: c.label for c in spec.columns}
        blanks = [c.raw or "空白" for c in cells if c.state != "number"]
        fields: dict[str, Any] = {
            "table": spec.name,
            "row": row_label.get(ref[0]) or "",
            "column": col_label.get(ref[1]) or "",
            "group": (spec.column(ref[1]).group or "") if spec.column(ref[1]) else "",
            "blanks": f"（{'、'.join(blanks)}按0计）" if blanks else "",
        }
        if "refs" in values:
            for name, (_, column) in values["refs"]:
                fields[column] = show_number(values["values"][name])
        else:
            fields["lhs"], fields["rhs"] = show_number(values["lhs"]), show_number(values["rhs"])
        origin = "extraction" if any(c.origin == "extraction" for c in cells) else "document"
        return self.finding(
            self.message.format(**fields),
            location,
            table=spec.id,
            row=ref[0],
            column=ref[1],
            origin=origin,
            cells=list(dict.fromkeys(f"{spec.id}.{r}.{c}" for r, c in involved)),
        )


_EXPANDED: dict[int, tuple[TableSpec, list[Any]]] = {}


def expand_one(spec: TableSpec, ident: Mapping[str, Any]) -> list[Any]:
    """The equations of one identity; templates live for the whole run, so expand each table once."""
    cached = _EXPANDED.get(id(spec))
    if cached is None or cached[0] is not spec:
        cached = _EXPANDED[id(spec)] = (spec, expand(spec))
    return [eq for eq in cached[1] if eq.identity == ident["id"]]


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6
