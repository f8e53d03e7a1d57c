"""``--format html``: the report a person opens, checked as HTML and in a real browser.

``tests/corpus/people/tables_2020.txt`` is a complete 2020 report (all zeros) with three edits whose
findings are known by hand: table 三's first row reads 自然人 3 … 总计 5, so AR02 fails on that row and
AR01 on the 自然人 and 总计 columns (rows 一, 二, （七）, 四 of each); 第二十条第（五）项 行政许可 has
处理决定数量 -2 (TB05, error); 第二十条第（六）项 行政强制 has "/" for 本年增/减 (TB04, warning).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html
from nianbao.plugins.emitters.html_tables import header_rows, layout
from nianbao.templates import Template

from .browser import geometry, measurable_copy, screenshot
from .conftest import CORPUS, SEEDS
from .test_cli import run

REPORT = CORPUS / "people" / "tables_2020.txt"
T3_ROW = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
]
EXPECTED_ERRORS = (
    {f"t3.new_received.{c}" for c in T3_ROW}  # AR02: the row's total is not the sum of its applicants
    | {
        f"t3.{r}.{c}"
        for r in ("new_received", "carried_over", "result_total", "carry_forward")
        for c in ("natural_person", "total")
    }  # AR01
    | {"t2_5.licensing.decisions"}  # TB05
)
EXPECTED_WARNINGS = {"t2_6.coercion.items_change"}  # TB04
# The page's colours (report.css), as Chromium paints them in sRGB.
COLOURS = {
    "error": (0xFD, 0xE2, 0xDF),
    "warning": (0xFF, 0xF0, 0xC2),
    "info": (0xDC, 0xEB, 0xFB),
    "doubt": (0xE9, 0xE2, 0xF5),
    "plain": (0xFF, 0xFF, 0xFF),
}


def _lint_html(tmp: Path, *paths: str, name: str = "page.html", status: tuple[int, ...] = (1,)) -> Path:
    out = tmp / name
    result = run("lint", "--format", "html", "--output", str(out), *paths)
    assert result.returncode in status, result.stderr.decode("utf-8")
    return out


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _lint_html(tmp_path_factory.mktemp("html"), str(REPORT))


@pytest.fixture(scope="module")
def findings() -> list[dict]:
    return json.loads(run("lint", "--format", "json", str(REPORT)).stdout)["files"][0]["findings"]


def _cells_by_class(doc: lxml_html.HtmlElement) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {k: set() for k in COLOURS}
    for td in doc.iter("td"):
        ref = td.get("data-ref")
        if not ref:
            continue
        classes = set((td.get("class") or "").split())
        kind = next((k for k in ("error", "warning", "info") if f"sev-{k}" in classes), None)
        out[kind or ("doubt" if "doubt" in classes else "plain")].add(ref)
    return out


def test_the_failing_cells_are_the_cells_the_findings_name(page: Path, findings: list[dict]) -> None:
    cells = _cells_by_class(lxml_html.fromstring(page.read_bytes()))
    named = {s: {c for f in findings if f["severity"] == s for c in f["cells"]} for s in ("error", "warning")}
    assert named["error"] == EXPECTED_ERRORS and named["warning"] == EXPECTED_WARNINGS
    assert cells["error"] == EXPECTED_ERRORS
    assert cells["warning"] == EXPECTED_WARNINGS
    assert cells["info"] == cells["doubt"] == set()
    # every other data cell of the statutory tables is drawn plainly
    assert len(cells["plain"]) == 6 + 6 + 6 + 2 + 2 + 23 * 7 + 15 - len(EXPECTED_ERRORS | EXPECTED_WARNINGS)


def test_each_failing_cell_links_to_its_finding_and_back(page: Path, findings: list[dict]) -> None:
    doc = lxml_html.fromstring(page.read_bytes())
    ids = {el.get("id") for el in doc.iter() if el.get("id")}
    for td in doc.xpath("//td[contains(@class, 'failing')]"):
        link = td.find("a")
        assert link is not None and link.get("href")[1:] in ids
        finding = doc.get_element_by_id(link.get("href")[1:])
        assert finding.xpath(f".//a[@href='#{td.get('id')}']"), "the finding lists the cell it highlights"
        assert re.match(r"(AR0[12]|TB0[45]) ", td.get("title"))
    ar01 = [li for li in doc.xpath("//li[contains(@class, 'finding')]") if "AR01" in li.text_content()]
    assert len(ar01) == 2 and all(len(li.xpath(".//p[@class='cells']/a")) == 4 for li in ar01)  # both sides


def test_findings_are_grouped_by_section_with_text_and_explanation(page: Path) -> None:
    doc = lxml_html.fromstring(page.read_bytes())
    headings = [h.text_content() for h in doc.xpath("//section[@class='report']//h3")]
    assert headings[:3] == [
        "一、总体情况第3行第1列",
        "二、主动公开政府信息情况第5行第1列",
        "三、收到和处理政府信息公开申请情况第24行第1列",
    ]
    section_three = doc.get_element_by_id("r1-s-s3").getnext()
    codes = [li.xpath(".//span[@class='code']")[0].text for li in section_three.xpath("li")]
    assert codes == ["AR01", "AR01", "AR02"]
    first = section_three.xpath("li")[0]
    assert first.xpath(".//pre[@class='text']")[0].text == "3"  # the offending text as written
    explanation = first.xpath(".//details")[0].text_content()
    assert "第一项加第二项之和，等于第三项加第四项之和" in explanation and "依据：" in explanation


def test_tables_are_drawn_from_the_format_data(host) -> None:
    """Every table of both formats: each column has one leaf header cell, its label; every header
    level spans all columns; each group label spans exactly the data rows below it."""
    formats: list[Template] = host.templates
    for fmt in formats:
        for spec in fmt.tables.values():
            levels = header_rows(spec)
            width = len(spec.columns)
            for at, cells in enumerate(levels):
                from_above = sum(c.colspan for up in range(at) for c in levels[up] if up + c.rowspan > at)
                assert sum(c.colspan for c in cells) + from_above == width, (spec.id, at)
            leaves = {
                c.columns[0]: c.text
                for at, cells in enumerate(levels)
                for c in cells
                if c.colspan == 1 and at + c.rowspan == len(levels)
            }
            assert leaves == {c.key: c.label for c in spec.columns}, spec.id
            shape = layout(spec)
            assert [r.spec.key for r in shape.rows] == [r.key for r in spec.data_rows]
            for group in (r for r in spec.rows if not r.data):
                below = {r.key for r in spec.rows if r.parent == group.key}
                while more := {r.key for r in spec.rows if r.parent in below} - below:
                    below |= more
                span = next(lab.rowspan for row in shape.rows for lab in row.labels if lab.key == group.key)
                assert span == sum(1 for r in spec.data_rows if r.key in below), (spec.id, group.key)
            for row in shape.rows:  # every row fills the label columns
                depth = sum(
                    1
                    for other in shape.rows
                    for lab in other.labels
                    if lab.group and row.spec.key in _below(spec, lab.key)
                )
                own = sum(lab.colspan for lab in row.labels if not lab.group)
                assert shape.label_columns == 0 or depth + own == shape.label_columns, (spec.id, row.spec.key)


def _below(spec, key: str) -> set[str]:
    out = {r.key for r in spec.rows if r.parent == key}
    while more := {r.key for r in spec.rows if r.parent in out} - out:
        out |= more
    return out


def test_table_three_header_matches_its_printed_form(host) -> None:
    """表三 as printed: 申请人情况 over seven columns; 自然人 and 总计 down two levels; 法人或其他组织
    over five."""
    spec = next(f for f in host.templates if f.edition == "2021").tables["t3"]
    levels = header_rows(spec)
    assert [(c.text, c.colspan, c.rowspan) for c in levels[0]] == [("申请人情况", 7, 1)]
    assert [(c.text, c.colspan, c.rowspan) for c in levels[1]] == [
        ("自然人", 1, 2),
        ("法人或其他组织", 5, 1),
        ("总计", 1, 2),
    ]
    assert [c.columns for c in levels[2]] == [(k,) for k in T3_ROW[1:6]]


def test_self_contained_deterministic_and_escaped(tmp_path: Path, page: Path) -> None:
    text = page.read_text("utf-8")
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert not re.search(r"""(src|href)=["'](?!#)""", text), "nothing is loaded or linked from elsewhere"
    assert "http://" not in text and "https://" not in text and "@import" not in text and "url(" not in text
    assert _lint_html(tmp_path, str(REPORT)).read_bytes() == page.read_bytes()
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(REPORT.read_text("utf-8").replace("规章\t0\t0\t0", "规章\t<b>x</b>\t0\t0"), "utf-8")
    written = _lint_html(tmp_path, str(hostile), name="hostile.html").read_text("utf-8")
    assert "<b>x</b>" not in written and "&lt;b&gt;x&lt;/b&gt;" in written  # shown, never interpreted


