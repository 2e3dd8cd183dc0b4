"""The one place where defaults live. Every setting can be overridden by a ``MATCHER_*``
environment variable (``MATCHER_DATABASE_URL``, ``MATCHER_DATA_DIR``...)."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

_PREFIX = "MATCHER_"

#: Weights of the default (transparent) ranking score; override with MATCHER_RANK_WEIGHTS as a
#: JSON object, e.g. {"semantic": 2.0, "salary": 0}.
DEFAULT_RANK_WEIGHTS: dict[str, float] = {
    "semantic": 3.0,
    "title": 1.0,
    "experience": 1.0,
    "wish": 0.3,
    "wish_text": 0.1,
    "avoid": -0.5,
    "skills": 0.5,
    "lexical": 0.5,
    "kind": 0.5,
    "major": 0.3,
    "education": 0.3,
    "region": 0.3,
    "salary": 0.2,
    "freshness": 0.2,
}


def _default_data_dir() -> Path:
    return Path("var")


@dataclass(frozen=True)
class Settings:
    """Runtime configuration. Build it with :meth:`from_env`; pass it down explicitly."""

    data_dir: Path = field(default_factory=_default_data_dir)
    database_url: str = ""
    index_dir: Path | None = None
    encoder: str = "default"
    home_province: str = "50"
    batch_size: int = 1000
    auto_migrate: bool = True
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    page_size_max: int = 500
    rank_weights: str = ""  # JSON object overriding DEFAULT_RANK_WEIGHTS
    ranker: str = "learned"  # or "weights" (see matcher.engine.rankers)
    max_per_employer: int = 2  # in a top-10
    candidate_pool: int = 100  # ranked per query; dev nDCG@10: 60 .697, 100 .722, 300 .710
    exact_search_below: int = 2_000  # eligible postings under this: exact search
    # BM25 channel beside the dense one: its candidates and scores lift the learned ranker
    # (cross-validated nDCG@10 0.709 → 0.731 on dev-mixed, 0.758 → 0.761 on dev)
    lexical: bool = True
    lexical_pool: int = 100  # BM25 candidates added to the dense ones (each costs its ranking)
    # access control: API keys are required unless this is switched off (local experiments)
    auth: bool = True
    max_body_bytes: int = 5_000_000
    # offers
    offers_per_week: int = 3  # per graduate, over the last 7 days
    quiet_hours: str = "21:00-08:00"  # local time, or "off"; offers wait for its end
    timezone: str = "Asia/Shanghai"
    capacity_factor: int = 10  # a posting goes to at most headcount × factor open offers
    campaign_chunk: int = 1000  # graduates ranked, offered and committed together
    campaign_pool: int = 30  # candidates ranked per graduate when a campaign assigns postings
    campaign_threads: int = 2  # batches of a campaign ranked at once (search and decompression
    # run outside Python's lock, so two threads use both cores of a small machine)
    # scale-out (matcher.scale): a campaign's ranking on Ray workers when an address is set
    ray_address: str = ""  # auto (the cluster of `ray start` on this host), host:port, local
    ray_workers: int = 2  # actors ranking a campaign, each holding the index snapshot
    ray_worker_cpus: float = 0.5  # per actor; whole CPUs each would starve their feeders
    # delivery of offers to the bureau's messaging systems
    webhook_urls: str = ""  # comma-separated; empty: offers are recorded but not pushed
    webhook_secret: str = ""  # HMAC-SHA256 key for the X-Matcher-Signature header
    webhook_timeout: float = 10.0
    delivery_attempts: int = 8  # then the message is parked as a dead letter
    delivery_backoff: float = 30.0  # seconds before the 2nd attempt; doubles each time
    delivery_backoff_max: float = 3600.0
    delivery_lease: float = 60.0  # a claimed message is retried if not settled by then
    worker_poll: float = 1.0
    run_lease: float = 60.0  # a campaign or plan job whose runner stops renewing is taken over
    index_save_changes: int = 1000  # watermark steps between index snapshots (1: every write)
    index_save_seconds: float = 300.0  # or this long since the last snapshot, at the next sync
    api_worker: bool = True  # `matcher serve` runs campaigns and delivery in a thread too
    fit_threshold: float = 0.5  # monthly report: a best match scoring less is not a fit
    report_sample: int = 200  # monthly report: postings and graduates judged by the engine
    # one-person-one-plan workbench
    plan_pool: int = 12  # candidates ranked per graduate and item kind before assignment
    plan_posting_factor: int = 2  # a posting is recommended in at most headcount × factor plans
    traineeship_months: int = 6  # default length of a traineeship, for the "ending" alert
    console_secret: str = ""  # signs the console's session cookie; random per process if unset
    console_https_only: bool = False  # send the session cookie over HTTPS only
    # impressions: every list served is logged for the learned ranker (matcher.engine.served)
    log_impressions: bool = True
    impression_days: int = 180  # kept this long, then pruned by the worker
    explore_rate: float = 0.0  # share of displayed lists with one adjacent pair swapped, ≤ 0.5

    def __post_init__(self) -> None:
        if self.ray_workers < 1 or self.ray_worker_cpus <= 0:
            raise ValueError(
                f"MATCHER_RAY_WORKERS={self.ray_workers} must be at least 1 and "
                f"MATCHER_RAY_WORKER_CPUS={self.ray_worker_cpus} above 0 (e.g. 0.5)"
            )
        if self.ranker not in ("learned", "weights"):
            raise ValueError(
                f"MATCHER_RANKER={self.ranker!r}: use learned (the trained model in models/ranker, "
                "when it beat the weights) or weights (the hand weights)"
            )
        if not 0.0 <= self.explore_rate <= 0.5:
            raise ValueError(
                f"MATCHER_EXPLORE_RATE={self.explore_rate} is outside [0, 0.5]; use e.g. 0.05 "
                "(5% of displayed lists explored) or 0 to switch exploration off"
            )
        if self.impression_days < 1:
            raise ValueError(
                f"MATCHER_IMPRESSION_DAYS={self.impression_days} must be at least 1 (days)"
            )
        if self.index_save_changes < 1 or self.index_save_seconds < 0:
            raise ValueError(
                "MATCHER_INDEX_SAVE_CHANGES must be at least 1 (1 saves the index on every "
                "write) and MATCHER_INDEX_SAVE_SECONDS at least 0"
            )

    @property
    def weights(self) -> dict[str, float]:
        """Ranking weights: the defaults updated by ``rank_weights``."""
        import json

        weights = dict(DEFAULT_RANK_WEIGHTS)
        if self.rank_weights:
            try:
                extra = json.loads(self.rank_weights)
            except ValueError as exc:
                raise ValueError(f"MATCHER_RANK_WEIGHTS is not a JSON object: {exc}") from None
            unknown = set(extra) - set(weights)
            if unknown:
                raise ValueError(
                    f"MATCHER_RANK_WEIGHTS names unknown features {sorted(unknown)}; "
                    f"known: {sorted(weights)}"
                )
            weights.update({k: float(v) for k, v in extra.items()})
        return weights

    @property
    def resolved_database_url(self) -> str:
        """The database URL; an SQLite file under ``data_dir`` unless one is configured."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'matcher.db').as_posix()}"

    @property
    def resolved_index_dir(self) -> Path:
        return self.index_dir if self.index_dir is not None else self.data_dir / "index"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Read ``MATCHER_<FIELD>`` variables; keyword overrides win over the environment."""
        source = os.environ if env is None else env
        hints = get_type_hints(cls)
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = source.get(_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _parse(f.name, raw, hints[f.name])
        for name, value in overrides.items():
            if value is None:
                continue
            if isinstance(value, str) and "Path" in str(hints.get(name)):
                value = Path(value)
            values[name] = value
        return cls(**values)

    @property
    def webhooks(self) -> list[str]:
        return [u.strip() for u in self.webhook_urls.split(",") if u.strip()]

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def _parse(name: str, raw: str, hint: Any) -> Any:
    text = str(hint)
    try:
        if hint is bool:
            if raw.lower() in {"1", "true", "yes", "on"}:
                return True
            if raw.lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        if hint is int:
            return int(raw)
        if hint is float:
            return float(raw)
        if "Path" in text:
            return Path(raw)
    except ValueError:
        raise ValueError(
            f"environment variable {_PREFIX}{name.upper()}={raw!r} is not a valid {text}; "
            "fix or unset it"
        ) from None
    return raw
