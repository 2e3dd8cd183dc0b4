"""Personal names and short self-descriptions (bios) for generated graduates."""

from __future__ import annotations

from matcher.datasets.sampling import Draw, Weighted

#: Common surnames with rough relative frequencies (national ranking, with the names that are
#: more frequent in Chongqing — 冉, 向, 谭, 牟, 秦 — weighted up).
_SURNAMES = (
    "王:7.1 李:7.0 张:6.9 刘:5.4 陈:4.5 杨:3.1 黄:2.0 赵:2.0 吴:1.8 周:1.7 徐:1.3 孙:1.3 马:1.1 "
    "朱:1.1 胡:1.0 郭:1.0 何:1.0 高:0.9 林:0.9 罗:1.0 郑:0.8 梁:0.7 谢:0.7 宋:0.6 唐:0.9 许:0.5 "
    "韩:0.5 冯:0.5 邓:0.7 曹:0.5 彭:0.7 曾:0.6 肖:0.6 田:0.6 董:0.4 袁:0.5 潘:0.4 于:0.3 蒋:0.5 "
    "蔡:0.4 余:0.5 杜:0.4 叶:0.3 程:0.4 苏:0.3 魏:0.3 吕:0.3 丁:0.3 任:0.4 沈:0.3 姚:0.3 卢:0.3 "
    "姜:0.2 崔:0.2 钟:0.3 谭:0.6 陆:0.2 汪:0.2 范:0.3 金:0.2 石:0.3 廖:0.4 贾:0.2 夏:0.2 韦:0.1 "
    "付:0.3 方:0.2 白:0.2 邹:0.3 孟:0.1 熊:0.4 秦:0.3 邱:0.2 江:0.2 尹:0.2 薛:0.1 闫:0.1 段:0.2 "
    "雷:0.3 侯:0.2 龙:0.2 史:0.1 陶:0.2 黎:0.2 贺:0.2 顾:0.1 毛:0.2 郝:0.1 龚:0.2 邵:0.1 万:0.2 "
    "钱:0.1 严:0.1 覃:0.1 武:0.1 戴:0.1 莫:0.1 孔:0.1 向:0.4 冉:0.4 牟:0.2 文:0.2 况:0.1 "
    "蒲:0.1 代:0.2 税:0.05 瞿:0.05 欧阳:0.05 司马:0.02 上官:0.02"
)
SURNAMES: Weighted[str] = Weighted(
    [(s, float(w)) for s, w in (p.split(":") for p in _SURNAMES.split())]
)
#: Given-name characters: mostly given to boys, mostly given to girls, and either.
_MALE = tuple(
    "伟强磊军洋勇杰涛明超刚平浩宇轩博鑫俊豪宏志鸣凯航帆东昊皓旭哲辰逸煜锦程诚毅"
    "飞翔鹏宸骏川渝森林亮铭睿阳晨泽宁安然源嘉家乐健彬斌峰"
)
_FEMALE = tuple(
    "芳娜敏静丽艳娟秀霞桂英玉萍红玲芬燕怡涵萱雨欣思佳琪雪梅诗瑶雅婷梦雯茜馨悦"
    "琳莉晗钰彤冰岚颖蕾蓉兰菲妍薇菁晴昕婧璐倩慧琦露然嘉安宁晨"
)


def person_name(d: Draw) -> str:
    surname = SURNAMES(d.random())
    pool = _MALE if d.random() < 0.5 else _FEMALE
    if d.random() < 0.2:
        return surname + d.pick(pool)
    a = d.pick(pool)
    b = d.pick(pool)
    while b == a and d.random() < 0.9:  # 露露, 晨晨 happen but rarely
        b = d.pick(pool)
    return surname + a + b


