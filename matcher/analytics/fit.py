"""Hard-to-fill postings and hard-to-place graduates, judged by the engine itself.

A posting open for 30 days or more is hard to fill when no graduate the engine would propose
for it scores at or above the fit threshold; a seeking graduate is hard to place when no
posting the engine would recommend does. Judging every record would mean one engine query per
record, so a stratified random sample is judged (by kind for postings, by degree for
graduates; the whole population when it is no larger than the sample) and the counts are
estimated with a 95% interval. Each hard case gets its likely gaps: no seeker (or posting) of
the major class at all, none in the wanted districts, none at the required education, or the
skills the best match lacks."""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from matcher.analytics.labels import (
    ANY,
    NO_MAJOR,
    degree_label,
    district_key,
    district_label,
    major_class,
    posting_class,
)
from matcher.analytics.sampling import estimate, stratified_sample
from matcher.analytics.supply import Availability
from matcher.engine.match import Match
from matcher.engine.orchestrator import Matcher
from matcher.store import analytics as queries
from matcher.taxonomy.vocab import Degree, degree_rank, kind_label
from matcher.types import Month

#: A posting is "long open" when it has been open this many days at the month's end.
LONG_OPEN_DAYS = 30
MISSING_PREFIX = "缺少："
GAP_LABELS = {
    "major": "无对口专业",
    "region": "地域不符",
    "education": "学历不符",
    "skills": "技能缺口",
    "low_fit": "综合匹配度低",
    "no_candidate": "无可推荐对象",
}
SHOWN = 20
#: Candidates ranked per graduate when judging hard-to-place graduates. The recommendation
#: path retrieves only postings the graduate is eligible for, so the best of 100 is nearly
#: always the best of the engine's usual 300 (measured on 100,000 generated postings: median
#: best score 0.634 against 0.638) at a third of the ranking work. Postings keep the full pool:
#: their candidates are filtered after retrieval and a smaller pool would miss fits.
PLACE_POOL = 100


@dataclass(frozen=True)
class Probe:
    threshold: float
    sample: int
    seed: int = 0


def missing_skills(match: Match) -> list[str]:
    """The skills a match lacks, as listed in its ``missing`` notes (缺少：A、B)."""
    out: list[str] = []
    for note in match.missing:
        if note.startswith(MISSING_PREFIX):
            out += [s for s in note[len(MISSING_PREFIX) :].split("、") if s]
    return out


def _summary(cases: list[dict[str, Any]], judged: int) -> dict[str, Any]:
    gaps: Counter[str] = Counter(g for c in cases for g in c["gaps"])
    skills: Counter[str] = Counter(s for c in cases for s in c["missing_skills"])
    return {
        "gaps": [
            {"key": k, "label": GAP_LABELS[k], "cases": n, "share": round(n / len(cases), 3)}
            for k, n in gaps.most_common()
        ],
        "missing_skills": [{"skill": s, "cases": n} for s, n in skills.most_common(10)],
        "judged": judged,
    }


def _best(matches: list[Match]) -> Match | None:
    return matches[0] if matches else None


def hard_to_fill(
    matcher: Matcher, month: Month, probe: Probe, supply: Availability
) -> dict[str, Any]:
    store = matcher.store
    opened_by = month.last - timedelta(days=LONG_OPEN_DAYS)
    population = queries.long_open_postings(store, month, opened_by)
    drawn = stratified_sample(population, probe.sample, f"{month}:{probe.seed}:positions")
    ids = [i for _, chosen in drawn.values() for i in chosen]
    results = dict(zip(ids, matcher.candidates(ids, 1, today=month.last), strict=True))
    records = store.get_many("positions", ids)
    cases, strata = [], {}
    for stratum, (size, chosen) in drawn.items():
        hard = [i for i in chosen if _is_hard(results[i], probe.threshold)]
        strata[stratum] = (size, len(chosen), len(hard))
        for pid in hard:
            cases.append(_posting_case(records[pid], _best(results[pid]), supply, month))
    cases.sort(key=lambda c: (-c["days_open"], c["id"]))
    return {
        **estimate(strata),
        "by_kind": [
            {"key": k, "label": kind_label(k), "population": n, "judged": j, "hard": h}
            for k, (n, j, h) in strata.items()
        ],
        **_summary(cases, len(ids)),
        "cases": cases[:SHOWN],
    }


def _is_hard(matches: list[Match], threshold: float) -> bool:
    return not matches or matches[0].score < threshold


