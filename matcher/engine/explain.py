"""Short Chinese reasons for a recommendation, from its features and the records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matcher.engine.features import Profile, contains, posting_body
from matcher.engine.match import Match
from matcher.taxonomy.regions import place_name
from matcher.taxonomy.vocab import KIND_LABELS, PositionKind


def reasons(
    profile: Profile,
    graduate: Mapping[str, Any],
    posting: Mapping[str, Any],
    features: Mapping[str, float],
    body: str | None = None,
) -> tuple[list[str], list[str]]:
    """2–4 reasons in Chinese, and what the graduate is missing (缺少: ...). ``body``: the
    posting's lower-case text when the caller has it (else it is made from the record)."""
    out: list[str] = []
    if body is None:
        body = posting_body(posting)[1]
    own = [s for s in graduate.get("skills") or () if contains(body, s.lower())]
    if features.get("major", 0) >= 0.5 and graduate.get("major"):
        target = "、".join((posting.get("majors") or [])[:2]) or str(posting.get("title") or "")
        out.append(f"专业对口：{graduate['major']} → {target}")
    if own:
        out.append("技能匹配：" + "、".join(own[:4]))
    place = place_name(posting.get("location"))
    if features.get("region", 0) >= 0.8 and place:
        out.append(f"工作地点：{place}")
    if features.get("education", 0) >= 0.8 and posting.get("education_min"):
        out.append(f"学历满足：{posting['education_min']}")
    if features.get("experience", 0) >= 1.0 and len(out) < 4:
        out.append("应届可投：无工作经验要求")
    if len(out) < 2:
        kind = KIND_LABELS[PositionKind(posting.get("kind", "full_time"))]
        out.append(f"岗位类型：{kind}")
    if len(out) < 2 and features.get("semantic", 0) > 0:
        out.append(f"内容相似度：{features['semantic']:.2f}")
    wanted = [s for s in posting.get("skills") or () if s.lower() not in profile.skills]
    missing = [f"缺少：{'、'.join(wanted[:3])}"] if wanted else []
    return out[:4], missing


RELAXED = "地点放宽：意向区县内符合条件的岗位不足，已扩大到周边地区"


def outside_wishes(matches: Sequence[Match]) -> None:
    """Say so on each match found outside the wished-for places, after those inside them:
    it is shown only because too few postings remained where the graduate wished."""
    for match in matches:
        match.reasons.append(RELAXED)


#: Said on every result for a profile with no major, no skills and no bio.
THIN_REASON = "资料不完整：仅按意向地点、岗位类型、学历和薪资排序，未参考专业与技能"
THIN_MISSING = "请补充：所学专业、技能证书或个人简介，推荐会更准确"


def thin_profile(match: Match) -> None:
    """Mark a result ranked only by what is known of a profile that says little."""
    match.partial = True
    match.reasons.insert(0, THIN_REASON)
    match.missing.append(THIN_MISSING)
