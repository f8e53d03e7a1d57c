"""Hostile and broken input (issue 11): every class of failure is a located NB01 or ordinary findings,
exit 0/1/2, and the rest of a batch is linted.

Fixtures in tests/corpus/fuzz/ are real reports with one thing made hostile (written by
``python -m tests.make_fixtures``, tests/make_fixtures/fuzz_build.py); tests/corpus/fuzz/found/ holds
inputs the fuzzer (benchmarks/fuzz.py) saved. Inputs too large to commit (tens of MB) or that cannot be
committed (FIFOs, file names that are not UTF-8) are made here from a seed. Speed and memory bounds are
measured by benchmarks/fuzz.py, not asserted here.
"""

from __future__ import annotations

import io
import json
import os
import random
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from nianbao import hookimpl
from nianbao.cli import main
from nianbao.engine import MAX_FINDINGS_PER_RULE
from nianbao.host import create_host
from nianbao.lint import Linter, LintOptions
from nianbao.loading import InputError, load_document
from nianbao.numbers import bounded_int, mask_long_numbers
from nianbao.rules import BaseRule, RuleMeta
from nianbao.schema import validate_report

from .conftest import CORPUS, SEEDS
from .test_sarif import schema_errors

FUZZ = CORPUS / "fuzz"
FORMATS = CORPUS / "formats"
SEED = "000_98b392332e9fbc59"
HUGE = "9" * 5000


def lint(host, *paths: Path | str, **options):  # noqa: ANN001, ANN003, ANN201
    return Linter(host, LintOptions(**options)).run([str(p) for p in paths])


def codes(result) -> list[str]:  # noqa: ANN001
    return sorted(f.code for f in result.findings)


# ------------------------------------------------------------------------------------ numbers


def test_bounded_numbers() -> None:
    assert bounded_int("123") == 123
    assert bounded_int("9" * 15) == 10**15 - 1
    assert bounded_int("9" * 16) is None and bounded_int(HUGE) is None
    assert bounded_int("21317000001324019", 60) == 21317000001324019


def test_long_digit_runs_are_masked_in_place() -> None:
    text = "共" + "1" * 20 + "件，收到申请12件"
    masked = mask_long_numbers(text)
    assert masked == "共" + "#" * 20 + "件，收到申请12件" and len(masked) == len(text)


@pytest.mark.parametrize("suffix", [".txt", ".html", ".docx"])
def test_huge_number_in_a_cell_is_a_cell_to_check(host, context, suffix: str) -> None:
    """Python refused the 5,000 digits (ValueError) and the batch died; now the cell holds text and TB04
    asks a person to look at it, quoting a short piece of it."""
    doc = load_document(str(FUZZ / f"huge_number_cell{suffix}"), host.loaders, context)
    cell = doc.tables["t2_5"].rows["licensing"].cells["items_last_year"]
    assert (cell.value, cell.state) == (None, "text") and cell.raw == HUGE
    result = lint(host, FUZZ / f"huge_number_cell{suffix}").results[0]
    tb04 = [f for f in result.findings if f.code == "TB04"]
    assert len(tb04) == 1 and "“上一年项目数量”栏填了“99999" in tb04[0].message and len(tb04[0].message) < 100
    assert "NB05" not in codes(result)


def test_huge_number_in_prose_is_no_count(host) -> None:
    """ "收到申请<5,000 digits>件" matched CN01 and int() raised; it is not a number a report states."""
    result = lint(host, FUZZ / "huge_number_prose.txt").results[0]
    assert result.error is None and codes(result) == codes(lint(host, SEEDS[0]).results[0])


def test_huge_pdf_stream_length_is_ignored(host) -> None:
    result = lint(host, FUZZ / "huge_length.pdf").results[0]
    assert result.error is None and codes(result) == codes(lint(host, FORMATS / f"{SEED}.pdf").results[0])


def test_long_digit_run_in_prose_adds_nothing(host) -> None:
    """(\\d+)件 backtracked quadratically over 80,000 digits (50 s); the run is masked before matching."""
    result = lint(host, FUZZ / "digit_run.txt").results[0]
    assert codes(result) == codes(lint(host, SEEDS[0]).results[0])


# ------------------------------------------------------------------------------------ DOCX geometry


