from __future__ import annotations

import copy
import dataclasses
import json
import subprocess
import sys

import pytest
from nianbao import document as d
from nianbao.schema import report_schema, validate_report


def _loc(line: int, column: int, text: str) -> d.Location:
    return d.Location(text=text, line=line, column=column, end_line=line, end_column=column + len(text))


def _document() -> d.Document:
    heading = "一、总体情况"
    paragraph = "2021年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。"
    return d.Document(
        source=d.Source(
            path="reports/xihu-2021.txt",
            format="txt",
            sha256="0123456789abcdef" * 4,
            size=18234,
            encoding="gb18030",
            traditional_converted=True,
        ),
        meta=d.Meta(
            title=d.Title(
                as_written="杭州市西湖区人民政府2021年政府信息公开工作年度报告",
                normalised="杭州市西湖区人民政府2021年政府信息公开工作年度报告",
                location=_loc(1, 1, "杭州市西湖区人民政府2021年政府信息公开工作年度报告"),
            ),
            organ="杭州市西湖区人民政府",
            organ_source="title",
            report_year=2021,
            report_year_source="title",
            edition=d.Edition(value="2021", decided_by="year", table_shape="2021"),
            region=d.Region(province="浙江省", prefecture="杭州市", county="西湖区", code="330106", decided_by="organ"),
            organ_level="government",
            signature=d.Signature(
                organ=d.Located("杭州市西湖区人民政府", _loc(120, 30, "杭州市西湖区人民政府")),
                date=d.DateValue("2022年1月20日", "2022-01-20", _loc(121, 32, "2022年1月20日")),
            ),
            portal={"发布机构": d.Located("杭州市西湖区人民政府办公室", _loc(3, 6, "杭州市西湖区人民政府办公室"))},
            publication_date=d.DateValue("2022-01-25", "2022-01-25", _loc(4, 6, "2022-01-25")),
            statistics_period=None,
            submitter=None,
        ),
        sections=[
            d.Section(
                key=None,
                kind="preamble",
                paragraphs=[d.Paragraph("本报告根据条例编制。", _loc(6, 1, "本报告根据条例编制。"))],
            ),
            d.Section(
                key="s1",
                kind="statutory",
                heading=heading,
                title="总体情况",
                number="一",
                location=_loc(8, 1, heading),
                paragraphs=[d.Paragraph(paragraph, _loc(9, 3, paragraph))],
            ),
        ],
        tables={
            "t3": d.Table(
                id="t3",
                caption="三、收到和处理政府信息公开申请情况",
                location=_loc(40, 1, "三、收到和处理政府信息公开申请情况"),
                header=[d.HeaderLabel("自然人", "natural_person", _loc(42, 1, "自然人"))],
                groups=[d.GroupLabel("三、本年度办理结果", "results", _loc(52, 1, "三、本年度办理结果"))],
                rows={
                    "new_received": d.Row(
                        label="一、本年新收政府信息公开申请数量",
                        location=_loc(50, 1, "一、本年新收政府信息公开申请数量"),
                        cells={
                            "natural_person": d.Cell("21", 21, "number", _loc(50, 18, "21")),
                            "commercial_enterprise": d.Cell(
                                "",
                                None,
                                "blank",
                                d.Location(text="", line=50, column=21, end_line=50, end_column=21),
                            ),
                            "total": d.Cell("604.96万元", 604.96, "number", _loc(50, 30, "604.96万元"), unit="万元"),
                        },
                    ),
                    "carried_over": d.Row(
                        label="二、上年结转政府信息公开申请数量",
                        location=_loc(51, 1, "二、上年结转政府信息公开申请数量"),
                        cells={
                            "natural_person": d.Cell("2", 2, "number", _loc(51, 18, "21317"), origin="extraction"),
                            "total": d.Cell("/", None, "slash", _loc(51, 30, "/")),
                        },
                    ),
                },
            )
        },
        changes=[d.Change("traditional", "數", "数", _loc(9, 12, "數"))],
        diagnostics=[
            d.Diagnostic(
                "NB03",
                "row 二 of t3: digits run together; split chosen by the table identities",
                _loc(51, 18, "21317"),
            ),
            d.Diagnostic(
                "NB03",
                "t2_1 row 规范性文件: digits run together (2105), two splits possible",
                _loc(60, 7, "2105"),
                ["t2_1.normative_documents"],
                [
                    {"t2_1.normative_documents.made": 2, "t2_1.normative_documents.published": 10},
                    {"t2_1.normative_documents.made": 21, "t2_1.normative_documents.published": 0},
                ],
            ),
        ],
    )


@pytest.fixture
def data() -> dict:
    return _document().to_dict()


def _paths(errors: list[str]) -> set[str]:
    return {e.split(": ", 1)[0] for e in errors}


def test_schema_is_a_valid_draft_2020_12_schema():
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(report_schema())
    assert report_schema()["$id"] == "https://nianbao.invalid/schemas/report.schema.json"
    assert report_schema() is report_schema()


def test_realistic_document_is_valid(data):
    assert validate_report(data) == []


def test_document_round_trips_through_json():
    doc = _document()
    again = d.Document.from_dict(json.loads(json.dumps(doc.to_dict(), ensure_ascii=False)))
    assert again == doc
    assert validate_report(again.to_dict()) == []


_CELL = ("tables", "t3", "rows", "new_received", "cells", "natural_person")


