"""Phrase pools for ads: intros, requirement sentences, benefits, section headings, closings.

Placeholders: {emp} employer, {title}, {n} headcount, {year} graduation year, {district},
{industry}, {months}, {edu}, {majors}, {skills}, {exp}, {name} (family label)."""

from __future__ import annotations

INTROS: dict[str, tuple[str, ...]] = {
    "company": (
        "{emp}因业务发展需要，现招聘{title}{n}名。",
        "{emp}诚聘{title}，欢迎{year}届毕业生加入。",
        "我们是{district}一家{industry}企业，因团队扩充，现招聘{title}若干名。",
        "{emp}是一家扎根重庆的{industry}企业，现面向{year}届高校毕业生招聘{title}。",
        "招聘岗位：{title}\n招聘人数：{n}人\n工作地点：{district}",
        "公司发展迅速，{name}团队现开放{title}岗位，期待你的加入。",
        "{emp}{year}届校园招聘正式启动，{title}岗位火热招募中。",
    ),
    "traineeship": (
        "本岗位为重庆市就业见习岗位，见习期{months}个月，见习期间按月发放见习生活补贴，"
        "并为见习人员购买人身意外伤害保险。",
        "{emp}是{district}就业见习基地，现提供{title}见习岗位{n}个。",
        "为帮助高校毕业生积累工作经验，{emp}开放{title}见习岗位，见习期{months}个月。",
        "就业见习岗位：{title}（{n}个），见习期满考核合格可优先录用。",
    ),
    "internship": (
        "面向{year}届在校生招聘{title}，实习期{months}个月，表现优秀者可留用。",
        "{emp}招聘{title}，适合希望积累{name}经验的在校学生。",
        "寒暑假及日常实习均可，{title}{n}名，实习地点在{district}。",
    ),
    "grassroots": (
        "根据{year}年高校毕业生基层服务项目工作安排，现招募{title}{n}名，服务地点为{district}。",
        "{district}{year}年招募{title}，服务单位：{emp}。",
        "现面向高校毕业生招募{title}，服务单位为{emp}，名额{n}名。",
    ),
    "public_institution": (
        "根据事业单位公开招聘有关规定，{emp}{year}年面向社会公开招聘{title}{n}名。",
        "{emp}{year}年公开招聘工作人员，岗位：{title}，名额{n}名。",
        "经研究，{emp}拟公开招聘{title}{n}名，现将有关事项公告如下。",
    ),
}

EDU_REQS = (
    "{edu}及以上学历，{majors}等相关专业",
    "{edu}及以上学历，{majors}相关专业优先",
    "全日制{edu}及以上学历，{majors}等专业",
    "{year}届或往届{edu}及以上毕业生，{majors}相关专业",
    "学历要求：{edu}及以上；专业要求：{majors}等相关专业",
    "{majors}等相关专业{edu}及以上学历",
)
NO_EDU_REQS = (
    "学历不限，{majors}相关专业优先",
    "专业不限，{majors}等相关专业优先考虑",
    "学历不限，有相关经历者优先",
)
SKILL_REQS = (
    "熟悉{skills}",
    "熟练掌握{skills}",
    "掌握{skills}等技能",
    "具备{skills}基础",
    "会使用{skills}",
    "了解{skills}，有实际操作经验者优先",
    "具有{skills}相关知识",
)
EXP_REQS = (
    "{exp}年以上相关工作经验",
    "具有{exp}年及以上{name}相关经验",
    "有{exp}年以上工作经验，优秀应届生可适当放宽",
)
FRESH_REQS = (
    "接受优秀应届毕业生",
    "欢迎{year}届毕业生投递",
    "无经验可培养，公司提供系统培训",
    "应届毕业生或工作一年以内均可",
)
KIND_REQS: dict[str, tuple[str, ...]] = {
    "traineeship": (
        "离校2年内未就业高校毕业生（含{year}届）",
        "{year}届高校毕业生或离校两年内未就业毕业生",
        "见习期间需遵守见习单位的规章制度",
    ),
    "internship": (
        "{year}届在校生，每周可实习4天以上",
        "实习期不少于3个月",
        "在校学生，能保证稳定的实习时间",
    ),
}
SOFT_REQS = (
    "具备良好的沟通能力和团队协作精神",
    "工作认真负责，有较强的学习能力",
    "责任心强，能承受一定的工作压力",
    "做事踏实细致，执行力强",
    "逻辑思维和分析能力较强",
    "积极主动，善于解决问题",
    "有良好的职业素养和服务意识",
    "学习能力强，愿意接受挑战",
    "有较强的时间管理能力",
    "乐观开朗，积极向上",
    "诚实守信，遵守规章制度",
    "有较强的自我驱动力",
    "能熟练使用常用办公软件",
)

