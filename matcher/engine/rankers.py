"""The two rankers and the choice between them (``MATCHER_RANKER``).

``weights`` orders candidates by the weighted sum of their features (the transparent score,
:data:`matcher.config.DEFAULT_RANK_WEIGHTS`); ``learned`` by the LambdaRank model in
``models/ranker/`` (:mod:`matcher.engine.learned`). The learned ranker is used only when its
model file is there and its card says it beat the weights in cross-validation when trained;
otherwise the weights serve, and the log says why. Either way a match's ``score`` is the weighted
score, and reasons are ordered by the contributions of the ranker that ordered the list."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

from matcher.config import Settings
from matcher.engine.ranker_version import weights_version
from matcher.engine.scoring import scores, weight_vector
from matcher.errors import ConfigError

Array = npt.NDArray[np.float64]
log = logging.getLogger("matcher.engine")
RANKERS = ("learned", "weights")


class Ranker(Protocol):
    @property
    def version(self) -> str: ...

    def scores(self, features: Mapping[str, Array]) -> Array: ...

    def contributions(self, features: Mapping[str, Array]) -> dict[str, Array]: ...


@dataclass(frozen=True)
class WeightedRanker:
    """The weighted sum; ``weights`` as :func:`matcher.engine.scoring.weight_vector` gives."""

    weights: Mapping[str, float]
    version: str

    @classmethod
    def of(cls, weights: Mapping[str, float]) -> WeightedRanker:
        return cls(weight_vector(weights), weights_version(weights))

    def scores(self, features: Mapping[str, Array]) -> Array:
        return scores(features, self.weights)

    def contributions(self, features: Mapping[str, Array]) -> dict[str, Array]:
        return {name: w * np.asarray(features[name]) for name, w in self.weights.items() if w}


def ranker_version(settings: Settings) -> str:
    """The version of the ranker these settings serve with (what impressions record)."""
    return ranker_for(settings).version


def ranker_for(settings: Settings) -> Ranker:
    """The ranker these settings ask for (see the module's description)."""
    return _ranker(settings.ranker, settings.rank_weights)


@lru_cache(maxsize=8)
def _ranker(choice: str, rank_weights: str) -> Ranker:
    weighted = WeightedRanker.of(Settings(rank_weights=rank_weights).weights)
    if choice == "weights":
        return weighted
    from matcher.engine import learned

    try:
        model = learned.load()
    except ConfigError as exc:
        log.warning("ranking with the hand weights: %s", exc)
        return weighted
    if not model.beats_weights:
        log.info("ranking with the hand weights: the learned model did not beat them")
        return weighted
    return model