def test_missing_parts_unreadable_files_and_doubted_cells(tmp_path: Path) -> None:
    """A missing section, tables and rows are shown as missing; an unreadable file says why; cells
    the reader doubted (NB03 scope, here from a canonical document) are marked as unread, not failing."""
    parsed = json.loads(run("parse", str(REPORT)).stdout)
    doubted = parsed["tables"]["t4"]["rows"]["cases"]["cells"]["review_total"]["location"]
    parsed["diagnostics"].append(
        {
            "code": "NB03",
            "message": "表四的数字连在一起，无法确定拆法，请人工核对",
            "location": doubted,
            "scope": ["t4.cases.review_total"],
            "candidates": [],
        }
    )
    canonical = tmp_path / "doubted.json"
    canonical.write_text(json.dumps(parsed, ensure_ascii=False), "utf-8")
    broken = tmp_path / "broken.txt"
    broken.write_bytes(bytes(range(256)) * 4)
    out = _lint_html(tmp_path, str(SEEDS[3]), str(canonical), str(broken), status=(2,))
    doc = lxml_html.fromstring(out.read_bytes())
    seed = doc.get_element_by_id("r1")
    assert "（报告中缺少这一部分）" in seed.get_element_by_id("r1-s-s3").text_content()
    missing = [f.xpath("figcaption")[0].text_content() for f in seed.xpath(".//figure[contains(@class, 'absent')]")]
    assert missing == [
        "第二十条第（八）项：行政事业性收费项目及其依据、标准",
        "第二十条第（九）项：政府集中采购项目的目录、标准及实施情况",
    ]
    absent_rows = {
        td.get("data-ref").rsplit(".", 1)[0]
        for td in seed.xpath(".//td[contains(@class, 'absent') and contains(@class, 'failing')]")
    }
    assert absent_rows == {"t2_6.penalty", "t2_6.coercion", "t3.new_received", "t3.carried_over"}  # TB02
    cells = _cells_by_class(doc.get_element_by_id("r2"))
    assert cells["doubt"] == {"t4.cases.review_total"}
    assert "读取存疑" in doc.get_element_by_id("r2").text_content()
    unreadable = doc.get_element_by_id("r3").text_content()
    assert "无法检查" in unreadable and "NB01" in unreadable
    rows = doc.xpath("//table[@class='sortable']/tbody/tr")
    assert [r.xpath("td")[-1].text_content() for r in rows] == ["未通过", "未通过", "无法检查"]


