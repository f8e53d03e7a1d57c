"""Parsers for untrusted XML and HTML: no entity expansion, no DTD loading, no network, bounded trees.

lxml is imported only when a parser is asked for, so importing this module costs nothing.
"""

from __future__ import annotations

from typing import Any

from .loading import InputError


def xml_parser() -> Any:
    """An lxml XML parser that never resolves entities, loads a DTD or fetches anything."""
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def html_parser(encoding: str | None = None) -> Any:
    """An lxml HTML parser with the same guarantees (HTML has no external entities, but no fetching)."""
    from lxml import html

    return html.HTMLParser(no_network=True, huge_tree=False, remove_comments=True, remove_pis=True, encoding=encoding)


def parse_xml(data: bytes, what: str, allow_doctype: bool = False) -> Any:
    """The root element of ``data``, or :class:`InputError` (NB01) for broken or DTD-carrying XML.

    A document type declaration is refused unless ``allow_doctype``: formats such as OOXML never
    carry one, and one that does is at best broken and at worst an entity-expansion attack.
    """
    from lxml import etree

    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{what}不是有效的 XML（{exc.msg}），文件可能已损坏") from None
    if root is None:
        raise InputError(f"{what}是空的")
    docinfo = root.getroottree().docinfo
    if not allow_doctype and (docinfo.doctype or docinfo.internalDTD is not None):
        raise InputError(f"{what}含有 DTD/实体声明，出于安全原因拒绝读取（不展开实体、不访问网络）")
    return root