@pytest.mark.parametrize(
    "name",
    ["gridspan_huge", "gridspan_negative", "gridbefore_huge", "gridbefore_negative", "gridafter_huge"],
)
def test_docx_table_geometry_is_bounded(host, name: str) -> None:
    """gridSpan 2^31 allocated 20 GB; gridBefore 10^20 raised OverflowError, -100000 IndexError."""
    from nianbao.plugins.docx.body import MAX_GRID_COLUMNS, BodyReader
    from nianbao.plugins.docx.numbering import Numbering
    from nianbao.plugins.docx.package import open_package
    from nianbao.plugins.docx.xml import W

    package = open_package((FUZZ / f"{name}.docx").read_bytes())
    blocks = BodyReader(Numbering.from_root(package.numbering), {}).read(package.document.find(W + "body"))
    tables = [b for b in blocks if hasattr(b, "n_cols")]
    assert tables and all(1 <= t.n_cols <= MAX_GRID_COLUMNS for t in tables)
    assert all(0 <= c.col < MAX_GRID_COLUMNS and c.colspan >= 1 for t in tables for c in t.cells)
    result = lint(host, FUZZ / f"{name}.docx").results[0]
    assert result.error is None and "NB05" not in codes(result)
    assert result.meta["organ"] == "重庆市渝北区应急管理局"


def test_docx_list_number_beyond_word_is_decimal(host) -> None:
    """An upperLetter list starting at 10^18 would have built a string of 10^17 letters."""
    from nianbao.plugins.docx.numbering import format_number

    assert format_number(28, "upperLetter") == "BB"
    assert format_number(10**18, "upperLetter") == str(10**18)
    result = lint(host, FUZZ / "numbering_start_huge.docx").results[0]
    assert result.error is None and "NB05" not in codes(result)


# ------------------------------------------------------------------------------------ PDF


def test_flate_stream_with_bytes_after_it_is_measured_and_ends(host) -> None:
    """An inflate loop waited for ever on the byte after the compressed data of any stream over 1 MB."""
    from nianbao.plugins.pdf import bombs

    raw = b"0 0 m 1 1 l S\n" * 200_000
    budget = [10**9]
    bombs._inflate(zlib.compress(raw) + b"\n", budget, keep=False)
    assert 10**9 - budget[0] == len(raw)
    result = lint(host, FUZZ / "flate_trailing_byte.pdf").results[0]
    assert result.error is None and codes(result) == codes(lint(host, FORMATS / f"{SEED}.pdf").results[0])


def test_bomb_after_thousands_of_stream_markers_is_found() -> None:
    """The pre-scan looked back and forth through the file for every ``stream`` (900 KB: 44-90 s); it now
    indexes the file once, and a bomb after 20,000 markers is still found."""
    from nianbao.plugins.pdf.bombs import check_decoded_size

    bomb = zlib.compress(b"\0" * (4 * 1024 * 1024))
    data = b"%PDF-1.4\n" + b"<< /Filter /FlateDecode >> stream\nx\n" * 20_000
    data += b"1 0 obj << /Length %d /Filter /FlateDecode >> stream\n" % len(bomb) + bomb + b"\nendstream"
    check_decoded_size(data[: -len(bomb) - 12], limit=1024 * 1024)
    with pytest.raises(InputError) as err:
        check_decoded_size(data, limit=1024 * 1024)
    assert "压缩炸弹" in err.value.reason


def test_pdfminer_warnings_do_not_reach_stderr(host, capfd) -> None:
    """A damaged font made pdfminer print "Could not get FontBBox ..." 34 times between the findings."""
    result = lint(host, FUZZ / "found" / "pdfminer_warnings.pdf").results[0]
    assert result.error is None and "NB05" not in codes(result)
    assert capfd.readouterr().err == ""


def test_damaged_page_tree_is_read(host) -> None:
    """pdfminer could not parse this page tree (a number too large for C) and its exception escaped as
    NB05 (fuzzer); the tables are now read from PDFium's rulings and the report reads like its seed."""
    result = lint(host, FUZZ / "found" / "pdfminer_page_tree.pdf").results[0]
    assert result.error is None and codes(result) == codes(lint(host, FORMATS / f"{SEED}.pdf").results[0])


# ------------------------------------------------------------------------------------ HTML


