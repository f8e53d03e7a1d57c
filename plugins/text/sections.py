"""Finding the six statutory section headings, and cutting the text into sections and paragraphs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nianbao.document import Anchor, Change, Diagnostic, Paragraph, Section
from nianbao.lazypattern import lazy
from nianbao.plugins.assembler.tokens import holds_values
from nianbao.templates import Template

from .chars import count_ideographs, is_ideograph
from .labels import at_least, key
from .normalize import Line

_NUMBERED = re.compile(r"^([一二三四五六七八九十]{1,3})(\s*[、.．]\s*|\s+)(.*)$")
_SENTENCE_END = re.compile(r"[。；;！!？?]$")
_MAX_HEADING_CHARS = 40
_TITLE_THRESHOLD = 0.6
_UNNUMBERED_THRESHOLD = 0.85
# Markdown and OCR marks around a heading: ``## 二、…``, ``**三、…**``, ``> 四、…``.
_MARKS = " \t\u3000#*>"
# A table caption (``表三：…``, ``第二十条第（一）项``), a sub-heading (``（一）主动公开政府信息情况``) or a
# list item (``①…``, ``一是…``) may repeat a section's words; it is never a section heading.
_NOT_HEADING = re.compile(
    r"^(?:表[一二三四五六七八九十\d]+|第[一二三四五六七八九十]+条|[（(][一二三四五六七八九十\d]+[)）]"
    r"|[①-⑳]|[一二三四五六七八九十]{1,3}是)"
)
# A statutory number inside a line: not the tail of a longer numeral (``十二、``).
_SENTENCE_STOP = lazy(r"[。！？]")
_INLINE_NUMBER = re.compile(r"(?<![一二三四五六七八九十])([一二三四五六七八九十]{1,3})\s*[、.．]\s*")


@dataclass(slots=True)
class Heading:
    """A line read as a section heading."""

    line: int  # index into the line list
    key: str | None  # s1..s6, or None for an unrecognised heading
    number: str | None  # as written, including its separator (``一 、``); None when missing
    text: str  # the heading as written (normalised text)
    title: str  # the title words without the number
    start: int = 0  # where the heading starts in its line (after indentation and markdown marks)


def _titles(template: Template) -> list[tuple[str, str, list[str]]]:
    """(section key, title key, variant keys) for every statutory section."""
    out = []
    for s in template.sections:
        variants = []
        for v in s.heading_variants:
            m = _NUMBERED.match(v)
            variants.append(key(m.group(3) if m else v))
        out.append((s.key, key(s.title_text), variants))
    return out


def _best_title(
    words: str, titles: list[tuple[str, str, list[str]]], threshold: float = _TITLE_THRESHOLD
) -> tuple[str | None, float]:
    k = key(words)
    best: tuple[str | None, float] = (None, 0.0)
    for section_key, title_key, variant_keys in titles:
        score = max(at_least(k, t, threshold) for t in (title_key, *variant_keys))
        if score > best[1]:
            best = (section_key, score)
    return best


def find_headings(
    lines: Sequence[Line], template: Template, row_label_keys: Iterable[str], skip: set[int] = frozenset()
) -> list[Heading]:
    titles = _titles(template)
    row_keys = set(row_label_keys)
    headings: list[Heading] = []
    for index, line in enumerate(lines):
        if index in skip or "\t" in line.text:
            continue  # table rows are tab-separated; headings never are
        lead = len(line.text) - len(line.text.lstrip(_MARKS))
        text = line.text[lead:].rstrip(_MARKS)
        if not text or len(text) > _MAX_HEADING_CHARS or _SENTENCE_END.search(text) or _NOT_HEADING.match(text):
            continue
        if holds_values(line):
            continue  # a row of a table laid out in columns (``三、本年度办理结果   （一）予以公开   0   0``)
        m = _NUMBERED.match(text)
        if m:
            words = m.group(3).strip()
            if count_ideographs(words) < 2 or key(text) in row_keys or key(words) in row_keys:
                continue
            if any(rk.startswith(key(text)) for rk in row_keys):
                continue  # the first part of a row label a line break cut (``三、本年度`` / ``办理结果``)
            section_key, score = _best_title(words, titles)
            if score < _TITLE_THRESHOLD:
                section_key = None
            # The number as the file writes it: normalisation would hide a malformed ``一 、``.
            words_at = lead + m.start(3)
            number = line.raw[line.column(lead) - 1 : line.column(words_at) - 1].strip()
            headings.append(Heading(index, section_key, number, text, words, lead))
            continue
        if count_ideographs(text) < 4:
            continue  # shorter than any title: a table cell, a number, a stray character
        section_key, score = _best_title(text, titles, _UNNUMBERED_THRESHOLD)
        if section_key:
            headings.append(Heading(index, section_key, None, text, text, lead))
    # A line that only reads like a section's title (no number, or a sub-item's ``1.``) is a sub-heading
    # where the section has its numbered heading (``1.主动公开政府信息情况`` under 一 before 二、主动公开…).
    numbered = {h.key for h in headings if h.number is not None and h.key}
    return [h for h in headings if h.number is not None or h.key not in numbered]


# A report that forgets a heading's number forgets one; headings that all lack theirs were numbered by
# Word's automatic numbering, which converters (mammoth, LibreOffice's HTML) drop.
_LOST_NUMBERS = 3


def lost_numbers(headings: Sequence[Heading], lines: Sequence[Line]) -> list[Diagnostic]:
    """An NB03 for statutory headings without a number when so many lack one that the numbers were
    automatic and lost in conversion; its scope names the sections, so ST04 leaves them alone."""
    bare = [h for h in headings if h.key and h.number is None]
    if len(bare) < _LOST_NUMBERS:
        return []
    first = bare[0]
    location = lines[first.line].location(first.start, first.start + len(first.text))
    message = (
        f"有 {len(bare)} 个部分标题没有编号（{'、'.join(h.text for h in bare[:3])}……），"
        "可能是 Word 的自动编号在转换中丢失，请对照原件核对标题编号"
    )
    return [Diagnostic("NB03", message, location, [h.key for h in bare])]


def cut_at_headings(lines: Sequence[Line], template: Template) -> list[Line]:
    """The lines with every statutory heading that shares a line with other text on a line of its own.

    A crawler's copy of a portal page is one line, and converters glue a heading to the sentence
    before it (``…如下。二、主动公开政府信息情况``) or run the heading's first paragraph into it. A
    heading is recognised there only by its own number followed by its title exactly (or a known
    variant), so that prose that merely mentions a section is left alone.
    """
    expected = [(s.number, [k for k in {key(s.title_text), *_variant_keys(s)} if k]) for s in template.sections]
    out: list[Line] = []
    where: dict[str, int] = {}  # section number -> index in ``out`` of the line its heading starts
    for line in lines:
        text = line.text
        if "\t" in text or len(text) <= _MAX_HEADING_CHARS and "。" not in text:
            out.append(line)
            continue
        cuts: list[int] = []
        for m in _INLINE_NUMBER.finditer(text):
            title_end = _title_end(text, m.end(), [ks for number, ks in expected if number == m.group(1)])
            if title_end is None:
                continue
            start = m.start()
            if start == 0 or not text[:start].strip(_MARKS):
                start = 0
            cuts.extend((start, title_end))
            where.setdefault(m.group(1), len(out))
        if not cuts:
            out.append(line)
            continue
        bounds = sorted({0, *cuts, len(text)})
        out.extend(line.cut(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip())
    if not where:
        return out  # headings stand on lines of their own: no heading is hidden in a line
    return _cut_bare(out, template, _own_line_headings(out, template, expected, where))


def _own_line_headings(
    lines: Sequence[Line], template: Template, expected: list[tuple[str, list[str]]], where: dict[str, int]
) -> dict[str, int]:
    """``where`` with the headings that stand on lines of their own added."""
    titles = dict(expected)
    bare = {k: s.number for s in template.sections for k in _bare_titles(s)}
    where = dict(where)
    for i, line in enumerate(lines):
        text = line.text
        if len(text) > _MAX_HEADING_CHARS:
            continue
        m = _NUMBERED.match(text.lstrip(_MARKS))
        if m and key(m.group(3)) in titles.get(m.group(1), ()):
            where.setdefault(m.group(1), i)
        elif not m and (number := bare.get(key(text))):
            where.setdefault(number, i)
    return where


def _cut_bare(lines: list[Line], template: Template, where: dict[str, int]) -> list[Line]:
    """A heading whose number was left out (``…的理解。其他需要报告的事项无。``), in a line holding more:
    only for a section whose numbered heading is nowhere, after the heading of the section before it,
    right after a sentence end and with the title (or a known variant of it) exactly."""
    numbers = [s.number for s in template.sections]
    for n, section in enumerate(template.sections):
        if section.number in where or n == 0 or numbers[n - 1] not in where:
            continue
        titles = _bare_titles(section)
        heads = {t[:2] for t in titles}
        for i in range(where[numbers[n - 1]], len(lines)):
            text = lines[i].text
            if len(text) <= _MAX_HEADING_CHARS:
                continue
            cut = next(
                (
                    (m.end(), end)
                    for m in _SENTENCE_STOP.finditer(text)
                    if text[m.end() : m.end() + 2] in heads and (end := _title_end(text, m.end(), [titles])) is not None
                ),
                None,
            )
            if cut is not None:
                line = lines[i]
                pieces = [line.cut(a, b) for a, b in ((0, cut[0]), cut, (cut[1], len(text))) if text[a:b].strip()]
                return _cut_bare([*lines[:i], *pieces, *lines[i + 1 :]], template, {**where, section.number: i + 1})
    return lines


def _bare_titles(section) -> list[str]:  # noqa: ANN001 - a SectionSpec
    """The keys of a section's title and of its variants written without a number."""
    variants = (v for v in section.heading_variants if not _NUMBERED.match(v))
    return [k for k in {key(section.title_text), *(key(v) for v in variants)} if k]


