"""A report's layout from its hand-checked truth plus its prose, for reports the text loader cannot read.

The seeds' layout comes from the text loader's reading (layout.build_layout). The 2021 corpus is pdfminer
text whose tables come out column by column, so its tables are drawn from the truth file instead
(tests/expected/2021/<report>.yaml) and only the prose is taken from the text: the title lines, the
preamble, and the paragraphs of the sections that carry no table. pdfminer breaks prose at every printed
line and puts a page number between pages; the lines are joined back into paragraphs here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from nianbao.document import Cell, Location, Row, Table
from nianbao.host import create_host
from nianbao.templates import Template

from ..truth import load_truth, truth_format, truth_path
from .layout import CORPUS, Block, HeadingBlock, ReportLayout, TextBlock, build_layout, seeds, table_layout

CORPUS_2021 = CORPUS / "2021"

_PAGE_NUMBER = re.compile(r"^[-－—]\s*\d+\s*[-－—]$")
_SUB_HEADING = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
# A space pdfminer leaves between two glyphs where one of them is Chinese: typesetting, not text.
_WIDE_GAP = re.compile(r"(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f])")


def corpus_2021() -> list[Path]:
    return sorted(CORPUS_2021.glob("*.txt"))


def _clean(line: str) -> str:
    return _WIDE_GAP.sub("", line.strip())


def _paragraphs(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Printed lines joined into paragraphs: a paragraph ends at a short line closed by 。 or ：, and a
    ``（一）`` sub-heading starts one."""
    full = max((len(text) for _, text in lines), default=0)
    out: list[tuple[int, str]] = []
    previous = ""
    for n, text in lines:
        ended = previous.endswith(("。", "：")) and len(previous) < full * 0.9
        if not out or ended or _SUB_HEADING.match(text):
            out.append((n, text))
        else:
            out[-1] = (out[-1][0], out[-1][1] + text)
        previous = text
    return out


def _raw(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("raw", value["value"]))
    return str(value)


def truth_tables(truth: dict[str, Any], fmt: Template) -> dict[str, Table]:
    """The truth file's tables as canonical tables (raw text = the number as the report prints it)."""
    out: dict[str, Table] = {}
    for table_id, rows in truth["tables"].items():
        spec = fmt.tables[table_id]
        columns = [c.key for c in spec.columns]
        labels = {r.key: r.label for r in spec.rows}
        table = Table(id=table_id, caption=spec.caption)
        for row_key, cells in rows.items():
            pairs = zip(columns, cells, strict=True) if isinstance(cells, list) else cells.items()
            table.rows[row_key] = Row(
                label=labels.get(row_key),
                cells={
                    col: Cell(
                        raw=_raw(v), value=v["value"] if isinstance(v, dict) else v, state="number", location=Location()
                    )
                    for col, v in pairs
                },
            )
        out[table_id] = table
    return out


def _iso_to_chinese(iso: str) -> str:
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{year}年{month}月{day}日"


def layout_from_truth(text: Path, formats: list[Template] | None = None) -> ReportLayout:
    """The layout of ``text`` (a corpus report) drawn from its truth file and its prose."""
    path = truth_path(text.stem)
    if path is None:
        raise FileNotFoundError(f"no truth file for {text.name}")
    truth = load_truth(path)
    fmt = truth_format(truth, formats if formats is not None else create_host(entry_points=False).templates)
    lines = [(n, _clean(t)) for n, t in enumerate(text.read_text("utf-8").splitlines(), start=1)]
    lines = [(n, t) for n, t in lines if t and not _PAGE_NUMBER.match(t)]

    headings = truth["sections"]["headings"]
    starts: dict[str, int] = {}  # section key -> index in ``lines`` of its heading
    at = 0
    for key in truth["sections"]["found"]:
        at = next(i for i in range(at, len(lines)) if lines[i][1] == headings[key])
        starts[key] = at
    first = min(starts.values())
    title_end = next(i for i in range(first) if "年度报告" in lines[i][1]) + 1

    blocks: list[Block] = [TextBlock("title", t, n) for n, t in lines[:title_end]]
    blocks += [TextBlock("preamble", t, n) for n, t in _paragraphs(lines[title_end:first])]
    tables = truth_tables(truth, fmt)
    ordinals = {s.key: i for i, s in enumerate(fmt.sections, start=1)}
    order = sorted(starts, key=starts.get)
    for i, key in enumerate(order):
        head = starts[key]
        end = starts[order[i + 1]] if i + 1 < len(order) else len(lines)
        n, text_ = lines[head]
        number, _, title = text_.partition("、")
        blocks.append(HeadingBlock(key, f"{number}、", ordinals.get(key), title, text_, n))
        section_tables = [t for t in fmt.tables.values() if t.section == key]
        if section_tables:
            # The tables are the section: its printed lines are table cells, drawn from the truth instead.
            for k, spec in enumerate(section_tables, start=1):
                if spec.id in tables:
                    blocks.append(table_layout(spec, tables[spec.id], n + k))
            continue
        blocks += [TextBlock("paragraph", t, m) for m, t in _paragraphs(lines[head + 1 : end])]
    meta = truth["meta"]
    last = blocks[-1].line
    if meta.get("signature_organ"):
        blocks.append(TextBlock("signature", meta["signature_organ"], last + 1))
    if meta.get("signature_date"):
        blocks.append(TextBlock("signature", _iso_to_chinese(meta["signature_date"]), last + 2))
    return ReportLayout(
        stem=text.stem,
        edition=fmt.edition,
        title=meta["title"],
        blocks=blocks,
        meta={
            "title": meta["title"],
            "organ": meta["organ"],
            "report_year": meta["report_year"],
            "edition": meta["edition"],
            "signature_organ": meta.get("signature_organ"),
            "signature_date": _iso_to_chinese(meta["signature_date"]) if meta.get("signature_date") else None,
            "signature_date_iso": meta.get("signature_date"),
            "publication_date": meta.get("publication_date"),
            "statistics_period": None,
            "portal": {},
        },
    )


def corpus_layouts() -> list[ReportLayout]:
    """Every report the format fixtures are drawn for: the seeds (as the text loader reads them), then the
    2021 corpus (from its truth)."""
    return [build_layout(seed) for seed in seeds()] + [layout_from_truth(text) for text in corpus_2021()]
