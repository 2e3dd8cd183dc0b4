"""The engine: the Matcher (:mod:`matcher.engine.orchestrator`) and the stages of one query,
each a module that receives what it needs: eligibility over the postings' columns
(``filters``, ``columns``), retrieval from the index (``retrieve``), features and scores
(``features``, ``scoring``), ranking and diversity (``rank``, ``diversity``), explanations
(``explain``), and the reverse direction (``reverse``)."""

from matcher.engine.orchestrator import Matcher
from matcher.engine.sync import SyncReport

__all__ = ["Matcher", "SyncReport"]
