"""TX rules: the quality of the report's prose (conversion artefacts, page residue, punctuation,
enumerations, doubled words).

Paragraphs are stored normalised (simplified characters, pinyin and layout spaces removed, wrapped
lines joined); a rule that finds something *inside* one points at that place with
``Paragraph.locate``, which the loader's anchors make exact in every input format. What the rules
read of the prose (paragraphs, the portal block in them) is in ``prose.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from nianbao.document import Change, Document, Paragraph, Section
from nianbao.lazypattern import lazy
from nianbao.plugins.text.chars import is_ideograph
from nianbao.plugins.text.numerals import cn_number, cn_numeral
from nianbao.rules import BaseRule, Finding, Rule, RuleContext, RuleMeta
from nianbao.templates import Template

from .prose import PortalText, is_page_number, prose, snippet

# ----------------------------------------------------------------------------------------- TX01/02


def _examples(changes: Sequence[Change], render: Callable[[Change], str], sep: str = "", limit: int = 3) -> str:
    seen: list[str] = []
    for change in changes:
        shown = render(change)
        if shown not in seen:
            seen.append(shown)
        if len(seen) == limit:
            break
    return sep.join(seen)


class PinyinArtifactsRule(BaseRule):
    meta = RuleMeta(
        code="TX01",
        name="text.pinyin-artifacts",
        severity="error",
        summary="正文中不应有网页转换插件插入的拼音注音，如“數(shù)據(jù)”",
        rationale=(
            "有些门户网站的“简繁转换”或“拼音注音”插件会在汉字后面插入带声调的拼音，保存或转载的页面于是变成"
            "“數(shù)據(jù)”“開(kāi)”这样的文字。这些拼音不是报告内容，会让读者无法阅读，也说明公开的文本不是机关"
            "定稿的报告。它们都出自同一个原因（页面被插件转换），修正办法也只有一个：从原始定稿重新导出或重新发布页面，"
            "因此每份报告只报告一次，在第一次出现的位置，并给出总处数和示例。"
        ),
        basis="种子报告 004（常州市应急管理局 2020 年报网页）；《政府信息公开条例》第五十条（公布的年度报告应为机关定稿内容）",
        bad_example="本報告中所列數(shù)據(jù)的統(tǒng)計期限",
        good_example="本报告中所列数据的统计期限",
        precision="very-high",
        tags=("text",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        changes = [c for c in doc.changes if c.kind == "pinyin"]
        if not changes:
            return
        examples = _examples(changes, lambda c: f"“{c.location.text or c.original}”")
        yield self.finding(
            f"删除页面转换插件插入的拼音注音（共 {len(changes)} 处，如{examples}），请从定稿重新导出页面",
            changes[0].location,
        )


class TraditionalCharactersRule(BaseRule):
    meta = RuleMeta(
        code="TX02",
        name="text.traditional-characters",
        severity="warning",
        summary="以简体中文发布的报告中不应出现繁体字",
        rationale=(
            "内地行政机关的年度报告以规范汉字（简体）发布。报告中出现繁体字，通常是网页的“繁体”切换或转换插件"
            "处理过的页面被当作报告保存、转载，读者看到的已不是机关发布的文本，检索和比对也会出错。与拼音注音一样，"
            "这是同一个原因造成的成批问题，每份报告只报告一次，给出总处数和示例；只有当工具确实把文本从繁体转换为"
            "简体时才报告。"
        ),
        basis="《国家通用语言文字法》第九条、第十四条（公务用语用字以规范汉字为基本用字）；种子报告 004",
        bad_example="常州市應急管理局2020年政府信息公開工作年度報告",
        good_example="常州市应急管理局2020年政府信息公开工作年度报告",
        precision="high",
        tags=("text",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        if not doc.source.traditional_converted:
            return
        changes = [c for c in doc.changes if c.kind == "traditional"]
        if not changes:
            return
        count = sum(len(c.original) if len(c.original) == len(c.replacement) else 1 for c in changes)
        examples = _examples(changes, lambda c: f"“{snippet(c.original, 6)}”→“{snippet(c.replacement, 6)}”", "、")
        yield self.finding(
            f"将繁体字改为简体字（共 {count} 处，如{examples}）",
            changes[0].location,
        )


# ---------------------------------------------------------------------------------------------- TX03

# Unmistakable page chrome: reported wherever it stands.
_CHROME_STRONG = re.compile(
    r"您(?:当前)?的?(?:所在)?位置\s*[:：]?"
    r"|当前位置\s*[:：]"
    r"|首页\s*(?:>>|>|＞|»|›|→)"
    r"|打印本页|关闭窗口|【\s*打印\s*】|【\s*关闭\s*】|\[\s*打印\s*\]|\[\s*关闭\s*\]"
    r"|字号\s*[:：]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中\s*[】\]]?\s*[【\[]?\s*小"
    r"|在手机(?:上)?打开当前页"
)
# Words that prose can use too (网站访问量达…): chrome only on a short line that is not a sentence.
_CHROME_WEAK = re.compile(r"浏览次数|访问量|访问次数|阅读次数|点击数|扫一扫|分享到")
_SENTENCE_END = "。！？；"


class PageResidueRule(BaseRule):
    meta = RuleMeta(
        code="TX03",
        name="text.page-residue",
        severity="warning",
        summary="报告正文中不应夹带门户网站的页面元素（位置导航、浏览次数、扫一扫、分享、打印等）",
        rationale=(
            "年度报告是机关依《政府信息公开条例》第五十条编制、按统一格式公布的文件。“您当前的位置”“首页 >> 政务公开”"
            "“浏览次数”“扫一扫在手机打开当前页”“打印本页”等是门户网站页面的导航和按钮，被连同报告一起复制、保存后"
            "混进了正文，说明公开的文本不是定稿原文。每一行残留报告一次。网页的信息名称、索引号、发布机构等元数据"
            "由工具另行读取，不算残留。"
        ),
        basis="种子报告 004；《政府信息公开条例》第五十条；国办公开办函〔2019〕60号、〔2021〕30号 年度报告格式",
        bad_example="您当前的位置:\n首页 >> 政务公开 >> 正文\n浏览次数:",
        good_example="常州市应急管理局2020年政府信息公开工作年度报告\n一、总体情况",
        params={"max_line_chars": 40},
        precision="high",
        tags=("text",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        portal = PortalText.of(doc)
        max_chars = int(ctx.params.get("max_line_chars", 40))
        for section, paragraph in prose(doc):
            if _CHROME_STRONG.search(paragraph.text) is None and _CHROME_WEAK.search(paragraph.text) is None:
                continue  # no line of it can hold any (neither pattern is anchored)
            for start, end in paragraph.line_spans():
                text = paragraph.text[start:end]
                stripped = text.strip()
                if not stripped:
                    continue
                lead = len(text) - len(text.lstrip())
                hit = _CHROME_STRONG.search(stripped)
                if hit is None and len(stripped) <= max_chars and stripped[-1] not in _SENTENCE_END:
                    hit = _CHROME_WEAK.search(stripped)
                if hit and not portal.holds(paragraph, start + lead + hit.start()):
                    yield self.finding(
                        f"删除网页残留的页面元素“{snippet(stripped, 30)}”（不属于报告正文）",
                        paragraph.locate(start + lead, start + lead + len(stripped)),
                        section=section.key,
                    )


# ---------------------------------------------------------------------------------------------- TX04

_OPEN = {"(": "half", "（": "full"}
_CLOSE = {")": "half", "）": "full"}
_HALF_PUNCT = {",": "，", ":": "：", ";": "；"}
_BRACKET = re.compile("[()（）]")  # _OPEN and _CLOSE: found by the regex engine, not char by char
_HALF_PUNCT_CHAR = re.compile("[,:;]")
# ``1)`` / ``a）`` list markers close a bracket that was never opened, on purpose.
_LIST_MARKER_BEFORE = lazy(r"(?:^|[\s。；;：:，,、])(?:\d{1,2}|[a-zA-Z]|[一二三四五六七八九十]{1,2})$")


class PunctuationRule(BaseRule):
    meta = RuleMeta(
        code="TX04",
        name="text.punctuation",
        severity="warning",
        summary="括号应成对且全半角一致；汉字之间应使用全角标点",
        rationale=(
            "按《标点符号用法》（GB/T 15834—2011），中文行文使用全角标点，括号必须成对。“(二）”这样一半半角、"
            "一半全角的括号，缺少另一半的括号，以及汉字之间的半角逗号、冒号、分号（“年,市”），都是编辑或转换"
            "留下的差错，在正式公布的年度报告中显得不规范。括号在同一部分的连续段落中配对检查（PDF 提取会把一句话"
            "断成几段）；半角标点每段只报告第一处，因为同一段的成批半角标点是一次性替换就能改正的同一个问题。"
            "表格的行标签、栏目和表头角注（如“（本列数据的勾稽关系为：……）”）不检查：它们是格式规定的固定文字，由 TB03"
            "对照格式比对，比对时不计标点和全角半角（PDF、OCR 等导出常改变括号的宽度），同一个模板问题也不宜逐格重复报告。"
            "网页元数据（索引号、发布机构等标签及其值，包括页面留空的标签）按其文字范围排除；与元数据同在源文件一行的正文"
            "照常检查（网页的正文常常整篇在一行）。"
        ),
        basis="GB/T 15834—2011《标点符号用法》；种子报告 002、004",
        bad_example="(二）依申请公开政府信息情况\n2020年,市应急管理局在市委市政府坚强领导下",
        good_example="（二）依申请公开政府信息情况\n2020年，市应急管理局在市委市政府坚强领导下",
        precision="high",
        tags=("text",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        portal = PortalText.of(doc)
        for section in doc.sections:
            head = section.heading_paragraph()
            if head is not None:
                yield from self._brackets(section, [head], portal)
                yield from self._half_width(section, head, portal)
            yield from self._brackets(section, section.paragraphs, portal)
            for paragraph in section.paragraphs:
                yield from self._half_width(section, paragraph, portal)

    def _brackets(self, section: Section, units: Sequence[Paragraph], portal: PortalText) -> Iterator[Finding]:
        stack: list[tuple[Paragraph, int, str]] = []
        for paragraph in units:
            text = paragraph.text
            for m in _BRACKET.finditer(text):
                i, ch = m.start(), m.group()
                if portal.holds(paragraph, i):
                    continue
                if ch in _OPEN:
                    stack.append((paragraph, i, ch))
                    continue
                if not stack:
                    if _LIST_MARKER_BEFORE.search(text[max(0, i - 4) : i]) or (i <= 3 and text[:i].isalnum()):
                        continue
                    yield self.finding(
                        f"括号不配对：“{snippet(text[max(0, i - 12) : i + 1], 16)}”中的“{ch}”没有对应的左括号",
                        paragraph.locate(i, i + 1),
                        section=section.key,
                    )
                    continue
                opener, j, open_ch = stack.pop()
                if _OPEN[open_ch] != _CLOSE[ch]:
                    if opener is paragraph:
                        shown, loc = text[j : i + 1], paragraph.locate(j, i + 1)
                    else:
                        shown, loc = open_ch + "…" + ch, paragraph.locate(i, i + 1)
                    yield self.finding(
                        f"括号全角半角混用：“{snippet(shown, 20)}”，请统一为全角括号“（）”",
                        loc,
                        section=section.key,
                    )
        for paragraph, j, open_ch in stack:
            yield self.finding(
                f"括号不配对：“{snippet(paragraph.text[j : j + 12], 16)}”中的“{open_ch}”没有对应的右括号",
                paragraph.locate(j, j + 1),
                section=section.key,
            )

    def _half_width(self, section: Section, paragraph: Paragraph, portal: PortalText) -> Iterator[Finding]:
        text = paragraph.text
        for m in _HALF_PUNCT_CHAR.finditer(text):
            i, ch = m.start(), m.group()
            if i == 0 or not is_ideograph(text[i - 1]):
                continue
            after = i + 1
            while after < len(text) and text[after] == " ":
                after += 1
            if after >= len(text) or not is_ideograph(text[after]):
                continue
            if portal.holds(paragraph, i):
                continue
            yield self.finding(
                f"汉字之间应使用全角标点：将“{text[i - 1 : after + 1]}”中的半角“{ch}”改为“{_HALF_PUNCT[ch]}”"
                "（本段只报告第一处）",
                paragraph.locate(i, i + 1),
                section=section.key,
            )
            return


# ---------------------------------------------------------------------------------------------- TX06

_SHI_MARKER = re.compile(r"([一二三四五六七八九十]{1,3})是")
_SHI_BEFORE = "。；;：:，,、）)！？ \u3000"
_PAREN_MARKER = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]")
_TOP_MARKER = re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]")


@dataclass(slots=True)
class _Marker:
    """A list marker (一是, （二）) found in a paragraph."""

    number: int
    start: int
    end: int
    leading: bool  # at the start of the paragraph


def _shi_markers(text: str) -> list[_Marker]:
    out = []
    for m in _SHI_MARKER.finditer(text):
        start = m.start()
        if start > 0 and text[start - 1] not in _SHI_BEFORE:
            continue  # 统一是、唯一是: not a list item
        n = cn_number(m.group(1))
        if n is not None:
            out.append(_Marker(n, start, m.end(), start == 0))
    return out


class EnumerationRule(BaseRule):
    meta = RuleMeta(
        code="TX06",
        name="text.enumeration",
        severity="warning",
        summary="列举的序号应连续：一是、二是、三是……，（一）（二）（三）……",
        rationale=(
            "年度报告常用“一是……二是……三是……”或“（一）（二）（三）”分条叙述。序号跳号（“一是……三是”）、重复"
            "（“三是……三是”）或倒序，通常是删改内容后没有重新编号，或者整段遗漏，读者会怀疑内容缺失。检查范围是"
            "同一段内的列举，以及同一部分中以序号开头的连续段落；从“一是”或“（一）”重新开始的列举视为新的一组"
            "（例如一段中的子列举），不算错误。"
        ),
        basis="公文写作规范（《党政机关公文格式》GB/T 9704—2012 结构层次序数）；实际报告中观察到的错误",
        bad_example="一是加强组织领导。……三是完善工作制度。……三是强化监督检查。",
        good_example="一是加强组织领导。……二是完善工作制度。……三是强化监督检查。",
        precision="medium",
        tags=("text",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        for section in doc.sections:
            paragraphs = [p for p in section.paragraphs if not is_page_number(p.text.strip())]
            yield from self._shi(section, paragraphs)
            yield from self._parens(section, paragraphs)

    def _shi(self, section: Section, paragraphs: Sequence[Paragraph]) -> Iterator[Finding]:
        outer: int | None = None  # last number of the list carried by paragraph-leading items
        last: int | None = None  # last item number of the previous paragraph with items
        for paragraph in paragraphs:
            if _PAREN_MARKER.match(paragraph.text) or _TOP_MARKER.match(paragraph.text):
                outer = last = None  # a new sub-heading starts its own lists
            prev: int | None = None
            run_is_leading = False
            for k, m in enumerate(_shi_markers(paragraph.text)):
                if m.number == 1:
                    # A new list; a nested one inside a paragraph leaves the outer list open.
                    if k and run_is_leading:
                        outer = prev
                    prev, run_is_leading = 1, m.leading
                    continue
                if k == 0:
                    # Continues the outer list or the previous paragraph's list (``：一是…。`` ¶ ``二是…``).
                    carried = [x for x in (outer, last) if x is not None]
                    if m.number not in {x + 1 for x in carried}:
                        yield self._broken(section, paragraph, m, max(carried) if carried else None, "是")
                    prev, run_is_leading = m.number, m.leading
                    continue
                if m.number != (prev or 0) + 1:
                    yield self._broken(section, paragraph, m, prev, "是")
                prev = m.number
            if prev is not None:
                if run_is_leading:
                    outer = prev
                last = prev

    def _parens(self, section: Section, paragraphs: Sequence[Paragraph]) -> Iterator[Finding]:
        prev: int | None = None
        for paragraph in paragraphs:
            m = _PAREN_MARKER.match(paragraph.text)
            if not m:
                continue
            n = cn_number(m.group(1))
            if n is None:
                continue
            marker = _Marker(n, 0, m.end(), True)
            if n != 1 and n != (prev or 0) + 1:
                yield self._broken(section, paragraph, marker, prev, "()")
            prev = n

    def _broken(self, section: Section, paragraph: Paragraph, m: _Marker, prev: int | None, style: str) -> Finding:
        def show(n: int) -> str:
            return f"“{cn_numeral(n)}是”" if style == "是" else f"“（{cn_numeral(n)}）”"

        if prev is None:
            message = f"列举序号不连续：{show(m.number)}之前没有{show(1)}"
        elif m.number == prev:
            message = f"列举序号重复：{show(prev)}之后又是{show(m.number)}"
        elif m.number > prev + 1:
            missing = "、".join(show(n) for n in range(prev + 1, min(m.number, prev + 4)))
            message = f"列举序号不连续：{show(prev)}之后是{show(m.number)}，缺少{missing}"
        else:
            message = f"列举序号顺序错误：{show(prev)}之后是{show(m.number)}"
        return self.finding(message, paragraph.locate(m.start, m.end), section=section.key)


# ---------------------------------------------------------------------------------------------- TX07

# A word or phrase written twice in a row (lazy: the shortest repeat at a place is the word).
_REPEAT = r"(.{2,%d}?)\1"
# A phrase longer than a word may carry punctuation (``加强组织领导，加强组织领导，``), but is mostly words.
_PHRASE = 5
_PHRASE_MIN_HAN = 4


class DuplicatedWordRule(BaseRule):
    meta = RuleMeta(
        code="TX07",
        name="text.duplicated-word",
        severity="warning",
        summary="删除紧挨着重复的字词或语句，如“审核审核”“的的”",
        rationale=(
            "同一个词或同一句话紧挨着出现两次（“审核审核”“资金资金”，或复制粘贴时把十几个字的一句话贴了两遍）"
            "几乎总是录入或复制粘贴的差错，会让公布的报告显得未经校对。检查两个字到参数 max_chars（默认20）个字的"
            "重复；五个字以上的语句可以含标点，但至少要有四个汉字。单字叠用只检查参数 repeated_chars 列出的字"
            "（默认“的”“们”：它们几乎不会合理地连写），因此“常常”“层层”“一一”不报告；“目的的”“的的确确”这类"
            "正常写法由参数 allow 排除（列出的写法包含重复部分、且在原文中与之重合即不报告）。“一件一件”这类数量词"
            "叠用和 allow 中的动词重叠（如“研究研究”）也不报告。只检查正文段落，不检查表格和网页元数据。"
        ),
        basis="同行评估报告中的校对问题（peers §2.4）；《党政机关公文处理工作条例》对公文文字准确的要求",
        bad_example="严格落实信息发布审核审核制度",
        good_example="严格落实信息发布审核制度",
        params={
            "allow": [
                "研究研究",
                "讨论讨论",
                "商量商量",
                "了解了解",
                "学习学习",
                "目的的",
                "标的的",
                "有的的",
                "的的确确",
            ],
            "repeated_chars": ["的", "们"],
            "max_chars": 20,
        },
        precision="high",
        tags=("text",),
    )

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        allow = [str(a) for a in ctx.params.get("allow", ())]
        chars = {str(c) for c in ctx.params.get("repeated_chars", ())}
        repeat = _repeat_pattern(int(ctx.params.get("max_chars", 20)))
        labels = _table_labels(ctx)
        portal = PortalText.of(doc)
        for section, paragraph in prose(doc):
            text = paragraph.text
            found = [*self._chars(text, chars), *self._words(text, repeat)]
            for start, end, word in sorted(found):
                if _allowed(text, start, end, allow) or portal.holds(paragraph, start):
                    continue
                if len(word) >= _PHRASE and _made_of(word, labels):
                    continue  # a table header left in the text (表四 prints 结果维持…总计 twice)
                yield self.finding(
                    f"词语重复：“{snippet(text[start:end], 40)}”，删除多余的“{snippet(word, 20)}”",
                    paragraph.locate(start, end),
                    section=section.key,
                )

    @staticmethod
    def _chars(text: str, chars: set[str]) -> Iterator[tuple[int, int, str]]:
        """``的的``: a listed character written twice (a longer run is one slip, reported once)."""
        for i in range(len(text) - 1):
            c = text[i]
            if c in chars and text[i + 1] == c and (i == 0 or text[i - 1] != c):
                yield i, i + 2, c

    @staticmethod
    def _words(text: str, repeat: re.Pattern[str]) -> Iterator[tuple[int, int, str]]:
        pos = 0
        while (m := repeat.search(text, pos)) is not None:
            pos = m.start() + 1
            word = m.group(1)
            if len(set(word)) == 1:
                continue  # 清清楚楚, 0000: single characters are _chars' business
            han = sum(1 for c in word if is_ideograph(c))
            wordy = han == len(word) if len(word) < _PHRASE else han >= max(_PHRASE_MIN_HAN, len(word) / 2)
            if not wordy:
                continue
            if word[0] == "一" and len(word) == 2 and word[1] != "是":
                continue  # 一件一件、一步一步: a measure word said twice on purpose
            yield m.start(), m.end(), word
            pos = m.end()


def _table_labels(ctx: RuleContext) -> frozenset[str]:
    """Every label the format's tables print, as label keys."""
    return _labels_of(tuple(ctx.templates) if ctx.template is None else (ctx.template,))


