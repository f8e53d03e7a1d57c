"""Report metadata from the text: title, organ, year, 落款, portal block, statistics period."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from nianbao.document import DateValue, Located, Location, Meta, Period, Title

from .normalize import Line
from .numerals import cn_digits, cn_number

_YEAR = r"((?:19|20)\d{2})"
_TITLE_WORDS = re.compile(r"政府信息公开.{0,4}(?:年度)?(?:工作)?(?:年度)?报告")
_ORGAN_SUFFIX = re.compile(
    r"(?:政府|局|委|委员会|办|办公室|办公厅|厅|署|院|中心|所|站|队|会|处|部|街道|镇|乡|管委会|公司)$"
)
_SENTENCE = re.compile(r"[。；，,;]")
_MARKS = " \t\u3000#*>"  # markdown marks around a title line

# The portal metadata labels, in the forms portals print them (spaces between CJK already removed).
PORTAL_KEYS = (
    "索引号",
    "信息名称",
    "发布机构",
    "发文机关",
    "生成日期",
    "成文日期",
    "公开日期",
    "发布日期",
    "文件编号",
    "文号",
    "发文字号",
    "废止日期",
    "有效性",
    "内容概述",
    "主题分类",
    "公开方式",
    "公开范围",
    "法定主动公开分类",
    "公开时限",
    "标题",
    "来源",
    "信息来源",
    "发布时间",
    "发布单位",
    "所属机构",
)
# Portal labels whose value is the page's title: a page with no title line of its own still has one.
TITLE_KEYS = ("标题", "信息名称")
_PORTAL = re.compile("(" + "|".join(sorted(PORTAL_KEYS, key=len, reverse=True)) + r")[:：]")
_MAX_WRAPPED_VALUE = 16  # a portal value alone on the next line: 有效, a date, an index number
_SUBMITTER = re.compile(r"^报送单位[:：]\s*(.+)$")

_CN_DATE = "[〇零○O一二三四五六七八九十]"
_DATE_LINE = re.compile(
    rf"^(?:{_YEAR}|({_CN_DATE}{{4}}))\s*年\s*(\d{{1,2}}|{_CN_DATE}{{1,3}})\s*月\s*(\d{{1,2}}|{_CN_DATE}{{1,3}})\s*日$"
    rf"|^{_YEAR}[-/.](\d{{1,2}})[-/.](\d{{1,2}})$"
)
_ISO_DATE = re.compile(rf"{_YEAR}\s*[-/.年]\s*(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})")
_PERIOD = re.compile(
    rf"统计(?:期限|时限|时间|区间)?(?:为|是|自|从|:|：)*{_YEAR}年(\d{{1,2}})月(\d{{1,2}})日"
    rf"(?:起)?(?:至|到|-|—|～|~)+{_YEAR}年(\d{{1,2}})月(\d{{1,2}})日"
)
# Page chrome that may follow the 落款 on a saved portal page.
_TRAILING_CHROME = re.compile(r"扫一扫|打印本页|关闭窗口|【打印】|【关闭】|分享到|字号|网站地图|版权所有")
# The site footer a crawler's or a converter's copy keeps (the HTML loader drops it): no part of the
# report, nor of its last section.
_FOOTER = re.compile(r"版权所有|网站标识码|ICP备|公网安备|主办单位[:：]|承办单位[:：]|技术支持[:：]")


def _date_number(text: str) -> int | None:
    """A year, month or day of a date line: digits, 二〇二一 or 十二."""
    if text.isdigit():
        return int(text)
    return cn_digits(text) if len(text) == 4 else cn_number(text)


def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    m = _DATE_LINE.match(text.strip())
    if not m:
        m2 = _ISO_DATE.search(text)
        return _iso(*(int(g) for g in m2.groups())) if m2 else None
    if m.group(5):
        return _iso(int(m.group(5)), int(m.group(6)), int(m.group(7)))
    year = int(m.group(1)) if m.group(1) else _date_number(m.group(2))
    return _iso(year, _date_number(m.group(3)), _date_number(m.group(4)))


def _text_location(line: Line) -> Location:
    text = line.text
    start = len(text) - len(text.lstrip(_MARKS))
    return line.location(start, max(len(text.rstrip(_MARKS)), start))


@dataclass(slots=True, frozen=True)
class _Wrapped:
    """A line and the next text line as one string: a title, a period or a portal value that a
    PDF or a hard-wrapped text file broke over two lines is matched across the break."""

    lines: Sequence[Line]
    first: int  # index of the first line
    second: int  # index of the next line with text
    text: str
    boundary: int  # where the second line's text starts in ``text``

    def location(self, start: int, end: int) -> Location:
        """Location of ``text[start:end]``, on one line or from the first line into the second."""
        a, b = self.lines[self.first], self.lines[self.second]
        lead = len(b.text) - len(b.text.lstrip())
        if start >= self.boundary:
            return b.location(start - self.boundary + lead, end - self.boundary + lead)
        if end <= self.boundary:
            return a.location(start, min(end, len(a.text.rstrip())))
        loc = a.location(start, len(a.text.rstrip()))
        tail = b.location(lead, end - self.boundary + lead)
        return loc.ends_like(tail, f"{loc.text}\n{tail.text}")


def _wrapped(lines: Sequence[Line], indexes: Sequence[int], n: int) -> _Wrapped | None:
    """Line ``indexes[n]`` joined with the next line of ``indexes`` that has text, if there is one
    and no more than one blank line (a page break) lies between them."""
    first = indexes[n]
    head = lines[first].text.rstrip()
    for second in indexes[n + 1 : n + 3]:
        if second - first > 2 or any(lines[k].text.strip() for k in range(first + 1, second)):
            return None  # a heading or a 落款 line left out of ``indexes`` is not a wrap
        tail = lines[second].text.strip()
        if tail:
            # Words wrapped between two Latin letters had a space; CJK text and numbers did not.
            gap = " " if head[-1:].isascii() and head[-1:].isalpha() and tail[0].isascii() and tail[0].isalpha() else ""
            return _Wrapped(lines, first, second, head + gap + tail, len(head) + len(gap))
    return None


def _last_value_wraps(line: str, label_end: int, following: str) -> bool:
    """Whether a portal label ending a line has its value on the next line (``废止日期:`` / ``有效``)."""
    return (
        not line[label_end:].strip()
        and 0 < len(following) <= _MAX_WRAPPED_VALUE
        and not _PORTAL.search(following)
        and not re.search("[:：]", following)
        and not _SENTENCE.search(following)
        and not _TITLE_WORDS.search(following)
    )


def read_portal(lines: Sequence[Line], indexes: Sequence[int]) -> dict[str, Located]:
    portal: dict[str, Located] = {}
    for n, i in enumerate(indexes):
        line = lines[i]
        matches = list(_PORTAL.finditer(line.text))
        for k, m in enumerate(matches):
            end = matches[k + 1].start() if k + 1 < len(matches) else len(line.text)
            raw_value = line.text[m.end() : end]
            value = raw_value.strip()
            if m.group(1) in portal:
                continue
            if value:
                start = m.end() + (len(raw_value) - len(raw_value.lstrip()))
                portal[m.group(1)] = Located(value, line.location(start, start + len(value)))
            elif k == len(matches) - 1:
                wrapped = _wrapped(lines, indexes, n)
                if wrapped and _last_value_wraps(line.text, m.end(), wrapped.text[wrapped.boundary :]):
                    value = wrapped.text[wrapped.boundary :]
                    portal[m.group(1)] = Located(value, wrapped.location(wrapped.boundary, len(wrapped.text)))
    return portal


def _title_line(text: str) -> bool:
    return bool(text) and not _PORTAL.match(text) and not _SENTENCE.search(text) and len(text) <= 60


def _title_wrapped(lines: Sequence[Line], indexes: Sequence[int], n: int) -> tuple[str, Location, list[int]] | None:
    """A title whose words a line break cuts (``…政府信息公开工`` / ``作年度报告``), as a centred
    title wraps in a PDF: neither line holds the title words, the two together do."""
    wrapped = _wrapped(lines, indexes, n)
    if wrapped is None:
        return None
    head, tail = wrapped.text[: wrapped.boundary].strip(), wrapped.text[wrapped.boundary :]
    if not _title_line(tail) or _TITLE_WORDS.search(tail) or not _title_line(wrapped.text.strip()):
        return None
    if not _TITLE_WORDS.search(wrapped.text):
        return None
    start = len(wrapped.text) - len(wrapped.text.lstrip())
    location = wrapped.location(start, len(wrapped.text))
    return head + "\n" + tail, location, [wrapped.first, wrapped.second]


_EMBEDDED_TITLE = re.compile(_YEAR + r"\s*年度?政府信息公开(?:工作)?(?:年度)?报告")
_ORGAN_BEFORE = 30  # characters before the year an organ name may start
# Page furniture a crawler runs into the title (a navigation bar, a breadcrumb, a label), or the end of
# text before it (a number, another title's 报告): an organ name starts after these.
_LEAD_CHROME = re.compile(r"首页|位置|>>|》|[|｜:：]|报告|\d")


def _organ_start(before: str) -> int:
    """Where the organ name starts in the text before a title's year, past page furniture run into
    it (``政府门户网站首页政务公开互动交流重庆市渝北区应急管理局``, ``附件：银州区应急管理局``): after
    the last such mark or sentence end, at the first division name after it if there is one."""
    marks = [m.end() for m in _LEAD_CHROME.finditer(before)] + [m.end() for m in _SENTENCE.finditer(before)]
    if not marks:
        return 0
    at = max(marks)
    from nianbao.plugins import gazetteer

    place = gazetteer.place_start(before[at:])
    return at + place if place is not None and _ORGAN_SUFFIX.search(before[at + place :]) else at


def _title_span(text: str) -> tuple[int, int]:
    """The title inside a line a crawler ran other text into: from its organ name (see
    :func:`_organ_start`) to the end of the title words (``…工作年度报告报送单位：…`` ends at 报告)."""
    m = _EMBEDDED_TITLE.search(text)
    if m is None:
        return 0, len(text)
    return _organ_start(text[: m.start()]), m.end()


def embedded_title(lines: Sequence[Line], indexes: Sequence[int]) -> Title | None:
    """A title inside a long line, as a crawler's one-line copy of a page has it
    (``…互动交流淮安市人民政府2024年政府信息公开工作年度报告本报告由…``): the last title phrase before
    section 一, with the organ name before it."""
    for i in reversed(indexes):
        line = lines[i]
        found = list(_EMBEDDED_TITLE.finditer(line.text))
        if not found:
            continue
        m = found[-1]
        window = max(0, m.start() - _ORGAN_BEFORE)
        start = window + _organ_start(line.text[window : m.start()])
        text = line.text[start : m.end()]
        return Title(as_written=text, normalised=text, location=line.location(start, m.end()))
    return None


def portal_title(portal: dict[str, Located]) -> Title | None:
    """The page's title as its portal metadata states it (``标题：``, ``信息名称：``)."""
    located = next((portal[k] for k in TITLE_KEYS if k in portal), None)
    if located is None or not _TITLE_WORDS.search(located.value):
        return None
    return Title(as_written=located.value, normalised=located.value, location=located.location)


