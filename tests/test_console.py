"""The console as people meet it: colour and terminals, Chinese messages, suggestions, totals, and the
flags ruff users know (``--exit-zero``, ``--quiet``, ``--statistics``, ``--extend-select``)."""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from .conftest import CORPUS, SEEDS

SEED_000 = str(CORPUS / "000_98b392332e9fbc59.txt")  # 重庆: ST04 error, AR06 info x2
SEED_004 = str(CORPUS / "004_5ec655b7f2230a8a.txt")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def nb(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS")}
    return subprocess.run(
        [sys.executable, "-m", "nianbao", *args],
        capture_output=True,
        env={**base, "PYTHONIOENCODING": "utf-8", **(env or {})},
        cwd=cwd,
        timeout=120,
    )


def on_a_terminal(*args: str, columns: int = 100, env: dict[str, str] | None = None) -> str:
    """Run with standard output on a pseudo-terminal of ``columns`` columns; what it printed."""
    if os.name != "posix":
        pytest.skip("pseudo-terminals are POSIX")
    import fcntl
    import pty
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS")}
    process = subprocess.Popen(
        [sys.executable, "-m", "nianbao", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**base, "PYTHONIOENCODING": "utf-8", "TERM": "xterm", **(env or {})},
    )
    os.close(follower)
    output = drain(leader)
    process.wait(timeout=120)
    os.close(leader)
    return output.decode("utf-8").replace("\r\n", "\n")


def drain(leader: int) -> bytes:
    """Everything written to a pseudo-terminal until its other end is closed."""
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


# ---------------------------------------------------------------------------------------- colour


def test_a_terminal_gets_the_grouped_view_in_colour_at_its_width() -> None:
    narrow = on_a_terminal("lint", SEED_004, columns=70)
    wide = on_a_terminal("lint", SEED_004, columns=160)
    assert "\x1b[" in narrow and "             | " in narrow  # colour, and the offending text
    assert max(cell_len(ANSI.sub("", line)) for line in narrow.splitlines()) <= 70
    assert max(cell_len(ANSI.sub("", line)) for line in wide.splitlines()) > 70  # not fixed at 120 either
    assert len(narrow.splitlines()) > len(wide.splitlines())


def test_no_color_removes_only_the_colour() -> None:
    plain = on_a_terminal("lint", SEED_004, env={"NO_COLOR": "1"})
    coloured = on_a_terminal("lint", SEED_004)
    assert "\x1b[" not in plain
    assert plain == ANSI.sub("", coloured)  # the same grouped view with its snippets


def test_term_dumb_gets_no_escape_codes() -> None:
    dumb = on_a_terminal("lint", SEED_004, env={"TERM": "dumb"})
    assert "\x1b[" not in dumb and "             | " in dumb


def test_force_color_colours_a_pipe() -> None:
    forced = nb("lint", SEED_004, env={"FORCE_COLOR": "1"}).stdout.decode("utf-8")
    assert "\x1b[" in forced and "             | " in forced
    both = nb("lint", SEED_004, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout.decode("utf-8")
    assert "\x1b[" not in both and "             | " in both
    piped = nb("lint", SEED_004).stdout.decode("utf-8")
    assert "\x1b[" not in piped and re.search(rf"^{re.escape(SEED_004)}:\d+:\d+: ", piped, re.M)
    assert nb("lint", "--color", "never", SEED_004, env={"FORCE_COLOR": "1"}).stdout.count(b"\x1b[") == 0


# ---------------------------------------------------------------------------------------- Chinese


def test_usage_errors_are_chinese_with_one_prefix() -> None:
    for args, says in [
        (("lint", "--bogus", SEED_000), "无法识别的参数：--bogus"),
        (("lint",), "缺少必需的参数：PATH"),
        (("lint", "--fail-on", "warn", SEED_000), "参数 --fail-on：无效的选项 'warn'"),
        (("lnt", SEED_000), "（是否想写 “lint”？）"),
        (("lint", "--formt", "json", SEED_000), "（是否想写 “--format”？）"),
        (("lint", "--format", "jsn", SEED_000), "未知的输出格式 “jsn”（是否想写 “json”？）"),
        (("lint", "--severity", "ST04=loud", SEED_000), "--severity 需要 规则=级别"),
        (("explain", "AR1"), "没有规则 “AR1”（是否想写 “AR01”？）"),
    ]:
        result = nb(*args)
        err = result.stderr.decode("utf-8")
        assert result.returncode == 2, args
        assert says in err, (args, err)
        errors = [line for line in err.splitlines() if "错误" in line]
        assert errors and all(line.startswith("nianbao: 错误: ") for line in errors), err
        assert not re.search(r"usage:|error:|invalid choice|unrecognized|required", err), err
    helped = nb("lint", "--help").stdout.decode("utf-8")
    assert helped.startswith("用法：") and "显示本帮助并退出" in helped and "show this help" not in helped


def test_configuration_errors_are_chinese_located_and_suggest(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_bytes(SEEDS[0].read_bytes())
    cases = [
        ("ignor: [ST04]\n", ".nianbao.yaml:1:1: NB04 未知的配置项 “ignor”（是否想写 “ignore”？）"),
        (
            "severity: {ST04: loud}\n",
            ".nianbao.yaml:1:18: NB04 “severity/ST04”应为 error、warning、info 之一（写的是 “loud”）",
        ),
        ("ignore:\n\t- ST04\n", ".nianbao.yaml:2:1: NB04 YAML 语法错误：出现了制表符（Tab）：YAML 只能用空格缩进"),
        ("select: [ct1]\n", ".nianbao.yaml: NB04 没有规则与 “ct1” 对应（是否想写 “CT01”？）"),
        ("ruleset: chongqin\n", "未知的规则集 “chongqin”（是否想写 “chongqing”？）"),
    ]
    for text, says in cases:
        (tmp_path / ".nianbao.yaml").write_text(text, "utf-8")
        result = nb("lint", str(report))
        err = result.stderr.decode("utf-8")
        assert result.returncode == 2 and err.startswith("nianbao: 错误: ") and says in err, (text, err)
    (tmp_path / ".nianbao.yaml").unlink()
    (tmp_path / "pyproject.toml").write_text('[tool.nianbao]\nfail_on = "error"\n', "utf-8")
    err = nb("lint", str(report)).stderr.decode("utf-8")
    assert "pyproject.toml:2:1: NB04 [tool.nianbao] 中未知的配置项 “fail_on”（是否想写 “fail-on”？）" in err
    (tmp_path / "pyproject.toml").write_text("[tool.nianbao]\nselect = [\n", "utf-8")
    err = nb("lint", str(report)).stderr.decode("utf-8")
    assert "NB04 TOML 语法错误" in err and "Expected" not in err


def test_codes_and_rule_set_names_ignore_case() -> None:
    lower = json.loads(nb("lint", "--format", "json", "--select", "st04,ar", "--ruleset", "Chongqing", SEED_000).stdout)
    upper = json.loads(nb("lint", "--format", "json", "--select", "ST04,AR", "--ruleset", "chongqing", SEED_000).stdout)
    assert lower == upper and lower["files"][0]["ruleset"] == "chongqing"
    assert {f["code"] for f in lower["files"][0]["findings"]} == {"ST04", "AR06"}
    assert nb("explain", "ar01").stdout == nb("explain", "AR01").stdout


def test_explain_has_no_space_where_a_line_broke_between_chinese_characters() -> None:
    text = nb("explain", "AR01").stdout.decode("utf-8")
    assert "这是格式文件本身规定的恒等式，不成立说明至少有一个数字填错。" in text
    for code in ("AR01", "CT01", "TB01", "NB03"):
        lines = nb("explain", code).stdout.decode("utf-8").splitlines()
        why = lines[lines.index("为什么：") + 1]  # the rationale, folded from several YAML or source lines
        assert not re.search(r"[\u3400-\u9fff，。；：、”）] [\u3400-\u9fff“（]", why), code


# ---------------------------------------------------------------------------------------- totals


def test_totals_count_unreadable_files_and_agree_with_json(tmp_path: Path) -> None:
    broken = tmp_path / "坏.txt"
    broken.write_bytes(bytes(range(256)) * 4)
    plain = nb("lint", SEED_000, str(broken)).stdout.decode("utf-8")
    data = json.loads(nb("lint", "--format", "json", SEED_000, str(broken)).stdout)
    assert f"{broken}:1:1: NB01 [error] " in plain and ":-:" not in plain
    assert plain.rstrip().endswith("共检查 2 个文件：错误 2，警告 0，提示 2；其中 1 个文件无法检查")
    assert data["summary"] == {"files": 2, "unreadable": 1, "skipped": 0, "error": 2, "warning": 0, "info": 2}
    assert "规则集：chongqing（按报告所属地区自动选用） 1 个文件\n" in plain  # the unreadable file has none
    assert re.search(r"^\s+1  NB01 ", plain, re.M)


def test_one_summary_line_per_rule_even_when_rule_sets_differ(tmp_path: Path) -> None:
    """ST04 is an error in 重庆 and a warning elsewhere: one line says both."""
    national = tmp_path / "national" / "r.txt"
    national.parent.mkdir()
    national.write_bytes(SEEDS[0].read_bytes())
    (national.parent / ".nianbao.yaml").write_text("ruleset: national\n", "utf-8")
    plain = nb("lint", SEED_000, str(national)).stdout.decode("utf-8")
    lines = [line for line in plain.splitlines() if re.match(r"^\s+\d+  ST04 ", line)]
    assert lines == ["    2  ST04   structure.section-number  [错误 1，警告 1]"]


def test_no_finding_is_printed_without_a_place() -> None:
    out = nb("lint", *map(str, SEEDS)).stdout.decode("utf-8")
    findings = [line for line in out.splitlines() if re.match(r"^\S+\.txt:", line)]
    assert findings and all(re.match(r"^\S+\.txt:\d+:\d+: [A-Z]+\d+ \[", line) for line in findings)


def test_the_cross_year_warning_is_one_line_per_organ(tmp_path: Path) -> None:
    text = SEEDS[0].read_text("utf-8")
    for n in range(3):
        (tmp_path / f"2020-{n}.txt").write_text(text, "utf-8")
    for n in range(2):
        (tmp_path / f"2019-{n}.txt").write_text(text.replace("2020年", "2019年").replace("2021年", "2020年"), "utf-8")
    err = nb("lint", "--format", "json", str(tmp_path)).stderr.decode("utf-8")
    lines = [line for line in err.splitlines() if "跨年度" in line]
    assert len(lines) == 1 and lines[0].startswith("nianbao: 警告: 重庆市渝北区应急管理局：3 份报告")
    assert "上一年度有 2 份同一机关的报告" in lines[0]


# ---------------------------------------------------------------------------------------- ruff's flags


def test_exit_zero_quiet_statistics_extend_select() -> None:
    assert nb("lint", SEED_000).returncode == 1
    assert nb("lint", "--exit-zero", SEED_000).returncode == 0
    quiet = nb("lint", "-q", SEED_000).stdout.decode("utf-8").splitlines()
    assert len(quiet) == 3 and all(line.startswith(SEED_000 + ":") for line in quiet)
    stats = nb("lint", "--statistics", SEED_000).stdout.decode("utf-8").splitlines()
    assert stats == ["    2  AR06   arithmetic.column-misuse  [提示]", "    1  ST04   structure.section-number  [错误]"]
    as_json = json.loads(nb("lint", "--statistics", "--format", "json", SEED_000).stdout)
    assert as_json == [
        {"code": "AR06", "name": "arithmetic.column-misuse", "count": 2, "severity": {"info": 2}},
        {"code": "ST04", "name": "structure.section-number", "count": 1, "severity": {"error": 1}},
    ]
    only = json.loads(nb("lint", "--format", "json", "--select", "ST", "--extend-select", "AR06", SEED_000).stdout)
    assert sorted({f["code"] for f in only["files"][0]["findings"]}) == ["AR06", "ST04"]


def test_nb03_is_an_error_that_no_selection_hides(tmp_path: Path) -> None:
    """As ruff treats syntax errors: always reported, failing the run; the severity may be lowered."""
    parsed = json.loads(nb("parse", SEED_000).stdout)
    where = parsed["tables"]["t3"]["location"]
    parsed["diagnostics"].append(
        {
            "code": "NB03",
            "message": "表三的数字无法可靠读取，请对照原件核对",
            "location": where,
            "scope": ["t3"],
            "candidates": [],
        }
    )
    doc = tmp_path / "doubt.json"
    doc.write_text(json.dumps(parsed, ensure_ascii=False), "utf-8")
    data = json.loads(nb("lint", "--format", "json", "--ignore", "NB03,ST04", "--fail-on", "error", str(doc)).stdout)
    [nb03] = [f for f in data["files"][0]["findings"] if f["code"] == "NB03"]
    assert nb03["severity"] == "error" and nb03["cells"] == ["t3"]
    assert nb("lint", "--ignore", "NB03,ST04", "--fail-on", "error", str(doc)).returncode == 1
    lowered = nb("lint", "--ignore", "ST04", "--severity", "NB03=warning", "--fail-on", "error", str(doc))
    assert lowered.returncode == 0
    explained = nb("explain", "NB03").stdout.decode("utf-8")
    assert "级别：error" in explained and "ruff" in explained and "请打开原件核对" in explained


def test_rulesets_lists_every_rule_a_set_runs() -> None:
    out = nb("rulesets").stdout.decode("utf-8")
    national = re.search(r"^national .*?运行的规则（(\d+) 条）：(\S+)$", out, re.M | re.S)
    chongqing = re.search(r"^chongqing .*?运行的规则（(\d+) 条）：(\S+)$", out, re.M | re.S)
    assert national and chongqing
    runs = national.group(2).split("、")
    assert len(runs) == int(national.group(1)) and {"AR01", "ST01", "TB01", "NB03", "XY01"} <= set(runs)
    assert "CQ01" not in runs and "CQ01" in chongqing.group(2).split("、")  # a province's own rule
    assert set(runs) < set(chongqing.group(2).split("、"))


def test_linting_one_file_loads_no_output_it_does_not_write(tmp_path: Path) -> None:
    """Start-up: the HTML and CSV writers and pathspec are imported only when used."""
    code = (
        "import sys; from nianbao.cli import main; main(['lint', '-q', sys.argv[1]]); "
        "print(','.join(m for m in ('nianbao.plugins.emitters.html_report', 'nianbao.plugins.emitters.csv_report', "
        "'pathspec', 'rich', 'jsonschema') if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code, SEED_000], capture_output=True, timeout=60)
    assert result.stderr.decode().strip().splitlines()[-1:] in ([], [""])
