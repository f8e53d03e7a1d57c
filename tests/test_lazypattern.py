"""nianbao.lazypattern: a pattern compiled on first use behaves as the compiled pattern."""

from __future__ import annotations

import re

from nianbao.lazypattern import LazyPattern, lazy


def test_a_lazy_pattern_compiles_on_first_use_and_matches_as_re_does() -> None:
    pattern = lazy(r"(\d+)年", re.ASCII)
    assert "search" not in vars(pattern)  # nothing compiled at definition
    assert pattern.search("2020年度").group(1) == "2020"
    assert "search" in vars(pattern)  # kept: later calls go straight to the compiled pattern
    assert pattern.sub("X", "2020年和2021年") == "X和X"
    assert [m.group(1) for m in pattern.finditer("１２年 12年")] == ["12"]  # the flags are kept (ASCII \d)
    assert pattern.flags == re.compile(r"(\d+)年", re.ASCII).flags
    assert pattern.groupindex == {}  # an attribute not kept is still the compiled pattern's


def test_a_copy_of_a_lazy_pattern_is_usable() -> None:
    import copy

    pattern = LazyPattern(r"a+")
    assert copy.copy(pattern).fullmatch("aaa")
