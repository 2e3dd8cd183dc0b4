"""Protected traits are cut out of a résumé before anything else reads it (DESIGN.md §4: never
stored): gender, age and birth date, ethnicity, marital status, hukou and native place, photo,
ID number, health, height and weight, political affiliation, religion, home address.

A line is cut into clauses (``，；。``) and segments (spaces, ``|`` between table cells). A
segment that starts with a label (``性别：男``, ``出生年月 1999.05``) goes; a label alone
(``民族 | 汉``) takes the next segment with it; a segment that is only a value (``男``,
``土家族``, ``已婚``, ``中共党员``, ``23岁``, ``175cm``) goes anywhere, a bare birth month
(``1999.05``) in the personal part. Clauses about health (``身体健康``) go whole. What was cut
is reported by kind only; the values are never kept, returned or logged."""

from __future__ import annotations

import re

#: label → kind
LABELS: dict[str, str] = {
    **dict.fromkeys(["性别"], "gender"),
    **dict.fromkeys(["年龄", "年纪"], "age"),
    **dict.fromkeys(
        ["出生年月", "出生日期", "出生年份", "出生时间", "生日", "出生年月日", "出生"], "birth_date"
    ),
    **dict.fromkeys(["民族", "族别"], "ethnicity"),
    **dict.fromkeys(["婚姻状况", "婚姻状态", "婚否", "婚姻", "婚育状况", "婚育"], "marital_status"),
    **dict.fromkeys(
        [
            "户籍",
            "户口",
            "籍贯",
            "户口所在地",
            "户籍所在地",
            "户籍地",
            "生源地",
            "出生地",
            "户口性质",
        ],
        "hukou",
    ),
    **dict.fromkeys(["照片", "相片", "免冠照片", "一寸照片", "证件照", "贴照片处"], "photo"),
    **dict.fromkeys(
        ["身份证号", "身份证号码", "身份证", "证件号码", "身份证件号", "身份证件号码"], "id_number"
    ),
    **dict.fromkeys(
        ["健康状况", "身体状况", "健康情况", "身体情况", "视力", "血型", "病史"], "health"
    ),
    **dict.fromkeys(["身高"], "height"),
    **dict.fromkeys(["体重"], "weight"),
    **dict.fromkeys(["政治面貌", "政治身份", "党派"], "political"),
    **dict.fromkeys(["宗教信仰", "宗教", "信仰"], "religion"),
    **dict.fromkeys(["家庭住址", "家庭地址", "住址", "家庭所在地", "通讯地址"], "address"),
}
_ETHNIC = (
    "汉|回|满|蒙古|藏|维吾尔|苗|彝|壮|布依|朝鲜|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|"
    "水|东乡|纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|"
    "乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺"
)
#: a segment that is only a value of a protected trait → kind
VALUES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^[(（]?(男|女|男性|女性|男生|女生)[)）]?$"), "gender"),
    (re.compile(r"^\d{2}\s*(岁|周岁)$"), "age"),
    (re.compile(rf"^({_ETHNIC})族$"), "ethnicity"),
    (re.compile(r"^(已婚|未婚|已婚已育|已婚未育|未婚未育|离异|丧偶)$"), "marital_status"),
    (re.compile(r"^(中共党员|中共预备党员|预备党员|共青团员|团员|群众|民主党派)$"), "political"),
    (re.compile(r"^\d{3}\s*(cm|厘米|CM)$"), "height"),
    (re.compile(r"^\d{2,3}(\.\d)?\s*(kg|公斤|斤|KG)$"), "weight"),
    (re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*(\d{1,2}\s*日)?\s*(生|出生)$"), "birth_date"),
    (re.compile(r"^(19[7-9]\d|200[0-8])\s*年\s*(\d{1,2}\s*月)?\s*(生|出生)$"), "birth_date"),
]
#: a bare year and month of 1975–2008 in the personal part is a birth date
_BIRTH = re.compile(r"^(19[7-9]\d|200[0-8])\s*[.\-/年]\s*\d{1,2}\s*(月|[.\-/]\d{1,2}\s*日?)?$")
_ID = re.compile(r"(?<![\dA-Za-z])\d{6}(19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx](?![\dA-Za-z])")
_HEALTH = re.compile(
    r"身体健康|身体素质(良好|好|佳)|体格健壮|健康良好|无传染病|无重大疾病|无不良病史"
)
#: a line of only digits after a line that ended in a number that was cut (a wrapped ID)
_CONTINUED = re.compile(r"^[\dXx]{1,12}$")
_ENDS_WITH_NUMBER = re.compile(r"\d[\dXx]*$")
#: a place of origin written alone in the personal part (province or city, then county)
_HOME = re.compile(
    r"^[\u4e00-\u9fff]{2,3}(省|市|自治区)[\u4e00-\u9fff]{1,6}(市|县|区|州|旗)$|^[\u4e00-\u9fff]{2,3}省[\u4e00-\u9fff]{2,4}$"
)
_CLAUSES = re.compile(r"([，,；;。])")
_SEGMENTS = re.compile(r"(\s*\|\s*|\s+)")
_LABEL = re.compile(
    "^(" + "|".join(sorted(map(re.escape, LABELS), key=len, reverse=True)) + r")\s*(:?)\s*(.*)$"
)
#: a label written without a colon counts only before a short value of its own kind
_BARE_VALUE = re.compile(
    r"^(男|女|\d{1,3}(岁|cm|kg|公斤)?|[\u4e00-\u9fff]{0,3}族|已婚|未婚|良好|健康)?$"
)


