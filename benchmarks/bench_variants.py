"""The reader on tables it has never seen: random values, consistent with the identities, drawn into each
corpus report's layout, written as an HTML page and a Word file and serialised by the tools people use
(and by the generator's emulations of OCR markdown and of a Word table copied as text).

    python benchmarks/bench_variants.py [--variants N] [--tool NAME]

Needs the ``dev`` extra (html2text, markitdown, inscriptis, mammoth) and Debian's w3m, as the
serialisation generator does (LibreOffice and PDF are left out: converting each variant takes seconds). Prints, per tool, cells recovered / total, doubted, missed and wrong, counted as
tests/robustness.py counts them. The corpus files are mostly zeros; here every table holds numbers of
one to four digits, negative 本年增/减 and decimals, so a reader tuned to the corpus shows it. Goal:
wrong 0 always; every cell recovered where the serialisation keeps the values apart.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.make_fixtures import docx_build, html_build, serialise  # noqa: E402
from tests.make_fixtures.layout import ReportLayout, TableBlock  # noqa: E402
from tests.make_fixtures.truth_layout import corpus_layouts  # noqa: E402
from tests.robustness import Score, score  # noqa: E402

DOCX_TOOLS: dict[str, tuple[Callable[[Path], str] | None, str]] = {
    "docx": (None, ".docx"),
    "mammoth-raw": (serialise.mammoth_raw, ".txt"),
    "mammoth-md": (serialise.mammoth_md, ".md"),
    "mammoth-html": (serialise.mammoth_html, ".html"),
    "markitdown-docx": (serialise.FILE_TOOLS["markitdown-docx"][2], ".md"),
}
TOOLS: dict[str, tuple[Callable[[Path], str] | None, str]] = {
    "html": (None, ".html"),
    "lxml-text": (serialise.lxml_text, ".txt"),
    "inscriptis": (serialise.inscriptis_text, ".txt"),
    "w3m": (serialise.w3m_dump, ".txt"),
    "html2text": (serialise.html2text_md, ".md"),
    "markitdown-html": (serialise.markitdown_md, ".md"),
}


def _emulations(layout: ReportLayout) -> list[tuple[str, tuple[Callable[[Path], str], str]]]:
    """The serialisations the generator emulates from a layout (OCR markdown, a Word table copied)."""
    return [
        (tool, ((lambda _page, f=function: f(layout)), ext))
        for tool, (ext, function, _) in serialise.LAYOUT_TOOLS.items()
    ]


def _count(r: random.Random, big: bool = False) -> int:
    x = r.random()
    if x < 0.55:
        return 0
    return r.randint(1, 30) if x < 0.85 else r.randint(31, 4000 if big else 500)


def _table(spec, r: random.Random) -> dict[tuple[str, str], float | int]:  # noqa: ANN001 - a TableSpec
    """Values for every cell of ``spec`` that satisfy its identities (the row totals, 一+二 = 三+四,
    the results adding up to （七）总计, 表四's totals)."""
    columns = [c.key for c in spec.columns]
    rows = [x.key for x in spec.data_rows]
    v: dict[tuple[str, str], float | int] = {}
    if spec.id == "t3":
        ends = ("new_received", "carried_over", "result_total", "carry_forward")
        leaves = [x for x in rows if x not in ends]
        for c in columns[:-1]:
            for leaf in leaves:
                v[(leaf, c)] = _count(r)
            v[("result_total", c)] = sum(v[(leaf, c)] for leaf in leaves)
            v[("carry_forward", c)] = _count(r)
            owed = v[("result_total", c)] + v[("carry_forward", c)]
            v[("carried_over", c)] = r.randint(0, owed) if r.random() < 0.4 else 0
            v[("new_received", c)] = owed - v[("carried_over", c)]
        for row in rows:
            v[(row, "total")] = sum(v[(row, c)] for c in columns[:-1])
    elif spec.id == "t4":
        for group in ("review", "lit_direct", "lit_after_review"):
            parts = [f"{group}_{x}" for x in ("upheld", "corrected", "other", "pending")]
            for part in parts:
                v[("cases", part)] = _count(r)
            v[("cases", f"{group}_total")] = sum(v[("cases", part)] for part in parts)
    else:
        for row in rows:
            for column in spec.columns:
                if column.type == "decimal":
                    v[(row, column.key)] = round(r.uniform(0, 900), 2) if r.random() < 0.6 else 0
                elif column.signed:
                    v[(row, column.key)] = r.randint(-20, 20)
                else:
                    v[(row, column.key)] = _count(r, big=True)
    return v


def variant(layout: ReportLayout, formats: dict, r: random.Random) -> tuple[ReportLayout, dict[str, float | int]]:
    """``layout`` with every printed value cell given a new value, and the truth of those cells."""
    fmt = formats[layout.edition]
    truth: dict[str, float | int] = {}
    blocks = []
    for block in layout.blocks:
        if not (isinstance(block, TableBlock) and block.id in fmt.tables):
            blocks.append(block)
            continue
        values = _table(fmt.tables[block.id], r)
        cells = []
        for cell in block.cells:
            if cell.role == "value" and cell.row_key and cell.column and cell.text.strip():
                value = values.get((cell.row_key, cell.column))
                if value is None:  # a row of another edition the report prints (2019's single （六）)
                    value = _count(r)
                text = f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
                cell = dataclasses.replace(cell, text=text)
                truth[f"{block.id}.{cell.row_key}.{cell.column}"] = float(text) if "." in text else int(text)
            cells.append(cell)
        blocks.append(dataclasses.replace(block, cells=cells))
    return dataclasses.replace(layout, blocks=blocks), truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=2, help="random variants of each report")
    parser.add_argument("--tool", help="only this tool")
    args = parser.parse_args()

    from nianbao.host import create_host
    from nianbao.loading import InputError, LoadContext, load_document

    host = create_host(entry_points=False)
    context = LoadContext(templates=host.templates)
    formats = {f.edition: f for f in host.templates}
    scores: dict[str, list[Score]] = {}
    wrong: list[str] = []
    for layout in corpus_layouts():
        for k in range(args.variants):
            r = random.Random(zlib.crc32(f"{layout.stem}/{k}".encode()))
            drawn, truth = variant(layout, formats, r)
            with tempfile.TemporaryDirectory() as tmp:
                page = Path(tmp) / f"{layout.stem}.html"
                page.write_bytes(html_build.html_bytes(drawn, html_build.page_of(layout.stem)))
                word = Path(tmp) / f"{layout.stem}.docx"
                word.write_bytes(docx_build.docx_bytes(drawn, docx_build.features_of(layout.stem)))
                runs = [(t, w, page) for t, w in [*TOOLS.items(), *_emulations(drawn)]]
                runs += [(t, w, word) for t, w in DOCX_TOOLS.items()]
                for tool, (write, ext), source in runs:
                    if args.tool and tool != args.tool:
                        continue
                    path = source
                    if write is not None:
                        path = Path(tmp) / f"{layout.stem}.{tool}{ext}"
                        path.write_text(write(source), "utf-8")
                    try:
                        s = score(load_document(str(path), host.loaders, context), truth)
                    except InputError as exc:
                        s = score(None, truth, error=str(exc))
                    scores.setdefault(tool, []).append(s)
                    wrong += [f"{tool} {layout.stem} #{k}: {w}" for w in s.wrong]
    print(f"{'tool':18s} recovered/total    doubted  missed  wrong")
    for tool, done in scores.items():
        total = sum(s.total for s in done)
        recovered = sum(len(s.recovered) for s in done)
        print(
            f"{tool:18s} {recovered:6d}/{total:<6d} {100 * recovered / total:5.1f}%  "
            f"{sum(len(s.doubted) for s in done):6d}  {sum(len(s.missed) for s in done):6d}  "
            f"{sum(len(s.wrong) for s in done):5d}"
        )
    for line in wrong[:20]:
        print("wrong:", line)


if __name__ == "__main__":
    main()
