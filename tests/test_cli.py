"""The command line as a user runs it: a real process, real files, exit codes and streams."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nianbao

from .conftest import SEEDS


def run(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "nianbao", *args], capture_output=True, input=stdin, cwd=cwd, env=env, timeout=60
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"nianbao {nianbao.__version__}"


def test_parse_one_file_prints_the_document() -> None:
    result = run("parse", str(SEEDS[0]))
    assert result.returncode == 0, result.stderr.decode()
    doc = json.loads(result.stdout)
    assert doc["meta"]["organ"] == "重庆市渝北区应急管理局"
    assert doc["tables"]["t2_9"]["rows"]["central_procurement"]["cells"]["procurement_amount"]["unit"] == "万元"


def test_parse_several_files_with_one_unreadable(tmp_path: Path) -> None:
    missing = tmp_path / "不存在.txt"
    binary = tmp_path / "broken.txt"
    binary.write_bytes(b"\x00\x01\x02\x03" * 50)
    result = run("parse", str(SEEDS[0]), str(missing), str(binary), str(SEEDS[1]))
    assert result.returncode == 2
    lines = result.stdout.decode("utf-8").splitlines()
    assert [json.loads(x)["source"]["path"] for x in lines] == [str(SEEDS[0]), str(SEEDS[1])]
    err = result.stderr.decode("utf-8")
    assert f"{missing}: NB01 文件不存在" in err
    assert f"{binary}: NB01 " in err
    assert "Traceback" not in err


def test_parse_output_file_and_validate(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = run("parse", "--validate", "-o", str(out), *map(str, SEEDS))
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == b""
    docs = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert [d["source"]["sha256"] for d in docs] == [
        __import__("hashlib").sha256(s.read_bytes()).hexdigest() for s in SEEDS
    ]


def test_parse_reads_standard_input() -> None:
    result = run("parse", "-", stdin=SEEDS[2].read_bytes())
    assert result.returncode == 0
    assert json.loads(result.stdout)["meta"]["report_year"] == 2020


def test_parse_output_is_byte_identical_across_runs() -> None:
    first, second = run("parse", str(SEEDS[4])), run("parse", str(SEEDS[4]))
    assert first.stdout == second.stdout and first.returncode == 0


def test_usage_error_exits_2() -> None:
    result = run("parse")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr.decode("utf-8")


def test_disabling_the_text_loader_makes_text_unreadable() -> None:
    result = run("--disable-plugin", "text", "parse", str(SEEDS[0]))
    assert result.returncode == 2
    assert "NB01" in result.stderr.decode("utf-8")


def test_the_output_options_the_emitters_plugin_adds_stand_where_they_stood() -> None:
    # --sarif-srcroot and --timestamps belong to the emitters plugin (hook nianbao_lint_options).
    shown = run("lint", "--help").stdout.decode()
    assert "[--root DIR] [--sarif-srcroot URI] [--timestamps]" in " ".join(shown.split())
    assert "在SARIF中写出%SRCROOT%对应的file://URI（默认不写）" in "".join(shown.split())
    hidden = run("--disable-plugin", "emitters", "lint", "--help").stdout.decode()
    assert "--timestamps" not in hidden and "--root" in hidden