def _posting_case(
    record: dict[str, Any], best: Match | None, supply: Availability, month: Month
) -> dict[str, Any]:
    need = record.get("education_min")
    need_rank = degree_rank(Degree(need)) if need else -1
    asked = [(m, posting_class(m, need_rank if need else None)) for m in record.get("majors") or ()]
    classes = [found.name if found else m for m, found in asked] or list(supply.seekers)
    district = district_key((record.get("location") or {}).get("code"))

    def seekers(places: set[str] | None, min_rank: int) -> int:
        n = 0
        for name in classes:
            for place, by_degree in supply.seekers.get(name, {}).items():
                if places is None or place in places:
                    n += sum(v for d, v in by_degree.items() if d is None or d >= min_rank)
        return n

    gaps = []
    if seekers(None, -1) == 0:
        gaps.append("major")
    elif seekers({district, ANY}, -1) == 0:
        gaps.append("region")
    elif seekers({district, ANY}, need_rank) == 0:
        gaps.append("education")
    lacking = missing_skills(best) if best else []
    gaps += _match_gaps(best, lacking, gaps)
    posted = record.get("posted_at")
    return {
        "id": record["id"],
        "title": record.get("title", ""),
        "employer": (record.get("employer") or {}).get("name", ""),
        "kind": kind_label(record.get("kind", "full_time")),
        "district": district_label(district),
        "days_open": (month.last - date.fromisoformat(posted)).days if posted else None,
        "best_score": best.score if best else None,
        "gaps": gaps,
        "gap_labels": [GAP_LABELS[g] for g in gaps],
        "missing_skills": lacking,
    }


def _match_gaps(best: Match | None, lacking: list[str], found: list[str]) -> list[str]:
    if best is None:
        return [] if found else ["no_candidate"]
    if lacking:
        return ["skills"]
    return [] if found else ["low_fit"]


def hard_to_place(
    matcher: Matcher, month: Month, probe: Probe, supply: Availability
) -> dict[str, Any]:
    store = matcher.store
    population = queries.seekers_by_degree(store)
    drawn = stratified_sample(population, probe.sample, f"{month}:{probe.seed}:graduates")
    ids = [i for _, chosen in drawn.values() for i in chosen]
    engine = probe_matcher(matcher, min(PLACE_POOL, matcher.settings.candidate_pool))
    results = dict(zip(ids, engine.recommend(ids, 1, today=month.last), strict=True))
    records = store.get_many("graduates", ids)
    cases, strata = [], {}
    for stratum, (size, chosen) in drawn.items():
        hard = [i for i in chosen if _is_hard(results[i], probe.threshold)]
        strata[stratum] = (size, len(chosen), len(hard))
        for gid in hard:
            cases.append(_graduate_case(records[gid], _best(results[gid]), supply))
    cases.sort(key=lambda c: (c["best_score"] or 0.0, c["id"]))
    return {
        **estimate(strata),
        "by_degree": [
            {
                "key": k,
                "label": degree_label(int(k) if k.isdigit() else None),
                "population": n,
                "judged": j,
                "hard": h,
            }
            for k, (n, j, h) in strata.items()
        ],
        **_summary(cases, len(ids)),
        "cases": cases[:SHOWN],
    }


def _graduate_case(
    record: dict[str, Any], best: Match | None, supply: Availability
) -> dict[str, Any]:
    info = major_class(record.get("major_code"))
    wanted = {
        district_key(c)
        for c in (record.get("desired") or {}).get("region_codes") or ()
        if len(c) == 6
    }
    degree = record.get("degree")
    rank = degree_rank(Degree(degree)) if degree else 99
    names = [info.name] if info else []

    def postings(places: set[str] | None, max_rank: int) -> float:
        n = 0.0
        for name in [*names, NO_MAJOR]:
            for place, by_need in supply.postings.get(name, {}).items():
                if places is None or place in places:
                    n += sum(v for need, v in by_need.items() if need is None or need <= max_rank)
        return n

    gaps = []
    if names and not supply.postings.get(names[0]):
        gaps.append("major")
    elif wanted and postings(wanted, 99) == 0:
        gaps.append("region")
    elif postings(wanted or None, rank) == 0:
        gaps.append("education")
    lacking = missing_skills(best) if best else []
    gaps += _match_gaps(best, lacking, gaps)
    return {
        "id": record["id"],
        "major": record.get("major", ""),
        "degree": degree or "",
        "districts": "、".join(sorted(district_label(d) for d in wanted)) or "不限",
        "best_score": best.score if best else None,
        "gaps": gaps,
        "gap_labels": [GAP_LABELS[g] for g in gaps],
        "missing_skills": lacking,
    }


def probe_matcher(matcher: Matcher, pool: int) -> Matcher:
    """The same engine (same index, columns and store) ranking ``pool`` candidates per query."""
    probe = copy.copy(matcher)
    probe.settings = matcher.settings.replace(candidate_pool=pool)
    return probe
