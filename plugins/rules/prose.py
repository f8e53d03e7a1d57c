"""What rules read of a report's prose: its paragraphs with their sections, the page numbers a PDF
leaves between them, the portal metadata block standing in them (:class:`PortalText`), and short
quotations of it for messages (:func:`snippet`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from nianbao.document import Anchor, Document, Location, Paragraph, Section


def snippet(text: str, limit: int = 24) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def prose(doc: Document, sections: Iterable[str | None] | None = None) -> Iterator[tuple[Section, Paragraph]]:
    """Paragraphs in document order with their sections, optionally only of some section keys."""
    wanted = set(sections) if sections is not None else None
    for section in doc.sections:
        if wanted is None or section.key in wanted:
            for paragraph in section.paragraphs:
                yield section, paragraph


# A portal label with nothing after it: two to eight characters and a colon, ending where a recorded
# label starts.
_EMPTY_LABEL = re.compile(r"[\u4e00-\u9fff]{2,8}\s?[:：]$")
_EMPTY_LABEL_CHARS = 10


class PortalText:
    """Where the portal metadata block (索引号、发布机构…) stands in a document's prose: it is the page's,
    not the author's text. It is found by its labels and values, not by its lines (a portal page's
    body is often one source line)."""

    _last: PortalText | None = None

    @classmethod
    def of(cls, doc: Document) -> PortalText:
        """The portal text of ``doc``, shared by every rule that checks it (documents are linted one by one)."""
        if cls._last is None or cls._last.doc is not doc:
            cls._last = cls(doc)
        return cls._last

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        labels = sorted(doc.meta.portal, key=len, reverse=True)
        self._label = re.compile("(" + "|".join(map(re.escape, labels)) + r")\s*[:：]\s*") if labels else None
        # By paragraph, kept alive with it: a heading read as a paragraph is made anew for each rule.
        self._spans: dict[int, tuple[Paragraph, list[tuple[int, int]]]] = {}

    def holds(self, paragraph: Paragraph, offset: int) -> bool:
        """Whether ``paragraph.text[offset]`` is part of the portal metadata block (a label or its value)."""
        if self._label is None:
            return False
        cached = self._spans.get(id(paragraph))
        if cached is None or cached[0] is not paragraph:
            cached = self._spans[id(paragraph)] = (paragraph, self._portal_in(paragraph))
        return any(a <= offset < b for a, b in cached[1])

    def _portal_in(self, paragraph: Paragraph) -> list[tuple[int, int]]:
        """The stretches of ``paragraph.text`` that are portal labels with their values, on the lines
        the metadata was read from."""
        assert self._label is not None
        portal = self.doc.meta.portal
        text = paragraph.text
        spans: list[tuple[int, int]] = []
        for m in self._label.finditer(text):
            item = portal[m.group(1)]
            (page, line), (at_page, at) = (
                _line(item.location),
                _line(paragraph.anchor_at(m.start()) or paragraph.location),
            )
            if line is not None and at is not None and (at_page != page or at not in (line, line - 1)):
                continue  # the same words in the report's own text
            end = m.end() + len(item.value) if text.startswith(item.value, m.end()) else m.end()
            spans.append((m.start(), end))
        for item in portal.values():
            # A value wrapped onto a line of its own (``废止日期：`` / ``有效``).
            if text.strip() == item.value and _line(paragraph.anchor_at(0) or paragraph.location) == _line(
                item.location
            ):
                spans.append((0, len(text)))
        # A label the page left empty, just before a recorded one (``文件编号: 发布机构:…``), is part of the block.
        for n, (start, end) in enumerate(spans):
            while True:
                gap = start
                while gap > 0 and text[gap - 1].isspace():
                    gap -= 1  # a page lays its labels out with any amount of space
                m = _EMPTY_LABEL.search(text, max(0, gap - _EMPTY_LABEL_CHARS), gap)
                if m is None:
                    break
                start = m.start()
            spans[n] = (start, end)
        return spans


def _line(place: Location | Anchor) -> tuple[int | None, int | None]:
    """The page and line of a position (no line in a Word document)."""
    return place.page, place.line


_PAGE_NUMBER = re.compile(r"^[-—－\s]*(?:第\s*)?\d+\s*(?:页)?[-—－\s]*$")


def is_page_number(text: str) -> bool:
    """``- 1 -`` lines that PDF extraction leaves between paragraphs."""
    return bool(_PAGE_NUMBER.match(text))