def find_title(lines: Sequence[Line], indexes: Sequence[int]) -> tuple[Title | None, list[int]]:
    """The report title in the lines before section 一, joined with an organ line just above it.
    Markdown marks around a line (``# 2024年…报告``) are no part of it."""
    for n, i in enumerate(indexes):
        text = lines[i].text.strip(_MARKS)
        if not _title_line(text):
            continue
        if _TITLE_WORDS.search(text):
            used = [i]
            a, b = _title_span(text)
            as_written = text[a:b]
            location = _text_location(lines[i])
            if (a, b) != (0, len(text)):
                lead = lines[i].text.find(text)
                location = lines[i].location(lead + a, lead + b)
        else:
            found = _title_wrapped(lines, indexes, n)
            if found is None:
                continue
            as_written, location, used = found
        prev = next((j for j in reversed(indexes[:n]) if lines[j].text.strip(_MARKS)), None)
        if prev is not None:
            above = lines[prev].text.strip(_MARKS)
            if (
                len(above) <= 30
                and _ORGAN_SUFFIX.search(above)
                and not _SENTENCE.search(above)
                and not _PORTAL.match(above)
                and not re.search(_YEAR, above)
                and not text.startswith(above)
            ):
                used.insert(0, prev)
                as_written = above + "\n" + as_written
                start = _text_location(lines[prev])
                location = start.ends_like(location, start.text + "\n" + location.text)
        return Title(as_written=as_written, normalised=as_written.replace("\n", ""), location=location), used
    return None, []