BENEFITS: dict[str, tuple[str, ...]] = {
    "company": (
        "五险一金",
        "双休",
        "周末双休",
        "包住宿",
        "餐补",
        "包吃住",
        "年终奖",
        "带薪年假",
        "节日福利",
        "定期体检",
        "交通补贴",
        "通讯补贴",
        "员工旅游",
        "弹性工作",
        "免费班车",
        "住房补贴",
        "绩效奖金",
        "专业培训",
        "晋升通道清晰",
        "下午茶",
        "生日福利",
        "季度奖金",
        "高温补贴",
        "人才公寓",
        "补充医疗保险",
        "免费工作餐",
        "加班补助",
        "全勤奖",
    ),
    "traineeship": (
        "见习生活补贴按月发放",
        "购买人身意外伤害保险",
        "见习期满表现优秀者优先录用",
        "安排带教老师",
        "提供工作餐",
        "出具见习证明",
        "双休",
        "提供住宿",
    ),
    "internship": (
        "实习补贴",
        "可开具实习证明",
        "表现优秀可转正",
        "导师一对一带教",
        "提供住宿",
        "餐补",
        "弹性工作时间",
        "交通补贴",
    ),
    "grassroots": (
        "服务期间按规定发放工作生活补贴",
        "按规定购买社会保险",
        "提供食宿",
        "服务期满考核合格可享受事业单位专项招聘等政策",
        "发放一次性安家费",
        "服务期计算工龄",
        "参加岗前培训",
    ),
    "public_institution": (
        "按事业单位有关规定享受工资福利待遇",
        "缴纳五险一金及职业年金",
        "享受国家规定的各类假期",
        "提供周转宿舍",
        "工作日提供工作餐",
        "定期组织业务培训",
    ),
}

DUTY_HEADS = ("岗位职责", "工作职责", "工作内容", "职位描述", "主要职责")
REQ_HEADS = ("任职要求", "任职资格", "岗位要求", "应聘条件", "招聘条件")
BENEFIT_HEADS = ("福利待遇", "薪资福利", "我们提供", "待遇", "薪酬福利")

CLOSINGS = (
    "工作地点：{district}{town}。",
    "有意者请通过平台投递简历，我们将尽快与您联系。",
    "简历请注明应聘岗位及可到岗时间。",
    "工作时间：9:00-18:00，午休1.5小时。",
    "面试地点：{district}{town}，具体时间另行通知。",
    "欢迎有志于{name}工作的同学加入我们！",
    "上班地址：{district}{town}，交通便利。",
)

#: Title decorations by kind; "{t}" is the base title.
TITLE_FORMS: dict[str, tuple[str, ...]] = {
    "full_time": (
        "应届生{t}",
        "储备{t}",
        "初级{t}",
        "{t}（{year}届校招）",
        "{t}-{year}届校园招聘",
        "{t}（应届可投）",
        "{t}（双休）",
        "{t}（五险一金）",
        "{t}（{district}）",
        "{t}【{district}】",
        "{district}{t}",
        "{t}（{year}届）",
        "急招{t}",
        "{t}（管培方向）",
    ),
    "traineeship": (
        "{t}（见习岗）",
        "见习{t}",
        "{t}见习生",
        "就业见习-{t}",
        "{t}（就业见习）",
        "{district}见习岗位-{t}",
        "{t}见习岗（{district}）",
    ),
    "internship": (
        "{t}实习生",
        "{t}（实习）",
        "{year}届{t}实习生",
        "实习-{t}",
        "{t}实习生（{district}）",
        "寒假实习-{t}",
        "暑期实习-{t}",
        "{t}（可转正实习）",
    ),
    "grassroots": ("{t}", "{t}（{district}）", "{district}{t}", "{year}年{t}"),
    "public_institution": ("{t}", "{t}（{district}）", "{t}{n}", "{year}年公开招聘-{t}"),
}
