"""The reverse direction: the best graduates for a posting. Only graduates seeking work who
consented to be contacted, whose wishes the posting meets and who meet its requirements; a
posting that may not be recommended (flagged, blacklisted employer, closed) gets none."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from matcher.config import Settings
from matcher.engine.columns import PostingColumns
from matcher.engine.explain import reasons
from matcher.engine.features import Profile, pair_features
from matcher.engine.filters import graduate_accepts, open_now
from matcher.engine.match import Match
from matcher.engine.rwlock import ReadWriteLock
from matcher.engine.scoring import weighted_score
from matcher.errors import NotFoundError
from matcher.index.vectors import VectorIndex
from matcher.store import Store
from matcher.text.encoders import Encoder
from matcher.text.render import position_text

#: Postings whose candidates are searched with one matrix product (bounds its memory).
CANDIDATE_BATCH = 64


def find_candidates(
    position_ids: Sequence[str],
    k: int,
    today: date,
    *,
    store: Store,
    positions: VectorIndex,
    graduates: VectorIndex,
    encoder: Encoder,
    recommendable: Callable[[str, dict[str, Any]], bool],
    pool: int,
    weights: Mapping[str, float],
) -> list[list[Match]]:
    """Top-k graduates for each posting: the ``pool`` nearest reachable profiles by the
    posting's vector (``positions``, or encoded on the fly when not yet indexed), kept when
    the pair passes both sides' hard rules and ranked by the weighted score; graduates hired
    on the posting or who turned it down are left out. A posting that is not
    ``recommendable`` gets none."""
    postings = store.get_many("positions", position_ids)
    missing = [p for p in position_ids if p not in postings]
    if missing:
        raise NotFoundError("position", missing[0])
    reachable = graduates.slots_of(store.reachable_graduates())
    settled = store.settled_graduates(position_ids)
    out: list[list[Match]] = []
    for start in range(0, len(position_ids), CANDIDATE_BATCH):
        batch = position_ids[start : start + CANDIDATE_BATCH]
        queries = positions.vectors(batch)
        if len(queries) < len(batch):  # some not yet synced: encode on the fly, never stored
            queries = encoder.encode_positions([position_text(postings[p]) for p in batch])
        # one gather of the reachable profiles and one product for the whole batch
        scores, slots = graduates.search_exact(queries, pool, reachable)
        for row, pid in enumerate(batch):
            if not recommendable(pid, postings[pid]):  # flagged, blacklisted, closed
                out.append([])
                continue
            keep = slots[row] >= 0
            found = {
                gid: score
                for gid, score in zip(
                    graduates.key_of(slots[row][keep]), scores[row][keep].tolist(), strict=True
                )
                if gid not in settled[pid]
            }
            out.append(_rank_graduates(store, postings[pid], found, k, today, weights))
    return out


def _rank_graduates(
    store: Store,
    posting: dict[str, Any],
    found: Mapping[str, float],
    k: int,
    today: date,
    weights: Mapping[str, float],
) -> list[Match]:
    records = store.get_many("graduates", list(found))
    ranked = []
    for gid, semantic in found.items():
        graduate = records.get(gid)
        if graduate is None or not graduate_accepts(graduate, posting):
            continue
        profile = Profile.of(graduate, today)
        features = pair_features(profile, posting, semantic=semantic, lexical=0.0, today=today)
        why, lacking = reasons(profile, graduate, posting, features)
        ranked.append(
            Match(
                gid,
                round(weighted_score(features, weights), 4),
                {n: round(v, 4) for n, v in features.items()},
                why,
                lacking,
                title=str(graduate.get("name") or gid),
                subtitle=" ".join(
                    str(graduate.get(f) or "") for f in ("major", "degree", "school")
                ),
                place="、".join((graduate.get("desired") or {}).get("districts") or ()),
            )
        )
    ranked.sort(key=lambda m: (-m.score, m.id))
    return ranked[:k]


class ReverseQueries:
    """The engine's queries by posting (a part of :class:`matcher.engine.orchestrator.Matcher`):
    candidates for postings, and whether postings may be recommended now."""

    settings: Settings
    store: Store
    encoder: Encoder
    positions: VectorIndex
    graduates: VectorIndex
    columns: PostingColumns
    lock: ReadWriteLock

    def candidates(
        self, position_ids: Sequence[str], k: int = 10, *, today: date | None = None
    ) -> list[list[Match]]:
        """Top-k graduates for each posting: only graduates seeking work who consented to be
        contacted, whose wishes the posting meets and who meet its requirements. A posting
        that may not be recommended (flagged, blacklisted employer, closed) gets none."""
        with self.lock.read():
            return find_candidates(
                position_ids,
                k,
                today or date.today(),
                store=self.store,
                positions=self.positions,
                graduates=self.graduates,
                encoder=self.encoder,
                recommendable=self._recommendable,
                pool=max(self.settings.candidate_pool, 3 * k),
                weights=self.settings.weights,
            )

    def recommendable(self, position_ids: Sequence[str]) -> dict[str, bool]:
        """Whether each posting may be recommended or offered now: open, not flagged (or
        cleared by the bureau) and its employer not blacklisted; unknown ids are not."""
        postings = self.store.get_many("positions", position_ids)
        return {p: p in postings and self._recommendable(p, postings[p]) for p in position_ids}

    def _recommendable(self, pid: str, posting: dict[str, Any]) -> bool:
        return open_now(self.store, self.positions, self.columns, pid, posting)