# ------------------------------------------------------------------------------------------ in a browser


def _sample(image, box: dict) -> tuple[int, int, int]:
    """The background of a table cell: left of its right-aligned number, inside frame and padding."""
    x = int(box["x"] + 5)
    y = int(box["y"] + box["h"] / 2)
    return image.getpixel((x, y))[:3]


def _kind(rgb: tuple[int, int, int]) -> str:
    best = min(COLOURS, key=lambda k: sum(abs(a - b) for a, b in zip(COLOURS[k], rgb, strict=True)))
    assert sum(abs(a - b) for a, b in zip(COLOURS[best], rgb, strict=True)) <= 12, rgb
    return best


def test_highlighted_cells_in_a_real_browser(tmp_path: Path) -> None:
    """Chromium renders the page to PNG; the colour painted in each data cell says which cells are
    highlighted, and they must be exactly the failing ones."""
    from PIL import Image

    page = measurable_copy(_lint_html(tmp_path, str(REPORT)))
    boxes = geometry(page)
    cells = [b for b in boxes["boxes"] if b["tag"] == "td" and b["ref"]]
    assert len(cells) == 6 + 6 + 6 + 2 + 2 + 23 * 7 + 15
    png = screenshot(page, int(boxes["height"]) + 10, tmp_path / "page.png")
    with Image.open(png) as image:
        image = image.convert("RGB")
        painted: dict[str, set[str]] = {k: set() for k in COLOURS}
        for box in cells:
            painted[_kind(_sample(image, box))].add(box["ref"])
    assert painted["error"] == EXPECTED_ERRORS
    assert painted["warning"] == EXPECTED_WARNINGS
    assert painted["info"] == painted["doubt"] == set()


def test_index_rows_sort_in_a_real_browser(tmp_path: Path) -> None:
    """Clicking a column of the batch overview sorts its rows (the page's script, run by Chromium)."""
    page = _lint_html(tmp_path, *map(str, SEEDS))
    click = 'document.querySelectorAll("table.sortable th button")[5].click();'  # 警告
    rows = [b for b in geometry(measurable_copy(page, before=click))["boxes"] if b["tag"] == "tr"]
    warnings = [int(b["cells"][5]) for b in sorted(rows, key=lambda b: b["y"])]
    assert len(warnings) == len(SEEDS) and warnings == sorted(warnings) and warnings[0] < warnings[-1]
    rows = [b for b in geometry(measurable_copy(page))["boxes"] if b["tag"] == "tr"]
    assert [b["cells"][0] for b in sorted(rows, key=lambda b: b["y"])] == sorted(b["cells"][0] for b in rows)
