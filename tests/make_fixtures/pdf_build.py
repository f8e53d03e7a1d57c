"""Write tests/corpus/formats/<seed>.pdf from every <seed>.docx with LibreOffice (run once, not in CI).

Needs ``soffice`` (Debian: libreoffice-writer-nogui) and a CJK font. Fontconfig is pointed at
Droid Sans Fallback alone (Debian: fonts-droid-fallback) so that every font the DOCX asks for
(仿宋_GB2312, 黑体, Times New Roman, ...) falls back to the one font: one subset per file, and its
compact TrueType outlines keep each PDF near 50 KB where Noto CJK's made 110-170 KB. Droid's
digits also trip pdfminer's text decoding, the real-world case where pypdfium2 must supply the
text of the cells.

The DOCX tables give their columns as ``auto`` widths of 1000 twips, which LibreOffice lays out
one character per line; the copy converted here stretches each table to the text width first.
Tracked changes are accepted in the copy (LibreOffice would print deletions struck through).
The copy is otherwise the fixture as committed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from .layout import FORMATS_DIR

FONT = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
# Latin text (the DOCX's Times New Roman) in a metric twin, for PDFs whose digits pdfminer must decode
# (Debian: fonts-liberation2, which LibreOffice pulls in).
LATIN_FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
TEXT_WIDTH_TWIPS = 8300  # A4 with 2.5 cm margins

_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{dir}</dir>
  <cachedir>{cache}</cachedir>
{rules}
</fontconfig>
"""
_DROID_ONLY = """  <match target="pattern"><edit name="family" mode="assign" binding="strong"><string>Droid Sans Fallback</string></edit></match>"""
# Times New Roman -> Liberation Serif; every other family (the Chinese ones) -> Droid Sans Fallback.
_LATIN_RULES = """  <match target="pattern"><test name="family"><string>Times New Roman</string></test>
    <edit name="family" mode="assign" binding="strong"><string>Liberation Serif</string></edit></match>
  <match target="pattern"><test name="family" qual="first" compare="not_eq"><string>Liberation Serif</string></test>
    <edit name="family" mode="assign" binding="strong"><string>Droid Sans Fallback</string></edit></match>"""


def available() -> bool:
    return shutil.which("soffice") is not None and FONT.exists()


def _cells(table: str):  # noqa: ANN202 - yields (row, grid column, span, text)
    for r, row in enumerate(re.findall(r"<w:tr[ >].*?</w:tr>", table, flags=re.S)):
        column = 0
        for cell in re.findall(r"<w:tc>.*?</w:tc>", row, flags=re.S):
            text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", cell)).strip()
            span = re.search(r'<w:gridSpan w:val="(\d+)"/>', cell)
            width = int(span.group(1)) if span else 1
            yield r, column, width, text
            column += width


def _is_number(text: str) -> bool:
    return re.fullmatch(r"-?[\d.,]+(万元)?", text) is not None


def _label_columns(table: str) -> set[int]:
    """Grid columns holding row labels: a cell with Chinese text on a row that also has a number."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for r, column, _, text in _cells(table):
        rows.setdefault(r, []).append((column, text))
    labels: set[int] = set()
    for cells in rows.values():
        if any(_is_number(text) for _, text in cells):
            labels.update(column for column, text in cells if re.search(r"[\u4e00-\u9fff]", text))
    return labels


def _number_widths(table: str) -> dict[int, int]:
    """The width (twips) each value column needs to print its longest number on one line."""
    need: dict[int, int] = {}
    for _, column, span, text in _cells(table):
        if span == 1 and _is_number(text):
            # ~7 pt a digit at the body size, plus Word's default cell margins on both sides.
            need[column] = max(need.get(column, 0), 140 * len(text) + 280)
    return need


def _column_widths(table: str, count: int) -> list[int]:
    """Label columns get three shares to a value column's one; a value column too narrow for its longest
    number is widened at the label columns' expense (a label wraps, a number must not)."""
    labels = _label_columns(table)
    shares = [3 if i in labels else 1 for i in range(count)]
    widths = [TEXT_WIDTH_TWIPS * s // sum(shares) for s in shares]
    need = _number_widths(table)
    extra = sum(max(0, need.get(i, 0) - widths[i]) for i in range(count) if i not in labels)
    label_total = sum(widths[i] for i in labels)
    if extra and label_total > extra:
        for i in range(count):
            if i in labels:
                widths[i] -= extra * widths[i] // label_total
            else:
                widths[i] = max(widths[i], need.get(i, 0))
    return widths


def _widen_tables(xml: str) -> str:
    """Stretch every table to the text width (see ``_column_widths``)."""

    def table(m: re.Match[str]) -> str:
        tbl = m.group(0)
        grid = re.search(r"<w:tblGrid>.*?</w:tblGrid>", tbl, flags=re.S)
        if grid is None:
            return tbl
        count = len(re.findall(r"<w:gridCol ", grid.group(0)))
        if not count:
            return tbl
        cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in _column_widths(tbl, count))
        tbl = tbl[: grid.start()] + f"<w:tblGrid>{cols}</w:tblGrid>" + tbl[grid.end() :]
        return tbl.replace('<w:tblW w:w="0" w:type="auto"/>', f'<w:tblW w:w="{TEXT_WIDTH_TWIPS}" w:type="dxa"/>', 1)

    return re.sub(r"<w:tbl>.*?</w:tbl>", table, xml, flags=re.S)


