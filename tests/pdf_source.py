"""One-page PDFs written byte by byte, for tests that need exactly one thing on a page."""

from __future__ import annotations


def one_page_pdf(content: bytes, filters: bytes | None = b"/FlateDecode", fonts: bytes = b"") -> bytes:
    """An A4 page drawn by ``content`` (a content stream, encoded by ``filters``); ``fonts`` is the
    inside of the page's /Font resource dictionary, e.g. ``b"/F1 << /Type /Font /Subtype /Type1
    /BaseFont /Helvetica >>"``."""
    filter_entry = b" /Filter %s" % filters if filters else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << %s >> >> >>"
        % fonts,
        b"<< /Length %d%s >>\nstream\n" % (len(content), filter_entry) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