@lru_cache(maxsize=4)
def _labels_of(templates: tuple[Template, ...]) -> frozenset[str]:
    out: set[str] = set()
    for template in templates:
        for spec in template.tables.values():
            out.update(_key(x) for x in (*(r.label for r in spec.rows), *(c.label for c in spec.columns)) if x)
            out.update(_key(x) for x in spec.header_labels)
    return frozenset(k for k in out if len(k) >= 2)


def _made_of(text: str, labels: frozenset[str]) -> bool:
    """Whether ``text`` is nothing but table labels one after another."""
    k = _key(text)
    ends = {0}
    for i in range(1, len(k) + 1):
        if any(k[j:i] in labels for j in ends if j < i):
            ends.add(i)
    return len(k) in ends and bool(k)


def _key(text: str) -> str:
    return "".join(c for c in text if is_ideograph(c) or c.isalnum())


@lru_cache(maxsize=4)
def _repeat_pattern(max_chars: int) -> re.Pattern[str]:
    return re.compile(_REPEAT % max(2, max_chars))


def _allowed(text: str, start: int, end: int, allow: Sequence[str]) -> bool:
    """Whether an allowed wording covers ``text[start:end]`` where it stands (``目的的`` around ``的的``)."""
    found = text[start:end]
    for wording in allow:
        at = wording.find(found)
        while at >= 0:
            if start >= at and text[start - at : start - at + len(wording)] == wording:
                return True
            at = wording.find(found, at + 1)
    return False


RULES: list[Rule] = [
    PinyinArtifactsRule(),
    TraditionalCharactersRule(),
    PageResidueRule(),
    PunctuationRule(),
    EnumerationRule(),
    DuplicatedWordRule(),
]