def _accept_changes(xml: str) -> str:
    """Print the document as its tracked changes accepted, as a PDF export from Word would be read."""
    xml = re.sub(r"<w:del\b[^>]*/>|<w:del\b[^>]*>.*?</w:del>", "", xml, flags=re.S)
    return re.sub(r"</?w:ins\b[^>]*>", "", xml)


def _copy_for_rendering(src: Path, dst: Path) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = _accept_changes(_widen_tables(data.decode("utf-8"))).encode("utf-8")
            zout.writestr(info, data)


def build(out_dir: Path = FORMATS_DIR) -> list[Path]:
    """The seed PDFs (Droid Sans Fallback alone), then the 2021 corpus PDFs (Latin text in Liberation Serif:
    pdfminer reads their digits, so they can be serialised with it)."""
    if not available():
        return []
    written = []
    for pattern, latin in (("0*.docx", False), ("[!0]*.docx", True)):
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            sources = []
            for docx in sorted(out_dir.glob(pattern)):
                copy = work / docx.name
                _copy_for_rendering(docx, copy)
                sources.append(copy)
            written += _convert(sources, work, out_dir, latin=latin)
    return written


def _convert(sources: list[Path], work: Path, out_dir: Path, latin: bool = False) -> list[Path]:
    """Convert ``sources`` with LibreOffice into ``out_dir``: Droid Sans Fallback the only font, or with
    ``latin`` the Latin runs in Liberation Serif."""
    if not sources:
        return []
    fonts = work / "fonts"
    fonts.mkdir()
    (fonts / FONT.name).symlink_to(FONT)
    if latin:
        (fonts / LATIN_FONT.name).symlink_to(LATIN_FONT)
    conf = work / "fonts.conf"
    rules = _LATIN_RULES if latin else _DROID_ONLY
    conf.write_text(_FONTS_CONF.format(dir=fonts, cache=work / "fc-cache", rules=rules), "utf-8")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "pdf"),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        env={"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin", "HOME": str(work)},
        timeout=600,
    )
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for pdf in sorted((work / "pdf").glob("*.pdf")):
        target = out_dir / pdf.name
        shutil.copyfile(pdf, target)
        written.append(target)
    return written


if __name__ == "__main__":
    for p in build():
        print(p)


HOSTILE_DIR = FORMATS_DIR.parent / "hostile"


def build_hostile(out_dir: Path = HOSTILE_DIR, source: Path = FORMATS_DIR / "001_cabab7ad1985ba48.pdf") -> list[Path]:
    """Broken and unreadable PDFs made from a seed PDF: encrypted, truncated, corrupt, image-only."""
    import io

    import pypdfium2 as pdfium

    if not source.exists():
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    data = source.read_bytes()
    written = []

    truncated = out_dir / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 3])
    corrupt = out_dir / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n" + bytes((i * 37 + 11) % 256 for i in range(4000)))
    written += [truncated, corrupt]

    # A scan: the first page as a picture, no text layer (Pillow comes with pdfplumber).
    pdf = pdfium.PdfDocument(data)
    image = pdf[0].render(scale=0.6).to_pil().convert("L")
    buf = io.BytesIO()
    image.save(buf, format="PDF", resolution=43)
    scanned = out_dir / "scanned.pdf"
    scanned.write_bytes(buf.getvalue())
    written.append(scanned)

    if shutil.which("qpdf"):
        encrypted = out_dir / "encrypted.pdf"
        subprocess.run(
            ["qpdf", "--static-id", "--encrypt", "secret", "owner", "256", "--", str(source), str(encrypted)],
            check=True,
        )
        written.append(encrypted)
    return written
