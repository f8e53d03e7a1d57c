"""Outputs (``--format``) are plugins: each renders a finished lint run as text.

This module also holds what every machine format needs and no format should reinvent: where the
repository root is, a file's repo-relative path and URI, and writing an output file safely.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, Protocol, runtime_checkable

if TYPE_CHECKING:
    from .lint import LintRun

STDIN = "-"


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What a run does not know but an output may need."""

    # Paths in CI outputs are relative to this folder (the repository root), with symlinks resolved.
    root: str = "."
    # For the console: a person is reading (grouped view with the offending text) and how wide the
    # screen is; ``quiet`` leaves only the findings, ``statistics`` only the counts per rule.
    terminal: bool = False
    width: int = 120
    quiet: bool = False
    statistics: bool = False
    # The values of the options plugins add to ``nianbao lint`` (hook ``nianbao_lint_options``), by dest.
    plugin_options: Mapping[str, Any] = field(default_factory=dict)


class ConsoleStyle(NamedTuple):
    terminal: bool  # a person reads it: the grouped view
    color: bool  # ANSI colour codes
    width: int


def console_style(
    choice: str, stream: object, columns: int = 120, environ: Mapping[str, str] | None = None
) -> ConsoleStyle:
    """How to write to ``stream``. ``--color always``/``never`` win; otherwise a terminal gets the
    grouped view in colour, ``FORCE_COLOR`` forces both (CI logs), ``NO_COLOR`` removes only the
    colour and ``TERM=dumb`` any escape code. A terminal is ``columns`` wide (the CLI measures it)."""
    env = os.environ if environ is None else environ
    isatty = getattr(stream, "isatty", None)
    tty = bool(isatty and isatty())
    forced = bool(env.get("FORCE_COLOR"))
    terminal = tty or forced or choice == "always"
    if choice == "always":
        color = True
    elif choice == "never":
        color = False
    else:
        color = terminal and not env.get("NO_COLOR") and (forced or env.get("TERM") != "dumb")
    width = columns if terminal else 120
    return ConsoleStyle(terminal, color, max(width, 40))


@runtime_checkable
class Output(Protocol):
    """An output (``--format NAME``): renders a finished lint run as text."""

    name: str
    description: str
    # Machine formats are always written as UTF-8 bytes; human formats follow the console encoding.
    machine: bool

    def render(self, run: LintRun, color: bool, options: RenderOptions | None = None) -> str: ...


def warnings_for(output: Output, run: LintRun, options: RenderOptions) -> list[str]:
    """An output may have something to tell the user (e.g. results it had to drop); optional method."""
    method = getattr(output, "warnings", None)
    return list(method(run, options)) if callable(method) else []


def find_root(start: str) -> str:
    """The nearest folder at or above ``start`` that holds ``.git`` (a folder, or a file in a worktree);
    ``start`` itself when there is none. CI systems show findings relative to the checkout."""
    here = os.path.realpath(start)
    folder = here
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return here
        folder = parent


_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}
_SURROGATES = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` safe for every output: control characters (ANSI escapes that would recolour or clear a
    terminal, bells, line breaks inside a file name) as ``\\x1b``, and the bytes of a file name that is
    not valid UTF-8 (Python keeps them as lone surrogates, which no UTF-8 output can hold) as ``\\xff``."""
    text = text.translate(_CONTROLS)
    if _SURROGATES.search(text):
        text = _SURROGATES.sub(_escape_surrogate, text)
    return text


def _escape_surrogate(m: re.Match[str]) -> str:
    code = ord(m.group(0))
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def repo_path(path: str, root: str) -> str:
    """``path`` relative to ``root`` with forward slashes and symlinks resolved; an absolute POSIX path
    when the file lies outside ``root`` (a relative path would need ``..``, which CI systems refuse)."""
    if path == STDIN:
        return STDIN
    real = os.path.realpath(path)
    base = os.path.realpath(root)
    try:
        rel = os.path.relpath(real, base)
    except ValueError:  # another drive on Windows
        rel = None
    if rel is None or rel == ".." or rel.startswith(".." + os.sep):
        return printable(real.replace(os.sep, "/"))
    return printable(rel.replace(os.sep, "/"))


def is_relative(rel: str) -> bool:
    return not (rel.startswith("/") or (len(rel) > 1 and rel[1] == ":"))


def artifact_uri(rel: str) -> str:
    """A percent-encoded URI reference for a path from :func:`repo_path` (UTF-8, RFC 3986)."""
    from urllib.parse import quote

    if is_relative(rel):
        return quote(rel, safe="/")
    return "file://" + quote(rel if rel.startswith("/") else "/" + rel, safe="/:")


@contextmanager
def atomic_writer(path: str) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through: a temporary file beside it, renamed into place when the
    block ends without an error, so a CI step never picks up half a report. A device, pipe or other
    special file (``/dev/stdout``, a FIFO) is written in place: renaming over it would replace it."""
    import stat
    import tempfile

    try:
        special = not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        special = False  # does not exist yet
    if special:
        with open(path, "wb") as fh:
            yield fh
        return
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".nianbao-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would hide the report from other CI users
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def rendered(fmt: Output, run: LintRun, color: bool, options: RenderOptions) -> Iterable[str]:
    """An output's text in the pieces it can be written in: a format with ``stream(run, color,
    options)`` gives its text a part at a time (a file's findings, say), any other renders it whole."""
    stream = getattr(fmt, "stream", None)
    if callable(stream):
        return stream(run, color, options)
    return [fmt.render(run, color=color, options=options)]