def test_html_grid_width_is_bounded(host) -> None:
    """Cells spanning 65534 rows pushed each row right: a 6,000-column grid took 8 s (fuzzer)."""
    from nianbao.plugins.assembler.grid import MAX_SPAN, Grid, GridCell

    grid = Grid.from_rows([[GridCell("x", None, rowspan=100) for _ in range(60)] for _ in range(300)])
    assert grid.n_cols == MAX_SPAN and all(c.col + c.colspan <= MAX_SPAN for c in grid.cells)
    result = lint(host, FUZZ / "rowspan_grid.html").results[0]
    assert result.error is None and result.meta["organ"] == "重庆市渝北区应急管理局"


# ------------------------------------------------------------------------------------ findings cap


def test_findings_of_one_rule_are_capped_and_the_rest_counted(host) -> None:
    """One TX04 per unmatched bracket: 15,000 findings from a 50 KB file."""
    result = lint(host, FUZZ / "brackets.txt").results[0]
    tx04 = [f for f in result.findings if f.code == "TX04"]
    assert len(tx04) == MAX_FINDINGS_PER_RULE + 1
    summary = [f for f in tx04 if "未逐条列出" in f.message]
    # 14,900 more: counted up to 10,000, then "at least".
    assert len(summary) == 1 and "另有 10000 处以上" in summary[0].message and summary[0].location is not None


# ------------------------------------------------------------------------------------ memory bounds


def _seed_with(extra: str) -> str:
    text = SEEDS[0].read_text(encoding="utf-8")
    return text.replace("三、收到和处理", extra + "三、收到和处理", 1)


