"""The CI recipes in the README, run as written: each `nianbao lint` line from the GitHub Actions,
GitLab CI and Jenkins examples, in a repository of reports; every file it writes is checked against
its consumer's schema and is the file the consumer's configuration in the same recipe reads."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from lxml import etree

from .ci_outputs import REPORTS, lint, make_repo
from .test_ci_formats import COMMAND
from .test_junit import parse
from .test_sarif import schema_errors

ROOT = Path(__file__).resolve().parent.parent


def recipe_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## In CI and pre-commit", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(?:yaml|groovy)\n(.*?)```", section, re.S)


def commands() -> list[tuple[str, str]]:
    return [(block, cmd) for block in recipe_blocks() for cmd in re.findall(r"nianbao lint [^'\n]*", block)]


def test_recipes_cover_every_ci_format() -> None:
    formats = set()
    for _, cmd in commands():
        args = shlex.split(cmd)
        formats |= {args[i + 1] for i, a in enumerate(args) if a == "--format"}
    assert formats == {"sarif", "github", "junit", "junit-gitlab", "gitlab"}
    assert len(recipe_blocks()) == 4


@pytest.mark.parametrize(("block", "cmd"), commands(), ids=[c for _, c in commands()])
def test_recipe_command(tmp_path: Path, block: str, cmd: str) -> None:
    make_repo(tmp_path, unreadable=False)
    (tmp_path / "reports" / "README").write_text("not a report, and not linted\n", "utf-8")
    args = shlex.split(cmd)[2:]
    result = lint(tmp_path, *args)
    assert result.returncode == 1, result.stderr  # the seeds have findings
    pairs = [(args[i + 1], args[i + 3] if i + 2 < len(args) and args[i + 2] == "--output" else None)
             for i, a in enumerate(args) if a == "--format"]  # fmt: skip
    for fmt, out in pairs:
        if out is None:
            data = result.stdout
        else:
            assert block.count(out) >= 2, f"{out} is written but the recipe's consumer does not read it"
            data = (tmp_path / out).read_bytes()
        if fmt == "sarif":
            assert schema_errors(json.loads(data)) == []
        elif fmt in ("junit", "junit-gitlab"):
            root = parse(data)
            assert {s.get("name") for s in root.findall("testsuite")} == set(REPORTS)
            assert int(root.get("failures")) > 0
            assert all(c.get("file") for c in root.iter("testcase")) == (fmt == "junit-gitlab")
            if fmt == "junit":
                xsd = etree.XMLSchema(etree.parse(str(ROOT / "schemas" / "jenkins-junit.xsd")))
                assert xsd.validate(root), xsd.error_log
        elif fmt == "gitlab":
            issues = json.loads(data)
            assert issues and len({i["fingerprint"] for i in issues}) == len(issues)
        elif fmt == "github":
            lines = data.decode("utf-8").splitlines()
            assert lines and all(COMMAND.match(line) for line in lines)


def test_pre_commit_recipe_names_the_hook() -> None:
    [config] = [yaml.safe_load(b) for b in recipe_blocks() if "repos:" in b]
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}
    assert [h["id"] for h in config["repos"][0]["hooks"]] == ["nianbao"] and "nianbao" in hooks
