"""Cutting text lines into cell tokens, whatever separates the cells.

Text keeps a table's cells apart in different ways, and a tokenizer for each would soon disagree
with the others; this one reads them all from the line as written:

* a tab separates cells (Word's copy of a table, LibreOffice text): empty cells before the first
  text are indentation (rows under a merged group cell start with two tabs), empty cells after it
  are blank cells in their place;
* in layout text (inscriptis, ``w3m -dump``) a run of two or more spaces, or a border (``│`` and the
  other box-drawing characters, or a pipe: markitdown writes a table nested in a page's layout table
  on one line, ``| 规章 | 0 | 0 | 0 | | 规范性文件 | 0 |``) separates cells; border lines
  (``├──┼──┤``, ``| --- |``) are no cells, and neither are the empty cells between two borders (in a
  table written on one line they cannot be told from the end of a row);
* a number set off by a single space ends a label (``规章 1 0 11``, ``72 64 178``): each such number
  is a cell of its own.

Spaces count as written in the file: normalisation removes a space between a Chinese character and a
digit (``规章 1`` reads ``规章1``), so the gaps are measured on the original line through its column map.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from nianbao.lazypattern import lazy
from nianbao.plugins.text.labels import key_positions, parse_value
from nianbao.plugins.text.normalize import Line


@dataclass(slots=True)
class Token:
    """A piece of a table line: a label, or a value with what ``parse_value`` read from it."""

    text: str
    line: int  # index into the line list
    start: int
    end: int
    value: tuple[int | float | None, str, str | None] | None  # parse_value() result; None for labels
    first: bool = True  # the first cell of its line: a row written on one line starts here
    run: bool = False  # digits whose separators were lost: several cells, to be split (flat text)
    x: int | None = None  # the cell's display column in layout text; None where columns are not laid out

    @property
    def is_value(self) -> bool:
        return self.run or (self.value is not None and self.value[1] != "blank")

    @property
    def is_label(self) -> bool:
        return self.value is None and not self.run

    @property
    def is_empty(self) -> bool:
        return not self.run and self.value is not None and self.value[1] == "blank"


_DELIMITER_CELL = lazy(r":?-{3,}:?")
_MAX_LAYOUT_TOKENS = 5_000  # a report's tables hold about a thousand cells
_PAGE_NUMBER = re.compile(r"^\s*[-—－]\s*\d{1,3}\s*[-—－]\s*$")
_SPACES = " \u00a0\u2002\u2003\u2009\u3000"
# Every character of U+2500..U+257F (``│ ├ ─ ┼``) is a border of some kind.
_SEPARATED = re.compile(f"[{_SPACES}|\u2500-\u257f]")
# A cell separator: a run of spaces and borders holding a border, or two or more spaces.
_SEPARATOR = lazy(f"([{_SPACES}]*[|\u2500-\u257f][{_SPACES}|\u2500-\u257f]*)|[{_SPACES}]{{2,}}")
_WORD = lazy(f"[^{_SPACES}]+")
_WIDE_GAP = re.compile(f"[{_SPACES}]{{2}}|[|\u2500-\u257f]")


def _one_cell(line: Line) -> bool:
    """Whether a line is one cell for sure: no border, no run of spaces, and no number after a
    space at its end (what most lines of prose look like), so it need not be taken apart."""
    raw = line.raw.strip(_SPACES)
    if not _SEPARATED.search(raw):
        return True
    return not _WIDE_GAP.search(raw) and not _is_number(raw.rsplit(None, 1)[-1])


def _is_box(c: str) -> bool:
    return "\u2500" <= c <= "\u257f" or c == "|"


def tokenize(lines: Sequence[Line], skip: set[int]) -> list[Token]:
    """Cut lines into cell tokens (see the module docstring). Page numbers of extracted PDFs
    (``- 4 -``) are no cells: they break tables across pages."""
    tokens: list[Token] = []
    for index, line in enumerate(lines):
        if index in skip:
            continue
        if "\t" in line.text:
            _tabbed(line, index, tokens)
        elif line.text.strip() and not _PAGE_NUMBER.match(line.text):
            if len(tokens) < _MAX_LAYOUT_TOKENS:
                _laid_out(line, index, tokens)
            else:  # hostile text: no report has this many cells; the rest stays whole lines
                stripped = line.text.strip()
                s = line.text.find(stripped)
                tokens.append(Token(stripped, index, s, s + len(stripped), parse_value(stripped)))
    return tokens


def _tabbed(line: Line, index: int, tokens: list[Token]) -> None:
    text = line.text
    pieces = text.split("\t")
    if not any(p.strip() for p in pieces):
        tokens.append(Token("", index, 0, 0, (None, "blank", None)))  # one cell per line, the cell empty
        return
    pos = 0
    first = True
    for piece in pieces:
        stripped = piece.strip()
        if stripped or not first:
            s = pos + (piece.find(stripped) if stripped else 0)
            tokens.append(Token(stripped, index, s, s + len(stripped), parse_value(stripped), first))
            first = False
        pos += len(piece) + 1


def _laid_out(line: Line, index: int, tokens: list[Token]) -> None:
    """A line without tabs: cells apart by two spaces or a border, numbers apart by one space."""
    text = line.text
    if _one_cell(line):  # most lines: prose or a cell alone, one token
        stripped = text.strip()
        s = text.find(stripped)
        tokens.append(Token(stripped, index, s, s + len(stripped), parse_value(stripped)))
        return
    if all(_is_box(c) or c in _SPACES for c in text):
        return  # a border line
    first = True
    gaps = _gaps(line)
    screen = _Screen(line)
    for a, b, anchor in _cells(line, gaps):
        if _DELIMITER_CELL.fullmatch(text[a:b]):
            continue  # a markdown delimiter row's ``---``
        x = screen.column(anchor)
        words = _words(text, a, b, gaps)
        # The numbers ending the cell, each set off by a space, are cells of their own.
        split = len(words)
        while split > 0 and _is_number(text[words[split - 1][0] : words[split - 1][1]]):
            split -= 1
        if split == len(words):
            pieces = [(a, b)]
        else:
            pieces = ([(words[0][0], words[split - 1][1])] if split else []) + words[split:]
        for start, end in pieces:
            piece = text[start:end]
            tokens.append(Token(piece, index, start, end, parse_value(piece), first, x=x))
            first = False
            x = screen.column(end)  # the numbers after a label: each its own column


@cache
def _wide() -> re.Pattern[str]:
    # Compiled on first use: a pattern over the CJK ranges costs milliseconds to build.
    return re.compile(
        "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
        "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
    )


class _Screen:
    """Where the characters of a line are on screen: wide characters take two columns (layout text
    aligns its cells by these). Found once per line, when first asked."""

    def __init__(self, line: Line) -> None:
        self.line = line
        self._wide: list[int] | None = None

    def column(self, i: int) -> int:
        if self._wide is None:
            self._wide = [m.start() for m in _wide().finditer(self.line.raw)]
        at = self.line.column(i) - 1  # in the line as written
        return at + bisect_left(self._wide, at)


def _is_number(text: str) -> bool:
    parsed = parse_value(text)
    return parsed is not None and parsed[1] == "number"


def holds_values(line: Line) -> bool:
    """Whether a line without tabs is a row of a table written out: a cell after its first is a value
    (laid-out columns), or it ends with a number set off by a space (``一、本年新收…数量 3001 53 0``)."""
    if _one_cell(line):
        return False
    gaps = _gaps(line)
    cells = _cells(line, gaps)
    if any(parse_value(w) is not None for a, b, _ in cells[1:] for w in line.text[a:b].split()):
        return True
    words = _words(line.text, *cells[-1][:2], gaps) if cells else []
    return len(words) >= 2 and _is_number(line.text[words[-1][0] : words[-1][1]])


def _gaps(line: Line) -> dict[int, int]:
    """Spaces of the original line that normalisation removed: ``text`` index -> how many stood just
    before that character (a space between a Chinese character and a digit: ``规章 1`` reads ``规章1``)."""
    cols = line.cols
    if cols is None:
        return {}
    raw = line.raw
    out: dict[int, int] = {}
    for i in range(1, len(line.text)):
        a, b = cols[i - 1], cols[i]
        if b - a > 1 and raw[a : b - 1].strip(_SPACES) == "":
            out[i] = b - a - 1
    return out


def _cells(line: Line, gaps: dict[int, int]) -> list[tuple[int, int, int]]:
    """Spans of ``line.text`` apart by a border or by two or more spaces (as written), each with where
    its column starts: the border before it, else its first character (w3m pads a cell's text by
    one space or none)."""
    text = line.text
    seps: list[tuple[int, int, int]] = []  # (start, end, last border or -1)
    for m in _SEPARATOR.finditer(text):
        border = -1
        if m.group(1):
            border = next(j for j in range(m.end() - 1, m.start() - 1, -1) if _is_box(text[j]))
        seps.append((m.start(), m.end(), border))
    if gaps:
        seps += [(i, i, -1) for i, n in gaps.items() if n >= 2]
        seps.sort()
    out: list[tuple[int, int, int]] = []
    at, anchor = 0, -1
    for s, e, border in seps:
        if s > at and text[at:s].strip(_SPACES):
            a = at + len(text[at:s]) - len(text[at:s].lstrip(_SPACES))
            out.append((a, len(text[:s].rstrip(_SPACES)), anchor if anchor >= 0 else a))
        if e > at:
            at, anchor = e, border
    if text[at:].strip(_SPACES):
        a = at + len(text[at:]) - len(text[at:].lstrip(_SPACES))
        out.append((a, len(text.rstrip(_SPACES)), anchor if anchor >= 0 else a))
    return out


def _words(text: str, start: int, end: int, gaps: dict[int, int]) -> list[tuple[int, int]]:
    """The words of ``text[start:end]``, apart by a space as written."""
    out: list[tuple[int, int]] = []
    for m in _WORD.finditer(text, start, end):
        a = m.start()
        for i in sorted(i for i in gaps if m.start() < i < m.end()) if gaps else ():
            out.append((a, i))
            a = i
        out.append((a, m.end()))
    return out


# ---------------------------------------------------------------------------------------------- flat text

_MIN_FLAT = 24  # characters: shorter text is a cell, not a table run together
# Bounds for hostile text: characters looked at in one file, in one stretch (no table runs longer), and
# labels found in one stretch (the widest table prints about sixty).
_MAX_FLAT_CHARS = 200_000
_MAX_STRETCH = 10_000
_MAX_LABELS = 1_000
_MIN_DIGIT_SHARE = 0.04
_MAX_COMMA_SHARE = 0.025
_HAS_DIGIT = re.compile(r"\d")
_NO_DIGITS = str.maketrans("", "", "0123456789")
_FULL_STOP = re.compile("。")
_MIN_FLAT_LABELS = 3
_FLAT_COVERAGE = 0.85  # share of a stretch that labels and numbers make up: table text, not prose
_OPENING = "（(“‘【〔["
_CLOSING = "）)”’】〕]"
_VALUES = lazy(r"[/／]|—+|–+|[-−－]+(?![\d])|[-−－]?\d[\d.\-−－]*(?:万元|亿元|元)?")


def cut_flat(tokens: Sequence[Token], cuts: Sequence[str]) -> list[Token] | None:
    """The tokens with every long label token that is a table run together cut into cells.

    A crawler's copy of a page keeps no separator at all: ``规章1011行政规范性文件82666第二十条第（五）项…``.
    Such text is cut at the format's own labels (``cuts``: captions, header and row labels, row labels
    without their item numbers), and what lies between two labels is numbers: each run of digits one
    token (``run``: the cells it holds are split later with the identities), each ``/`` or ``—`` a cell.
    A stretch of text (up to a full stop) is cut only when labels and numbers make up nearly all of
    it, so prose that names labels stays prose. None when nothing was cut.
    """
    out: list[Token] = []
    changed = False
    budget = _MAX_FLAT_CHARS
    for t in tokens:
        if t.is_label and len(t.text) >= _MIN_FLAT and budget > 0:
            budget -= len(t.text)
            pieces = _flat(t, cuts) if _HAS_DIGIT.search(t.text) else None
            if pieces is not None:
                out.extend(pieces)
                changed = True
                continue
        out.append(t)
    return out if changed else None


def _flat(token: Token, cuts: Sequence[str]) -> list[Token] | None:
    text = token.text
    out: list[Token] = []
    changed = False
    at = 0
    for stop in [m.end() for m in _FULL_STOP.finditer(text)] + [len(text)]:
        if stop <= at:
            continue
        pieces = _cut_stretch(token, at, stop, cuts)
        if pieces is None:
            out.append(_sub(token, at, stop, None))
        else:
            out.extend(pieces)
            changed = True
        at = stop
    return [t for t in out if t.text] if changed else None


def _cut_stretch(token: Token, a: int, b: int, cuts: Sequence[str]) -> list[Token] | None:
    text = token.text[a:b]
    if len(text) > _MAX_STRETCH or len(text) - len(text.translate(_NO_DIGITS)) < _MIN_DIGIT_SHARE * len(text):
        return None  # no table runs this long, and a table is full of numbers
    if text.count("，") + text.count(",") > _MAX_COMMA_SHARE * len(text):
        return None  # prose: a comma every few words (a table's labels hold a few in all)
    k, positions = key_positions(text)
    if not k:
        return None
    found: list[tuple[int, int]] = []
    for label in cuts:
        i = k.find(label)
        while i >= 0 and len(found) < _MAX_LABELS:
            found.append((i, i + len(label)))
            i = k.find(label, i + 1)
    spans: list[tuple[int, int]] = []  # in text
    for s, e in _most_covering(found):
        start, stop = positions[s], positions[e - 1] + 1
        while start > 0 and text[start - 1] in _OPENING and (not spans or start - 1 >= spans[-1][1]):
            start -= 1
        while stop < len(text) and text[stop] in _CLOSING:
            stop += 1
        spans.append((start, stop))
    if len(spans) < _MIN_FLAT_LABELS:
        return None
    covered = sum(y - x for x, y in spans)
    gaps = [(x, y) for x, y in zip([0] + [y for _, y in spans], [x for x, _ in spans] + [len(text)], strict=True)]
    covered += sum(len(text[x:y]) for x, y in gaps if _only_values(text[x:y]))
    if covered < _FLAT_COVERAGE * len(text.strip()) or not any(any(c.isdigit() for c in text[x:y]) for x, y in gaps):
        return None
    out: list[Token] = []
    for (gx, gy), span in zip(gaps, [*spans, None], strict=True):
        gap = text[gx:gy]
        if gap.strip() and _only_values(gap):
            for m in _VALUES.finditer(gap):
                piece = m.group(0)
                run = piece[-1:].isdigit() or piece.endswith("元")
                out.append(_sub(token, a + gx + m.start(), a + gx + m.end(), run))
        elif gap.strip():
            out.append(_sub(token, a + gx, a + gy, None))
        if span is not None:
            out.append(_sub(token, a + span[0], a + span[1], None))
    return out


def _only_values(text: str) -> bool:
    """Whether ``text`` holds values and spaces only. Taken value by value: one pattern repeating the
    values with a full match backtracks exponentially on a long run of digits and dashes."""
    at = 0
    for m in _VALUES.finditer(text):
        if text[at : m.start()].strip():
            return False
        at = m.end()
    return at > 0 and not text[at:].strip()


def _most_covering(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The labels found that do not overlap and cover the most text, in order: ``…0-323其他对外管理服务
    事项…`` holds ``3其他`` (a 2021 row label) and ``其他对外管理服务事项``; the longer is the label."""
    found = sorted(set(found), key=lambda span: span[1])
    ends = [e for _, e in found]
    best = [0] * (len(found) + 1)  # best[i]: most covered by the first i spans
    for i, (s, e) in enumerate(found):
        before = bisect_right(ends, s, 0, i)  # spans ending at or before s
        best[i + 1] = max(best[i], best[before] + e - s)
    out: list[tuple[int, int]] = []
    i = len(found)
    while i > 0:
        s, e = found[i - 1]
        before = bisect_right(ends, s, 0, i - 1)
        if best[i] == best[before] + e - s:
            out.append((s, e))
            i = before
        else:
            i -= 1
    return out[::-1]


def _sub(token: Token, a: int, b: int, run: bool | None) -> Token:
    """Part ``a:b`` of a token as a token of its own: a label (``run`` None) or a value."""
    raw = token.text[a:b]
    text = raw.strip()
    start = token.start + a + (raw.find(text) if text else 0)
    if run is None:
        return Token(text, token.line, start, start + len(text), None, x=token.x)
    return Token(text, token.line, start, start + len(text), parse_value(text), run=run, x=token.x)
