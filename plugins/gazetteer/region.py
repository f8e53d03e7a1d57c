"""Which division a report belongs to: from the names found in its organ name and texts to one
division, telling apart divisions of the same name by the other names around them."""

from __future__ import annotations

from collections.abc import Sequence

from nianbao.document import Region

from .divisions import Gazetteer, load
from .scan import Match, scan


def _related(gaz: Gazetteer, a: str, b: str) -> bool:
    """True when one division contains the other (or they are the same)."""
    return a in gaz.divisions[b].chain or b in gaz.divisions[a].chain


def _common_ancestor(gaz: Gazetteer, codes: Sequence[str]) -> str | None:
    chains = [gaz.divisions[c].chain for c in codes]
    common = None
    for level in zip(*chains, strict=False):  # chains differ in depth
        if len(set(level)) != 1:
            break
        common = level[0]
    return common


def _pick(gaz: Gazetteer, candidates: Sequence[str], anchors: Sequence[str]) -> tuple[str, ...]:
    """Candidates best supported by anchors (unambiguous names found elsewhere) on the same chain."""
    scores = [sum(_related(gaz, c, a) for a in anchors) for c in candidates]
    best = max(scores)
    if best == 0:
        return tuple(candidates)
    return tuple(c for c, s in zip(candidates, scores, strict=True) if s == best)


def _current(gaz: Gazetteer, candidates: Sequence[str]) -> tuple[str, ...]:
    """Candidates without the former divisions whose successor is among them: 钢城区 alone is today's
    钢城区 of 济南, not the one 莱芜市 had until 2019 (that one needs 莱芜市 nearby)."""
    return tuple(c for c in candidates if not any(s in candidates for s in gaz.successors.get(c, ())))


def _disambiguate(gaz: Gazetteer, matches: list[Match], context: list[Match]) -> list[str]:
    """One division per match: the match itself, its resolution, or what its readings share."""
    anchors = [m.codes[0] for m in matches if len(m.codes) == 1]
    outside = [m.codes[0] for m in context if len(m.codes) == 1]
    resolved = []
    for match in matches:
        codes = match.codes
        if len(codes) > 1:
            codes = _pick(gaz, codes, anchors)
        if len(codes) > 1:
            codes = _pick(gaz, codes, outside)
        if len(codes) > 1:
            codes = _current(gaz, codes)
        if len(codes) == 1:
            resolved.append(codes[0])
        else:
            common = _common_ancestor(gaz, codes)
            if common is not None:
                resolved.append(common)
    return resolved


def _dominant(counts: dict[str, int], options: Sequence[str]) -> str | None:
    """The option mentioned at least twice as often as all others together, if any."""
    present = [(counts[o], o) for o in options if o in counts]
    if not present:
        return None
    present.sort(reverse=True)
    top, code = present[0]
    rest = sum(n for n, _ in present[1:])
    return code if top >= 2 * rest else None


def _settle(gaz: Gazetteer, resolved: list[str]) -> str | None:
    """Walk down from the provinces while one branch clearly dominates the mentions."""
    counts: dict[str, int] = {}
    for code in resolved:
        for node in gaz.divisions[code].chain:
            counts[node] = counts.get(node, 0) + 1
    chosen = None
    options: Sequence[str] = gaz.provinces
    while True:
        step = _dominant(counts, options)
        if step is None:
            return chosen
        chosen = step
        options = gaz.children.get(chosen, ())


def _region(gaz: Gazetteer, code: str, decided_by: str) -> Region:
    region = Region(code=code, decided_by=decided_by)
    for node in gaz.divisions[code].chain:
        div = gaz.divisions[node]
        setattr(region, div.level, div.name)
    return region


def find_region(organ: str | None, texts: Sequence[str] = ()) -> Region:
    """The division a report belongs to, from its organ name or, failing that, from its texts.

    Names in ``organ`` decide (``decided_by="organ"``); ``texts`` then only serve to tell apart
    same-named counties (鼓楼区 exists in four cities). Without a usable organ name the texts decide
    (``decided_by="text"``), following the branch that clearly dominates their mentions. A county
    gives its prefecture and province; whatever cannot be settled is left ``None``, and ``Region()``
    comes back when nothing is found. ``code`` is the adcode of the most specific level filled.

    A former division (梁平县, 莱芜市) comes back as it was, with the code it had: a report that names
    it was written while it existed.
    """
    gaz = load()
    if isinstance(texts, str):
        texts = (texts,)
    organ_text = "".join(organ.split()) if organ else ""
    organ_matches = scan(gaz, organ_text, organ=True) if organ_text else []
    text_matches = [m for t in texts if t for m in scan(gaz, t, organ=False)]

    if organ_matches:
        code = _settle(gaz, _disambiguate(gaz, organ_matches, text_matches))
        if code is not None:
            return _region(gaz, code, "organ")
    if text_matches:
        code = _settle(gaz, _disambiguate(gaz, text_matches, organ_matches))
        # The organ named a place we could not pin down (鼓楼区); a text pointing elsewhere
        # (北京市) says more about what the report mentions than about where it comes from.
        if code is not None and all(any(_related(gaz, code, c) for c in m.codes) for m in organ_matches):
            return _region(gaz, code, "text")
    return Region()


def place_start(text: str) -> int | None:
    """Where the first division name in ``text`` starts (an organ name begins there: ``…首页常州市应急管理局``)."""
    matches = scan(load(), text, organ=False)
    return matches[0].start if matches else None
