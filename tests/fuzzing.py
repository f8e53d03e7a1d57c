"""Mutated real reports, and running one through the whole pipeline: shared by the property-based
tests (tests/test_fuzz.py, bounded for CI) and the long-running fuzzer (benchmarks/fuzz.py).

Every mutator takes the seed's bytes and a ``random.Random`` and returns new bytes. Hypothesis hands
the tests a ``Random`` it controls (``st.randoms()``), so its failures shrink and replay; the fuzzer
uses a seeded one. The mutations are those that broke earlier versions: byte flips, truncation,
chunks inserted and deleted, numbers thousands of digits long, random Unicode and control characters,
DOCX XML mutated inside a valid zip, deep and huge HTML tables, PDF streams that inflate far, canonical
JSON with hostile values.
"""

from __future__ import annotations

import io
import json
import logging
import os
import random
import re
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"

# ---------------------------------------------------------------------------------------------- seeds


@dataclass(frozen=True, slots=True)
class Seed:
    name: str
    suffix: str  # the file extension the mutated bytes are linted under
    data: bytes


def seeds() -> list[Seed]:
    """The real reports in the repository, in every input format, plus one canonical JSON document."""
    out = [Seed(p.name, ".txt", p.read_bytes()) for p in sorted(CORPUS.glob("0*.txt"))]
    out += [Seed(p.name, ".txt", p.read_bytes()) for p in sorted((CORPUS / "2021").glob("*.txt"))]
    for p in sorted((CORPUS / "formats").iterdir()):
        out.append(Seed(p.name, p.suffix, p.read_bytes()))
    out += [Seed(p.name, ".pdf", p.read_bytes()) for p in sorted((CORPUS / "pdf").glob("*.pdf"))]
    out.append(Seed("000.json", ".json", canonical_json(CORPUS / "000_98b392332e9fbc59.txt")))
    return out


def canonical_json(path: Path) -> bytes:
    from nianbao.host import create_host
    from nianbao.loading import LoadContext, load_document

    host = create_host(entry_points=False)
    doc = load_document(str(path), host.loaders, LoadContext(templates=host.templates))
    return json.dumps(doc.to_dict(), ensure_ascii=False).encode("utf-8")


# ------------------------------------------------------------------------------------------ mutators

Mutator = Callable[[bytes, random.Random], bytes]
_GROWTH = 4 * 1024 * 1024  # bytes a mutation may grow an input to
_DIGITS = re.compile(rb"\d+")
_CONTROL = [chr(c) for c in range(32) if c not in (9, 10, 13)] + ["\x7f", "\x85", "\u2028", "\u202e", "\ufeff"]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 24)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def insert_chunk(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    if data and rng.random() < 0.6:  # a piece of the file itself, possibly repeated: structure stays plausible
        start = rng.randrange(len(data))
        chunk = data[start : start + rng.randint(1, 4096)] * rng.choice((1, 1, 2, 50, 500))
    else:
        chunk = rng.randbytes(rng.randint(1, 512))
    return data[:at] + chunk + data[at:]


def delete_chunk(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 4096) :]


def huge_number(data: bytes, rng: random.Random) -> bytes:
    """A number of the file replaced by one with thousands of digits (or a long run of them)."""
    runs = list(_DIGITS.finditer(data))
    digits = rng.choice((b"9", b"1", b"0", b"12", b"1,000")) * rng.choice((20, 400, 4400, 20000))
    if not runs:
        return data + digits
    m = rng.choice(runs)
    return data[: m.start()] + digits + data[m.end() :]


def unicode_noise(data: bytes, rng: random.Random) -> bytes:
    """Random code points and control characters in the text of a text-like file (re-encoded UTF-8)."""
    text = data.decode("utf-8", "replace")
    for _ in range(rng.randint(1, 30)):
        at = rng.randrange(len(text) + 1)
        if rng.random() < 0.5:
            piece = rng.choice(_CONTROL) * rng.choice((1, 1, 3, 200))
        else:
            piece = "".join(
                chr(rng.choice((rng.randrange(0x20, 0xD800), rng.randrange(0xE000, 0x110000))))
                for _ in range(rng.randint(1, 20))
            )
        text = text[:at] + piece + text[at:]
    return text.encode("utf-8")


