"""Chinese numerals shared by the reader (dates) and the rules (enumerations)."""

from __future__ import annotations

from nianbao.plugins.text.numerals import cn_digits, cn_number, cn_numeral

from .test_cli import run


def test_numerals_both_ways() -> None:
    assert [cn_number(cn_numeral(n)) for n in range(1, 100)] == list(range(1, 100))
    assert (cn_number("十"), cn_number("十五"), cn_number("三十"), cn_number("三十一"), cn_number("〇")) == (
        10,
        15,
        30,
        31,
        0,
    )
    assert cn_digits("二〇二一") == 2021 and cn_digits("二O二一") == 2021 and cn_digits("二十") is None


def test_what_is_no_numeral_is_none() -> None:
    assert [cn_number(t) for t in ("", "十十", "三十十", "一百", "二三", "十五六", "五x")] == [None] * 7


def test_an_enumeration_of_ten_ten_is_no_internal_error(tmp_path) -> None:
    """``十十是`` once made TX06 raise (NB05) instead of reading no marker."""
    report = tmp_path / "report.txt"
    report.write_text(
        "某某局2020年政府信息公开工作年度报告\n一、总体情况\n一是加强领导。二是完善制度。十十是做好宣传。\n", "utf-8"
    )
    out = run("lint", "--format", "json", str(report)).stdout.decode("utf-8")
    assert '"code": "TX06"' not in out and '"code": "NB05"' not in out