_CONTESTS = (
    "全国大学生数学建模竞赛",
    "中国国际大学生创新大赛",
    "“挑战杯”课外学术科技作品竞赛",
    "重庆市职业院校技能大赛",
    "全国大学生英语竞赛",
    "“互联网+”大学生创新创业大赛",
    "全国大学生电子设计竞赛",
    "蓝桥杯软件和信息技术专业人才大赛",
    "全国大学生广告艺术大赛",
)
_CLASS_CONTESTS = {
    "计算机类": "蓝桥杯软件和信息技术专业人才大赛",
    "电子信息类": "全国大学生电子设计竞赛",
    "设计学类": "全国大学生广告艺术大赛",
    "艺术设计类": "全国大学生广告艺术大赛",
}
_PRIZES = (
    "市级二等奖",
    "校级一等奖",
    "省部级三等奖",
    "国家级优秀奖",
    "重庆赛区二等奖",
    "校级二等奖",
)
_ROLES = ("班长", "学生会干部", "社团负责人", "团支部书记", "志愿者协会骨干", "学习委员", "宿舍长")
_CERTS = (
    "大学英语四级证书",
    "大学英语六级证书",
    "普通话二级甲等证书",
    "全国计算机等级考试二级证书",
    "C1驾驶证",
)
#: Skills that are certificates, not things one works on.
_NOT_WORK = ("证", "资格", "CPA", "CFA", "CATTI", "专八", "CET")
_INTERN = (
    "曾在{company}实习{m}个月，参与{field}相关工作。",
    "在{company}完成了{m}个月的实习，主要负责{skill}方面的工作。",
    "大三暑假在{company}实习，积累了{field}方面的实践经验。",
    "毕业前在{company}实习{m}个月，熟悉了{family}岗位的工作流程。",
)
_SCHOOL = (
    "在校期间参与过{field}方向的课题项目，负责{skill}部分。",
    "毕业设计围绕{skill}展开，获评优秀毕业设计。",
    "参加过{contest}，获{prize}。",
    "熟练掌握{skill}和{skill2}，能独立完成基础工作。",
    "已取得{cert}。",
    "在校担任{role}，组织协调能力较强。",
    "多次获得校级奖学金，专业成绩排名前{rank}%。",
    "做过{skill}相关的课程设计，动手能力较强。",
)
_WANT = (
    "希望在{district}从事{family}相关工作。",
    "期望找一份{family}方面的工作，愿意从基础岗位做起。",
    "想留在重庆发展，优先考虑{family}岗位。",
    "对{family}工作很感兴趣，希望找到能长期发展的平台。",
    "求职意向：{family}，可接受{district}及周边区域。",
)
_WANT_KIND = {
    "traineeship": "希望先参加就业见习，积累{family}工作经验。",
    "public_institution": "正在准备事业单位招聘考试，也考虑{family}方向的企业岗位。",
    "grassroots": "愿意到基层工作，对三支一扶、西部计划等项目感兴趣。",
}
_STATUS = {
    "employed": "目前已在{district}就业，关注更合适的{family}机会。",
    "further_study": "目前在准备升学，暂时关注{family}方向的实习机会。",
    "not_seeking": "近期暂无求职计划。",
}


def bio(
    d: Draw,
    *,
    company: str,
    field: str,
    family: str,
    skills: list[str],
    district: str,
    kinds: list[str],
    status: str,
    class_name: str,
    certs: tuple[str, ...],
) -> str:
    """One to three sentences about experience and what the graduate wants."""
    usable = [s for s in skills if not any(w in s for w in _NOT_WORK)] or skills
    skill = usable[0]
    values = {
        "company": company,
        "m": d.between(2, 6),
        "field": field,
        "family": family,
        "skill": skill,
        "skill2": usable[-1] if len(usable) > 1 else skill,
        "district": district,
        "role": d.pick(_ROLES),
        "rank": d.pick((5, 10, 15, 20, 30)),
        "contest": _CLASS_CONTESTS.get(class_name) if d.random() < 0.5 else None,
        "prize": d.pick(_PRIZES),
        "cert": d.pick(certs) if certs and d.random() < 0.6 else None,
    }
    if values["contest"] is None:
        values["contest"] = d.pick(_CONTESTS)
    if values["cert"] is None:
        values["cert"] = d.pick(_CERTS)
    parts: list[str] = []
    r = d.random()
    if r < 0.55:
        parts.append(d.pick(_INTERN))
    if r > 0.3 or not parts:
        parts.append(d.pick(_SCHOOL))
    if status in _STATUS:
        parts.append(_STATUS[status])
    elif d.random() < 0.75:
        special = [k for k in kinds if k in _WANT_KIND]
        parts.append(_WANT_KIND[special[0]] if special and d.random() < 0.5 else d.pick(_WANT))
    if len(parts) > 3:
        parts = parts[:3]
    return "".join(p.format(**values) for p in parts)
