"""Serialise every corpus report with the tools people use: ``python -m tests.make_fixtures.serialise``.

Run by hand (the tools are the ``dev`` extra plus Debian's w3m and LibreOffice); the outputs are committed
under tests/corpus/serialised/<tool>/<report>.<ext> with a MANIFEST.yaml of tool versions, so the test
suite reads them offline and never imports a tool. The extension is the one the tool's users save, so
nianbao picks the loader such a user gets.

Sources: the HTML, DOCX and PDF fixtures of tests/corpus/formats (the seeds and the 2021 corpus) and the
feature PDFs of tests/corpus/pdf that have a truth file. The seed PDFs are not given to pdfminer: they are
set in Droid Sans Fallback alone, whose digits pdfminer decodes as "2" (``2222 年``), so no reader could
recover a cell from that text; the PDF loader reads them with pypdfium2.

Three serialisations are emulations, written here because no tool on PyPI produces them offline: the text a
user gets by copying a Word table (tab-separated, a cell under a vertical merge empty) and two kinds of
markdown that OCR-to-markdown tools emit for page images. They are drawn from the fixtures' layout and
labelled ``emulated`` in the manifest.
"""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml

from .layout import CORPUS, FORMATS_DIR, HeadingBlock, ReportLayout, TableBlock, TextBlock
from .ocr_markdown import fragments_markdown, lines_markdown
from .truth_layout import corpus_layouts

OUT_DIR = CORPUS / "serialised"
PDF_FEATURES = CORPUS / "pdf"
EXPECTED = CORPUS.parent / "expected"


def _reports(ext: str) -> list[Path]:
    """Fixtures of one format, the seeds' PDFs left out (see the module docstring)."""
    found = sorted(FORMATS_DIR.glob(f"*{ext}"))
    if ext == ".pdf":
        found = [p for p in found if not p.stem.startswith("0")]
        found += sorted(p for p in PDF_FEATURES.glob("*.pdf") if (EXPECTED / "pdf" / f"{p.stem}.yaml").exists())
    return found


def _html_text(path: Path) -> str:
    """The page as a crawler decodes it: the declared charset, else UTF-8, else GB18030."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    declared = re.search(rb"charset=[\"']?([\w-]+)", data[:2048])
    if declared:
        return data.decode(declared.group(1).decode("ascii"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


# --------------------------------------------------------------------------- the tools


def lxml_text(path: Path) -> str:
    """A crawler's copy: ``text_content()`` of the page body, every whitespace run removed."""
    import lxml.html

    doc = lxml.html.document_fromstring(_html_text(path))
    for bad in doc.xpath("//script|//style"):
        bad.drop_tree()
    return re.sub(r"\s+", "", doc.body.text_content()) + "\n"


def html2text_md(path: Path) -> str:
    import html2text

    return html2text.HTML2Text().handle(_html_text(path))


def markitdown_md(path: Path) -> str:
    from markitdown import MarkItDown

    return MarkItDown(enable_plugins=False).convert(str(path)).text_content + "\n"


def inscriptis_text(path: Path) -> str:
    from inscriptis import get_text

    return get_text(_html_text(path))


