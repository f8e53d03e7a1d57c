"""Write tests/corpus/pdf/{filled_rules,horizontal_rules,rotated,rotated_forms}.pdf: seed PDFs with
their ruling lines drawn, and their pages stored, the other ways published reports do.

LibreOffice strokes each ruling as one line (``x y m x y l S``) on upright pages. The copies here
keep every text object byte for byte and change only how the rulings or the pages are drawn:

- ``filled_rules`` (from 000): each cell side a thin filled rectangle (``x y w h re f``), as Word's
  and WPS's PDF export draw borders, cut where other rulings cross, so joining pieces matters.
- ``horizontal_rules`` (from 001): the vertical rulings left out, as in a table with only rules
  between its rows; nothing there makes a cell grid, and the page is read as text.
- ``rotated`` (from 003): pages stored sideways or upside down, the content turned by a ``cm``
  and the page's /Rotate turning it upright on screen, as print-to-PDF drivers write landscape
  pages; /Rotate 90, 180, 270 and 0 in turn.
- ``rotated_forms`` (from ``filled_rules``): the same turns, each page's content a form XObject
  placed by its matrix, as imposition and stamping tools write them.

Needs qpdf and its fix-qdf (Debian: qpdf); skipped (nothing written) where they are missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from .layout import CORPUS, FORMATS_DIR

OUT_DIR = CORPUS / "pdf"
ROTATIONS = (90, 180, 270, 0)

# LibreOffice's ruling: ``q 0.5 w 0 J 1 j`` then ``x0 y0 m`` and ``x1 y1 l S``.
_LINE = re.compile(
    rb"q (?P<w>[\d.]+) w 0 J 1 j\n(?P<x0>[\d.]+) (?P<y0>[\d.]+) m\n(?P<x1>[\d.]+) (?P<y1>[\d.]+) l S\nQ\n"
)


def build(out_dir: Path = OUT_DIR) -> list[Path]:
    if not (shutil.which("qpdf") and shutil.which("fix-qdf")):
        return []
    return [
        _rewrite(FORMATS_DIR / "000_98b392332e9fbc59.pdf", out_dir / "filled_rules.pdf", _filled),
        _rewrite(FORMATS_DIR / "001_cabab7ad1985ba48.pdf", out_dir / "horizontal_rules.pdf", _no_verticals),
        _rewrite(FORMATS_DIR / "003_dd547b77e3c6f981.pdf", out_dir / "rotated.pdf", _turned, _sideways),
        _rotated(out_dir / "filled_rules.pdf", out_dir / "rotated_forms.pdf"),
    ]


def _rewrite(
    source: Path,
    target: Path,
    content: Callable[[bytes, int], bytes],
    page: Callable[[bytes, int], bytes] = lambda d, n: d,
) -> Path:
    """``source`` with every page's content stream and page dictionary edited (page numbers from 1)."""
    with tempfile.TemporaryDirectory() as tmp:
        qdf, fixed = Path(tmp) / "a.pdf", Path(tmp) / "b.pdf"
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(source), str(qdf)], check=True)
        # In QDF form a page's content is one uncompressed stream; fix-qdf mends the lengths after the edit.
        data = re.sub(
            rb"(%% Contents for page (\d+)\n.*?stream\n)(.*?)(endstream)",
            lambda m: m[1] + content(m[3], int(m[2])) + m[4],
            qdf.read_bytes(),
            flags=re.S,
        )
        data = re.sub(rb"(%% Page (\d+)\n.*?\n)(<<.*?\n>>)", lambda m: m[1] + page(m[3], int(m[2])), data, flags=re.S)
        fixed.write_bytes(subprocess.run(["fix-qdf"], input=data, capture_output=True, check=True).stdout)
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["qpdf", "--static-id", "--object-streams=generate", str(fixed), str(target)], check=True)
    return target


