"""Garbage collection for one run of the command line (never applied to nianbao used as a library).

Start-up allocates tens of thousands of objects that live until the process exits: modules,
classes, compiled patterns, the format data, the rules, the gazetteer. With CPython's default
thresholds (700, 10, 10) the collector walks them again and again while they are being built and
finds nothing to free. A run therefore uses a larger first generation, and once start-up is done
moves everything alive into the permanent generation (``gc.freeze``), so that later collections
only look at what the reports create. ``benchmarks/bench_startup.py`` measures the effect.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# 50,000 objects between young collections instead of 700 (a few MB of cyclic garbage at most
# waits a little longer); the older generations keep their default ratios. Measured on 200 text
# reports in one run: 546 collections taking 590 ms with the defaults, 2 taking 76 ms like this.
THRESHOLD = (50_000, 10, 10)


@contextmanager
def command_gc() -> Iterator[None]:
    """The command line's collection policy for the duration of a command, restored afterwards (the
    tests run many commands in one process)."""
    previous = gc.get_threshold()
    gc.set_threshold(*THRESHOLD)
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*previous)


def startup_done() -> None:
    """Everything alive now lives to the end of the run: exempt it from every later collection."""
    gc.freeze()


def process_exit() -> None:
    """The process ends now: spare the interpreter's final collection a walk over everything alive
    (in-process callers of the command get their collector back unfrozen; a process about to exit
    has no use for that)."""
    gc.freeze()
