"""The gazetteer as a run uses it: the divisions, their lookup tables, former divisions and names.

Read on first use and then kept for the life of the process. ``divisions.tsv`` lists every division
as ``code<TAB>name<TAB>level<TAB>parent_code``, current and former alike; ``former.tsv`` says which
codes are former divisions (and which current divisions took them over) and lists other names of
divisions. See ``SOURCE.md``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any, NamedTuple

from nianbao.packagedata import load_built, package_file, package_text

from .scan import is_weak

_PACKAGE = __name__.rpartition(".")[0]
_DIVISIONS = "divisions.tsv"
_FORMER = "former.tsv"


class Division(NamedTuple):
    code: str
    name: str
    level: str
    parent: str | None
    chain: tuple[str, ...]  # codes from the province down to this division


class Divisions(dict):
    """code -> :class:`Division`, each built on first lookup: a report looks up a few dozen of ~3400."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self._lines = lines  # divisions.tsv, sorted by code

    def __missing__(self, code: str) -> Division:
        # A code sorts just before its own line ("500112" < "500112\t渝北区...") and after the line before.
        at = bisect_left(self._lines, code)
        if at == len(self._lines) or not self._lines[at].startswith(code + "\t"):
            raise KeyError(code)
        _, name, level, parent = self._lines[at].split("\t")
        chain = (self[parent].chain if parent else ()) + (code,)
        division = self[code] = Division(code, name, level, parent or None, chain)
        return division


class Gazetteer(NamedTuple):
    divisions: dict[str, Division]
    children: dict[str, Sequence[str]]
    provinces: Sequence[str]
    # full names, suffixed short forms and former names -> codes, comma-separated (several when a name
    # is ambiguous)
    names: dict[str, str]
    weak: frozenset[str]
    end_chars: frozenset[str]
    max_len: int
    # bare province / prefecture stems (常州, 辽宁), accepted only at the start of an organ name -> codes
    stems: dict[str, str]
    max_stem: int
    # former division -> the current divisions that took it over (梁平县 -> 梁平区)
    successors: dict[str, Sequence[str]]


_gazetteer: Gazetteer | None = None


def _build_index(text: str) -> dict[str, Any]:
    # Only when the shipped index does not match the TSV: the module is not needed otherwise.
    from .index import build_index

    return build_index(text)


def load() -> Gazetteer:
    global _gazetteer
    if _gazetteer is not None:
        return _gazetteer
    index = load_built(package_file(_PACKAGE, _DIVISIONS), _build_index)
    names: dict[str, str] = index["names"]
    successors: dict[str, Sequence[str]] = {}
    other_names = []
    # About 150 lines, parsed as they are in well under a millisecond: no built form needed.
    for line in package_text(_PACKAGE, _FORMER).splitlines():
        if line.startswith("#"):
            continue
        kind, code, name, taken_over_by, _basis = line.split("\t")
        if kind == "former":
            successors[code] = taken_over_by.split(",")
        elif code not in names.get(name, "").split(","):
            names[name] = f"{names[name]},{code}" if name in names else code
            other_names.append(name)
    _gazetteer = Gazetteer(
        divisions=Divisions(package_text(_PACKAGE, _DIVISIONS).splitlines()),
        children=index["children"],
        provinces=index["provinces"],
        names=names,
        weak=frozenset(index["weak"]).union(filter(is_weak, other_names)),
        end_chars=frozenset(index["end_chars"]).union(name[-1] for name in other_names),
        max_len=max([index["max_len"], *map(len, other_names)]),
        stems=index["stems"],
        max_stem=index["max_stem"],
        successors=successors,
    )
    return _gazetteer
