"""Write tests/corpus/fuzz/: real reports made hostile in the ways issue 11 and the fuzzer found.

Each file is a seed report in one of its formats with one thing changed, so a test can say exactly what
must happen to it (tests/test_hostile_input.py). Inputs the fuzzer saved (benchmarks/fuzz.py) are copied
into tests/corpus/fuzz/found/ by hand and kept as they are; they are not rebuilt here.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from pathlib import Path

from .docx_build import ZIP_DATE
from .layout import CORPUS

FUZZ_DIR = CORPUS / "fuzz"
SEED = "000_98b392332e9fbc59"
HUGE = "9" * 5000  # past Python's 4,300-digit limit for int()


def _seed_text() -> str:
    return (CORPUS / f"{SEED}.txt").read_text(encoding="utf-8")


def _replace_once(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _docx(mutate_document=None, mutate_numbering=None) -> bytes:  # noqa: ANN001 - str -> str callables
    """The seed's DOCX with its document.xml (or numbering.xml) changed; members keep their order and date."""
    src = zipfile.ZipFile(CORPUS / "formats" / f"{SEED}.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/document.xml" and mutate_document:
                body = mutate_document(body.decode("utf-8")).encode("utf-8")
            if info.filename == "word/numbering.xml" and mutate_numbering:
                body = mutate_numbering(body.decode("utf-8")).encode("utf-8")
            z.writestr(zipfile.ZipInfo(info.filename, ZIP_DATE), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _first_row_property(xml: str, prop: str) -> str:
    """``prop`` (a ``w:trPr`` child) on the first data row of the second table (第二十条第（五）项)."""
    tables = [m.start() for m in re.finditer(r"<w:tbl>", xml)]
    rows = [m for m in re.finditer(r"<w:tr>", xml) if m.start() > tables[1]]
    at = rows[1].end()
    return xml[:at] + f"<w:trPr>{prop}</w:trPr>" + xml[at:]


def _first_cell_property(xml: str, prop: str) -> str:
    tables = [m.start() for m in re.finditer(r"<w:tbl>", xml)]
    at = xml.index("<w:tcPr>", tables[1]) + len("<w:tcPr>")
    return xml[:at] + prop + xml[at:]


def _pdf_with_object(body: bytes, dictionary: bytes) -> bytes:
    """The seed's PDF with one more stream object before its cross-reference table."""
    pdf = (CORPUS / "formats" / f"{SEED}.pdf").read_bytes()
    obj = b"900 0 obj\n<< " + dictionary + b" >>\nstream\n" + body + b"\nendstream\nendobj\n"
    at = pdf.rfind(b"\nxref") + 1
    # The cross-reference table moves by the object's length; the objects it lists stay where they are.
    head, tail = pdf[:at] + obj + pdf[at:].split(b"startxref")[0], pdf[at:].split(b"startxref")[1]
    old = re.match(rb"\s*(\d+)", tail)
    assert old is not None and int(old.group(1)) == at
    return head + b"startxref\n" + str(at + len(obj)).encode() + tail[old.end() :]


def _canonical() -> dict:
    from nianbao.host import create_host
    from nianbao.loading import LoadContext, load_document

    host = create_host(entry_points=False)
    doc = load_document(str(CORPUS / f"{SEED}.txt"), host.loaders, LoadContext(templates=host.templates))
    return doc.to_dict()


def files() -> dict[str, bytes]:
    text = _seed_text()
    html = (CORPUS / "formats" / f"{SEED}.html").read_text(encoding="utf-8")
    canonical = _canonical()
    out: dict[str, bytes] = {}
    # Numbers with thousands of digits, in a table cell and in prose (a CN01 statement).
    out["huge_number_cell.txt"] = _replace_once(text, "\t　253", "\t" + HUGE).encode("utf-8")
    out["huge_number_cell.html"] = re.sub(r">\s*253\s*<", ">" + HUGE + "<", html, count=1).encode("utf-8")
    out["huge_number_cell.docx"] = _docx(lambda x: _replace_once(x, ">253<", ">" + HUGE + "<"))
    # Every cell of a 150 x 60 table spanning 65534 rows: the grid grew 6,000 columns wide (found by the fuzzer).
    row = "<tr>" + "<td rowspan=65534>x</td>" * 60 + "</tr>"
    at = html.rindex("</body>")
    out["rowspan_grid.html"] = (html[:at] + "<table>" + row * 150 + "</table>" + html[at:]).encode("utf-8")
    out["huge_number_prose.txt"] = _replace_once(
        text, "2020年度未收到依申请公开申请。", f"2020年度收到政府信息公开申请{HUGE}件。"
    ).encode("utf-8")
    out["huge_length.pdf"] = _pdf_with_object(
        zlib.compress(b"q Q\n"), b"/Length " + HUGE.encode() + b" /Filter /FlateDecode"
    )
    # A long digit run in prose: (\d+)件 backtracked quadratically over it (50 s).
    out["digit_run.txt"] = _replace_once(text, "2020年度未收到", "1" * 80_000 + "2020年度未收到").encode("utf-8")
    # One finding per unmatched bracket.
    out["brackets.txt"] = _replace_once(text, "2020年度未收到", "（" * 15_000 + "2020年度未收到").encode("utf-8")
    # DOCX table geometry taken on trust.
    out["gridspan_huge.docx"] = _docx(lambda x: _first_cell_property(x, '<w:gridSpan w:val="2147483648"/>'))
    out["gridspan_negative.docx"] = _docx(lambda x: _first_cell_property(x, '<w:gridSpan w:val="-5"/>'))
    out["gridbefore_huge.docx"] = _docx(
        lambda x: _first_row_property(x, '<w:gridBefore w:val="99999999999999999999"/>')
    )
    out["gridbefore_negative.docx"] = _docx(lambda x: _first_row_property(x, '<w:gridBefore w:val="-100000"/>'))
    out["gridafter_huge.docx"] = _docx(lambda x: _first_row_property(x, '<w:gridAfter w:val="50000000"/>'))
    out["numbering_start_huge.docx"] = _docx(
        mutate_numbering=lambda x: x.replace(
            '<w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>',
            '<w:start w:val="999999999999999999"/><w:numFmt w:val="upperLetter"/>',
        )
    )
    # A Flate stream inflating past 1 MB with a byte after the compressed data: the bomb check never ended.
    raw = b"0 0 m 1 1 l S\n" * 200_000
    out["flate_trailing_byte.pdf"] = _pdf_with_object(
        zlib.compress(raw, 9) + b"\n", b"/Length %d /Filter /FlateDecode" % (len(zlib.compress(raw, 9)) + 1)
    )
    # Canonical JSON with values no rule can use.
    for name, (path, value) in {
        "json_huge_int.json": (("tables", "t3", "rows", "new_received", "cells", "total", "value"), "__HUGE__"),
        "json_float_overflow.json": (("tables", "t3", "rows", "new_received", "cells", "total", "value"), 1e308),
        "json_surrogate.json": (("meta", "organ"), "__SURROGATE__"),
    }.items():
        doc = json.loads(json.dumps(canonical))
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        text = json.dumps(doc, ensure_ascii=False).replace('"__HUGE__"', HUGE)
        out[name] = text.replace("__SURROGATE__", "\\ud800").encode("utf-8")  # an escape: UTF-8 cannot hold it
    out["json_nan.json"] = (
        json.dumps(canonical, ensure_ascii=False).replace('"value": 0', '"value": NaN', 1).encode("utf-8")
    )
    deep = json.dumps(canonical, ensure_ascii=False)
    out["json_deep.json"] = (deep[:-1] + ', "x": ' + "[" * 5000 + "]" * 5000 + "}").encode("utf-8")
    return out


def build() -> list[Path]:
    FUZZ_DIR.mkdir(exist_ok=True)
    written = []
    for name, data in sorted(files().items()):
        path = FUZZ_DIR / name
        path.write_bytes(data)
        written.append(path)
    return written
