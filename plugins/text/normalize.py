"""Line-by-line normalisation that remembers where every character came from.

Done once, in the loader: traditional -> simplified (OpenCC ``t2s``), pinyin insertions removed
(``數(shù)`` -> ``数``), full-width digits and letters to ASCII (not NFKC, which would also flatten
Chinese punctuation), and spaces between CJK characters removed (PDF justification,
``结 果 维 持``). Each edit is recorded as a located :class:`Change` so rules such as TX01/TX02 can
report what the original file contained. Tabs are kept: they separate table cells.

Every line carries its :class:`~.places.Place` (None: line ``number`` of a text file), so the changes
and everything the reader locates in it are in the file's own coordinates from the start.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from nianbao.document import Anchor, Change, Location
from nianbao.lazypattern import lazy
from nianbao.loading import InputError

from .chars import is_ideograph, is_wide
from .places import Place

_SPACES = " \u00a0\u2002-\u200b\u3000"
_SPACE_RUN = re.compile(f"[{_SPACES}]+")
_SPACED_DIGITS = re.compile(r"(?<!\d)\d(?: \d)+(?!\d)")
# Control characters are no text: LibreOffice writes a Word content control's value as ``\x04 0 \x05``.
# The tab stays (it separates table cells).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]+")

_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = re.compile(rf"[(（]([a-zü{_TONE_VOWELS}]{{1,7}})[)）]")
# Without a tone mark, accept only a plausible syllable so that e.g. ``（a）`` list items survive.
_TONELESS_SYLLABLE = lazy(r"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:[aeiouüv])[a-z]*$")
_FULLWIDTH_ALNUM = lazy("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_FULLWIDTH_TABLE = {c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}


@dataclass(slots=True)
class Line:
    """One line of the file after normalisation.

    ``cols[i]`` is the 1-based column in the original line of ``text[i]``; ``cols`` has one more
    entry than ``text`` (the column just past the end) so that spans map back exactly. ``None``
    means the identity: nothing was inserted or removed (most lines), so no list is built.
    ``place`` says where the line as written is in the file; None for line ``number`` of a text file.
    """

    text: str
    number: int
    raw: str
    cols: list[int] | None = field(default=None, repr=False)
    place: Place | None = field(default=None, repr=False)

    def column(self, index: int) -> int:
        return self.cols[index] if self.cols is not None else index + 1

    def cut(self, start: int, end: int) -> Line:
        """The part ``text[start:end]`` as a line of its own, still located in the original line
        (a heading found in the middle of a one-line page)."""
        cols = [self.column(i) for i in range(start, end)] + [
            self.column(end - 1) + 1 if end > start else self.column(start)
        ]
        return dataclasses.replace(self, text=self.text[start:end], cols=cols)

    @property
    def written(self) -> str:
        """The line as the file writes it (only its own part, for a line :meth:`cut` from another)."""
        if self.cols is None or (self.cols[0] == 1 and self.cols[-1] == len(self.raw) + 1):
            return self.raw
        return self.raw[self.cols[0] - 1 : self.cols[-1] - 1]

    def location(self, start: int = 0, end: int | None = None) -> Location:
        """Where ``text[start:end]`` is in the file; the whole line as written when no span is given."""
        first = self.column(start) - 1
        if end is None:
            stop = self.column(len(self.text)) - 1  # what normalisation removed at the end included
        else:
            stop = self.column(end - 1) if end > start else first
        return self.raw_location(first, stop)

    def raw_location(self, start: int, end: int) -> Location:
        """Where ``raw[start:end]`` is in the file."""
        if self.place is None:
            return Location(
                text=self.raw[start:end], line=self.number, column=start + 1, end_line=self.number, end_column=end + 1
            )
        return self.place.location(self.raw, start, end)

    def anchors(self, start: int, end: int, at: int = 0, raw_base: int = 0) -> list[Anchor]:
        """The anchors of ``text[start:end]``, which stands at offset ``at`` of a paragraph's (or
        heading's) normalised text whose text as written has this line's ``raw[raw_base]`` at offset 0."""
        if self.cols is None:
            runs = [(start, end, start)]
        else:
            runs = _runs(self.cols, start, end)
        out: list[Anchor] = []
        place = self.place
        for a, b, r in runs:
            shift = at + a - start - r
            if place is None:
                out.append(Anchor(shift + r, r - raw_base, r + 1, self.number))
                continue
            for s, _, coordinates in place.stretches(r, r + b - a):
                out.append(Anchor(shift + s, s - raw_base, *coordinates))
        return out


def _runs(cols: list[int], start: int, end: int) -> list[tuple[int, int, int]]:
    """``text[start:end]`` cut where ``cols`` jumps (normalisation removed something): (start, end,
    index in the line as written of the first character)."""
    out = []
    i = start
    while i < end:
        first = cols[i]
        j = i + 1
        while j < end and cols[j] == first + j - i:
            j += 1
        out.append((i, j, first - 1))
        i = j
    return out


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    from nianbao.packagedata import package_text

    text = package_text(__package__, "traditional_chars.txt")
    return frozenset(text.split("\n", 1)[1].strip())


def has_traditional(text: str) -> bool:
    """Whether any character of ``text`` is one OpenCC t2s would change (checked without OpenCC)."""
    return not text.isascii() and not _traditional_chars().isdisjoint(text)


class _Converter:
    _instance = None

    @classmethod
    def get(cls):  # noqa: ANN206 - opencc has no type hints
        if cls._instance is None:
            import opencc

            cls._instance = opencc.OpenCC("t2s")
        return cls._instance


def _loc(number: int, raw: str, start_col: int, end_col: int, place: Place | None) -> Location:
    if place is not None:
        return place.location(raw, start_col - 1, end_col - 1)
    return Location(
        text=raw[start_col - 1 : end_col - 1], line=number, column=start_col, end_line=number, end_column=end_col
    )


def _is_layout_space(text: str, start: int, end: int) -> bool:
    """Spaces between two CJK characters, or between a CJK character and a digit, are layout."""
    if start == 0 or end == len(text):
        return False
    before, after = text[start - 1], text[end]
    if is_wide(before) and is_wide(after):
        return True
    return (is_ideograph(before) and after.isdigit()) or (before.isdigit() and is_ideograph(after))


def _letter_spaced_digit_gaps(text: str) -> list[tuple[int, int]]:
    """The spaces inside a number printed letter-spaced among Chinese (``某 局 2 0 2 0 年``).

    Single digits, one space apart, led by the line start or a spaced-out ideograph and followed by
    a spaced-out ideograph: a year or a date in a spaced-out title or 落款. Values of a table row stay
    apart: they end the line (``规 章 0 0 0``) or follow a label written close (``规章 0 0 0 件``).
    """
    gaps: list[tuple[int, int]] = []
    for m in _SPACED_DIGITS.finditer(text):
        start, end = m.span()
        led = start == 0 or _spaced_ideograph(text, start - 2, start - 1)
        if led and _spaced_ideograph(text, end + 1, end):
            gaps.extend((i, i + 1) for i in range(start + 1, end, 2))
    return gaps


def _spaced_ideograph(text: str, at: int, space: int) -> bool:
    """Whether ``text[at]`` is an ideograph set apart by spaces, with ``text[space]`` one of them."""
    if not (0 <= at < len(text) and 0 <= space < len(text) and text[space] == " " and is_ideograph(text[at])):
        return False
    other = at - 1 if space > at else at + 1
    return not 0 <= other < len(text) or text[other] == " "


def _identity(index: int) -> int:
    return index + 1


def _delete_spans(text: str, cols: list[int] | None, spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    if cols is None:
        cols = list(range(1, len(text) + 2))
    pieces: list[str] = []
    new_cols: list[int] = []
    pos = 0
    for start, end in spans:
        pieces.append(text[pos:start])
        new_cols.extend(cols[pos:start])
        pos = end
    pieces.append(text[pos:])
    new_cols.extend(cols[pos:])
    return "".join(pieces), new_cols


def normalise_line(
    raw: str,
    number: int,
    changes: list[Change],
    converted: str | None = None,
    controls: bool = True,
    place: Place | None = None,
) -> Line:
    """Normalise one line; ``converted`` is the line after OpenCC t2s when the document needed it;
    ``controls`` False when the document holds no control character (most do not); ``place`` where
    the line is in the file (None: line ``number`` of a text file)."""
    controls = controls and bool(_CONTROL.search(raw))
    if not raw or (raw.isascii() and converted is None and not controls):
        return Line(text=raw, number=number, raw=raw, place=place)
    text = raw
    cols: list[int] | None = None

    if converted is not None and converted != raw:
        if len(converted) == len(raw):
            for i, (a, b) in enumerate(zip(raw, converted, strict=True)):
                if a != b:
                    changes.append(Change("traditional", a, b, _loc(number, raw, i + 1, i + 2, place)))
        else:  # phrase conversion changed the length: keep columns from the line start
            changes.append(Change("traditional", raw, converted, _loc(number, raw, 1, len(raw) + 1, place)))
            cols = [min(i + 1, len(raw) + 1) for i in range(len(converted) + 1)]
        text = converted
    column = cols.__getitem__ if cols is not None else _identity

    spans = []
    for m in _PINYIN.finditer(text) if "(" in text or "（" in text else ():
        syllable = m.group(1)
        if m.start() == 0 or not is_ideograph(text[m.start() - 1]):
            continue  # pinyin annotates the character just before it
        if not any(c in _TONE_VOWELS for c in syllable) and not _TONELESS_SYLLABLE.match(syllable):
            continue
        spans.append(m.span())
        start_col = column(m.start() - 1)  # include the character the pinyin annotates
        changes.append(
            Change(
                kind="pinyin",
                original=m.group(0),
                replacement="",
                location=_loc(number, raw, start_col, column(m.end() - 1) + 1, place),
            )
        )
    if spans:
        text, cols = _delete_spans(text, cols, spans)
        column = cols.__getitem__

    ascii_digits = text.translate(_FULLWIDTH_TABLE)
    if ascii_digits != text:
        for m in _FULLWIDTH_ALNUM.finditer(text):
            changes.append(
                Change(
                    "fullwidth",
                    m.group(0),
                    m.group(0).translate(_FULLWIDTH_TABLE),
                    _loc(number, raw, column(m.start()), column(m.end() - 1) + 1, place),
                )
            )
        text = ascii_digits

    spans = []
    if _SPACE_RUN.search(text):  # most lines of a report have no space at all
        spans = [m.span() for m in _SPACE_RUN.finditer(text) if _is_layout_space(text, *m.span())]
        spans += _letter_spaced_digit_gaps(text)
    if controls:
        spans += [m.span() for m in _CONTROL.finditer(text)]
    if spans:
        spans.sort()
        for start, end in spans:
            location = _loc(number, raw, column(start), column(end - 1) + 1, place)
            changes.append(Change("space", text[start:end], "", location))
        text, cols = _delete_spans(text, cols, spans)

    return Line(text=text, number=number, raw=raw, cols=cols, place=place)


# A report is 5,000-50,000 characters on a few hundred to a few thousand lines, whatever the format, and
# reading and checking it is linear, at about 10 s per million characters of real report text on a busy
# machine. Text far beyond a report (or a report inside something else) is refused before it is read,
# so no input takes more than a few seconds or a few hundred MB (49 MB of short lines took 103 s and
# 3.9 GB).
MAX_TEXT_CHARS = 500_000
MAX_TEXT_LINES = 20_000


def check_size(text: str) -> None:
    """NB01 for text longer than any report, before a line of it is read."""
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(
            f"文件中的文字有 {len(text):,} 个字符，超过 {MAX_TEXT_CHARS:,} 个字符的上限（一份年度报告通常只有几万字），"
            "不像一份年度报告；请确认选对了文件"
        )
    lines = text.count("\n") + 1
    if lines > MAX_TEXT_LINES:
        raise InputError(
            f"文件中的文字有 {lines:,} 行，超过 {MAX_TEXT_LINES:,} 行的上限（一份年度报告通常只有几百到几千行），"
            "不像一份年度报告；请确认选对了文件"
        )


def normalise(text: str, places: Sequence[Place] | None = None) -> tuple[list[Line], list[Change], bool]:
    """Split ``text`` into normalised lines; return them, the changes, and whether t2s changed anything.

    ``places`` says where each line of ``text`` is in the file, for a loader whose lines are not the
    file's own (a page's blocks, Word paragraphs, PDF page lines); None for a text file.

    OpenCC runs once over the whole text (it keeps line breaks), and only when the text holds a
    character it would convert; lines are then compared with their converted form to record each
    change.
    """
    check_size(text)
    raw_lines = [line.rstrip("\r") for line in text.split("\n")]
    converted_lines: list[str | None] = [None] * len(raw_lines)
    convert = False
    if has_traditional(text):
        converted = _Converter.get().convert(text)
        if converted != text:
            convert = True
            parts = [line.rstrip("\r") for line in converted.split("\n")]
            if len(parts) == len(raw_lines):
                converted_lines = parts
            else:  # never seen; convert line by line rather than misalign
                converted_lines = [_Converter.get().convert(line) for line in raw_lines]
    changes: list[Change] = []
    controls = bool(_CONTROL.search(text))
    if places is None:
        lines = [
            normalise_line(raw, i, changes, conv, controls)
            for i, (raw, conv) in enumerate(zip(raw_lines, converted_lines, strict=True), start=1)
        ]
    else:
        lines = [
            normalise_line(raw, i, changes, conv, controls, place)
            for i, (raw, conv, place) in enumerate(zip(raw_lines, converted_lines, places, strict=True), start=1)
        ]
    return lines, changes, convert
