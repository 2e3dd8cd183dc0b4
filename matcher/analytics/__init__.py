"""Supply and demand analytics: the monthly report's figures (SQL aggregates over the store,
hard-to-fill and hard-to-place judged by the engine) and its HTML and Markdown renderings."""

from matcher.analytics.render import write_report
from matcher.analytics.report import monthly_report
from matcher.types import Month

__all__ = ["Month", "monthly_report", "write_report"]
