"""Short Chinese reasons for a recommendation, from its features and the records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matcher.config import DEFAULT_RANK_WEIGHTS
from matcher.engine.features import Profile, contains, posting_body
from matcher.engine.match import Match
from matcher.engine.scoring import weight_vector
from matcher.taxonomy.regions import place_name
from matcher.taxonomy.vocab import KIND_LABELS, PositionKind


def reasons(
    profile: Profile,
    graduate: Mapping[str, Any],
    posting: Mapping[str, Any],
    features: Mapping[str, float],
    body: str | None = None,
    contributions: Mapping[str, float] | None = None,
) -> tuple[list[str], list[str]]:
    """2–4 reasons in Chinese, and what the graduate is missing (缺少: ...). Each reason stands
    for a feature; they come in the order of what each feature added to the ranking
    (``contributions``: the ranker's; by default the hand weights times the values), so the
    first reason is what moved the posting up most. ``body``: the posting's lower-case text
    when the caller has it (else it is made from the record)."""
    if body is None:
        body = posting_body(posting)[1]
    found: list[tuple[str, str]] = []  # (feature, reason)
    title = str(posting.get("title") or "").lower()
    wished = sorted(w for w in profile.wanted if contains(title, w) or contains(body, w))
    if (features.get("wish", 0) > 0 or features.get("wish_text", 0) > 0) and wished:
        found.append(("wish", "符合求职意向：" + "、".join(wished[:3])))
    named = [s for s in graduate.get("skills") or () if contains(title, s.lower())]
    if features.get("title", 0) >= 1 and (named or graduate.get("major")):
        found.append(("title", "岗位名称对口：" + ("、".join(named[:2]) or str(graduate["major"]))))
    if features.get("major", 0) >= 0.5 and graduate.get("major"):
        target = "、".join((posting.get("majors") or [])[:2]) or str(posting.get("title") or "")
        found.append(("major", f"专业对口：{graduate['major']} → {target}"))
    own = [s for s in graduate.get("skills") or () if contains(body, s.lower())]
    if own:
        found.append(("skills", "技能匹配：" + "、".join(own[:4])))
    place = place_name(posting.get("location"))
    if features.get("region", 0) >= 0.8 and place:
        found.append(("region", f"工作地点：{place}"))
    if features.get("education", 0) >= 0.8 and posting.get("education_min"):
        found.append(("education", f"学历满足：{posting['education_min']}"))
    if features.get("experience", 0) >= 1.0:
        found.append(("experience", "应届可投：无工作经验要求"))
    if features.get("semantic", 0) > 0:
        similar = f"内容相近：与你的专业、技能和经历相似（{features['semantic']:.2f}）"
        found.append(("semantic", similar))
    kind = KIND_LABELS[PositionKind(posting.get("kind", "full_time"))]
    found.append(("kind", f"岗位类型：{kind}"))
    added = contributions if contributions is not None else _weighted(features)
    found.sort(key=lambda pair: -added.get(pair[0], 0.0))  # stable: ties keep the order above
    wanted = [s for s in posting.get("skills") or () if s.lower() not in profile.skills]
    missing = [f"缺少：{'、'.join(wanted[:3])}"] if wanted else []
    return [reason for _, reason in found[:4]], missing


def _weighted(features: Mapping[str, float]) -> dict[str, float]:
    weights = weight_vector(DEFAULT_RANK_WEIGHTS)
    return {name: weights.get(name, 0.0) * value for name, value in features.items()}


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
