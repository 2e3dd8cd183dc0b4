"""Subsidised vocational-skills training courses (职业技能培训) offered by training providers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from matcher.datasets.places import Geography
from matcher.datasets.sampling import Draw
from matcher.datasets.schools import SCHOOLS
from matcher.datasets.sectors import BRAND_CHARS


@dataclass(frozen=True, slots=True)
class Course:
    name: str
    skills: tuple[str, ...]
    majors: tuple[str, ...]
    days: int
    content: str  # what is taught
    outcome: str  # certificate or result


def _c(name: str, skills: str, majors: str, days: int, content: str, outcome: str) -> Course:
    return Course(name, tuple(skills.split(",")), tuple(majors.split(",")), days, content, outcome)


COURSES: tuple[Course, ...] = (
    _c(
        "Python数据分析",
        "Python,Pandas,SQL,数据可视化",
        "计算机类,统计学类,统计类",
        30,
        "Python基础语法、Pandas数据处理、SQL查询和可视化报表",
        "结业证书",
    ),
    _c(
        "Java Web开发",
        "Java,Spring Boot,MySQL,Vue",
        "计算机类",
        45,
        "Java核心语法、Spring Boot后端开发、MySQL数据库与前后端联调",
        "项目作品与结业证书",
    ),
    _c(
        "软件测试实战",
        "功能测试,接口测试,Postman,JMeter",
        "计算机类,电子信息类",
        30,
        "测试用例设计、接口测试和性能测试工具",
        "结业证书",
    ),
    _c(
        "网络与云计算运维",
        "Linux,路由交换,云计算,Docker",
        "计算机类,通信类",
        40,
        "Linux系统管理、网络设备配置和云平台运维",
        "华为HCIA认证辅导",
    ),
    _c(
        "电工证（低压电工作业）",
        "电工证,高低压配电,电气安全",
        "电气类,电力技术类,机电设备类",
        15,
        "低压电工理论、安全用电和实操考核",
        "特种作业操作证",
    ),
    _c(
        "工业机器人操作与运维",
        "工业机器人,PLC,传感器",
        "自动化类,机电设备类",
        30,
        "工业机器人示教编程、PLC控制和设备维护",
        "职业技能等级证书",
    ),
    _c(
        "数控车铣加工",
        "数控编程,CNC,机械制图",
        "机械设计制造类,机械类",
        30,
        "数控车床和加工中心编程操作、零件测量",
        "车工/铣工职业技能等级证书",
    ),
    _c(
        "CAD制图",
        "AutoCAD,机械制图,施工图识读",
        "机械类,土木类,建筑设计类,土建施工类",
        20,
        "AutoCAD二维绘图、机械与建筑图纸识读",
        "结业证书",
    ),
    _c(
        "BIM建模应用",
        "BIM,Revit,施工组织",
        "土木类,土建施工类,建设工程管理类",
        25,
        "Revit建模、碰撞检查和施工模拟",
        "BIM职业技能等级证书",
    ),
    _c(
        "工程造价实务",
        "广联达,工程量清单,工程计价",
        "建设工程管理类,管理科学与工程类",
        30,
        "广联达算量计价、清单编制和结算审核",
        "结业证书",
    ),
    _c(
        "汽车维修（新能源方向）",
        "新能源汽车维修,汽车故障诊断,汽车电路",
        "汽车制造类,道路运输类",
        40,
        "新能源汽车高压安全、三电系统检测与故障诊断",
        "汽车维修工职业技能等级证书",
    ),
    _c(
        "焊工",
        "焊接,安全生产",
        "机械设计制造类,机械类",
        30,
        "电焊、气保焊操作和焊接安全",
        "焊工职业技能等级证书",
    ),
    _c(
        "叉车司机",
        "叉车证,仓储管理",
        "物流类,物流管理与工程类",
        10,
        "叉车驾驶、货物装卸和安全规程",
        "特种设备作业人员证",
    ),
    _c(
        "跨境电商运营",
        "跨境电商平台,外贸单证,英语",
        "电子商务类,经济贸易类,经济与贸易类",
        30,
        "亚马逊等平台开店、选品、物流和跨境支付",
        "结业证书",
    ),
    _c(
        "直播电商",
        "直播运营,短视频剪辑,抖音",
        "电子商务类,新闻传播学类",
        20,
        "直播间搭建、话术设计、短视频拍摄和投流",
        "互联网营销师职业技能等级证书",
    ),
    _c(
        "新媒体运营",
        "新媒体运营,文案,剪映",
        "新闻传播学类,新闻出版类,电子商务类",
        20,
        "公众号与短视频账号运营、内容策划和数据分析",
        "结业证书",
    ),
    _c(
        "会计实务",
        "会计核算,用友,金蝶,纳税申报",
        "财务会计类,工商管理类",
        30,
        "真账实操、财务软件操作和纳税申报",
        "结业证书",
    ),
    _c(
        "育婴师",
        "婴幼儿照护,母婴护理",
        "公共服务类,护理类,教育类",
        20,
        "婴幼儿生活照料、早期发展和常见病护理",
        "育婴员职业技能等级证书",
    ),
    _c(
        "保育师",
        "幼儿教育,婴幼儿照护",
        "教育类,教育学类",
        20,
        "托育机构保育、膳食和安全管理",
        "保育师职业技能等级证书",
    ),
    _c(
        "养老护理员",
        "养老护理,健康照护,急救",
        "公共服务类,护理类,健康管理与促进类",
        20,
        "老年人生活照料、基础护理和康复服务",
        "养老护理员职业技能等级证书",
    ),
    _c(
        "健康管理师",
        "健康评估,健康管理师",
        "健康管理与促进类,公共管理类",
        25,
        "健康监测、风险评估和健康干预",
        "健康管理师职业技能等级证书",
    ),
    _c(
        "中式烹调师",
        "中式烹饪,川菜制作,食品安全",
        "餐饮类",
        30,
        "川菜基础技法、刀工和菜品制作",
        "中式烹调师职业技能等级证书",
    ),
    _c(
        "中式面点师",
        "面点,食品安全",
        "餐饮类",
        25,
        "面点制作、发酵工艺和食品卫生",
        "中式面点师职业技能等级证书",
    ),
    _c(
        "西式面点师",
        "面点,食品安全",
        "餐饮类,食品类",
        25,
        "蛋糕、面包和西点制作",
        "西式面点师职业技能等级证书",
    ),
    _c(
        "茶艺师",
        "茶艺,客户沟通",
        "旅游类,农业类",
        15,
        "茶叶知识、冲泡技艺和茶事服务",
        "茶艺师职业技能等级证书",
    ),
    _c(
        "美容美发",
        "医学美容,客户沟通",
        "医学技术类,工商管理类",
        30,
        "美发造型、皮肤护理和门店服务",
        "美发师职业技能等级证书",
    ),
    _c(
        "电子商务师",
        "淘宝,拼多多,数据分析",
        "电子商务类",
        25,
        "网店运营、推广和客户服务",
        "电子商务师职业技能等级证书",
    ),
    _c(
        "人工智能训练师",
        "数据标注,Python,机器学习",
        "计算机类",
        25,
        "数据采集标注、模型训练与测试",
        "人工智能训练师职业技能等级证书",
    ),
    _c(
        "无人机驾驶",
        "无人机航测,无人机植保",
        "测绘地理信息类,农业类,航空装备类",
        20,
        "多旋翼无人机操控、航测和植保作业",
        "无人机驾驶员职业技能等级证书",
    ),
    _c(
        "物流仓储管理",
        "仓储管理,WMS,库存管理",
        "物流类,物流管理与工程类",
        20,
        "仓库作业流程、WMS系统操作和库存控制",
        "结业证书",
    ),
    _c(
        "平面设计",
        "Photoshop,Illustrator,版式设计",
        "艺术设计类,设计学类",
        30,
        "图像处理、海报和包装设计",
        "结业证书",
    ),
    _c(
        "创业培训（SYB）",
        "创业计划,市场调研,财务分析",
        "工商管理类",
        10,
        "创业意识、创业计划书编写和小微企业经营",
        "创业培训合格证书",
    ),
)

_PROVIDER_FORMS = (
    "重庆市{b}职业培训学校",
    "重庆{b}职业技能培训学校有限公司",
    "重庆市{D}职业技能培训中心",
    "重庆{b}教育科技有限公司",
    "{school}继续教育学院",
    "重庆市{D}就业训练中心",
)
_FORMATS = (
    "本期培训{days}天，内容包括{content}。",
    "课程涵盖{content}，理论与实操相结合，共{days}天。",
    "面向高校毕业生和城乡劳动者开展{name}培训，重点讲授{content}。",
)
_AFTER = (
    "培训合格可取得{outcome}。",
    "结业后推荐就业。",
    "按规定享受职业培训补贴。",
    "符合条件的学员可申请生活费补贴。",
    "考核合格者颁发{outcome}。",
)


class TrainingFactory:
    def __init__(self, draw: Draw, geo: Geography, as_of: datetime.date) -> None:
        self.d = draw
        self.geo = geo
        self.as_of = as_of
        self.colleges = [s.name for s in SCHOOLS if s.level == "vocational"]

    def _provider(self, district: str) -> str:
        d = self.d
        brand = d.pick(BRAND_CHARS) + d.pick(BRAND_CHARS)
        return d.pick(_PROVIDER_FORMS).format(b=brand, D=district, school=d.pick(self.colleges))

    def make(self, index: int) -> dict[str, Any]:
        d = self.d
        course = COURSES[index % len(COURSES)] if index < len(COURSES) else d.pick(COURSES)
        district = self.geo.economic(d.random()).name
        start = self.as_of + datetime.timedelta(days=d.between(-30, 90))
        end = start + datetime.timedelta(days=course.days + d.between(0, 10))
        batch = d.between(1, 12)
        title = d.pick(
            (
                f"{course.name}培训班（第{batch}期）",
                f"{course.name}职业技能培训",
                f"{self.as_of.year}年{course.name}专项培训",
                f"{course.name}（补贴性培训）",
            )
        )
        fields = {
            "days": course.days,
            "content": course.content,
            "name": course.name,
            "outcome": course.outcome,
        }
        description = d.pick(_FORMATS).format(**fields) + "".join(
            p.format(**fields) for p in d.some(_AFTER, 1, 2)
        )
        fee = 0 if d.random() < 0.85 else 100 * d.between(3, 15)
        return {
            "id": f"t-{index + 1:05d}",
            "title": title,
            "provider": self._provider(district),
            "description": description,
            "skills": list(course.skills),
            "majors": list(course.majors),
            "location": {"city": "重庆", "district": district},
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "capacity": d.between(20, 60),
            "fee": fee,
            "subsidised": fee == 0 or d.random() < 0.5,
        }