def organ_from_title(title: str) -> str | None:
    m = re.search(_YEAR + r"\s*年", title)
    organ = title[: m.start()].strip() if m else None
    if organ and _ORGAN_SUFFIX.search(organ):
        return organ
    return None


def report_year(title: str | None, texts: Sequence[str]) -> tuple[int | None, str | None]:
    if title:
        m = re.search(_YEAR + r"\s*年", title)
        if m:
            return int(m.group(1)), "title"
    for text in texts:
        m = re.search(_YEAR + r"\s*年度?.{0,12}(?:信息公开|政务公开).{0,8}报告", text)
        if m:
            return int(m.group(1)), "text"
    return None, None


def find_period(lines: Sequence[Line], indexes: Sequence[int]) -> Period | None:
    """The statistics period, on one line or else across a line break."""
    for i in indexes:
        m = _PERIOD.search(lines[i].text)
        if m:
            return _period(m, lines[i].location(m.start(), m.end()))
    for n in range(len(indexes)):
        wrapped = _wrapped(lines, indexes, n)
        m = _PERIOD.search(wrapped.text) if wrapped else None
        if wrapped and m and m.start() < wrapped.boundary < m.end():
            return _period(m, wrapped.location(m.start(), m.end()))
    return None


def _period(m: re.Match[str], location: Location) -> Period:
    g = [int(x) for x in m.groups()]
    return Period(raw=m.group(0), start=_iso(*g[:3]), end=_iso(*g[3:]), location=location)