def text_flood(data: bytes, rng: random.Random) -> bytes:
    """Many short lines, unmatched brackets or one long line: what made findings and memory grow."""
    piece = rng.choice(("（", "(", "【", "“", "一、", "1 2 3\n", "公开\n", "\t0\n", "表三\n", "。", "%"))
    return data + (piece * rng.choice((100, 5000, 60000))).encode("utf-8")


BYTE_MUTATORS: tuple[Mutator, ...] = (flip_bytes, truncate, insert_chunk, delete_chunk, huge_number)
TEXT_MUTATORS: tuple[Mutator, ...] = BYTE_MUTATORS + (unicode_noise, text_flood)


# DOCX: the zip stays valid, the XML inside is mutated.
_ATTR = re.compile(rb'(w:val|w:w|w:ilvl|w:numId)="[^"]*"')
_XML_VALUES = (b"2147483648", b"-1", b"-99999", b"0", b"99999999999999999999999", b"1e9", b"abc", b"", b"63", b"64000")
_TABLE_PARTS = (
    b'<w:gridSpan w:val="%s"/>',
    b'<w:vMerge w:val="restart"/>',
    b"<w:vMerge/>",
)


def mutate_docx(data: bytes, rng: random.Random) -> bytes:
    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        members = [(i.filename, src.read(i.filename)) for i in src.infolist()]
    except Exception:  # noqa: BLE001 - a seed that is no zip gets byte mutations
        return flip_bytes(data, rng)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members:
            if name == "word/document.xml" or (name.endswith(".xml") and rng.random() < 0.2):
                body = _mutate_xml(body, rng)
            z.writestr(name, body)
    return out.getvalue()


