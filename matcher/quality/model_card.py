"""MODEL_CARD.md of the learned ranker, written from its training card
(:mod:`matcher.quality.train_ranker`)."""

from __future__ import annotations

from typing import Any


def _judged(card: dict[str, Any]) -> str:
    if not card["data"]:
        return "No judged set."
    sets = "\n".join(
        f"- `{d['set']}`: {', '.join(d['positions'])}; graduates `{d['graduates']}`, "
        f"judgements `{d['qrels']}`"
        for d in card["data"]
    )
    return f"""Judged sets (no held-out data):

{sets}

{card["queries"]} graduates, {card["candidates"]} candidates: for each judged graduate, the
{card["candidate_pool"]} candidates the engine retrieves for them (its `candidate_pool`),
graded by the judgements (0 when not judged)."""


def _feedback(card: dict[str, Any]) -> str:
    fb = card.get("feedback")
    if not fb:
        return "No stored feedback."
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(fb["outcomes"].items()))
    return f"""Stored feedback: {fb["lists"]} recommendation lists served from {fb["since"]} to
{fb["until"]} ({fb["items"]} items shown; outcomes: {outcomes}), graded hired 3, applied 2,
viewed 1, anything else 0, each item with the position it was shown at (LambdaRank with a
learned bias per position)."""


def _checks(card: dict[str, Any]) -> str:
    parts = []
    if card["cross_validated"]:
        rows = "\n".join(
            f"| {name} | {f['graduates']} | {f['weights']:.4f} | {f['learned']:.4f} |"
            for name, f in card["cross_validated"].items()
        )
        parts.append(f"""## Cross-validated nDCG@10 ({card["folds"]} folds by graduate)

Each graduate scored by a model that did not see them, beside the hand weights on the same
candidates (no diversity rule, so the figures differ slightly from `matcher eval`):

| set | graduates | hand weights | learned |
|---|---:|---:|---:|
{rows}""")
    split = (card.get("feedback") or {}).get("time_split")
    if split:
        if "learned" in split:
            figures = (
                f"nDCG@10 of the hand weights {split['weights']:.4f}, of the learned ranker "
                f"{split['learned']:.4f}, over {split['test_lists']} later lists with an outcome "
                f"(trained on {split['train_lists']} earlier ones)"
            )
        else:
            figures = (
                f"not measured: too few lists with an outcome ({split['train_lists']} before, "
                f"{split['test_lists']} after)"
            )
        parts.append(f"""## Time split of the feedback (test from {split["test_from"]})

Trained on the lists served before the date, scored on those served from it on: {figures}.
The later lists were ordered by the ranker that served them, so this check favours it.""")
    return "\n\n".join(parts) or "No check could be made."


def model_card(card: dict[str, Any], features: list[str]) -> str:
    """The model card, in Markdown, from the training card."""
    return f"""# Learned ranker

`ranker.txt` is a LightGBM LambdaRank model (LightGBM {card["lightgbm"]}) and `ranker.json` its
card, written by `matcher train-ranker` on {card["trained"]} (version `{card["version"]}`).
The engine serves it when `MATCHER_RANKER=learned` (the default) and the card says it beat the
hand weights in every check below (`beats_weights`: {str(card["beats_weights"]).lower()});
otherwise the hand weights serve.

## Data

{_judged(card)}

{_feedback(card)}

## Features

The engine's features, in this order: {", ".join(features)}. No support flag or protected trait
is a feature.

## Training

LambdaRank (nDCG), parameters {card["params"]}.

{_checks(card)}

## Limits

It learns what its data rewards: judged sets reward what their judges looked for, feedback
what graduates answered to lists ordered by the ranker of the day. Retrain with `matcher
train-ranker` when the features, the judged sets or the feedback change.
"""
