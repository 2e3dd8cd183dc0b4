"""The embedded demo: generate a Chongqing data set once, ingest it into an empty store, and
keep its API keys so that running it again serves the same data with the same keys."""

from __future__ import annotations

import json
import socket
from datetime import date
from pathlib import Path

from matcher.access import Role, Unauthenticated
from matcher.config import Settings
from matcher.credentials import parse_key, secret_matches
from matcher.ingest.files import IngestReport, ingest_folder
from matcher.records.prepare import Entity
from matcher.store import Store
from matcher.store.filters import Where
from matcher.store.keys import ApiKeys

DEMO_SEED = 20220801


def demo_dir(settings: Settings) -> Path:
    return settings.data_dir / "demo"


def ensure_demo_files(settings: Settings, scale: int, today: date | None = None) -> Path:
    """Generate the demo files unless a set of the same scale is already there."""
    from matcher.datasets import generate

    folder = demo_dir(settings)
    marker = folder / "demo.json"
    if marker.is_file() and json.loads(marker.read_text()).get("scale") == scale:
        return folder
    as_of = today or date.today()
    generate(folder, scale=scale, seed=DEMO_SEED, graduates=max(scale // 2, 100), as_of=as_of)
    marker.write_text(json.dumps({"scale": scale, "seed": DEMO_SEED, "as_of": as_of.isoformat()}))
    return folder


def load_demo(settings: Settings, scale: int) -> list[IngestReport]:
    folder = ensure_demo_files(settings, scale)
    store = Store.open(settings)
    try:
        reports = ingest_folder(store, folder, batch_size=settings.batch_size)
        register_demo_partners(store, folder)
        return reports
    finally:
        store.close()


def register_demo_partners(store: Store, folder: Path) -> None:
    """One partner of each kind in the bureau's registry: two universities (real school
    codes), the first generated employer, an agency it authorised to post for it and the
    provider of the first course (generated credit codes)."""
    import random
    from datetime import timedelta

    from matcher.store.authorisations import Authorisations, today
    from matcher.store.filters import graduate_filters, training_filters
    from matcher.store.partners import Partners
    from matcher.taxonomy import credit_code

    rng = random.Random(DEMO_SEED)
    employer = json.loads((folder / "employers.jsonl").open(encoding="utf-8").readline())
    course = json.loads((folder / "trainings.jsonl").open(encoding="utf-8").readline())
    partners = [
        ("university", "重庆大学", "10611", "500106"),
        ("university", "西南大学", "10635", "500109"),
        ("employer", employer["name"], employer["credit_code"], credit_code_area(employer)),
        ("agency", "重庆渝才人力资源服务有限公司", credit_code.make(rng, "500112"), "500112"),
        ("training", course["provider"], credit_code.make(rng, "500103"), "500103"),
    ]
    registry = Partners(store)
    for kind, name, code, district in partners:
        given = {"kind": kind, "name": name, "code": code, "districts": [district]}
        added = registry.add(given | {"contact": "演示数据"}, "demo")
        if kind == "university":  # the university supplies its own graduates' records
            _supplied_by(store, "graduates", graduate_filters(school=name), added["id"])
        if kind == "training":  # the institution publishes its own courses
            _supplied_by(store, "trainings", training_filters(provider=name), added["id"])
        if kind == "agency":  # the employer lets the agency post for it for a year
            until = today() + timedelta(days=365)
            Authorisations(store).grant(added["id"], employer["credit_code"], until, "demo")


def _supplied_by(store: Store, entity: Entity, where: Where, partner_id: str) -> None:
    from matcher.records.prepare import prepare
    from matcher.store.rows import exchange

    after = None
    while True:
        found, after = store.list(entity, where=where, after=after)
        batch = [prepare(entity, exchange(r) | {"partner": partner_id}) for r in found]
        store.upsert(entity, batch, source=f"partner:{partner_id}")
        if after is None:
            return


def credit_code_area(employer: dict[str, str]) -> str:
    """The division where an employer was registered (characters 3-8 of its credit code)."""
    return str(employer["credit_code"])[2:8]


def is_loaded(store: Store) -> bool:
    """Whether the store already holds postings or graduates (the demo is then never loaded
    again over live state: plans, offers and statuses stay as they are)."""
    return bool(store.count("positions") or store.count("graduates"))


def demo_keys(store: Store, settings: Settings, adviser: str | None) -> dict[str, str]:
    """The demo's admin key and (when there is an adviser) the adviser's key: the ones saved
    by an earlier run when they still work, new ones otherwise. Saved under the data folder,
    readable by this user only."""
    path = demo_dir(settings) / "keys.json"
    saved: dict[str, str] = json.loads(path.read_text()) if path.is_file() else {}
    keys = ApiKeys(store)
    wanted: dict[str, tuple[Role, dict[str, str]]] = {"admin": (Role.ADMIN, {})}
    if adviser:
        wanted["adviser"] = (Role.ADVISER, {"adviser": adviser})
    out: dict[str, str] = {}
    for name, (role, scope) in wanted.items():
        key = saved.get(name)
        if key and _usable(keys, key, role, scope):
            out[name] = key
        else:
            out[name] = keys.issue(role.value, scope, f"demo {name}")[1]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out))
    path.chmod(0o600)
    return out


def _usable(keys: ApiKeys, key: str, role: Role, scope: dict[str, str]) -> bool:
    try:
        key_id, secret = parse_key(key)
    except Unauthenticated:
        return False
    row = keys.get(key_id)
    return bool(
        row
        and row["revoked_at"] is None
        and row["role"] == role.value
        and dict(row["scope"] or {}) == scope
        and secret_matches(secret, row["secret_hash"])
    )


def port_in_use(host: str, port: int) -> bool:
    """Whether something already listens on ``host:port`` (checked before loading anything)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host if host not in ("0.0.0.0", "") else "127.0.0.1", port)) == 0