def _set(data: dict, path: tuple, value) -> dict:
    data = copy.deepcopy(data)
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "where", "says"),
    [
        (
            _CELL + ("colour",),
            "red",
            "/tables/t3/rows/new_received/cells/natural_person",
            "有未知的项 “colour”",
        ),
        (
            _CELL + ("state",),
            "numeric",
            "/tables/t3/rows/new_received/cells/natural_person/state",
            "（写的是 “numeric”）",
        ),
        (("sections", 1, "key"), "s7", "/sections/1/key", "写法不符合要求（应匹配"),
        (("diagnostics", 0, "code"), "XX01", "/diagnostics/0/code", "（写的是 “XX01”）"),
        (
            ("sections", 1, "paragraphs", 0, "location", "line"),
            -3,
            "/sections/1/paragraphs/0/location/line",
            "应不小于 1（写的是 “-3”）",
        ),
        # Inside a nullable location: the error must name the field, not just the anyOf.
        (
            ("sections", 1, "location", "line"),
            0,
            "/sections/1/location/line",
            "应不小于 1（写的是 “0”）",
        ),
        (
            ("meta", "signature", "date", "value"),
            "2022/01/20",
            "/meta/signature/date/value",
            "写法不符合要求",
        ),
        (
            ("meta", "publication_date", "value"),
            "2022-02-30",
            "/meta/publication_date/value",
            "不是有效的 date（写的是 “2022-02-30”）",
        ),
        (("source", "sha256"), "abc", "/source/sha256", "写法不符合要求"),
        (("schema_version",), 2, "/schema_version", "应为 1（写的是 “2”）"),
        (("tables", "t3", "groups", 0, "row"), "", "/tables/t3/groups/0/row", "不能为空（写的是 “”）"),
        (
            ("diagnostics", 1, "candidates", 0, "t2_1.normative_documents.made"),
            "two",
            "/diagnostics/1/candidates/0/t2_1.normative_documents.made",
            "应为数字（写的是 “two”）",
        ),
    ],
)
def test_each_error_is_reported_at_its_path(data, path, value, where, says):
    errors = validate_report(_set(data, path, value))
    assert _paths(errors) == {where}, errors
    assert any(says in e for e in errors), errors


def test_table_ids_are_constrained(data):
    data["tables"]["table3"] = data["tables"]["t3"]
    errors = validate_report(data)
    assert _paths(errors) == {"/tables"} and "（写的是 “table3”）" in errors[0], errors


def test_statutory_sections_need_a_key_and_others_must_not_have_one(data):
    bad = _set(_set(data, ("sections", 1, "key"), None), ("sections", 0, "key"), "s1")
    assert _paths(validate_report(bad)) == {"/sections/0/key", "/sections/1/key"}


def test_a_number_cell_needs_a_value(data):
    errors = validate_report(_set(data, _CELL + ("value",), None))
    assert _paths(errors) == {"/tables/t3/rows/new_received/cells/natural_person/value"}, errors


def test_location_end_needs_a_start(data):
    del data["sections"][1]["location"]["line"]
    errors = validate_report(data)
    assert _paths(errors) == {"/sections/1/location"}, errors


def test_errors_are_all_reported_and_sorted(data):
    for _ in range(11):
        data["sections"].append(copy.deepcopy(data["sections"][1]) | {"key": "s9"})
    data["diagnostics"][0]["code"] = "NB3"
    errors = validate_report(data)
    assert len(errors) == 12
    assert errors[0].startswith("/diagnostics/0/code: ")
    assert [e.split(": ")[0] for e in errors[1:]] == [f"/sections/{i}/key" for i in range(2, 13)]
    assert validate_report(data) == errors


def test_pointer_escapes_keys(data):
    data["tables"]["t3"]["rows"]["合计/小计"] = {"label": "合计/小计", "known": False}
    errors = validate_report(data)
    assert _paths(errors) == {"/tables/t3/rows/合计~1小计"}, errors


def test_root_errors_use_the_root_pointer(data):
    del data["source"]
    assert validate_report(data) == ["/: 缺少必填项 “source”"]


def test_defs_describe_exactly_the_dataclass_fields():
    """The schema and document.py must be changed together; this catches one without the other."""
    defs = report_schema()["$defs"]
    classes = [
        cls
        for cls in vars(d).values()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == d.__name__
    ]
    assert classes
    for cls in classes:
        spec = report_schema() if cls is d.Document else defs[cls.__name__]
        names = [f.name for f in dataclasses.fields(cls)]
        assert list(spec["properties"]) == names, cls.__name__
        assert spec["additionalProperties"] is False, cls.__name__
        expected_required = ["text"] if cls is d.Location else names
        assert sorted(spec["required"]) == sorted(expected_required), cls.__name__


def test_every_object_in_the_schema_is_closed():
    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, where
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(report_schema(), "")


def test_importing_the_module_does_not_import_jsonschema():
    code = "import sys, nianbao.schema; sys.exit('jsonschema' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_value_of_the_wrong_type_for_a_nullable_field_says_what_is_expected(data):
    data["sections"][1]["location"] = "line 8"
    data["meta"]["signature"]["date"]["value"] = 20220120
    assert validate_report(data) == [
        "/meta/signature/date/value: 应为文字或空值（写的是 “20220120”）",
        "/sections/1/location: 应为映射（键: 值）或空值（写的是 “line 8”）",
    ]
