"""A small report repository linted once into every CI format, shared by the output tests."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .conftest import SEEDS

# seed 002 under a Chinese name with a space: URIs must be percent-encoded, text must round-trip
REPORTS = {
    "reports/2020/渝北 应急局.txt": SEEDS[0],
    "reports/2020/dadukou.txt": SEEDS[1],
    "reports/2020/年报.txt": SEEDS[2],
}
UNREADABLE = "reports/2020/坏文件.txt"


@dataclass
class LintedRepo:
    root: Path
    returncode: int
    stdout: bytes
    stderr: str

    def read(self, name: str) -> bytes:
        return (self.root / name).read_bytes()


def make_repo(root: Path, unreadable: bool = True) -> None:
    (root / ".git").mkdir()  # a checkout: nianbao takes paths relative to the folder holding .git
    for name, seed in REPORTS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(seed.read_bytes())
    if unreadable:
        (root / UNREADABLE).write_bytes(bytes(range(256)) * 4)


def lint(root: Path, *args: str) -> LintedRepo:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "nianbao", "lint", *args],
        capture_output=True,
        cwd=root,
        env=env,
        timeout=120,
    )
    return LintedRepo(root, result.returncode, result.stdout, result.stderr.decode("utf-8"))
