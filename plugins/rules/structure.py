"""ST rules: the six statutory sections, the title and the format edition."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from nianbao.document import Document, Location, Section, Table
from nianbao.lazypattern import lazy
from nianbao.places import section_place
from nianbao.plugins.text.chars import is_ideograph
from nianbao.rules import BaseRule, Finding, Rule, RuleContext, RuleMeta
from nianbao.templates import SectionSpec, Template, edition_markers, label_key

from .reader_doubts import doubted
from .table_labels import collapsed_groups

# Titles keep their punctuation (``行政复议、行政诉讼``); only spacing and character width are ignored.
_SPACE = re.compile(r"[\s\u00a0\u3000]+")
_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "!": "！", "?": "？"})
_NUMERALS = "一二三四五六七八九十"
_YEAR_WORDS = lazy(r"(?:19|20)\d{2}年度?")
# What people write in a section they have nothing to put in.
_PLACEHOLDERS = {"无", "暂无", "没有", "略", "空", "无内容"}


def title_key(text: str) -> str:
    return _SPACE.sub("", text).translate(_HALF_TO_FULL)


def section_template(ctx: RuleContext) -> Template | None:
    """The sections are the same in every edition; any format will do when the edition is unknown."""
    if ctx.template is not None:
        return ctx.template
    return ctx.templates[-1] if ctx.templates else None


def _statutory(doc: Document) -> list[Section]:
    return [s for s in doc.sections if s.kind == "statutory" and s.key]


def _numeral(number: str) -> str:
    return "".join(ch for ch in number if ch in _NUMERALS)


# Ideographs U+3400..U+9FFF tested by comparison: a regex class over that range costs ~2 ms to
# compile (sre marks its 27,000 code points one by one), on every run.
def _has_words(text: str) -> bool:
    return any(is_ideograph(c) or (c.isascii() and c.isalpha()) for c in text)


def _content(section: Section) -> str:
    """The section's text, without page numbers (``- 5 -``) and other lines that hold no words."""
    return "".join(p.text.strip() for p in section.paragraphs if _has_words(p.text))


