"""Write tests/corpus/pdf/t3_over_pages*.pdf: table 三 running over pages, its label cells narrow and wrapped.

Drawn from a 2021 corpus report's truth (truth_layout) and converted with LibreOffice as pdf_build does,
but laid out the way many agencies print the table: body text at 三号 (16 pt), the three label columns
squeezed so every row label wraps over several lines (12 pt table text), the header rows repeated on each page, and rows
allowed to break across a page. A row whose page break falls inside its label then has its values on one
page and the rest of its label, with empty value cells, at the top of the next.

Each PDF's truth is its source report's (tests/expected/pdf/<name>.yaml, copied from tests/expected/2021).
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

from . import pdf_build
from .docx_build import docx_bytes
from .layout import CORPUS
from .truth_layout import CORPUS_2021, layout_from_truth

OUT_DIR = CORPUS / "pdf"
TRUTH_DIR = CORPUS.parent / "expected" / "pdf"

# name -> (source report, label column widths in twips: group, sub-group, leaf label)
CASES: dict[str, tuple[str, tuple[int, int, int]]] = {
    "t3_over_pages": ("huaian-city-2024", (420, 640, 1100)),
    # The 2019-style single （六）其他处理 row, and a wider leaf column: other rows meet the page break.
    "t3_over_pages_2019_row": ("hongze-district-2024", (420, 700, 1500)),
}


def _narrow_t3(xml: str, labels: tuple[int, int, int]) -> str:
    """Give table 三 (the table with ten grid columns) narrow label columns and let its rows split."""

    def table(m: re.Match[str]) -> str:
        tbl = m.group(0)
        count = len(re.findall(r"<w:gridCol ", tbl))
        if count != 10:
            return tbl
        need = pdf_build._number_widths(tbl)
        values = [need.get(i, 0) for i in range(3, count)]
        spare = pdf_build.TEXT_WIDTH_TWIPS - sum(labels) - sum(values)
        widths = [*labels, *(v + spare // len(values) for v in values)]
        cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        tbl = re.sub(r"<w:tblGrid>.*?</w:tblGrid>", f"<w:tblGrid>{cols}</w:tblGrid>", tbl, flags=re.S)
        return tbl.replace(
            '<w:tblW w:w="0" w:type="auto"/>', f'<w:tblW w:w="{pdf_build.TEXT_WIDTH_TWIPS}" w:type="dxa"/>', 1
        )

    xml = re.sub(r"<w:tbl>.*?</w:tbl>", table, xml, flags=re.S)
    xml = pdf_build._widen_tables(xml)  # the other tables as the format fixtures have them
    return re.sub(r"<w:tbl>.*?</w:tbl>", _table_text_size, xml, flags=re.S)


def _table_text_size(m: re.Match[str]) -> str:
    """小四 (12 pt) table text under the 三号 body, as such reports set it; 五号 (10.5 pt) in table 四, whose
    fifteen columns would otherwise wrap a three-digit count."""
    tbl = m.group(0)
    size = 21 if len(re.findall(r"<w:gridCol ", tbl)) >= 15 else 24
    return tbl.replace("<w:r>", f'<w:r><w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>')


def _bigger_body(styles: str) -> str:
    return styles.replace('<w:sz w:val="28"/>', '<w:sz w:val="32"/>', 1)


def _docx(report: str, labels: tuple[int, int, int]) -> bytes:
    layout = layout_from_truth(CORPUS_2021 / f"{report}.txt")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes(layout, set()))) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            part = zin.read(info)
            if info.filename == "word/document.xml":
                part = _narrow_t3(part.decode("utf-8"), labels).encode("utf-8")
            elif info.filename == "word/styles.xml":
                part = _bigger_body(part.decode("utf-8")).encode("utf-8")
            zout.writestr(info, part)
    return out.getvalue()


def build(out_dir: Path = OUT_DIR, truth_dir: Path = TRUTH_DIR) -> list[Path]:
    if not pdf_build.available():
        return []
    written: list[Path] = []
    truth_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sources = []
        for name, (report, labels) in CASES.items():
            source = work / f"{name}.docx"
            source.write_bytes(_docx(report, labels))
            sources.append(source)
            truth = truth_dir / f"{name}.yaml"
            header = (
                f"# Truth of tests/corpus/pdf/{name}.pdf, drawn by tests/make_fixtures/pdf_pagebreak_build.py from\n"
                f"# {report}'s truth: the values are that report's (tests/expected/2021/{report}.yaml, whose comments\n"
                "# say how each was read). Copied here by the builder; edit the source, not this file.\n"
            )
            truth.write_text(header + (CORPUS.parent / "expected" / "2021" / f"{report}.yaml").read_text("utf-8"))
            written.append(truth)
        written += pdf_build._convert(sources, work, out_dir, latin=True)
    return written


if __name__ == "__main__":
    for p in build():
        print(p)
