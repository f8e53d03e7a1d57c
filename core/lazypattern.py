"""Regular expressions compiled when first used, for module-level patterns most reports never need.

Compiling a pattern costs 0.05-0.3 ms, paid at import on every start whether or not the pattern is
used: a plain lint of a text report never needs the readers' patterns for tables in pipes, run-together
digits or amounts in 万元, or the rules' patterns for rare wordings. :func:`lazy` stands in for
``re.compile`` there. Patterns every report uses gain nothing from it and stay ``re.compile``.

The stand-in offers the methods and attributes of a compiled pattern. On first use it compiles the
pattern and keeps them as its own attributes, so later calls cost what they cost on the compiled
pattern (one attribute lookup). It is not a ``re.Pattern``: give it to code that calls its methods,
never to ``re.sub(pattern, ...)`` or ``isinstance`` checks.
"""

from __future__ import annotations

import re
from typing import Any, cast

_KEPT = ("match", "search", "fullmatch", "finditer", "findall", "sub", "subn", "split", "pattern", "flags", "groups")


class LazyPattern:
    """``re.compile(pattern, flags)``, done on first use."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        # Only called for what the instance does not hold yet: the first use, or an attribute not kept.
        if name == "_source":  # an instance not made by __init__ (a copy being built)
            raise AttributeError(name)
        compiled = re.compile(*self._source)
        for attr in _KEPT:
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r})"


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern compiled when first used (typed as the ``re.Pattern`` whose methods it offers)."""
    return cast("re.Pattern[str]", LazyPattern(pattern, flags))
