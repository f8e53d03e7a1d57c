"""``--format csv``: one row per finding, as Excel on a Chinese Windows opens it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .conftest import SEEDS
from .test_cli import run


def _read(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the byte-order mark
    text = data[3:].decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_row_per_finding_with_the_json_facts(tmp_path: Path) -> None:
    broken = tmp_path / "坏.txt"
    broken.write_bytes(bytes(range(256)) * 4)
    paths = [*map(str, SEEDS), str(broken)]
    out = tmp_path / "问题.csv"
    assert run("lint", "--format", "csv", "--output", str(out), *paths).returncode == 2
    rows = _read(out.read_bytes())
    data = json.loads(run("lint", "--format", "json", *paths).stdout)
    expected = [
        (f["code"], f["message"], f["severity"])
        for file in data["files"]
        for f in ([file["error"]] if file["error"] else []) + file["findings"]
    ]
    labels = {"error": "错误", "warning": "警告", "info": "提示"}
    assert [(r["代码"], r["问题"], r["级别"]) for r in rows] == [(c, m, labels[s]) for c, m, s in expected]
    first = next(r for r in rows if r["代码"] == "ST04")
    assert (first["行"], first["列"], first["位置"], first["部分"]) == ("407", "1", "第407行第1列", "s6")
    unreadable = rows[-1]
    assert unreadable["代码"] == "NB01" and unreadable["文件"].endswith("坏.txt") and unreadable["规则集"] == ""
    ar06 = next(r for r in rows if r["代码"] == "AR06")
    assert ar06["涉及的格"].split() == [
        "t2_5.licensing.decisions",
        "t2_5.licensing.items_last_year",
        "t2_5.licensing.items_change",
    ]
    again = tmp_path / "again.csv"
    run("lint", "--format", "csv", "--output", str(again), *paths)
    assert again.read_bytes() == out.read_bytes()


def test_text_that_excel_would_run_as_a_formula_is_defused(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    text = SEEDS[0].read_text("utf-8").replace("其他需要报告的事项\n", '=HYPERLINK("x")其他需要报告的事项\n', 1)
    report.write_text(text, "utf-8")
    rows = _read(run("lint", "--format", "csv", str(report)).stdout)
    risky = [value for row in rows for value in row.values() if "HYPERLINK" in value]
    assert risky and all(value.startswith("'=") or not value.startswith("=") for value in risky)
    assert not any(value.startswith(("=", "+", "@")) for row in rows for value in row.values())


def test_a_clean_run_is_just_the_header(tmp_path: Path) -> None:
    rows = run("lint", "--format", "csv", "--select", "TX05", str(SEEDS[0])).stdout
    assert rows.decode("utf-8-sig").splitlines() == [
        "文件,行,列,位置,级别,代码,规则,问题,原文,部分,表,行键,栏,涉及的格,来源,规则集"
    ]
