"""What every benchmark here shares: timing a call or a command, and the environment commands run in.

Benchmarks import this as a sibling module (``python benchmarks/bench_x.py`` puts this folder first on
sys.path). Figures are medians: the machine is noisy.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence


def timings_ms(fn: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter) -> list[float]:
    times = []
    for _ in range(runs):
        start = clock()
        fn()
        times.append((clock() - start) * 1000)
    return times


def median_ms(
    fn: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter
) -> tuple[float, float]:
    """Median and minimum milliseconds of ``runs`` calls: wall time, or ``time.process_time`` for the CPU
    time of this process alone (steadier when colleagues' jobs share the cores)."""
    times = timings_ms(fn, runs, clock)
    return statistics.median(times), min(times)


def command_env() -> dict[str, str]:
    """The environment for timing commands: installed packages run from byte-compiled modules, as on a
    user's machine (this workplace sets PYTHONDONTWRITEBYTECODE, which would recompile every start)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def command_ms(cmd: Sequence[str], runs: int) -> tuple[float, float]:
    """Median and minimum wall milliseconds of running ``cmd`` (start-up included)."""
    env = command_env()
    return median_ms(lambda: subprocess.run(list(cmd), capture_output=True, env=env), runs)
