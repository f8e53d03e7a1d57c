"""GitLab Code Quality, GitHub workflow commands, and several outputs from one run."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from nianbao.plugins.emitters.github import escape_data, escape_property

from .ci_outputs import REPORTS, UNREADABLE, LintedRepo, lint, make_repo
from .conftest import SEEDS


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> LintedRepo:
    root = tmp_path_factory.mktemp("ci")
    make_repo(root)
    return lint(
        root,
        "--format", "gitlab", "--output", "gl-code-quality-report.json",
        "--format", "sarif", "--output", "nianbao.sarif",
        "--format", "junit", "--output", "junit.xml",
        "--format", "github",
        "reports",
    )  # fmt: skip


@pytest.fixture(scope="module")
def issues(repo: LintedRepo) -> list[dict[str, Any]]:
    return json.loads(repo.read("gl-code-quality-report.json").decode("utf-8"))


@pytest.fixture(scope="module")
def findings(repo: LintedRepo) -> list[tuple[str, dict[str, Any]]]:
    data = json.loads(lint(repo.root, "--format", "json", "reports").stdout)
    return [(file["path"], f) for file in data["files"] for f in file["findings"]]


# GitLab Code Quality


def test_gitlab_code_quality_fields(repo: LintedRepo, issues: list[dict[str, Any]], findings: list) -> None:
    raw = repo.read("gl-code-quality-report.json")
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.startswith(b"[")
    assert isinstance(issues, list)
    assert len(issues) == len(findings) + 1  # + the unreadable file
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["description"] and issue["check_name"]
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert not issue["location"]["path"].startswith("/") and "\\" not in issue["location"]["path"]
        assert isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["lines"]["begin"] >= 1
    for issue, (path, f) in zip([i for i in issues if i["check_name"] != "NB01"], findings, strict=True):
        assert issue["location"]["path"] == path
        assert issue["description"] == f["message"]  # Chinese, byte-exact
        assert issue["check_name"] == f["code"]
        assert issue["location"]["lines"]["begin"] == ((f["location"] or {}).get("line") or 1)
    [bad] = [i for i in issues if i["check_name"] == "NB01"]
    assert bad["location"]["path"] == UNREADABLE and bad["severity"] == "critical"


def test_gitlab_fingerprints_unique_and_line_independent(tmp_path: Path, issues: list[dict[str, Any]]) -> None:
    prints = [i["fingerprint"] for i in issues]
    assert len(prints) == len(set(prints))
    (tmp_path / ".git").mkdir()
    original = SEEDS[2].read_text("utf-8")
    (tmp_path / "r.txt").write_text(original, "utf-8")
    before = json.loads(lint(tmp_path, "--format", "gitlab", "r.txt").stdout)
    (tmp_path / "r.txt").write_text(
        original.replace("二、主动公开政府信息情况\n", "\n\n二、主动公开政府信息情况\n"), "utf-8"
    )
    after = json.loads(lint(tmp_path, "--format", "gitlab", "r.txt").stdout)
    assert [i["fingerprint"] for i in after] == [i["fingerprint"] for i in before]
    assert [i["location"]["lines"]["begin"] for i in after] != [i["location"]["lines"]["begin"] for i in before]
    # the same file twice: still no two issues alike
    twice = json.loads(lint(tmp_path, "--format", "gitlab", "r.txt", "r.txt").stdout)
    assert len({i["fingerprint"] for i in twice}) == len(twice) == 2 * len(before)


# GitHub workflow commands

COMMAND = re.compile(r"^::(error|warning|notice) file=([^,:]+)(?:,line=(\d+),col=(\d+))?,title=([A-Z]+\d+)::(.+)$")


def test_github_workflow_commands(repo: LintedRepo, findings: list) -> None:
    lines = repo.stdout.decode("utf-8").splitlines()
    assert len(lines) == len(findings) + 1
    parsed = [COMMAND.match(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed, strict=True) if not m]
    level = {"error": "error", "warning": "warning", "info": "notice"}
    commands = [m for m in parsed if m and m.group(5) != "NB01"]
    for m, (path, f) in zip(commands, findings, strict=True):
        assert m.group(1) == level[f["severity"]]
        assert m.group(2) == path and m.group(5) == f["code"] and m.group(6) == f["message"]
        loc = f["location"] or {}
        if loc.get("line"):
            assert (int(m.group(3)), int(m.group(4))) == (loc["line"], loc["column"] or 1)
        else:
            assert m.group(3) is None
    assert f"::error file={UNREADABLE},title=NB01::" in repo.stdout.decode("utf-8")


def test_github_escaping() -> None:
    assert escape_data("100%\r\n完成") == "100%25%0D%0A完成"
    assert escape_property("a,b:c%.txt") == "a%2Cb%3Ac%25.txt"


# several outputs from one run


def test_several_outputs_equal_separate_runs(repo: LintedRepo) -> None:
    assert repo.returncode == 2  # the unreadable file; the output choice does not change it
    alone = lint(repo.root, "--format", "sarif", "--output", "alone.sarif", "reports")
    assert alone.returncode == 2
    assert repo.read("alone.sarif") == repo.read("nianbao.sarif")
    junit = lint(repo.root, "--format", "junit", "reports")
    assert junit.stdout == repo.read("junit.xml")
    github = lint(repo.root, "--format", "github", "reports")
    assert github.stdout == repo.stdout
    assert not list(repo.root.glob(".nianbao-*"))  # no temporary files left behind
    assert {unquote(a["location"]["uri"]) for a in json.loads(repo.read("nianbao.sarif"))["runs"][0]["artifacts"]} == (
        set(REPORTS) | {UNREADABLE}
    )


def test_exit_code_does_not_depend_on_the_outputs(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "r.txt").write_bytes(SEEDS[0].read_bytes())
    codes = {
        lint(tmp_path, *args, "r.txt").returncode
        for args in (
            (),
            ("--format", "json"),
            ("--format", "sarif", "-o", "a.sarif", "--format", "junit-gitlab", "-o", "b.xml"),
            ("--format", "gitlab", "--output", "c.json", "--format", "console"),
            ("-o", "report.txt"),
        )
    }
    assert codes == {1}
    assert "共检查 1 个文件" in (tmp_path / "report.txt").read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "sarif", "--format", "junit"), "最多一个输出格式可以写到标准输出"),
        (("--format", "sarif", "-o", "a", "-o", "b"), "每个 --output 跟在它的 --format 后面"),
        (("--format", "sarif", "-o", "same", "--format", "junit", "-o", "same"), "同一个文件"),
        (("--format", "xml"), "未知的输出格式 “xml”"),
    ],
)
def test_output_usage_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    (tmp_path / "r.txt").write_bytes(SEEDS[0].read_bytes())
    result = lint(tmp_path, *args, "r.txt")
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_output_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_bytes(SEEDS[0].read_bytes())
    result = lint(tmp_path, "--format", "sarif", "--output", "no/such/dir/out.sarif", "r.txt")
    assert result.returncode == 2 and "无法写入 no/such/dir/out.sarif" in result.stderr


def test_output_to_a_special_file_is_written_in_place(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "r.txt").write_bytes(SEEDS[0].read_bytes())
    import threading

    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = lint(tmp_path, "--format", "gitlab", "--output", str(fifo), "r.txt")
    reader.join(timeout=60)
    assert result.returncode == 1 and fifo.is_fifo()
    assert json.loads(received[0])[0]["check_name"] == "AR06"


def test_machine_formats_do_not_import_rich(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from nianbao.cli import main; "
        "main(['lint', '--format', 'sarif', '-o', sys.argv[1], sys.argv[2]]); "
        "print('rich' in sys.modules, 'xml.etree.ElementTree' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "out.sarif"), str(SEEDS[0])],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == "False False"


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "junit-gitlab", "gitlab", "github"])
def test_every_machine_format_empty_run_and_determinism(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "empty").mkdir()
    assert lint(tmp_path, "--format", fmt, "empty").returncode == 2  # a folder without reports
    empty = lint(tmp_path, "--force-exclude", "--format", fmt, "empty")  # pre-commit left nothing to lint
    assert empty.returncode == 0 and empty.stderr == ""
    expected_empty = {"gitlab": b"[]\n", "github": b""}
    if fmt in expected_empty:
        assert empty.stdout == expected_empty[fmt]
    else:
        assert empty.stdout.strip()
    make_repo(tmp_path)
    first = lint(tmp_path, "--format", fmt, "reports")
    second = lint(tmp_path, "--format", fmt, "reports")
    assert first.returncode == second.returncode == 2
    assert first.stdout == second.stdout
    assert "报告".encode() in first.stdout  # Chinese as UTF-8, not escaped
