"""Training the compliance classifier and measuring what its second opinion adds to the rules
(issue #19, part 3): the (posting, category) pairs it suggests for review that no rule flagged,
how many of those are labelled violations (its precision as a review suggestion), and how many
of the violations the rules missed it catches.

Hand-labelled postings are scored out of fold (each by a model that did not see it); the score
threshold is the lowest of ``GRID`` at which the classifier alone reaches ``min_precision`` on
them. The review load is measured on real postings the model was not trained on."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from matcher.compliance.classifier import (
    Suggester,
    fit,
    out_of_fold,
    posting_text,
    suggestions,
    training_set,
)
from matcher.compliance.evaluate import Labelled, load_labels, read_postings
from matcher.compliance.screen import CATEGORIES, RuleSet
from matcher.errors import MatcherError

GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
Row = tuple[frozenset[str], frozenset[str], Iterable[float]]  # labels, rule flags, scores


def refuse_held_out(paths: Iterable[Path]) -> None:
    """The held-aside part of a labelled set is for final measurement only: never train on it."""
    for path in paths:
        if "heldout" in path.name.replace("-", "").replace("_", "").lower():
            raise MatcherError(
                f"{path} is a held-aside set, kept for final measurement: do not train on it",
                zh=f"{path} 是留作最终评测的数据，不能用于训练",
            )


def added(rows: Iterable[Row], threshold: float) -> dict[str, Any]:
    """What the classifier adds at ``threshold``: ``raised`` pairs it suggests that the rules did
    not flag, ``true`` of them labelled violations, ``precision`` = true / raised; ``missed``
    labelled pairs the rules did not flag, ``caught`` of them suggested; ``postings`` with a
    suggestion; and the classifier's own precision and recall against the labels."""
    raised = true = missed = caught = postings = tp = fp = fn = 0
    for labels, ruled, scores in rows:
        pred = {c for c, s in zip(CATEGORIES, scores, strict=True) if s >= threshold}
        extra = pred - ruled
        raised, true = raised + len(extra), true + len(extra & labels)
        missed, caught = missed + len(labels - ruled), caught + len((labels - ruled) & pred)
        postings += bool(extra)
        tp, fp, fn = tp + len(pred & labels), fp + len(pred - labels), fn + len(labels - pred)
    return {
        "threshold": threshold,
        "raised": raised,
        "true": true,
        "precision": round(true / raised, 4) if raised else None,
        "missed_by_rules": missed,
        "caught": caught,
        "postings_raised": postings,
        "alone_precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "alone_recall": round(tp / (tp + fn), 4) if tp + fn else None,
    }