class SectionMissingRule(BaseRule):
    meta = RuleMeta(
        code="ST01",
        name="structure.section-missing",
        severity="error",
        summary="报告应包含格式规定的六个部分，缺一不可",
        rationale=(
            "《政府信息公开条例》第五十条列举了年度报告必须包括的内容，国务院办公厅政府信息与政务公开办公室据此发布的"
            "统一格式（2019年试行格式、2021年格式）把它们排成六个部分：一、总体情况；二、主动公开政府信息情况；"
            "三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；"
            "六、其他需要报告的事项。缺少任何一部分，报告就没有覆盖条例要求的全部内容；重庆等地的通知还明确"
            "“严禁擅自删减报告事项”。接连缺少的几个部分在一条结果中一并列出，指向它们应在的位置。"
        ),
        basis="《政府信息公开条例》第五十条；国办公开办函〔2019〕60号、国办公开办函〔2021〕30号 年度报告格式；重庆市政府办公厅通知",
        bad_example="……五、存在的主要问题及改进情况\n（正文）\n（报告到此结束，没有“六、其他需要报告的事项”）",
        good_example="五、存在的主要问题及改进情况\n……\n六、其他需要报告的事项\n无。",
        precision="very-high",
        tags=("structure",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        template = section_template(ctx)
        if template is None:
            return
        present = {s.key for s in _statutory(doc)}
        # Sections missing one after the other belong at one place (before the next one present):
        # one finding names them all.
        runs: list[list[SectionSpec]] = []
        previous_missing = False
        for spec in template.sections:
            missing = spec.required and spec.key not in present
            if missing and previous_missing:
                runs[-1].append(spec)
            elif missing:
                runs.append([spec])
            previous_missing = missing
        for run in runs:
            parts = "和".join(f"第{s.number}部分“{s.title}”" for s in run)
            these = "这些部分" if len(run) > 1 else "该部分"
            yield self.finding(
                f"缺少{parts}，请按格式补上{these}",
                section_place(doc, run[0].key, template),
                section=run[0].key,
            )


class SectionOrderRule(BaseRule):
    meta = RuleMeta(
        code="ST02",
        name="structure.section-order",
        severity="error",
        summary="六个部分应按格式顺序各出现一次，编号与标题对应",
        rationale=(
            "统一格式规定了六个部分的顺序（一至六）。部分顺序颠倒、同一部分出现两次，或者标题的编号指向另一个部分"
            "（例如把“总体情况”下的小标题编成一、二、三……，与法定部分的编号混在一起，或把“五、”写成“六、”），"
            "读者就无法按格式找到对应内容，也说明报告没有按统一格式编写。"
        ),
        basis="《政府信息公开条例》第五十条；国办公开办函〔2019〕60号、〔2021〕30号 年度报告格式",
        bad_example="五、其他需要报告的事项\n……\n六、存在的主要问题及改进情况",
        good_example="五、存在的主要问题及改进情况\n……\n六、其他需要报告的事项",
        precision="high",
        tags=("structure",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        template = section_template(ctx)
        if template is None:
            return
        order = {s.key: i for i, s in enumerate(template.sections)}
        specs = {s.key: s for s in template.sections}
        seen: set[str] = set()
        furthest: SectionSpec | None = None
        for section in _statutory(doc):
            spec = specs.get(section.key or "")
            if spec is None:
                continue
            if section.key in seen:
                yield self.finding(
                    f"“{spec.title}”重复出现，每个部分只能出现一次", section.location, section=section.key
                )
            else:
                seen.add(spec.key)
                if furthest is not None and order[spec.key] < order[furthest.key]:
                    yield self.finding(
                        f"部分顺序错误：“{spec.title}”应排在“{furthest.title}”之前", section.location, section=spec.key
                    )
                elif furthest is None or order[spec.key] > order[furthest.key]:
                    furthest = spec
            if section.number is not None:
                written = _numeral(section.number)
                if written and written != spec.number:
                    yield self.finding(
                        f"标题编号“{written}”与内容不符：“{section.title}”是第{spec.number}部分，应编为“{spec.number}、”",
                        section.location,
                        section=spec.key,
                    )


class SectionTitleRule(BaseRule):
    meta = RuleMeta(
        code="ST03",
        name="structure.section-title",
        severity="warning",
        summary="部分标题应与格式规定的标题一字不差",
        rationale=(
            "统一格式给出了六个部分的标准标题。常见的改写（“五、存在的问题及改进情况”“三、信息公开申请情况”"
            "“四、复议、诉讼和申诉情况”）虽然能看出指的是哪一部分，但偏离了统一格式，也不利于汇总和比对。"
            "比较时忽略空格和全角、半角的差别；提示中给出应使用的完整标题。"
        ),
        basis="国办公开办函〔2019〕60号、国办公开办函〔2021〕30号 年度报告格式；真实报告中观察到的改写",
        bad_example="五、存在的问题及改进情况",
        good_example="五、存在的主要问题及改进情况",
        precision="very-high",
        tags=("structure",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        template = section_template(ctx)
        if template is None:
            return
        for section in _statutory(doc):
            spec = template.section(section.key or "")
            if spec is None or section.title is None:
                continue
            if title_key(section.title) != title_key(spec.title_text):
                written = section.heading or section.title
                yield self.finding(f"部分标题应为“{spec.title}”（现为“{written}”）", section.location, section=spec.key)


class SectionNumberRule(BaseRule):
    meta = RuleMeta(
        code="ST04",
        name="structure.section-number",
        severity="warning",
        summary="部分标题应带编号，写作“一、”……“六、”",
        rationale=(
            "统一格式的六个部分都以中文数字加顿号编号（“一、总体情况”……“六、其他需要报告的事项”）。"
            "漏写编号（如只写“其他需要报告的事项”）或写成“一 、”“一.”等不规范形式，偏离统一格式，"
            "也使读者和汇总工具难以识别各部分。"
        ),
        basis="国办公开办函〔2019〕60号、国办公开办函〔2021〕30号 年度报告格式",
        bad_example="其他需要报告的事项",
        good_example="六、其他需要报告的事项",
        precision="very-high",
        tags=("structure",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        template = section_template(ctx)
        if template is None:
            return
        for section in _statutory(doc):
            spec = template.section(section.key or "")
            if spec is None:
                continue
            if section.number is None:
                if doubted(doc, spec.key):
                    continue  # the reader said the numbers were lost in conversion (NB03)
                yield self.finding(
                    f"标题“{section.heading or section.title}”缺少编号，应写作“{spec.title}”",
                    section.location,
                    section=spec.key,
                )
                continue
            numeral = _numeral(section.number) or spec.number
            if section.number != numeral + "、":
                yield self.finding(
                    f"标题编号“{section.number}”写法不规范，应写作“{numeral}、”（中文数字紧接顿号）",
                    section.location,
                    section=spec.key,
                )


class SectionEmptyRule(BaseRule):
    meta = RuleMeta(
        code="ST05",
        name="structure.section-empty",
        severity="error",
        summary="“总体情况”“存在的主要问题及改进情况”“其他需要报告的事项”不能只有标题没有内容",
        rationale=(
            "一、五、六三个部分是文字叙述部分（格式中标为 narrative）。《政府信息公开条例》第五十条要求报告"
            "工作总体情况、存在的主要问题及改进情况和其他需要报告的事项，只写标题不写内容等于没有报告。"
            "“六、其他需要报告的事项”确实没有事项时，写明“无”“无。”或“暂无其他需要报告的事项”即可"
            "（格式数据中的 empty_allowed_text），这不算空；2021年格式对第六部分内容的具体要求"
            "（信息处理费等）由 CT04 检查。一、五两部分只写“无”“暂无”等字样，视为没有内容。"
            "页码（如“- 5 -”）等不含文字的行不算内容。"
        ),
        basis="《政府信息公开条例》第五十条；国办公开办函〔2019〕60号、国办公开办函〔2021〕30号 年度报告格式",
        bad_example="六、其他需要报告的事项\n（下面没有任何文字）",
        good_example="六、其他需要报告的事项\n无。",
        precision="very-high",
        tags=("structure",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        template = section_template(ctx)
        if template is None:
            return
        for section in _statutory(doc):
            spec = template.section(section.key or "")
            if spec is None or spec.kind != "narrative":
                continue
            text = _content(section)
            # 六 may legitimately say that there is nothing to report; 一 and 五 may not.
            may_say_none = "empty_allowed_text" in spec.raw
            if text and (may_say_none or label_key(text) not in _PLACEHOLDERS):
                continue
            yield self.finding(self._message(spec, text), section.location, section=spec.key)

    @staticmethod
    def _message(spec: SectionSpec, text: str) -> str:
        if text:
            return f"“{spec.title}”部分只写了“{text}”，没有实际内容，请按格式填写"
        allowed = [str(x) for x in spec.raw.get("empty_allowed_text") or () if not str(x).endswith("。")]
        if allowed:
            options = "”或“".join(allowed)
            return f"“{spec.title}”部分没有内容；确无需要报告的事项时应写明“{options}”"
        if "empty_allowed_text" in spec.raw:
            return f"“{spec.title}”部分没有内容，请写明需要报告的事项（如信息处理费收取情况）"
        return f"“{spec.title}”部分没有内容，请按格式填写"


class TitleRule(BaseRule):
    meta = RuleMeta(
        code="ST06",
        name="structure.title",
        severity="warning",
        summary="报告应有标题，写明机关名称、报告年度和“政府信息公开工作年度报告”",
        rationale=(
            "年度报告是《政府信息公开条例》第四十九、五十条规定的法定文件，标题应能让读者一眼看出是哪个机关、"
            "哪一年度的政府信息公开工作年度报告，例如“重庆市渝北区应急管理局2020年政府信息公开工作年度报告”"
            "（机关名称可以单独写在标题上一行）。没有标题，或标题缺少机关名称、报告年度或“政府信息公开工作年度报告”"
            "字样，都会给检索、归档和比对带来困难。部分地区惯用其他写法（辽宁：“××2020年度政府信息公开工作报告”），"
            "地区规则集可通过参数 alternative_forms 接受这些写法。"
        ),
        basis="《政府信息公开条例》第四十九条、第五十条；年度报告格式及各地发布实践（domain.md §4.2，N-STR-10）",
        bad_example="根据《中华人民共和国政府信息公开条例》……公布2020年度我局信息公开工作年度报告。（正文前没有标题）",
        good_example="重庆市渝北区应急管理局\n2020年政府信息公开工作年度报告",
        precision="high",
        params={"alternative_forms": []},
        tags=("structure", "meta"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        meta = doc.meta
        template = section_template(ctx)
        forms = list(self._required_forms(template)) + [str(x) for x in ctx.params.get("alternative_forms") or ()]
        year = meta.report_year
        if meta.title is None:
            organ = meta.organ or "（机关名称）"
            year_text = f"{year}年" if year else "××年"
            yield self.finding(f"报告没有标题，应在开头写明“{organ}{year_text}{forms[0]}”", None)
            return
        title = title_key(meta.title.normalised)
        lacking: list[str] = []
        if meta.organ is None:
            if not _names_someone(title):
                lacking.append("机关名称")
        elif title_key(meta.organ) not in title:
            lacking.append(f"机关名称“{meta.organ}”")
        if year is not None and not re.search(rf"{year}年", title):
            lacking.append(f"报告年度“{year}年”")
        elif year is None and not re.search(r"(?:19|20)\d{2}年", title):
            lacking.append("报告年度")
        if not any(title_key(f) in title for f in forms):
            lacking.append("“" + "”或“".join(forms) + "”字样")
        if lacking:
            shown = meta.title.normalised
            yield self.finding(f"标题“{shown}”缺少{'、'.join(lacking)}", meta.title.location)

    @staticmethod
    def _required_forms(template: Template | None) -> Iterator[str]:
        rules = ((template.data.get("meta_rules") or {}).get("title") or {}) if template else {}
        forms = rules.get("must_contain_any") or ["政府信息公开工作年度报告"]
        yield from (str(f) for f in forms)


class FormatEditionRule(BaseRule):
    meta = RuleMeta(
        code="ST07",
        name="structure.format-edition",
        severity="error",
        summary="统计表应使用报告年度适用的格式版本，且不能混用两个版本",
        rationale=(
            "2019、2020年度的报告使用国办公开办函〔2019〕60号印发的试行格式；自2021年度起使用国办公开办函〔2021〕30号"
            "印发的新格式。两版的表二（第二十条第（一）（五）（六）（八）项的栏目，2021年删去第（九）项政府集中采购）"
            "和表三（2021年把“（六）其他处理”细分为三行）不同。用错版本或在一份报告里混用两版"
            "（例如2021年以后的报告表三“（六）其他处理”仍只有一行），统计口径就与当年格式不一致，无法汇总比对。"
            "按旧版写成一行的分组只在这里报告一次，并列出新版应分的各行；TB02 不再逐行报告这些行“缺失”："
            "原因只有一个（用了旧版表式），改法也只有一个（按新版拆成几行），逐行重复报告只会淹没其他问题。"
        ),
        basis="国办公开办函〔2019〕60号；国办公开办函〔2021〕30号；《政府信息公开条例》第五十条（统一格式）",
        bad_example="2021年度报告的表二仍是“本年新制作数量 / 本年新公开数量 / 对外公开总数量”",
        good_example="2021年度报告的表二为“本年制发件数 / 本年废止件数 / 现行有效件数”",
        precision="high",
        tags=("structure", "tables"),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        template = ctx.template
        if template is None or not doc.tables:
            return
        others = {f.edition: f for f in ctx.templates if f.edition != template.edition}
        markers = edition_markers(ctx.templates)
        shape = doc.meta.edition.table_shape
        tables = sorted(doc.tables.values(), key=_table_line)
        if shape and shape != template.edition and shape in others:
            table, _ = _first_marked(tables, markers.get(shape, frozenset()))
            anchor = table or tables[0]
            drawn = others[shape].tables.get(anchor.id)
            yield self.finding(
                f"{self._expected(doc, template)}，但统计表是{others[shape].display_name}",
                anchor.location,
                section=drawn.section if drawn else None,
                table=anchor.id,
            )
            return
        # Tables read in the right edition may still carry the other edition's labels.
        for edition, other in others.items():
            table, label = _first_marked(tables, markers.get(edition, frozenset()))
            if table is not None and label is not None:
                spec = template.tables.get(table.id)
                yield self.finding(
                    f"“{label.text}”是{other.display_name}的内容，{self._expected(doc, template)}",
                    label.location,
                    section=spec.section if spec else None,
                    table=table.id,
                )
                break
        yield from self._single_row_groups(doc, template, list(others.values()))

    def _single_row_groups(self, doc: Document, template: Template, others: list[Template]) -> Iterator[Finding]:
        for spec, table, group, children in collapsed_groups(doc, template, others):
            subrows = "；".join(c.label or c.key for c in children)
            yield self.finding(
                f"{spec.display_name}“{group.label}”只有一行，这是旧版格式；{template.display_name}应分为{len(children)}行：{subrows}",
                table.location,
                section=spec.section,
                table=spec.id,
                row=group.key,
            )

    @staticmethod
    def _expected(doc: Document, template: Template) -> str:
        if doc.meta.edition.decided_by == "year" and doc.meta.report_year:
            return f"{doc.meta.report_year}年度报告应使用{template.display_name}"
        return f"本报告应使用{template.display_name}"


def _names_someone(title: str) -> bool:
    """Whether words other than the year and the report name come before 政府信息公开 (an organ the
    loader did not recognise as one, e.g. a title without a year)."""
    head = title.split("政府信息公开", 1)[0]
    head = _YEAR_WORDS.sub("", head)
    return sum(map(is_ideograph, head)) >= 2


class _Label(NamedTuple):
    text: str
    location: Location | None


def _first_marked(tables: Iterable[Table], markers: frozenset[str]) -> tuple[Table | None, _Label | None]:
    for table in tables:
        labels = [_Label(h.text, h.location) for h in table.header]
        labels += [_Label(r.label, r.location) for r in table.rows.values() if r.label and not r.known]
        for label in labels:
            if label_key(label.text) in markers:
                return table, label
    return None, None


def _table_line(table: Table) -> int:
    return table.location.line or 0 if table.location else 0


RULES: list[Rule] = [
    SectionMissingRule(),
    SectionOrderRule(),
    SectionTitleRule(),
    SectionNumberRule(),
    SectionEmptyRule(),
    TitleRule(),
    FormatEditionRule(),
]
