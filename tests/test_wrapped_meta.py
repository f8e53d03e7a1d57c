"""Metadata a line break cuts in two: a centred title a PDF wrapped, a period, a portal value.

The text seeds print each on one line; here the same report is read with the lines broken where
a PDF export breaks them, and must give the same metadata, located from the first line into the
second.
"""

from __future__ import annotations

from nianbao.loading import load_document

from .conftest import CORPUS

SEED_004 = CORPUS / "004_5ec655b7f2230a8a.txt"
TITLE = "常州市應急管理局2020年政府信息公開工作年度報告"


def _load(host, context, text: str):
    return load_document("report.txt", host.loaders, context, data=text.encode("utf-8"))


def _cut(text: str, before: str, after: str, count: int = 1) -> str:
    """``text`` with a line break put between ``before`` and ``after``."""
    assert text.count(before + after) >= count
    return text.replace(before + after, before + "\n" + after, count)


def _wrapped_004() -> str:
    text = SEED_004.read_text("utf-8")
    lines = text.split("\n")
    title_line = lines.index(TITLE)  # the title, not the portal's 信息名称 that repeats it
    lines[title_line] = TITLE.replace("工作年度報告", "工作\n年度報告")
    text = "\n".join(lines)
    text = _cut(text, "廢止日期:", "有效")
    return _cut(text, "2020年12月", "31日。本年報")


def test_title_period_and_portal_value_cut_by_line_breaks_read_as_on_one_line(host, context) -> None:
    want = _load(host, context, SEED_004.read_text("utf-8")).meta
    got = _load(host, context, _wrapped_004()).meta
    assert got.title.normalised == want.title.normalised == "常州市应急管理局2020年政府信息公开工作年度报告"
    assert got.organ == want.organ == "常州市应急管理局"
    assert got.statistics_period.start == want.statistics_period.start == "2020-01-01"
    assert got.statistics_period.end == want.statistics_period.end == "2020-12-31"
    assert {k: v.value for k, v in got.portal.items()} == {k: v.value for k, v in want.portal.items()}
    assert got.portal["废止日期"].value == "有效"

    title = got.title.location
    assert title.end_line == title.line + 1 and title.text == "常州市應急管理局2020年政府信息公開工作\n年度報告"
    assert got.title.as_written == "常州市应急管理局2020年政府信息公开工作\n年度报告"
    period = got.statistics_period.location
    assert period.end_line == period.line + 1 and period.text.endswith("2020年12月\n31日")
    expiry = got.portal["废止日期"].location
    assert (expiry.line, expiry.column, expiry.text) == (_wrapped_004().split("\n").index("有效") + 1, 1, "有效")


def test_complete_lines_are_not_joined(host, context) -> None:
    # A label without a value followed by the title keeps no value; the title stays one line.
    text = SEED_004.read_text("utf-8").replace("廢止日期:有效\n", "廢止日期:\n")
    meta = _load(host, context, text).meta
    assert "废止日期" not in meta.portal
    assert meta.title.location.line == meta.title.location.end_line
    assert meta.title.normalised == "常州市应急管理局2020年政府信息公开工作年度报告"


def test_report_year_from_a_sentence_cut_by_a_line_break(host, context) -> None:
    # 002 names its year only in a preamble sentence; a PDF wraps it inside 信息公开.
    seed = next(CORPUS.glob("002_*.txt")).read_text("utf-8")
    doc = _load(host, context, _cut(seed, "2020年度我局信息公", "开工作年度报告"))
    assert doc.meta.report_year == 2020 and doc.meta.report_year_source == "text"