def _filled(content: bytes, _: int) -> bytes:
    lines = [tuple(float(m[k]) for k in ("w", "x0", "y0", "x1", "y1")) for m in _LINE.finditer(content)]

    def crossings(x0: float, y0: float, x1: float, y1: float) -> list[float]:
        """Where other rulings cross this one, along it."""
        if y0 == y1:
            return sorted({a for _, a, b, c, d in lines if a == c and min(b, d) - 1 <= y0 <= max(b, d) + 1})
        return sorted({b for _, a, b, c, d in lines if b == d and min(a, c) - 1 <= x0 <= max(a, c) + 1})

    def fill(m: re.Match[bytes]) -> bytes:
        w, x0, y0, x1, y1 = (float(m[k]) for k in ("w", "x0", "y0", "x1", "y1"))
        horizontal = y0 == y1
        lo, hi = (min(x0, x1), max(x0, x1)) if horizontal else (min(y0, y1), max(y0, y1))
        cuts = [lo] + [c for c in crossings(x0, y0, x1, y1) if lo < c < hi] + [hi]
        rects = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            if horizontal:
                rects.append(f"{a - w / 2:.2f} {y0 - w / 2:.2f} {b - a + w:.2f} {w:.2f} re f")
            else:
                rects.append(f"{x0 - w / 2:.2f} {a - w / 2:.2f} {w:.2f} {b - a + w:.2f} re f")
        return ("q 0 0 0 rg\n" + "\n".join(rects) + "\nQ\n").encode()

    return _LINE.sub(fill, content)


def _no_verticals(content: bytes, _: int) -> bytes:
    return _LINE.sub(lambda m: m[0] if m["y0"] == m["y1"] else b"", content)


def _turn(rotation: int, width: float, height: float) -> tuple[tuple[float, ...], tuple[float, float]]:
    """The matrix that takes an upright page into one stored turned by ``rotation``, and that page's size."""
    return {
        0: ((1, 0, 0, 1, 0, 0), (width, height)),
        90: ((0, 1, -1, 0, height, 0), (height, width)),
        180: ((-1, 0, 0, -1, width, height), (width, height)),
        270: ((0, -1, 1, 0, 0, width), (height, width)),
    }[rotation]


_MEDIABOX = re.compile(rb"/MediaBox \[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")


def _turned(content: bytes, number: int) -> bytes:
    return b"q %s cm\n" % b" ".join(b"%g" % v for v in _turn_of(number)[0]) + content + b"\nQ\n"


def _sideways(page: bytes, number: int) -> bytes:
    rotation = ROTATIONS[(number - 1) % len(ROTATIONS)]
    _, (width, height) = _turn_of(number)
    page = _MEDIABOX.sub(b"/MediaBox [ 0 0 %g %g ]" % (width, height), page)
    return page[:-2] + b"  /Rotate %d\n>>" % rotation


def _turn_of(number: int) -> tuple[tuple[float, ...], tuple[float, float]]:
    # The seed pages are A4 upright (LibreOffice's 595.303937 x 841.889764 points).
    return _turn(ROTATIONS[(number - 1) % len(ROTATIONS)], 595.303937007874, 841.889763779528)


def _rotated(source: Path, target: Path) -> Path:
    """Each page of ``source`` as a form XObject, turned so that the page's /Rotate shows it upright."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(source)
    out = pdfium.PdfDocument.new()
    for index in range(len(src)):
        width, height = src[index].get_size()
        rotation = ROTATIONS[index % len(ROTATIONS)]
        matrix, size = _turn(rotation, width, height)
        page = out.new_page(*size)
        form = src.page_as_xobject(index, out).as_pageobject()
        form.set_matrix(pdfium.PdfMatrix(*matrix))
        page.insert_obj(form)
        page.gen_content()
        page.set_rotation(rotation)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.pdf"
        out.save(raw)
        # PDFium stamps the time of saving and a random /ID; fixed ones of the same length keep rebuilds
        # identical (and the cross-reference offsets right).
        data = re.sub(rb"(/CreationDate ?\(D:)\d{14}", rb"\g<1>20210118000000", raw.read_bytes())
        raw.write_bytes(
            re.sub(
                rb"/ID ?\[[<>0-9A-Fa-f ]+\]",
                lambda m: re.sub(rb"<[0-9A-Fa-f]+>", lambda h: b"<" + b"0" * (len(h[0]) - 2) + b">", m[0]),
                data,
            )
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["qpdf", "--static-id", "--object-streams=generate", str(raw), str(target)], check=True)
    return target


if __name__ == "__main__":
    for p in build():
        print(p)
