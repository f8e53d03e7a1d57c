"""Which reports of one run belong together: the same organ in consecutive years (pairs), and the
reports of one place and year (families). Keys come from the canonical document only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .document import Meta


@dataclass(frozen=True, slots=True)
class Entry:
    """What grouping needs of a linted report; the document itself may be dropped and reloaded."""

    path: str
    organ: str | None  # the organ key, see :func:`organ_key`
    region: str | None  # adcode of the most specific division known
    year: int | None
    name: str | None = None  # the organ's name as the report writes it, for messages


def _short(name: str) -> str:
    for suffix in ("自治区", "省", "市"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def organ_key(meta: Meta) -> str | None:
    """The organ's name without the place names in front of it, qualified by the place's code.

    A report names its organ as 淮安市洪泽区人民政府 one year and 洪泽区人民政府 the next; both are
    ``320813/人民政府``. Without a known region the name itself (spaces removed) is the key.
    """
    if not meta.organ:
        return None
    name = "".join(meta.organ.split())
    region = meta.region
    places = [p for p in (region.province, region.prefecture, region.county) if p]
    stripped = True
    while stripped:
        stripped = False
        for place in places:
            for form in (place, _short(place)):
                if name.startswith(form) and len(name) > len(form):
                    name, stripped = name[len(form) :], True
                    break
    return f"{region.code}/{name}" if region.code else name


def entry_for(path: str, meta: Meta) -> Entry:
    return Entry(path, organ_key(meta), meta.region.code, meta.report_year, meta.organ)


@dataclass(slots=True)
class Pairing:
    pairs: list[tuple[str, str]]  # (this year's path, last year's path)
    ambiguous: list[tuple[str, list[str]]]  # a report with several candidates for last year


def pair_by_organ(entries: Iterable[Entry]) -> Pairing:
    """Each report with the same organ's report of the year before, when there is exactly one."""
    by_key: dict[tuple[str, int], list[str]] = defaultdict(list)
    for e in entries:
        if e.organ is not None and e.year is not None:
            by_key[(e.organ, e.year)].append(e.path)
    out = Pairing([], [])
    for (organ, year), paths in sorted(by_key.items()):
        previous = sorted(by_key.get((organ, year - 1), ()))
        for path in sorted(paths):
            if len(previous) == 1:
                out.pairs.append((path, previous[0]))
            elif previous:
                out.ambiguous.append((path, previous))
    return out


def families(entries: Iterable[Entry]) -> list[list[str]]:
    """Reports of the same division and year, two or more, each group sorted by path."""
    groups: dict[tuple[str, int], list[str]] = defaultdict(list)
    for e in entries:
        if e.region is not None and e.year is not None:
            groups[(e.region, e.year)].append(e.path)
    return [sorted(paths) for _, paths in sorted(groups.items()) if len(paths) > 1]
