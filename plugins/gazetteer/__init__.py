"""China's administrative divisions: which region a report belongs to, and what kind of organ wrote it.

The data (``divisions.tsv``, ``former.tsv``; ``SOURCE.md`` says where they come from) lists the
province-, prefecture- and county-level divisions of today and those of the former table that have
since been abolished or renamed, so that reports of earlier years still resolve. By job:

- ``index``: the lookup tables derived from the data, built with the package;
- ``divisions``: the data and tables as a run loads them, once;
- ``scan``: finding division names in a text;
- ``region``: from the names found to one division (:func:`find_region`, :func:`place_start`);
- ``organ_level``: what kind of organ a name denotes (:func:`organ_level`).
"""

from __future__ import annotations

from typing import Any

from .organ_level import organ_level
from .region import find_region, place_start

__all__ = ["build_index", "find_region", "organ_level", "place_start"]


def __getattr__(name: str) -> Any:
    # nianbao.packagedata names the index builder through the package; it is not needed on a lint.
    if name == "build_index":
        from .index import build_index

        return build_index
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
