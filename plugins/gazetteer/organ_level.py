"""What kind of organ published a report, from its name: a people's government, a department, or
another body (street office, school, hospital, company, ...)."""

from __future__ import annotations

_OTHER_ENDINGS = tuple(
    (
        # street offices and self-governing bodies
        "街道办事处 街道办 街道 村民委员会 居民委员会 村委会 居委会 社区 "
        # schools, hospitals and other public institutions
        "大学 学院 学校 中学 小学 幼儿园 医院 卫生院 保健院 研究院 研究所 科学院 设计院 福利院 敬老院 养老院 "
        "图书馆 博物馆 纪念馆 文化馆 档案馆 美术馆 科技馆 体育馆 电视台 报社 出版社 杂志社 中心 站 所 "
        # enterprises, associations and people's organisations
        "公司 集团 银行 合作社 协会 学会 商会 研究会 促进会 基金会 联合会 工会 联合社"
    ).split()
)
_OTHER_MARKERS = ("有限公司", "股份", "街道办事处")
_DEPARTMENT_ENDINGS = tuple(
    "局 委员会 委 办公室 办公厅 办 厅 署 院 部 处 室 科 管委会 总队 支队 大队 中队 办事处 公署".split()
)
# Administrative outposts whose names end like an institute (所) but are organs.
_OUTPOST_ENDINGS = ("派出所", "司法所", "财政所", "税务所", "监管所", "管理所")
_GOVERNMENT_ENDINGS = ("人民政府", "政府", "国务院")


def organ_level(organ: str | None) -> str | None:
    """What kind of organ published the report: ``government``, ``department``, ``other`` or None.

    - ``government``: a people's government at any level, i.e. a name ending in 人民政府
      (重庆市人民政府, XX镇人民政府, XX乡人民政府), also the informal XX区政府, and 国务院.
      Its 办公室/办公厅 (XX市人民政府办公室) is a working body of that government and counts as
      ``department``, like every other organ that reports in its own name.
    - ``other``: bodies that are not administrative organs even when the law makes them publish —
      街道办事处 (an agency of the district, but treated apart because its report template differs),
      村/居民委员会, schools, hospitals, research institutes, 中心, 站, 所 (except administrative
      outposts such as 派出所, 司法所, 税务所), libraries and museums, media, companies, banks,
      associations and federations (协会, 学会, 联合会).
    - ``department``: any other name that ends like an administrative organ — 局, 委员会/委,
      办公室/办公厅/办, 厅, 署, 部, 处, 院 (法院, 检察院), 管委会, 执法队伍 (总队/支队/大队) ...
      e.g. 重庆市渝北区应急管理局, 重庆市大渡口区人民防空办公室.
    - ``other`` also for anything that ends like none of these; ``None`` for a missing or blank name.
    """
    if organ is None:
        return None
    name = "".join(organ.split())
    if not name:
        return None
    if name.endswith(_OUTPOST_ENDINGS):
        return "department"
    if name.endswith(_OTHER_ENDINGS) or any(marker in name for marker in _OTHER_MARKERS):
        return "other"
    if name.endswith(_GOVERNMENT_ENDINGS):
        return "government"
    if name.endswith(_DEPARTMENT_ENDINGS):
        return "department"
    return "other"