_MAX_CHROME_LINE = 150
_TAIL_DATE = re.compile(
    rf"(?:{_YEAR}|{_CN_DATE}{{4}})\s*年\s*(?:\d{{1,2}}|{_CN_DATE}{{1,3}})\s*月\s*(?:\d{{1,2}}|{_CN_DATE}{{1,3}})\s*日$"
)


def cut_tail(lines: Sequence[Line]) -> list[Line]:
    """The lines with the end of a one-line page taken apart: the site footer, the 落款 date and the
    organ name before it each on a line of their own (``…的事项无。重庆市渝北区应急管理局2021年1月18日
    版权所有：…``), so the last section ends where its text does and the 落款 is found."""
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].text.strip()), None)
    if last is None:
        return list(lines)
    line = lines[last]
    text = line.text
    cuts: list[int] = []
    end = len(text.rstrip())
    footer = _FOOTER.search(text)
    if footer and text[: footer.start()].strip():
        cuts.append(footer.start())
        end = len(text[: footer.start()].rstrip())
    date = _TAIL_DATE.search(text[:end])
    if date and text[: date.start()].strip():
        cuts.append(date.start())
        head = text[: date.start()]
        stop = max(head.rfind(c) for c in "。！？；") + 1
        organ = head[stop:].strip()
        if stop > 0 and 0 < len(organ) <= 40 and _ORGAN_SUFFIX.search(organ):
            cuts.append(stop)
    if not cuts:
        return list(lines)
    bounds = sorted({0, *cuts, len(text)})
    pieces = [line.cut(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()]
    return [*lines[:last], *pieces, *lines[last + 1 :]]


def find_signature(lines: Sequence[Line]) -> tuple[Located | None, DateValue | None, list[int]]:
    """The 落款 at the end of the report: an organ line and a date line, in either order. The lines
    used include the site footer after it."""
    tail: list[int] = []
    footer: list[int] = []
    for i in range(len(lines) - 1, -1, -1):
        text = lines[i].text.strip(_MARKS + "|")
        if not text:
            continue
        if not tail and len(text) <= _MAX_CHROME_LINE and "。" not in text and _FOOTER.search(text):
            footer.append(i)
            continue
        if _TRAILING_CHROME.search(text) and not tail:
            continue
        tail.append(i)
        if len(tail) == 3:
            break
    date: DateValue | None = None
    organ: Located | None = None
    used: list[int] = []
    for n, i in enumerate(tail):
        text = lines[i].text.strip()
        if date is None and n < 2 and (_DATE_LINE.match(text) or (len(text) <= 16 and _ISO_DATE.fullmatch(text))):
            date = DateValue(raw=text, value=parse_date(text), location=_text_location(lines[i]))
            used.append(i)
            continue
        if (
            organ is None
            and len(text) <= 40
            and _ORGAN_SUFFIX.search(text)
            and not _SENTENCE.search(text)
            and (date is not None or n == 0)
        ):
            organ = Located(text, _text_location(lines[i]))
            used.append(i)
            continue
        break
    return organ, date, used + footer


_SELF_REFERENCE = re.compile(r"(?:我|本)(?:局|委|厅|署)")


def level_from_self_reference(texts: Sequence[str]) -> str | None:
    """A report that never names its organ still says ``我局``: that is a department's voice."""
    return "department" if any(_SELF_REFERENCE.search(t) for t in texts) else None


def read_meta(lines: Sequence[Line], preamble: Sequence[int], body: Sequence[int]) -> tuple[Meta, set[int]]:
    """Metadata from the preamble (lines before section 一) and the body; returns the lines used up
    by the 落款, which belong to no section."""
    meta = Meta()
    meta.portal = read_portal(lines, preamble)
    title, _ = find_title(lines, preamble)
    if title is None:
        # A page with no title line of its own: the title its metadata states, else one inside a long line.
        title = portal_title(meta.portal) or embedded_title(lines, preamble)
    meta.title = title
    organ, date, signature_lines = find_signature(lines)
    meta.signature.organ, meta.signature.date = organ, date
    for i in preamble:
        m = _SUBMITTER.match(lines[i].text.strip())
        if m:
            start = lines[i].text.index(m.group(1))
            meta.submitter = Located(m.group(1).strip(), lines[i].location(start, start + len(m.group(1).strip())))
            break
    candidates = [
        (organ_from_title(title.normalised) if title else None, "title"),
        (meta.submitter.value if meta.submitter else None, "submitter"),
        (organ.value if organ else None, "signature"),
        (meta.portal["发布机构"].value if "发布机构" in meta.portal else None, "portal"),
    ]
    meta.organ, meta.organ_source = next(((o, s) for o, s in candidates if o), (None, None))
    searched = [*preamble, *body[:40]]
    texts = [lines[i].text for i in searched]
    meta.report_year, meta.report_year_source = report_year(title.normalised if title else None, texts)
    if meta.report_year is None:  # the phrase may be cut by a line break
        joined = (_wrapped(lines, searched, n) for n in range(len(searched)))
        meta.report_year, meta.report_year_source = report_year(None, [w.text for w in joined if w])
    meta.statistics_period = find_period(lines, [*preamble, *body])
    for label in ("公开日期", "发布日期"):
        if label in meta.portal:
            located = meta.portal[label]
            meta.publication_date = DateValue(located.value, parse_date(located.value), located.location)
            break
    if meta.report_year is None and meta.statistics_period and meta.statistics_period.start:
        meta.report_year, meta.report_year_source = int(meta.statistics_period.start[:4]), "statistics_period"
    return meta, set(signature_lines)
