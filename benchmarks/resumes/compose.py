"""One generated résumé: what it says, as titled blocks of lines in words chosen at random
(headings, date formats, the ways majors, degrees, certificates and jobs are written), and
the truth a reader would take from it."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from benchmarks.resumes.profiles import COMMON, Field

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林谭冉向秦"
GIVEN = (
    "思远",
    "雨萱",
    "浩然",
    "欣怡",
    "子涵",
    "俊杰",
    "佳琪",
    "宇航",
    "梦瑶",
    "明轩",
    "诗琪",
    "文博",
    "晓燕",
)
DISTRICTS = ("渝北区", "江北区", "南岸区", "沙坪坝区", "九龙坡区", "渝中区", "北碚区", "巴南区")
HOMETOWNS = ("四川省广安市", "重庆市开州区", "贵州省遵义市", "湖北省恩施州", "重庆市秀山县")
ETHNIC = ("汉族", "土家族", "苗族", "回族")
HEADS = {
    "personal": ("个人信息", "基本信息", "基本资料", "个人资料"),
    "education": (
        "教育背景",
        "教育经历",
        "学习经历",
        "受教育情况",
        "【教育背景】",
        "一、教育背景",
        "教育 Education",
    ),
    "experience": (
        "实习经历",
        "工作经历",
        "实践经历",
        "实习与工作",
        "工作/实习经历",
        "实习经验",
        "职业经历",
    ),
    "skills": (
        "专业技能",
        "技能证书",
        "技能与证书",
        "证书与技能",
        "我的技能",
        "个人技能",
        "持有证书",
        "能力与资格",
    ),
    "objective": ("求职意向", "期望工作", "求职目标", "意向岗位", "求职方向"),
    "self": ("自我评价", "个人评价", "关于我", "自我介绍", "个人总结"),
    "awards": ("荣誉奖项", "获奖情况", "所获荣誉", "在校荣誉"),
}
AWARDS = (
    "{y}年 获校级一等奖学金",
    "{y}年 获评“优秀学生干部”",
    "获得全国大学生数学建模竞赛重庆赛区二等奖（{y}）",
    "{y}年 “互联网+”大学生创新创业大赛校级铜奖",
)
SELF = (
    "性格开朗，责任心强，善于团队合作。",
    "学习能力强，做事认真细致，能吃苦耐劳。",
    "有较强的沟通表达能力，执行力强。",
)


@dataclass
class Resume:
    """Blocks (heading, lines) in order, the personal facts, and the truth."""

    name: str
    phone: str
    email: str
    personal: list[tuple[str, str]]  # (label, value) including protected traits
    blocks: list[tuple[str, list[str]]]
    truth: dict[str, Any]
    facts: dict[str, str] = field(default_factory=dict)  # the main education entry as written
    main_lines: list[str] = field(default_factory=list)  # its lines in the education block


def _date(rng: random.Random, y: int, m: int, style: int) -> str:
    return (f"{y}.{m:02d}", f"{y}年{m}月", f"{y}/{m:02d}", f"{y}-{m:02d}", f"{y}.{m}")[style]


def _period(
    rng: random.Random, start: tuple[int, int], end: tuple[int, int] | None, style: int
) -> str:
    dash = ("-", "—", " ~ ", " 至 ", "–")[style]
    a = _date(rng, *start, style)
    b = "至今" if end is None else _date(rng, *end, style)
    return f"{a}{dash}{b}"


def _protected(rng: random.Random, year: int) -> tuple[list[tuple[str, str]], list[str]]:
    """Personal facts a résumé should not keep: (label, value) pairs and the values to check."""
    birth = f"{year - 22 - rng.randint(0, 2)}.{rng.randint(1, 12):02d}"
    facts = [("性别", rng.choice("男女")), ("出生年月", birth), ("民族", rng.choice(ETHNIC))]
    if rng.random() < 0.6:
        facts.append(("政治面貌", rng.choice(("中共党员", "共青团员"))))
    if rng.random() < 0.6:
        facts.append((rng.choice(("籍贯", "户籍")), rng.choice(HOMETOWNS)))
    if rng.random() < 0.3:
        facts.append(("身高", f"{rng.randint(155, 185)}cm"))
    if rng.random() < 0.2:
        facts.append(("婚姻状况", "未婚"))
    if rng.random() < 0.2:
        facts.append(
            (
                "身份证号",
                f"500101{birth[:4]}{birth[5:7]}1{rng.randint(100, 999)}{rng.randint(0, 9)}",
            )
        )
    return facts, [v for label, v in facts if label != "性别"]


def compose(f: Field, rng: random.Random, year: int = 2025) -> Resume:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    phone = f"1{rng.choice('3579')}{rng.randint(100000000, 999999999)}"
    email = f"cv{rng.randint(1000, 9999)}@{rng.choice(('qq.com', '163.com', 'foxmail.com'))}"
    style = rng.randrange(5)
    major = rng.choice(list(f.majors))
    major_written = rng.choice(f.majors[major])
    school = rng.choice(f.schools)
    length = {"中专": 3, "大专": 3, "本科": 4, "硕士": 3, "博士": 4}[f.degree]
    end_year = year - rng.choice((0, 0, 0, 1))
    ongoing = rng.random() < 0.08
    start, end = (end_year - length, 9), (end_year, 6)
    degree_written = rng.choice(f.degree_words)
    when = _period(rng, start, None if ongoing else end, style)
    edu_form = rng.randrange(4)
    if edu_form == 0:
        main = [f"{when}  {school}  {major_written}  {degree_written}"]
    elif edu_form == 1:
        main = [f"{school} | {major_written} | {degree_written} | {when}"]
    elif edu_form == 2:
        main = [f"{school}（{when}）", f"专业：{major_written}    学历：{degree_written}"]
    else:
        main = [f"{when} 就读于{school}{major_written.removesuffix('专业')}专业，{degree_written}"]
    education = [*main, f.courses]
    if f.degree in ("硕士", "博士"):
        education += [
            f"{_period(rng, (start[0] - 4, 9), (start[0], 6), style)}  西南大学  化学  本科"
        ]
    elif f.degree == "本科" and rng.random() < 0.15:  # 专升本: a 大专 before
        before = _period(rng, (start[0] - 3, 9), (start[0], 6), style)
        education += [f"{before}  重庆工业职业技术学院  机电一体化技术  专科"]
    elif rng.random() < 0.2:
        education += [
            f"{_period(rng, (start[0] - 3, 9), (start[0], 6), style)}  重庆市第一中学  高中"
        ]

    chosen = rng.sample(list(f.skills), k=min(len(f.skills), rng.randint(3, 4)))
    certs = [c for c in f.certs if rng.random() < 0.7]
    skills_truth = set(chosen) | set(certs)
    written = {k: rng.choice(f.skills[k]) for k in chosen}
    written.update({c: rng.choice(COMMON[c]) for c in certs})
    tools = [
        k for k in chosen if k[:1].isascii() or k in ("用友", "金蝶", "广联达", "希沃白板")
    ] or chosen

    jobs: list[tuple[str, str]] = []
    experience: list[str] = []
    for j in range(rng.choice((0, 1, 1, 2, 2, 3))):
        employer, role = f.employers[j % len(f.employers)], rng.choice(f.roles)
        y = end_year - 1 - j // 2
        m = rng.choice((1, 3, 7, 7, 10))
        span = (y, m), (y, min(12, m + rng.randint(1, 4)))
        p = _period(rng, span[0], span[1], rng.randrange(5))
        form = rng.randrange(6)
        if form == 0:
            head = [f"{p}  {employer}  {role}"]
        elif form == 1:
            head = [f"{employer} | {role} | {p}"]
        elif form == 2:
            head = [p, employer, role]
        elif form == 3:
            head = [f"实习单位：{employer}  岗位：{role}  时间：{p}"]
        elif form == 4:
            head = [f"{y}年{m}月至{span[1][1]}月在{employer}实习，担任{role}。"]
        else:
            head = [f"{employer}（{p}）", f"职位：{role}"]
        tool = rng.choice(tools)
        duty = rng.choice(f.duties)
        if "{tool}" in duty:
            skills_truth.add(tool)
        experience += [*head, "工作内容：" + duty.format(tool=written.get(tool, tool))]
        jobs.append((employer, role))

    items = [written[k] for k in chosen] + [written[c] for c in certs]
    rng.shuffle(items)
    skill_form = rng.randrange(3)
    if skill_form == 0:
        skills = ["、".join(items)]
    elif skill_form == 1:
        known = [written[k] for k in chosen]
        held = [written[c] for c in certs]
        skills = [f"熟练掌握{'、'.join(known[:2])}", *[f"熟悉{x}" for x in known[2:]]]
        skills += [f"已取得{x}" for x in held]
    else:
        skills = [f"● {x}" for x in items]

    personal, protected = _protected(rng, year) if rng.random() < 0.75 else ([], [])
    district = rng.choice(DISTRICTS)
    objective = [
        f"期望职位：{rng.choice(f.titles)}",
        f"期望城市：重庆{district}  工作性质：{rng.choice(('全职', '全职/就业见习', '全职'))}",
    ]
    self_eval = [rng.choice(SELF)]
    if rng.random() < 0.3:
        self_eval.append("身体健康，能适应加班。")
        protected.append("身体健康")
    awards = [rng.choice(AWARDS).format(y=end_year - 1)]
    blocks = [
        (rng.choice(HEADS["objective"]), objective),
        (rng.choice(HEADS["education"]), education),
        (rng.choice(HEADS["experience"]), experience),
        (rng.choice(HEADS["skills"]), skills),
        (rng.choice(HEADS["awards"]), awards),
        (rng.choice(HEADS["self"]), self_eval),
    ]
    if not experience:
        blocks = [b for b in blocks if b[1] is not experience]
    truth = {
        "name": name,
        "school": school,
        "major": major,
        "degree": f.degree,
        "graduation_year": end_year if not ongoing else start[0] + length,
        "skills": sorted(skills_truth),
        "experience": jobs,
        "protected": protected,
        "field": f.key,
    }
    graduated = f"{start[0] + length}年6月（预计）" if ongoing else f"{end_year}年6月"
    facts = {
        "school": school,
        "major": major_written,
        "degree": degree_written,
        "graduated": graduated,
        "personal_heading": rng.choice(HEADS["personal"]),
    }
    return Resume(name, phone, email, personal, blocks, truth, facts, main)
