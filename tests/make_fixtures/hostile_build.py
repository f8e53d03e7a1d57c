"""Write tests/corpus/hostile/: small files that are broken or hostile in the ways real inputs are.

Each must be refused with a located NB01 message, without expanding, executing or fetching anything.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from .docx_build import FEATURES, ZIP_DATE, docx_bytes, package
from .layout import CORPUS, build_layout, seeds

HOSTILE_DIR = CORPUS / "hostile"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _document(body: str, prolog: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'


def zip_bomb() -> bytes:
    """A DOCX whose document.xml inflates 20 MB of repeated bytes from about 20 KB (ratio ~1000:1)."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(zipfile.ZipInfo("[Content_Types].xml", ZIP_DATE), _CONTENT_TYPES)
        info = zipfile.ZipInfo("word/document.xml", ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        payload = _document("<w:p><w:r><w:t>" + "0" * (20 * 1024 * 1024) + "</w:t></w:r></w:p>")
        zf.writestr(info, payload, compresslevel=9)
    return buffer.getvalue()


def encrypted_docx() -> bytes:
    """An OLE compound file as Word writes a password-protected .docx: EncryptionInfo + EncryptedPackage."""
    sector = 512
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 40, 0, 0, 1, 1, 0, 0x1000, 0xFFFFFFFE, 0)  # 1 FAT sector, dir at 1
    struct.pack_into("<II", header, 68, 0xFFFFFFFE, 0)
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0] = sector 0 holds the FAT
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * sector)
    struct.pack_into("<III", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFE)  # FAT sector, directory, stream data

    def entry(name: str, kind: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF, start: int = 0, size: int = 0):
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, 0xFFFFFFFF, right, child)
        struct.pack_into("<II", raw, 116, start, size)
        return bytes(raw)

    directory = (
        entry("Root Entry", 5, child=1)
        + entry("EncryptionInfo", 2, right=2, start=2, size=64)
        + entry("EncryptedPackage", 2, start=2, size=64)
        + bytes(128)
    )
    data = bytes(range(64)) + bytes(sector - 64)
    return bytes(header) + bytes(fat) + directory + data


def legacy_doc() -> bytes:
    """An OLE file without encryption streams: a Word 97-2003 .doc saved under a .docx name."""
    data = bytearray(encrypted_docx())
    for name in ("EncryptionInfo", "EncryptedPackage"):
        raw = name.encode("utf-16-le")
        at = data.index(raw)
        replacement = ("WordDocument" + "\0" * (len(name) - len("WordDocument"))).encode("utf-16-le")
        data[at : at + len(raw)] = replacement
    return bytes(data)


def good_docx() -> bytes:
    seed = seeds()[0]
    return docx_bytes(build_layout(seed), FEATURES.get(seed.stem[:3], set()))


def files() -> dict[str, bytes]:
    good = good_docx()
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    billion = f'<!DOCTYPE w:document [<!ENTITY lol0 "lol">{lol}]>'
    external = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret.txt">]>'
    encrypted_member = bytearray(
        package({"[Content_Types].xml": _CONTENT_TYPES, "word/document.xml": _document("<w:p/>")})
    )
    # Set the "encrypted" flag of every member, as zip (not Office) password protection does.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = encrypted_member.find(signature)
        while at != -1:
            flags = struct.unpack_from("<H", encrypted_member, at + offset)[0]
            struct.pack_into("<H", encrypted_member, at + offset, flags | 1)
            at = encrypted_member.find(signature, at + 4)
    return {
        "zip_bomb.docx": zip_bomb(),
        "encrypted.docx": encrypted_docx(),
        "legacy_word97.docx": legacy_doc(),
        "zip_password.docx": bytes(encrypted_member),
        "truncated.docx": good[: len(good) // 2],
        "no_document_xml.docx": package({"[Content_Types].xml": _CONTENT_TYPES, "docProps/core.xml": "<x/>"}),
        "billion_laughs.docx": package(
            {
                "[Content_Types].xml": _CONTENT_TYPES,
                "word/document.xml": _document("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", billion),
            }
        ),
        "external_entity.docx": package(
            {
                "[Content_Types].xml": _CONTENT_TYPES,
                "word/document.xml": _document("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", external),
            }
        ),
        "broken_xml.docx": package(
            {
                "[Content_Types].xml": _CONTENT_TYPES,
                "word/document.xml": _document("<w:p><w:r><w:t>一、总体情况</w:t></w:r>"),
            }
        ),
        "not_a_report.docx": package(
            {
                "[Content_Types].xml": _CONTENT_TYPES,
                "word/document.xml": _document("<w:p><w:r><w:t>会议通知：请各科室准时参加。</w:t></w:r></w:p>"),
            }
        ),
    }


def build(out_dir: Path = HOSTILE_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files().items():
        path = out_dir / name
        path.write_bytes(data)
        written.append(path)
    return written