def _label(segment: str) -> tuple[str, bool] | None:
    """(kind, whether the value follows in the next segment) when ``segment`` starts with a
    label of a protected trait."""
    match = _LABEL.match(segment)
    if match is None:
        return None
    label, colon, value = match.groups()
    if not colon and value and not _BARE_VALUE.match(value):
        return None  # 健康管理师, 出生地 as part of a longer word: not a label
    return LABELS[label], not value


def _value(segment: str, personal: bool) -> str | None:
    for pattern, kind in VALUES:
        if pattern.match(segment):
            return kind
    if personal and _BIRTH.match(segment):
        return "birth_date"
    if personal and _HOME.match(segment):  # 重庆市石柱县 beside the name: where one is from
        return "hukou"
    return None


def _clause(clause: str, personal: bool, found: set[str]) -> str:
    if _HEALTH.search(clause):
        found.add("health")
        return ""
    parts = _SEGMENTS.split(clause)
    words, gaps = parts[0::2], [*parts[1::2], ""]
    keep: list[str] = []
    skip_next = False
    for word, gap in zip(words, gaps, strict=True):
        if not word:
            continue
        if skip_next and _label(word) is None:
            skip_next = False
            continue
        skip_next = False
        labelled = _label(word)
        if labelled is not None:
            found.add(labelled[0])
            skip_next = labelled[1]
            continue
        kind = _value(word, personal)
        if kind is not None:
            found.add(kind)
            continue
        keep.append(word + gap)
    return "".join(keep).strip(" |")


def strip_line(line: str, *, personal: bool, found: set[str]) -> str:
    """``line`` without protected traits; the kinds cut are added to ``found``."""
    if _ID.search(line):
        found.add("id_number")
        line = _ID.sub("", line)
    pieces = _CLAUSES.split(line)
    out: list[str] = []
    for clause, mark in zip(pieces[0::2], [*pieces[1::2], ""], strict=True):
        kept = _clause(clause, personal, found)
        if kept:
            out.append(kept + mark)
    return "".join(out).strip(" ，,；;|")


def strip(lines: list[str], personal: set[int]) -> tuple[list[str], tuple[str, ...]]:
    """Every line without protected traits (an emptied line stays, as ""), and the kinds that
    were found. ``personal``: indices of the lines of the header and personal sections."""
    found: set[str] = set()
    cleaned: list[str] = []
    for i, line in enumerate(lines):
        kept = strip_line(line, personal=i in personal, found=found)
        if cleaned and _CONTINUED.match(line) and _ENDS_WITH_NUMBER.search(lines[i - 1]):
            before = strip_line(lines[i - 1], personal=i - 1 in personal, found=set())
            if not _ENDS_WITH_NUMBER.search(before):  # the rest of a number cut off above
                kept = ""
        cleaned.append(kept)
    return cleaned, tuple(sorted(found))