def _mutate_xml(xml: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 6)):
        choice = rng.randrange(7)
        if choice == 0:  # an attribute value changed to something hostile
            attrs = list(_ATTR.finditer(xml))
            if attrs:
                m = rng.choice(attrs)
                xml = xml[: m.start()] + m.group(1) + b'="' + rng.choice(_XML_VALUES) + b'"' + xml[m.end() :]
        elif choice == 1:  # table geometry: gridSpan, vMerge, gridBefore/After with any extent
            cells = [m.end() for m in re.finditer(rb"<w:tcPr>", xml)]
            if cells:
                at = rng.choice(cells)
                part = rng.choice(_TABLE_PARTS)
                if b"%s" in part:
                    part = part % rng.choice(_XML_VALUES)
                xml = xml[:at] + part + xml[at:]
            rows = [m.end() for m in re.finditer(rb"<w:tr(?: [^>]*)?>", xml)]
            if rows:
                at = rng.choice(rows)
                kind = rng.choice((b"gridBefore", b"gridAfter"))
                xml = (
                    xml[:at]
                    + b"<w:trPr><w:"
                    + kind
                    + b' w:val="'
                    + rng.choice(_XML_VALUES)
                    + b'"/></w:trPr>'
                    + xml[at:]
                )
        elif choice == 2:  # an element repeated many times (rows, cells, paragraphs)
            tag = rng.choice((rb"<w:tr[ >].*?</w:tr>", rb"<w:tc>.*?</w:tc>", rb"<w:p[ >].*?</w:p>"))
            found = list(re.finditer(tag, xml, re.S))
            if found:
                m = rng.choice(found)
                times = min(rng.choice((2, 20, 300)), _GROWTH // max(len(m.group(0)), 1))
                xml = xml[: m.end()] + m.group(0) * times + xml[m.end() :]
        elif choice == 3:  # an element removed
            found = list(re.finditer(rb"<w:(tc|tr|p|tbl)[ >].*?</w:\1>", xml, re.S))
            if found:
                m = rng.choice(found)
                xml = xml[: m.start()] + xml[m.end() :]
        elif choice == 4:  # text replaced by a huge number or noise
            texts = list(re.finditer(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
            if texts:
                m = rng.choice(texts)
                new = rng.choice((b"9" * rng.choice((30, 5000)), "（".encode() * 3000, rng.randbytes(8).hex().encode()))
                xml = xml[: m.start(1)] + new + xml[m.end(1) :]
        elif choice == 5:  # deep nesting of content controls
            at = xml.find(b"<w:body>")
            if at >= 0:
                depth = rng.choice((50, 500, 5000))
                at += len(b"<w:body>")
                xml = xml[:at] + b"<w:sdt><w:sdtContent>" * depth + b"</w:sdtContent></w:sdt>" * depth + xml[at:]
        else:
            xml = flip_bytes(xml, rng) if rng.random() < 0.5 else insert_chunk(xml, rng)
    return xml


# HTML: deep nesting and huge tables.
def mutate_html(data: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(4)
    at = data.find(b"</body>")
    at = at if at >= 0 else len(data)
    if choice == 0:
        depth = rng.choice((100, 1000, 20000))
        tag = rng.choice((b"div", b"table", b"span", b"td"))
        block = b"<" + tag + b">" * 1
        return data[:at] + block * depth + b"x" + (b"</" + tag + b">") * depth + data[at:]
    if choice == 1:
        rows, cols = rng.choice(((2000, 5), (50, 400), (300, 60), (10, 10)))
        cell = rng.choice((b"<td>1</td>", b"<td>0</td>", b"<td colspan=99999>9</td>", b"<td rowspan=65534>x</td>"))
        table = b"<table>" + (b"<tr>" + cell * cols + b"</tr>") * rows + b"</table>"
        return data[:at] + table + data[at:]
    if choice == 2:
        spans = list(re.finditer(rb"<t[dh]\b", data))
        if spans:
            m = rng.choice(spans)
            attr = rng.choice((b" colspan=", b" rowspan="))
            value = rng.choice((b"2147483648", b"-5", b"0", b"1e9", b"99999999999999999999", b'"3"'))
            return data[: m.end()] + attr + value + data[m.end() :]
        return data
    return rng.choice(TEXT_MUTATORS)(data, rng)


# PDF: streams that inflate far, stream markers everywhere, lengths that lie.
def mutate_pdf(data: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(5)
    at = data.rfind(b"xref")
    at = at if at > 0 else len(data)
    if choice == 0:  # a Flate stream inflating to megabytes, with bytes after the compressed data
        raw = b"0 0 m 1 1 l S\n" * rng.choice((1000, 100_000, 400_000))
        body = zlib.compress(raw) + rng.choice((b"", b"\n", b"\x00garbage"))
        length = rng.choice((len(body), len(body) + 100000, 0, 10**30))
        obj = b"900 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % length + body + b"\nendstream\nendobj\n"
        return data[:at] + obj + data[at:]
    if choice == 1:  # many stream markers without objects or ends
        return data[:at] + b">> stream\n" * rng.choice((10, 3000, 40000)) + data[at:]
    if choice == 2:  # a /Length replaced by an indirect reference or a huge number
        lengths = list(re.finditer(rb"/Length \d+", data))
        if lengths:
            m = rng.choice(lengths)
            new = rng.choice((b"/Length 9 0 R", b"/Length " + b"9" * 5000, b"/Length -1", b"/Length 99999999999"))
            return data[: m.start()] + new + data[m.end() :]
        return data
    if choice == 3:
        return huge_number(data, rng)
    return rng.choice(BYTE_MUTATORS)(data, rng)


# Canonical JSON: structure kept, values hostile.
_HUGE = "\x00huge\x00"  # written as 5,000 digits: json.dumps refuses integers that long
_HOSTILE_VALUES = (
    _HUGE,
    -(10**30),
    1e308,
    -1e308,
    2**63,
    "9" * 5000,
    "\ud800",
    "\x1b[31m",
    "（" * 10000,
    None,
    True,
    [],
    {},
    0.5,
)


def mutate_json(data: bytes, rng: random.Random) -> bytes:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):  # an earlier round broke it: mutate the bytes instead
        return rng.choice(BYTE_MUTATORS)(data, rng)
    if rng.random() < 0.25:
        return rng.choice(BYTE_MUTATORS)(data, rng)
    for _ in range(rng.randint(1, 8)):
        _mutate_value(doc, rng)
    if rng.random() < 0.1:
        depth = rng.choice((100, 5000, 100000))
        return data[:-1] + b',"x":' + b"[" * depth + b"]" * depth + b"}"
    return json.dumps(doc, ensure_ascii=True).replace(json.dumps(_HUGE), "9" * 5000).encode("utf-8")


def _mutate_value(doc: object, rng: random.Random) -> None:
    """Replace one random leaf (or container member) of ``doc`` in place."""
    node, parent, key = doc, None, None
    for _ in range(rng.randint(1, 12)):
        if isinstance(node, dict) and node:
            key = rng.choice(sorted(node))
        elif isinstance(node, list) and node:
            key = rng.randrange(len(node))
        else:
            break
        parent, node = node, node[key]  # type: ignore[index]
    if parent is not None:
        parent[key] = rng.choice(_HOSTILE_VALUES)  # type: ignore[index]


MUTATORS_BY_SUFFIX: dict[str, tuple[Mutator, ...]] = {
    ".txt": TEXT_MUTATORS,
    ".html": (mutate_html,) * 3 + TEXT_MUTATORS,
    ".docx": (mutate_docx,) * 4 + BYTE_MUTATORS,
    ".pdf": (mutate_pdf,) * 3 + BYTE_MUTATORS,
    ".json": (mutate_json,) * 3 + BYTE_MUTATORS,
}


# How often each format is fuzzed (a PDF costs ten times a text file to lint).
SUFFIX_WEIGHTS = {".txt": 37, ".html": 24, ".json": 6, ".docx": 27, ".pdf": 6}


def pick_seed(seed_list: list[Seed], rng: random.Random) -> Seed:
    suffixes = sorted(SUFFIX_WEIGHTS)
    suffix = rng.choices(suffixes, [SUFFIX_WEIGHTS[s] for s in suffixes])[0]
    return rng.choice([s for s in seed_list if s.suffix == suffix])


def mutate(seed: Seed, rng: random.Random, rounds: int | None = None) -> tuple[bytes, list[str]]:
    """``seed`` through one to three mutators of its format; returns the bytes and the mutators' names.
    Mutators stop once the input has grown past a few megabytes: larger inputs test the input caps,
    which tests of their own do, and only slow the search down."""
    data = seed.data
    names = []
    for _ in range(rounds or rng.choice((1, 1, 1, 2, 3))):
        mutator = rng.choice(MUTATORS_BY_SUFFIX[seed.suffix])
        names.append(mutator.__name__)
        data = mutator(data, rng)
        if len(data) > _GROWTH:
            break
    return data, names


# ---------------------------------------------------------------------------------------- the pipeline


@dataclass(slots=True)
class Outcome:
    exit_code: int
    codes: list[str]  # finding codes, the file's NB01/NB02 included
    internal: list[str] = field(default_factory=list)  # messages of internal errors (NB05, rule failures)
    leaks: list[str] = field(default_factory=list)  # warnings and log lines a user would see on stderr


class Pipeline:
    """``nianbao lint`` in process: load, every rule, every output format, as the CLI runs them."""

    def __init__(self, workdir: str | None = None) -> None:
        from nianbao.host import create_host

        self.host = create_host(entry_points=False)
        self.workdir = workdir or tempfile.mkdtemp(prefix="nianbao-fuzz-")

    def run(self, data: bytes, suffix: str, formats: set[str] | None = None) -> Outcome:
        """Lint ``data`` as a file with ``suffix`` and render the output ``formats`` (default: all)."""
        from nianbao.lint import Linter, LintOptions
        from nianbao.outputs import RenderOptions

        path = os.path.join(self.workdir, "report" + suffix)
        with open(path, "wb") as fh:
            fh.write(data)
        leaks: list[str] = []
        catcher = _LogCatcher(leaks)
        root = logging.getLogger()
        root.addHandler(catcher)  # where a log record would reach Python's last-resort stderr handler
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                run = Linter(self.host, LintOptions()).run([path])
                options = RenderOptions(root=self.workdir)
                for fmt in self.host.outputs:
                    if formats is not None and fmt.name not in formats:
                        continue
                    text = fmt.render(run, color=fmt.name == "console", options=options)
                    text.encode("utf-8")  # what the CLI writes: must not fail on any character
        finally:
            root.removeHandler(catcher)
        leaks += [f"{w.category.__name__}: {w.message}" for w in caught]
        codes = [f.code for f in run.findings]
        internal = [f"{f.code}: {f.error}" for f in getattr(run, "failures", [])]
        internal += [f.message for f in run.findings if f.code == INTERNAL_CODE]
        return Outcome(run.exit_code(), codes, internal, leaks)


class _LogCatcher(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(f"log {record.name}: {record.getMessage()[:200]}")


INTERNAL_CODE = "NB05"
