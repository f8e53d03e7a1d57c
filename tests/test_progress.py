"""The progress bar: drawn on standard error for a person at a terminal, in Chinese a GBK console can
show; nothing at all when standard error is a pipe or a file."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nianbao.progress import ProgressBar

from .batch import make_batch
from .test_console import drain


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_line_says_files_rate_time_left_and_failures() -> None:
    clock = Clock()
    bar = ProgressBar(io.StringIO(), clock)
    bar.start(400)
    for n in range(100):
        clock.now += 0.05  # 20 files a second
        bar.advance(failed=n in (10, 20))
    assert bar.line(clock.now - 100.0) == "检查中 [=====>              ] 100/400  20.0 个/秒  剩余约 15秒  无法检查 2"
    bar.done = 400
    assert bar.line(20.0) == "检查中 [====================] 400/400  20.0 个/秒  无法检查 2"
    bar.done, bar.failed = 10, 0
    assert bar.line(30.0).endswith("10/400  0.3 个/秒  剩余约 19分30秒")
    assert bar.line(2.0).encode("gbk")  # a Windows console in code page 936 shows every character


def test_redrawn_in_place_and_erased_at_the_end() -> None:
    clock = Clock()
    stream = io.StringIO()
    bar = ProgressBar(stream, clock)
    bar.start(3)
    for _ in range(3):
        clock.now += 1
        bar.advance(failed=False)
    bar.finish()
    text = stream.getvalue()
    assert text.startswith("\r检查中 [======>") and "\x1b" not in text and "\n" not in text
    parts = text.split("\r")  # three redraws, then the line wiped
    assert len(parts) == 6 and parts[-1] == "" and parts[3].startswith("检查中 [====================] 3/3")
    assert parts[-2] == " " * len(parts[3].rstrip(" ").encode("gbk"))  # a Chinese character takes two columns


def _lint(batch: Path, stderr: int) -> tuple[bytes, bytes]:
    """stdout (a pipe) and what was written to stderr (``stderr``: a terminal or a pipe)."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    process = subprocess.Popen(
        [sys.executable, "-m", "nianbao", "lint", "reports", "--no-cache", "--jobs", "1"],
        stdout=subprocess.PIPE,
        stderr=stderr,
        cwd=batch.parent,
        env={**env, "PYTHONIOENCODING": "utf-8", "TERM": "xterm"},
    )
    out, err = process.communicate(timeout=300)
    return out, err or b""


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_batch(tmp_path_factory.mktemp("progress"))


def test_a_terminal_sees_the_bar(batch: Path) -> None:
    if os.name != "posix":
        pytest.skip("pseudo-terminals are POSIX")
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        out, _ = _lint(batch, follower)
        os.close(follower)
        err = drain(leader).decode("utf-8")
    finally:
        os.close(leader)
    assert "检查中 [====================] 15/15" in err and "无法检查 1" in err  # the unreadable PDF
    assert err.endswith("\r") and not err.split("\r")[-2].strip()  # wiped before the findings are printed
    assert b"reports/corrupt.pdf:1:1: NB01" in out


def test_a_pipe_sees_no_bar(batch: Path) -> None:
    out, err = _lint(batch, subprocess.PIPE)
    assert "检查中" not in err.decode("utf-8") and b"NB01" in out
