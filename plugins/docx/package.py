"""The parts of a DOCX package a reader needs, read with the safe zip and XML helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nianbao.loading import InputError
from nianbao.safexml import parse_xml
from nianbao.safezip import SafeZip, ZipLimits

from .xml import W, attr

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CORE = {
    "{http://purl.org/dc/elements/1.1/}creator": "author",
    "{http://purl.org/dc/elements/1.1/}title": "title",
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastModifiedBy": "last_modified_by",
    "{http://purl.org/dc/terms/}created": "created",
    "{http://purl.org/dc/terms/}modified": "modified",
}


@dataclass(slots=True)
class Package:
    document: Any
    numbering: Any | None
    styles: Any | None
    core: dict[str, str] = field(default_factory=dict)


def refuse_ole(data: bytes) -> None:
    """An OLE compound file is either an encrypted OOXML file or a legacy binary document: say which."""
    if not data.startswith(OLE_SIGNATURE):
        return
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        raise InputError("文件受密码保护（已加密的 Word 文档），请在 Word 中取消密码后另存为 .docx 再检查")
    raise InputError("这是旧版 Word 97-2003（.doc）或其他 OLE 格式文件，请在 Word/WPS 中另存为 .docx 再检查")


# Only the XML parts are read (pictures never are). A report's document.xml is under 2 MB; reading one of
# 60 MB took 12 s and 650 MB before its text was refused as too long, so parts are capped at 16 MB.
_LIMITS = ZipLimits(max_member_bytes=16 * 1024 * 1024, max_total_bytes=32 * 1024 * 1024)


def open_package(data: bytes) -> Package:
    refuse_ole(data)
    archive = SafeZip(data, _LIMITS, what="Word 文档")
    if "word/document.xml" not in archive:
        main = _main_part(archive)
        if main is None:
            raise InputError("这不是 Word 文档：压缩包里没有 word/document.xml")
    else:
        main = "word/document.xml"
    document = parse_xml(archive.read(main), "word/document.xml ")
    if document.tag != W + "document":
        raise InputError("word/document.xml 不是 WordprocessingML 文档（根元素不对）")
    base = main.rsplit("/", 1)[0]
    numbering = _optional(archive, f"{base}/numbering.xml")
    styles = _optional(archive, f"{base}/styles.xml")
    core: dict[str, str] = {}
    core_root = _optional(archive, "docProps/core.xml")
    if core_root is not None:
        for child in core_root:
            name = _CORE.get(child.tag)
            if name and child.text and child.text.strip():
                core[name] = child.text.strip()
    return Package(document=document, numbering=numbering, styles=styles, core=core)


def _main_part(archive: SafeZip) -> str | None:
    """The main document part named by the package relationships, when it is not word/document.xml."""
    if "_rels/.rels" not in archive:
        return None
    rels = parse_xml(archive.read("_rels/.rels"), "_rels/.rels ")
    for rel in rels:
        if (rel.get("Type") or "").endswith("/officeDocument"):
            target = (rel.get("Target") or "").lstrip("/")
            return target if target in archive else None
    return None


def _optional(archive: SafeZip, name: str) -> Any | None:
    return parse_xml(archive.read(name), name + " ") if name in archive else None


def style_numbering(styles: Any | None) -> dict[str, tuple[str | None, int | None]]:
    """Style id -> (numId, ilvl) for paragraph styles that carry numbering, following ``w:basedOn``."""
    if styles is None:
        return {}
    own: dict[str, tuple[str | None, int | None]] = {}
    based: dict[str, str] = {}
    for style in styles.iter(W + "style"):
        sid = attr(style, "styleId")
        if not sid:
            continue
        parent = style.find(W + "basedOn")
        if parent is not None and attr(parent, "val"):
            based[sid] = attr(parent, "val") or ""
        numpr = style.find(W + "pPr/" + W + "numPr")
        if numpr is not None:
            n, lv = numpr.find(W + "numId"), numpr.find(W + "ilvl")
            own[sid] = (
                attr(n, "val") if n is not None else None,
                int(attr(lv, "val") or 0) if lv is not None else None,
            )
    out: dict[str, tuple[str | None, int | None]] = {}
    for sid in {*own, *based}:
        seen: set[str] = set()
        current: str | None = sid
        while current and current not in own and current not in seen:
            seen.add(current)
            current = based.get(current)
        if current and current in own:
            out[sid] = own[current]
    return out
