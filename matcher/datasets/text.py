"""Compose posting titles and descriptions that read like real Chinese job ads: shuffled duty,
requirement and benefit sentences in one of several layouts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from matcher.datasets import phrases as P
from matcher.datasets.family import Family
from matcher.datasets.plants import Plant
from matcher.datasets.sampling import Draw


def _dot(i: int) -> str:
    return f"{i}. "


def _comma(i: int) -> str:
    return f"{i}、"


def _paren(i: int) -> str:
    return f"（{i}）"


def _circled(i: int) -> str:
    return "①②③④⑤⑥⑦⑧⑨⑩"[i - 1] if i <= 10 else f"{i}."


_NUMBERINGS: tuple[Callable[[int], str], ...] = (_dot, _comma, _paren, _circled)


@dataclass(slots=True)
class Ad:
    """What a description is built from (all already chosen by the caller)."""

    family: Family
    kind: str
    title: str
    base_title: str
    employer: str
    industry: str
    district: str  # district or zone name as shown in the ad
    town: str
    edu: str | None
    majors: list[str]
    skills: list[str]
    experience: int
    headcount: int
    salary_text: str
    plant: Plant | None = None


class Composer:
    def __init__(self, draw: Draw, year: int) -> None:
        self.d = draw
        self.year = year

    # ---- titles -------------------------------------------------------------------------
    def title(self, base: str, kind: str, district_short: str) -> str:
        """``base`` (one of a family's titles) as written in an ad of ``kind``."""
        d = self.d
        forms = P.TITLE_FORMS[kind]
        plain = {"full_time": 0.5, "traineeship": 0.1, "internship": 0.1}.get(kind, 0.5)
        if d.random() < plain:
            return base
        form = d.pick(forms)
        if form.startswith(("应届生", "储备", "初级")) and base.startswith(("初级", "储备")):
            return base
        return form.format(t=base, year=self.year, district=district_short, n=d.between(1, 5))

    # ---- descriptions -------------------------------------------------------------------
    def description(self, ad: Ad) -> str:
        d = self.d
        duties = d.some(ad.family.duties, 3, 5)
        reqs = self._requirements(ad)
        benefits = self._benefits(ad)
        plant = ad.plant
        if plant is not None:
            target = reqs if plant.slot == "req" else benefits
            target.insert(d.between(0, len(target)), plant.phrase)
        fields = {
            "emp": ad.employer,
            "title": ad.base_title,
            "n": ad.headcount,
            "year": self.year,
            "district": ad.district,
            "industry": ad.industry,
            "months": d.pick((3, 6, 6, 12)),
            "name": ad.family.name,
            "town": ad.town,
        }
        intro = ""
        if d.random() < (0.45 if ad.kind == "full_time" else 0.8):
            intro = d.pick(P.INTROS["company" if ad.kind == "full_time" else ad.kind])
            intro = intro.format(**fields)
        closing = d.pick(P.CLOSINGS).format(**fields) if d.random() < 0.3 else ""
        pay = ad.salary_text
        layout = int(d.random() * 6)
        if layout == 0:
            body = self._sections(duties, reqs, benefits, pay, brackets=False)
        elif layout == 1:
            body = self._sections(duties, reqs, benefits, pay, brackets=True)
        elif layout == 2:
            body = self._paragraph(duties, reqs, benefits, pay)
        elif layout == 3:
            body = self._dashes(duties, reqs, benefits, pay)
        elif layout == 4:
            body = self._merged(duties, reqs, benefits, pay)
        else:
            body = self._official(duties, reqs, benefits, pay)
        parts = [p for p in (intro, body, closing) if p]
        return "\n".join(parts)

    def _requirements(self, ad: Ad) -> list[str]:
        d = self.d
        majors = "、".join(
            ad.majors if d.random() < 0.4 else [m.removesuffix("类") for m in ad.majors]
        )
        out: list[str] = []
        if ad.kind in P.KIND_REQS and d.random() < 0.7:
            out.append(d.pick(P.KIND_REQS[ad.kind]).format(year=self.year))
        pool = P.EDU_REQS if ad.edu else P.NO_EDU_REQS
        out.append(d.pick(pool).format(edu=ad.edu, majors=majors, year=self.year))
        k = min(len(ad.skills), d.between(2, 3))
        out.append(d.pick(P.SKILL_REQS).format(skills="、".join(ad.skills[:k])))
        if ad.experience:
            out.append(d.pick(P.EXP_REQS).format(exp=ad.experience, name=ad.family.name))
        elif ad.kind == "full_time" and d.random() < 0.25:
            out.append(d.pick(P.FRESH_REQS).format(year=self.year))
        out.extend(d.some(ad.family.requirements, 1, 3))
        if d.random() < 0.7:
            out.append(d.pick(P.SOFT_REQS))
        return out

    def _benefits(self, ad: Ad) -> list[str]:
        d = self.d
        if ad.kind == "full_time":
            out = d.some(P.BENEFITS["company"], 3, 6)
            if "五险一金" not in out and d.random() < 0.6:
                out.insert(0, "五险一金")
            return out
        return d.some(P.BENEFITS[ad.kind], 2, 4)

    def _numbered(self, items: list[str], end: str = "；", last: str = "。") -> str:
        num = _NUMBERINGS[int(self.d.random() * len(_NUMBERINGS))]
        n = len(items)
        return "\n".join(
            f"{num(i + 1)}{s}{last if i == n - 1 else end}" for i, s in enumerate(items)
        )

    def _sections(
        self, duties: list[str], reqs: list[str], benefits: list[str], pay: str, *, brackets: bool
    ) -> str:
        d = self.d
        heads = (d.pick(P.DUTY_HEADS), d.pick(P.REQ_HEADS), d.pick(P.BENEFIT_HEADS))
        h = [f"【{x}】" if brackets else f"{x}：" for x in heads]
        sep = "、" if d.random() < 0.6 else "，"
        perks = f"{pay}，{sep.join(benefits)}" if d.random() < 0.6 else sep.join(benefits)
        return (
            f"{h[0]}\n{self._numbered(duties)}\n{h[1]}\n{self._numbered(reqs)}\n{h[2]}\n{perks}。"
        )

    def _paragraph(self, duties: list[str], reqs: list[str], benefits: list[str], pay: str) -> str:
        d = self.d
        lead = d.pick(("主要负责", "岗位主要工作包括：", "你将负责", "工作内容："))
        ask = d.pick(("任职要求：", "我们希望你：", "要求", "应聘者需"))
        give = d.pick(("公司提供", "待遇：", "我们为你提供", "福利包括"))
        return (
            f"{lead}{'；'.join(duties)}。{ask}{'；'.join(reqs)}。"
            f"{give}{'、'.join(benefits)}，{pay}。"
        )

    def _dashes(self, duties: list[str], reqs: list[str], benefits: list[str], pay: str) -> str:
        d = self.d
        mark = d.pick(("- ", "· ", "• "))
        head = d.pick(P.DUTY_HEADS)
        req_head = d.pick(P.REQ_HEADS)
        lines = [f"{head}："] + [mark + s for s in duties] + [f"{req_head}："]
        lines += [mark + s for s in reqs]
        lines.append(f"{d.pick(P.BENEFIT_HEADS)}：{pay} / " + " / ".join(benefits))
        return "\n".join(lines)

    def _merged(self, duties: list[str], reqs: list[str], benefits: list[str], pay: str) -> str:
        return (
            f"职位描述：\n{self._numbered(duties + reqs)}\n薪资待遇：{pay}，{'，'.join(benefits)}。"
        )

    def _official(self, duties: list[str], reqs: list[str], benefits: list[str], pay: str) -> str:
        d = self.d
        return (
            f"一、{d.pick(P.DUTY_HEADS)}\n{self._numbered(duties)}\n"
            f"二、{d.pick(P.REQ_HEADS)}\n{self._numbered(reqs)}\n"
            f"三、{d.pick(P.BENEFIT_HEADS)}\n{pay}；{'；'.join(benefits)}。"
        )
