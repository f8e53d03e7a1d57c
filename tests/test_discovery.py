"""A report folder as it really is: READMEs, portal pages, old Word files, scans, lock files, virtualenvs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import SEEDS


def nb(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "nianbao", *args], capture_output=True, cwd=cwd, env=env, timeout=120)


def _folder(root: Path) -> Path:
    """Two reports among what a folder of reports also holds."""
    reports = root / "reports"
    (reports / "2020").mkdir(parents=True)
    (reports / "2020" / "渝北.txt").write_bytes(SEEDS[0].read_bytes())
    (reports / "2020" / "大渡口.txt").write_bytes(SEEDS[1].read_bytes())
    (reports / "README.md").write_text("# 年报\n\n本目录存放各单位的年度报告，按年份分文件夹。\n", "utf-8")
    (reports / "index.html").write_text(
        "<html><body><h1>政务公开</h1><ul><li><a href='2020/渝北.txt'>年度报告</a></li></ul></body></html>", "utf-8"
    )
    (reports / "2020" / "旧报告.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    (reports / "2020" / "报告.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    (reports / "2020" / "统计表.xlsx").write_bytes(b"PK\x03\x04" + b"\0" * 64)
    (reports / "2020" / "扫描件.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 64)
    (reports / "2020" / "~$渝北.docx").write_bytes(b"\x0cowner\0" * 10)  # Word's lock file
    (reports / ".venv" / "lib").mkdir(parents=True)
    (reports / ".venv" / "lib" / "LICENSE.txt").write_text("MIT License\n", "utf-8")
    (reports / "node_modules").mkdir()
    (reports / "node_modules" / "readme.md").write_text("x\n", "utf-8")
    return reports


def test_a_folder_of_reports_lints_its_reports_and_names_what_it_skipped(tmp_path: Path) -> None:
    _folder(tmp_path)
    result = nb("lint", "--format", "json", "reports", cwd=tmp_path)
    data = json.loads(result.stdout)
    assert result.returncode == 1  # the seeds have findings; nothing else fails the run
    assert [Path(f["path"]).name for f in data["files"]] == ["大渡口.txt", "渝北.txt"]
    skipped = {Path(s["path"]).name: s["reason"] for s in data["skipped"]}
    assert set(skipped) == {"README.md", "index.html", "旧报告.doc", "报告.wps", "统计表.xlsx", "扫描件.jpg"}
    assert "另存为 .docx" in skipped["旧报告.doc"] and "另存为 .docx" in skipped["报告.wps"]
    assert "电子表格" in skipped["统计表.xlsx"] and "文字识别" in skipped["扫描件.jpg"]
    assert "看不出是政府信息公开工作年度报告" in skipped["README.md"]
    assert data["summary"]["skipped"] == 6
    plain = nb("lint", "reports", cwd=tmp_path).stdout.decode("utf-8")
    assert "已跳过 6 个文件：" in plain and "reports/README.md：" in plain
    assert plain.rstrip().endswith("；另跳过 6 个文件")
    quiet = nb("lint", "-q", "reports", cwd=tmp_path).stdout.decode("utf-8")
    assert "已跳过" not in quiet and "共检查" not in quiet


def test_a_file_named_explicitly_stays_strict(tmp_path: Path) -> None:
    reports = _folder(tmp_path)
    result = nb("lint", "--format", "json", str(reports / "README.md"))
    data = json.loads(result.stdout)
    assert result.returncode == 2 and data["files"][0]["error"]["code"] == "NB02"
    # pre-commit names every file a commit touches: --force-exclude treats them as a walk would
    hook = nb(
        "lint", "--force-exclude", "--format", "json", str(reports / "README.md"), str(reports / "2020" / "渝北.txt")
    )
    data = json.loads(hook.stdout)
    assert hook.returncode == 1 and [Path(f["path"]).name for f in data["files"]] == ["渝北.txt"]
    assert [Path(s["path"]).name for s in data["skipped"]] == ["README.md"]
    only_readme = nb("lint", "--force-exclude", str(reports / "README.md"))
    assert only_readme.returncode == 0, "a commit without a report passes the hook"


def test_exclude_patterns_are_gitignore_patterns_with_ruffs_precedence(tmp_path: Path) -> None:
    reports = _folder(tmp_path)
    (reports / "drafts").mkdir()
    (reports / "drafts" / "草稿.txt").write_bytes(SEEDS[2].read_bytes())
    (reports / "2020" / "old").mkdir()
    (reports / "2020" / "old" / "v1.txt").write_bytes(SEEDS[3].read_bytes())

    def linted(*args: str) -> list[str]:
        out = nb("lint", "--format", "json", *args, "reports", cwd=tmp_path)
        assert out.returncode in (1, 2), out.stderr.decode("utf-8")
        return sorted(Path(f["path"]).relative_to("reports").as_posix() for f in json.loads(out.stdout)["files"])

    every = linted()
    assert every == ["2020/old/v1.txt", "2020/大渡口.txt", "2020/渝北.txt", "drafts/草稿.txt"]
    assert linted("--extend-exclude", "drafts/") == ["2020/old/v1.txt", "2020/大渡口.txt", "2020/渝北.txt"]
    assert linted("--extend-exclude", "old,*口.txt") == ["2020/渝北.txt", "drafts/草稿.txt"]
    # configuration: exclude: replaces the defaults (Word's lock file is read again, and is no report);
    # a pattern with a slash is anchored at the configuration file's folder, as in .gitignore
    (tmp_path / ".nianbao.yaml").write_text("exclude: [drafts/]\nextend-exclude: ['reports/2020/old/']\n", "utf-8")
    assert linted() == ["2020/~$渝北.docx", "2020/大渡口.txt", "2020/渝北.txt"]
    # --exclude on the command line replaces the configuration's exclude; extend-exclude still adds
    assert linted("--exclude", "~$*") == ["2020/大渡口.txt", "2020/渝北.txt", "drafts/草稿.txt"]


def test_a_folder_without_reports_or_a_glob_matching_nothing_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    empty = nb("lint", "empty", cwd=tmp_path)
    assert empty.returncode == 2
    assert empty.stderr.decode("utf-8").startswith("nianbao: 错误: empty 中没有可检查的报告")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "2019.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    only_doc = nb("lint", "old", cwd=tmp_path)
    err = only_doc.stderr.decode("utf-8")
    assert only_doc.returncode == 2 and "nianbao: 提示: old/2019.doc：Word 97-2003 文档（.doc）" in err
    typo = nb("lint", "reprots/*.txt", cwd=tmp_path)
    assert typo.returncode == 2
    assert "没有与 “reprots/*.txt” 匹配的文件或目录" in typo.stderr.decode("utf-8")


def test_globs_the_shell_did_not_expand_are_expanded(tmp_path: Path) -> None:
    """Windows' cmd passes ``reports\\*.txt`` as it is."""
    _folder(tmp_path)
    result = nb("lint", "--format", "json", "reports/*/*.txt", cwd=tmp_path)
    assert sorted(Path(f["path"]).name for f in json.loads(result.stdout)["files"]) == ["大渡口.txt", "渝北.txt"]


def test_the_pre_commit_hook_uses_force_exclude() -> None:
    import yaml

    [hook] = yaml.safe_load((Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["entry"].split() == ["nianbao", "lint", "--force-exclude"]
