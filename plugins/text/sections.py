"""Finding the six statutory section headings, and cutting the text into sections and paragraphs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nianbao.document import Change, Location, Paragraph, Section
from nianbao.formats import ReportFormat

from .chars import count_ideographs, is_ideograph
from .labels import at_least, key
from .normalize import Line

_NUMBERED = re.compile(r"^([一二三四五六七八九十]{1,3})(\s*[、.．]\s*|\s+)(.*)$")
_SENTENCE_END = re.compile(r"[。；;！!？?]$")
_MAX_HEADING_CHARS = 40
_TITLE_THRESHOLD = 0.6
_UNNUMBERED_THRESHOLD = 0.85


@dataclass(slots=True)
class Heading:
    """A line read as a section heading."""

    line: int  # index into the line list
    key: str | None  # s1..s6, or None for an unrecognised heading
    number: str | None  # as written, including its separator (``一 、``); None when missing
    text: str  # the heading as written (normalised text)
    title: str  # the title words without the number


def _titles(fmt: ReportFormat) -> list[tuple[str, str, list[str]]]:
    """(section key, title key, variant keys) for every statutory section."""
    out = []
    for s in fmt.sections:
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


def find_headings(lines: Sequence[Line], fmt: ReportFormat, row_label_keys: Iterable[str]) -> list[Heading]:
    titles = _titles(fmt)
    row_keys = set(row_label_keys)
    headings: list[Heading] = []
    for index, line in enumerate(lines):
        if "\t" in line.text:
            continue  # table rows are tab-separated; headings never are
        text = line.text.strip()
        if not text or len(text) > _MAX_HEADING_CHARS or _SENTENCE_END.search(text):
            continue
        m = _NUMBERED.match(text)
        if m:
            words = m.group(3).strip()
            if count_ideographs(words) < 2 or key(text) in row_keys or key(words) in row_keys:
                continue
            section_key, score = _best_title(words, titles)
            if score < _TITLE_THRESHOLD:
                section_key = None
            # The number as the file writes it: normalisation would hide a malformed ``一 、``.
            lead = len(line.text) - len(line.text.lstrip())
            words_at = lead + m.start(3)
            number = line.raw[line.column(lead) - 1 : line.column(words_at) - 1].strip()
            headings.append(Heading(index, section_key, number, text, words))
            continue
        if count_ideographs(text) < 4:
            continue  # shorter than any title: a table cell, a number, a stray character
        section_key, score = _best_title(text, titles, _UNNUMBERED_THRESHOLD)
        if section_key:
            headings.append(Heading(index, section_key, None, text, text))
    return headings


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
            text = "".join(x.text.strip() for x in current)
            first, last = current[0], current[-1]
            loc = first.location()
            loc.end_line, loc.end_column = last.end_position()
            loc.text = "\n".join(x.raw for x in current)
            paragraphs.append(Paragraph(text=text, location=loc))
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
                changes.append(
                    Change(
                        "line_join",
                        "\n",
                        "",
                        Location(
                            text=end.raw[-1:] + "\n" + line.raw[:1],
                            line=end.number,
                            column=max(len(end.raw), 1),
                            end_line=line.number,
                            end_column=2,
                        ),
                    )
                )
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
        start = len(line.text) - len(line.text.lstrip())
        sections.append(
            Section(
                key=h.key,
                kind="statutory" if h.key else "unknown",
                heading=h.text,
                title=h.title,
                number=h.number,
                location=line.location(start, start + len(h.text)),
                paragraphs=build_paragraphs(lines, body, changes),
            )
        )
    return sections
