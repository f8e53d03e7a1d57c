"""Which files a lint run reads: the paths as given, folders walked with exclusions (gitignore patterns,
as ruff has them), globs a shell did not expand (Windows ``cmd`` passes ``reports\\*.txt`` as it is),
and the files a walk passes over with a reason a person can act on.

``pathspec`` is imported only when a pattern has to be matched: linting one named file never pays for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

STDIN = "-"
# Folders and files no report collection means to lint: version control, virtualenvs and tool caches,
# Office's lock files (~$报告.docx, present while the report is open) and macOS archive debris.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".*/",
    "__pycache__/",
    "node_modules/",
    "venv/",
    "site-packages/",
    "__MACOSX/",
    "~$*",
)
_GLOB = frozenset("*?[")
# nianbao's own cache (nianbao.cache) is never walked, whatever --exclude replaces the defaults with.
CACHE_FOLDER = ".nianbao_cache"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file a walk did not lint, and why (with what to do)."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class PatternSet:
    """Gitignore-style patterns and the folder they are relative to."""

    patterns: tuple[str, ...]
    base: str


@dataclass(slots=True)
class Found:
    files: list[str] = field(default_factory=list)
    # Files found by walking a folder (or given with --force-exclude): one that is plainly not a
    # report is skipped with a note rather than failing the run. A file named explicitly stays strict.
    lenient: set[str] = field(default_factory=set)
    skipped: list[Skipped] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # globs that matched nothing


class Exclusions:
    """Compiled pattern sets; a path is excluded when any set matches it relative to its base."""

    def __init__(self, sets: Iterable[PatternSet]) -> None:
        self._sets = [s for s in sets if s.patterns]
        self._compiled: list[tuple[Any, str]] | None = None
        self._anchors: dict[tuple[int, str], str] = {}  # (pattern set, folder named) -> where its patterns start

    def _specs(self) -> list[tuple[Any, str]]:
        if self._compiled is None:
            from pathspec import GitIgnoreSpec

            self._compiled = [(GitIgnoreSpec.from_lines(s.patterns), os.path.abspath(s.base)) for s in self._sets]
        return self._compiled

    def excluded(self, path: str, root: str | None = None, directory: bool = False) -> bool:
        """Whether ``path`` is excluded. Below a folder the user named (``root``), a pattern that
        matches the named folder itself does not count: what a user names is linted."""
        if not self._sets:
            return False
        absolute = os.path.abspath(path)
        for n, (spec, base) in enumerate(self._specs()):
            anchor = base
            if root is not None:
                named = self._anchors.get((n, root))
                if named is None:  # the same for every file below the folder: worked out once
                    root_abs = os.path.abspath(root)
                    named = root_abs if root_abs != base and _matches(spec, root_abs, base, True) else base
                    self._anchors[(n, root)] = named
                anchor = named if _inside(absolute, base) else os.path.abspath(root)
            if _inside(absolute, anchor) and _matches(spec, absolute, anchor, directory):
                return True
        return False


def _inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # another drive on Windows
        return False


def _matches(spec: Any, path: str, base: str, directory: bool) -> bool:
    rel = os.path.relpath(path, base).replace(os.sep, "/")
    if rel == ".":
        return False
    return bool(spec.match_file(rel + "/" if directory else rel))


def discover(
    paths: Sequence[str],
    extensions: Iterable[str],
    conversions: Mapping[str, str],
    exclusions_for: Any,
    force_exclude: bool = False,
) -> Found:
    """Files to lint, in the order given; below a folder every file with a supported extension, sorted.

    ``conversions`` maps other extensions a report may come in (.doc, .wps, images) to what to do
    with them; such files are named as skipped. ``exclusions_for(folder)`` gives the
    :class:`Exclusions` that apply below a folder (its configuration's patterns).
    """
    supported = {e.lower() for e in extensions}
    found = Found()
    for given in paths:
        if given != STDIN and not os.path.exists(given) and _GLOB & set(given):
            import glob

            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                found.unmatched.append(given)
            for match in matches:  # as if the shell had expanded it: each match is named
                _add(found, match, supported, conversions, exclusions_for, force_exclude)
            continue
        _add(found, given, supported, conversions, exclusions_for, force_exclude)
    return found


def _add(
    found: Found,
    path: str,
    supported: set[str],
    conversions: Mapping[str, str],
    exclusions_for: Any,
    force_exclude: bool,
) -> None:
    if path == STDIN or not os.path.isdir(path):
        if force_exclude and path != STDIN:
            if exclusions_for(os.path.dirname(os.path.abspath(path))).excluded(path):
                return
            found.lenient.add(path)
        found.files.append(path)
        return
    exclusions = exclusions_for(path)
    walked: list[str] = []
    skipped: list[Skipped] = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(
            d
            for d in dirs
            if d != CACHE_FOLDER and not exclusions.excluded(os.path.join(folder, d), path, directory=True)
        )
        for name in files:
            candidate = os.path.join(folder, name)
            if exclusions.excluded(candidate, path):
                continue
            ext = _extension(name)
            if ext in supported:
                walked.append(candidate)
            elif ext in conversions:
                skipped.append(Skipped(candidate, conversions[ext]))
    found.files += sorted(walked)
    found.lenient.update(walked)
    found.skipped += sorted(skipped, key=lambda s: s.path)


def _extension(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def exclusion_sets(
    cli_exclude: Sequence[str] | None,
    cli_extend: Sequence[str],
    config_exclude: Sequence[str] | None,
    config_extend: Sequence[str],
    config_base: str | None,
    cwd: str,
) -> list[PatternSet]:
    """ruff's precedence: ``--exclude`` replaces ``exclude:``, which replaces the defaults;
    ``extend-exclude`` (configuration, then command line) adds to whichever is in force."""
    if cli_exclude is not None:
        base = [PatternSet(tuple(cli_exclude), cwd)]
    elif config_exclude is not None:
        base = [PatternSet(tuple(config_exclude), config_base or cwd)]
    else:
        base = [PatternSet(DEFAULT_EXCLUDE, cwd)]
    return [*base, PatternSet(tuple(config_extend), config_base or cwd), PatternSet(tuple(cli_extend), cwd)]