def _variant_keys(section) -> list[str]:  # noqa: ANN001 - a SectionSpec
    out = []
    for v in section.heading_variants:
        m = _NUMBERED.match(v)
        if m:
            out.append(key(m.group(3)))
    return out


def _title_end(text: str, start: int, title_keys: list[list[str]]) -> int | None:
    """Where one of the titles ends when ``text[start:]`` begins with it (compared by label key)."""
    candidates = [k for keys in title_keys for k in keys]
    if not candidates:
        return None
    longest = max(len(k) for k in candidates)
    # The key drops characters one by one, so it is built a character at a time; and a title is not
    # mostly spaces and punctuation, so the search stops well before a run of them ends (re-keying the
    # whole rest of a flooded line at each step took 25 s on 280 KB).
    built = ""
    for i in range(start, min(len(text), start + 3 * longest + _TITLE_SLACK)):
        built += key(text[i])
        if built in candidates:
            return i + 1
        if len(built) >= longest:
            break
    return None


_TITLE_SLACK = 20


_STARTS_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．是]|[（(][一二三四五六七八九十0-9]+[)）]|[0-9]+[、.．)]|第[一二三四五六七八九十]+)"
)
_MIN_WRAPPED_CHARS = 20


def build_paragraphs(lines: Sequence[Line], indexes: Sequence[int], changes: list[Change]) -> list[Paragraph]:
    """Group the given lines into paragraphs, re-joining lines a PDF or Word export wrapped.

    A line is taken as wrapped when it is long, ends inside a sentence (a CJK character or a comma)
    and the next text line does not start a new item; a single blank line in between (a page
    break in extracted PDFs) does not stop the join. Every join is recorded as a change.
    """
    paragraphs: list[Paragraph] = []
    current: list[Line] = []
    previous_index = -2

    def flush() -> None:
        if current:
            pieces: list[str] = []
            anchors: list[Anchor] = []
            at = raw_at = 0  # where the line's part starts in the paragraph's text, and in its lines as written
            for x in current:
                lead = len(x.text) - len(x.text.lstrip())
                piece = x.text.strip()
                anchors += x.anchors(lead, lead + len(piece), at, x.column(0) - 1 - raw_at)
                at += len(piece)
                raw_at += len(x.written) + 1
                pieces.append(piece)
            loc = current[0].location()  # the line as written
            if len(current) > 1:
                loc = loc.ends_like(current[-1].location(), "\n".join(x.written for x in current))
            paragraphs.append(Paragraph(text="".join(pieces), location=loc, anchors=anchors))
            current.clear()

    for index in indexes:
        line = lines[index]
        text = line.text.strip()
        if not text:
            continue
        if current:
            prev = current[-1].text.strip()
            adjacent = index - previous_index <= 2 and all(
                not lines[i].text.strip() for i in range(previous_index + 1, index)
            )
            if (
                adjacent
                and len(prev) >= _MIN_WRAPPED_CHARS
                and (is_ideograph(prev[-1]) or prev[-1] in "，、")
                and (is_ideograph(text[0]) or text[0] in "，、。；")
                and not _STARTS_ITEM.match(text)
            ):
                end = current[-1]
                last = end.column(len(end.text)) - 1  # just past the line as written
                joined = end.raw_location(max(last - 1, 0), last).ends_like(
                    line.location(0, 1), end.written[-1:] + "\n" + line.written[:1]
                )
                changes.append(Change("line_join", "\n", "", joined))
                current.append(line)
                previous_index = index
                continue
            flush()
        current.append(line)
        previous_index = index
    flush()
    return paragraphs


def build_sections(
    lines: Sequence[Line], headings: Sequence[Heading], skip: set[int], changes: list[Change]
) -> list[Section]:
    """Sections in document order: the preamble, then one per heading (statutory or not)."""
    sections: list[Section] = []
    bounds = [h.line for h in headings] + [len(lines)]
    preamble = [i for i in range(bounds[0]) if i not in skip]
    if any(lines[i].text.strip() for i in preamble):
        sections.append(Section(key=None, kind="preamble", paragraphs=build_paragraphs(lines, preamble, changes)))
    for h, end in zip(headings, bounds[1:], strict=True):
        body = [i for i in range(h.line + 1, end) if i not in skip]
        line = lines[h.line]
        start, end = h.start, h.start + len(h.text)
        sections.append(
            Section(
                key=h.key,
                kind="statutory" if h.key else "unknown",
                heading=h.text,
                title=h.title,
                number=h.number,
                location=line.location(start, end),
                heading_anchors=line.anchors(start, end, 0, line.column(start) - 1),
                paragraphs=build_paragraphs(lines, body, changes),
            )
        )
    return sections
