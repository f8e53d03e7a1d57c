"""The HTML loader: report pages saved from government portals (``.html``, ``.htm``, ``.shtml``)."""

from __future__ import annotations

from nianbao import hookimpl
from nianbao.document import Document, Source
from nianbao.loading import LoadContext

_STRONG = (b"<!doctype html", b"<html")
_WEAK = (b"<head", b"<body", b"<meta", b"<div", b"<p>", b"<p ", b"<table")


class HtmlLoader:
    name = "html"
    extensions = (".html", ".htm", ".shtml", ".xhtml")

    def sniff(self, head: bytes) -> int:
        if head.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
            return 0
        lower = head.replace(b"\x00", b"").lower()
        if any(s in lower for s in _STRONG):
            return 80
        if any(s in lower for s in _WEAK):
            return 40
        return 0

    def load(self, data: bytes, source: Source, context: LoadContext) -> Document:
        from .reader import load_html

        return load_html(data, source, context)


@hookimpl
def nianbao_loaders() -> list[HtmlLoader]:
    return [HtmlLoader()]
