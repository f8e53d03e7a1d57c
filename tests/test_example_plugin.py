"""The third-party plugin example (examples/nianbao-zhejiang) as a user installs it.

It is installed into a throwaway virtual environment that sees this interpreter's packages (so
nianbao and setuptools are there, offline), and nianbao is run there as a user would. Its rule
cases run through the same harness as the built-in rules.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest
from nianbao.host import create_host
from nianbao.registry import all_rules

from .test_rule_cases import check_case, load_cases

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "nianbao-zhejiang"
CASES = load_cases(EXAMPLE / "nianbao_zhejiang" / "cases")

ZHEJIANG_REPORT = """杭州市某某区应急管理局
2021年政府信息公开工作年度报告
一、总体情况
本报告（征求意见稿）由区应急管理局编制。
二、主动公开政府信息情况
三、收到和处理政府信息公开申请情况
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
六、其他需要报告的事项
无。
"""


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with the example installed (non-editable, no network, no build isolation)."""
    root = tmp_path_factory.mktemp("plugin-venv")
    env_dir = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True, timeout=60)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # The new venv's own site-packages comes first; this interpreter's (where nianbao, pip and
    # setuptools live, editable or not) is added after it, with its .pth files processed.
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    parents = [p for p in (*site.getsitepackages(), site.getusersitepackages()) if os.path.isdir(p)]
    Path(purelib, "_parent_env.pth").write_text(
        "".join(f"import site; site.addsitedir({p!r})\n" for p in parents), "utf-8"
    )
    # setuptools builds inside the source folder (build/, *.egg-info): build a copy, not the repository.
    source = shutil.copytree(EXAMPLE, root / "source", ignore=shutil.ignore_patterns("build", "*.egg-info"))
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index", "-q", str(source)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=root,
    )
    assert install.returncode == 0, install.stderr
    return python


def nianbao(python: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([str(python), "-m", "nianbao", *args], capture_output=True, env=env, timeout=60, cwd=cwd)


def test_rules_of_the_plugin_are_listed(venv: Path) -> None:
    listing = nianbao(venv, "rules").stdout.decode("utf-8")
    assert "ZJ01   zhejiang.draft-marks" in listing
    assert "ZJ02   zhejiang.contact-telephone" in listing
    rulesets = nianbao(venv, "rulesets").stdout.decode("utf-8")
    assert "zhejiang     浙江省规则集（示例插件）（基于 national）" in rulesets
    assert "自带规则：ZJ01、ZJ02" in rulesets


def test_rules_of_the_plugin_run_on_a_report_from_its_province(venv: Path, tmp_path: Path) -> None:
    report = tmp_path / "hangzhou-2021.txt"
    report.write_text(ZHEJIANG_REPORT, "utf-8")
    data = json.loads(nianbao(venv, "lint", "--format", "json", str(report)).stdout)
    (file,) = data["files"]
    assert (file["ruleset"], file["ruleset_source"]) == ("zhejiang", "province")
    codes = {(f["code"], f["severity"], (f["location"] or {}).get("line")) for f in file["findings"]}
    assert ("ZJ01", "warning", 4) in codes and ("ZJ02", "info", 1) in codes

    ignored = json.loads(nianbao(venv, "lint", "--format", "json", "--ignore", "ZJ01", str(report)).stdout)
    assert {f["code"] for f in ignored["files"][0]["findings"]} & {"ZJ01", "ZJ02"} == {"ZJ02"}


def test_plugin_rules_stay_out_of_other_provinces(venv: Path, tmp_path: Path) -> None:
    report = tmp_path / "changzhou-2021.txt"
    report.write_text(ZHEJIANG_REPORT.replace("杭州市某某区", "常州市"), "utf-8")
    data = json.loads(nianbao(venv, "lint", "--format", "json", str(report)).stdout)
    (file,) = data["files"]
    assert file["ruleset"] == "jiangsu"
    assert not {f["code"] for f in file["findings"]} & {"ZJ01", "ZJ02"}


def test_plugin_can_be_disabled_by_name(venv: Path, tmp_path: Path) -> None:
    report = tmp_path / "hangzhou-2021.txt"
    report.write_text(ZHEJIANG_REPORT, "utf-8")
    assert "ZJ01" not in nianbao(venv, "--disable-plugin", "zhejiang", "rules").stdout.decode("utf-8")
    data = json.loads(nianbao(venv, "--disable-plugin", "zhejiang", "lint", "--format", "json", str(report)).stdout)
    (file,) = data["files"]
    assert file["ruleset"] == "national"
    assert not {f["code"] for f in file["findings"]} & {"ZJ01", "ZJ02"}


@pytest.fixture(scope="module")
def plugin_host():
    """A host with the example registered from the source tree, as its entry point would."""
    sys.path.insert(0, str(EXAMPLE))
    try:
        import nianbao_zhejiang

        host = create_host(entry_points=False)
        host.manager.register(nianbao_zhejiang, name="zhejiang")
        yield host
    finally:
        sys.path.remove(str(EXAMPLE))


@pytest.mark.parametrize(("code", "spec", "case"), CASES, ids=[f"{c}-{case['name']}" for c, _, case in CASES])
def test_plugin_rule_case(code, spec, case, plugin_host) -> None:
    check_case(code, spec, case, plugin_host, {r.meta.code: r for r in all_rules(plugin_host)})


def test_every_plugin_rule_has_a_failing_and_a_passing_case(plugin_host) -> None:
    codes = {r.meta.code for r in all_rules(plugin_host) if r.meta.ruleset == "zhejiang"}
    assert codes == {"ZJ01", "ZJ02"}
    assert {c for c, _, case in CASES if case["expect"]} == codes
    assert {c for c, _, case in CASES if not case["expect"]} == codes