def test_text_beyond_any_report_is_refused_before_it_is_read(host, tmp_path: Path) -> None:
    """49 MB of short lines took 103 s and 3.9 GB; text over the caps is NB01 with what to do."""
    from nianbao.plugins.text.normalize import MAX_TEXT_CHARS, MAX_TEXT_LINES

    lines = tmp_path / "lines.txt"
    lines.write_text(_seed_with("公开\n" * MAX_TEXT_LINES), encoding="utf-8")
    chars = tmp_path / "chars.txt"
    chars.write_text(_seed_with("公开工作" * (MAX_TEXT_CHARS // 4)), encoding="utf-8")
    good = SEEDS[1]
    run = lint(host, lines, good, chars)
    by_path = {r.path: r for r in run.results}
    assert "行的上限" in by_path[str(lines)].error.message and "请确认选对了文件" in by_path[str(lines)].error.message
    assert "个字符的上限" in by_path[str(chars)].error.message
    assert by_path[str(good)].error is None and by_path[str(good)].meta["organ"]
    assert run.exit_code() == 2


def test_html_with_too_many_elements_is_refused(host, tmp_path: Path) -> None:
    from nianbao.plugins.html.reader import MAX_HTML_ELEMENTS

    html = (FORMATS / f"{SEED}.html").read_text(encoding="utf-8")
    at = html.rindex("</body>")
    page = tmp_path / "cells.html"
    page.write_text(html[:at] + "<table>" + "<tr><td>1</td></tr>" * (MAX_HTML_ELEMENTS // 2) + "</table>" + html[at:])
    error = lint(host, page).results[0].error
    assert error is not None and error.code == "NB01" and "个元素" in error.message


def test_docx_xml_part_is_capped(host, tmp_path: Path) -> None:
    """A 60 MB document.xml took 12 s and 650 MB before its text was refused; parts over 16 MB are NB01."""
    rng = random.Random(11)
    filler = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(6 * 1024 * 1024))  # 18 MB as UTF-8
    src = zipfile.ZipFile(FORMATS / f"{SEED}.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/document.xml":
                body = body.replace(b"</w:body>", f"<w:p><w:r><w:t>{filler}</w:t></w:r></w:p></w:body>".encode())
            z.writestr(info.filename, body)
    path = tmp_path / "big.docx"
    path.write_bytes(out.getvalue())
    error = lint(host, path).results[0].error
    assert error is not None and error.code == "NB01" and "16 MB 的上限" in error.message


# ------------------------------------------------------------------------------------ special files


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_fifo_in_a_linted_folder_is_refused_not_waited_on(host, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SEEDS[0].read_bytes())
    os.mkfifo(tmp_path / "b.txt")
    run = lint(host, tmp_path)
    by_name = {Path(r.path).name: r for r in run.results}
    assert by_name["a.txt"].error is None and by_name["a.txt"].meta["organ"]
    assert by_name["b.txt"].error.code == "NB01" and "不是普通文件" in by_name["b.txt"].error.message


# ------------------------------------------------------------------------------------ file names


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux keeps file names that are not UTF-8")
def test_file_names_that_are_not_utf8_or_hold_escapes(tmp_path: Path, monkeypatch, capsys) -> None:
    """JSON, SARIF, GitLab and GitHub output raised UnicodeEncodeError; the console printed ANSI escapes."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / os.fsdecode(b"bad\xff\xfe.txt")).write_bytes(SEEDS[0].read_bytes())
    (folder / "x\x1b[31mRED\x07.txt").write_bytes(SEEDS[0].read_bytes())
    monkeypatch.chdir(tmp_path)
    outputs = {name: tmp_path / f"out.{name}" for name in ("json", "sarif", "gitlab", "github", "junit", "csv", "html")}
    args = ["lint", "--color", "never", "--format", "console"]
    for name, path in outputs.items():
        args += ["--format", name, "--output", str(path)]
    assert main([*args, "reports"]) == 1
    console = capsys.readouterr().out
    assert "\x1b" not in console and "\x07" not in console
    assert "reports/x\\x1b[31mRED\\x07.txt:407:1: ST04" in console and "reports/bad\\xff\\xfe.txt:407:1" in console
    texts = {name: path.read_bytes().decode("utf-8") for name, path in outputs.items()}
    paths = [f["path"] for f in json.loads(texts["json"])["files"]]
    assert sorted(paths) == ["reports/bad\\xff\\xfe.txt", "reports/x\\x1b[31mRED\\x07.txt"]
    assert schema_errors(json.loads(texts["sarif"])) == []
    assert "reports/bad\\xff\\xfe.txt" in {issue["location"]["path"] for issue in json.loads(texts["gitlab"])}
    assert "file=reports/bad\\xff\\xfe.txt," in texts["github"]
    assert "reports/bad\\xff\\xfe.txt" in texts["csv"] and "reports/x\\x1b[31mRED\\x07.txt" in texts["html"]
    assert not any("\x1b" in text for text in texts.values())


# ------------------------------------------------------------------------------------ nianbao's own bugs


class _Crash(BaseRule):
    meta = RuleMeta(
        code="ZZ98",
        name="test.crash",
        severity="info",
        summary="测试用：总是出错的规则",
        rationale="测试",
        basis="测试",
    )

    def check(self, doc, ctx):  # noqa: ANN001, ANN201
        yield self.finding("第一条")
        raise ZeroDivisionError("boom")


class _CrashPlugin:
    @hookimpl
    def nianbao_rules(self) -> list[BaseRule]:
        return [_Crash()]


@pytest.fixture
def crash_host():  # noqa: ANN201
    host = create_host(entry_points=False)
    host.manager.register(_CrashPlugin(), name="crash")
    return host


def test_rule_crash_is_nb05_in_every_output_and_exit_2(crash_host, tmp_path: Path) -> None:
    """A rule that raised was a warning line; its findings were lost and the run exited 1."""
    from nianbao.outputs import RenderOptions

    baseline = tmp_path / "baseline.json"
    lint(crash_host, SEEDS[0], write_baseline=str(baseline))
    run = lint(crash_host, SEEDS[0], SEEDS[1], ignore=["NB05", "NB"], baseline=str(baseline))
    for result in run.results:
        nb05 = [f for f in result.findings if f.code == "NB05"]
        assert len(nb05) == 1, result.path
        message = nb05[0].message
        assert "规则 ZZ98 运行时出错" in message and "ZeroDivisionError: boom" in message
        assert "test_hostile_input.py" in message and "nianbao 的缺陷" in message and "nianbao --version" in message
    assert run.exit_code() == 2
    options = RenderOptions(root=str(CORPUS.parent.parent))
    formats = {f.name: f for f in crash_host.outputs}
    for name in ("console", "json", "sarif", "junit", "gitlab", "github"):
        assert "NB05" in formats[name].render(run, color=False, options=options), name
    junit = formats["junit"].render(run, color=False, options=options)
    assert 'type="rule-crash"' in junit


def test_unexpected_loader_error_is_nb05_and_the_batch_goes_on(host, monkeypatch) -> None:
    text_loader = next(x for x in host.loaders if x.name == "text")
    real_load = text_loader.load

    def load(data, source, context):  # noqa: ANN001, ANN202
        if source.path == str(SEEDS[0]):
            raise KeyError("sections")
        return real_load(data, source, context)

    monkeypatch.setattr(text_loader, "load", load)
    run = lint(host, SEEDS[0], SEEDS[1])
    broken, good = run.results
    assert (
        broken.error.code == "NB05" and "KeyError" in broken.error.message and "nianbao 的缺陷" in broken.error.message
    )
    assert good.error is None and good.meta["organ"]
    assert run.exit_code() == 2


def test_cli_internal_error_is_one_line_and_exit_2(monkeypatch, capsys) -> None:
    import nianbao.lint

    def boom(self, paths):  # noqa: ANN001, ANN202
        raise RuntimeError("something nianbao did not expect")

    monkeypatch.setattr(nianbao.lint.Linter, "run", boom)
    assert main(["lint", str(SEEDS[0])]) == 2
    err = capsys.readouterr().err
    assert "nianbao: 内部错误：RuntimeError: something nianbao did not expect" in err
    assert "nianbao --version" in err and "Traceback" not in err


# ------------------------------------------------------------------------------------ canonical JSON


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("json_huge_int.json", "过长的整数"),
        ("json_nan.json", "NaN/Infinity"),
        ("json_float_overflow.json", "数值过大"),
        ("json_surrogate.json", "代理字符"),
        ("json_deep.json", "嵌套层数过多"),
        ("json_huge_year.json", "/meta/report_year: 应不大于 2099"),  # the date rules' arithmetic overflowed
    ],
)
def test_hostile_canonical_json_is_nb01(host, name: str, message: str) -> None:
    error = lint(host, FUZZ / name).results[0].error
    assert error is not None and error.code == "NB01" and message in error.message


@pytest.mark.parametrize(
    "path", sorted(FORMATS.iterdir()) + [CORPUS / "pdf" / "letter_spaced.pdf"], ids=lambda p: p.name
)
def test_parse_output_is_valid_and_lints_back(host, context, tmp_path: Path, path: Path) -> None:
    """``nianbao parse`` of a DOCX wrote a column without a line, which the schema (and lint) refused."""
    doc = load_document(str(path), host.loaders, context)
    data = doc.to_dict()
    assert validate_report(data) == []
    canonical = tmp_path / "doc.json"
    canonical.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = lint(host, canonical).results[0]
    assert result.error is None
    assert codes(result) == codes(lint(host, path).results[0])


@pytest.mark.parametrize("sections", [5, [5], [{"paragraphs": 3}], [{"paragraphs": [7]}]], ids=repr)
def test_canonical_json_of_wrong_shape_is_nb01(host, context, tmp_path: Path, sections: object) -> None:
    """Anchors are filled in before validation, so the filling must take any shape (the fuzzer found an
    integer where the sections belong)."""
    data = load_document(str(CORPUS / "000_98b392332e9fbc59.txt"), host.loaders, context).to_dict()
    data["sections"] = sections
    canonical = tmp_path / "doc.json"
    canonical.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    error = lint(host, canonical).results[0].error
    assert error is not None and error.code == "NB01" and "规范文档" in error.message


def test_html_words_the_parser_repaired_stay_in_the_page(host, context) -> None:
    """A word lxml repaired is not in the source stream: its characters were placed one after another
    past the stream's end, and locating them ran for ever (3 GB in a minute; found by the fuzzer)."""
    path = FUZZ / "html_repaired_words.html"
    lines = path.read_text(encoding="utf-8", errors="replace").count("\n") + 1
    doc = load_document(str(path), host.loaders, context)
    located = [p.locate(0, len(p.text)) for s in doc.sections for p in s.paragraphs if p.text]
    assert located and all(1 <= loc.line <= lines for loc in located)
    assert lint(host, path).results[0].error is None


def test_run_of_digits_and_dashes_between_labels_is_read_in_linear_time(host) -> None:
    """A gap between table labels holding a long run of digits and dashes made the values-only pattern
    backtrack exponentially (no answer after 100 s; found by benchmarks/fuzz.py)."""
    from nianbao.plugins.assembler.tokens import _only_values

    assert _only_values(" 1 -2 3.5万元 — / ") and not _only_values("1-2-3-4-5-6-7-8-9-0-" * 20 + "件")
    result = lint(host, FUZZ / "html_digit_dash_run.html").results[0]
    assert result.error is None and "NB05" not in codes(result)
