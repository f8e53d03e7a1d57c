"""Rule sets: the built-in ones are valid; user rule sets extend, override and fail with NB04."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml
from nianbao.ruleset_files import ruleset_schema

from .conftest import CORPUS
from .test_cli import run

SEED_000 = str(CORPUS / "000_98b392332e9fbc59.txt")


@pytest.mark.parametrize(
    "item",
    [
        x / f"{x.name}.yaml"
        for x in resources.files("nianbao.rulesets").iterdir()
        if x.is_dir() and (x / f"{x.name}.yaml").is_file()
    ],
    ids=lambda x: x.name,
)
def test_builtin_rulesets_are_valid(item) -> None:
    jsonschema.Draft202012Validator.check_schema(ruleset_schema())
    jsonschema.validate(yaml.safe_load(item.read_text("utf-8")), ruleset_schema())


def test_user_ruleset_extends_national(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "name: mine\nextends: national\nignore: [AR06]\nseverity: {ST04: error}\n"
        "rules:\n"
        "  - code: ZZ01\n    name: local.no-draft\n    kind: pattern\n    severity: warning\n"
        '    pattern: "征求意见稿"\n    message: "删除“{match}”字样"\n'
        "    summary: 不得留有征求意见稿字样\n    rationale: 发布稿不是征求意见稿。\n    basis: 本地要求\n",
        "utf-8",
    )
    data = json.loads(run("lint", "--format", "json", "--ruleset", str(path), SEED_000).stdout)
    (file,) = data["files"]
    assert file["ruleset"] == str(path)
    codes = {(f["code"], f["severity"]) for f in file["findings"]}
    assert ("ST04", "error") in codes and not any(c == "AR06" for c, _ in codes)


def test_invalid_ruleset_is_nb04_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\nextends: national\nseverity:\n  ST04: error\nsevrity: {}\n", "utf-8")
    result = run("lint", "--ruleset", str(path), SEED_000)
    assert result.returncode == 2
    assert f"{path}:5:1: NB04 未知的配置项 “sevrity”" in result.stderr.decode("utf-8")


def test_unknown_ruleset_name() -> None:
    result = run("lint", "--ruleset", "atlantis", SEED_000)
    assert result.returncode == 2
    assert "未知的规则集 “atlantis”" in result.stderr.decode("utf-8")


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: broken\nselect: [ST\n", "utf-8")
    result = run("lint", "--ruleset", str(path), SEED_000)
    assert result.returncode == 2
    err = result.stderr.decode("utf-8")
    assert f"{path}:3:1: NB04 YAML 语法错误" in err
