"""The DOCX loader on Word features one at a time, on hostile files, and in a batch."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from nianbao.loading import MAX_INPUT_BYTES, InputError, load_document
from nianbao.plugins.docx.numbering import format_number
from nianbao.safezip import SafeZip, ZipLimits

from .conftest import CORPUS, SEEDS
from .make_fixtures import docx_build, hostile_build
from .make_fixtures.truth_layout import corpus_layouts

HOSTILE = CORPUS / "hostile"
FORMATS = CORPUS / "formats"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(body: str, numbering: str = "", core: str = "") -> bytes:
    parts = {
        "[Content_Types].xml": "<Types/>",
        "word/document.xml": f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>',
    }
    if numbering:
        parts["word/numbering.xml"] = f'<w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>'
    if core:
        parts["docProps/core.xml"] = core
    return docx_build.package(parts)


def _load(tmp_path: Path, data: bytes, host, context, name: str = "r.docx"):
    path = tmp_path / name
    path.write_bytes(data)
    return load_document(str(path), host.loaders, context)


def _p(text: str, extra: str = "") -> str:
    return f"<w:p>{extra}<w:r><w:t>{text}</w:t></w:r></w:p>"


_REPORT_TAIL = (
    _p("二、主动公开政府信息情况")
    + _p("三、收到和处理政府信息公开申请情况")
    + _p("四、政府信息公开行政复议、行政诉讼情况")
)


# ---------------------------------------------------------------------------------------- hostile
def test_hostile_docx_fixtures_are_current() -> None:
    for name, data in hostile_build.files().items():
        if name != "truncated.docx":  # cut from a fixture: compared through that fixture below
            assert (HOSTILE / name).read_bytes() == data, name


def test_zip_bomb_is_refused_before_it_is_expanded() -> None:
    data = (HOSTILE / "zip_bomb.docx").read_bytes()
    archive = SafeZip(data)
    info = archive.infos["word/document.xml"]
    assert info.file_size > 20 * 1024 * 1024 and len(data) < 64 * 1024
    with pytest.raises(InputError):
        archive.read("word/document.xml")
    # Refused at the ratio bound (200 x the compressed size), not at the 20 MB it would inflate to.
    assert archive.total_read == 0
    limits = ZipLimits()
    bound = max(limits.ratio_floor_bytes, info.compress_size * limits.max_ratio) + 64 * 1024
    assert bound < 5 * 1024 * 1024


def test_a_lying_size_header_does_not_lift_the_cap() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"0" * (3 * 1024 * 1024))
    data = bytearray(buffer.getvalue())
    # Rewrite the declared uncompressed size (local header and central directory) to 100 bytes.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        data[at + offset : at + offset + 4] = (100).to_bytes(4, "little")
    archive = SafeZip(bytes(data), ZipLimits(max_member_bytes=1024 * 1024))
    with pytest.raises(InputError) as err:
        archive.read("word/document.xml")
    assert "无法解压" in err.value.reason or "上限" in err.value.reason
    assert archive.total_read <= 1024 * 1024


def test_member_count_is_bounded() -> None:
    data = docx_build.package({f"x/{i}.xml": "<x/>" for i in range(30)})
    with pytest.raises(InputError, match="超过 10 个的上限"):
        SafeZip(data, ZipLimits(max_members=10))


def test_input_over_the_size_limit_is_refused(tmp_path: Path, host, context) -> None:
    path = tmp_path / "huge.docx"
    with path.open("wb") as fh:
        fh.truncate(MAX_INPUT_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(InputError, match="超过 50 MB 的输入上限"):
        load_document(str(path), host.loaders, context)


# ---------------------------------------------------------------------------------------- features
def test_fixtures_are_deterministic_and_current() -> None:
    layouts = corpus_layouts()
    assert {layout.stem for layout in layouts} >= {seed.stem for seed in SEEDS}
    for layout in layouts:
        data = docx_build.docx_bytes(layout, docx_build.features_of(layout.stem))
        assert (FORMATS / f"{layout.stem}.docx").read_bytes() == data, layout.stem


def test_automatic_numbering_restarts_and_formats(tmp_path: Path, host, context) -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/>'
        "</w:lvlOverride></w:num>"
    )

    def num(n: int, lvl: int = 0) -> str:
        return f'<w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{n}"/></w:numPr></w:pPr>'

    body = (
        _p("总体情况", num(1))
        + _p("主动公开", num(1, 1))
        + _p("依申请公开", num(1, 1))
        + _p("主动公开政府信息情况", num(1))
        + _p("存在的主要问题及改进情况", num(2))
        + _p("其他需要报告的事项", num(2))
    )
    doc = _load(tmp_path, _docx(body, numbering), host, context)
    headings = [(s.key, s.heading) for s in doc.sections if s.kind == "statutory"]
    assert headings == [
        ("s1", "一、总体情况"),
        ("s2", "二、主动公开政府信息情况"),
        ("s5", "五、存在的主要问题及改进情况"),
        ("s6", "六、其他需要报告的事项"),
    ]
    assert [p.text for p in doc.section("s1").paragraphs] == ["（一）主动公开", "（二）依申请公开"]
    assert doc.section("s5").location.paragraph == 5
    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]
    assert format_number(3, "decimalEnclosedCircle") == "③" and format_number(4, "lowerRoman") == "iv"


def test_tracked_changes_content_controls_and_text_boxes(tmp_path: Path, host, context) -> None:
    body = (
        "<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>本年度共</w:t></w:r>"
        '<w:del w:id="1" w:author="a"><w:r><w:delText>收到</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t>受理</w:t></w:r></w:ins>'
        '<w:sdt><w:sdtPr><w:alias w:val="n"/></w:sdtPr><w:sdtContent><w:r><w:t>3</w:t></w:r></w:sdtContent></w:sdt>'
        "<w:r><w:t>件。</w:t></w:r></w:p>"
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>控件中的段落。</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        '<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        "<mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框里的话。</w:t></w:r></w:p></w:txbxContent>"
        "</w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框里的话。</w:t></w:r></w:p>"
        "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>" + _REPORT_TAIL
    )
    doc = _load(tmp_path, _docx(body), host, context)
    assert [p.text for p in doc.section("s1").paragraphs] == ["本年度共受理3件。", "控件中的段落。", "文本框里的话。"]


def test_grid_before_after_vmerge_and_nested_tables(tmp_path: Path, host, context) -> None:
    def tc(text: str, props: str = "") -> str:
        return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    skip = '<w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>'
    span4 = '<w:gridSpan w:val="4"/>'
    restart = '<w:vMerge w:val="restart"/>'
    cont = "<w:vMerge/>"
    rows = [
        tc("第二十条第（一）项", span4),
        tc("信息内容") + tc("本年新制作数量") + tc("本年新公开数量") + tc("对外公开总数量"),
        tc("规章") + tc("1") + tc("2", restart) + tc("3"),
        tc("规范性文件") + tc("4") + tc("", cont) + tc("６"),
    ]
    grid = '<w:gridCol w:w="1"/>' * 6
    table = f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>" + "".join(f"<w:tr>{skip}{r}</w:tr>" for r in rows) + "</w:tbl>"
    layout = f'<w:tbl><w:tblGrid><w:gridCol w:w="9"/></w:tblGrid><w:tr><w:tc>{table}<w:p/></w:tc></w:tr></w:tbl>'
    body = (
        _p("一、总体情况")
        + _p("二、主动公开政府信息情况")
        + layout
        + _REPORT_TAIL[len(_p("二、主动公开政府信息情况")) :]
    )
    doc = _load(tmp_path, _docx(body), host, context)
    rows = doc.tables["t2_1"].rows
    assert {k: c.raw for k, c in rows["regulations"].cells.items()} == {
        "made": "1",
        "published": "2",
        "total_public": "3",
    }
    # Covered by the vertical merge above: blank, not a copy of 2. Full-width digits normalised.
    normative = rows["normative_documents"].cells
    assert (normative["published"].state, normative["total_public"].value) == ("blank", 6)
    loc = normative["total_public"].location
    assert (loc.table, loc.row, loc.cell, loc.text) == (2, 4, 5, "６")
    assert doc.tables["t2_1"].caption == "第二十条第（一）项"


def test_core_properties_go_to_meta_properties(tmp_path: Path, host, context) -> None:
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
        "<dc:creator>张三</dc:creator><dcterms:created>2021-01-05T08:00:00Z</dcterms:created></cp:coreProperties>"
    )
    doc = _load(tmp_path, _docx(_p("一、总体情况") + _REPORT_TAIL, core=core), host, context)
    assert {k: v.value for k, v in doc.meta.properties.items()} == {"author": "张三", "created": "2021-01-05T08:00:00Z"}


def test_sniff_picks_docx_without_extension(tmp_path: Path, host, context) -> None:
    data = (FORMATS / f"{SEEDS[0].stem}.docx").read_bytes()
    doc = _load(tmp_path, data, host, context, name="report.bin")
    assert doc.source.format == "docx" and doc.meta.organ == "重庆市渝北区应急管理局"


def test_traditional_text_in_docx_is_converted_and_recorded(tmp_path: Path, host, context) -> None:
    body = _p("一、總體情況") + _p("本機關認真貫徹落實條例。") + _REPORT_TAIL
    doc = _load(tmp_path, _docx(body), host, context)
    assert doc.source.traditional_converted
    assert doc.section("s1").paragraphs[0].text == "本机关认真贯彻落实条例。"
    change = next(c for c in doc.changes if c.original == "機")
    assert change.location.paragraph == 2 and change.location.line is None


def test_importing_the_cli_does_not_import_lxml() -> None:
    import subprocess
    import sys

    code = "import sys, nianbao.cli; print('lxml' in sys.modules, 'zipfile' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ)
    assert out.stdout.split()[0] == "False"


def test_corrupted_bytes_give_input_errors_not_tracebacks(context) -> None:
    """Random byte damage anywhere in a real fixture: the file loads or is refused with NB01/NB02."""
    import random

    from nianbao.document import Source
    from nianbao.plugins.docx import DocxLoader

    loader = DocxLoader()
    rnd = random.Random(20210118)
    data = (FORMATS / f"{SEEDS[2].stem}.docx").read_bytes()
    outcomes = {"loaded": 0, "refused": 0}
    for _ in range(150):
        damaged = bytearray(data)
        for _ in range(rnd.randint(1, 4)):
            damaged[rnd.randrange(len(damaged))] = rnd.randrange(256)
        try:
            loader.load(bytes(damaged), Source("x.docx", "docx", "", len(damaged)), context)
            outcomes["loaded"] += 1
        except InputError as exc:
            assert exc.code in ("NB01", "NB02") and exc.reason
            outcomes["refused"] += 1
    assert outcomes["refused"] > 0


def test_several_statutory_tables_in_one_word_table(tmp_path: Path, host, context) -> None:
    """The national template draws the 第二十条 tables as one Word table cut by caption rows."""

    def tc(text: str, span: int = 1) -> str:
        props = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span > 1 else ""
        return f"<w:tc>{props}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    rows = [
        tc("第二十条第（一）项", 4),
        tc("信息内容") + tc("本年新制作数量") + tc("本年新公开数量") + tc("对外公开总数量"),
        tc("规章") + tc("0") + tc("0") + tc("0"),
        tc("规范性文件") + tc("5") + tc("4") + tc("30"),
        tc("第二十条第（五）项", 4),
        tc("信息内容") + tc("上一年项目数量") + tc("本年增/减") + tc("处理决定数量"),
        tc("行政许可") + tc("12") + tc("-2") + tc("340"),
        tc("其他对外管理服务事项") + tc("3") + tc("0") + tc(""),
    ]
    table = "<w:tbl><w:tblGrid>" + '<w:gridCol w:w="1"/>' * 4 + "</w:tblGrid>"
    table += "".join(f"<w:tr>{r}</w:tr>" for r in rows) + "</w:tbl>"
    body = (
        _p("一、总体情况")
        + _p("二、主动公开政府信息情况")
        + table
        + _REPORT_TAIL[len(_p("二、主动公开政府信息情况")) :]
    )
    doc = _load(tmp_path, _docx(body), host, context)
    assert list(doc.tables) == ["t2_1", "t2_5"]
    assert doc.tables["t2_1"].rows["normative_documents"].cells["total_public"].value == 30
    licensing = doc.tables["t2_5"].rows["licensing"].cells
    assert (licensing["items_change"].value, licensing["decisions"].location.row) == (-2, 7)
    assert doc.tables["t2_5"].rows["other_services"].cells["decisions"].state == "blank"
