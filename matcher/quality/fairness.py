"""Fairness report for the current pool: who the engine's top-k recommendations expose.

For a fixed-seed sample of graduates seeking work, the engine's batch ``recommend`` is run and
each recommended slot is weighted by its rank (1 / log2(rank + 1)). Exposure is then shared out
by employer size and by the posting's district and compared with that group's share of the
recommendable pool (a ratio near 1 means exposure in proportion to supply). Graduates in a
support group (脱贫家庭, 低保, 零就业家庭, disabled, long-term unemployed) are compared with the
rest: mean score, number of results and number of eligible postings. Support flags are never
inputs of ranking (see :data:`FORBIDDEN_INPUTS`); this report checks the outcome."""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np

from matcher.engine.filters import Eligibility
from matcher.engine.match import Match
from matcher.engine.orchestrator import Matcher
from matcher.engine.rankers import ranker_version
from matcher.errors import TaxonomyError
from matcher.store.aggregates import recommendable_pool, seeking_graduate_ids
from matcher.taxonomy.regions import load_regions
from matcher.taxonomy.vocab import SupportFlag

#: Graduate fields no ranking feature may read: support flags, identity, where a graduate
#: comes from or studied (proxies of hukou, ethnicity, family background) and the protected
#: traits themselves. ``tests/quality/test_fairness.py`` enforces this on the feature code.
FORBIDDEN_INPUTS = frozenset(
    {
        "support",
        "needs_support",
        "name",
        "school",
        "district",
        "district_code",
        "id",
        "gender",
        "sex",
        "age",
        "birth_date",
        "ethnicity",
        "nation",
        "religion",
        "marital_status",
        "hukou",
        "health",
        "height",
        "photo",
    }
)
SIZE_BUCKETS = ("小微企业(<50人)", "中型企业(50-499人)", "大型企业(≥500人)", "规模未知")
_NUMBER = re.compile(r"\d+")
BATCH = 200


def size_bucket(size: str | None) -> str:
    """Bucket of an employer size as job sites write it (``20-49人``, ``少于50人``,
    ``10000人以上``)."""
    if not size:
        return SIZE_BUCKETS[3]
    numbers = [int(n) for n in _NUMBER.findall(size)]
    if not numbers:
        return SIZE_BUCKETS[3]
    low = 0 if any(w in size for w in ("少于", "以下", "不足", "<")) else numbers[0]
    return SIZE_BUCKETS[0] if low < 50 else SIZE_BUCKETS[1] if low < 500 else SIZE_BUCKETS[2]


def _district(code: str) -> str:
    if not code:
        return "未知"
    try:
        return load_regions().get(code[:6] if len(code) >= 6 else code).name
    except TaxonomyError:
        return code


def _mean(values: Sequence[float]) -> float | None:
    return round(float(np.mean(values)), 4) if values else None


def _groups(graduate: Mapping[str, Any]) -> list[str]:
    flags = list(graduate.get("support") or ())
    return (["support_any", *flags]) if flags else ["no_support"]


def sample_graduates(matcher: Matcher, sample: int, seed: int) -> list[str]:
    """Ids of up to ``sample`` graduates seeking work, drawn with a fixed seed."""
    if sample < 1:
        raise ValueError(f"sample must be at least 1, got {sample}")
    ids = seeking_graduate_ids(matcher.store)
    if len(ids) <= sample:
        return ids
    return sorted(random.Random(seed).sample(ids, sample))


def fairness_report(
    matcher: Matcher,
    *,
    sample: int = 500,
    seed: int = 0,
    k: int = 10,
    today: date | None = None,
) -> dict[str, Any]:
    """The report as a JSON-ready dict (see the module docstring)."""
    today = today or date.today()
    ids = sample_graduates(matcher, sample, seed)
    graduates = matcher.store.get_many("graduates", ids)
    reached = matcher.store.already_reached(ids)
    stats: dict[str, dict[str, list[float]]] = {}
    exposure_size: defaultdict[str, float] = defaultdict(float)
    exposure_district: defaultdict[str, float] = defaultdict(float)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        results = matcher.recommend(chunk, k, today=today)
        postings = matcher.store.get_many("positions", {m.id for r in results for m in r})
        employers = matcher.store.get_many(
            "employers", {str(p.get("employer_id")) for p in postings.values()}
        )
        for gid, matches in zip(chunk, results, strict=True):
            graduate = graduates[gid]
            excluded = matcher.positions.slots_of(sorted(reached[gid])).tolist()
            rule = Eligibility.for_graduate(graduate, today=today, excluded=excluded)
            eligible = float(rule.mask(matcher.columns).sum())
            for group in _groups(graduate):
                _record(stats.setdefault(group, {}), matches, eligible)
            for rank, match in enumerate(matches, start=1):
                weight = 1.0 / math.log2(rank + 1)
                posting = postings.get(match.id) or {}
                employer = employers.get(str(posting.get("employer_id"))) or {}
                exposure_size[size_bucket(employer.get("size"))] += weight
                code = str((posting.get("location") or {}).get("code") or "")
                exposure_district[code[:6]] += weight
    pool = recommendable_pool(matcher.store, today)
    pool_size: Counter[str] = Counter()
    for text, n in pool.by_employer_size.items():
        pool_size[size_bucket(text)] += n
    pool_district: Counter[str] = Counter()
    for code, n in pool.by_region.items():
        pool_district[code[:6]] += n
    return {
        "ranker": ranker_version(matcher.settings),
        "sample": len(ids),
        "seed": seed,
        "k": k,
        "as_of": today.isoformat(),
        "pool_postings": pool.total,
        "graduates": _graduate_summary(stats),
        "employer_size": _shares(exposure_size, pool_size, list(SIZE_BUCKETS)),
        "district": _shares(exposure_district, pool_district, None, label=_district),
    }


