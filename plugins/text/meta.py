"""Report metadata from the text: title, organ, year, 落款, portal block, statistics period."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from nianbao.document import DateValue, Located, Location, Meta, Period, Title

from .normalize import Line

_YEAR = r"((?:19|20)\d{2})"
_TITLE_WORDS = re.compile(r"政府信息公开.{0,4}(?:年度)?(?:工作)?(?:年度)?报告")
_ORGAN_SUFFIX = re.compile(
    r"(?:政府|局|委|委员会|办|办公室|办公厅|厅|署|院|中心|所|站|队|会|处|部|街道|镇|乡|管委会|公司)$"
)
_SENTENCE = re.compile(r"[。；，,;]")

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
)
_PORTAL = re.compile("(" + "|".join(sorted(PORTAL_KEYS, key=len, reverse=True)) + r")[:：]")
_SUBMITTER = re.compile(r"^报送单位[:：]\s*(.+)$")

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
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


def _cn_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if len(text) == 4 and all(c in _CN_DIGITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    if text == "十":
        return 10
    if text.startswith("十") and len(text) == 2 and text[1] in _CN_DIGITS:
        return 10 + _CN_DIGITS[text[1]]
    if len(text) == 2 and text[1] == "十" and text[0] in _CN_DIGITS:
        return _CN_DIGITS[text[0]] * 10
    if len(text) == 3 and text[1] == "十" and text[0] in _CN_DIGITS and text[2] in _CN_DIGITS:
        return _CN_DIGITS[text[0]] * 10 + _CN_DIGITS[text[2]]
    if len(text) == 1 and text in _CN_DIGITS:
        return _CN_DIGITS[text]
    return None


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
    year = int(m.group(1)) if m.group(1) else _cn_number(m.group(2))
    return _iso(year, _cn_number(m.group(3)), _cn_number(m.group(4)))


def _text_location(line: Line) -> Location:
    text = line.text
    start = len(text) - len(text.lstrip())
    return line.location(start, len(text.rstrip()))


def read_portal(lines: Sequence[Line], indexes: Sequence[int]) -> dict[str, Located]:
    portal: dict[str, Located] = {}
    for i in indexes:
        line = lines[i]
        matches = list(_PORTAL.finditer(line.text))
        for n, m in enumerate(matches):
            end = matches[n + 1].start() if n + 1 < len(matches) else len(line.text)
            raw_value = line.text[m.end() : end]
            value = raw_value.strip()
            if value and m.group(1) not in portal:
                start = m.end() + (len(raw_value) - len(raw_value.lstrip()))
                portal[m.group(1)] = Located(value, line.location(start, start + len(value)))
    return portal


def find_title(lines: Sequence[Line], indexes: Sequence[int]) -> tuple[Title | None, list[int]]:
    """The report title in the lines before section 一, joined with an organ line just above it."""
    for n, i in enumerate(indexes):
        text = lines[i].text.strip()
        if not text or _PORTAL.match(text) or _SENTENCE.search(text) or len(text) > 60:
            continue
        if not _TITLE_WORDS.search(text):
            continue
        used = [i]
        as_written = text
        location = _text_location(lines[i])
        prev = next((j for j in reversed(indexes[:n]) if lines[j].text.strip()), None)
        if prev is not None:
            above = lines[prev].text.strip()
            if (
                len(above) <= 30
                and _ORGAN_SUFFIX.search(above)
                and not _SENTENCE.search(above)
                and not _PORTAL.match(above)
                and not re.search(_YEAR, above)
                and not text.startswith(above)
            ):
                used.insert(0, prev)
                as_written = above + "\n" + text
                start = _text_location(lines[prev])
                start.end_line, start.end_column = location.end_line, location.end_column
                start.text = start.text + "\n" + location.text
                location = start
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
    for i in indexes:
        m = _PERIOD.search(lines[i].text)
        if m:
            g = [int(x) for x in m.groups()]
            return Period(
                raw=m.group(0), start=_iso(*g[:3]), end=_iso(*g[3:]), location=lines[i].location(m.start(), m.end())
            )
    return None


def find_signature(lines: Sequence[Line]) -> tuple[Located | None, DateValue | None, list[int]]:
    """The 落款 at the end of the report: an organ line and a date line, in either order."""
    tail: list[int] = []
    for i in range(len(lines) - 1, -1, -1):
        text = lines[i].text.strip()
        if not text:
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
    return organ, date, used


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
    texts = [lines[i].text for i in (*preamble, *body[:40])]
    meta.report_year, meta.report_year_source = report_year(title.normalised if title else None, texts)
    meta.statistics_period = find_period(lines, [*preamble, *body])
    for label in ("公开日期", "发布日期"):
        if label in meta.portal:
            located = meta.portal[label]
            meta.publication_date = DateValue(located.value, parse_date(located.value), located.location)
            break
    if meta.report_year is None and meta.statistics_period and meta.statistics_period.start:
        meta.report_year, meta.report_year_source = int(meta.statistics_period.start[:4]), "statistics_period"
    return meta, set(signature_lines)
