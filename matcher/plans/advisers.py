"""Who is responsible for whom: graduates in a support group who have no adviser are given the
adviser of their district — ``a-<division code>`` of where they live, else of the first place
they want to work, else the city team ``a-<home province>``. The demo uses this so that an
adviser key (``--scope adviser=a-500112``) has a caseload."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from matcher.records.prepare import prepare
from matcher.store import Store
from matcher.store.campaigns import segment_ids
from matcher.store.rows import exchange


def adviser_for(graduate: Mapping[str, Any], home_province: str) -> str:
    home = str(graduate.get("district_code") or "")
    wished = [str(c) for c in (graduate.get("desired") or {}).get("region_codes") or ()]
    for code in [home, *wished]:
        if len(code) >= 6:
            return f"a-{code[:6]}"
    return f"a-{home_province}"


def service_desk(adviser_id: str) -> dict[str, str]:
    """Contact details for a district adviser ``a-<code>`` that has none registered: the
    district's public employment service desk and the national hotline 12333."""
    from matcher.taxonomy.regions import load_regions

    code = adviser_id.removeprefix("a-")
    region = load_regions().try_resolve(code) if code.isdigit() else None
    place = region.name if region else "重庆市"
    return {
        "name": f"{place}就业服务窗口",
        "phone": "12333",
        "office": f"{place}公共就业和人才服务中心",
        "hours": "工作日 9:00–12:00，14:00–17:30",
    }


def assign_advisers(store: Store, home_province: str = "50") -> Counter[str]:
    """Give every support-group graduate without an adviser the adviser of their district;
    returns how many graduates each adviser received."""
    ids = segment_ids(store, needs_support=True, statuses=())
    records = store.get_many("graduates", ids)
    given: Counter[str] = Counter()
    batch = []
    for gid in ids:
        record = exchange(records[gid])
        if record.get("adviser"):
            continue
        adviser = adviser_for(record, home_province)
        batch.append(prepare("graduates", {**record, "adviser": adviser}))
        given[adviser] += 1
    for start in range(0, len(batch), 1000):
        store.upsert("graduates", batch[start : start + 1000])
    return given
