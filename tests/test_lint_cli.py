"""``nianbao lint``, ``rules``, ``explain``, ``rulesets`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import CORPUS, SEEDS
from .test_cli import run

SEED_000 = str(CORPUS / "000_98b392332e9fbc59.txt")
SEED_002 = str(CORPUS / "002_3dc16392cc7dc7e9.txt")


def test_lint_plain_output_and_exit_code() -> None:
    result = run("lint", SEED_000)
    assert result.returncode == 1
    out = result.stdout.decode("utf-8")
    # 渝北 is in 重庆: the chongqing rule set is chosen and makes a missing heading number an error.
    assert f"{SEED_000}:407:1: ST04 [error] " in out
    assert "规则集：chongqing（按报告所属地区自动选用） 1 个文件" in out
    assert "共检查 1 个文件" in out


def test_fail_on_error_ignores_warnings() -> None:
    assert run("lint", "--ruleset", "national", "--fail-on", "error", "--ignore", "PB", SEED_000).returncode == 0


def test_select_ignore_and_severity() -> None:
    result = run(
        "lint", "--format", "json", "--select", "ST,AR", "--ignore", "AR06", "--severity", "ST04=error", SEED_000
    )
    data = json.loads(result.stdout)
    findings = data["files"][0]["findings"]
    assert [(f["code"], f["severity"]) for f in findings] == [("ST04", "error")]
    assert result.returncode == 1


def test_unknown_selector_is_a_usage_error() -> None:
    result = run("lint", "--select", "ZZ99", SEED_000)
    assert result.returncode == 2
    assert "ZZ99" in result.stderr.decode("utf-8")


def test_one_unreadable_file_among_good_ones(tmp_path: Path) -> None:
    bad = tmp_path / "坏文件.txt"
    bad.write_bytes(bytes(range(256)) * 4)
    result = run("lint", "--format", "json", SEED_000, str(bad), SEED_002)
    assert result.returncode == 2
    data = json.loads(result.stdout)
    assert [f["path"] for f in data["files"]] == [SEED_000, str(bad), SEED_002]
    assert data["files"][1]["error"]["code"] == "NB01"
    assert data["files"][0]["findings"] and data["files"][2]["findings"]
    assert "NB01" in result.stderr.decode("utf-8")


def test_directory_and_stdin(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SEEDS[0].read_bytes())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_bytes(SEEDS[1].read_bytes())
    (tmp_path / "ignore.bin").write_bytes(b"\x00")
    data = json.loads(run("lint", "--format", "json", str(tmp_path)).stdout)
    assert [Path(f["path"]).name for f in data["files"]] == ["a.txt", "b.txt"]
    piped = json.loads(run("lint", "--format", "json", "-", stdin=SEEDS[0].read_bytes()).stdout)
    assert piped["files"][0]["path"] == "-"
    assert piped["files"][0]["findings"] == data["files"][0]["findings"]


def test_json_output_is_byte_identical_across_runs() -> None:
    first = run("lint", "--format", "json", *map(str, SEEDS))
    second = run("lint", "--format", "json", *map(str, SEEDS))
    assert first.stdout == second.stdout


def test_config_file_upward_and_flags_win(tmp_path: Path) -> None:
    (tmp_path / ".nianbao.yaml").write_text("ignore: [ST04]\nseverity: {AR06: error}\nfail-on: error\n", "utf-8")
    folder = tmp_path / "reports" / "2020"
    folder.mkdir(parents=True)
    report = folder / "r.txt"
    report.write_bytes(SEEDS[0].read_bytes())
    data = json.loads(run("lint", "--format", "json", str(report)).stdout)
    codes = {(f["code"], f["severity"]) for f in data["files"][0]["findings"]}
    assert ("AR06", "error") in codes and not any(c == "ST04" for c, _ in codes)
    data = json.loads(run("lint", "--format", "json", "--severity", "AR06=info", str(report)).stdout)
    assert {f["severity"] for f in data["files"][0]["findings"] if f["code"] == "AR06"} == {"info"}


def test_invalid_config_is_nb04_with_line_and_column(tmp_path: Path) -> None:
    (tmp_path / ".nianbao.yaml").write_text("select: [ST]\nseverity:\n  ST04: loud\n", "utf-8")
    report = tmp_path / "r.txt"
    report.write_bytes(SEEDS[0].read_bytes())
    result = run("lint", str(report))
    assert result.returncode == 2
    err = result.stderr.decode("utf-8")
    assert f"{tmp_path / '.nianbao.yaml'}:3:9: NB04 " in err


def test_unknown_config_key_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.nianbao]\nselekt = ["ST"]\n', "utf-8")
    report = tmp_path / "r.txt"
    report.write_bytes(SEEDS[0].read_bytes())
    result = run("lint", str(report))
    assert result.returncode == 2
    assert f"{tmp_path / 'pyproject.toml'}:5:1: NB04 [tool.nianbao] 中未知的配置项 “selekt”" in result.stderr.decode()


def test_per_file_ignores(tmp_path: Path) -> None:
    (tmp_path / ".nianbao.yaml").write_text('per-file-ignores: {"drafts/*.txt": [AR06, ST]}\n', "utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "r.txt").write_bytes(SEEDS[0].read_bytes())
    (tmp_path / "final.txt").write_bytes(SEEDS[0].read_bytes())
    data = json.loads(run("lint", "--format", "json", str(tmp_path)).stdout)
    by_name = {Path(f["path"]).name: {x["code"] for x in f["findings"]} for f in data["files"]}
    assert "AR06" in by_name["final.txt"] and "ST04" in by_name["final.txt"]
    assert not {"AR06", "ST04"} & by_name["r.txt"]


def test_baseline_write_filter_stale_prune(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_bytes(SEEDS[0].read_bytes())
    baseline = tmp_path / "baseline.json"
    assert run("lint", "--write-baseline", str(baseline), str(report)).returncode == 1
    recorded = json.loads(baseline.read_text("utf-8"))
    assert recorded["files"]["r.txt"]["AR06"] == 2
    assert run("lint", "--baseline", str(baseline), str(report)).returncode == 0
    # a new defect shows up; a fixed one makes its entry stale
    text = SEEDS[0].read_text("utf-8").replace("其他需要报告的事项\n", "六、其他需要报告的事项\n")
    text = text.replace("一、总体情况", "一、总体情况\n本报告由XX局编制。", 1)
    report.write_text(text, "utf-8")
    data = json.loads(run("lint", "--format", "json", "--baseline", str(baseline), str(report)).stdout)
    assert [f["code"] for f in data["files"][0]["findings"]] == ["TX05"]
    assert data["baseline"]["stale"] == [{"path": "r.txt", "code": "ST04", "surplus": 1}]
    run("lint", "--baseline", str(baseline), "--prune-baseline", str(report))
    assert "ST04" not in json.loads(baseline.read_text("utf-8"))["files"]["r.txt"]


def test_rules_explain_rulesets() -> None:
    rules = run("rules").stdout.decode("utf-8")
    assert "AR01   arithmetic.applications-balance" in rules
    explained = run("explain", "arithmetic.applications-balance").stdout.decode("utf-8")
    assert explained.startswith("AR01  arithmetic.applications-balance")
    assert "国办公开办函〔2019〕60号" in explained
    missing = run("explain", "AR99")
    assert missing.returncode == 2 and "AR99" in missing.stderr.decode("utf-8")
    listing = run("rulesets").stdout.decode("utf-8")
    assert listing.startswith("chongqing    重庆市规则集（基于 national）")
    assert "\nnational     全国通用规则集" in listing


def test_explain_says_where_the_rule_and_its_cases_are(tmp_path: Path) -> None:
    """The line giving the rule's code in the file that defines it, and the rule's cases beside that file."""
    import nianbao
    import nianbao.plugins
    import nianbao.rulesets

    plugins, rulesets = Path(nianbao.plugins.__file__).parent, Path(nianbao.rulesets.__file__).parent
    for code, module, cases in [
        ("TX01", plugins / "rules" / "text.py", plugins / "rules" / "cases" / "TX01.yaml"),
        ("AR01", rulesets / "national" / "national.yaml", rulesets / "national" / "cases" / "AR01.yaml"),
        ("LN02", rulesets / "liaoning" / "rules.py", rulesets / "liaoning" / "cases" / "LN02.yaml"),
        ("NB01", Path(nianbao.__file__).parent / "engine.py", None),
    ]:
        out = run("explain", code, cwd=tmp_path).stdout.decode("utf-8").splitlines()
        defined = next(x for x in out if x.startswith("定义：")).removeprefix("定义：")
        path, _, line = defined.rpartition(":")
        assert Path(path) == module
        assert code in module.read_text("utf-8").splitlines()[int(line) - 1]
        listed = [x.removeprefix("用例：") for x in out if x.startswith("用例：")]
        assert listed == ([str(cases)] if cases else [])
    # Below the working directory, as in a checkout, paths are relative to it.
    assert "定义：rules/text.py:" in run("explain", "TX01", cwd=plugins).stdout.decode("utf-8")


def test_docs_rules_md_is_current() -> None:
    generated = run("rules", "--format", "markdown").stdout.decode("utf-8")
    committed = (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text("utf-8")
    assert committed == generated, "docs/rules.md is stale: nianbao rules --format markdown > docs/rules.md"


def test_console_output_on_a_gbk_terminal() -> None:
    """A Windows console in code page 936: every character printed must exist in GBK."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    result = subprocess.run(
        [sys.executable, "-m", "nianbao", "lint", "--color", "always", str(CORPUS / "004_5ec655b7f2230a8a.txt")],
        capture_output=True,
        env=env,
        timeout=60,
    )
    text = result.stdout.decode("gbk")
    assert "\x1b[" in text  # coloured
    assert "ST01" in text and "Traceback" not in result.stderr.decode("gbk", "replace")


def test_plain_output_names_pages_and_paragraphs_for_pdf_and_docx() -> None:
    # A PDF's line number counts lines on its page and a DOCX has no lines: "111:1" would send the
    # reader to the wrong place, so binary formats say page and line, or paragraph.
    stem = CORPUS / "formats" / "001_cabab7ad1985ba48"
    out = run("lint", "--color", "never", f"{stem}.pdf", f"{stem}.docx").stdout.decode("utf-8")
    assert f"{stem}.pdf:第4页第111行: ST05 [error]" in out
    assert f"{stem}.docx:第13段: ST05 [error]" in out
    assert f"{stem}.pdf:111:" not in out