def w3m_dump(path: Path) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".html", encoding="utf-8") as page:
        # w3m guesses an undeclared charset badly; give it the page re-encoded as UTF-8, as a browser shows it.
        page.write(re.sub(r"charset=[\"']?[\w-]+", "charset=utf-8", _html_text(path), count=1))
        page.flush()
        result = subprocess.run(
            ["w3m", "-dump", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8", page.name],
            check=True,
            capture_output=True,
            timeout=60,
        )
    return result.stdout.decode("utf-8")


def pdfminer_text(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def mammoth_html(path: Path) -> str:
    import mammoth

    with path.open("rb") as fh:
        body = mammoth.convert_to_html(fh).value
    # Portals paste mammoth's fragment into their page template.
    return f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n{body}\n</body></html>\n'


def mammoth_md(path: Path) -> str:
    import mammoth

    with path.open("rb") as fh:
        return mammoth.convert_to_markdown(fh).value


def mammoth_raw(path: Path) -> str:
    import mammoth

    with path.open("rb") as fh:
        return mammoth.extract_raw_text(fh).value


def _libreoffice(sources: list[Path], target: str, ext: str) -> dict[str, str]:
    """``soffice --convert-to`` for every source at once; the outputs by source stem."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{work / 'profile'}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(work / "out"),
                *map(str, sources),
            ],
            check=True,
            capture_output=True,
            env={"PATH": "/usr/bin:/bin", "HOME": str(work)},
            timeout=600,
        )
        return {p.stem: p.read_text("utf-8") for p in sorted((work / "out").glob(f"*{ext}"))}


# --------------------------------------------------------------------------- emulations


def tsv_copy(layout: ReportLayout) -> str:
    """The report copied out of Word as plain text: one line a paragraph, a table row's cells joined by tabs.

    Word writes one cell per ``w:tc``: a horizontally merged cell once, a cell under a vertical merge as an
    empty cell, so rows under a merged group label start with empty cells (two tabs under two group columns).
    """
    out: list[str] = []
    for block in layout.blocks:
        if isinstance(block, TableBlock):
            covering = block.covering()
            for r in range(block.n_rows):
                cells, c = [], 0
                while c < block.n_cols:
                    cell = covering[r][c]
                    cells.append(cell.text if cell.row == r else "")
                    c += cell.colspan
                out.append("\t".join(cells))
        elif isinstance(block, HeadingBlock | TextBlock):
            out.append(block.text)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- the run

FileTool = Callable[[Path], str]

# name -> (source extension, output extension, function, package whose version is recorded, what it is)
FILE_TOOLS: dict[str, tuple[str, str, FileTool, str, str]] = {
    "lxml-text": (
        ".html",
        ".txt",
        lxml_text,
        "lxml",
        "crawler copy: lxml.html text_content() of <body>, whitespace removed",
    ),
    "html2text": (".html", ".md", html2text_md, "html2text", "html2text.HTML2Text().handle(), default options"),
    "markitdown-html": (".html", ".md", markitdown_md, "markitdown", "MarkItDown().convert() of the HTML page"),
    "inscriptis": (".html", ".txt", inscriptis_text, "inscriptis", "inscriptis.get_text(), default options"),
    "w3m": (".html", ".txt", w3m_dump, "w3m", "w3m -dump (80 columns), Debian's w3m"),
    "markitdown-docx": (
        ".docx",
        ".md",
        markitdown_md,
        "markitdown",
        "MarkItDown().convert() of the DOCX (mammoth inside)",
    ),
    "mammoth-html": (".docx", ".html", mammoth_html, "mammoth", "mammoth.convert_to_html() in a bare page"),
    "mammoth-md": (".docx", ".md", mammoth_md, "mammoth", "mammoth.convert_to_markdown()"),
    "mammoth-raw": (".docx", ".txt", mammoth_raw, "mammoth", "mammoth.extract_raw_text()"),
    "pdfminer": (".pdf", ".txt", pdfminer_text, "pdfminer.six", "pdfminer.high_level.extract_text(), default LAParams"),
}
LIBREOFFICE_TOOLS = {
    "libreoffice-txt": ("txt:Text (encoded):UTF8", ".txt", "soffice --convert-to txt of the DOCX (UTF-8)"),
    "libreoffice-html": ("html", ".html", "soffice --convert-to html of the DOCX"),
}
LAYOUT_TOOLS: dict[str, tuple[str, Callable[[ReportLayout], str], str]] = {
    "word-copy-tsv": (".txt", tsv_copy, "EMULATED: a Word table copied as plain text (tabs, merged cells empty)"),
    "ocr-md-fragments": (
        ".md",
        fragments_markdown,
        "EMULATED OCR-to-markdown: # headings, 表三： captions, pipe tables cut at page breaks, rows without labels, "
        "labels split over rows, 注： lines in a table, generic 数据1… headers",
    ),
    "ocr-md-lines": (
        ".md",
        lines_markdown,
        "EMULATED OCR-to-markdown: label value lines, glued header lines, one sub-table per column group",
    ),
}


def _version(package: str) -> str:
    if package == "w3m":
        out = subprocess.run(["w3m", "-version"], capture_output=True, text=True).stdout
        return out.split(",")[0].removeprefix("w3m version ").strip()
    if package == "soffice":
        return subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout.strip()
    return importlib.metadata.version(package)


def _write(tool: str, stem: str, ext: str, text: str, out_dir: Path) -> Path:
    path = out_dir / tool / f"{stem}{ext}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def build(out_dir: Path = OUT_DIR) -> list[Path]:
    if out_dir.exists():
        shutil.rmtree(out_dir)
    written: list[Path] = []
    manifest: dict[str, dict[str, str]] = {}
    for tool, (source_ext, ext, function, package, what) in FILE_TOOLS.items():
        for source in _reports(source_ext):
            written.append(_write(tool, source.stem, ext, function(source), out_dir))
        manifest[tool] = {"version": f"{package} {_version(package)}", "source": source_ext, "how": what}
    docx = _reports(".docx")
    for tool, (target, ext, what) in LIBREOFFICE_TOOLS.items():
        for stem, text in _libreoffice(docx, target, ext).items():
            written.append(_write(tool, stem, ext, text, out_dir))
        manifest[tool] = {"version": _version("soffice"), "source": ".docx", "how": what}
    for layout in corpus_layouts():
        for tool, (ext, function, _) in LAYOUT_TOOLS.items():
            written.append(_write(tool, layout.stem, ext, function(layout), out_dir))
    for tool, (_, _, what) in LAYOUT_TOOLS.items():
        manifest[tool] = {"version": "tests/make_fixtures (emulation)", "source": "layout", "how": what}
    header = "# Written by python -m tests.make_fixtures.serialise; the tool versions that made the files beside it.\n"
    (out_dir / "MANIFEST.yaml").write_text(
        header + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=True, width=200), "utf-8"
    )
    return written


if __name__ == "__main__":
    for p in build():
        print(p)
