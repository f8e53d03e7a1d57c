"""Where a report states its basis, its scope and who submits it: the preamble, the first paragraphs of
总体情况 and the title. The provincial rules (``rulesets/*/rules.py``) look there for the notices and
statements their provinces ask for."""

from __future__ import annotations

import re

from nianbao.document import Document, Location, Paragraph

# Notice numbers are written with 〔〕, [], （）, 【】 or ［］ around the year.
_BRACKETS = str.maketrans({c: "〔" for c in "[(（【［"} | {c: "〕" for c in "])）】］"})
_SPACE = re.compile(r"[\s\u00a0\u3000]+")


def compact(text: str) -> str:
    return _SPACE.sub("", text).translate(_BRACKETS)


def preamble(doc: Document) -> list[Paragraph]:
    return [p for s in doc.sections if s.kind == "preamble" for p in s.paragraphs]


def opening(doc: Document, count: int = 6) -> list[Paragraph]:
    """The preamble and the first paragraphs of 总体情况: where a report states its basis and scope."""
    overview = doc.section("s1")
    return preamble(doc) + (overview.paragraphs[:count] if overview else [])


def title_location(doc: Document) -> Location | None:
    return doc.meta.title.location if doc.meta.title else None
