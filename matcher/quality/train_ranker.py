"""``matcher train-ranker``: fit the learned ranker on judged sets
(:mod:`matcher.quality.ranker_training`), on the stored feedback
(:mod:`matcher.quality.feedback_training`) or on both, check it against the hand weights the
honest way for each source (cross-validation by graduate for judged sets, a time split for
feedback), and write the model, its card and MODEL_CARD.md.

The model is marked as beating the weights only if it does so in every check that could be
made; the engine serves it only then (``beats_weights`` in the card)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from matcher.config import Settings
from matcher.engine.features import FEATURES
from matcher.errors import MatcherError
from matcher.quality import feedback_training as ft
from matcher.quality.model_card import model_card
from matcher.quality.ranker_training import (
    PARAMS,
    JudgedSet,
    Query,
    cross_validate,
    fit,
    judged_queries,
)

Log = Callable[[str], None]


@dataclass(frozen=True)
class FeedbackWindow:
    """Which stored lists to learn from: served in [since, until); the time split tests on
    those served from ``test_from`` on (None: the last fifth of the window)."""

    since: datetime
    until: datetime
    test_from: datetime | None = None

    @classmethod
    def of(
        cls, since: str | None, until: str | None, test_from: str | None, days: int
    ) -> FeedbackWindow:
        end = _day(until) if until else datetime.now(UTC)
        start = _day(since) if since else end - timedelta(days=days)
        if start >= end:
            raise MatcherError(
                f"--since {start.date()} must be before --until {end.date()}",
                zh=f"--since（{start.date()}）必须早于 --until（{end.date()}）",
            )
        return cls(start, end, _day(test_from) if test_from else None)


def _day(text: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=UTC)
    except ValueError:
        raise MatcherError(
            f"{text!r} is not a date: write it as YYYY-MM-DD",
            zh=f"“{text}”不是日期，请写成 YYYY-MM-DD",
        ) from None


def _feedback(
    settings: Settings, window: FeedbackWindow, judged: Sequence[Query], log: Log, matcher: Any
) -> tuple[ft.FeedbackSet, dict[str, Any]]:
    if matcher is None:
        from matcher.engine.orchestrator import Matcher

        opened = Matcher.open(settings)
        try:
            return _feedback(settings, window, judged, log, opened)
        finally:
            opened.store.close()
    found = ft.feedback_queries(matcher, window.since, window.until, log)
    cut = window.test_from or window.until - (window.until - window.since) / 5
    split = ft.time_split(found, cut, settings.weights, judged)
    split["test_from"] = cut.date().isoformat()
    if "learned" in split:
        log(
            f"feedback time split (lists from {split['test_from']} on, {split['test_lists']} "
            f"with an outcome): nDCG@10 weights {split['weights']}, learned {split['learned']}"
        )
    else:
        log(
            f"feedback: too few lists with an outcome for a time split ({split['train_lists']} "
            f"before {split['test_from']}, {split['test_lists']} after)"
        )
    return found, split


def train(
    sets: Sequence[JudgedSet],
    out: Path,
    settings: Settings,
    folds: int = 5,
    log: Log = print,
    feedback: FeedbackWindow | None = None,
    matcher: Any = None,
) -> dict[str, Any]:
    """Check, fit on everything, and write the model, its card and MODEL_CARD.md. Feedback
    is read from ``matcher``'s store (default: an engine opened on ``settings``)."""
    from matcher.engine.learned import LIGHTGBM_VERSION

    if not sets and feedback is None:
        raise MatcherError(
            "nothing to train on: give judged sets (--set) or --feedback, or both",
            zh="没有训练数据：请给出评测集（--set）或 --feedback，或两者都给",
        )
    queries = [q for s in sets for q in judged_queries(s, settings, log)]
    cv = cross_validate(queries, settings.weights, folds) if queries else {}
    for name, figures in cv.items():
        log(f"{name}: nDCG@10 weights {figures['weights']}, learned {figures['learned']} (CV)")
    checks = [figures["learned"] >= figures["weights"] for figures in cv.values()]
    card: dict[str, Any] = {
        "trained": date.today().isoformat(),
        "data": [
            {
                "positions": [p.name for p in s.positions],
                "graduates": str(s.graduates.name),
                "qrels": s.qrels.name,
                "set": s.name,
            }
            for s in sets
        ],
        "queries": len(queries),
        "candidates": int(sum(len(q.ids) for q in queries)),
        "candidate_pool": settings.candidate_pool,
        "params": PARAMS,
        "folds": folds,
        "cross_validated": cv,
        "lightgbm": LIGHTGBM_VERSION,
    }
    if feedback is None:
        model = fit(queries, card)
    else:
        found, split = _feedback(settings, feedback, queries, log, matcher)
        # feedback that cannot be tested yet is not trusted: the weights keep serving
        checks.append("learned" in split and split["learned"] >= split["weights"])
        card["feedback"] = {
            "since": feedback.since.date().isoformat(),
            "until": feedback.until.date().isoformat(),
            "lists": len(found.queries),
            "items": found.items,
            "outcomes": found.outcomes,
            "time_split": split,
            "position_corrected": True,
            "position_regularisation": ft.POSITION_REGULARISATION,
        }
        all_queries, positions = ft.with_judged(found, queries)
        if not ft.informative(all_queries):
            raise MatcherError(
                "no list in the window has an outcome (viewed, applied or hired) and no judged "
                "set was given: nothing to learn from yet",
                zh="所选时间内没有任何带反馈（查看、投递或录用）的推荐列表，也没有评测集，暂时无法训练",
            )
        model = ft.fit(all_queries, positions, card)
    card["beats_weights"] = bool(checks) and all(checks)
    text = model.booster.model_to_string()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    card["version"] = f"{card['trained']}-{digest}"
    model = type(model)(model.booster, model.features, card)
    model.save(out)
    (out / "MODEL_CARD.md").write_text(model_card(card, list(FEATURES)), encoding="utf-8")
    log(f"model {card['version']} written to {out} (beats the weights: {card['beats_weights']})")
    return card
