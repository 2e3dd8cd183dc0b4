"""GB/T 4754-2017 national industry classification: sections (门类), divisions (大类),
groups (中类) and classes (小类), with lookup by code, standard name, or the category labels
used by Chinese job sites (``计算机软件``, ``互联网/电子商务``...)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from matcher.errors import TaxonomyError


@dataclass(frozen=True, slots=True)
class Industry:
    code: str  # "I" (section), "65" (division), "651" (group) or "6510" (class)
    name: str
    section: str  # section letter
    level: int  # 1 section, 2 division, 3 group, 4 class
    remark: str = ""


#: Job-site category labels → GB/T 4754 division (or section) code.
SITE_LABELS: dict[str, str] = {
    "计算机软件": "65",
    "IT服务": "65",
    "IT服务(系统/数据/维护)": "65",
    "软件": "65",
    "互联网": "64",
    "互联网/电子商务": "64",
    "电子商务": "64",
    "网络游戏": "64",
    "计算机硬件": "39",
    "电子技术/半导体/集成电路": "39",
    "通信/电信/网络设备": "39",
    "通信/电信运营、增值服务": "63",
    "电信": "63",
    "金融": "J",
    "银行": "66",
    "金融/投资/证券": "67",
    "证券": "67",
    "基金/证券/期货/投资": "67",
    "保险": "68",
    "信托/担保/拍卖/典当": "69",
    "房地产": "70",
    "房地产/建筑/建材/工程": "70",
    "物业管理/商业中心": "70",
    "建筑/建材/工程": "48",
    "建筑": "47",
    "家居/室内设计/装饰装潢": "50",
    "教育/培训/院校": "83",
    "教育": "83",
    "培训": "83",
    "医疗/护理/美容/保健/卫生服务": "84",
    "医疗": "84",
    "医院/医疗/护理": "84",
    "制药/生物工程": "27",
    "医药": "27",
    "医疗设备/器械": "35",
    "物流/仓储": "59",
    "快递": "60",
    "交通/运输": "54",
    "交通/运输/物流": "54",
    "贸易/进出口": "51",
    "批发/零售": "52",
    "零售": "52",
    "快速消费品(食品/饮料/烟酒/日化)": "14",
    "汽车/摩托车": "36",
    "汽车": "36",
    "机械/设备/重工": "34",
    "仪器仪表及工业自动化": "40",
    "电气/电力/水利": "44",
    "能源/矿产/采掘/冶炼": "B",
    "石油/石化/化工": "26",
    "化工": "26",
    "服装/纺织/皮革": "18",
    "家具/家电/玩具/礼品": "21",
    "印刷/包装/造纸": "23",
    "餐饮业": "62",
    "餐饮": "62",
    "酒店/旅游": "61",
    "旅游/度假": "72",
    "娱乐/体育/休闲": "90",
    "广告": "72",
    "会展": "72",
    "公关/市场推广/会展": "72",
    "广告/会展/公关": "72",
    "专业服务/咨询(财会/法律/人力资源等)": "72",
    "咨询": "72",
    "法律": "72",
    "人力资源服务": "72",
    "外包服务": "72",
    "租赁服务": "71",
    "媒体/出版/影视/文化传播": "86",
    "影视/媒体/艺术/文化传播": "87",
    "文字媒体/出版": "86",
    "检验/检测/认证": "74",
    "学术/科研": "73",
    "环保": "77",
    "农/林/牧/渔": "A",
    "政府/公共事业/非盈利机构": "S",
    "非营利组织": "95",
    "多元化业务集团公司": "72",
}


def _rows() -> list[dict[str, str]]:
    path = resources.files("matcher.taxonomy").joinpath("data").joinpath("gbt4754_2017.csv")
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


class IndustryCatalog:
    def __init__(self) -> None:
        self._by_code: dict[str, Industry] = {}
        self._by_name: dict[str, Industry] = {}
        for row in _rows():
            level = int(row["level"])
            code = [row["menlei"], row["dalei"], row["zhonglei"], row["xiaolei"]][level - 1]
            item = Industry(code, row["name"].strip(), row["menlei"], level, row["remark"].strip())
            self._by_code[code] = item
            self._by_name.setdefault(item.name, item)

    def get(self, code: str) -> Industry:
        try:
            return self._by_code[code.strip().upper()]
        except KeyError:
            raise TaxonomyError(
                f"unknown GB/T 4754 code {code!r}; use a section letter (A–T) or a 2–4 digit code",
                zh=f"无法识别的行业代码 {code}：请使用门类字母（A–T）或 2–4 位代码",
            ) from None

    def sections(self) -> list[Industry]:
        return [i for i in self._by_code.values() if i.level == 1]

    def divisions(self, section: str | None = None) -> list[Industry]:
        return [
            i for i in self._by_code.values() if i.level == 2 and (section in (None, i.section))
        ]

    def section_of(self, industry: Industry) -> Industry:
        return self._by_code[industry.section]

    def lookup(self, text: str | None) -> Industry | None:
        """Best match for a code, a standard name, or a job-site label; a comma-separated list
        of labels resolves to its first resolvable item. ``None`` when nothing matches."""
        if not text or not text.strip():
            return None
        for part in re.split(r"[,，;；]", text):
            part = part.strip()
            if not part:
                continue
            found = self._one(part)
            if found is not None:
                return found
        return None

    def resolve(self, text: str) -> Industry:
        found = self.lookup(text)
        if found is None:
            raise TaxonomyError(
                f"unknown industry {text!r}; use a GB/T 4754 name (e.g. 软件和信息技术服务业) "
                "or code (e.g. 65)",
                zh=f"无法识别的行业“{text}”：请使用国民经济行业分类的名称"
                "（如 软件和信息技术服务业）或代码",
            )
        return found

    def _one(self, part: str) -> Industry | None:
        if part.upper() in self._by_code:
            return self._by_code[part.upper()]
        if part in self._by_name:
            return self._by_name[part]
        if part in SITE_LABELS:
            return self._by_code[SITE_LABELS[part]]
        for label, code in SITE_LABELS.items():
            if len(label) >= 2 and (label in part or part in label.split("/")):
                return self._by_code[code]
        for item in self._by_code.values():
            if item.level <= 2 and len(part) >= 2 and part in item.name:
                return item
        return None


@cache
def load_industries() -> IndustryCatalog:
    return IndustryCatalog()
