"""Training the learned ranker from what graduates did with the lists they were shown
(``matcher train-ranker --feedback``).

Every list served is stored as an impression (:mod:`matcher.store.impressions`) with the rank
each posting was shown at; :func:`matcher.store.impressions.joined` gives each item its outcome
(hired 3, applied 2, viewed 1; shown and ignored, declined or not interested 0). Each list
becomes one training query: its items, featurised as the engine featurises candidates for
that graduate now (:func:`pair_features`), graded by their outcomes, with the position they
were shown at.

**Position bias.** A graduate looks at the first items of a list more than at the tenth, so
"shown and ignored" at rank 9 says less than at rank 1. LightGBM's LambdaRank is given each
item's shown position (``Dataset(position=...)``) and learns a bias factor per position
jointly with the ranker (unbiased LambdaMART). The exploration swaps
(:mod:`matcher.engine.explore`) show the same postings at neighbouring positions, which helps
tell a position's effect from a posting's; their logged propensities are kept with each item
but not used by this training. Judged sets, whose candidates were all read by a judge, share
one position of their own (:data:`JUDGED_POSITION`).

**Time split.** :func:`time_split` trains on the lists served before a date and scores the
lists served from it on: each later list with an outcome is reordered by the model and by the
hand weights, and both are scored by nDCG@10 against what the graduate did. This favours the
weights (the later lists were ordered by them and position bias lifted what they put first),
so a learned ranker that wins here wins by at least that much. With fewer than
:data:`MIN_TEST_LISTS` later lists with an outcome no figure is given, and ``train-ranker``
keeps the hand weights serving."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from matcher.engine.features import FEATURES
from matcher.quality.ranker_training import PARAMS, Query

#: The position given to judged candidates when judged sets and feedback train one model.
JUDGED_POSITION = 99
#: Fewest later lists with an outcome a time split needs before its figures are given (fewer
#: say more about chance than about the rankers)
MIN_TEST_LISTS = 50
#: L2 penalty on the learned position factors (LightGBM's default 0 lets them absorb too much
#: from a few thousand lists; 10 was best of 0, 1 and 10 on the simulated bureau of
#: ``benchmarks/bench_feedback.py``, and 0 fell below the uncorrected model there)
POSITION_REGULARISATION = 10.0
Log = Callable[[str], None]


@dataclass
class FeedbackSet:
    """The lists served in a period as queries, each with the positions its items were shown
    at and when it was served, and how many items had each outcome."""

    queries: list[Query] = field(default_factory=list)
    positions: list[npt.NDArray[np.int64]] = field(default_factory=list)
    served: list[datetime] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def items(self) -> int:
        return sum(len(q.ids) for q in self.queries)

    def subset(self, chosen: Sequence[int]) -> FeedbackSet:
        """The lists at the indices ``chosen``, in that order (outcomes are not counted)."""
        return FeedbackSet(
            [self.queries[i] for i in chosen],
            [self.positions[i] for i in chosen],
            [self.served[i] for i in chosen],
        )


def pair_features(
    matcher: Any, graduate: dict[str, Any], position_ids: Sequence[str], today: date
) -> tuple[list[str], npt.NDArray[np.float64]]:
    """The features of (graduate, posting) for each posting still in the index, as the engine
    computes them for a candidate: cosine to the graduate's vector, BM25 of the graduate's
    text scaled so the best eligible posting is 1, and the column and text features."""
    from matcher.engine.filters import Eligibility
    from matcher.engine.rank import candidate_features
    from matcher.engine.retrieve import Candidates, lexical_candidates
    from matcher.engine.scoring import feature_matrix
    from matcher.text.render import graduate_text

    index = matcher.positions
    rows = index.slots_of(list(position_ids))
    if not len(rows):
        return [], np.zeros((0, len(FEATURES)))
    ids = index.key_of(rows)
    query = matcher.graduates.vectors([graduate["id"]])[0]
    semantic = (index.rows_at(rows) @ query).astype(np.float32)
    lexical = np.zeros(len(rows), dtype=np.float32)
    if matcher.settings.lexical:
        mask = Eligibility.for_graduate(graduate, today=today).mask(matcher.columns)
        mask[rows] = True  # a posting shown then and closed since still gets its score
        found = lexical_candidates(
            index, matcher.lexical(), graduate_text(graduate), mask, int(mask.sum())
        )
        lexical = np.array([found.get(i, 0.0) for i in ids], dtype=np.float32)
    found_rows = Candidates(rows, ids, semantic, lexical)
    _, features = candidate_features(graduate, found_rows, today, matcher.columns, matcher.text)
    return ids, feature_matrix(features)


def feedback_queries(
    matcher: Any, since: datetime, until: datetime, log: Log, today: date | None = None
) -> FeedbackSet:
    """One query per list served in [``since``, ``until``) to a graduate still stored, with
    the outcome of each item (:func:`matcher.store.impressions.joined`)."""
    from matcher.store.impressions import joined

    lists: dict[int, list[Any]] = {}
    for shown in joined(matcher.store, since, until):
        lists.setdefault(shown.impression_id, []).append(shown)
    graduates = matcher.store.get_many(
        "graduates", sorted({s[0].graduate_id for s in lists.values()})
    )
    on = today or date.today()
    cache: dict[str, dict[str, npt.NDArray[np.float64]]] = {}
    wanted: dict[str, set[str]] = {}
    for items in lists.values():
        wanted.setdefault(items[0].graduate_id, set()).update(s.position_id for s in items)
    for gid, pids in wanted.items():
        if gid in graduates:
            ids, matrix = pair_features(matcher, graduates[gid], sorted(pids), on)
            cache[gid] = dict(zip(ids, matrix, strict=True))
    out = FeedbackSet()
    for items in lists.values():
        gid = items[0].graduate_id
        known = [s for s in items if s.position_id in cache.get(gid, {})]
        if not known:
            continue
        grades = np.array([max(s.label, 0) for s in known], dtype=np.int64)
        ids = [s.position_id for s in known]
        matrix = np.vstack([cache[gid][s.position_id] for s in known])
        judged = {i: int(g) for i, g in zip(ids, grades, strict=True) if g > 0}
        out.queries.append(Query("feedback", gid, ids, matrix, grades, judged))
        out.positions.append(np.array([s.shown_rank - 1 for s in known], dtype=np.int64))
        out.served.append(known[0].served_at)
        for s in known:
            out.outcomes[s.outcome] = out.outcomes.get(s.outcome, 0) + 1
    log(
        f"feedback: {len(out.queries)} lists, {out.items} items shown, outcomes "
        + ", ".join(f"{k} {v}" for k, v in sorted(out.outcomes.items()))
    )
    return out


def fit(
    queries: Sequence[Query],
    positions: Sequence[npt.NDArray[np.int64]] | None,
    card: dict[str, Any],
    params: dict[str, Any] | None = None,
) -> Any:
    """LambdaRank over the queries; with ``positions`` (one array per query), corrected for
    the position each item was shown at."""
    from matcher.engine import learned

    matrix = np.vstack([q.matrix for q in queries])
    grades = np.concatenate([q.grades for q in queries])
    groups = [len(q.ids) for q in queries]
    where = None if positions is None else np.concatenate(list(positions))
    settings = dict(params or PARAMS)
    if where is not None:
        settings.setdefault("lambdarank_position_bias_regularization", POSITION_REGULARISATION)
    return learned.fit(matrix, grades, groups, FEATURES, settings, card, positions=where)


def with_judged(
    feedback: FeedbackSet, judged: Sequence[Query]
) -> tuple[list[Query], list[npt.NDArray[np.int64]]]:
    """Feedback lists and judged queries as one training set (judged at
    :data:`JUDGED_POSITION`)."""
    queries = [*feedback.queries, *judged]
    positions = [
        *feedback.positions,
        *(np.full(len(q.ids), JUDGED_POSITION, dtype=np.int64) for q in judged),
    ]
    return queries, positions


def informative(queries: Sequence[Query]) -> list[int]:
    """Indices of the queries with at least one positive outcome (the only ones LambdaRank
    learns from, and the only ones nDCG can score)."""
    return [i for i, q in enumerate(queries) if q.grades.max(initial=0) > 0]


def time_split(
    feedback: FeedbackSet, cut: datetime, weights: dict[str, float], judged: Sequence[Query] = ()
) -> dict[str, Any]:
    """Train on the lists served before ``cut`` (and ``judged``), score the later lists with an
    outcome: mean nDCG@10 of the weights' order and of the model's, and how many lists."""
    from matcher.engine.scoring import weight_array

    before = feedback.subset([i for i, at in enumerate(feedback.served) if at < cut])
    after = [q for q, at in zip(feedback.queries, feedback.served, strict=True) if at >= cut]
    scored = [after[i] for i in informative(after)]
    train_on = [before.queries[i] for i in informative(before.queries)]
    if not train_on or len(scored) < MIN_TEST_LISTS:
        return {"train_lists": len(train_on), "test_lists": len(scored)}
    queries, positions = with_judged(before, judged)
    model = fit(queries, positions, {})
    w = weight_array(weights)
    return {
        "train_lists": len(train_on),
        "test_lists": len(scored),
        "weights": round(float(np.mean([q.ndcg(q.matrix @ w) for q in scored])), 4),
        "learned": round(
            float(
                np.mean([q.ndcg(model.booster.predict(q.matrix, num_threads=1)) for q in scored])
            ),
            4,
        ),
    }
