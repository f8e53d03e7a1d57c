"""Bytes to text for reports saved by Word, Notepad, WPS and portals: UTF-8, UTF-16, GB18030/GBK.

A wrong guess must never pass silently: a decoding that yields implausible text is refused with a
reason instead of handed on as mojibake.
"""

from __future__ import annotations

import codecs
from bisect import bisect_right

from nianbao.loading import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# What a Chinese report is made of: ASCII, Latin-1 and Latin Extended (pinyin), combining marks,
# general punctuation and symbols, CJK symbols, ideographs, CJK compatibility forms, full-width forms.
_PLAUSIBLE_RANGES = (
    ("\x20", "\x7e"),
    ("\u00a0", "\u036f"),
    ("\u2000", "\u2bff"),
    ("\u3000", "\u303f"),
    ("\u3400", "\u4dbf"),
    ("\u4e00", "\u9fff"),
    ("\uf900", "\ufaff"),
    ("\ufe30", "\ufe4f"),
    ("\uff00", "\uffef"),
)
_MAX_IMPLAUSIBLE_SHARE = 0.02
_MIN_COMMON_SHARE = 0.7


_BOUNDS = [b for lo, hi in _PLAUSIBLE_RANGES for b in (ord(lo), ord(hi) + 1)]
# Characters found plausible so far in this process: a batch checks each distinct character once.
_SEEN_PLAUSIBLE: set[str] = set("\t\n\r")


def _plausible(c: str) -> bool:
    return c in "\t\n\r" or bisect_right(_BOUNDS, ord(c)) % 2 == 1


def _implausible_share(text: str) -> float:
    if not text:
        return 0.0
    implausible = 0
    for c in set(text).difference(_SEEN_PLAUSIBLE):
        if _plausible(c):
            _SEEN_PLAUSIBLE.add(c)
        else:
            implausible += text.count(c)
    return implausible / len(text)


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 files saved without a BOM show NUL bytes in every other position for ASCII text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls > half * 0.2 and even_nuls < half * 0.05:
        encoding = "utf-16-le"
    elif even_nuls > half * 0.2 and odd_nuls < half * 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`InputError` (NB01) when no encoding fits."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"文件以 {encoding} 字节序标记开头，但第 {exc.start + 1} 字节处无法按该编码解码"
                ) from None
            return _checked(_strip_bom(text), encoding.removesuffix("-sig"))
    if b"\x00" in data:
        text16 = _utf16_without_bom(data)
        if text16 is not None:
            return _checked(text16, "utf-16")
        raise InputError("文件含有空字节，像是二进制文件而不是文本")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc.start + 1
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"无法确定文件编码：第 {utf8_error} 字节不是有效的 UTF-8，按 GB18030/GBK 解码在第 {exc.start + 1} 字节处也失败"
        ) from None
    if _implausible_share(text) > _MAX_IMPLAUSIBLE_SHARE or _common_share(text) < _MIN_COMMON_SHARE:
        raise InputError(
            f"无法确定文件编码：第 {utf8_error} 字节不是有效的 UTF-8，按 GB18030/GBK 解码得到的又是乱码；"
            "请另存为 UTF-8 后重试"
        )
    return text, "gb18030"


def _common_share(text: str) -> float:
    """Share of GB2312 ideographs among its 3,755 most common (level 1, lead bytes 0xB0-0xD7).

    Real Chinese prose scores well above 0.8; UTF-8 bytes misread as GBK land mostly in the rare
    level-2 rows and the GBK extension, so mojibake scores far lower even though it is all 汉字.
    """
    ideographs = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if len(ideographs) < 20:
        return 1.0
    common = encodable = 0
    for ch in ideographs:
        try:
            lead = ch.encode("gb2312")[0]
        except UnicodeEncodeError:
            continue  # traditional-only characters say nothing either way
        encodable += 1
        if 0xB0 <= lead <= 0xD7:
            common += 1
    return common / encodable if encodable >= 20 else 1.0


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if "\x00" in text:
        raise InputError(f"按 {encoding} 解码后含有空字符，像是二进制文件而不是文本")
    if _implausible_share(text) > _MAX_IMPLAUSIBLE_SHARE:
        raise InputError(f"按 {encoding} 解码得到的不是可读的中文文本（编码可能有误）")
    return text, encoding
