"""Refuse PDF decompression bombs before PDFium sees them.

PDFium inflates a page's content streams and fonts whole: a 1 MB file whose content stream
inflates to 1 GB took 6 s and 2 GB of memory just to count the page's characters. So every stream
in the raw bytes is decoded here first, without keeping the output, and the file is refused once
the total passes ``MAX_DECODED_BYTES`` (an annual report, scanned seals included, decodes to a
few MB). The scan reads the bytes as written, whatever the cross-reference table says, so
unreferenced or repaired objects are counted too. Flate (also chained, and behind ASCII85/hex)
is decoded exactly; run-length is measured from its length bytes; LZW is bounded by its worst
ratio. Image-only filters (DCT, JPX, JBIG2, CCITT) are not decoded by text extraction.
"""

from __future__ import annotations

import bisect
import re
import zlib

from nianbao.loading import InputError
from nianbao.numbers import bounded_int

MAX_DECODED_BYTES = 128 * 1024 * 1024
_CHUNK = 1 << 20
_LZW_RATIO = 4096 // 2  # a 12-bit code stands for at most 4096 bytes

_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?")
_OBJ = re.compile(rb"\bobj\b")
_FLATE = {b"FlateDecode", b"Fl"}
_A85 = {b"ASCII85Decode", b"A85"}
_AHX = {b"ASCIIHexDecode", b"AHx"}
_RL = {b"RunLengthDecode", b"RL"}
_LZW = {b"LZWDecode", b"LZW"}


class _TooLarge(Exception):
    pass


def check_decoded_size(data: bytes, limit: int = MAX_DECODED_BYTES) -> None:
    """Raise NB01 when the streams of ``data`` decode to more than ``limit`` bytes in total.

    Linear in the size of the file however many ``stream`` keywords it holds: the keywords that end
    streams and open objects are found once, and each stream's dictionary is looked for only between
    the previous stream and this one.
    """
    budget = [limit]
    ends = [m.start() for m in re.finditer(rb"endstream", data)]
    objects = [m.start() for m in _OBJ.finditer(data)]
    lengths = _IndirectLengths(data)
    previous = 0
    try:
        for m in _STREAM.finditer(data):
            i = bisect.bisect_right(objects, m.start()) - 1
            head_start = max(objects[i] if i >= 0 else 0, previous)
            head = data[head_start : m.start()]
            previous = m.end()
            filters = _filters(head)
            if not filters:
                continue
            j = bisect.bisect_left(ends, m.end())
            end = ends[j] if j < len(ends) else len(data)
            body = data[m.end() : _stream_end(data, head, m.end(), end, lengths)]
            _decode(body, filters, budget)
    except _TooLarge:
        mb = limit // (1024 * 1024)
        raise InputError(f"PDF 中压缩的内容解压后超过 {mb} MB 的上限（可能是恶意构造的“压缩炸弹”），拒绝读取") from None


def _filters(head: bytes) -> list[bytes]:
    m = _FILTER.search(head)
    return _NAME.findall(m.group(1)) if m else []


class _IndirectLengths:
    """``n g obj <number>``: the objects that hold a stream's length, read once for the whole file."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.found: dict[tuple[bytes, bytes], int | None] | None = None

    def get(self, number: bytes, generation: bytes) -> int | None:
        if self.found is None:
            self.found = {}
            for m in re.finditer(rb"\b(\d+)\s+(\d+)\s+obj\s*(\d+)", self.data):
                self.found.setdefault((m.group(1), m.group(2)), bounded_int(m.group(3).decode()))
        return self.found.get((number, generation))


def _stream_end(data: bytes, head: bytes, start: int, end: int, lengths: _IndirectLengths) -> int:
    """Where the stream data ends: its /Length when it can be read, else the ``endstream`` keyword."""
    m = _LENGTH.search(head)
    if m is None:
        return end
    if m.group(2) is not None:  # an indirect length: ``n g R`` points at an object holding the number
        length = lengths.get(m.group(1), m.group(2))
    else:
        length = bounded_int(m.group(1).decode())
    # Trust a length that reaches further than the keyword: PDFium reads that much.
    if length is not None and start + length <= len(data):
        return max(end, start + length)
    return end


def _decode(body: bytes, filters: list[bytes], budget: list[int]) -> None:
    for i, name in enumerate(filters):
        last = i == len(filters) - 1
        if name in _FLATE:
            body = _inflate(body, budget, keep=not last)
        elif name in _A85:
            body = _ascii85(body)
        elif name in _AHX:
            body = _ascii_hex(body)
        elif name in _RL:
            _spend(budget, _run_length_size(body))
            return
        elif name in _LZW:
            _spend(budget, len(body) * _LZW_RATIO)
            return
        else:
            return  # image codecs and unknown filters: text extraction does not decode them


def _spend(budget: list[int], n: int) -> None:
    budget[0] -= n
    if budget[0] < 0:
        raise _TooLarge


def _inflate(body: bytes, budget: list[int], keep: bool) -> bytes:
    d = zlib.decompressobj()
    out: list[bytes] = []
    data = body
    try:
        # Until the end of the compressed data: bytes after it stay in ``unconsumed_tail`` for ever.
        while not d.eof:
            chunk = d.decompress(data, _CHUNK)
            _spend(budget, len(chunk))
            if keep:
                out.append(chunk)
            if not chunk and d.unconsumed_tail == data:
                break  # no progress: the stream is cut short
            data = d.unconsumed_tail
    except zlib.error:
        pass  # a damaged stream: PDFium stops where we stop
    return b"".join(out)


def _ascii85(body: bytes) -> bytes:
    import base64

    text = body.split(b"~>", 1)[0]
    try:
        return base64.a85decode(re.sub(rb"\s+", b"", text))
    except ValueError:
        return b""


def _ascii_hex(body: bytes) -> bytes:
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", body.split(b">", 1)[0])
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode("ascii"))


def _run_length_size(body: bytes) -> int:
    size = 0
    i = 0
    n = len(body)
    while i < n:
        length = body[i]
        if length == 128:
            break
        if length < 128:
            size += length + 1
            i += length + 2
        else:
            size += 257 - length
            i += 2
    return size
