"""Package data read from its built form: the built JSON matches its source, and a stale one is ignored."""

from __future__ import annotations

import glob
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from nianbao.packagedata import (
    BUILT,
    BUILT_SUFFIX,
    build,
    built_path,
    deriver,
    load_built,
    load_packaged_yaml,
    package_file,
)

SOURCES = [
    (path, derive)
    for package, pattern, derive in BUILT
    for path in sorted(glob.glob(os.path.join(package_file(package, ""), pattern)))
]


def test_the_data_every_run_reads_has_a_built_form() -> None:
    names = {os.path.basename(path) for path, _ in SOURCES}
    assert {"format_2019.yaml", "format_2021.yaml", "chrome.yaml", "divisions.tsv"} <= names
    assert {"national.yaml", "chongqing.yaml", "liaoning.yaml", "jiangsu.yaml"} <= names


@pytest.mark.parametrize(("source", "derive"), SOURCES, ids=[os.path.basename(s) for s, _ in SOURCES])
def test_the_built_form_is_current(source: str, derive: str) -> None:
    with open(built_path(source), encoding="utf-8") as fh:
        committed = fh.read()
    assert committed == build(source, deriver(derive)), (
        f"{built_path(source)} is stale: python scripts/build_package_data.py"
    )


@pytest.mark.parametrize("source", [s for s, _ in SOURCES if s.endswith(".yaml")], ids=os.path.basename)
def test_the_built_form_holds_exactly_what_the_yaml_says(source: str) -> None:
    with open(source, encoding="utf-8") as fh:
        assert load_packaged_yaml(source) == yaml.safe_load(fh)


def test_no_built_file_without_its_source() -> None:
    patterns = {
        os.path.join(package_file(package, ""), os.path.dirname(pattern), "*" + BUILT_SUFFIX)
        for package, pattern, _ in BUILT
    }
    built = {p for pattern in patterns for p in glob.glob(pattern)}
    assert built == {built_path(s) for s, _ in SOURCES}


@pytest.fixture
def rule_set(tmp_path: Path) -> Path:
    source = package_file("nianbao.rulesets.liaoning", "liaoning.yaml")
    shutil.copy(source, tmp_path / "liaoning.yaml")
    shutil.copy(built_path(source), tmp_path / ("liaoning" + BUILT_SUFFIX))
    return tmp_path / "liaoning.yaml"


def test_a_built_form_is_read_instead_of_the_yaml(rule_set: Path) -> None:
    built = rule_set.with_name("liaoning" + BUILT_SUFFIX)
    data = json.loads(built.read_text("utf-8"))
    data["data"]["title"] = "from the built form"
    built.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert load_packaged_yaml(str(rule_set))["title"] == "from the built form"


def test_a_yaml_edited_after_the_build_wins_over_its_built_form(rule_set: Path) -> None:
    rule_set.write_text(rule_set.read_text("utf-8").replace("title:", "title: 改过的标题 #", 1), "utf-8")
    assert load_packaged_yaml(str(rule_set))["title"] == "改过的标题"


@pytest.mark.parametrize("damage", ["missing", "not json", "not an object"])
def test_a_missing_or_broken_built_form_falls_back_to_the_source(rule_set: Path, damage: str) -> None:
    built = rule_set.with_name("liaoning" + BUILT_SUFFIX)
    if damage == "missing":
        built.unlink()
    else:
        built.write_text("{" if damage == "not json" else "[1, 2]", "utf-8")
    assert load_packaged_yaml(str(rule_set)) == yaml.safe_load(rule_set.read_text("utf-8"))
    assert load_built(str(rule_set), lambda text: len(text)) == len(rule_set.read_text("utf-8"))
