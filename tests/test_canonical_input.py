"""Canonical JSON documents as lint input: what ``nianbao parse`` writes, ``nianbao lint`` reads back."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import SEEDS
from .test_cli import run


def _lint_lines(*args: str) -> tuple[int, list[str]]:
    result = run("lint", "--color", "never", *args)
    assert "Traceback" not in result.stderr.decode("utf-8")
    return result.returncode, result.stdout.decode("utf-8").splitlines()


def test_lint_of_parsed_json_gives_the_same_findings(tmp_path: Path) -> None:
    for seed in SEEDS:
        out = tmp_path / (seed.stem + ".json")
        assert run("parse", "-o", str(out), str(seed)).returncode == 0
        code_txt, txt = _lint_lines(str(seed))
        code_json, from_json = _lint_lines(str(out))
        assert code_json == code_txt
        # Same findings at the same positions (the positions are in the original report).
        strip = len(str(seed)), len(str(out))
        body_txt = [x[strip[0] :] for x in txt if x.startswith(str(seed))]
        body_json = [x[strip[1] :] for x in from_json if x.startswith(str(out))]
        assert body_txt and body_json == body_txt


def test_parse_of_json_round_trips(tmp_path: Path) -> None:
    first = tmp_path / "a.json"
    assert run("parse", "-o", str(first), str(SEEDS[2])).returncode == 0
    again = run("parse", str(first))
    assert again.returncode == 0
    reread, original = json.loads(again.stdout), json.loads(first.read_text("utf-8"))
    # The path becomes the file named; everything else, sha256 of the original included, is kept.
    assert reread["source"].pop("path") == str(first)
    assert original["source"].pop("path") == str(SEEDS[2])
    assert reread == original


def test_broken_json_inputs_are_located_nb01(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    assert run("parse", "-o", str(good), str(SEEDS[0])).returncode == 0
    doc = json.loads(good.read_text("utf-8"))
    syntax = tmp_path / "syntax.json"
    syntax.write_text('{"schema_version": 1,\n  "meta": }', encoding="utf-8")
    wrong = tmp_path / "wrong.json"
    doc_bad = {**doc, "meta": {**doc["meta"], "report_year": "二〇二〇"}}
    wrong.write_text(json.dumps(doc_bad, ensure_ascii=False), encoding="utf-8")
    future = tmp_path / "future.json"
    future.write_text(json.dumps({**doc, "schema_version": 99}), encoding="utf-8")
    other = tmp_path / "package.json"
    other.write_text('{"name": "x"}', encoding="utf-8")
    code, lines = _lint_lines(str(syntax), str(wrong), str(future), str(other), str(good))
    assert code == 2
    text = "\n".join(lines)
    # A syntax error is located where json found it; the others concern the file as a whole (1:1).
    assert f"{syntax}:2:11: NB01 [error] JSON 格式错误：第 2 行第 11 列：缺少值" in text
    assert (
        f"{wrong}:1:1: NB01 [error] 规范文档不符合 report.schema.json：/meta/report_year: 应为整数或空值（写的是 “二〇二〇”）"
        in text
    )
    assert f"{future}:1:1: NB01 [error] 规范文档版本 99 不受支持" in text
    assert f"{other}:1:1: NB02 [error] 不是 nianbao 规范文档" in text
    # The good document is still linted.
    assert any(x.startswith(f"{good}:") and " NB0" not in x for x in lines)


def test_directory_walk_skips_json_but_explicit_json_is_read(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_bytes(SEEDS[0].read_bytes())
    (tmp_path / "package.json").write_text('{"name": "x"}', encoding="utf-8")
    code, lines = _lint_lines(str(tmp_path))
    assert not any("package.json" in x for x in lines)
    assert any(x.startswith(str(tmp_path / "report.txt")) for x in lines)
