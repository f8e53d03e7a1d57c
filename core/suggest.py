"""'Did you mean' for names a user types: configuration keys, rule codes and names, rule sets, formats."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest to ``word``, ignoring case, or None when none is close."""
    import difflib

    by_folded: dict[str, str] = {}
    for candidate in candidates:
        by_folded.setdefault(candidate.casefold(), candidate)
    match = difflib.get_close_matches(word.casefold(), list(by_folded), n=1, cutoff=0.6)
    return by_folded[match[0]] if match else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``（是否想写 “ignore”？）``, or "" when nothing is close enough to suggest."""
    match = closest(word, candidates)
    return f"（是否想写 “{match}”？）" if match and match != word else ""
