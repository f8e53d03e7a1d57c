"""What the CI formats share: content fingerprints and plain-text descriptions of binary locations."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from nianbao.document import Location
from nianbao.lazypattern import lazy
from nianbao.rules import Finding

if TYPE_CHECKING:
    from nianbao.lint import LintRun
    from nianbao.outputs import RenderOptions

_SPACE = lazy(r"\s+")
# Bumped when the recipe changes: CI systems would otherwise match old alerts to new findings wrongly.
FINGERPRINT_VERSION = "v1"


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def fingerprints(findings: Sequence[Finding], path: str) -> list[str]:
    """One hex SHA-256 per finding, from what the finding is and never from where its line is: rule,
    repo-relative path, the anchored text, the structural location and the message, plus an
    occurrence index among findings identical in all of these. Inserting lines above a finding keeps
    its fingerprint; editing the text or numbers it is about changes it."""
    seen: Counter[str] = Counter()
    out = []
    for f in findings:
        loc = f.location
        key = "\x1f".join(
            (
                FINGERPRINT_VERSION,
                f.code,
                path,
                _normal(loc.text) if loc and loc.text else "",
                f.logical.dotted() if f.logical else "",
                _normal(f.message),
            )
        )
        seen[key] += 1
        out.append(hashlib.sha256(f"{key}\x1f{seen[key]}".encode()).hexdigest())
    return out


def has_text_lines(loc: Location | None) -> bool:
    """Whether ``loc.line`` is a line of the file itself (text, HTML), as CI systems count lines; a PDF's
    line-on-page or a DOCX paragraph is not."""
    return loc is not None and loc.line is not None and loc.page is None


def describe_position(loc: Location | None) -> str:
    """Where a finding is in a binary file, in words a reader of the PDF or DOCX can follow: the page
    and line, the paragraph, or the table, row and cell, then the character (``第26字``) when the
    finding starts inside the line, paragraph or cell rather than at its beginning."""
    if loc is None:
        return ""
    where = f"第{loc.page}页" if loc.page is not None else ""
    if loc.page is not None and loc.line:
        where += f"第{loc.line}行"
    elif loc.table is not None:
        where += (
            f"第{loc.table}个表格" + (f"第{loc.row}行" if loc.row else "") + (f"第{loc.cell}格" if loc.cell else "")
        )
    elif loc.paragraph is not None:
        where += f"第{loc.paragraph}段"
    if where and loc.column and loc.column > 1:
        where += f"第{loc.column}字"
    return where


def with_position(message: str, loc: Location | None) -> str:
    """A finding's message for a CI system that can only show file lines: a PDF page or DOCX paragraph
    is said in words after the message."""
    where = "" if has_text_lines(loc) else describe_position(loc)
    return f"{message}（{where}）" if where else message


def region(loc: Location | None) -> tuple[int, int, int, int]:
    """(start line, start column, end line, end column exclusive), 1-based code points; the file's first
    character when the finding has no line in the file (binary formats, a missing section)."""
    if not has_text_lines(loc):
        return 1, 1, 1, 2
    assert loc is not None and loc.line is not None
    start_line = max(loc.line, 1)
    start_col = max(loc.column or 1, 1)
    end_line = max(loc.end_line or start_line, start_line)
    end_col = loc.end_column or 0
    if end_line == start_line and end_col <= start_col:
        first = loc.text.splitlines()[0] if loc.text else ""
        end_col = start_col + max(len(first), 1)
    return start_line, start_col, end_line, max(end_col, 1)


class Streamed:
    """A format written a part at a time (``stream``); ``render`` is the parts joined."""

    def stream(self, run: LintRun, color: bool, options: RenderOptions | None = None) -> Iterator[str]:
        raise NotImplementedError

    def render(self, run: LintRun, color: bool, options: RenderOptions | None = None) -> str:
        return "".join(self.stream(run, color, options))


def pretty_json(value: object, indent: str = "") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, byte for byte, about three times faster:
    the standard library encodes indented JSON in Python generators, one call per value, and a run over
    thousands of reports writes millions of values. ``indent`` is the indentation the value starts at
    (a part of a larger document)."""
    out: list[str] = []
    _pretty(value, indent, out)
    return "".join(out)


def _pretty(value: object, indent: str, out: list[str]) -> None:
    tp = type(value)
    if tp is str:
        out.append(_encode_string(value))
    elif tp is dict:
        if not value:
            out.append("{}")
            return
        inner = indent + "  "
        separator = "{\n" + inner
        for key, item in value.items():  # type: ignore[attr-defined]
            out.append(separator)
            out.append(_encode_string(key if type(key) is str else _key(key)))
            out.append(": ")
            _pretty(item, inner, out)
            separator = ",\n" + inner
        out.append("\n" + indent + "}")
    elif tp is list or tp is tuple:
        if not value:
            out.append("[]")
            return
        inner = indent + "  "
        separator = "[\n" + inner
        for item in value:  # type: ignore[attr-defined]
            out.append(separator)
            _pretty(item, inner, out)
            separator = ",\n" + inner
        out.append("\n" + indent + "]")
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif tp is int:
        out.append(int.__repr__(value))  # type: ignore[arg-type]
    else:
        out.append(json.dumps(value, ensure_ascii=False))  # floats (NaN, Infinity) and anything else as json does


def _key(key: object) -> str:
    """A non-string key as ``json`` writes it (``1`` -> ``"1"``, ``True`` -> ``"true"``)."""
    if key is True or key is False or key is None:
        return json.dumps(key)
    return str(key)


_encode_string = json.encoder.encode_basestring  # type: ignore[attr-defined]