def fairness_by_ranker(matcher: Matcher, **report: Any) -> dict[str, dict[str, Any]]:
    """The report under each ranker (``learned`` and ``weights``) on the same sample, to compare
    the exposure each gives (the matcher's settings are restored afterwards)."""
    configured = matcher.settings
    try:
        out = {}
        for choice in ("learned", "weights"):
            matcher.settings = configured.replace(ranker=choice)
            out[choice] = fairness_report(matcher, **report)
        return out
    finally:
        matcher.settings = configured


def _record(into: dict[str, list[float]], matches: list[Match], eligible: float) -> None:
    into.setdefault("eligible", []).append(eligible)
    into.setdefault("results", []).append(float(len(matches)))
    into.setdefault("none", []).append(0.0 if matches else 1.0)
    if matches:
        into.setdefault("top1", []).append(matches[0].score)
        into.setdefault("mean", []).append(float(np.mean([m.score for m in matches])))


def _graduate_summary(stats: dict[str, dict[str, list[float]]]) -> dict[str, Any]:
    order = ["no_support", "support_any", *(f.value for f in SupportFlag)]
    out: dict[str, Any] = {}
    for group in order:
        s = stats.get(group)
        if not s:
            continue
        out[group] = {
            "graduates": len(s["eligible"]),
            "mean_eligible_postings": _mean(s["eligible"]),
            "mean_results": _mean(s["results"]),
            "share_without_results": _mean(s["none"]),
            "mean_top1_score": _mean(s.get("top1", [])),
            "mean_score": _mean(s.get("mean", [])),
        }
    rest, support = out.get("no_support"), out.get("support_any")
    if rest and support:
        out["gap_support_minus_rest"] = {
            key: round(support[key] - rest[key], 4)
            for key in ("mean_eligible_postings", "mean_score", "mean_top1_score")
            if support[key] is not None and rest[key] is not None
        }
    return out


def _shares(
    exposure: Mapping[str, float],
    pool: Mapping[str, int],
    keys: list[str] | None,
    label: Any = None,
) -> list[dict[str, Any]]:
    total_exposure = sum(exposure.values()) or 1.0
    total_pool = sum(pool.values()) or 1
    names = keys or sorted(set(exposure) | set(pool), key=lambda x: (-pool.get(x, 0), x))
    rows = []
    for key in names:
        exposed = exposure.get(key, 0.0) / total_exposure
        share = pool.get(key, 0) / total_pool
        row = {
            "group": label(key) if label else key,
            "pool_postings": pool.get(key, 0),
            "pool_share": round(share, 4),
            "exposure_share": round(exposed, 4),
            "ratio": round(exposed / share, 3) if share else None,
        }
        if label:
            row["code"] = key
        rows.append(row)
    return rows


def render_fairness(report: Mapping[str, Any], max_rows: int = 15) -> str:
    """The report as readable text."""
    lines = [
        f"fairness of top-{report['k']} recommendations — {report['sample']} graduates seeking "
        f"work (seed {report['seed']}), {report['pool_postings']:,} recommendable postings, "
        f"as of {report['as_of']}",
        "",
        "graduates            n   eligible  results  none   top1   mean score",
    ]
    for group, s in report["graduates"].items():
        if group.startswith("gap"):
            continue
        lines.append(
            f"{group:18s} {s['graduates']:>4}  {_num(s['mean_eligible_postings'], 9, 1)}"
            f"  {_num(s['mean_results'], 6, 1)}  {_num(s['share_without_results'], 4, 2)}"
            f"  {_num(s['mean_top1_score'], 5, 3)}  {_num(s['mean_score'], 6, 3)}"
        )
    gap = report["graduates"].get("gap_support_minus_rest")
    if gap:
        lines.append("support − rest: " + ", ".join(f"{k} {v:+.4f}" for k, v in gap.items()))
    for title, key in (("employer size", "employer_size"), ("district", "district")):
        lines += ["", f"{_pad(title, 22)} pool share  exposure share  ratio"]
        for row in report[key][:max_rows]:
            ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}"
            lines.append(
                f"{_pad(row['group'], 22)} {row['pool_share']:>10.3f}  "
                f"{row['exposure_share']:>14.3f}  {ratio:>5}"
            )
        if len(report[key]) > max_rows:
            lines.append(f"... {len(report[key]) - max_rows} more (see --json)")
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns (CJK characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def _num(value: float | None, width: int, digits: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.{digits}f}"
