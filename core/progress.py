"""A progress bar on standard error while a batch is linted, for a person at a terminal.

One line, redrawn in place at most ten times a second and erased when the run ends, so that what
follows (the findings) starts on a clean line: files done, the rate, the time left and how many
files could not be checked so far. Plain characters a Windows GBK console shows; no escape codes.
The command line draws it only when standard error is a terminal and ``--quiet`` is not given.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TextIO

REDRAW = 0.1  # seconds between redraws
BAR = 20  # characters of the bar itself


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal: Chinese characters take two."""
    return sum(2 if ord(c) >= 0x1100 else 1 for c in text)


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds >= 3600:
        return f"{seconds // 3600}小时{seconds % 3600 // 60:02d}分"
    if seconds >= 60:
        return f"{seconds // 60}分{seconds % 60:02d}秒"
    return f"{seconds}秒"


class ProgressBar:
    """Draws ``检查中 [=====>    ] 1200/5000  85.3 个/秒  剩余约 45秒  无法检查 2``."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.perf_counter) -> None:
        self.stream = stream
        self.total = self.done = self.failed = 0
        self._started = self._drawn_at = 0.0
        self._shown = 0  # columns of the line on screen
        self._clock = clock

    def start(self, total: int) -> None:
        self.total = total
        self._started = self._clock()

    def advance(self, failed: bool) -> None:
        self.done += 1
        self.failed += failed
        now = self._clock()
        if self.total > 1 and (now - self._drawn_at >= REDRAW or self.done == self.total):
            self._drawn_at = now
            self._draw(self.line(now - self._started))

    def line(self, elapsed: float) -> str:
        share = self.done / self.total if self.total else 1.0
        filled = int(BAR * share)
        bar = "=" * filled + (">" if filled < BAR else "") + " " * (BAR - filled - 1)
        text = f"检查中 [{bar}] {self.done}/{self.total}"
        if elapsed > 0 and self.done:
            rate = self.done / elapsed
            text += f"  {rate:.1f} 个/秒"
            if self.done < self.total:
                text += f"  剩余约 {_duration((self.total - self.done) / rate)}"
        if self.failed:
            text += f"  无法检查 {self.failed}"
        return text

    def _draw(self, text: str) -> None:
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns - 1
        except (OSError, ValueError, AttributeError):
            columns = 0
        if columns < 20:  # unknown (a terminal that does not say) or absurdly narrow
            columns = 79
        while _width(text) > columns and len(text) > 1:
            text = text[:-1]
        width = _width(text)
        self.stream.write("\r" + text + " " * max(0, self._shown - width))
        self.stream.flush()
        self._shown = width

    def finish(self) -> None:
        if self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0