def train(
    paths: Sequence[Path],
    label_paths: Sequence[Path],
    rules: RuleSet,
    *,
    folds: int = 5,
    max_clean: int | None = 15000,
    max_features: int = 20000,
    min_precision: float = 0.9,
    seed: int = 0,
    say: Callable[[str], None] = lambda _: None,
) -> tuple[Suggester, dict[str, Any]]:
    """A trained suggester and its report (data, parameters, cross-validated figures, review
    load and cost)."""
    refuse_held_out([*paths, *label_paths])
    labels: dict[str, Labelled] = {}
    for path in label_paths:
        labels.update(load_labels(path))
    started = time.perf_counter()
    data = training_set(paths, labels, rules, max_clean, seed)
    gold = [i for i in data.train if data.gold[i]]
    say(f"{len(data.ids)} postings read, {len(data.train)} trained on ({len(gold)} hand-labelled)")
    cv: dict[str, Any] = {}
    threshold = GRID[-1]
    if folds >= 2 and len(gold) >= folds:
        scored = out_of_fold(data, folds, max_features, seed)
        sources = sorted({data.source[i] for i in scored})
        for th in GRID:
            rows = [(data.labels[i], data.ruled[i], s) for i, s in scored.items()]
            cv[str(th)] = {"all": added(rows, th)} | {
                src: added(
                    [r for i, r in zip(scored, rows, strict=True) if data.source[i] == src], th
                )
                for src in sources
            }
        fine = [th for th in GRID if (cv[str(th)]["all"]["alone_precision"] or 0) >= min_precision]
        threshold = fine[0] if fine else GRID[-1]
        say(f"cross-validated over {folds} folds; threshold {threshold}")
    pipeline = fit(data, data.train, max_features, seed)
    trained = set(data.train)
    unseen = [i for i in range(len(data.ids)) if i not in trained]
    clock = time.perf_counter()
    scores = pipeline.predict_proba([data.texts[i] for i in unseen]) if unseen else []
    ms = 1000 * (time.perf_counter() - clock) / len(unseen) if unseen else None
    raised = sum(
        bool(suggestions(row, set(data.ruled[i]), threshold))
        for i, row in zip(unseen, scores, strict=True)
    )
    report = {
        "trained": datetime.now(UTC).strftime("%Y-%m-%d"),
        "data": {
            "posting_files": [p.name for p in paths],
            "label_files": [p.name for p in label_paths],
            "postings": len(data.ids),
            "trained_on": len(data.train),
            "hand_labelled": len(gold),
            "flagged_by_rules": sum(1 for i in data.train if data.ruled[i] and not data.gold[i]),
        },
        "features": f"TF-IDF char_wb 1-3-grams, min_df 3, at most {max_features}, sublinear tf",
        "model": "one-vs-rest logistic regression (liblinear, C=4, class_weight balanced)",
        "params": {
            "folds": folds,
            "max_clean": max_clean,
            "seed": seed,
            "min_precision": min_precision,
        },
        "threshold": threshold,
        "cross_validated": cv,
        "review_load": {
            "unseen_postings": len(unseen),
            "suggested": raised,
            "share": round(raised / len(unseen), 4) if unseen else None,
        },
        "ms_per_posting": round(ms, 3) if ms is not None else None,
        "seconds": round(time.perf_counter() - started, 1),
    }
    return Suggester(pipeline, threshold, report), report


def evaluate_suggestions(
    labels_path: Path, posting_paths: Sequence[Path], rules: RuleSet, suggester: Suggester
) -> dict[str, Any]:
    """What the suggester adds to ``rules`` on labelled postings, at its own threshold."""
    labels = load_labels(labels_path)
    postings = read_postings(posting_paths, labels)
    ids = sorted(postings)
    clock = time.perf_counter()
    scores = suggester.scores([posting_text(postings[i]) for i in ids])
    ms = 1000 * (time.perf_counter() - clock) / len(ids) if ids else 0.0
    rows = [
        (labels[i].flags, frozenset(f.category for f in rules.screen(postings[i])), s)
        for i, s in zip(ids, scores, strict=True)
    ]
    return added(rows, suggester.threshold) | {"n": len(ids), "ms_per_posting": round(ms, 3)}


def render_added(report: Mapping[str, Any]) -> str:
    precision = "-" if report["precision"] is None else f"{report['precision']:.3f}"
    return (
        f"classifier second opinion (threshold {report['threshold']}): "
        f"{report['raised']} suggestions for review beyond the rules on "
        f"{report['postings_raised']} postings, {report['true']} of them labelled violations "
        f"(precision {precision}); it catches {report['caught']} of the {report['missed_by_rules']}"
        " labelled violations the rules missed"
    )


def render_training(report: Mapping[str, Any]) -> str:
    lines = [
        f"trained on {report['data']['trained_on']} of {report['data']['postings']} postings "
        f"({report['data']['hand_labelled']} hand-labelled) in {report['seconds']} s; "
        f"threshold {report['threshold']}"
    ]
    chosen = report["cross_validated"].get(str(report["threshold"]), {})
    for source, figures in chosen.items():
        lines.append(f"  out of fold, {source}: " + render_added(figures))
    load = report["review_load"]
    lines.append(
        f"  review load on {load['unseen_postings']} real postings it did not see: "
        f"{load['suggested']} suggested ({load['share']}); {report['ms_per_posting']} ms a posting"
    )
    return "\n".join(lines)
