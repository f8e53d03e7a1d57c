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
from collections.abc import Sequence
from dataclasses import dataclass
from unicodedata import east_asian_width

from nianbao.plugins.text.labels import parse_value
from nianbao.plugins.text.normalize import Line


@dataclass(slots=True)
class Token:
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
    def is_empty(self) -> bool:
        return not self.run and self.value is not None and self.value[1] == "blank"


_DELIMITER_CELL = re.compile(r":?-{3,}:?")
_PAGE_NUMBER = re.compile(r"^\s*[-—－]\s*\d{1,3}\s*[-—－]\s*$")
_SPACES = " \u00a0\u2002\u2003\u2009\u3000"
# Every character of U+2500..U+257F (``│ ├ ─ ┼``) is a border of some kind.
_SEPARATED = re.compile(f"[{_SPACES}|\u2500-\u257f]")


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
            _laid_out(line, index, tokens)
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
    if not _SEPARATED.search(line.raw):  # most lines: prose or a cell alone, one token
        stripped = text.strip()
        s = text.find(stripped)
        tokens.append(Token(stripped, index, s, s + len(stripped), parse_value(stripped)))
        return
    if all(_is_box(c) or c in _SPACES for c in text):
        return  # a border line
    first = True
    for a, b, anchor in _cells(line):
        if _DELIMITER_CELL.fullmatch(text[a:b]):
            continue  # a markdown delimiter row's ``---``
        x = _display_column(line, anchor)
        words = _words(line, a, b)
        # The numbers ending the cell, each set off by a space, are cells of their own.
        split = len(words)
        while split > 0 and _is_number(text[words[split - 1][0] : words[split - 1][1]]):
            split -= 1
        if split == len(words):
            pieces = [(a, b)]
        else:
            pieces = ([(words[0][0], words[split - 1][1])] if split else []) + [(a, b) for a, b, _ in words[split:]]
        for start, end in pieces:
            piece = text[start:end]
            tokens.append(Token(piece, index, start, end, parse_value(piece), first, x=x))
            first = False
            x = _display_column(line, end)  # the numbers after a label: each its own column


def _display_column(line: Line, i: int) -> int:
    """Where ``text[i]`` is on screen: wide characters take two columns (layout text aligns by these)."""
    return sum(2 if east_asian_width(c) in "WF" else 1 for c in line.raw[: line.column(i) - 1])


def _is_number(text: str) -> bool:
    parsed = parse_value(text)
    return parsed is not None and parsed[1] == "number"


def holds_values(line: Line) -> bool:
    """Whether a line without tabs is a row of a table written out: a cell after its first is a value
    (laid-out columns), or it ends with a number set off by a space (``一、本年新收…数量 3001 53 0``)."""
    if not _SEPARATED.search(line.raw):
        return False
    cells = _cells(line)
    if any(parse_value(w) is not None for a, b, _ in cells[1:] for w in line.text[a:b].split()):
        return True
    words = _words(line, *cells[-1][:2]) if cells else []
    return len(words) >= 2 and _is_number(line.text[words[-1][0] : words[-1][1]])


def _gap(line: Line, i: int) -> int:
    """How many spaces of the original line normalisation removed just before ``text[i]``."""
    if line.cols is None or i == 0 or i >= len(line.text):
        return 0
    a, b = line.cols[i - 1], line.cols[i]  # 1-based columns of text[i - 1] and text[i]
    if b - a <= 1:
        return 0
    between = line.raw[a : b - 1]
    return len(between) if between.strip(_SPACES) == "" else 0


def _cells(line: Line) -> list[tuple[int, int, int]]:
    """Spans of ``line.text`` apart by a border or by two or more spaces (as written), each with where
    its column starts: the border before it, else its first character (w3m pads a cell's text by
    one space or none)."""
    text = line.text
    out: list[tuple[int, int, int]] = []
    start: int | None = None
    anchor = 0
    border: int | None = None
    i = 0
    n = len(text)
    while i < n:
        if text[i] in _SPACES or _is_box(text[i]):
            j = i
            while j < n and (text[j] in _SPACES or _is_box(text[j])):
                if _is_box(text[j]):
                    border = j
                j += 1
            if start is not None and (border is not None or j - i + _gap(line, i) >= 2 or j == n):
                out.append((start, i, anchor))
                start = None
            i = j
            continue
        if start is not None and _gap(line, i) >= 2:
            out.append((start, i, anchor))
            start = None
        if start is None:
            start = i
            anchor = border if border is not None else i
            border = None
        i += 1
    if start is not None:
        out.append((start, n, anchor))
    return out


def _words(line: Line, start: int, end: int) -> list[tuple[int, int, int]]:
    """The words of ``text[start:end]``, apart by a space as written: (start, end, space before)."""
    text = line.text
    out: list[tuple[int, int, int]] = []
    i = start
    word = start
    before = 0
    while i < end:
        if text[i] in _SPACES:
            j = i
            while j < end and text[j] in _SPACES:
                j += 1
            if i > word:
                out.append((word, i, before))
            before = j - i
            word = i = j
            continue
        gap = _gap(line, i) if i > word else 0
        if gap:
            out.append((word, i, before))
            before = gap
            word = i
        i += 1
    if end > word:
        out.append((word, end, before))
    return out
