"""The pre-commit hook, run for real: pre-commit builds the hook's environment from this checkout
(one pip install from the package index) and runs it on a repository holding a good and a bad report.
This is the slow test (about a minute); ``pytest -m "not slow"`` leaves it out."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import SEEDS

CHECKOUT = Path(__file__).resolve().parent.parent
GIT = shutil.which("git")
IDENTITY = ["-c", "user.name=nianbao tests", "-c", "user.email=tests@nianbao.invalid", "-c", "commit.gpgsign=false"]


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run([GIT, *IDENTITY, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=True)
    return result.stdout


def copy_checkout(target: Path) -> None:
    """The working tree as it is (committed or not) in a fresh repository: pre-commit installs from git."""
    target.mkdir()
    if (CHECKOUT / ".git").exists():
        listed = git(CHECKOUT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
        for name in filter(None, listed):
            source = CHECKOUT / name
            if source.is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)
    else:
        shutil.copytree(
            CHECKOUT,
            target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("*.egg-info", "__pycache__", "build", "dist", ".*cache", "venv*", ".venv"),
        )
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "checkout")


def test_hook_definition() -> None:
    [hook] = yaml.safe_load((CHECKOUT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "nianbao" and hook["language"] == "python"
    # pre-commit names every file a commit touches: exclusions apply and a README is skipped (issue 12)
    assert hook["entry"] == "nianbao lint --force-exclude"
    assert hook["require_serial"] is True
    import re

    files = re.compile(hook["files"])
    for name in ("a.txt", "b.md", "c.html", "d.HTM", "报告.docx", "e.pdf", "f.json"):
        assert files.search(name), name
    for name in ("a.txt.bak", "b.xlsx", "c.py", "htm"):
        assert not files.search(name), name


@pytest.mark.slow
@pytest.mark.skipif(GIT is None, reason="pre-commit needs git")
def test_pre_commit_runs_the_hook(tmp_path: Path) -> None:
    hook_repo = tmp_path / "nianbao"
    copy_checkout(hook_repo)
    reports = tmp_path / "reports"
    reports.mkdir()
    git(reports, "init", "-q")
    good = SEEDS[0].read_text("utf-8").replace("其他需要报告的事项\n", "六、其他需要报告的事项\n")
    (reports / "good.txt").write_text(good, "utf-8")
    (reports / "bad.txt").write_bytes(SEEDS[2].read_bytes())
    (reports / "notes.csv").write_text("not,a,report\n", "utf-8")
    (reports / "README.md").write_text("# 年度报告\n\n本仓库存放各单位的年度报告。\n", "utf-8")
    git(reports, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PYTHONIOENCODING": "utf-8"}
    env.pop("PRE_COMMIT", None)

    def pre_commit(*files: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "nianbao", "--verbose", "--files"]
        return subprocess.run([*command, *files], cwd=reports, env=env, capture_output=True, text=True, timeout=900)

    passed = pre_commit("good.txt", "notes.csv", "README.md")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout and "共检查 1 个文件" in passed.stdout
    assert "README.md：文件可以读取，但看不出是政府信息公开工作年度报告" in passed.stdout  # skipped, named

    failed = pre_commit("good.txt", "bad.txt")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert "bad.txt:398:1: ST03 [warning]" in failed.stdout
    assert "共检查 2 个文件" in failed.stdout  # require_serial: one process saw both files

    skipped = pre_commit("notes.csv")
    assert skipped.returncode == 0 and "no files to check" in skipped.stdout
