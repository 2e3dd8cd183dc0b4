"""Candidates for each item of a plan: postings and traineeships from the engine, training
courses scored by the skills the graduate lacks for their best postings, and the adviser's
next free guidance slot."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from matcher.engine.features import expand_skills
from matcher.taxonomy.majors import load_majors

if TYPE_CHECKING:
    from matcher.engine.orchestrator import Matcher

#: Guidance sessions start at these local times on working days.
SLOT_TIMES = (time(9), time(10), time(11), time(14), time(15), time(16))
#: A course that started up to this many days ago can still be joined.
LATE_JOIN_DAYS = 7
DEFAULT_COURSE_PLACES = 30


@dataclass(frozen=True)
class Candidate:
    """One thing a plan item could hold, with its score and reasons (Chinese)."""

    ref_id: str
    score: float
    reasons: list[str]
    title: str = ""
    subtitle: str = ""
    place: str = ""


def postings(
    matcher: Matcher,
    graduate_ids: Sequence[str],
    kinds: Sequence[str],
    k: int,
    excluded: Mapping[str, set[str]],
    today: date | None = None,
) -> dict[str, list[Candidate]]:
    """The best ``k`` postings of ``kinds`` for each graduate, leaving out excluded ones; a
    graduate whose wished-for places leave fewer than ``k`` is searched again city-wide."""
    if not graduate_ids:
        return {}
    wide = (matcher.settings.home_province,)
    out: dict[str, list[Candidate]] = {}
    pad = max((len(excluded.get(g, ())) for g in graduate_ids), default=0)
    found = matcher.recommend(list(graduate_ids), k + pad, kinds=kinds, today=today)
    short = []
    for gid, matches in zip(graduate_ids, found, strict=True):
        out[gid] = [_of(m) for m in matches if m.id not in excluded.get(gid, set())][:k]
        if len(out[gid]) < k:
            short.append(gid)
    if short:
        again = matcher.recommend(short, k + pad, kinds=kinds, places=wide, today=today)
        for gid, matches in zip(short, again, strict=True):
            have = {c.ref_id for c in out[gid]}
            for m in matches:
                if m.id not in have and m.id not in excluded.get(gid, set()):
                    out[gid].append(_of(m, "地点放宽：意向区县内岗位不足，已扩大到全市"))
                    have.add(m.id)
            out[gid] = out[gid][:k]
    return out


def _of(match: Any, extra: str = "") -> Candidate:
    reasons = list(match.reasons) + list(match.missing) + ([extra] if extra else [])
    return Candidate(
        match.id, float(match.score), reasons, match.title, match.subtitle, match.place
    )


def skill_gaps(
    graduate: Mapping[str, Any], best: Iterable[tuple[Mapping[str, Any], float]]
) -> dict[str, float]:
    """Skills the graduate lacks, weighted by the scores of the postings that ask for them."""
    have = expand_skills(graduate.get("skills") or ())
    gaps: dict[str, float] = {}
    for posting, score in best:
        for skill in posting.get("skills") or ():
            low = str(skill).strip().lower()
            if low and low not in have:
                gaps[low] = gaps.get(low, 0.0) + max(score, 0.1)
    return gaps


def _major_class(graduate: Mapping[str, Any]) -> str:
    found = load_majors().lookup(str(graduate.get("major") or ""))
    return found.major_class.name if found else ""


def courses(
    graduate: Mapping[str, Any],
    gaps: Mapping[str, float],
    catalogue: Sequence[Mapping[str, Any]],
    today: date,
    k: int,
) -> list[Candidate]:
    """The ``k`` courses that best fill the graduate's skill gaps (then their major's class,
    then free or subsidised, then nearby), among courses still open to join."""
    klass = _major_class(graduate)
    wished = tuple((graduate.get("desired") or {}).get("region_codes") or ())
    total_gap = sum(gaps.values()) or 1.0
    scored: list[Candidate] = []
    for course in catalogue:
        if not _joinable(course, today):
            continue
        taught = [str(s) for s in course.get("skills") or ()]
        filled = [s for s in taught if _fills(s.lower(), gaps)]
        gain = sum(max(w for g, w in gaps.items() if _same(s.lower(), g)) for s in filled)
        score = 2.0 * gain / total_gap
        reasons = []
        if filled:
            reasons.append("补齐技能：" + "、".join(filled[:4]) + "（推荐岗位要求）")
        if klass and klass in (course.get("majors") or ()):
            score += 0.5
            reasons.append(f"专业相关：{klass}")
        if not filled and not (klass and klass in (course.get("majors") or ())):
            continue
        fee = course.get("fee")
        if not fee or course.get("subsidised"):
            score += 0.2
            reasons.append("免费培训" if not fee else "补贴性培训")
        code = str((course.get("location") or {}).get("code") or "")
        place = str((course.get("location") or {}).get("district") or "")
        if wished and any(code.startswith(w) for w in wished):
            score += 0.1
        when = course.get("start_date")
        reasons.append(f"开课：{when or '随到随学'}" + (f"，{place}" if place else ""))
        scored.append(
            Candidate(
                str(course["id"]),
                round(score, 4),
                reasons,
                str(course.get("title") or ""),
                str(course.get("provider") or ""),
                place,
            )
        )
    scored.sort(key=lambda c: (-c.score, c.ref_id))
    return scored[:k]


def _same(a: str, b: str) -> bool:
    return a == b or (len(a) >= 2 and a in b) or (len(b) >= 2 and b in a)


def _fills(skill: str, gaps: Mapping[str, float]) -> bool:
    return any(_same(skill, g) for g in gaps)


def _joinable(course: Mapping[str, Any], today: date) -> bool:
    start, end = course.get("start_date"), course.get("end_date")
    if end and date.fromisoformat(str(end)) < today:
        return False
    return not (start and date.fromisoformat(str(start)) < today - timedelta(LATE_JOIN_DAYS))


def course_places(course: Mapping[str, Any]) -> int:
    places = course.get("capacity")
    return int(places) if places else DEFAULT_COURSE_PLACES


def next_slot(booked: set[datetime], after: datetime, timezone: str) -> datetime:
    """The first free guidance slot (working days, :data:`SLOT_TIMES` local) on a day after
    ``after``; returned in UTC."""
    zone = ZoneInfo(timezone)
    day = after.astimezone(zone).date() + timedelta(days=1)
    for _ in range(366):
        if day.weekday() < 5:
            for at in SLOT_TIMES:
                slot = datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
                if slot not in booked:
                    return slot
        day += timedelta(days=1)
    raise RuntimeError("no free guidance slot in the coming year")
