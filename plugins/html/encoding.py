"""Bytes to text for saved portal pages: BOM, then the page's own charset declaration, then detection.

Detection reuses the text loader's decoder (strict UTF-8, then GB18030 behind a mojibake guard)
rather than a statistical detector: a mainland portal page is UTF-8 or GBK/GB2312 in practice, the
guard refuses a wrong guess with a reason, and it costs nothing to import (charset_normalizer adds
50-75 ms of import and 2-15 ms per page, and returned ``None`` on a sample cut mid-character).
"""

from __future__ import annotations

import codecs
import re

from nianbao.loading import InputError
from nianbao.plugins.text.decode import decode as decode_text

# A charset declaration must appear early in the page (the HTML standard says the first 1024 bytes;
# real portals put it after long comment banners, so look a little further).
_DECLARATION_BYTES = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

# Declared names that mean "some superset of GB2312": decode all of them as GB18030, which also
# reads the characters GBK pages use beyond GB2312 (people's names, place names).
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "csgb2312", "hz-gb-2312"}
# Western single-byte charsets cannot hold a Chinese report; a page declaring one is a CMS default
# that was never changed, and decoding by it would turn every character into mojibake.
_NOT_CHINESE = {"ascii", "latin-1", "iso8859-1", "cp1252", "iso8859-15", "mac-roman"}


def declared_charset(data: bytes) -> str | None:
    """The encoding the page declares (``<meta charset>``, http-equiv or XML declaration), normalised."""
    head = data[:_DECLARATION_BYTES]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`InputError` (NB01) when no encoding fits.

    A declared charset that does not fit the bytes (a GBK page still declaring ``utf-8`` after a
    CMS migration is common) is not trusted: the bytes are detected instead.
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data)
    if b"\x00" in data[:_DECLARATION_BYTES]:
        return decode_text(data)  # UTF-16 without BOM, or binary: the text decoder tells which
    declared = declared_charset(data)
    if declared is not None and declared not in _NOT_CHINESE:
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            pass
        else:
            if "\x00" in text:
                raise InputError("文件含有空字节，像是二进制文件而不是网页")
            return text, declared
    return decode_text(data)
