"""How sure we are that a flagged posting breaks the rules (issue #19, item 5): the figure the
bureau's review queue is sorted by, most certain violations first, so that reviewers confirm
the clear cases quickly and spend their time on the doubtful ones.

Each flagged category is one piece of evidence, worth the precision the rules of that category
reached on postings they were not written against: the held-aside written set (README,
"Compliance screening"), smoothed as (tp + 1) / (tp + fp + 2) so that no category is taken as
certain on a few dozen postings. Where the classifier's second opinion is at hand (``matcher
review score``), a category's figure is the mean of that precision and the classifier's
probability for the category: a finding the model does not recognise counts for less. The
categories are combined as independent evidence (1 - the product of their complements): a
posting flagged for gender, age and a fee is surer than one flagged for a height alone.

This is a ranking figure built from measured precisions, not a calibrated probability: the
confirmed decisions the queue exports (``matcher review export``) are what to calibrate it on.
Computing it needs no model and no database (the store keeps it beside the flags)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from matcher.compliance.screen import Flag, categories_of

#: (true, false) positives of the rules per category on the held-aside written set (127 ads
#: the rules were not written against; README, "Compliance screening").
MEASURED: dict[str, tuple[int, int]] = {
    "gender": (18, 0),
    "age": (18, 1),
    "hukou_region": (8, 0),
    "ethnicity": (6, 0),
    "religion": (8, 0),
    "marriage_childbearing": (9, 0),
    "health": (9, 1),
    "appearance": (13, 0),
    "fees_fraud": (9, 0),
}


def prior(category: str) -> float:
    """The smoothed precision of the rules of ``category``."""
    tp, fp = MEASURED[category]
    return (tp + 1) / (tp + fp + 2)


def confidence(
    flags: Iterable[Flag | Mapping[str, Any]], scores: Mapping[str, float] | None = None
) -> float:
    """The confidence (0-1, four decimals) that a posting with these flags breaks the rules;
    0 without flags. ``scores``: the classifier's probability per category, when known."""
    doubt = 1.0
    categories = categories_of(flags)
    for category in categories:
        p = prior(category)
        if scores is not None and category in scores:
            p = (p + min(1.0, max(0.0, float(scores[category])))) / 2
        doubt *= 1.0 - p
    return round(1.0 - doubt, 4) if categories else 0.0
